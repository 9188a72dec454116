-- Real and nominal (issue 14): chain (growth rates into an index),
-- deflate (nominal values at one period's prices) and the product
-- aggregate under them, against Python's exact Fraction arithmetic and,
-- for the README's Zhejiang example, against pandas reading the shipped
-- files itself.  Seeded (ZB_SEED repeats a run).
local T = require("check")
if not T.have_python("pandas") then T.done() end
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
local work = T.tmpdir()

-- The largest relative difference between zb's column and Python's
-- figures (JSON: key -> value), over the keys of both.
local function worst(rows, key, column, reference)
  local ref, seen, diff = {}, 0, 0
  for r in zb.sql("select key, value from json_each(?)", reference):rows() do ref[r.key] = r.value end
  for _, r in ipairs(rows) do
    local want = ref[r[key]]
    seen = seen + 1
    if want == nil or r[column] == nil then return math.huge, r[key] end
    diff = math.max(diff, math.abs(r[column] - want) / math.max(math.abs(want), 1e-300))
  end
  return diff, seen
end

-- Random growth series for two regions, each a run of years
local lines = {"region,year,g"}
for _, region in ipairs{"甲", "乙"} do
  local first = math.random(1990, 2010)
  for y = first, first + math.random(5, 30) do
    lines[#lines + 1] = string.format("%s,%d,%s", region, y, string.format("%.1f", math.random(-150, 250) / 10))
  end
end
T.write(work .. "/growth.csv", table.concat(lines, "\n") .. "\n")
local g = zb.read_csv(work .. "/growth.csv")
local base = g:where{region = "甲"}:order("year"):limit(1, 2):rows()().year  -- the third year of 甲
local chained = {}
for r in g:chain{value = "g", time = "year", by = "region"}:rows() do
  chained[#chained + 1] = {key = r.region .. r.year, index = r.index}
end
local rebased = {}
for r in g:where{region = "甲"}:chain{value = "g", time = "year", base = base}:rows() do
  rebased[#rebased + 1] = {key = r.region .. r.year, index = r.index}
end
local exact = T.python([==[
import csv, json, sys
from fractions import Fraction
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
out, rebased, level = {}, {}, {}
for r in rows:  # in year order within each region, as written
    level[r["region"]] = level.get(r["region"], Fraction(100)) * (1 + Fraction(r["g"]) / 100)
    out[r["region"] + r["year"]] = level[r["region"]]
base = out["甲" + sys.argv[2]]
for k, v in out.items():
    if k.startswith("甲"):
        rebased[k] = float(v / base * 100)
print(json.dumps({"chained": {k: float(v) for k, v in out.items()}, "rebased": rebased}))
]==], work .. "/growth.csv", tostring(base))
local parts = zb.sql("select json_extract(?, '$.chained') as c, json_extract(?, '$.rebased') as r", exact, exact):rows()()
local diff, n = worst(chained, "key", "index", parts.c)
T.ok(diff < 1e-12, string.format("chain: %d periods match exact Fraction products (seed %d; worst %.3g)", #chained,
     seed, diff), n)
diff, n = worst(rebased, "key", "index", parts.r)
T.ok(diff < 1e-12, string.format("chain with base = %d: 100 there, exact elsewhere (worst %.3g)", base, diff), n)
local back = g:chain{value = "g", time = "year", by = "region"}:yoy{value = "index", time = "year", by = "region",
                                                                      name = "again"}
local off = back:where("again is not null"):agg{d = "max(abs(again - g))"}:value()
T.ok(off < 1e-9, "yoy takes a chained index back to its growth rates", off)

-- Deflating: the README's example, against pandas reading the shipped files
local gdp = zb.dataset("nbs-province-gdp"):where{["地区"] = "浙江省"}
                :melt{id = "地区", cols = "^(%d+)年$", name = "year", value = "gdp"}
local cpi = zb.dataset("oecd-china-cpi"):select({year = "TIME_PERIOD"}, {cpi = "OBS_VALUE"})
local zj = gdp:join(cpi, "year", "left"):deflate{value = "gdp", price = "cpi", time = "year", kind = "change"}
               :yoy{value = "real", time = "year", name = "real_growth"}
local real = {}
for r in zj:where("real_growth is not null"):rows() do real[#real + 1] = {key = tostring(r.year), g = r.real_growth} end
local reference = T.python([==[
import json, sys
import pandas as pd
wide = pd.read_csv(sys.argv[1], encoding="gbk", skiprows=3, skipfooter=2, engine="python")
zj = wide[wide["地区"] == "浙江省"].drop(columns="地区").T
zj.index = [int(c.rstrip("年")) for c in zj.index]
gdp = zj.iloc[:, 0].astype(float).sort_index()
cpi = pd.read_csv(sys.argv[2]).set_index("TIME_PERIOD")["OBS_VALUE"]
prices = (1 + cpi.loc[gdp.index] / 100).cumprod()
real = (gdp / prices).pct_change() * 100
print(json.dumps({str(k): v for k, v in real.dropna().items()}))
]==], zb.paths.datasets .. "/nbs-province-gdp-2006-2024.gbk.csv", zb.paths.datasets .. "/sdmx-oecd-g20-prices-chn-cpi.csv")
diff, n = worst(real, "key", "g", reference)
T.ok(diff < 1e-9, string.format("Zhejiang's GDP deflated by China's CPI: %d years of real growth as pandas computes " ..
                                "them (worst %.3g)", #real, diff), n)
T.eq(#real, 18, "2007-2024: 18 years of growth")

-- The World Bank's GDP and population: China 2021 as the data's README
-- says, and GDP per head of every country a year as pandas computes it
local wgdp = zb.dataset("wdi-gdp", {name = "wdi_gdp"})
local wpop = zb.dataset("wdi-population", {name = "wdi_pop"})
T.eq(wgdp:where{["Country Code"] = "CHN", Year = 2021}:select("Value"):value(), 17820459508852.184, "China's 2021 GDP (US$)")
T.eq(wpop:where{["Country Code"] = "CHN", Year = 2021}:select("Value"):value(), 1412360000, "China's 2021 population")
local per_head = wgdp:rename{gdp = "Value"}:join(wpop:rename{pop = "Value"}:select("Country Code", "Year", "pop"),
                                                 {"Country Code", "Year"})
                     :mutate{usd = "gdp / pop"}:where("pop > 0")
local ours = {}
for r in per_head:rows() do ours[#ours + 1] = {key = r["Country Code"] .. r.Year, v = r.usd} end
local theirs = T.python([==[
import json, sys
import pandas as pd
g = pd.read_csv(sys.argv[1]); p = pd.read_csv(sys.argv[2])
m = g.merge(p, on=["Country Code", "Year"], suffixes=("_g", "_p"))
m = m[m.Value_p > 0]
print(json.dumps({f"{c}{y}": v for c, y, v in zip(m["Country Code"], m.Year, m.Value_g / m.Value_p)}))
]==], zb.paths.datasets .. "/wdi-gdp-current-usd.csv", zb.paths.datasets .. "/wdi-population.csv")
diff, n = worst(ours, "key", "v", theirs)
T.ok(diff < 1e-12 and #ours > 10000, string.format("GDP per head, %d country-years, as pandas computes it (worst %.3g)",
                                                   #ours, diff), n)

-- The same series in the layouts the World Bank's API and JSON-stat APIs
-- publish (tests/lib/make_wdi_layouts.py wrote them from the long files):
-- each loads in one call to the long file's values, as pandas reads them
do
  local dir = T.tmpdir()
  for _, f in ipairs{"wdi-gdp-current-usd.csv", "wdi-population.csv"} do
    T.write(dir .. "/" .. f, T.read(zb.paths.datasets .. "/" .. f))
  end
  T.ok(os.execute(T.PYTHON .. " " .. T.shell_quote(zb.paths.datasets .. "/../tests/lib/make_wdi_layouts.py") .. " " ..
                  T.shell_quote(dir)), "make_wdi_layouts.py runs")
  for _, f in ipairs{"wdi-gdp-api.csv", "wdi-2000-2023.jsonstat.json"} do
    T.ok(T.read(dir .. "/" .. f) == T.read(zb.paths.datasets .. "/" .. f), f .. " is what make_wdi_layouts.py makes")
  end
  local want = T.python([==[
import json, sys
import pandas as pd
out = {}
for code, path in (("NY.GDP.MKTP.CD", sys.argv[1]), ("SP.POP.TOTL", sys.argv[2])):
    f = pd.read_csv(path, float_precision="round_trip").dropna(subset=["Value"])  # correctly rounded
    for c, y, v in zip(f["Country Code"], f.Year, f.Value):
        out[f"{code}|{c}|{y}"] = float(v)
print(json.dumps(out))
]==], zb.paths.datasets .. "/wdi-gdp-current-usd.csv", zb.paths.datasets .. "/wdi-population.csv")
  local ref = {}
  for r in zb.sql("select key, value from json_each(?)", want):rows() do ref[r.key] = r.value end
  -- t's rows against the reference's values whose key keep(key) is true
  local function compare(t, label, keep)
    local same, rows, expected = 0, 0, 0
    for r in t:rows() do
      rows = rows + 1
      if ref[r.indicator_code .. "|" .. r.country_code .. "|" .. math.tointeger(r.year)] == r.value then same = same + 1 end
    end
    for key in pairs(ref) do if keep(key) then expected = expected + 1 end end
    T.ok(same == rows and rows == expected and rows > 10000,
         string.format("%s: %d values, every one the long file's as pandas reads it (%d the same, %d expected)", label,
                       rows, same, expected))
  end
  local api = zb.read_worldbank(zb.paths.datasets .. "/wdi-gdp-api.csv")
  T.eq(api.meta.format, "World Bank API CSV", "the API download is read as one")
  T.eq(api.meta.notes[1], "Data Source, World Development Indicators", "... its preamble kept as a note")
  compare(api, "the World Bank API CSV of GDP", function(key) return key:find("NY.GDP.MKTP.CD|", 1, true) == 1 end)
  local js = zb.read_jsonstat(zb.paths.datasets .. "/wdi-2000-2023.jsonstat.json")
  T.eq(js.meta.format, "JSON-stat 2.0", "the JSON-stat dataset is read as one")
  compare(js:where("value is not null"):rename{indicator_code = "indicator", country_code = "country"},
          "JSON-stat, GDP and population 2000-2023", function(key)
            local y = tonumber(key:match("(%d+)$"))
            return y >= 2000 and y <= 2023
          end)
  T.eq(js:count(), 2 * 265 * 24, "... a row a cell of the cube, NULL where the series has no value")
end

-- A price index of any base gives the same real growth
local p = zb.sql([[select 2019 as year, 100.0 as v, 80.0 as p union all select 2020, 110, 84
                   union all select 2021, 121, 88.2]])
local by_index = p:deflate{value = "v", price = "p", time = "year", base = 2021}:order("year"):col("real")
T.eq(string.format("%.10g,%.10g,%.10g", table.unpack(by_index)), string.format("%.10g,%.10g,%.10g",
     100 * 88.2 / 80, 110 * 88.2 / 84, 121), "deflate by an index: at base's prices")
local default = p:deflate{value = "v", price = "p", time = "year"}:order("year"):col("real")
T.eq(default[1], 100.0, "the default base is the first period")

-- Refusals: a missing price, a gap under changes, a series without its base
T.fails(function()
  return zb.sql("select 2020 as year, 1.0 as v, 100.0 as p union all select 2021, 1, NULL")
         :deflate{value = "v", price = "p", time = "year"}
end, "deflate: the price (column p) is NULL at year = 2021; every period needs its price", "a missing price")
T.fails(function()
  return zb.sql("select 2020 as year, 1.0 as v, 2.0 as c union all select 2022, 1, 3")
         :deflate{value = "v", price = "c", time = "year", kind = "change"}
end, "deflate: year = 2022 follows 2020: the periods between are missing", "changes across a gap")
T.eq(#zb.sql("select 2020 as year, 1.0 as v, 100.0 as p union all select 2022, 1, 110")
          :deflate{value = "v", price = "p", time = "year"}, 2, "an index needs no run of periods")
T.fails(function()
  return zb.sql([[select 'a' as r, 2020 as year, 1.0 as v, 100.0 as p union all select 'a', 2021, 1, 101
                  union all select 'b', 2021, 1, 99]]):deflate{value = "v", price = "p", time = "year", by = "r", base = 2020}
end, "deflate: no price at the base period 2020 for r = b", "a series without the base period")
T.fails(function() return p:deflate{value = "v", price = "p", time = "year", kind = "rate"} end,
        "deflate: kind must be \"index\" (a price index), \"change\" (its % changes on the period before) or " ..
        "\"previous\" (indices, the period before = 100), not rate", "a bad kind")
T.fails(function()
  return zb.sql("select 2020 as year, 1.0 as v, 100.0 as p"):where("year > 2020"):deflate{value = "v", price = "p", time = "year"}
end, "deflate: the table has no rows, so no first period to be the base",
     "a table without rows has no default base (it failed indexing a nil in zb's own code)")
-- NBS publishes price indices with the year before = 100 (上年=100): kind = "previous"
local prev = zb.sql("select 2020 as year, 100.0 as gdp, 102.0 as cpi union all select 2021, 110, 101 " ..
                    "union all select 2022, 120, 103")
T.ok(math.abs(prev:deflate{value = "gdp", price = "cpi", time = "year", kind = "previous"}:order("year"):col("real")[3] -
              120 / (1.01 * 1.03)) < 1e-9, "kind = \"previous\": 101 and 103 are +1% and +3%")
T.fails(function() return prev:deflate{value = "gdp", price = "cpi", time = "year", kind = "change"} end,
        "every value of cpi is 50 or more: % changes, or indices with the period before = 100 (上年=100)?",
        "indices taken for % changes are refused, not read as +102%")
T.eq(prev:where("year > 2022"):chain{value = "cpi", time = "year"}:count(), 0,
     "a table without rows chains to none (it was 'every value of cpi is 50 or more')")
T.fails(function()
  return zb.sql("select 2020 as year, 1.0 as v, 2.0 as c union all select 2021, 1, -100")
         :deflate{value = "v", price = "c", time = "year", kind = "change"}
end, "c = -100 at year = 2021: a level would fall to zero or below", "a change of -100% ends every level")
T.fails(function()
  return zb.sql("select 2020 as year, 1.0 as v, 100.0 as p union all select 2021, 1, 0")
         :deflate{value = "v", price = "p", time = "year"}
end, "deflate: the price index p is 0 at year = 2021; a price index is above 0", "a price index of 0")
T.fails(function() return zb.sql("select 2001 as year, 10.0 as g union all select 2002, 5")
                          :chain{value = "g", time = "year", base = 2000} end,
        "chain: no row for the base period 2000 (without base, the index is 100 at the period before the first)",
        "a base outside the rows says what the default is")
T.fails(function() return zb.sql("select '2022年1-2月' as m, 1.0 as g union all select '2022年3月', 2")
                          :chain{value = "g", time = "m"} end,
        "chain: column m mixes year-to-date totals (1-2月) with single periods", "a chain of one kind of period")
T.fails(function()
  return zb.sql("select 2001 as year, 10.0 as g union all select 2003, 5"):chain{value = "g", time = "year"}
end, "chain: year = 2003 follows 2001: the periods between are missing, and chaining across them would be wrong",
  "chain refuses a gap")
T.fails(function()
  return zb.sql("select 2001 as year, 10.0 as g union all select 2002, NULL"):chain{value = "g", time = "year"}
end, "chain: growth (column g) is NULL at year = 2002; the periods after it cannot be chained", "chain refuses a NULL")
T.fails(function()
  return zb.sql("select 2001 as year, 'x' as g"):chain{value = "g", time = "year"}
end, "chain: column g holds 'x'", "chain refuses text")

-- product(): running and sliding windows against Fraction
local values = {}
for i = 1, 40 do values[i] = math.random(-30, 30) / 8 end
local sql_values = {}
for i, v in ipairs(values) do sql_values[i] = string.format("(%d, %.17g)", i, v) end
local windows = zb.sql("with c(i, x) as (values " .. table.concat(sql_values, ", ") .. ") select i, " ..
                       "product(x) over (order by i rows unbounded preceding) as run, " ..
                       "product(x) over (order by i rows 3 preceding) as slide from c order by i"):rows()
local ok = true
for r in windows do
  local run, slide = 1, 1
  for j = 1, r.i do run = run * values[j] end
  for j = math.max(1, r.i - 3), r.i do slide = slide * values[j] end
  ok = ok and r.run == run and r.slide == slide
end
T.ok(ok, "product over a running and a sliding window: each frame's product, in order (eighths: exact)")
T.eq(zb.stats.product({2, nil, 4, n = 3}), 8, "zb.stats.product skips nils")
T.done()
