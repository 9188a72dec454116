-- yangtze-inequality.lua: is inequality of GDP per registered resident
-- across the Yangtze Delta cities rising or falling since 2000?  The Gini
-- and the coefficient of variation a year, with their least-squares
-- trends, drawn in the terminal and saved as SVG and PNG
-- (zb lua/examples/yangtze-inequality.lua [DIR]).
local melt = {id = "时间(年)", name = "city", drop_null = true}
local gdp = zb.dataset("yangtze-delta-city-gdp", {name = "yi_gdp", replace = true})
              :melt{id = melt.id, name = melt.name, drop_null = true, value = "gdp"}     -- 亿元
local pop = zb.dataset("yangtze-delta-city-hukou-population", {name = "yi_pop", replace = true})
              :melt{id = melt.id, name = melt.name, drop_null = true, value = "pop"}    -- 万人
local per_head = gdp:join(pop, {"时间(年)", "city"}):rename{year = "时间(年)"}
                   :where("year between 2000 and 2021")
                   :mutate{yuan = "gdp * 1e8 / (pop * 1e4)"}
-- The series gives Tongling 7220.9 亿元 for 2015, ten times its 706.2 of
-- 2014: a slipped decimal in the source (datasets/README.md), which alone
-- made 2015's Gini 0.445 and its CV 1.38.  Left out, and said so.
print("Left out: 铜陵 2015 (" .. per_head:where{city = "铜陵", year = 2015}:col("gdp")[1] ..
      " 亿元 in the series, ten times the year before's)")
per_head = per_head:where("NOT (city = '铜陵' AND year = 2015)")
local yearly = per_head:group("year"):agg({cities = "count(*)"}, {gini = "gini(yuan)"}, {cv = "cv(yuan)"})

-- Each measure's least-squares line over the years, drawn beside it.
local lines = {}
for _, measure in ipairs{"gini", "cv"} do
  local fit = yearly:agg({slope = "slope(" .. measure .. ", year)"}, {intercept = "intercept(" .. measure .. ", year)"}):first()
  local name = string.format("%s trend (%+.4f a year)", measure, fit.slope)
  lines[#lines + 1] = name
  yearly = yearly:mutate{[name] = string.format("%.17g + %.17g * year", fit.intercept, fit.slope)}
end

print("GDP per registered resident across the Yangtze Delta cities, 2000-2021")
print(yearly:select("year", "cities", "gini", "cv"):order("year"):format{gini = {decimals = 3}, cv = {decimals = 3}})
print()
local chart = yearly:plot{x = "year", y = {"gini", "cv", lines[1], lines[2]}, width = 72, height = 12,
                          title = "Gini and coefficient of variation, with their trends"}
print(chart)
print()
print(yearly:order("year"):agg{gini = "spark(gini, year)", cv = "spark(cv, year)"})

-- The same chart as files for a report, in the directory given
-- (zb lua/examples/yangtze-inequality.lua DIR) or this one.
local out = arg[1] or "."
for _, format in ipairs{"svg", "png"} do
  print("Saved " .. chart:save(out .. "/yangtze-inequality." .. format,
                               {width = 760, height = 440, title = "长三角城市人均GDP（按户籍人口）的基尼系数与变异系数，2000–2021"}))
end
