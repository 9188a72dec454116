-- SQL errors are values (zb.Error): message, sql, code and the user's
-- line as fields, tostring the text a string error had, string methods on
-- that text; no layer reads them back out of a string.
local T = require("check")

zb.sql("create table s(region text, year integer, value real)")
zb.sql("insert into s values ('A', 2020, 100), ('A', 2021, 110)")
local s = zb.table("s")

local ok, e = pcall(zb.db.sql, zb.db, "select nope from s")
T.ok(not ok and getmetatable(e).__name == "zb.Error", "zb.db:sql raises a zb.Error")
T.eq(e.message, "no such column: nope", "its message is SQLite's")
T.eq(e.sql, "select nope from s", "its sql is the statement's")
T.eq(e.code, 1, "its code is SQLite's (SQLITE_ERROR)")
T.eq(tostring(e), "no such column: nope (in SQL: select nope from s)", "tostring: the text a string error had")
T.ok(e:find("no such column", 1, true) == 1, "string methods work on its text")
T.eq(("error: " .. e):sub(1, 12), "error: no su", "and concatenation")
T.ok(require("zb.host.errors").is_error(e), "zb.errors.is_error tells one")

-- At the user's line, with the SQL the user's table stands for.
local line
ok, e = pcall(function()
  line = debug.getinfo(1, "l").currentline + 1
  local n = s:where("year > ?", 0):mutate{r = "abs(year - year - 9223372036854775807 - 1)"}:col("r")
  return n
end)
T.eq(e.where, "tests/lua/errors.lua:" .. line, "a table's error is at the user's line")
T.eq(e.message, "integer overflow", "... SQLite's message")
T.ok(e.sql and e.sql:find("year > ?", 1, true) and not e.sql:find("SELECT \"r\" AS", 1, true),
     "... naming the table's SQL, not the query reading its column", e.sql)

ok, e = pcall(zb.sql, "select * from nowhere")
T.eq(tostring(e):match("^[^:]*"), "tests/lua/errors.lua", "zb.sql's error is at the caller's line")
T.eq(e.message, "no such table: nowhere", "... its message")

-- A refusal raised from SQL (a method's) carries no SQL: its message says it all.
zb.sql("create table r(year integer, value real)")
zb.sql("insert into r values (2020, 1), (2021, 2), (2021, 3)")
ok, e = pcall(function() for _ in zb.table("r"):yoy{value = "value", time = "year"}:rows() do end end)
T.ok(e.sql == nil and e.message:find("^yoy: more than one row"), "a method's refusal: message only", tostring(e))

-- save's errors name the method, as a value too.
ok, e = pcall(function() return s:mutate{bad = "value / 0"}:where("nope > 1"):save("x") end)
T.ok(not ok, "a bad table cannot be saved")
-- A problem of a data file is one too: its file, line and column.
local dir = T.tmpdir()
T.write(dir .. "/bad.csv", "a,b\n1,2\n\n3,\"x\"y\n")
ok, e = pcall(zb.read_csv, dir .. "/bad.csv")
T.ok(require("zb.host.errors").is_error(e) and e.file == dir .. "/bad.csv" and e.line == 4 and e.column == 6,
     "a CSV problem: file, line (past a blank one) and column", tostring(e))
T.eq(tostring(e):sub(1, #dir + 14), dir .. "/bad.csv:4:6: ", "tostring: FILE:LINE:COLUMN first")
-- Uncaught, it is reported as a string error is: its text, a traceback, status 1.
local r = T.run("-n -e " .. T.shell_quote('zb.db:sql("select nope")'))
T.eq(r.code, 1, "an uncaught zb.Error ends a script with status 1")
T.ok(r.err:find("^zb: %(command line%):1: no such column: nope %(in SQL: select nope%)\nstack traceback:") ~= nil,
     "... printing its text and a traceback", r.err)
r = T.run("-n", {stdin = 'zb.db:sql("select nope")\nprint("next")\n'})
T.ok(r.err:find("zb: stdin:1: no such column: nope (in SQL: select nope)", 1, true) and r.out == "next\n",
     "... and a line of standard input goes on to the next", r.err .. r.out)
T.cleanup()
T.done()
