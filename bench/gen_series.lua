-- Write a table of series as CSV, deterministically (the same file every
-- run): ROWS rows of region,indicator,period,value, each series (region
-- and indicator) with every period once, in order.
--   zb bench/gen_series.lua N FILE annual    24 years a series: 2000 ... 2023
--   zb bench/gen_series.lua N FILE monthly   288 months a series: 2000年1月 ...
--   zb bench/gen_series.lua N FILE plain     the monthly file with each period
--                                            prefixed "p" (no longer a period)
local n, path, kind = tonumber(arg[1]), arg[2], arg[3]
assert(n and path and (kind == "annual" or kind == "monthly" or kind == "plain"),
       "usage: zb bench/gen_series.lua N FILE annual|monthly|plain")
local per = kind == "annual" and 24 or 288
local seed = 42
local f = assert(io.open(path, "w"))
f:write("region,indicator,period,value\n")
for s = 0, n // per - 1 do
  local region, indicator = "r" .. s // 5, "i" .. s % 5
  for p = 0, per - 1 do
    seed = (seed * 1103515245 + 12345) % 2147483648  -- a fixed LCG
    local period = kind == "annual" and tostring(2000 + p)
                   or string.format("%s%d年%d月", kind == "plain" and "p" or "", 2000 + p // 12, p % 12 + 1)
    f:write(region, ",", indicator, ",", period, ",", string.format("%.1f", seed / 2147483648 * 20000), "\n")
  end
end
f:close()
