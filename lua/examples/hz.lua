-- What `make run` opens the REPL with: the Hangzhou dataset as the table hz.
zb.dataset("hangzhou-2021", {name = "hz", replace = true})
print('hz: Hangzhou 2021, 36 figures. Try: zb.sql("select indicator, value, unit from hz where section = ?", "创新驱动")')
