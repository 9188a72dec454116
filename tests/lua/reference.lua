-- Differential tests (issue 12): zb's statistics, through SQL and both
-- grouping paths, against an independent reference — Python's exact
-- Fraction arithmetic for sums, means, variances, ratios and least
-- squares, decimal logarithms to 80 digits for Theil's indices, numpy for
-- quantiles, pandas for grouped results — on generated data: sizes 0 to
-- 10,000, NULLs, ties, near-ties, zeros, negatives, extreme magnitudes,
-- and for the statistics of pairs a second column beside each.  Seeded
-- (ZB_SEED to repeat one); a failure prints the seed and the smallest
-- failing case.
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
  -- none below 0, for the statistics of shares (Gini, Theil, quintiles):
  -- incomes over seven orders of magnitude, populations, reals a few units
  -- in the last place apart and integers whose total wraps around
  incomes = function() return math.exp(math.random() * 16 - 1) end,
  counts = function() return math.random(1, 1000) end,
  near_ties = function() return 1e6 + math.random(-8, 8) * 0x1p-33 end,
  near_ties_integers = function() return (1 << 62) + math.random(-100, 100) end,
}
local kind_names = {}
for name in pairs(kinds) do kind_names[#kind_names + 1] = name end
table.sort(kind_names)

-- Each case's second column, ys, for the statistics of pairs (y on x;
-- gini_grouped's population x and income y): from x by one of these,
-- draw giving another value of the case's kind.  Where x is NULL, y is
-- drawn; either may be NULL.
local relations = {
  independent = function(_, draw) return draw() end,
  equal = function(x) return x end,
  mostly_equal = function(x, draw) if math.random() < 0.8 then return x end return draw() end,
  linear = function(x) return x / 4 + 1 end,
}
local relation_names = {}
for name in pairs(relations) do relation_names[#relation_names + 1] = name end
table.sort(relation_names)

local cases = {}
for _, size in ipairs{0, 1, 2, 5, 100, 10000} do
  for _, kind in ipairs(kind_names) do
    if size < 10000 or kind == "reals" or kind == "integers" or kind == "incomes" then
      local relation = relation_names[math.random(#relation_names)]
      local values, ys = {n = size}, {n = size}
      for i = 1, size do
        if math.random() < 0.1 then values[i] = nil else values[i] = kinds[kind]() end
        if math.random() >= 0.1 then
          ys[i] = values[i] == nil and kinds[kind]() or relations[relation](values[i], kinds[kind])
        end
      end
      cases[#cases + 1] = {kind = kind, size = size, relation = relation, values = values, ys = ys}
    end
  end
end

-- A value as text that reads back as the same number of the same type
-- (a real with no fraction keeps a ".0"); NULL as nothing.
local function literal(v)
  if v == nil then return "" end
  if math.type(v) == "integer" then return string.format("%d", v) end
  local text = string.format("%.17g", v)
  return text:find("[.eni]") and text or text .. ".0"
end

-- The statistics compared: zb's SQL over a case's rows; the reference
-- computes each exactly (Python's Fraction; the type-7 quantile on exact
-- values; logarithms and square roots to 60 digits and more) with an
-- allowance, and zb must be within 1e-12 of the exact value (relative), or
-- within the allowance (or one step of the smallest doubles, 2^-1074: a
-- relative bound means nothing among the subnormals), or refuse with an
-- error that says why (an integer overflow).  Where the reference has no answer (no rows, a zero mean, a
-- value outside the statistic's domain) zb gives NULL or refuses.
-- The allowance is how far numpy is from the exact value (extreme
-- magnitudes) for the statistics numpy has, and for the rest the
-- rounding a double computation cannot avoid (see the reference).
local stats = {  -- name, SQL, whether an integer answer must be exact; pairs: of x and y
  {"count", "count(x)", true}, {"sum", "sum(x)", true}, {"mean", "avg(x)"}, {"min", "min(x)", true},
  {"max", "max(x)", true}, {"median", "median(x)"}, {"quantile", "quantile(x, 0.9)"}, {"var_pop", "var_pop(x)"},
  {"variance", "variance(x)"}, {"sd", "sd(x)"}, {"sd_pop", "sd_pop(x)"}, {"cv", "cv(x)"},
  {"gini", "gini(x)", nonnegative = true}, {"theil", "theil(x)", nonnegative = true},
  {"theil_l", "theil_l(x)", nonnegative = true}, {"quintile_ratio", "quintile_ratio(x)"},
  {"corr", "corr(x, y)", pairs = true}, {"slope", "slope(y, x)", pairs = true},
  {"intercept", "intercept(y, x)", pairs = true}, {"r2", "r2(y, x)", pairs = true},
  {"gini_grouped", "gini_grouped(x, y)", pairs = true, nonnegative = true},
  {"gini_per_head", "gini_per_head(x, y)", pairs = true, nonnegative = true},
}

local PY = [==[
import csv, decimal, json, math, sys
from fractions import Fraction
import numpy
def integer(t): return t.lstrip('-').isdigit()
def exact(t):  # a value exactly as zb holds it: an integer, or the double the text reads as
    return Fraction(int(t)) if integer(t) else Fraction(float(t))
rows, pairs = {}, {}  # each case's xs, and its (x, y) where both are there, as text
for r in csv.DictReader(open(sys.argv[1])):
    c = int(r['c'])
    rows.setdefault(c, [])
    pairs.setdefault(c, [])
    if r['x'] != '':
        rows[c].append(r['x'])
        if r['y'] != '':
            pairs[c].append((r['x'], r['y']))
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
def rounded(exact):  # an exact integer as itself, else the nearest double (±inf beyond them)
    if isinstance(exact, Fraction) and exact.denominator == 1 and abs(exact) < 2 ** 63:
        return int(exact)
    try: return float(exact)
    except OverflowError: return math.inf if exact > 0 else -math.inf
def within(exact, allowance):  # the answer as [exact, how far from it zb may be]; None: undefined
    if exact is None: return None
    return [enc(rounded(exact)), enc(allowance)]
def both(exact, approx):  # ... allowed as far from it as numpy's approx is
    if exact is None: return None
    return within(exact, abs(float(approx) - rounded(exact)))
def size(f):  # |f| as a double, inf beyond them
    try: return abs(float(f))
    except OverflowError: return math.inf

# The allowances of the statistics numpy lacks: the first-order change of
# the answer when each value moves by up to one rounding (a relative 2^-53,
# Σ |x ∂f/∂x| over the values: its condition) times (n + 8), the error
# bound of n rounded steps (Higham's γn) and a few more.  It is below
# 1e-12 of the answer unless the answer is ill-conditioned: near-ties,
# where the mean rounded to a double is most of the deviations, a
# correlation near 0, a slope over xs all but equal.  Integers are not
# rounded (zb.stats works them exactly from one of them): where all of a
# column's values are integers only their deviations from the mean round,
# and |x - mean| stands for |x|.
U = 2.0 ** -53
def allowance(n, condition):
    return (n + 8) * U * size(condition)
def magnitudes(texts, fr):  # what a rounding is relative to, each value
    if not all(integer(t) for t in texts): return [abs(v) for v in fr]
    mean = sum(fr) / len(fr)
    return [abs(v - mean) for v in fr]

# Theil T = (1/n) Σ r ln r and L = (1/n) Σ -ln r, r = x/mean, worked as
# Σ (r ln r - r + 1) and Σ (r - 1 - ln r) (Σ (r - 1) = 0): terms none
# below 0, so that near-ties lose no digits beyond the 80.  Their
# derivatives: ∂T/∂x = (ln r - T)/(n mean), ∂L/∂x = (1/mean - 1/x)/n.
# T of a zero's term: 0 ln 0 is 0; L is undefined with one (ln 0), T
# below 0 and with a mean of 0.
def theil(texts, fr, log_deviation):
    n = len(fr)
    if n == 0 or min(fr) < 0 or min(fr) == 0 and log_deviation or sum(fr) == 0: return None
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        D = decimal.Decimal
        def dec(f): return D(f.numerator) / D(f.denominator)
        mean = dec(sum(fr) / n)
        rs = [dec(v) / mean for v in fr]
        if log_deviation:
            t = sum(r - 1 - r.ln() for r in rs) / n
            condition = sum(dec(a) * abs(1 / mean - 1 / dec(v)) for a, v in zip(magnitudes(texts, fr), fr)) / n
        else:
            t = sum(r * r.ln() - r + 1 if r > 0 else D(1) for r in rs) / n
            condition = sum(dec(a) * abs(r.ln() - t) for a, r in zip(magnitudes(texts, fr), rs) if r > 0) / (n * mean)
        return within(Fraction(t), allowance(n, Fraction(condition)))

# S80/S20: the sorted values as a step function over [0, n], the top
# fifth's area [4n/5, n] over the bottom's [0, n/5] (a value across the
# boundary counted in part), both exact.  Undefined below 0 or with a
# bottom of 0; its condition is 2 S80/S20, so 1e-12 is its allowance.
def quintile_ratio(fr):
    n = len(fr)
    if n == 0 or min(fr) < 0: return None
    s = sorted(fr)
    def area(lo, hi):
        return sum(v * max(0, min(i + 1, hi) - max(i, lo)) for i, v in enumerate(s))
    fifth = Fraction(n, 5)
    bottom, top = area(0, fifth), area(n - fifth, n)
    return None if bottom == 0 else within(top / bottom, 0.0)

# The least-squares line of y on x and the correlation, exactly from
# Sxx = Σ(x - x̄)², Syy and Sxy: slope b = Sxy/Sxx, intercept ȳ - b x̄,
# r = Sxy/√(Sxx Syy) (the root to 60 digits), r² = Sxy²/(Sxx Syy).
# Undefined for fewer than two pairs and for xs all equal; r and r² for
# ys all equal too.  Each condition from the derivatives (the means'
# derivatives cancel, as Σ(x - x̄) = 0): ∂b/∂xi = (dyi - 2b dxi)/Sxx,
# ∂b/∂yi = dxi/Sxx, ∂r/∂xi = dyi/√(Sxx Syy) - r dxi/Sxx, and so on.  The
# intercept's formula, ȳ - b x̄ in doubles, also rounds ȳ and b x̄ (the
# means are doubles): where they cancel that is most of its error
# (numpy's polyfit of (0, 1), (5e18, 1.25e18) gives 0 for 1 as well).
def regression(pairs):  # [corr, slope, intercept, r2]
    n = len(pairs)
    if n < 2: return [None] * 4
    xs, ys = [exact(x) for x, _ in pairs], [exact(y) for _, y in pairs]
    mx, my = sum(xs) / n, sum(ys) / n
    d = [(x - mx, y - my) for x, y in zip(xs, ys)]
    sxx, syy = sum(a * a for a, _ in d), sum(b * b for _, b in d)
    sxy = sum(a * b for a, b in d)
    if sxx == 0: return [None] * 4
    ax = magnitudes([x for x, _ in pairs], xs)  # |x|, or |x - x̄| for integers
    ay = magnitudes([y for _, y in pairs], ys)
    b = sxy / sxx
    db = [((dy - 2 * b * dx) / sxx, dx / sxx) for dx, dy in d]  # ∂b/∂xi, ∂b/∂yi
    slope = within(b, allowance(n, sum(x * abs(bx) + y * abs(by) for x, y, (bx, by) in zip(ax, ay, db))))
    intercept = within(my - b * mx, allowance(n, sum(x * abs(mx * bx) + y * abs(mx * by) for x, y, (bx, by) in
                                                     zip(ax, ay, db))) + 4 * U * size(abs(my) + abs(b * mx)))
    if syy == 0: return [None, slope, intercept, None]
    root = sqrt(sxx * syy)
    r = sxy / root
    condition = sum(x * abs(dy / root - r * dx / sxx) + y * abs(dx / root - r * dy / syy)
                    for x, y, (dx, dy) in zip(ax, ay, d))
    return [within(r, allowance(n, condition)), slope, intercept,
            within(sxy * sxy / (sxx * syy), allowance(n, 2 * abs(r) * condition))]

# The Gini of groups: pk people at income per head mk (a group's total
# income over its population for gini_grouped), one minus twice the area
# under the Lorenz curve: 1 - Σ pk (Sk-1 + Sk) / P over the groups in
# order of mk, Sk the cumulative share of income.  Undefined without
# groups, with a population not above 0, an income below 0 or no income.
# gini_grouped's per-head incomes are quotients, each rounded: steps
# mk+1 - mk can move by a rounding of each, Σ (mk + mk+1) P≤k P>k / (P Y)
# in all; gini_per_head's are the values themselves, and its terms none
# below 0: its condition is the Gini.
def gini_groups(pairs, totals):
    pairs = [(exact(p), exact(y)) for p, y in pairs]
    if not pairs or any(p <= 0 or y < 0 for p, y in pairs): return None
    groups = sorted((y / p if totals else y, p) for p, y in pairs)  # (income per head, population)
    P, Y = sum(p for _, p in groups), sum(m * p for m, p in groups)
    if Y == 0: return None
    area, S = 0, 0
    for m, p in groups:
        area, S = area + p * (2 * S + m * p / Y), S + m * p / Y
    g = 1 - area / P
    steps, below = 0, 0
    for (m, p), (m_next, _) in zip(groups, groups[1:]):
        below += p
        steps += (m + m_next) * below * (P - below)
    return within(g, allowance(len(groups), g + (steps / (P * Y) if totals else 0)))

out = {}
for c in range(1, int(sys.argv[2]) + 1):
    texts = rows.get(c, [])
    fr = [exact(t) for t in texts]
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
    res += [theil(texts, fr, False), theil(texts, fr, True), quintile_ratio(fr)]
    res += regression(pairs.get(c, []))
    res += [gini_groups(pairs.get(c, []), True), gini_groups(pairs.get(c, []), False)]
    out[c] = res
print(json.dumps(out))
]==]

local work = T.tmpdir()

-- Each case's rows in the table ref of the session database (c the
-- case's number, g a group) and in a file for Python.
local function load(list)
  zb.db:sql("drop table if exists ref")
  zb.db:sql("create table ref (c integer, g integer, x, y)")
  local lines = {}
  zb.db:atomic(function()
    for c, case in ipairs(list) do
      local values, ys = case.values, case.ys
      for i = 1, values.n do
        zb.db:sql("insert into ref values (?, ?, ?, ?)", c, i % 3, values[i], ys[i])
        lines[#lines + 1] = c .. "," .. (i % 3) .. "," .. literal(values[i]) .. "," .. literal(ys[i])
      end
    end
  end)
  T.write(work .. "/ref.csv", "c,g,x,y\n" .. table.concat(lines, "\n") .. "\n")
end

-- zb's answers over the cases of list and Python's, one list a statistic.
local function compute(list)
  load(list)
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

-- Whether zb's x agrees with the reference r for the statistic s: r nil
-- for none, else {exact, allowance} as JSON text; an integer answer
-- exactly when s says so, and none below 0 when s cannot be (zb.stats
-- promises it "even by a rounding").
local function agrees(x, r, s)
  if r == nil then return x == nil or type(x) == "table" end  -- undefined: nothing, or refused
  local decoded = {inf = math.huge, ["-inf"] = -math.huge, nan = 0 / 0}
  local exact, allowance = table.unpack(zb.sql("select value from json_each(?) order by key", r):col("value"))
  exact, allowance = decoded[exact] or exact, decoded[allowance] or allowance
  if type(x) == "table" then  -- refused, saying why: never wrong, though an exact answer may exist
    return x.error:find("overflow", 1, true) ~= nil or x.error:find("underflows the reals", 1, true) ~= nil
  end
  if x == nil or x ~= x then return false end
  if s.nonnegative and x < 0 then return false end
  if exact == math.huge or exact == -math.huge then return x == exact end
  if math.type(exact) == "integer" and s[3] then return x == exact end
  local err = math.abs(x - exact)
  return err <= 1e-12 * math.abs(exact) or err <= allowance or err <= 0x1p-1074 or (exact == 0 and err <= 1e-300)
end

local function failures(list)
  local ours, theirs = compute(list)
  local bad = {}
  for c = 1, #list do
    for i, s in ipairs(stats) do
      local x, r = ours[c][i], (theirs[c] or {})[i]
      if not agrees(x, r, s) then bad[#bad + 1] = {case = c, stat = s[1], ours = x, theirs = r} end
    end
  end
  return bad
end

-- The smallest case (by halving its rows) on which stat still disagrees.
local function shrink(case, stat)
  local function rows(from, to)
    local n = math.max(to - from + 1, 0)
    return {values = table.move(case.values, from, to, 1, {n = n}), ys = table.move(case.ys, from, to, 1, {n = n})}
  end
  local function fails(sub)
    for _, f in ipairs(failures({sub})) do
      if f.stat == stat then return true end
    end
    return false
  end
  local smallest = rows(1, case.values.n)
  local changed = true
  while changed and smallest.values.n > 1 do
    changed = false
    local n = smallest.values.n
    case = smallest  -- rows now halves it
    for _, part in ipairs{{1, n // 2}, {n // 2 + 1, n}} do
      local sub = rows(part[1], part[2])
      if fails(sub) then smallest, changed = sub, true break end
    end
  end
  return smallest
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
      local case = cases[f.case]
      local small = shrink(case, f.stat)
      local shown = {}
      for i = 1, small.values.n do
        shown[i] = s.pairs and string.format("(%s, %s)", literal(small.values[i]), literal(small.ys[i]))
                   or literal(small.values[i])
      end
      detail = string.format("seed %d, size %d%s: zb %s, reference %s; smallest failing case: {%s}%s", seed,
                             case.size, s.pairs and ", y " .. case.relation or "", zb.pretty(f.ours),
                             tostring(f.theirs), table.concat(shown, ", "), s.pairs and " (x, y)" or "")
    end
    T.ok(not f, string.format("%s of %s agrees with the reference at every size", s[1], kind), detail)
    ::next_stat::
  end
end

-- Both grouping paths (zb_group's hash and SQLite's GROUP BY) give the
-- same groups and the same answers, and the sums are Python's exact ones.
local grouped = {"count(x)", "sum(x)", "avg(x)", "min(x)", "max(x)"}
for _, case in ipairs(cases) do
  if case.size >= 5 and case.kind ~= "huge_integers" and case.kind ~= "integer_edges"
     and case.kind ~= "near_ties_integers" then  -- their sums pass the largest integer: an error
    load({case})
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
