-- Frequencies and year-to-date data (issue 14): resample, from_ytd and
-- to_ytd against pandas on generated series written in NBS's layout
-- (1-2月 published together), and what they refuse.  Seeded (ZB_SEED).
local T = require("check")
if not T.have_python("pandas") then T.done() end
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
local work = T.tmpdir()

-- zb's rows (key, value) against Python's JSON {key: value}: the keys
-- that differ, or are in one alone.
local function differences(rows, reference)
  local want, wrong = {}, {}
  for r in zb.sql("select key, value from json_each(?)", reference):rows() do want[r.key] = r.value end
  for _, r in ipairs(rows) do
    local w = want[r[1]]
    if (w == nil) ~= (r[2] == nil) or (w and math.abs(w - r[2]) > 1e-9 * math.max(1, math.abs(w))) then
      wrong[#wrong + 1] = string.format("%s: zb %s, pandas %s", r[1], tostring(r[2]), tostring(w))
    end
    want[r[1]] = nil
  end
  for k in pairs(want) do wrong[#wrong + 1] = k .. ": pandas alone" end
  table.sort(wrong)
  return wrong
end

-- Year-to-date series as NBS publishes them: 1-2月 together (or January
-- alone and then 1-2月), then 1-3月 ... as far as the year goes.
local lines, periods = {"region,month,ytd"}, 0
for _, region in ipairs{"杭州", "宁波"} do
  for year = 2020, 2022 do
    local total, last = 0, math.random(3, 12)
    local january = math.random() < 0.3
    for m = january and 1 or 2, last do
      total = total + (m == 2 and not january and math.random(20, 60) or math.random(10, 30)) + math.random(0, 9) / 10
      local spelled = m == 1 and string.format("%d年1月", year) or string.format("%d年1-%d月", year, m)
      lines[#lines + 1] = string.format("%s,%s,%.1f", region, spelled, total)
      periods = periods + 1
    end
  end
end
T.write(work .. "/ytd.csv", table.concat(lines, "\n") .. "\n")
local ytd = zb.read_csv(work .. "/ytd.csv")
local own = ytd:from_ytd{value = "ytd", time = "month", by = "region"}
local got = {}
for r in own:rows() do got[#got + 1] = {r.region .. " " .. r.month, r.ytd} end
local reference = T.python([==[
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
parts = df["month"].str.extract(r"(\d+)年(?:1-)?(\d+)月").astype(int)
df["year"], df["end"] = parts[0], parts[1]
df = df.sort_values(["region", "year", "end"])
df["own"] = df.groupby(["region", "year"])["ytd"].diff()
first = df.groupby(["region", "year"]).cumcount() == 0
df.loc[first, "own"] = df.loc[first, "ytd"]
def label(r, first):
    if first and r.end == 2: return f"{r.year}-01~02"
    return f"{r.year}-{r.end:02d}"
out = {f"{r.region} {label(r, f)}": r.own for (_, r), f in zip(df.iterrows(), first)}
print(json.dumps(out))
]==], work .. "/ytd.csv")
local wrong = differences(got, reference)
T.eq(#wrong, 0, string.format("from_ytd: %d year-to-date values to their own as pandas' diff gives them, 1-2月 " ..
                              "kept whole (seed %d)", periods, seed), wrong)
local back = {}
for r in own:to_ytd{value = "ytd", time = "month", by = "region"}:rows() do back[#back + 1] = r.ytd end
local orig = {}
for r in ytd:order("region", "month"):rows() do orig[#orig + 1] = r.ytd end
T.eq(#back, #orig, "to_ytd gives a row for each")
local sum_back, sum_orig = 0, 0
for i = 1, #back do sum_back, sum_orig = sum_back + back[i], sum_orig + orig[i] end
T.ok(math.abs(sum_back - sum_orig) < 1e-6, "to_ytd takes from_ytd's values back to the year-to-date totals")
local spelled = own:to_ytd{value = "ytd", time = "month", by = "region"}:where{region = "杭州"}:order("month"):col("month")
T.ok(spelled[1]:match("^2020%-01") ~= nil, "to_ytd's periods are year-to-date spans (2020-01~02 ...)", spelled)

-- to_ytd on each period's own values, against pandas' running sums within a year
lines = {"region,month,v"}
for _, region in ipairs{"杭州", "宁波"} do
  for year = 2020, 2021 do
    local joint = math.random() < 0.5  -- January and February published together
    for m = joint and 2 or 1, math.random(3, 12) do
      local spelled = (joint and m == 2) and string.format("%d年1-2月", year) or string.format("%d年%d月", year, m)
      lines[#lines + 1] = string.format("%s,%s,%.2f", region, spelled, math.random(1, 9999) / 100)
    end
  end
end
T.write(work .. "/own.csv", table.concat(lines, "\n") .. "\n")
got = {}
for r in zb.read_csv(work .. "/own.csv"):to_ytd{value = "v", time = "month", by = "region"}:rows() do
  got[#got + 1] = {r.region .. " " .. r.month, r.v}
end
wrong = differences(got, T.python([==[
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
parts = df["month"].str.extract(r"(\d+)年(?:1-)?(\d+)月").astype(int)
df["year"], df["end"] = parts[0], parts[1]
df = df.sort_values(["region", "year", "end"])
df["ytd"] = df.groupby(["region", "year"])["v"].cumsum()
label = lambda r: f"{r.year}-{r.end:02d}" if r.end == 1 else f"{r.year}-01~{r.end:02d}"
print(json.dumps({f"{r.region} {label(r)}": r.ytd for _, r in df.iterrows()}))
]==], work .. "/own.csv"))
T.eq(#wrong, 0, string.format("to_ytd: running totals within each year as pandas' cumsum gives them (seed %d)", seed), wrong)

local with_unit = zb.read_csv(T.file(work, "u.csv", "m,v\n2021年1-2月,3\n2021年1-3月,5\n"), {units = {v = "亿元"}})
T.eq(with_unit:from_ytd{value = "v", time = "m"}.units.v, "亿元", "from_ytd keeps the value's unit ...")
T.eq(with_unit:from_ytd{value = "v", time = "m"}:to_ytd{value = "v", time = "m"}.units.v, "亿元", "... and to_ytd")

-- 累计同比: yoy over year-to-date values compares 1-3月 with 1-3月
local cum = zb.sql([[select '2021年1-2月' as m, 30.0 as v union all select '2021年1-3月', 50
                     union all select '2022年1-2月', 33 union all select '2022年1-3月', 56]])
local growth = cum:yoy{value = "v", time = "m"}:where("yoy is not null"):order("m"):col("yoy")
T.ok(#growth == 2 and math.abs(growth[1] - 10) < 1e-12 and math.abs(growth[2] - 12) < 1e-12,
     "year-to-date growth (累计同比) is yoy: 1-2月 from 1-2月, 1-3月 from 1-3月", growth)

-- resample against pandas: two regions, months with gaps, flows, stocks, rates
lines = {"region,month,flow,stock,rate"}
for _, region in ipairs{"a", "b"} do
  for year = 2021, 2022 do
    for m = 1, 12 do
      if math.random() < 0.85 then
        lines[#lines + 1] = string.format("%s,%d-%02d,%d,%d,%.2f", region, year, m, math.random(0, 100),
                                          math.random(500, 900), math.random(-200, 500) / 100)
      end
    end
  end
end
T.write(work .. "/months.csv", table.concat(lines, "\n") .. "\n")
local months = zb.read_csv(work .. "/months.csv")
local pandas = T.python([==[
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
df["period"] = pd.PeriodIndex(df["month"], freq="M")
out = {}
for to, freq, each in (("quarter", "Q", 3), ("year", "Y", 12)):
    df["target"] = df["period"].dt.asfreq(freq)
    g = df.sort_values("period").groupby(["region", "target"])
    agg = g.agg(flow=("flow", "sum"), stock=("stock", "last"), rate=("rate", "mean"), n=("flow", "size"))
    for (region, target), r in agg.iterrows():
        whole = r.n == each
        label = str(target).replace("Q", "-Q")
        for c in ("flow", "stock", "rate"):
            out[f"{to} {region} {label} {c}"] = float(r[c]) if whole else None
            out[f"{to} partial {region} {label} {c}"] = float(r[c])
print(json.dumps(out))
]==], work .. "/months.csv")
got = {}
for _, to in ipairs{"quarter", "year"} do
  for _, partial in ipairs{false, true} do
    local r = months:resample{time = "month", to = to, by = "region", sum = "flow", last = "stock", mean = "rate",
                              partial = partial}
    for row in r:rows() do
      for _, c in ipairs{"flow", "stock", "rate"} do
        got[#got + 1] = {string.format("%s %s%s %s %s", to, partial and "partial " or "", row.region, row.month, c), row[c]}
      end
    end
  end
end
wrong = differences(got, pandas)
T.eq(#wrong, 0, string.format("resample to quarters and years: sums, ends and means as pandas groups them, a " ..
                              "period not wholly there NULL unless partial (seed %d)", seed), wrong)
local q = zb.sql("select '2021年1-2月' as m, 30 as v union all select '2021年3月', 20"):resample{time = "m", to = "Q", sum = "v"}
T.eq(q:col("v")[1], 50, "a two-month 1-2月 counts its months: with March, a whole first quarter")

-- Refusals, each naming what is wrong
T.fails(function() return zb.sql("select '2021年1-3月' as m, 1 as v union all select '2021年1-5月', 2")
                          :from_ytd{value = "v", time = "m"} end,
        "from_ytd: m = 2021年1-3月 is the first of 2021: the months before it are missing", "a year starting late")
T.fails(function() return zb.sql("select '2021年1-2月' as m, 1 as v union all select '2021年1-5月', 2")
                          :from_ytd{value = "v", time = "m"} end,
        "from_ytd: m = 2021年1-5月 follows 2021年1-2月: the months between are missing", "a gap in a year-to-date series")
T.fails(function() return zb.sql("select '2021年1-2月' as m, 1 as v union all select '2021年1-3月', 2 " ..
                                 "union all select '2021年3月', 3"):from_ytd{value = "v", time = "m"} end,
        "end at the same period", "two rows ending at one month")
T.fails(function() return zb.sql("select 2021 as y, 1 as v"):from_ytd{value = "v", time = "y"} end,
        "from_ytd: column y holds years; year-to-date values are months' or quarters'", "years have no year-to-date")
T.fails(function() return zb.sql("select '2021-01' as m, 1 as v union all select '2021-03', 2"):to_ytd{value = "v", time = "m"} end,
        "to_ytd: m = 2021-03 follows 2021-01: the months between are missing", "to_ytd refuses a gap")
T.fails(function() return zb.sql("select '2021-Q1' as q, 1 as v"):resample{time = "q", to = "quarter", sum = "v"} end,
        "resample: column q holds quarters, which do not make quarters", "no resampling to the same frequency")
T.fails(function() return zb.sql("select '2021年1-5月' as m, 1 as v"):resample{time = "m", to = "Q", sum = "v"} end,
        "resample: m = 2021年1-5月 spans two quarters", "a span across quarters")
T.fails(function() return zb.sql("select '2021年1-2月' as m, 1 as v"):resample{time = "m", to = "Q", mean = "v"} end,
        "a mean would count a span as one period", "no mean over spans")
T.fails(function() return zb.sql("select '2022-01~02' as m, 3.0 as f union all select '2022-01~03', 6")
                          :resample{time = "m", to = "quarter", sum = "f", partial = true} end,
        "resample: m = 2022-01~03 overlaps 2022-01~02: year-to-date totals hold the same periods",
        "overlapping year-to-date totals (Q1 would be 9, not 6)")
T.fails(function() return zb.sql("select '2022-01' as m, 3.0 as f union all select '2022-01~02', 6 " ..
                                 "union all select '2022-03', 1"):resample{time = "m", to = "quarter", sum = "f"} end,
        "resample: m = 2022-01~02 overlaps 2022-01", "January alone and in 1-2月 (counted twice)")
T.fails(function() return months:resample{time = "month", to = "week", sum = "flow"} end,
        "resample: to must be \"quarter\", \"half\" or \"year\", not week", "an unknown frequency")
T.fails(function() return months:resample{time = "month", to = "year", sum = "flow", last = "flow"} end,
        "resample: column flow is given twice (sum and last)", "a column given twice")
T.fails(function() return months:resample{time = "month", to = "year"} end, "resample: no columns given",
        "no columns")
T.cleanup()
T.done()
