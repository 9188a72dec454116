-- zb.metric and zb.aggregate: Lua functions as SQL functions and aggregates.
local T = require("check")
local hz = zb.dataset("hangzhou-2021", {name = "hz"})

zb.metric("per_capita", function(total, people)
  if total == nil or people == nil or people == 0 then return nil end
  return total / people
end, {deterministic = true, unit = "元", doc = "total divided by people"})
T.eq(zb.sql("select per_capita(18109e8, 11936010) as v"):value(), 18109e8 / 11936010, "a metric in zb.sql")
T.eq(zb.metrics.per_capita(10, 4), 2.5, "zb.metrics[name] calls it from Lua")
T.eq(hz:where("per_capita(value, 1) > ?", 40000):count(), 2, "in where")
T.eq(hz:where{indicator = "gdp"}:mutate{v = "per_capita(value, 2)"}:select("v"):value(), 9054.5, "in mutate")
T.eq(hz:agg{m = "max(per_capita(value, 1))"}:value(), 74700.0, "inside an aggregate")
T.eq(zb.metrics.about("per_capita").doc, "total divided by people", "the doc is kept")
T.eq(zb.metrics.about("per_capita").unit, "元", "and the unit")
local with_unit = hz:where{indicator = "gdp"}:mutate{pc = "per_capita(value, 2)"}:select("indicator", "pc"):order("pc")
T.eq(with_unit.units.pc, "元", "a column made by a metric with a unit carries it through later methods")
T.has(zb.render(with_unit, {mode = "box"}), "│ pc [元] │", "... into the output")
T.eq(with_unit:to_csv(), "indicator,pc\ngdp,9054.5\n", "data exports keep the plain names")
T.eq(hz:mutate{pc = "per_capita(value, 2) * 100"}.units.pc, nil, "an expression around a metric's call has no unit zb knows")
-- ... through join, union and melt too (issue 13: lost there)
T.eq(with_unit:join(zb.sql("select 'gdp' as indicator, 1 as tag"), "indicator").units.pc, "元", "a join keeps a column's unit")
T.eq(with_unit:join(with_unit, "indicator").units.pc_y, "元", "... on each side's column")
T.eq(with_unit:union(with_unit).units.pc, "元", "a union keeps a unit both give the column")
T.eq(with_unit:union(zb.sql("select 'x' as indicator, 1 as pc")).units.pc, nil, "... and no unit one of them lacks")
local two = hz:where{indicator = "gdp"}:mutate{a = "per_capita(value, 2)", b = "per_capita(value, 3)"}:select("indicator", "a", "b")
T.eq(two:melt{id = "indicator", cols = {"a", "b"}, name = "people", value = "pc"}.units.pc, "元",
     "melt gives the value column the unit its columns share")
local long = two:melt{id = "indicator", cols = {"a", "b"}, name = "people", value = "pc"}
T.eq(long:pivot{rows = "indicator", cols = "people", values = "pc"}.units.b, "元", "pivot gives the new columns the values' unit")
T.eq(long:pivot{rows = "indicator", cols = "people", values = "pc", fn = "count"}.units.b, nil, "... unless fn counts")
-- agg keeps a unit as pivot does: an aggregate that keeps it, of one column that has one
local summed = long:agg{s = "sum(pc)", lo = "min(pc)", hi = "MAX( \"pc\" )", mean = "avg(pc)", t = "total(pc)", n = "count(pc)",
                        mixed = "sum(pc * 2)", two = "max(pc, pc)"}
T.eq(summed.units.s, "元", "agg{s = \"sum(pc)\"} keeps pc's unit")
T.ok(summed.units.lo == "元" and summed.units.hi == "元" and summed.units.mean == "元" and summed.units.t == "元",
     "... and min, max (any case, a quoted column), avg, total", zb.pretty(summed.units))
T.ok(summed.units.n == nil and summed.units.mixed == nil and summed.units.two == nil,
     "... not count, an expression, nor max of two values", zb.pretty(summed.units))
T.eq(long:group("indicator"):agg{s = "sum(pc)"}.units.s, "元", "... after group too")
T.eq(long:agg{s = "sum(people)"}.units.s, nil, "... nor a column without a unit")

-- Values cross as they are.
zb.metric("kind_of", function(v) return v == nil and "nil" or math.type(v) or type(v) end)
T.eq(zb.sql("select kind_of(null) || ',' || kind_of(1) || ',' || kind_of(1.5) || ',' || kind_of('x') || ',' || kind_of(x'00')"):value(),
     "nil,integer,float,string,string", "NULL, integer, real, text and blob arrive as nil, integer, float, string")
zb.metric("echo", function(v) return v end)
T.eq(zb.sql("select typeof(echo(2)) || typeof(echo(2.5)) || typeof(echo('a')) || typeof(echo(null))"):value(),
     "integerrealtextnull", "and go back the same way")
T.eq(zb.sql("select echo(1 = 1)"):value(), 1, "booleans are 1 and 0")
T.eq(zb.sql("select typeof(echo(x'00ff')) || ',' || hex(echo(x'e4b8ad'))"):value(), "blob,E4B8AD",
     "a string that is not UTF-8 goes back as a blob; one that is, as text")

-- The fast path keeps each metric's own function: several in one query,
-- one inside another, one calling a query that calls another.
zb.metric("plus1", function(x) return x + 1 end)
zb.metric("times10", function(x) return x * 10 end)
zb.metric("via_sql", function(x) return zb.sql("select times10(?) + plus1(?)", x, x):value() end)
T.eq(zb.sql("select group_concat(plus1(v) || ':' || times10(v) || ':' || plus1(times10(v)) || ':' || via_sql(v), ' ') from (select 1 as v union all select 2)"):value(),
     "2:10:11:12 3:20:21:23", "each call gets its own metric's function")
local wide = {}
for i = 1, 20 do wide[i] = "?" end
zb.metric("count_args", function(...) return select("#", ...) end)
T.eq(zb.sql("select count_args(" .. table.concat(wide, ",") .. ")", table.unpack(wide)):value(), 20,
     "more arguments than the fast path takes")
local seen = {}
for r in zb.sql("select plus1(value) as p, times10(value) as t from (select 1 as value union all select 2 union all select 3)"):rows() do
  seen[#seen + 1] = r.p .. "/" .. r.t
end
T.eq(table.concat(seen, " "), "2/10 3/20 4/30", "a loop over rows that call metrics, one step at a time")

-- Names that would break zb or SQL are refused when defined.
T.fails(function() zb.metric("names", function() end) end, "'names' is taken by zb.metrics.names", "zb.metrics' own fields")
T.fails(function() zb.metric("count", function() end) end, "'count' is one of SQLite's own functions",
        "SQLite's own functions (zb's queries use them)")
T.eq(#hz, 36, "... which still work")
T.fails(function() zb.metric("inner", function() end) end, "'inner' is an SQL keyword", "SQL keywords")
zb.metric("人均", function(a, b) return a / b end)
T.eq(zb.sql("select 人均(10, 4)"):value(), 2.5, "a Chinese name")
T.fails(function() zb.metric("flag", function() end, {deterministic = "yes"}) end,
        "metric: option 'deterministic' must be a boolean, not a string", "options are checked for their type")
T.fails(function() zb.aggregate("agg", {init = 0, step = function() end, final = function() end, fianl = 1}) end,
        "unknown part 'fianl'", "an aggregate's parts are checked")

-- A definition's mistakes are the user's line's (zb.metric and zb.aggregate check, then define)
for _, bad in ipairs{function() zb.aggregate("agg", 5) end, function() zb.aggregate("agg", {step = print}) end,
                     function() zb.metric("m", 5) end, function() zb.metric("m", print, {unit = 5}) end} do
  local ok, problem = pcall(bad)
  T.ok(not ok and tostring(problem):find("^tests/lua/metric%.lua:%d+:"), "a definition's error is at the user's line",
       problem)
end
-- Errors name the metric and the user's line; the session goes on.
zb.metric("broken", function(x) return x.field end)
T.fails(function() zb.sql("select broken(1)"):value() end, "metric 'broken': tests/lua/metric.lua:",
        "a runtime error names the metric and where in the user's file")
zb.metric("raising", function() error("no data for this region") end)
T.fails(function() zb.sql("select raising()"):value() end, "metric 'raising': tests/lua/metric.lua:", "error() too")
zb.metric("tabled", function() return {} end)
T.fails(function() zb.sql("select tabled()"):value() end,
        "metric 'tabled' returned a table (expected a number, string, boolean or nil)", "a wrong return type")
T.fails(function() zb.sql("select tabled()"):value() end, "(in SQL: select tabled())",
        "the error names the user's SQL, not the query zb wraps around it")
zb.metric("functional", function() return print end)
T.fails(function() zb.sql("select functional()"):value() end, "metric 'functional' returned a function", "a function")
T.eq(#hz, 36, "the session goes on")
T.fails(function() zb.metric("bad name", print) end, "bad argument #1 to 'metric'", "a metric needs a name")
T.fails(function() zb.metric("x", 1) end, "bad argument #2 to 'metric' (a function expected)", "and a function")
T.fails(function() zb.metric("x", print, {colour = 1}) end, "metric: unknown option 'colour'", "options are checked")

-- Defining again replaces.
zb.metric("version", function() return 1 end)
zb.metric("version", function() return 2 end)
T.eq(zb.sql("select version()"):value(), 2, "a metric defined again replaces the old one")
T.eq(zb.metrics.version(), 2, "... in Lua too")

-- Aggregates, and window functions.
zb.aggregate("product", {init = 1, step = function(p, x) return x and p * x or p end, final = function(p) return p end},
             {doc = "the product of the values"})
T.eq(zb.sql("select product(column1) from (values (2), (3), (null), (7))"):value(), 42, "an aggregate over rows")
T.eq(zb.sql("select product(column1) from (values (2)) where 0"):value(), 1, "over no rows: final(init)")
T.eq(zb.metrics.product({2, 3, 7}), 42, "... and over a Lua array")
zb.aggregate("collect", {init = function() return {} end,
  step = function(s, x) s[#s + 1] = tostring(x) end, final = function(s) return table.concat(s, " ") end})
T.eq(hz:group("section"):agg{all = "collect(rank)"}:order("section"):col("all")[3], "nil nil nil nil",
     "a table state made fresh for each group, changed in place")
zb.aggregate("running", {init = 0, step = function(s, x) return s + x end, final = function(s) return s end,
  inverse = function(s, x) return s - x end})
T.eq(table.concat(zb.sql([[select running(column1) over (order by column1 rows between 1 preceding and current row)
                           from (values (1), (2), (3), (4))]]):col(1), ","), "1,3,5,7",
     "with inverse, a window function over a moving frame")
zb.aggregate("failing", {init = 0, step = function(_, x) if x > 2 then error("too big") end return x end,
  final = function(s) return s end})
T.fails(function() zb.sql("select failing(column1) from (values (1), (3))"):value() end,
        "aggregate 'failing': tests/lua/metric.lua:", "an error in step names the aggregate")
T.eq(zb.sql("select failing(column1) from (values (1), (2))"):value(), 2, "the aggregate works again after")
for _ in zb.sql("select product(column1) from (values (1), (2)) group by column1"):rows() do break end
collectgarbage()
T.eq(zb.sql("select product(column1) from (values (5), (6))"):value(), 30, "a query left half way leaves no state behind")
-- From a review: a Lua function that is gone, and a loop reading its own query from inside.
T.fails(function() zb.db:sql("select zb_lua(999)") end, "zb_lua: no Lua function 999", "a Lua function that is gone: an error, not a crash")
local loop
zb.metric("peek", function(x) loop() return x end)
loop = zb.sql("select peek(value) as p from (select 1 as value union all select 2)"):rows()
T.fails(function() for _ in loop do end end, "a rows() loop cannot read its own query from inside", "a loop re-entered from its own query")

-- Every function of the Lua API has a doc line, and every doc line a function.
T.has(zb.help.line("zb.metric"), "zb.metric(name, fn [, opts])  make a Lua function", "help for zb.metric")
T.has(zb.help.line(zb.stats.gini), "zb.stats.gini(xs)  Gini", "help(fn) finds the function's name")
T.has(zb.help.line("zb.stats.trend"), "zb.stats.trend(ys [, xs])", "a statistic over arrays")
local missing = {}
for _, name in ipairs(zb.help.names()) do
  local v = name:match("^t:") and zb.table("hz")[name:sub(3)] or _G
  if name:match("^chart:") then v = zb.sql("select 'a' as k, 1 as v"):bar{label = "k", value = "v"}[name:sub(7)] end
  if not name:match("^[%a]+:") then
    for part in name:gmatch("[^.]+") do v = type(v) == "table" and v[part] or (name:find("%.") and nil or zb.metrics[name]) end
  end
  if type(v) ~= "function" and not (type(v) == "table" and getmetatable(v) and getmetatable(v).__call) then
    missing[#missing + 1] = name
  end
  if not zb.help.line(name) then missing[#missing + 1] = name .. " (no line)" end
end
T.eq(table.concat(missing, ", "), "", "every name help knows is a function zb has, with a line")
-- every table method has a doc line, the core ones too (help("t:where")
-- found nothing), and the README's method tables show each
local undocumented, readme = {}, T.read(os.getenv("PWD") .. "/README.md")
for name in pairs(require("zb.relation.table").methods) do
  if not zb.help.line("t:" .. name) then undocumented[#undocumented + 1] = name .. " (no help)" end
  if not readme:find("t:" .. name, 1, true) then undocumented[#undocumented + 1] = name .. " (not in the README)" end
end
table.sort(undocumented)
T.eq(table.concat(undocumented, ", "), "", "every table method has a doc line and a place in the README")
T.has(zb.help.line("t:where"), "t:where(sql, ...)", "help('t:where') answers")
T.ok(zb.repl and zb.repl.sql_calls.yoy and zb.repl.sql_calls.where and not zb.repl.sql_calls.limit,
     "the REPL completes column names in the methods whose doc says they name columns (yoy was missing)")
T.has(tostring(zb.help), "help(name) shows what name does", "help (zb.help) typed alone says how to use it")
-- A Lua aggregate called over arrays takes their length as zb.stats does
-- (issue 12): an array with holes summed to 1 what is 5.
local holed = {}
holed[1], holed[4] = 1, 4
local ok_holed, why_holed = pcall(function() return zb.metrics.product(holed) end)
T.ok(not ok_holed and why_holed:find("product: the array has a hole: entry 4 is there but not entry 2", 1, true),
     "an aggregate over an array with holes is refused", why_holed)
holed.n = 4
T.eq(zb.metrics.product(holed), 4, "... and with n, the missing entries are left out")
-- returns holds on SQLite as on a server (the check PL/Lua runs there): a
-- result its type cannot hold is an error naming the function and the value
zb.aggregate("halfsum", {init = 0, step = function(acc, x) return acc + x end, final = function(acc) return acc / 2 end},
             {returns = "integer"})
zb.metric("wholly", function(x) return x * 2 end, {returns = "integer"})
zb.metric("wordy", function(x) return "n" .. x end, {returns = "number"})
zb.metric("flagged", function(x) return x > 1 end, {returns = "number"})
T.fails(function() return zb.sql("select halfsum(x) as v from (select 1.5 as x union all select 1.5)"):value() end,
        [[aggregate 'halfsum': returned 1.5, not an integer (returns = "integer")]],
        "returns = \"integer\": an aggregate's fractional result is an error naming it and the value")
T.fails(function() return zb.sql("select wholly(1.25) as v"):value() end,
        [[metric 'wholly': returned 2.5, not an integer (returns = "integer")]], "... a metric's")
local whole = zb.sql("select wholly(1.5) as v"):value()
T.ok(whole == 3 and math.type(whole) == "integer", "... an integral real is that integer", whole)
T.eq(zb.metrics.wholly(1.5), 3, "... zb.metrics' form too")
T.fails(function() return zb.sql("select wordy(1) as v"):value() end,
        [[metric 'wordy': returned the text 'n1', where its result is a number (returns = "text" makes it text)]],
        "returns = \"number\": text is an error saying what to write")
T.eq(zb.sql("select flagged(2) as v"):value(), 1, "... a boolean is 1 or 0")
T.fails(function() zb.aggregate("finalless", {init = 0, step = function(acc) return acc + 1 end}, {returns = "integer"}) end,
        "aggregate 'finalless': final must be a function", "an aggregate without final, returns given: the same refusal")
T.done()
