-- Write an indicator table as CSV, deterministically (the same file every run):
--   zb bench/gen_indicators.lua N FILE         N rows, long layout:
--                                              region,year,indicator,value,unit
--   zb bench/gen_indicators.lua N FILE wide    N values, wide layout:
--                                              region,indicator,2000,...,2023
local n, path, layout = tonumber(arg[1]), arg[2], arg[3] or "long"
assert(n and path and (layout == "long" or layout == "wide"), "usage: zb bench/gen_indicators.lua N FILE [wide]")
local regions = {"杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市", "丽水市"}
local indicators = {"gdp", "income_urban", "income_rural", "retail_sales", "budget_revenue"}
local years = 24
local seed = 42
local function value()
  seed = (seed * 1103515245 + 12345) % 2147483648  -- a fixed LCG
  return string.format("%.1f", seed / 2147483648 * 20000)
end
local f = assert(io.open(path, "w"))
if layout == "long" then
  f:write("region,year,indicator,value,unit\n")
  for i = 0, n - 1 do
    f:write(regions[i % 11 + 1], ",", 2000 + i % years, ",", indicators[i % 5 + 1], ",", value(), ",亿元\n")
  end
else
  f:write("region,indicator")
  for y = 0, years - 1 do f:write(",", 2000 + y) end
  f:write("\n")
  for i = 0, (n + years - 1) // years - 1 do
    f:write(regions[i % 11 + 1], i // 55 > 0 and "-" .. i // 55 or "", ",", indicators[i % 5 + 1])
    for _ = 1, years do f:write(",", value()) end
    f:write("\n")
  end
end
f:close()
