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

-- Line charts: braille dots, gaps where periods or values are missing, a
-- zero line, ticks in human units; several series told apart by markers
-- without colour, by colour on a terminal
local months = zb.sql([[select '2021-01' as m, 1.0 as v union all select '2021-02', -2 union all select '2021-04', 3
                        union all select '2021-05', 2]])
T.eq(months:plot{x = "m", y = "v", width = 30, height = 4}:draw(), table.concat({
  " 5 ┤                   ⣀⣀     ",
  "   ┤⠤⣀                   ⠉⠉⠉⠒⠒",
  " 0 ┤┄┄⠉⠑⠒⠤⣀┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄┄",
  "-5 ┤                          ",
  "   └──────────────────────────",
  " 2021-01               2021-05"}, "\n"), "a month's line: 2021-03 missing leaves a gap, the zero line dotted")
local two = zb.sql("select 2020 as y, 1 as a, 3 as b union all select 2021, 2, 2 union all select 2022, 3, 1")
T.eq(two:plot{x = "y", y = {"a", "b"}, width = 24, height = 4}:draw(), table.concat({
  "3 ┤○○○○○           ●●●●●",
  "  ┤     ○○○○○ ●●●●●●    ",
  "2 ┤     ●●●●●○○○○○○     ",
  "1 ┤●●●●●●         ○○○○○○",
  "  └─────────────────────",
  " 2020      2021     2022",
  "● a  ○ b"}, "\n"), "two series without colour: a marker each, and a legend")
local shuffled = zb.sql("select 2022 as y, 3 as a, 1 as b union all select 2020, 1, 3 union all select 2021, 2, 2")
T.eq(shuffled:plot{x = "y", y = {"a", "b"}, width = 24, height = 4}:draw(),
     two:plot{x = "y", y = {"a", "b"}, width = 24, height = 4}:draw(), "rows out of x's order draw as sorted ones")
local long = zb.sql("select 'b' as s, 2022 as y, 1 as v union all select 'a', 2021, 2 union all select 'b', 2020, 3 " ..
                    "union all select 'a', 2020, 1 union all select 'b', 2021, 2 union all select 'a', 2022, 3")
local by_time = long:order("s desc, y"):plot{x = "y", y = "v", by = "s", width = 24, height = 4}:draw()
T.eq(long:plot{x = "y", y = "v", by = "s", width = 24, height = 4}:draw(), by_time,
     "by, its groups' rows in any order: as sorted")
T.has(by_time, "\n● b  ○ a", "... a line a group, in the order the groups come")
T.eq(zb.sql("select 2021 as y, 5.5 as v"):plot{x = "y", y = "v", width = 30, height = 4}:draw(), table.concat({
  "7 ┤                           ",
  "6 ┤                           ",
  "5 ┤             ⠈             ",
  "4 ┤                           ",
  "  └───────────────────────────",
  "              2021"}, "\n"), "one point: in the middle")
local coloured = two:plot{x = "y", y = {"a", "b"}, width = 24, height = 4}:draw{color = true}
T.has(coloured, "\27[34m⣀\27[0m", "in colour: braille dots in the series' colour")
T.has(coloured:match("[^\n]+$"), "\27[31m⣿\27[0m b", "... and the legend in the same colours")
local hz = zb.table("yangtze-delta-city-gdp"):where('"时间(年)" between 2000 and 2023')
local drawn = hz:plot{x = "时间(年)", y = "杭州", width = 60, height = 10, unit = "亿元"}:draw()
T.has(drawn, "2万亿元 ┤", "y ticks in human units (亿元 to 万亿元)")
T.has(drawn, "       2000         2006         2012         2018      2023", "x ticks, the first and the last")
for line in drawn:gmatch("[^\n]+") do T.ok(zb.width(line) <= 60, "each line fits: " .. line) end
T.fails(function() return two:plot{x = "y", y = {"a", "b"}, by = "a"} end, "plot: by draws one y a group",
        "by with several y")
T.fails(function() return zb.sql("select 1 as x, NULL as y"):plot{x = "x", y = "y"} end, "plot: every value of y is NULL",
        "all NULL")
T.fails(function() return zb.sql("select 1 as x, 'a' as y"):plot{x = "x", y = "y"} end,
        "plot: expected a number, got the text 'a'", "text is refused")
T.fails(function() return zb.sql("select '2021-01' as x, 1 as y union all select '2021-Q2', 2"):plot{x = "x", y = "y"} end,
        "plot: x mixes periods of different frequencies", "months and quarters on one axis")
local mixed_units = zb.read_csv(T.file(T.tmpdir(), "u.csv", "year,gdp,growth\n2020,1,2\n2021,2,3\n"),
                                {units = {gdp = "亿元", growth = "%"}})
T.fails(function() return mixed_units:plot{x = "year", y = {"gdp", "growth"}} end,
        "plot: gdp is in 亿元 and growth in %: one axis holds one unit", "two units on one axis")
-- colour only on a terminal, and not with NO_COLOR
local pty = require("pty")
local function on_terminal(env)
  local p = pty.spawn(T.zb_with("-n"), env)
  p:expect("zb> ", T.patience)
  p:send("zb.sql('select 1 as x, 1 as y union all select 2, 2'):plot{x = 'x', y = 'y', width = 20, height = 2}\r")
  local out = p:expect("zb> ", T.patience) or ""
  p:send(".quit\r")
  return out
end
T.has(on_terminal({TERM = "xterm", HOME = T.tmpdir()}), "\27[34m", "on a terminal, in colour")
T.hasnt(on_terminal({TERM = "xterm", HOME = T.tmpdir(), NO_COLOR = "1"}), "\27[34m", "NO_COLOR: no colour")
local piped = T.run("-n", {stdin = "zb.sql('select 1 as x, 1 as y union all select 2, 2'):plot{x = 'x', y = 'y'}\n"})
T.hasnt(piped.out, "\27[", "piped: no colour")
T.done()
