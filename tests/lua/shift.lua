-- lag, lead, yoy, pop and moving through zb_shifted (src/bridge/series.c), which
-- hashes the series instead of sorting every row: each row's value must be
-- the one SQLite's window path gives (the same methods with the engine's
-- path taken away), and, with no period twice in a series, the one a
-- self-join on the period k before gives; a period twice is an error.
local T = require("check")

local engine = zb.engine
local hashed_path = engine.shifted

-- The method's column of t's rows by id ("id=value" lines), or the error.
local function column(t, method, spec)
  local ok, out = pcall(function()
    local lines = {}
    for r in t[method](t, spec):rows() do
      local v = r[spec.name or method]
      lines[#lines + 1] = r.id .. "=" .. (v == nil and "NULL" or math.type(v) == "float" and string.format("%.17g.f", v)
                                          or tostring(v))
    end
    table.sort(lines)
    return table.concat(lines, "\n")
  end)
  return ok, out
end

local function both(t, method, spec)
  local ok, hashed = column(t, method, spec)
  engine.shifted = nil
  local ok_window, window = column(t, method, spec)
  engine.shifted = hashed_path
  return ok, hashed, ok_window, window
end

local pools = {
  region = {"'杭州市'", "'宁波市'", "''", "NULL", "1", "1.0", "'1'", "'a'"},
  ind = {"'gdp'", "'pop'", "NULL", "2"},
  value = {"1", "2.5", "-3", "0", "NULL", "100000", "'7'", "1e300", "0.1", "9223372036854775807", "-1e300"},
}
math.randomseed(20261204)
local function pick(pool) return pool[math.random(#pool)] end

-- A table of series with gaps; with repeat, one period twice in a series.
local function fill(name, nrows, time, repeated)
  zb.db:sql(string.format('create table "%s" (id integer primary key, region, ind, %s, v)', name, time.column))
  local seen = {}
  for _ = 1, nrows do
    local r, i, p = pick(pools.region), pick(pools.ind), time.pick()
    local key = (r == "1.0" and "1" or r) .. "|" .. i .. "|" .. p  -- 1.0 and 1: one key, as to PARTITION BY
    if not seen[key] then
      seen[key] = true
      zb.db:sql(string.format('insert into "%s" (region, ind, %s, v) values (%s, %s, %s, %s)', name, time.name, r, i,
                              time.sql(p), pick(pools.value)))
    end
  end
  if repeated then
    zb.db:sql(string.format('insert into "%s" (region, ind, %s, v) select region, ind, %s, 9 from "%s" limit 1', name,
                            time.name, time.name, name))
  end
end

local annual = {column = "year integer", name = "year", pick = function() return math.random(2000, 2012) end,
                sql = function(y) return tostring(y) end}
local monthly = {column = "month text", name = "month",
                 pick = function() return string.format("%d-%02d", math.random(2019, 2021), math.random(1, 12)) end,
                 sql = function(m) return "'" .. m .. "'" end}

-- moving checks the periods before its query; its sum stops at an overflow
local hashed_error = {moving = ""}
local checked, agreed = 0, 0
for round = 1, 16 do
  local time = round % 2 == 0 and monthly or annual
  local name = "s" .. round
  fill(name, math.random(0, 120), time, round % 5 == 0)
  local t = zb.table(name)
  local cases = {
    {"lag", {}}, {"lag", {n = 2}}, {"lead", {}}, {"lead", {n = 3}}, {"pop", {}}, {"yoy", {}},
    {"yoy", {step = 2}}, {"lag", {by = "region"}}, {"pop", {by = {}}},
    {"moving", {name = "m"}}, {"moving", {n = 2, partial = true, name = "m"}}, {"moving", {fn = "sum", name = "m"}},
    {"moving", {fn = "total", n = 4, partial = true, name = "m"}}, {"moving", {fn = "TOTAL", name = "m"}},
    {"moving", {fn = "max", name = "m"}},
  }
  for _, case in ipairs(cases) do
    local spec = {value = "v", time = time.name, by = {"region", "ind"}}
    for k, v in pairs(case[2]) do spec[k] = v end
    if type(spec.by) == "table" and #spec.by == 0 then spec.by = nil end
    local ok, hashed, ok_window, window = both(t, case[1], spec)
    local label = string.format("random table %d (%s%s): %s %s", round, time.name, round % 5 == 0 and ", a period twice" or "",
                                case[1], zb.pretty(case[2]))
    checked = checked + 1
    if ok and ok_window then
      agreed = agreed + (hashed == window and 1 or 0)
      T.eq(hashed, window, label .. ": the window path's values")
    else
      T.ok(not ok and not ok_window, label .. ": an error on both paths or neither",
           (ok and "hashed: no error" or hashed) .. "\n" .. (ok_window and "window: no error" or window))
      if not ok then T.has(tostring(hashed), hashed_error[case[1]] or "more than one row", label .. ": ... the hashed path's names the period twice") end
    end
  end
end
T.ok(agreed > checked / 2, string.format("most random cases ran to the end (%d of %d)", agreed, checked))

-- A self-join on the period k before, written here: the same values
zb.db:sql("create table ind (id integer primary key, region text, indicator text, year integer, value real)")
for i = 1, 900 do
  if i % 11 ~= 0 then  -- gaps
    zb.db:sql("insert into ind (region, indicator, year, value) values (?, ?, ?, ?)", ({"杭州市", "宁波市", "温州市"})[i % 3 + 1],
              ({"gdp", "income"})[(i // 3) % 2 + 1], 1900 + i // 6, i % 13 == 0 and nil or (i * 7919 % 1000) / 10)
  end
end
local t = zb.table("ind")
local spec = {value = "value", time = "year", by = {"region", "indicator"}}
local function self_join(k, expr)
  local lines = {}
  for r in zb.sql(string.format([[select a.id, %s as x from ind a left join ind b on b.region = a.region
                                  and b.indicator = a.indicator and b.year = a.year - %d]], expr, k)):rows() do
    lines[#lines + 1] = r.id .. "=" .. (r.x == nil and "NULL" or math.type(r.x) == "float" and string.format("%.17g.f", r.x)
                                        or tostring(r.x))
  end
  table.sort(lines)
  return table.concat(lines, "\n")
end
local _, got = column(t, "lag", spec)
T.eq(got, self_join(1, "b.value"), "lag: the value of the year before, as a self-join finds it")
spec.n = 3
_, got = column(t, "lead", spec)
T.eq(got, self_join(-3, "b.value"), "lead 3: the value three years after")
spec.n = nil
_, got = column(t, "yoy", spec)
T.eq(got, self_join(1, "growth(a.value, b.value)"), "yoy: growth over the year before")
T.has(t:yoy(spec):sql(), "zb_shifted(", "... through zb_shifted")
T.has(t:moving(spec):sql(), "zb_shifted(", "moving averages too")
T.hasnt(t:moving{value = "value", time = "year", by = {"region", "indicator"}, fn = "median"}:sql(), "zb_shifted(",
        "... but not the library's aggregates, which SQLite's window runs")
local ids = t:order("value desc", "id"):lag(spec):col("id")
T.eq(table.concat(ids, ","), table.concat(zb.sql("select id from ind order by value desc, id"):col("id"), ","),
     "the rows stay in the table's order")
local some = t:yoy(spec):where("year between 1950 and 1960 and region = '宁波市'")
local lines = {}
for r in some:rows() do lines[#lines + 1] = r.id .. "=" .. (r.yoy == nil and "NULL" or string.format("%.17g.f", r.yoy)) end
table.sort(lines)
T.eq(table.concat(lines, "\n"):gsub("\n?%d+=NULL", ""):gsub("^\n", ""), self_join(1, "case when a.year between 1950 and 1960 and a.region = '宁波市' then growth(a.value, b.value) end")
            :gsub("\n?%d+=NULL", ""):gsub("^\n", ""), "a where after yoy: the query reads only some rows of the scan")

-- What the hashed path leaves to SQLite's window: a key of another collation
zb.db:sql("create table nocase (id integer primary key, region text collate nocase, year integer, v real)")
zb.db:sql("insert into nocase (region, year, v) values ('a', 2020, 1), ('A', 2021, 2), ('b', 2021, 4)")
local nc = zb.table("nocase"):lag{value = "v", time = "year", by = "region"}
T.hasnt(nc:sql(), "zb_shifted", "a key that compares without case: SQLite's window")
T.eq(nc:order("id"):col("lag")[2], 1.0, "... 'a' and 'A' one series, as PARTITION BY has them")

-- moving against exact arithmetic (Python's Fraction) over each series
-- reindexed by year, as pandas' rolling windows it (a missing year a gap in
-- the window, min_periods the values a window needs), for zb_shifted's
-- sums in C as for SQLite's window: random series with gaps, NULLs and
-- values of every size.  Each result within the rounding any double sum
-- of its window may have (n ulps of the sum of the magnitudes); pandas'
-- own rolling sums are not (values that left the window leave their error).
if T.have_python("pandas") then
  local dir = T.tmpdir()
  local lines = {"region,year,value"}
  for _, region in ipairs{"A", "B", "C", "D", "E", "F"} do
    for year = 2000, 2040 do
      if math.random() > 0.2 then
        local v = math.random() < 0.1 and "" or string.format("%.17g", (math.random() - 0.3) * 10 ^ math.random(-3, 9))
        lines[#lines + 1] = string.format("%s,%d,%s", region, year, v)
      end
    end
  end
  local csv = T.file(dir, "series.csv", table.concat(lines, "\n") .. "\n")
  local series = zb.read_csv(csv, {name = "rolling_series"})
  local cases = {{fn = "avg", n = 3}, {fn = "sum", n = 4}, {fn = "avg", n = 2, partial = true}, {fn = "sum", n = 5, partial = true}}
  for _, c in ipairs(cases) do
    local want = T.python([==[
import sys, pandas as pd, math
from fractions import Fraction
df = pd.read_csv(sys.argv[1], float_precision="round_trip")
n, fn, partial = int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
for region, g in df.sort_values(["region", "year"]).groupby("region"):
    s = g.set_index("year")["value"].reindex(range(g.year.min(), g.year.max() + 1))
    for y in g.year:
        window = [v for v in s.loc[max(y - n + 1, g.year.min()):y] if not math.isnan(v)]
        if len(window) < (1 if partial else n):
            print("nan 0")
            continue
        exact = sum(Fraction(v) for v in window)
        if fn == "avg": exact /= len(window)
        print(repr(float(exact)), repr(float(sum(abs(v) for v in window))))
]==], csv, tostring(c.n), c.fn, c.partial and "1" or "0")
    local ref = {}
    for value, size in want:gmatch("(%S+) (%S+)") do ref[#ref + 1] = {tonumber(value) or 0 / 0, tonumber(size)} end
    for _, path in ipairs{"C", "window"} do
      local saved = zb.engine.shifted
      if path == "window" then zb.engine.shifted = nil end
      local m = series:moving{value = "value", time = "year", by = "region", n = c.n, fn = c.fn, partial = c.partial,
                              name = "m"}
      local sql = m:sql()
      local got = {}
      for r in m:order("region, year"):rows() do got[#got + 1] = r.m == nil and 0 / 0 or r.m end
      zb.engine.shifted = saved
      local bad, diffs = 0, {}
      for i, a in ipairs(got) do
        local b, size = ref[i] and ref[i][1], ref[i] and ref[i][2]
        if not b or (a ~= a) ~= (b ~= b) or (a == a and math.abs(a - b) > c.n * 0x1p-52 * size) then
          bad = bad + 1
          diffs[#diffs + 1] = string.format("%.17g vs %.17g", a, b or 0 / 0)
        end
      end
      T.ok(#got == #ref and #got > 150 and bad == 0 and (path == "window") == not sql:find("zb_shifted(", 1, true),
           string.format("moving %s n = %d%s (%s): exact sums over the years, gaps in the window", c.fn, c.n,
                         c.partial and " partial" or "", path == "C" and "zb_shifted" or "SQLite's window"),
           string.format("%d rows, %d exact, %d differ %s", #got, #ref, bad, table.concat(diffs, "; ")))
    end
  end
end

-- Errors: a period twice names the row; rows that change between the reads
zb.db:sql("insert into ind (region, indicator, year, value) values ('杭州市', 'gdp', 1950, 1)")
T.fails(function() t:yoy(spec):col("yoy") end, "yoy: more than one row for region = 杭州市, indicator = gdp, year = 1950; " ..
        "one value per period is needed", "a period twice: an error naming it")
T.fails(function() t:lag(spec):where("year = 1951"):col("lag") end,
        "lag: more than one row for region = 杭州市, indicator = gdp, year = 1950; one value per period is needed",
        "a period before that is there twice: an error, not one of the two")
T.fails(function() t:where("year < 1950"):mutate{value = "random()"}:lag(spec):col("lag") end,
        "the rows changed between the two reads", "values that change between the scan and the query: an error")
T.fails(function() zb.sql("select zb_shifted('delete from ind', '0:0:1', '', '', '', '', 1, 1)"):value() end,
        "zb_shifted: the scan must be one statement that only reads", "a scan that writes is refused")
T.fails(function() zb.sql("select zb_shifted('select 1 as i, 1 as v', '0:0:0', '', '', '', '', 1, 1)"):value() end,
        "zb_shifted: expected a scan, a spec", "a spec of 0 periods is refused")

T.done()
