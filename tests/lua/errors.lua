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

-- An SQL mistake a method finds when it is called is a zb.Error too: the
-- method's message, the SQL it made, the user's line; its text is the one
-- a string error had (the SQL is a field, not in the text).
local is_error = require("zb.host.errors").is_error
for _, case in ipairs({{"where", "year >>> 1", 'where: near ">": syntax error', "year >>> 1"},
                       {"select", "nosuch(1)", "select: no such function: nosuch", "nosuch(1)"}}) do
  ok, e = pcall(function()
    line = debug.getinfo(1, "l").currentline + 1
    local made = s[case[1]](s, case[2])
    return made
  end)
  T.ok(is_error(e), case[1] .. "'s SQL found wrong at call time: a zb.Error", tostring(e))
  T.eq(is_error(e) and e.message, case[3], "... its message names the method")
  T.ok(is_error(e) and e.sql and e.sql:find(case[4], 1, true) ~= nil, "... its sql is the SQL that failed",
       is_error(e) and e.sql)
  T.eq(is_error(e) and e.where, "tests/lua/errors.lua:" .. line, "... where: the user's line")
  T.eq(tostring(e), "tests/lua/errors.lua:" .. line .. ": " .. case[3], "... tostring: the text users saw before")
end

-- A tail call keeps the user's line: methods and zb's functions are called
-- through C (zb.core.keep_caller), so the caller's frame stays.
ok, e = pcall(function()
  line = debug.getinfo(1, "l").currentline + 1
  return s:where("nosuch > 1")
end)
T.eq(is_error(e) and e.where, "tests/lua/errors.lua:" .. line, "return t:where(...): the error at the return's line")
ok, e = pcall(function()
  line = debug.getinfo(1, "l").currentline + 1
  return s:group("region"):agg{n = "nosuch(value)"}
end)
T.eq(is_error(e) and e.where, "tests/lua/errors.lua:" .. line, "... and g:agg{...}")
ok, e = pcall(function()
  line = debug.getinfo(1, "l").currentline + 1
  return zb.table("nowhere")
end)
T.eq(tostring(e), "tests/lua/errors.lua:" .. line .. ": no such table: nowhere (tables: s)", "... and zb.table(...)")
ok, e = pcall(function()
  line = debug.getinfo(1, "l").currentline + 1
  return zb.metric("1x", print)
end)
T.ok(tostring(e):find("^tests/lua/errors.lua:" .. line .. ": bad argument #1 to 'metric'") ~= nil,
     "... and zb.metric(...)", tostring(e))
local dir0 = T.tmpdir()
T.write(dir0 .. "/tail.lua", 'zb.sql("create table u(a integer)")\nreturn zb.table("u"):where("nosuch > 1")\n')
local r0 = T.run("-n " .. T.shell_quote(dir0 .. "/tail.lua"))
T.has(r0.err, "zb: " .. dir0 .. "/tail.lua:2: where: no such column: nosuch (columns: a)",
      "a script's return t:where(...) at its top level: the script's line")
r0 = T.run("-n", {stdin = 'zb.sql("create table u(a integer)")\nzb.table("u"):where("nosuch > 1")\nzb.dataset("nope")\n' ..
                          'zb.units.convert(1, "元", "人")\n6 * 7, nil, 1 -- the values, past a comment\n'})
T.has(r0.err, "zb: stdin:2: where: no such column: nosuch (columns: a)", "a line of standard input, an expression (a tail call)")
T.has(r0.err, "zb: stdin:3: no dataset 'nope'", "... and zb.dataset(...)")
T.has(r0.err, "zb: stdin:4: cannot convert 元 to 人", "... and any function's error(msg, 2): an expression makes no tail call")
T.eq(r0.out, "42\tnil\t1\n", "... and its values are printed as they were")

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

-- Every loader, its table's name taken: said with the two ways out, and
-- the table there is left as it was
do
  local dir = T.tmpdir()
  T.write(dir .. "/x.json", '[{"a": 1}]')
  zb.sql("create table taken (q)")
  zb.sql("insert into taken values (7)")
  local loads = {
    read_csv = function() zb.read_csv("datasets/wdi-gdp-api.csv", {name = "taken"}) end,
    read_json = function() zb.read_json(dir .. "/x.json", {name = "taken"}) end,
    read_xlsx = function() zb.read_xlsx("datasets/nbs-province-gdp-2023-2024.xlsx", {name = "taken"}) end,
    read_jsonstat = function() zb.read_jsonstat("datasets/wdi-2000-2023.jsonstat.json", {name = "taken"}) end,
    read_sdmx = function() zb.read_sdmx("datasets/sdmx-oecd-g20-prices-chn-cpi.csv", {name = "taken"}) end,
    read_worldbank = function() zb.read_worldbank("datasets/wdi-gdp-api.csv", {name = "taken"}) end,
    read_nbs = function() zb.read_nbs("datasets/nbs-province-gdp-2006-2024.gbk.csv", {name = "taken"}) end,
    dataset = function() zb.dataset("hangzhou-2021", {name = "taken"}) end,
  }
  for name, load in pairs(loads) do
    T.fails(load, 'table "taken" already exists (replace = true loads the file in its place; name = another ' ..
            "table's name)", name .. " into a table name already taken: said with what to do")
  end
  T.eq(zb.sql("select group_concat(q) as q from taken")[1].q, "7", "... and that table is left as it was")
  T.fails(function() zb.read_json(dir .. "/x.json", {name = "TAKEN"}) end, 'table "TAKEN" already exists (replace',
          "... its name in other letters' case (SQLite's names ignore it)")
end
-- ... as the engine's look at its tables says, whatever words its messages
-- are in (a server's lc_messages): run with them in German
do
  local r = T.run("tests/lib/name_taken.lua")
  local refused = 0
  for line in r.out:gmatch("[^\n]+") do
    if line:find("\tfalse\t.*table \"taken\" already exists %(replace = true loads the file in its place; name = another " ..
                 "table's name%)") then
      refused = refused + 1
    end
  end
  T.eq(refused, 8, "every loader: the name taken said, the engine's own words in German", r.out .. r.err)
  T.has(r.out, "\nleft\t7\n", "... and the table left as it was")
end
T.cleanup()
T.done()
