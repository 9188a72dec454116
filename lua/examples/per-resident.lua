-- per-resident.lua: uses the metrics of mymetrics.lua, found through ZB_PATH:
--   ZB_PATH=lua/examples zb lua/examples/per-resident.lua
local my = require("mymetrics")

local census = zb.dataset("census-cities-2010-2020", {name = "pr_census", replace = true})
local hz = zb.dataset("hangzhou-2021", {name = "pr_hz", replace = true})
local people = census:select{city = "city", people = "popu_2020"}
local gdp = hz:where{indicator = "gdp", region = "杭州市"}:select{city = "region", gdp_yi = "value"}
local row = gdp:join(people, "city"):mutate{per_resident = "per_capita(gdp_yi, people)"}:first()
print(string.format("Hangzhou: 2021 GDP %s over %d residents (2020 census): %.0f 元 a resident",
                    zb.units.human(row.gdp_yi, "亿元"), row.people, row.per_resident))
print(string.format("the same from Lua: %.0f", my.per_capita(row.gdp_yi, row.people)))

-- Average yearly growth of the provinces' GDP 2020-2024, as a geometric mean of yearly factors.
local g = zb.dataset("nbs-province-gdp", {name = "pr_gdp", replace = true})
local long = g:melt{id = "地区", cols = "^(%d+)年$", name = "year", value = "gdp"}
local factors = long:where("year between 2020 and 2024"):lag{value = "gdp", time = "year", by = "地区", name = "before"}
  :where("before is not null"):mutate{factor = "gdp / before"}
local zj = factors:where{["地区"] = "浙江省"}:agg{avg_growth = "(geomean(factor) - 1) * 100"}:value()
print(string.format("Zhejiang's GDP grew %.2f%% a year on average, 2020-2024 (nominal)", zj))
print(string.format("Hangzhou's digital-economy share of GDP is %.1f points above a quarter",
                    zb.sql("select points(27.1, 25.0)"):value()))
