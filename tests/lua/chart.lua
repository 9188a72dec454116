-- Charts drawn as text (issue 16, in part): sparklines from Lua and SQL,
-- bar charts of rankings, by exact golden text at fixed widths.
local T = require("check")

-- Sparklines: the lowest value the lowest block, the highest the highest
T.eq(zb.spark{1, 2, 3, 8, 5, nil, 2, n = 7}, "▁▂▃█▅ ▂", "a sparkline, nil a gap")
T.eq(zb.spark{-5, 0, 5}, "▁▅█", "negative values scale like others")
T.eq(zb.spark{7, 7, 7}, "▄▄▄", "equal values: the middle block")
T.eq(zb.spark{}, "", "no values: an empty line")
T.eq(zb.spark{"1", "3"}, "▁█", "numbers as text count")
T.fails(function() zb.spark{1, "x"} end, "spark: expected a number, got the text 'x'", "text is no number")
T.fails(function() zb.spark{1, 1 / 0} end, "spark: Inf cannot be drawn", "nor is Inf")
-- In SQL, in the order of a second argument (periods as time), as an aggregate
local q = "select spark(v, m) from (select '2022年10月' as m, 3 as v union all select '2022年2月', 1 " ..
          "union all select '2022年1月', 2)"
T.eq(zb.sql(q):value(), "▅▁█", "spark(x, order): 2022年2月 before 2022年10月")
T.eq(zb.sql("select spark(v, y) from (select 2021 as y, 3 as v union all select 2020, 1 union all select 2022, NULL)"):value(),
     "▁█ ", "ordered by year, NULL a gap")
local gdp = zb.dataset("yangtze-delta-city-gdp"):melt{id = "时间(年)", name = "city", value = "gdp", drop_null = true}
              :rename{year = "时间(年)"}:where("year between 2012 and 2021 and city in ('杭州', '舟山')")
local trends = gdp:group("city"):agg{trend = "spark(gdp, year)"}:order("city")
-- the blocks worked out here from the values: eighths of the span from the lowest
local want = {}
for _, city in ipairs{"杭州", "舟山"} do
  local values = gdp:where{city = city}:order("year"):col("gdp")
  local lo, hi = math.min(table.unpack(values)), math.max(table.unpack(values))
  local blocks = {}
  for i, v in ipairs(values) do
    blocks[i] = ({"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"})[math.floor((v - lo) / (hi - lo) * 7 + 0.5) + 1]
  end
  want[#want + 1] = table.concat(blocks)
end
T.eq(table.concat(trends:col("trend"), " "), table.concat(want, " "), "agg{trend = \"spark(gdp, year)\"}: a sparkline a city")

-- Bar charts: sorted, CJK labels aligned, values in human units
local census = zb.dataset("census-cities-2010-2020", {units = {popu_2020 = "人"}}):where{province = "浙江省"}
local chart = census:bar{label = "city", value = "popu_2020", width = 60, title = "浙江各市常住人口，2020"}
T.eq(tostring(chart), table.concat({
  "浙江各市常住人口，2020",
  "杭州市 ███████████████████████████████████████████ 1194万人",
  "温州市 ██████████████████████████████████▌         957万人",
  "宁波市 █████████████████████████████████▉          940万人",
  "金华市 █████████████████████████▍                  705万人",
  "台州市 ███████████████████████▉                    662万人",
  "嘉兴市 ███████████████████▌                        540万人",
  "绍兴市 ███████████████████                         527万人",
  "湖州市 ████████████▏                               337万人",
  "丽水市 █████████                                   251万人",
  "衢州市 ████████▎                                   228万人",
  "舟山市 ████▏                                       116万人"}, "\n"), "a ranking at 60 columns")
for line in tostring(chart):gmatch("[^\n]+") do
  T.ok(zb.width(line) <= 60, "each line fits the width: " .. line)
end
local mixed = zb.sql("select 'a' as k, 5.0 as v union all select 'bb', -3 union all select '杭州', 2 " ..
                     "union all select 'd', NULL")
T.eq(mixed:bar{label = "k", value = "v", width = 40}:draw(), table.concat({
  "a               │██████████████████▏ 5",
  "杭州            │███████▎           2",
  "bb   ███████████│                   -3",
  "d                                   NULL"}, "\n"), "negative values left of a zero line, NULL last")
T.eq(mixed:bar{label = "k", value = "v", sort = false}:draw{width = 30}:match("^[^\n]+"), "a           │███████████▉ 5",
     "sort = false keeps the rows' order; draw{width =} redraws")
T.fails(function() return zb.sql("select 'a' as k, 'x' as v"):bar{label = "k", value = "v"} end,
        "bar: expected a number, got the text 'x'", "text is refused")
T.fails(function() return zb.sql("select 'a' as k, 1 as v where 0"):bar{label = "k", value = "v"} end,
        "bar: the table has no rows to draw", "no rows")
T.fails(function() return zb.sql("select 'a' as k, NULL as v"):bar{label = "k", value = "v"} end,
        "bar: every value of v is NULL", "all NULL")
T.fails(function() return mixed:bar{label = "k", value = "v", sort = "up"} end,
        "bar: sort must be \"desc\", \"asc\" or false, not up", "a bad sort")
local r = T.run("-n", {stdin = "zb.sql(\"select 'x' as k, 2 as v union all select 'y', 1\"):bar{label = 'k', value = 'v', width = 20}\n"})
T.eq(r.out, "x ███████████████ 2\ny ███████▌        1\n", "the REPL prints a chart as it draws")
T.done()
