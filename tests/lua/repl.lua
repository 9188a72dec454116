-- The REPL on a real pseudo-terminal: prompts, printing, completion,
-- history, Ctrl-C and Ctrl-D, driven as a person would type.
local T = require("check")
local pty = require("pty")

local home = T.tmpdir()
local work = T.tmpdir()
local state = home .. "/state"
local env = {HOME = home, XDG_STATE_HOME = state, XDG_CONFIG_HOME = home .. "/config",
             TERM = "xterm", INPUTRC = ""}
env.INPUTRC = nil

local function start(extra_args)
  local argv = T.zb_with("-n", table.unpack(extra_args or {}))
  local p = pty.spawn({"sh", "-c", 'cd "$0" && exec "$@"', work, table.unpack(argv)}, env)
  local banner = p:expect("zb> ", T.patience)
  return p, banner
end

-- Type a line; return what was printed up to the next prompt.
local function type_line(p, line, prompt)
  p:send(line .. "\r")
  return p:expect(prompt or "zb> ", T.patience) or ""
end

local p, banner = start()
T.has(banner, "zb " .. zb.version, "the banner names zb")
T.has(banner, "zb> ", "the prompt is 'zb> '")

T.has(type_line(p, "6 * 7"), "42\r\n", "an expression prints its value")
T.has(type_line(p, "'杭州', 18109, 8.5"), '"杭州"\t18109\t8.5\r\n', "several values print on one line")
T.has(type_line(p, "_"), '"杭州"', "_ holds the last printed value")
T.has(type_line(p, "{gdp = 18109, rank = 8}"), "{gdp = 18109, rank = 8}", "tables print readably")
T.has(type_line(p, "x = 41"), "", "a statement prints nothing")
T.has(type_line(p, "x + 1"), "42\r\n", "globals persist between lines")

-- Chunks over several lines: the continuation prompt, as lua does.
T.has(type_line(p, "function growth(a, b)", "  > "), "  > ", "an open function asks for more")
T.has(type_line(p, "  return (a / b - 1) * 100", "  > "), "  > ", "... and more")
type_line(p, "end")
T.has(type_line(p, "growth(74700, 68666)"), "8.78", "the multi-line function works")
type_line(p, "{", "  > ")
type_line(p, "  income_urban = 74700,", "  > ")
T.has(type_line(p, "}"), "{income_urban = 74700}", "a table constructor over lines prints")
type_line(p, "s = [[first", "  > ")
type_line(p, "second]]")
T.has(type_line(p, "s"), '"first\\nsecond"', "a long string over lines")

-- Errors: reported, and the session goes on.
local out = type_line(p, "error('no such indicator')")
T.has(out, "stdin:1: no such indicator", "an error is reported")
T.has(out, "stack traceback:", "with a traceback")
T.has(type_line(p, "x"), "41", "globals survive an error")
T.has(type_line(p, "x = = 1"), "unexpected symbol near '='", "a syntax error is reported")
T.has(type_line(p, "zb.sql('select 1 as a'):where('nosuch > 1')"), "stdin:1: where: no such column: nosuch (columns: a)",
      "a method's error typed as an expression (a tail call) names the line")

-- Dot-commands.
out = type_line(p, ".help")
T.has(out, ".timer on|off", ".help lists the commands")
T.has(out, ".read FILE", "... with their usage")
T.has(type_line(p, ".frobnicate"), "unknown command: .frobnicate", "an unknown command is reported")
T.has(type_line(p, ".timer on"), "", ".timer on")
T.has(type_line(p, "1"), "time: real ", "... times each command")
type_line(p, ".timer off")
T.has(type_line(p, ".mode nosuch"), "unknown mode: nosuch", "a bad argument is reported")
T.has(type_line(p, "1 + 1"), "2\r\n", "and the REPL goes on")

-- Completion.
out = type_line(p, "string.fo\t")
T.ok(out:find("string.format\r\n", 1, true) and out:find("function: 0x", 1, true),
     "Tab completes a table field (string.fo → string.format)", out)
p:send("zb.db:s\t")
p:expect("zb.db:sql", T.patience)
T.has(type_line(p, "('select 1 as v')"), "{{v = 1}}", "Tab completes a method after ':' (zb.db:s → zb.db:sql)")
p:send("zb.ver\t\r")
T.has(p:expect("zb> ", T.patience), '"' .. zb.version .. '"', "Tab completes zb's fields")
T.write(work .. "/hangzhou-2021-indicators.csv", "region,value\n杭州,18109\n")
p:send("io.open(\"hangzhou-20\t")
T.ok(p:expect("hangzhou-2021-indicators.csv\"", T.patience), "Tab completes a file name inside a string literal")
T.has(type_line(p, "):read('l')"), '"region,value"', "... and the completed name opens")
os.execute("mkdir -p " .. T.shell_quote(work .. "/sub"))
T.write(work .. "/sub/with.csv", "x\n1\n")
T.write(work .. "/my file.zb", "print('from my file')\n")
p:send("path = \"" .. work .. "/sub/wi\t")
T.ok(p:expect(work .. "/sub/with.csv\"", T.patience), "Tab completes an absolute path in a string")
type_line(p, "")
p:send(".read su\t")
T.ok(p:expect("sub/", T.patience), "Tab completes a directory after .read")
p:send("\3")
p:expect("zb> ", T.patience)
p:send(".read my\t")
T.ok(p:expect('"my file.zb"', T.patience), "a file name with a space is quoted")
T.has(type_line(p, ""), "from my file", "... and .read runs it")
type_line(p, "table.insert(zb.repl.completers, function(w, line, start, quote) return quote and {'hangzhou_gdp'} end)")
p:send("zb.sql('select * from hangz\t")
T.ok(p:expect("hangzhou_gdp", T.patience), "completion sources are asked inside a string literal first")
p:send("\3")
p:expect("zb> ", T.patience)
p:send(".ti\t")
T.ok(p:expect(".timer ", T.patience), "Tab completes a dot-command")
type_line(p, "off")

-- Ctrl-C.
-- Each check types a line right after Ctrl-C and waits for that line's own
-- output, so a prompt repainted by readline cannot be mistaken for the next.
local function after_ctrl_c(line, want)
  p:send("\3")
  p:send(line .. "\r")
  local seen = p:expect(want, T.patience)
  p:expect("zb> ", T.patience)
  return seen
end
p:send("abandoned line")
p:expect("abandoned line", T.patience)
T.ok(after_ctrl_c("1 + 2", "\r3\r\n"), "Ctrl-C at the prompt clears the line")
type_line(p, "for i = 1, 3 do", "  > ")
T.ok(after_ctrl_c("'fresh'", '"fresh"\r\n'), "Ctrl-C clears an unfinished chunk")
p:send("\3")
T.ok(after_ctrl_c("'still here'", '"still here"\r\n'), "Ctrl-C twice at the prompt does not exit")

zb.sql("select 1")
-- Type line, wait for its echo (echo) and then wait seconds, press Ctrl-C;
-- what the terminal shows up to the next prompt.
local function interrupt_after(line, echo, seconds)
  p:send(line .. "\r")
  p:expect(echo, T.patience)
  os.execute("sleep " .. seconds)
  p:send("\3")
  return p:expect("zb> ", T.patience)
end

type_line(p, "zb.sql('create table obs(v)'); zb.sql('insert into obs values (1), (2)')")
p:send("n = 0; while true do n = n + 1 end\r")
p:expect("end\r\n", T.patience)
os.execute("sleep 0.3")
p:send("\3")
out = p:expect("zb> ", T.patience)
T.has(out, "interrupted", "Ctrl-C stops a Lua loop and prints 'interrupted'")
T.has(type_line(p, "n > 0, x"), "true\t41", "globals are intact after the interrupt")
p:send("while true do pcall(function() while true do end end) end\r")
p:expect("end) end\r\n", T.patience)
os.execute("sleep 0.3")
p:send("\3")
os.execute("sleep 0.3")
p:send("\3")
T.has(p:expect("zb> ", T.patience), "interrupted", "a second Ctrl-C stops a loop that catches errors with pcall")
p:send("coroutine.wrap(function() while true do pcall(function() while true do end end) end end)()\r")
p:expect("end)()\r\n", T.patience)
os.execute("sleep 0.3")
p:send("\3")
os.execute("sleep 0.3")
p:send("\3")
T.has(p:expect("zb> ", T.patience), "interrupted", "... and one inside a coroutine")
T.has(interrupt_after("coroutine.wrap(function() while true do end end)()", "end)()\r\n", 0.3), "interrupted", "Ctrl-C stops a loop inside a coroutine")
T.has(interrupt_after("zb.sql('with recursive c(i) as (select 1 union all select i + 1 from c) select count(*) from c')", "from c')\r\n", 0.3), "interrupted", "Ctrl-C stops a long SQLite query")
T.has(type_line(p, "zb.sql('select sum(v) as s from obs')[1].s"), "3\r\n", "the database is intact after it")
type_line(p, "zb.metric('slow', function(x) return x + 1 end)")
T.has(interrupt_after("zb.db:sql('with recursive c(i) as (select 1 union all select slow(i) from c) select count(*) from c')", "from c')\r\n", 0.3), "interrupted", "Ctrl-C stops a query that calls a Lua metric")
T.has(type_line(p, "zb.sql('select slow(41)'):value()"), "42\r\n", "the metric works after it")

-- Ctrl-C during a long load leaves no table; during a long render, the prompt.
local big = work .. "/big.csv"
local bf = assert(io.open(big, "wb"))
bf:write("region,year,value\n")
local chunk = string.rep("杭州市,2021,18109.5\n", 1000)
for _ = 1, 3000 do bf:write(chunk) end
bf:close()
local tables_before = type_line(p, "#zb.tables()")
T.has(interrupt_after("zb.read_csv('" .. big .. "')", "csv')\r\n", 0.3), "interrupted", "Ctrl-C stops a long load")
T.eq(type_line(p, "#zb.tables()"), tables_before, "... and no table is left half-loaded")
type_line(p, ".maxrows 0")
T.has(interrupt_after("zb.sql('with recursive c(i) as (select 1 union all select i + 1 from c limit 3000000) select i, i * 2 as j from c')", "from c')\r\n", 0.5), "interrupted", "Ctrl-C stops a long render")
type_line(p, ".maxrows 4")
T.has(type_line(p, "1 + 1"), "2\r\n", "... and the prompt works")
T.write(work .. "/export.csv", "the good file\n")
type_line(p, "function go_export() return zb.sql('with recursive c(i) as (select 1 union all select i + 1 from c " ..
               "limit 20000000) select i, i * 2 as j from c'):to_csv('" .. work .. "/export.csv') end")
T.has(interrupt_after("go_export()", "go_export()\r\n", 0.5), "interrupted", "Ctrl-C stops a long export")
T.eq(T.read(work .. "/export.csv"), "the good file\n", "... and the file it would have replaced is as it was")
local listing = io.popen("ls " .. T.shell_quote(work) .. " | grep -c '[.]zb-'")
T.eq(listing:read("a"), "0\n", "... with no temporary file left")
listing:close()
local jf = assert(io.open(work .. "/big.json", "wb"))
jf:write("[")
local item = string.rep('{"region": "杭州市", "value": 18109.5},', 1000)
for _ = 1, 1500 do jf:write(item) end
jf:write('{"region": "end", "value": 0}]')
jf:close()
type_line(p, "function go_json() return zb.read_json('" .. work .. "/big.json') end")
tables_before = type_line(p, "#zb.tables()")
T.has(interrupt_after("go_json()", "go_json()\r\n", 0.3), "interrupted", "Ctrl-C stops a long JSON load")
T.eq(type_line(p, "#zb.tables()"), tables_before, "... and no table is left half-loaded")

-- Ctrl-C during .read stops the file, not the session.
T.write(work .. "/slow.zb", "print('reading')\nwhile true do end\nprint('never')\n")
p:send(".read slow.zb\r")
p:expect("reading", T.patience)
os.execute("sleep 0.3")
p:send("\3")
out = p:expect("zb> ", T.patience) or ""
T.has(out, "interrupted", "Ctrl-C stops a .read file")
T.hasnt(out, "never", "... before its later lines")
T.has(type_line(p, "x"), "41", "... and the session goes on")
T.has(type_line(p, ".5 + 1"), "1.5", "a line starting with a decimal point is Lua, not a command")

-- Ctrl-D on an empty line exits 0.
p:send("\4")
T.eq(p:wait(T.patience), 0, "Ctrl-D exits with status 0")
p:close()

-- History: complete chunks, no consecutive duplicates, recalled next session.
local hist = T.read(state .. "/zb/history") or ""
T.has(hist, "function growth(a, b)\n  return (a / b - 1) * 100\nend", "a multi-line chunk is one history entry")
T.hasnt(hist, "abandoned line", "an abandoned line is not kept")
p = start()
type_line(p, "'same'")
type_line(p, "'same'")
type_line(p, "'recall me'")
p:send("\4")
p:wait(T.patience)
p:close()
hist = T.read(state .. "/zb/history") or ""
local _, copies = hist:gsub("'same'", "")
T.eq(copies, 1, "consecutive duplicates are kept once")
p = start()
p:send("\27[A")  -- Up
T.has(type_line(p, ""), '"recall me"', "Up recalls the previous session's last chunk")
p:send(".quit\r")
T.eq(p:wait(T.patience), 0, ".quit exits with status 0")
p:close()

-- A history that cannot be kept is said once, not silently lost.
local saved = env.XDG_STATE_HOME
env.XDG_STATE_HOME = "/proc/zb-no-such-dir"
p, banner = start()
T.has(banner, "zb: history is not kept: cannot write /proc/zb-no-such-dir/zb/history",
      "a history that cannot be written is reported")
T.has(type_line(p, "1 + 1"), "2\r\n", "... and the REPL works without it")
p:send("\4")
p:wait(T.patience)
p:close()
env.XDG_STATE_HOME = saved

-- ~/.inputrc applies (readline's own configuration).
T.write(home .. "/.inputrc", '$if zb\n"\\C-t": "21 * 2"\n$endif\n')
p = start()
p:send("\20")
T.has(type_line(p, ""), "42\r\n", "a key binding from ~/.inputrc works ($if zb)")
p:send("\4")
p:wait(T.patience)
p:close()

-- --bail is for piped input: on a terminal, an error does not end the session.
p = start({"--bail"})
type_line(p, "error('typed')")
T.has(type_line(p, "'still running'"), '"still running"', "--bail does not end a terminal session")
p:send("\4")
T.eq(p:wait(T.patience), 0, "... which exits 0")
p:close()

-- Chinese is edited a character at a time, also where no locale is set up.
for _, locale in ipairs{"C.UTF-8", "C"} do
  env.LANG, env.LC_ALL, env.LC_CTYPE = locale, "", ""
  p = start()
  p:send("city = '杭州市'\127\127'\r")  -- Backspace twice: 市 and the quote
  p:expect("zb> ", T.patience)
  T.has(type_line(p, "city, #city"), '"杭州"\t6', "Backspace deletes a whole Chinese character (LANG=" .. locale .. ")")
  p:send("\4")
  p:wait(T.patience)
  p:close()
end
env.LANG, env.LC_ALL, env.LC_CTYPE = nil, nil, nil

-- Tables on the terminal (80 columns, 24 lines): fitted, long ones cut short.
p = start()
type_line(p, 'hz = zb.dataset("hangzhou-2021", {name = "hz"})')
out = type_line(p, "hz")
local widest, box_lines = 0, 0
for line in out:gmatch("([^\r\n]*)\r\n") do
  if line:find("│") then box_lines = box_lines + 1 end
  widest = math.max(widest, zb.width(line))
end
T.ok(widest <= 80, "a wide table is cut to the terminal's 80 columns", widest)
T.has(out, "…", "... its long cells marked with …")
T.has(out, "36 rows (16 shown", "a long table shows what fits the screen, and the count")
T.has(type_line(p, "hz:where{indicator = 'gdp'}:select('indicator', 'value', 'unit')"), "│ gdp       │ 18109 │ 亿元 │",
      "a small table prints whole")
type_line(p, ".human on")
T.has(type_line(p, "hz:where{indicator = 'gdp'}:select('indicator', 'value', 'unit')"), "│ gdp       │ 1.81万亿元 │ 亿元 │",
      ".human on shows values in their unit as people read them")
type_line(p, ".human off")
-- Formats and the precision of reals, on the terminal.
type_line(p, "g = zb.sql('select 18109.42 as gdp, 12.196526195123 as x, 0.12345 as share')")
T.has(type_line(p, "g"), "│ 18109.42 │ 12.196526 │ 0.12345 │", "reals show at most 6 decimals")
T.has(type_line(p, "g:format{gdp = {thousands = true, decimals = 1}, share = {scale = 0.01, percent = 1}}"),
      "│ 18,109.4 │ 12.196526 │ 12.3% │", "a formatted table prints as its formats say")
T.has(type_line(p, ".precision"), "6\r\n", ".precision shows the precision")
type_line(p, ".precision 3")
T.has(type_line(p, "g"), "│ 18109.42 │ 12.197 │ 0.123 │", ".precision 3 shows 3 decimals")
T.has(type_line(p, "g:select('x'):value()"), "12.196526195123", "a value stays exact")
type_line(p, ".precision 6")
type_line(p, ".maxrows 4")
T.has(type_line(p, "hz"), "36 rows (4 shown", ".maxrows sets the rows shown")
type_line(p, ".once " .. work .. "/once.txt")
T.hasnt(type_line(p, "hz:select('indicator')"), "retail_sales", ".once sends the next result to the file ...")
T.has(type_line(p, "hz:limit(1):select('kind')"), "actual", "... and only the next")
local once = T.read(work .. "/once.txt")
T.has(once, "retail_sales", "the file holds the result ...")
T.hasnt(once, "shown", "... every row of it, not the screenful")
type_line(p, ".mode csv")
type_line(p, ".output " .. work .. "/all.csv")
type_line(p, "hz:where{indicator = 'gdp'}:select('indicator', 'value')")
type_line(p, "hz:agg{n = 'count(*)'}")
type_line(p, ".output")
T.eq(T.read(work .. "/all.csv"), "indicator,value\ngdp,18109.0\nn\n36\n", ".output sends every result to the file, in the mode")
T.has(type_line(p, "hz:agg{n = 'count(*)'}"), "n\r\n36", "... until .output with no file")
p:send("hz:where{sec\t")
T.has(p:expect("section", T.patience) or "", "section", "Tab completes a table's columns in where{...}")
p:send("\3")
p:expect("zb> ", T.patience)
type_line(p, "zb.sql('create table hz_tables_here (x)')")
p:send("zb.table('hz_\t")
T.has(p:expect("hz_tables_here", T.patience) or "", "hz_tables_here", "Tab completes a table's name in zb.table('...")
p:send("\3")
p:expect("zb> ", T.patience)
p:send("\4")
p:wait(T.patience)
p:close()

-- -i: the REPL after a script, with what the script defined.
T.write(work .. "/setup.lua", "indicator = 'gdp'\n")
p = start({"-i", "setup.lua"})
T.has(type_line(p, "indicator"), '"gdp"', "-i enters the REPL after the script")
p:send("\4")
p:wait(T.patience)
p:close()
T.cleanup()
T.done()
