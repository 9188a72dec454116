-- composite-index.lua: a development index of Zhejiang's 11 cities from
-- the data zb ships (the 2020 census and the Yangtze Delta GDP series),
-- built twice, with equal and with entropy weights, side by side, and
-- how far each rank moves over other choices (t:sensitivity).
--
--   zb lua/examples/composite-index.lua
--
-- The framework (COINr's columns): wealth (GDP per resident, population
-- growth 2010-2020) and society (urbanisation, the share aged 65 and over,
-- less is better). The Yangtze series has no 温州, 衢州 or 丽水: their
-- wealth is population growth alone, the weights of what is there
-- renormalised, and missing_wealth counts it.
local fw = zb.framework{
  {iCode = "index", iName = "发展指数"},
  {iCode = "wealth", iName = "富裕", Parent = "index", Weight = 1},
  {iCode = "society", iName = "社会", Parent = "index", Weight = 1},
  {iCode = "gdp_per_head", iName = "人均GDP", Parent = "wealth", Direction = "正向", Weight = 1},
  {iCode = "growth", iName = "人口增长", Parent = "wealth", Direction = "正向", Weight = 1},
  {iCode = "urban", iName = "城镇化率", Parent = "society", Direction = "正向", Weight = 1},
  {iCode = "aged", iName = "65岁及以上占比", Parent = "society", Direction = "逆向", Weight = 1},
}

local census = zb.dataset("census-cities-2010-2020"):where{province = "浙江省"}
local gdp = zb.dataset("yangtze-delta-city-gdp"):melt{id = "时间(年)", name = "city", value = "gdp", drop_null = true}
  :rename{year = "时间(年)"}:where{year = 2020}:mutate{city = "region_name(city, 'city')"}
local cities = census:join(gdp, "city", "left"):select("city",
  {gdp_per_head = "gdp * 1e8 / popu_2020"}, {growth = "(popu_2020 - popu_2010) * 100.0 / popu_2010"},
  {urban = "popu_urban_2020 * 100.0 / popu_2020"}, {aged = "age_65_2020"})

local equal = cities:composite{framework = fw, id = "city", weights = "equal"}
local entropy = cities:composite{framework = fw, id = "city", weights = "entropy"}
print("Zhejiang's cities, 2020: a development index (min-max 0-100), equal and entropy weights")
print(equal:select("city", {equal = "index"}, {rank_equal = "rank"}, "missing_wealth")
  :join(entropy:select("city", {entropy = "index"}, {rank_entropy = "rank"}), "city")
  :order("rank_equal"):format{equal = {decimals = 1}, entropy = {decimals = 1}})
print("The entropy weights (from the normalised values):")
print(cities:normalise{framework = fw, id = "city"}:weights{framework = fw, id = "city", method = "entropy"}
  :select("code", "parent", "weight", "global"):format{weight = {decimals = 3}, global = {decimals = 3}})
print("How robust the ranks are: min-max or rank normalisation, equal or entropy weights, each weight 20% down and up")
print(cities:sensitivity{framework = fw, id = "city", normalise = {"minmax", "rank"}, weights = {"equal", "entropy"},
                         vary = 0.2}:order("median", "nominal"))
