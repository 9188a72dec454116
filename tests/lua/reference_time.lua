-- Differential tests of statistical time (issue 12): zb's period-aware
-- methods (yoy, pop, lag, moving, cagr) over annual, half-year, quarterly,
-- monthly and daily series spelled every way, inserted shuffled, with gaps,
-- against pandas on the
-- same numbers (a PeriodIndex reindexed, shift and rolling); and zb.period's
-- day arithmetic against Python's datetime.  Seeded (ZB_SEED repeats one).
local T = require("check")
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
if not T.have_python("pandas") then T.done() end
local work = T.tmpdir()
local python = T.python

-- Each frequency: periods a year, and spellings of (year, position); a
-- day's position is its day of the year.
local function date_of(y, d)
  local p = zb.period(string.format("%d-01-01", y)) + (d - 1)
  return p
end
local frequencies = {
  A = {1, {function(y) return y end, function(y) return y .. "年" end, function(y) return tostring(y) end}},
  S = {2, {function(y, h) return y .. "H" .. h end, function(y, h) return y .. "-S" .. h end,
           function(y, h) return y .. "年" .. ({"上", "下"})[h] .. "半年" end}},
  D = {366, {function(y, d) return tostring(date_of(y, d)) end,
             function(y, d) local t = tostring(date_of(y, d)) return t:sub(1, 4) .. "/" .. tonumber(t:sub(6, 7)) .. "/" .. tonumber(t:sub(9)) end,
             function(y, d) local t = tostring(date_of(y, d)) return t:sub(1, 4) .. "年" .. tonumber(t:sub(6, 7)) .. "月" .. tonumber(t:sub(9)) .. "日" end,
             function(y, d) return tonumber((tostring(date_of(y, d)):gsub("-", ""))) end}},
  M = {12, {function(y, m) return string.format("%d-%02d", y, m) end, function(y, m) return y .. "年" .. m .. "月" end,
            function(y, m) return y * 100 + m end, function(y, m) return y .. "M" .. m end,
            function(y, m) return y .. "/" .. m end}},
  Q = {4, {function(y, q) return y .. "Q" .. q end, function(y, q) return y .. "-Q" .. q end,
           function(y, q) return y .. "年第" .. ({"一", "二", "三", "四"})[q] .. "季度" end,
           function(y, q) return y .. "年" .. q .. "季度" end}},
}

local PY = [==[
import csv, json, sys
import pandas as pd
import datetime
per_year = int(sys.argv[2])
days = per_year == 366  # a day's index: days since 1970; a year ago: the same date (none for 29 February)
epoch = datetime.date(1970, 1, 1)
rows = list(csv.DictReader(open(sys.argv[1])))
out = {}
def index(r):
    if days:
        return (datetime.date(int(r['y']), 1, 1) + datetime.timedelta(days=int(r['p']) - 1) - epoch).days
    return int(r['y']) * per_year + int(r['p']) - 1
for region in sorted({r['region'] for r in rows}):
    mine = [r for r in rows if r['region'] == region]
    idx = [index(r) for r in mine]
    s = pd.Series([float(r['v']) for r in mine], index=idx).sort_index()
    full = s.reindex(range(min(idx), max(idx) + 1))
    if days:
        def ago(i):
            d = epoch + datetime.timedelta(days=i)
            if d.month == 2 and d.day == 29:
                return None
            return (d.replace(year=d.year - 1) - epoch).days
        before = pd.Series([full.get(ago(i)) if ago(i) is not None else None for i in full.index], index=full.index, dtype=float)
        yoy = (full / before - 1) * 100
    else:
        yoy = (full / full.shift(per_year) - 1) * 100
    res = pd.DataFrame({'yoy': yoy, 'pop': (full / full.shift(1) - 1) * 100,
                        'lag2': full.shift(2), 'moving': full.rolling(3).mean(), 'lag1': full.shift(1),
                        'lead1': full.shift(-1), 'index': full / s.get(int(sys.argv[3]), float('nan')) * 100})
    for i in idx:
        r = res.loc[i]
        out[region + '/' + str(i)] = [None if pd.isna(r[c]) else float(r[c]) for c in ['yoy', 'pop', 'lag2', 'moving', 'lag1', 'lead1', 'index']]
    first, last = s.index[0], s.index[-1]
    years = (last - first) / (365.2425 if days else per_year)
    out[region] = (s[last] / s[first]) ** (1 / years) * 100 - 100 if years > 0 else None
print(json.dumps(out))
]==]

local function close(x, r)
  if r == nil then return x == nil end
  if x == nil then return false end
  return math.abs(x - r) <= 1e-9 * math.max(1, math.abs(r))
end

for _, freq in ipairs{"A", "S", "Q", "M", "D"} do
  local f = frequencies[freq]
  local per_year, spell = f[1], f[2]
  local rows, lines = {}, {}
  for _, region in ipairs{"杭州", "宁波", "温州"} do
    for y = freq == "A" and 2000 or 2018, freq == "D" and 2021 or 2022 do  -- days: 2018 to 2021, 2020 a leap year
      for p = 1, freq == "D" and (y == 2020 and 366 or 365) or per_year do
        if math.random() > 0.15 then  -- gaps
          rows[#rows + 1] = {region = region, y = y, p = p, v = math.random(50, 500),
                             t = spell[math.random(#spell)](y, p)}
        end
      end
    end
  end
  for i = #rows, 2, -1 do  -- inserted shuffled
    local j = math.random(i)
    rows[i], rows[j] = rows[j], rows[i]
  end
  zb.db:sql("drop table if exists series_" .. freq)
  zb.db:sql("create table series_" .. freq .. " (region text, t, v real)")
  zb.db:atomic(function()
    for _, r in ipairs(rows) do
      zb.db:sql("insert into series_" .. freq .. " values (?, ?, ?)", r.region, r.t, r.v)
      lines[#lines + 1] = string.format("%s,%d,%d,%d", r.region, r.y, r.p, r.v)
    end
  end)
  T.write(work .. "/series.csv", "region,y,p,v\n" .. table.concat(lines, "\n") .. "\n")
  local base = rows[1].t  -- the index's base: a period there is, in one of its spellings
  local ref = zb.sql("select key, value from json_each(?)", python(PY, work .. "/series.csv", tostring(per_year),
                                                                 tostring(zb.period(base):index())))
  local want = {}
  for _, r in ipairs(ref) do want[r.key] = r.value end
  local t = zb.table("series_" .. freq)
  local got = t:yoy{value = "v", time = "t", by = "region"}:pop{value = "v", time = "t", by = "region"}
    :lag{value = "v", time = "t", by = "region", n = 2, name = "lag2"}
    :moving{value = "v", time = "t", by = "region", n = 3}
    :lag{value = "v", time = "t", by = "region", name = "lag1"}:lead{value = "v", time = "t", by = "region", name = "lead1"}
    :index{value = "v", time = "t", by = "region", base = base}
  local bad = {}
  for r in got:rows() do
    local p = zb.period(r.t)
    local key = r.region .. "/" .. p:index()
    local expect = zb.sql("select value from json_each(?) order by key", want[key] or "[]"):col("value")
    for i, name in ipairs{"yoy", "pop", "lag2", "moving_avg", "lag1", "lead1", "index"} do
      if not close(r[name], expect[i]) then
        bad[#bad + 1] = string.format("%s %s %s: zb %s, pandas %s", r.region, tostring(r.t), name, tostring(r[name]),
                                      tostring(expect[i]))
      end
    end
  end
  T.eq(table.concat(bad, "; "), "", string.format("%s (seed %d): yoy, pop, lag 1 and 2, lead 1, index and moving 3 agree with pandas on %d " ..
                                                  "rows in %d spellings, shuffled, with gaps", freq, seed, #rows, #spell))
  local cagr_bad = {}
  for r in t:cagr{value = "v", time = "t", by = "region"}:rows() do
    if not close(r.cagr, want[r.region]) then
      cagr_bad[#cagr_bad + 1] = string.format("%s: zb %s, pandas %s", r.region, tostring(r.cagr), tostring(want[r.region]))
    end
  end
  T.eq(table.concat(cagr_bad, "; "), "", freq .. ": cagr over fractional years agrees with pandas")
  -- a duplicate: one of the periods again, spelled another way
  local again = rows[math.random(#rows)]
  zb.db:sql("insert into series_" .. freq .. " values (?, ?, ?)", again.region, spell[#spell](again.y, again.p) == again.t
            and spell[1](again.y, again.p) or spell[#spell](again.y, again.p), 1)
  local refused = {}
  for _, m in ipairs{"yoy", "pop", "lag", "lead", "moving", "cagr"} do
    local ok, why = pcall(function() return t[m](t, {value = "v", time = "t", by = "region"}):to_csv() end)
    if ok or not tostring(why):find("one value per period is needed", 1, true) then refused[#refused + 1] = m end
  end
  T.eq(table.concat(refused, ", "), "", freq .. ": a period twice in a series, spelled two ways, is refused by every method")
end

-- Days: zb.period's day arithmetic against Python's date.
local days = {}
for i = 1, 300 do
  local a = zb.period("1900-01-01") + math.random(0, 80000)
  days[i] = {tostring(a), math.random(-4000, 4000)}
end
local lines = {}
for i, d in ipairs(days) do lines[i] = d[1] .. "," .. d[2] end
T.write(work .. "/days.csv", table.concat(lines, "\n") .. "\n")
local py_days = python([==[
import datetime, json, sys
out = []
for line in open(sys.argv[1]):
    d, n = line.strip().split(',')
    a = datetime.date.fromisoformat(d)
    b = a + datetime.timedelta(days=int(n))
    try: ago = a.replace(year=a.year - 1).isoformat()
    except ValueError: ago = a.replace(year=a.year - 1, day=28).isoformat()
    out.append([b.isoformat(), (b - datetime.date(1970, 1, 1)).days, a.timetuple().tm_yday, ago])
print(json.dumps(out))
]==], work .. "/days.csv")
local bad = {}
for i, r in ipairs(zb.sql("select value from json_each(?) order by cast(key as integer)", py_days):col("value")) do
  local want = zb.sql("select value from json_each(?) order by key", r):col("value")
  local a = zb.period(days[i][1])
  local b = a + days[i][2]
  local got = {tostring(b), b - zb.period("1970-01-01"), a.position, tostring(a:year_ago())}
  for j = 1, 4 do
    if got[j] ~= want[j] then bad[#bad + 1] = string.format("%s + %d: zb %s, Python %s", days[i][1], days[i][2], got[j], want[j]) end
  end
end
T.eq(table.concat(bad, "; "), "", string.format("300 days from 1900 to 2119 (seed %d): sums, days since 1970, day of year " ..
                                                "and a year ago agree with Python's datetime", seed))
T.cleanup()
T.done()
