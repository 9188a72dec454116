-- What `make run` opens the REPL with: the Hangzhou dataset as the table hz.
hz = zb.dataset("hangzhou-2021", {name = "hz", replace = true})
print('hz: Hangzhou 2021, 36 figures. Try: hz:where{section = "创新驱动"}:select("indicator", "value")')
