-- Write N rows of a long-format indicator table as CSV, deterministically:
--   zb bench/gen_indicators.lua N FILE
local n, path = tonumber(arg[1]), arg[2]
assert(n and path, "usage: zb bench/gen_indicators.lua N FILE")
local regions = {"杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市", "丽水市"}
local indicators = {"gdp", "income_urban", "income_rural", "retail_sales", "budget_revenue"}
local f = assert(io.open(path, "w"))
f:write("region,year,indicator,value,unit\n")
local seed = 42
for i = 0, n - 1 do
  seed = (seed * 1103515245 + 12345) % 2147483648  -- a fixed LCG: the same file every run
  f:write(regions[i % 11 + 1], ",", 2000 + i % 24, ",", indicators[i % 5 + 1], ",",
          string.format("%.1f", seed / 2147483648 * 20000), ",亿元\n")
end
f:close()
