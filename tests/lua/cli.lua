-- The command line: options, scripts, arg, exit codes, errors, modules, -d.
local T = require("check")
local pty = require("pty")

local dir = T.tmpdir()
local function file(name, bytes) return T.file(dir, name, bytes) end
local q = T.shell_quote

-- Versions, help and usage errors.
local r = T.run("--version")
T.eq(r.code, 0, "--version exits 0")
T.has(r.out, "zb " .. zb.version, "--version names zb's version")
T.has(r.out, "Lua 5.4", "... Lua's")
T.has(r.out, "SQLite 3.", "... and SQLite's")
r = T.run("--help")
T.eq(r.code, 0, "--help exits 0")
T.has(r.out, "usage: zb [options] [script [args]]", "--help starts with the usage line")
r = T.run("-x")
T.eq(r.code, 2, "an unknown option exits 2")
T.has(r.err, "zb: unrecognized option '-x'", "... naming the option")
T.has(r.err, "usage: zb [options] [script [args]]", "... with the usage line")
r = T.run("-e")
T.eq(r.code, 2, "an option without its argument exits 2")
T.has(r.err, "missing argument to '-e'", "... and says which")

-- -e and -l, in order.
r = T.run("-e 'x = 1' -e 'x = x * 10' -e 'print(x)'")
T.eq(r.out, "10\n", "-e chunks run in order")
file("greet.lua", "return {hello = function(n) return '你好, ' .. n end}")
r = T.run("-l greet -e 'print(greet.hello(\"杭州\"))'", {cwd = dir})
T.eq(r.out, "你好, 杭州\n", "-l MOD requires into the global MOD")
r = T.run("-l g=greet -e 'print(g.hello(\"x\"))'", {cwd = dir})
T.eq(r.out, "你好, x\n", "-l NAME=MOD requires into NAME")
r = T.run("-l nosuchmodule")
T.eq(r.code, 1, "a missing module exits 1")
T.has(r.err, "module 'nosuchmodule' not found", "... and says so")
r = T.run("-e 'error(\"bad\")'")
T.eq(r.code, 1, "an error in -e exits 1")
T.has(r.err, "zb: (command line):1: bad", "... named as the command line")

-- Scripts: arg, ..., errors and exit codes.
local args_script = file("args.lua", [[
print(arg[0], arg[1], arg[2], #arg, select("#", ...), ...)
print(arg[-1], arg[-2])
]])
r = T.run("-n " .. q(args_script) .. " a 'b c'")
T.eq(r.code, 0, "a script exits 0")
local last_word = T.zb_argv[#T.zb_argv]
T.eq(r.out, args_script .. "\ta\tb c\t2\t2\ta\tb c\n-n\t" .. last_word .. "\n",
     "arg: script at 0, arguments from 1, options negative; ... holds the arguments")

local failing = file("fail.lua", "local x = 1\nlocal function f() error('no data for 2021') end\nf()\n")
r = T.run(q(failing))
T.eq(r.code, 1, "a runtime error exits 1")
T.has(r.err, "zb: " .. failing .. ":2: no data for 2021", "... printed as zb: FILE:LINE: message")
T.has(r.err, "stack traceback:", "... with a stack traceback")
T.has(r.err, "in local 'f'", "... that names the functions")
r = T.run(q(file("syntax.lua", "x = = 1")))
T.eq(r.code, 1, "a syntax error exits 1")
T.has(r.err, "syntax.lua:1: unexpected symbol near '='", "... with file and line")
r = T.run(q(dir .. "/missing.lua"))
T.eq(r.code, 1, "a missing script exits 1")
T.has(r.err, "cannot open " .. dir .. "/missing.lua", "... and says it cannot open it")

r = T.run("- x y", {stdin = "print('stdin', ...)"})
T.eq(r.out, "stdin\tx\ty\n", "zb - runs a script from standard input")

for _, case in ipairs{{"os.exit(3)", 3}, {"os.exit(true)", 0}, {"os.exit(false)", 1}, {"os.exit()", 0}} do
  r = T.run("-e " .. q("io.write('out'); " .. case[1]))
  T.eq(r.code, case[2], case[1] .. " exits " .. case[2])
end
T.eq(r.out, "out", "os.exit flushes what was written")

-- A shebang line; the script runs directly from PATH.
local shebang = file("report", "#!/usr/bin/env zb\nprint('rows', #zb.sql('select 1 union select 2'))\n")
os.execute("chmod +x " .. q(shebang))
r = T.run(q(shebang))
T.eq(r.out, "rows\t2\n", "a #! line is skipped")
local zb_dir = last_word:match("^(.*)/[^/]*$") or "."
local _, _, code = os.execute("PATH=" .. q(zb_dir) .. ":$PATH " .. q(shebang) .. " > " .. q(dir .. "/shebang.out"))
T.eq(code, 0, "an executable script with #!/usr/bin/env zb runs")
T.eq(T.read(dir .. "/shebang.out"), "rows\t2\n", "... and prints")

-- The session database in a file (-d): written data survives every way out.
local db = dir .. "/session.db"
local function count_rows()
  local check = T.run("-d " .. q(db) .. " -e " .. q([[
    io.write(zb.sql("pragma integrity_check")[1].integrity_check, " ",
             zb.sql("select count(*) as n from obs")[1].n)]]))
  return check.out
end
r = T.run("-d " .. q(db) .. " -e " .. q([[
  zb.sql("create table obs(region text, year int, value real)")
  zb.sql("insert into obs values ('杭州', 2021, 18109)")]]))
T.eq(r.code, 0, "-d FILE creates the database")
T.eq(count_rows(), "ok 1", "written data is on disk after a normal exit")
r = T.run("-d " .. q(db) .. " -e " .. q([[
  zb.sql("insert into obs values ('宁波', 2021, 14595)")
  error("stop")]]))
T.eq(r.code, 1, "an error exit")
T.eq(count_rows(), "ok 2", "written data is on disk after an error exit")
r = T.run("-d " .. q(db) .. " -e " .. q([[
  zb.sql("insert into obs values ('温州', 2021, 7585)")
  os.exit(4)]]))
T.eq(r.code, 4, "os.exit(4)")
T.eq(count_rows(), "ok 3", "written data is on disk after os.exit")
r = T.run("-d " .. q(db) .. " -e " .. q([[
  local rows = zb.db:sql("select * from obs")
  local co = coroutine.wrap(function() zb.sql("select 1") coroutine.yield() end)
  co()
  os.exit(0)]]))
T.eq(r.code, 0, "exit with a coroutine suspended")
local looping = file("loop.lua", [[
zb.sql("insert into obs values ('嘉兴', 2021, 6355)")
print("written")
io.stdout:flush()
while true do end
]])
local p = pty.spawn(T.zb_with("-d", db, looping))
T.ok(p:expect("written", T.patience), "a script writes, then loops")
p:send("\3")
T.eq(p:wait(T.patience), 130, "Ctrl-C stops a script with status 130")
p:close()
T.eq(count_rows(), "ok 4", "written data is on disk after Ctrl-C")
T.ok(T.read(db .. "-wal") == nil, "a clean close leaves no WAL file behind")
T.write(dir .. "/notdb.db", "this is not a database, just text that is long enough to be read as a header\n")
r = T.run("-d " .. q(dir .. "/notdb.db") .. " -e ''")
T.eq(r.code, 1, "-d on a file that is not a database exits 1")
T.has(r.err, "cannot open database '" .. dir .. "/notdb.db': file is not a database", "... and says why")

-- require: ./, then $ZB_PATH, then the config directory, then zb's own lua/.
local a, b, cfg = dir .. "/a", dir .. "/b", dir .. "/config"
os.execute("mkdir -p " .. q(a) .. " " .. q(b) .. " " .. q(cfg .. "/zb/lua") .. " " .. q(dir .. "/cwd"))
T.write(a .. "/where.lua", "return 'a'")
T.write(b .. "/where.lua", "return 'b'")
T.write(b .. "/only_b.lua", "return 'b'")
T.write(cfg .. "/zb/lua/where.lua", "return 'config'")
T.write(cfg .. "/zb/lua/only_config.lua", "return 'config'")
T.write(dir .. "/cwd/where.lua", "return 'cwd'")
local env = "XDG_CONFIG_HOME=" .. q(cfg) .. " ZB_PATH=" .. q(a .. ":" .. b) .. " "
local probe = "-e " .. q("print(require('where'), require('only_b'), require('only_config'), type(require('zb.present.pretty')))")
r = T.run(probe, {env = env})
T.eq(r.out, "a\tb\tconfig\tfunction\n", "ZB_PATH in order, then the config directory, then zb's lua/")
r = T.run(probe, {env = env, cwd = dir .. "/cwd"})
T.has(r.out, "cwd\t", "the current directory comes first")
local long_dirs = {}
for i = 1, 60 do long_dirs[i] = dir .. "/no-such-module-directory-" .. i end
r = T.run("-e " .. q("print((require('where')))"),
          {env = "ZB_PATH=" .. q(table.concat(long_dirs, ":") .. ":" .. a) .. " XDG_CONFIG_HOME=" .. q(cfg .. ("/x"):rep(300)) .. " "})
T.eq(r.out, "a\n", "a long ZB_PATH and config path build a sound search path")
r = T.run("-e " .. q("print((require('pty')).spawn ~= nil)"))
T.eq(r.out, "true\n", "C modules are found through ZB_PATH too")
r = T.run("-e " .. q("print(zb.paths.home ~= nil, zb.paths.datasets:sub(-8))"))
T.eq(r.out, "true\tdatasets\n", "zb.paths names zb's home and its datasets")
os.execute("mkdir -p " .. q(dir .. "/cwd/zb"))
T.write(dir .. "/cwd/zb/pretty.lua", "error('a stand-in for zb.pretty ran')")
T.write(dir .. "/cwd/zb/extra.lua", "return 'an extension'")
r = T.run("-e " .. q("print(zb.pretty({1}), zb.extra)"), {cwd = dir .. "/cwd"})
T.eq(r.out, "{1}\tan extension\n", "zb's own modules cannot be replaced from ./zb/; new zb.NAME modules can be added")
r = T.run("-e " .. q("print(zb.nosuchthing)"))
T.eq(r.out, "nil\n", "an unknown zb field is nil, not an error")

-- The init file: before the REPL (and with -i), skipped with -n, errors not fatal.
T.write(cfg .. "/zb/init.lua", "greeting = 'from init'\n")
local cfg_env = "XDG_CONFIG_HOME=" .. q(cfg) .. " "
r = T.run("", {env = cfg_env, stdin = "print(greeting)\n"})
T.eq(r.out, "from init\n", "the init file runs before the REPL")
r = T.run("-n", {env = cfg_env, stdin = "print(greeting)\n"})
T.eq(r.out, "nil\n", "-n skips it")
r = T.run("-i " .. q(args_script), {env = cfg_env, stdin = "print(greeting)\n"})
T.has(r.out, "from init\n", "-i runs it too, and enters the REPL after the script")
r = T.run("-e 'print(greeting)'", {env = cfg_env})
T.eq(r.out, "nil\n", "a script without -i does not run it")
T.write(cfg .. "/zb/init.lua", "greeting = 'partial'\nerror('init broke')\n")
r = T.run("", {env = cfg_env, stdin = "print(greeting)\n"})
T.has(r.err, "init.lua:2: init broke", "an error in the init file is reported")
T.eq(r.out, "partial\n", "... and the REPL still starts")

-- What make run opens: the REPL with the Hangzhou data as hz, and a hint.
r = T.run("-i lua/examples/hz.lua", {stdin = "zb.sql('select count(*) as n from hz')[1].n\n"})
T.has(r.out, "hz: Hangzhou 2021, 36 figures. Try: ", "make run's script prints a hint")
T.has(r.out, "\n36\n", "... and hz holds the dataset in the REPL")
T.has(T.read("Makefile"), "./zb -i lua/examples/hz.lua", "make run runs it")

-- Piped input: the REPL without a terminal.
r = T.run("", {stdin = "x = 1\nprint(x)\nx + 41\n"})
T.eq(r.out, "1\n42\n", "piped lines run as in the REPL, with no prompt")
T.eq(r.code, 0, "... and exit 0")
r = T.run("", {stdin = "print('a')\nerror('bad line')\nprint('b')\n"})
T.eq(r.out, "a\nb\n", "a failing chunk does not stop the rest")
T.has(r.err, "zb: stdin:2: bad line", "its error goes to stderr with its line")
T.eq(r.code, 1, "exit 1 if any chunk failed")
r = T.run("--bail", {stdin = "print('a')\nerror('bad line')\nprint('b')\n"})
T.eq(r.out, "a\n", "--bail stops at the first failure")
T.eq(r.code, 1, "... with status 1")
r = T.run("", {stdin = "t = {\n  1,\n  2,\n}\nprint(#t)\n\n.nosuch\nprint('after')\n"})
T.eq(r.out, "2\nafter\n", "multi-line chunks and unknown commands in piped input")
T.has(r.err, "unknown command: .nosuch", "an unknown dot-command is reported")
r = T.run("", {stdin = "for i = 1, 3 do\nprint(i)\n"})
T.has(r.err, "stdin:2: 'end' expected (to close 'for' at line 1) near <eof>",
      "input that ends inside a chunk is an error, as Lua says it")
T.eq(r.code, 1, "... exit 1")
-- far down, the line where what is unclosed opens (as lua5.4 - says it)
r = T.run("", {stdin = string.rep("x = 1\n", 40) .. "function f()\n  local y = 2\n  return y\n"})
T.has(r.err, "stdin:43: 'end' expected (to close 'function' at line 41) near <eof>",
      "... naming the line the unclosed function opens on")
r = T.run("", {stdin = "x = 1\ns = [[\nabc\n"})
T.has(r.err, "stdin:3: unfinished long string (starting at line 2) near <eof>", "... and a long string's")
-- Standard output on a full disk (`zb script > file`): what was buffered
-- is lost at exit, so the exit status says so (it was 0)
local function to_full(args)
  local err = T.tmpdir() .. "/err"
  local _, _, code = os.execute(string.format("%s -n %s >/dev/full 2>%s", T.zb, args, err))
  return code, T.read(err)
end
for _, chunk in ipairs{"print(zb.sql('select 1 as a'))", "io.write('a')", "print('a')", "print('a') os.exit(0)"} do
  local code, err = to_full("-e " .. T.shell_quote(chunk))
  T.eq(code, 1, chunk .. " to a full disk: exit 1", err)
  T.has(err, "zb: cannot write standard output", "... saying so")
end
T.eq((to_full("-e " .. T.shell_quote("print('a') os.exit(3)"))), 3, "... a status the script gave is kept")
T.eq((to_full("-e " .. T.shell_quote("local x = 1"))), 0, "nothing written: nothing failed")
-- Far down a long input every line keeps its number (the compiled chunk's
-- lines moved, not padded: reading stays linear), in messages, tracebacks
-- and debug.getinfo, for a chunk's own lines and a function defined earlier
local long = {}
for i = 1, 4999 do long[i] = "x = " .. i end
long[2000] = "function far()"
long[2001] = "  error('in far')"
long[2002] = "end"
long[3000] = "print(debug.getinfo(1, 'l').currentline, debug.getinfo(1, 'S').what, debug.getinfo(far, 'S').linedefined)"
long[4000] = "t = {"
long[4001] = "  1,"
long[4002] = "  2 +"
long[4003] = "}"
long[4998] = "local k = require('zb.core').chunk_texts('@stdin') print(#k, k[1][1], k[1][2], k[#k][2])"
long[4999] = "far()"
local input = table.concat(long, "\n") .. "\n"
r = T.run("", {stdin = input})
T.eq(r.out, "3000\tmain\t2000\n256\tx = 4743\t4743\t4998\n",
     "line 3000 of the input is line 3000 to debug.getinfo, a chunk still main; the last 256 chunks kept, oldest first")
T.has(r.err, "zb: stdin:4003: unexpected symbol near '}'", "a syntax error far down names its line")
T.has(r.err, "zb: stdin:2001: in far\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:2001: in function 'far'\n" ..
      "\tstdin:4999: in main chunk", "an error far down names its lines, in the message and the traceback")
-- Statements (compiled once: "return" cannot make them expressions) and
-- expressions, over several lines too
r = T.run("", {stdin = "x = {\n 3,\n}\nprint(#x)\nfor i = 1, 2\ndo io.write(i) end\nprint()\nlocal y = 5\ny\n" ..
                       "a, b = 1, 2\na + b\nx . k = 4\nx.k == 4\nx[1]\n"})
T.eq(r.out, "1\n12\nnil\n3\ntrue\n3\n", "statements and expressions read a chunk at a time, some over lines")
local long_file = T.file(T.tmpdir(), "long.lua", input)
r = T.run("", {stdin = ".read " .. long_file .. "\n"})
T.has(r.err, long_file .. ":2001: in far", ".read: the same lines of its file")
T.has(r.err, long_file .. ":4003: unexpected symbol", "... a syntax error too")
r = T.run("", {stdin = "print(1)\n.quit\nprint(2)\n"})
T.eq(r.out, "1\n", ".quit stops reading")
r = T.run("", {stdin = ".exit 7\n"})
T.eq(r.code, 7, ".exit 7 exits with 7")
r = T.run("", {stdin = "error('x')\n.quit\n"})
T.eq(r.code, 1, ".quit after a failed chunk still exits 1, as sqlite3 does")
r = T.run("", {stdin = "error('x')\n.exit 0\n"})
T.eq(r.code, 0, ".exit 0 says so explicitly")
r = T.run("", {stdin = ".timer maybe\n.nosuch\n"})
T.has(r.err, "usage: .timer on|off", "a dot-command's bad argument is reported")
T.hasnt(r.err, "stack traceback", "... as a message, without a traceback")
r = T.run("-v -e 'print(2)'")
T.eq(r.out:match("\n2\n$"), "\n2\n", "-v prints the versions and goes on, as lua does")

-- .read FILE: lines run as typed; errors name the file and its line.
local inc = file("steps.zb", "y = 2\n\n-- a comment line\nerror('in steps')\nprint(y * 21)\n")
r = T.run("", {stdin = ".read " .. inc .. "\nprint('back')\n"})
T.eq(r.out, "42\nback\n", ".read runs a file's lines, then goes on")
T.has(r.err, "zb: " .. inc .. ":4: in steps", "errors in it name the file and line")
r = T.run("", {stdin = ".read " .. dir .. "\n"})
T.has(r.err, "cannot read " .. dir .. ": Is a directory", ".read of a directory says so")
T.eq(r.code, 1, "... and fails")
r = T.run("", {stdin = ".read " .. shebang .. "\n"})
T.eq(r.out, "rows\t2\n", ".read skips a #! first line, as scripts do")
os.execute("mkdir -p " .. q(dir .. "/home"))
T.write(dir .. "/home/mine.zb", "print('from home')\n")
r = T.run("", {stdin = ".read ~/mine.zb\n", env = "HOME=" .. q(dir .. "/home") .. " "})
T.eq(r.out, "from home\n", ".read ~/FILE reads from the home directory")
T.write(dir .. "/binary.zb", "\27Lua binary")
r = T.run("", {stdin = ".read " .. dir .. "/binary.zb\n"})
T.has(r.err, dir .. "/binary.zb:1: attempt to load a binary chunk", "a binary chunk is refused, naming the file")
r = T.run("", {stdin = ".\n"})
T.has(r.err, "unknown command: . (.help lists the commands)", "a lone '.' is an unknown command")
r = T.run("", {stdin = ".read " .. dir .. "/nope.zb\n"})
T.has(r.err, ".read: cannot open " .. dir .. "/nope.zb", ".read of a missing file says so")
local selfread = file("self.zb", ".read " .. dir .. "/self.zb\n")
r = T.run("", {stdin = ".read " .. selfread .. "\n"})
T.has(r.err, "nested more than 16 deep", "a .read loop is stopped")
r = T.run("", {stdin = ".timer on\nx = 1\n"})
T.has(r.out, "time: real ", ".timer on reports each command's time")

-- Timeouts stop runaway Lua and SQL alike, and pcall cannot catch them.
local q = T.shell_quote
r = T.run("--timeout 0.3 -e " .. q("while true do end"))
T.eq(r.code, 124, "--timeout stops a runaway loop: exit status 124")
T.has(r.err, "zb: timed out", "... saying so")
r = T.run("-e " .. q("zb.timeout(0.3) while true do pcall(function() while true do end end) end"))
T.eq(r.code, 124, "zb.timeout from inside; pcall cannot swallow the stop")
r = T.run("-e " .. q([[zb.timeout(0.3)
print(pcall(function() return zb.sql("with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"):value() end))
print("went on")]]))
T.eq(r.code, 124, "a runaway query is stopped")
T.hasnt(r.out, "went on", "... and the script does not go on past it")
r = T.run("-e " .. q([[zb.metric("spin", function() while true do end end)
zb.timeout(0.3)
zb.sql("select spin()"):value()]]))
T.eq(r.code, 124, "a runaway metric inside a query is stopped")
-- Ways a script could hold on past the stop (from a review): the stop
-- reaches a coroutine's pcall; what no hook reaches (an error handler, a
-- finalizer, a long call into C) ends zb a moment after.
for _, case in ipairs{
  {"a coroutine's pcall", "coroutine.wrap(function() while true do pcall(function() while true do end end) end end)()", true},
  {"a query in a coroutine's pcall", [[coroutine.wrap(function() while true do pcall(function() return zb.sql("with recursive c(i) as (select 1 union all select i + 1 from c) select count(*) from c"):value() end) end end)()]], true},
  {"a coroutine's pcall of another coroutine", "coroutine.wrap(function() while true do pcall(coroutine.wrap(function() while true do end end)) end end)()", true},
  {"an error handler", "xpcall(function() while true do end end, function() while true do end end)"},
  {"a finalizer", "setmetatable({}, {__gc = function() while true do end end}) collectgarbage()"},
  {"a long call into C", [[local s = ("a"):rep(3000) s:find(".-.-.-.-x")]]},
} do
  r = T.run("--timeout 0.3 -e " .. q(case[2]))
  T.eq(r.code, 124, "a runaway script is stopped in " .. case[1])
  T.has(r.err, "zb: timed out", "... saying so")
  if case[3] then T.hasnt(r.err, "could not be stopped", "... by the stop itself") end
end
r = T.run("--timeout " .. (os.getenv("ZB_SLOW") and "5" or "0.3"), {stdin = "while true do end\nprint('after')\n"})
T.has(r.err, "timed out", "in the REPL, --timeout stops the line ...")
T.has(r.out, "after", "... and the session goes on with the next")
r = T.run("-e " .. q("zb.timeout(5) local left = zb.timeout() print(left > 4 and left <= 5, zb.timeout())"))
T.eq(r.out, "true\t0.0\n", "zb.timeout() lifts the stop and returns the seconds that were left")
r = T.run("-e " .. q("zb.timeout(0.2)") .. " -e " .. q("local t = os.clock() while os.clock() - t < 0.4 do end print('next chunk')"))
T.has(r.out, "next chunk", "a stop armed in one chunk ends with it")
T.eq(T.run("--timeout soon").code, 2, "--timeout needs a number of seconds")

-- One Ctrl-C is one stop, wherever it lands: in a metric inside a coroutine
-- that pcall wraps, pcall gets it and the script goes on (as without the coroutine).
local co_script = T.tmpdir() .. "/co.lua"
T.write(co_script, [[
zb.metric("spin", function() while true do end end)
local co = coroutine.wrap(function() return zb.sql("select spin()"):value() end)
print(pcall(co))
print("after")
]])
local pipe = io.popen(string.format("(%s %s & pid=$!; sleep %s; kill -INT $pid; wait $pid; echo \"exit $?\") 2>&1",
                                    T.zb, q(co_script), os.getenv("ZB_SLOW") and "4" or "0.5"))
local said = pipe:read("a")
pipe:close()
T.has(said, "false\tinterrupted\nafter\nexit 0", "a Ctrl-C caught by pcall around a coroutine does not strike again after it")
-- Piped input, a Ctrl-C while zb waits for its next line: no line after it
-- runs (the read goes on when the signal has come: the line it brings is
-- not run), said, exit status 130
local fifo = T.tmpdir() .. "/in"
pipe = io.popen(string.format("mkfifo %s && { %s -n < %s & pid=$!; exec 3> %s; printf 'print(1)\\n' >&3; sleep %s; " ..
                              "kill -INT $pid; sleep 0.5; printf 'print(2)\\n' >&3; exec 3>&-; wait $pid; " ..
                              "echo \"exit $?\"; } 2>&1", q(fifo), T.zb, q(fifo), q(fifo),
                              os.getenv("ZB_SLOW") and "4" or "1"))
said = pipe:read("a")
pipe:close()
T.eq(said, "1\nzb: interrupted\nexit 130\n", "a Ctrl-C while piped input waits: no later line runs, exit 130")
-- Chunks of piped input end where the REPL's do, though a chunk is
-- compiled only once its brackets and blocks close: keywords and brackets
-- inside strings, comments and long strings do not count
local tricky = table.concat({
  "t = {", "  'end )', -- } end", "  [[ { ]],", "}", "#t",
  "function f(x)", "  if x then", "    return [==[a", "]]", "b]==]", "  end", "end", "f(1)",
  "s = \"do [[\" .. 'x'", "s",
  "--[[ a comment with function and {", "]] y = 7", "y"}, "\n") .. "\n"
r = T.run("-n", {stdin = tricky})
T.eq(r.out, '2\n"a\\n]]\\nb"\n"do [[x"\n7\n', "chunk ends found past keywords in strings, comments and long strings",
     r.err)
-- a chunk of 20,000 lines (a table constructor) runs: compiled when it closes, not at each line
local long = {"big = {"}
for i = 1, 20000 do long[#long + 1] = "  " .. i .. "," end
long[#long + 1] = "}"
long[#long + 1] = "#big"
r = T.run("-n", {stdin = table.concat(long, "\n") .. "\n"})
T.eq(r.out, "20000\n", "a 20,000-line chunk", r.err)
T.done()
