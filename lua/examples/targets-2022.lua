-- targets-2022.lua: progress against Hangzhou's 2022 targets.
--   zb lua/examples/targets-2022.lua [ACTUALS.csv]
-- ACTUALS.csv has the columns indicator and value (the figures reached);
-- the bundled data holds the targets only, so without it the progress is
-- left open.
local actuals_file = ...
local hz = zb.dataset("hangzhou-2021", {name = "tg_hz", replace = true})
local catalog = zb.dataset("indicators", {name = "tg_catalog", replace = true})
local targets = hz:where{kind = "target", period = 2022}:select{indicator = "indicator", target = "value", unit = "unit"}

local actuals
if actuals_file then
  actuals = zb.read_csv(actuals_file, {name = "tg_actuals", replace = true}):select{code = "indicator", actual = "value"}
else
  actuals = zb.sql("select cast(null as text) as code, cast(null as double precision) as actual where 1 = 0")
end

local report = targets:join(actuals, "l.indicator = r.code", "left")
  :progress{actual = "actual", target = "target"}
  :join(catalog:select("code", "name_zh"), "l.indicator = r.code")
  :select("name_zh", "target", "unit", "actual", {["progress_%"] = "progress"}, "remaining")
  :order("name_zh"):format{["progress_%"] = {decimals = 1}}
print("Hangzhou's 2022 targets" .. (actuals_file and ", against " .. actuals_file or " (no actuals given)"))
print(report)
