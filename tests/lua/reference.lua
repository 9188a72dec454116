-- Differential tests (issue 12): zb's statistics, through SQL and both
-- grouping paths, against an independent reference — Python's exact
-- Fraction arithmetic for sums, means and variances, numpy for quantiles,
-- pandas for grouped results — on generated data: sizes 0 to 10,000,
-- NULLs, ties, zeros, negatives, extreme magnitudes.  Seeded (ZB_SEED to
-- repeat one); a failure prints the seed and the smallest failing case.
local T = require("check")
local PYTHON = "/usr/bin/python3"  -- Debian's, with python3-pandas (make test installs it)
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")

local have = os.execute(PYTHON .. " -c 'import pandas, numpy' 2>/dev/null")
if not have then
  T.ok(false, PYTHON .. " with pandas and numpy (Debian's python3-pandas; make test installs it)")
  T.done()
end

-- Values of a kind: each case is a list of values (nil for NULL), held
-- with n so that NULLs stay in place.
local kinds = {
  small_integers = function() return math.random(-5, 5) end,
  integers = function() return math.random(-1000000, 1000000) end,
  large_integers = function() return math.random(-(2 ^ 53) // 1, (2 ^ 53) // 1) end,
  huge_integers = function() return math.random(math.mininteger, math.maxinteger) end,
  integer_edges = function()
    return ({math.mininteger, math.maxinteger, -5000000000000000000, 5000000000000000000, 0, 1, -1})[math.random(7)]
  end,
  real_edges = function() return ({-1e308, 1e308, -1.7976931348623157e308, 1.7976931348623157e308, 5e-324, 0.0})[math.random(6)] end,
  reals = function() return (math.random() - 0.5) * 10 ^ math.random(-3, 6) end,
  extreme_reals = function() return (math.random() - 0.5) * 10 ^ math.random(-300, 300) end,
  ties = function() return ({1.5, 2.5, 2.5, 0, -1.5})[math.random(5)] end,
  zeros = function() return 0 end,
}
local kind_names = {}
for name in pairs(kinds) do kind_names[#kind_names + 1] = name end
table.sort(kind_names)

local cases = {}
for _, size in ipairs{0, 1, 2, 5, 100, 10000} do
  for _, kind in ipairs(kind_names) do
    if size < 10000 or kind == "reals" or kind == "integers" then
      local values = {n = size}
      for i = 1, size do
        if math.random() < 0.1 then values[i] = nil else values[i] = kinds[kind]() end
      end
      cases[#cases + 1] = {kind = kind, size = size, values = values}
    end
  end
end

local function literal(v)
  if v == nil then return "" end
  if math.type(v) == "integer" then return string.format("%d", v) end
  return string.format("%.17g", v)
end

-- The statistics compared: zb's SQL over a case's rows; the reference
-- computes each exactly (Python's Fraction; the type-7 quantile on exact
-- values) and as numpy does, and zb must be within 1e-12 of the exact
-- value, or no further from it than numpy is (extreme magnitudes), or
-- refuse with an error that says why (an integer overflow).
local stats = {  -- name, SQL, whether an integer answer must be exact
  {"count", "count(x)", true}, {"sum", "sum(x)", true}, {"mean", "avg(x)"}, {"min", "min(x)", true},
  {"max", "max(x)", true}, {"median", "median(x)"}, {"quantile", "quantile(x, 0.9)"}, {"var_pop", "var_pop(x)"},
  {"variance", "variance(x)"}, {"sd", "sd(x)"}, {"sd_pop", "sd_pop(x)"}, {"cv", "cv(x)"}, {"gini", "gini(x)"},
}

local PY = [==[
import csv, decimal, json, math, sys
from fractions import Fraction
import numpy
rows = {}
for r in csv.DictReader(open(sys.argv[1])):
    rows.setdefault(int(r['c']), [])
    if r['x'] != '':
        rows[int(r['c'])].append(r['x'])
def quantile(fr, p):
    s = sorted(fr)
    h = (len(s) - 1) * p
    lo = math.floor(h)
    return s[lo] if lo + 1 >= len(s) else s[lo] + (h - lo) * (s[lo + 1] - s[lo])
def var(fr, ddof):
    m = sum(fr) / len(fr)
    return sum((v - m) ** 2 for v in fr) / (len(fr) - ddof)
def sqrt(f):  # of an exact fraction, to 60 digits (it may be beyond a double while its root is not)
    decimal.getcontext().prec = 60
    return Fraction((decimal.Decimal(f.numerator) / decimal.Decimal(f.denominator)).sqrt())
def enc(v):  # JSON has no Inf or NaN: those go as text
    return v if math.isfinite(v) else str(v)
def both(exact, approx):
    if exact is None: return None
    if isinstance(exact, Fraction) and exact.denominator == 1 and abs(exact) < 2 ** 63:
        e = int(exact)  # an exact integer, compared exactly
    else:
        try: e = float(exact)
        except OverflowError: e = math.inf if exact > 0 else -math.inf
    return [enc(e), enc(float(approx))]
out = {}
for c in range(1, int(sys.argv[2]) + 1):
    texts = rows.get(c, [])
    # each value exactly as zb holds it: an integer, or the double the text reads as
    fr = [Fraction(int(t)) if t.lstrip('-').isdigit() else Fraction(float(t)) for t in texts]
    a = numpy.array([float(t) for t in texts], dtype=float)
    n = len(fr)
    with numpy.errstate(all='ignore'):
        res = [[n, n]]
        if n == 0:
            res += [None] * 12
        else:
            res.append(both(sum(fr), numpy.sum(a)))
            res.append(both(sum(fr) / n, numpy.mean(a)))
            res.append(both(min(fr), numpy.min(a)))
            res.append(both(max(fr), numpy.max(a)))
            res.append(both(quantile(fr, Fraction(1, 2)), numpy.quantile(a, 0.5)))
            res.append(both(quantile(fr, Fraction(9, 10)), numpy.quantile(a, 0.9)))
            res.append(both(var(fr, 0), numpy.var(a)))
            res.append(both(var(fr, 1), numpy.var(a, ddof=1)) if n > 1 else None)
            res.append(both(sqrt(var(fr, 1)), numpy.std(a, ddof=1)) if n > 1 else None)
            res.append(both(sqrt(var(fr, 0)), numpy.std(a)))
            m = sum(fr) / n
            res.append(both(sqrt(var(fr, 1)) / m, numpy.std(a, ddof=1) / numpy.mean(a)) if n > 1 and m != 0 else None)
            # Gini of values none below 0: Σ (2i - n - 1) x_(i) / (n Σx), i from 1, on the sorted values
            if min(fr) >= 0 and sum(fr) > 0:
                s = sorted(fr)
                g = sum((2 * i - n - 1) * x for i, x in enumerate(s, 1)) / (n * sum(s))
                sa = numpy.sort(a)
                res.append(both(g, numpy.sum((2 * numpy.arange(1, n + 1) - n - 1) * sa) / (n * numpy.sum(sa))))
            else:
                res.append(None)
    out[c] = res
print(json.dumps(out))
]==]

local work = T.tmpdir()

-- Each case's rows in a table of the session database and in a file for
-- Python; returns zb's answers and Python's, one list a statistic.
local function compute(list)
  zb.db:sql("drop table if exists ref")
  zb.db:sql("create table ref (c integer, g integer, x)")
  local lines = {}
  zb.db:atomic(function()
    for c, case in ipairs(list) do
      local values = case.values
      for i = 1, values.n do
        zb.db:sql("insert into ref values (?, ?, ?)", c, i % 3, values[i])
        lines[#lines + 1] = c .. "," .. (i % 3) .. "," .. literal(values[i])
      end
    end
  end)
  T.write(work .. "/ref.csv", "c,g,x\n" .. table.concat(lines, "\n") .. "\n")
  local ours = {}  -- zb's answer, or {error = message} when it refused
  for c = 1, #list do
    ours[c] = {}
    for i, s in ipairs(stats) do
      local ok, v = pcall(function() return zb.sql("select " .. s[2] .. " from ref where c = ?", c):value() end)
      if ok then ours[c][i] = v else ours[c][i] = {error = v} end
    end
  end
  T.write(work .. "/ref.py", PY)
  local p = io.popen(PYTHON .. " " .. T.shell_quote(work .. "/ref.py") .. " " .. T.shell_quote(work .. "/ref.csv") ..
                     " " .. #list)
  local text = p:read("a")
  p:close()
  local theirs = zb.sql("select key, value from json_each(?)", text)
  local by_case = {}
  for _, r in ipairs(theirs) do
    by_case[tonumber(r.key)] = zb.sql("select value from json_each(?) order by key", r.value):col("value")
  end
  return ours, by_case
end

-- Whether zb's x agrees with the reference r: nil for none, else
-- {exact, numpy} as JSON text; an integer answer exactly when exactly.
local function agrees(x, r, exactly)
  if r == nil then return x == nil or type(x) == "table" end  -- undefined: nothing, or refused
  local decoded = {inf = math.huge, ["-inf"] = -math.huge, nan = 0 / 0}
  local exact, approx = table.unpack(zb.sql("select value from json_each(?) order by key", r):col("value"))
  exact, approx = decoded[exact] or exact, decoded[approx] or approx
  if type(x) == "table" then  -- refused, saying why: never wrong, though an exact answer may exist
    return x.error:find("overflow", 1, true) ~= nil
  end
  if x == nil or x ~= x then return false end
  if exact == math.huge or exact == -math.huge then return x == exact end
  if math.type(exact) == "integer" and exactly then return x == exact end
  local err = math.abs(x - exact)
  return err <= 1e-12 * math.abs(exact) or err <= math.abs(approx - exact) or (exact == 0 and err <= 1e-300)
end

local function failures(list)
  local ours, theirs = compute(list)
  local bad = {}
  for c = 1, #list do
    for i, s in ipairs(stats) do
      local x, r = ours[c][i], (theirs[c] or {})[i]
      if not agrees(x, r, s[3]) then bad[#bad + 1] = {case = c, stat = s[1], ours = x, theirs = r} end
    end
  end
  return bad
end

-- The smallest list of values (by halving, then dropping one at a time)
-- on which stat still disagrees.
local function shrink(case, stat)
  local values = {table.unpack(case.values, 1, case.values.n)}
  local n = case.values.n
  local function fails(vs)
    for _, f in ipairs(failures({{values = vs}})) do
      if f.stat == stat then return true end
    end
    return false
  end
  local function pack(vs, m) local t = {table.unpack(vs, 1, m)} t.n = m return t end
  local changed = true
  while changed and n > 1 do
    changed = false
    for _, part in ipairs{{1, n // 2}, {n // 2 + 1, n}} do
      local sub = pack({table.unpack(values, part[1], part[2])}, part[2] - part[1] + 1)
      if sub.n > 0 and fails(sub) then values, n, changed = sub, sub.n, true break end
    end
  end
  return pack(values, n)
end

-- SQLite's own sum() and avg() add reals one by one: where the running
-- total passes the largest double they give ±inf, of either sign (README,
-- "Known differences"); zb's own statistics are exact there.
local sqlites_own = {["real_edges/sum"] = true, ["real_edges/mean"] = true}

local all = failures(cases)
local first = {}  -- kind/stat: its first failure
for _, f in ipairs(all) do
  local key = cases[f.case].kind .. "/" .. f.stat
  if not sqlites_own[key] then first[key] = first[key] or f end
end
for _, kind in ipairs(kind_names) do
  for _, s in ipairs(stats) do
    if sqlites_own[kind .. "/" .. s[1]] then goto next_stat end
    local f = first[kind .. "/" .. s[1]]
    local detail
    if f then
      local small = shrink(cases[f.case], f.stat)
      local shown = {}
      for i = 1, small.n do shown[i] = literal(small[i]) end
      detail = string.format("seed %d, size %d: zb %s, reference %s; smallest failing case: {%s}", seed,
                             cases[f.case].size, zb.pretty(f.ours), tostring(f.theirs), table.concat(shown, ", "))
    end
    T.ok(not f, string.format("%s of %s agrees with the reference at every size", s[1], kind), detail)
    ::next_stat::
  end
end

-- Both grouping paths (zb_group's hash and SQLite's GROUP BY) give the
-- same groups and the same answers, and the sums are Python's exact ones.
local grouped = {"count(x)", "sum(x)", "avg(x)", "min(x)", "max(x)"}
for _, case in ipairs(cases) do
  if case.size >= 5 and case.kind ~= "huge_integers" and case.kind ~= "integer_edges" then
    compute({case})
    local t = zb.table("ref")
    local specs_hash, specs_sql = {}, {}
    for i, g in ipairs(grouped) do
      specs_hash["a" .. i] = g
      specs_sql["a" .. i] = g .. " + 0"  -- not a plain verb: SQLite's GROUP BY
    end
    local hash, sql = t:group("g"):agg(specs_hash), t:group("g"):agg(specs_sql)
    T.ok(hash:sql():find("zb_group", 1, true) and not sql:sql():find("zb_group", 1, true),
         case.kind .. " (size " .. case.size .. "): one query on each path")
    local a, b = hash:order("g"):to_csv(), sql:order("g"):to_csv()
    T.eq(a, b, string.format("%s (size %d, seed %d): both grouping paths agree", case.kind, case.size, seed))
  end
end
T.cleanup()
T.done()
