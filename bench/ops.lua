-- make bench (bench/ops.sh): one user-facing operation, its whole result
-- written to /dev/null as CSV (in C, from the statement), or as its mode
-- for print and the exports.
--   zb bench/ops.lua load-csv FILE | load-json FILE   the file into a table
--   zb -d DB bench/ops.lua OP                         OP over DB's tables (m: the
--       long indicators table; s: the annual series, each period once a
--       series; w: the wide table, a column a year), as ops.sh makes them
local op, file = ...
if op == "load-csv" then return zb.read_csv(file, {name = "m"}) end
if op == "load-json" then return zb.read_json(file, {name = "m"}) end

local m, s, w = zb.table("m"), zb.table("s"), zb.table("w")
zb.metric("twice", function(x) return x * 2 end)
local results = {
  where = function() return m:where("value > 10000") end,
  group = function() return m:group("indicator", "year"):agg{total = "sum(value)", n = "count(*)"} end,
  join = function()
    return m:join(m:group("indicator", "year"):agg{mean = "avg(value)"}, {"indicator", "year"})
  end,
  pivot = function() return s:pivot{rows = {"region", "indicator"}, cols = "period", values = "value"} end,
  melt = function() return w:melt{id = {"region", "indicator"}, name = "year"} end,
  yoy = function() return s:yoy{value = "value", time = "period", by = {"region", "indicator"}} end,
  rank = function() return m:rank{value = "value", by = {"indicator", "year"}} end,
  moving = function() return s:moving{value = "value", time = "period", by = {"region", "indicator"}, n = 3} end,
  metric = function() return m:mutate{doubled = "twice(value)"} end,
}
if op == "print" then
  print(m)
elseif op == "csv" or op == "tsv" or op == "json" or op == "markdown" then
  m["to_" .. op](m, "/dev/stdout")
elseif op == "rows" then  -- every row through Lua, its five fields read
  for r in m:rows() do local _ = r.region, r.year, r.indicator, r.value, r.unit end
else
  assert(results[op], "bench/ops.lua: no such operation")():to_csv("/dev/null")
end
