-- zb.stats: statistics of indicators, each over Lua arrays (nil entries,
-- SQL's NULLs, are left out) and, through zb.library, as an SQL aggregate.
--
--   zb.stats.median({3, 1, 2})                --> 2
--   zb.stats.quantiles(xs, {0.05, 0.5, 0.95}) -- several quantiles, one sort
--   zb.stats.gini(incomes)                    -- from values
--   zb.stats.gini_grouped(pop, total_income)  -- from groups' population and total income
--   zb.stats.gini_per_head(pop, income)       -- ... and income per head
--
-- Definitions are the textbook ones; each states its formula.  An empty
-- input (or one the statistic is undefined for) gives nil.  No answer is
-- silently wrong: an array whose length is unclear, text that is not a
-- number and NaN are errors naming the statistic and the value; sums are
-- exact before their one rounding and means as good but for near-ties,
-- integers whose answer is an integer give that integer, and a statistic
-- that cannot be negative (Gini, Theil) is not, even by a rounding.
local M = {}

local raise_at = require("zb.analysis.arrays").raise_at

-- Helpers below take who (the statistic, for errors) and level (where the
-- user's call is, as seen by the helper's caller).  A public function
-- calls them with level 2 and never as a tail call, which would drop its
-- frame and move the error off the user's line.

-- x as a number, or an error naming who and x (zb.numbers.read).
local number = require("zb.analysis.numbers").read

local length = require("zb.analysis.arrays").length

-- The numbers of xs, nils left out, as a new array, and how many.
local function values(xs, who, level)
  local out, n = {}, 0
  for i = 1, length(xs, who, level + 1) do
    local x = xs[i]
    if x ~= nil then
      n = n + 1
      out[n] = number(x, who, level + 1)
    end
  end
  return out, n
end

-- Pairs (x[i], y[i]) where both are there, from arrays of one length.
local function pairs_of(xs, ys, who, level)
  local nx, ny = length(xs, who, level + 1), length(ys, who, level + 1)
  if nx ~= ny then
    raise_at(who, level + 1, "the arrays differ in length (%d and %d entries); " ..
         "to pair them with missing values at the end, set n on both (xs.n = count)", nx, ny)
  end
  local a, b, n = {}, {}, 0
  for i = 1, nx do
    local x, y = xs[i], ys[i]
    if x ~= nil and y ~= nil then
      n = n + 1
      a[n], b[n] = number(x, who, level + 1), number(y, who, level + 1)
    end
  end
  return a, b, n
end

-- 1, 2, ..., n for the ys of a trend given without xs (a series in order).
local function positions(ys, who, level)
  local xs = {}
  for i = 1, length(ys, who, level + 1) do xs[i] = i end
  return xs
end

-- a - b: exact for integers (and for an integer and a real that holds
-- one: 2^53 + 1 - 1e16), as a real when the integer difference would wrap
-- around (two integers more than 2^63 apart).
local math_type, huge = math.type, math.huge  -- growth runs for every row of yoy and pop

local function difference(a, b)
  if math_type(a) ~= math_type(b) then
    local ia, ib = math.tointeger(a), math.tointeger(b)
    if ia and ib then a, b = ia, ib end
  end
  local d = a - b
  if math_type(d) == "integer" and (a >= b) ~= (d >= 0) then return (a + 0.0) - b end
  return d
end

-- Exact sums.  Adds x to Shewchuk's partials p[1..np], reals that do not
-- overlap and whose sum is exactly the total so far (Python's math.fsum);
-- returns their new count, nil when a partial would be beyond the largest
-- real.  (Inline absolute values: this runs for every value summed.)
local function add_partial(p, np, x)
  local m = 0
  for j = 1, np do
    local y = p[j]
    if (x < 0 and -x or x) < (y < 0 and -y or y) then x, y = y, x end
    local hi = x + y
    if hi - hi ~= 0 then return nil end  -- an infinity
    local lo = y - (hi - x)
    if lo ~= 0 then
      m = m + 1
      p[m] = lo
    end
    x = hi
  end
  p[m + 1] = x
  return m + 1
end

-- The exact sum of the partials p[1..np] as the nearest real (ties to
-- even; CPython's math_fsum, its last step).
local function rounded(p, np)
  local i = np - 1  -- as in C, p[i + 1] is its p[i]
  if i < 0 then return 0.0 end
  local hi, lo = p[i + 1], 0.0
  while i > 0 do
    i = i - 1
    local x, y = hi, p[i + 1]
    hi = x + y
    lo = y - (hi - x)
    if lo ~= 0 then break end
  end
  if i > 0 and (lo < 0 and p[i] < 0 or lo > 0 and p[i] > 0) then
    local y = lo * 2
    local x = hi + y
    if y == x - hi then hi = x end
  end
  return hi
end

-- Σv times scale (a power of two), exactly, then rounded once: integers
-- add in a 64-bit total that wraps around, with a count of the wraps, and
-- reals as partials.  The integer total when there are no reals and it
-- fits (at scale 1), else the real, and the partials and their count;
-- nil when a partial would pass the largest real.
local function exact_sum(v, n, scale)
  local int, wraps, p, np, infinite, reals = 0, 0, {}, 0, 0.0, false
  for i = 1, n do
    local x = v[i]
    if math.type(x) == "integer" then
      local t = int + x
      if x >= 0 then
        if t < int then wraps = wraps + 1 end
      elseif t > int then
        wraps = wraps - 1
      end
      int = t
    else
      reals = true
      if x == math.huge or x == -math.huge then
        infinite = infinite + x  -- inf - inf is NaN, as in real arithmetic
      else
        np = add_partial(p, np, x * scale)
        if not np then return nil end
      end
    end
  end
  if infinite ~= 0 then return infinite end
  if not reals and wraps == 0 and scale == 1 then return int end
  -- The integers as reals that hold them exactly: the wraps' 2^64s, the
  -- total's bits above its low 32 and the low 32.
  local low = int & 0xFFFFFFFF
  for _, x in ipairs{wraps * 0x1p64, int - low, low} do
    np = add_partial(p, np, x * scale)
    if not np then return nil end
  end
  return rounded(p, np), p, np
end

-- Σv as (t, e) and its partials: the total is t·2^e, e = 0 unless the
-- total is beyond the largest real.  When part of the way to it is, the
-- values are added at 2^-64, where they cannot be, but for the smallest
-- (below 2^-900, whose bits 2^-64 would drop), added as they are; when the
-- large ones cancel, the total is theirs: max - max + 5e-324 is 5e-324.
local function total_of(v, n)
  local t, p, np = exact_sum(v, n, 1)
  if t then return t, 0, p, np end
  local large, small = {}, {}
  for i = 1, n do
    local x = v[i]
    if math.type(x) == "float" and x ~= 0 and x > -0x1p-900 and x < 0x1p-900 then small[#small + 1] = x
    else large[#large + 1] = x end
  end
  t, p, np = exact_sum(large, #large, 0x1p-64)
  if p and #small > 0 then  -- the large partials back at scale 1, with the small: exact while they fit
    local q, nq = {}, 0
    for j = 1, np do
      nq = nq and add_partial(q, nq, p[j] * 0x1p64)
    end
    for _, x in ipairs(small) do nq = nq and add_partial(q, nq, x) end
    if nq then return rounded(q, nq), 0, q, nq end
  end
  return t, 64, p, np
end

-- a·b as hi + lo exactly, for a·b well inside the range of the reals
-- (Dekker's product, with Veltkamp's split of each into halves of 26 bits).
local function split(a)
  local c = 134217729.0 * a  -- 2^27 + 1
  local hi = c - (c - a)
  return hi, a - hi
end

local function exact_product(a, b)
  local hi = a * b
  local ah, al = split(a)
  local bh, bl = split(b)
  return hi, ((ah * bh - hi) + ah * bl + al * bh) + al * bl
end

-- Whether v[1..n] are all Lua integers (exact arithmetic applies).
local function all_integers(v, n)
  for i = 1, n do
    if math.type(v[i]) ~= "integer" then return false end
  end
  return true
end

-- Σv: an integer while integers' total fits in one, else the real nearest
-- the exact total.
local function sum_of(v, n)
  local t, e = total_of(v, n)
  if e == 0 then return t end
  return t * 2.0 ^ e
end

-- Σv / n.  Integers: q + r/n with q = Σ(x // n) and r = Σ(x % n) carried
-- into q, exact (q may wrap part-way but ends in range, as the mean does),
-- an integer when it is one; q and r come too.  Reals: q = the total / n,
-- then corrected by (the exact total - q·n) / n, so that it is the exact
-- mean rounded (nearly always) once: the mean of three 0.2 is 0.2, where
-- the total's rounding and the division's would make it 0.20000000000000004.
local function mean_of(v, n)
  if all_integers(v, n) then
    local q, r = 0, 0
    for i = 1, n do
      q = q + v[i] // n
      r = r + v[i] % n
    end
    q, r = q + r // n, r % n
    if r == 0 then return q, q, 0 end
    return q + r / n, q, r
  end
  local t, e, p, np = total_of(v, n)
  local q = t / n
  local size = math.abs(q)
  if p and size > 0 and size < math.huge then
    -- q·n worked at 2^-200 (2^200) of q near the ends of the range, where
    -- the split would overflow (underflow); the power of two comes off exactly.
    local k = size > 0x1p900 and 0x1p-200 or size < 0x1p-900 and 0x1p200 or 1
    local hi, lo = exact_product(q * k, n + 0.0)
    np = add_partial(p, np, -hi / k)
    np = np and add_partial(p, np, -lo / k)
    if np then q = q + rounded(p, np) / n end
  end
  return q * 2.0 ^ e
end

-- A power of two near the largest |v|: values divided by it stay near 1, so
-- squares and products of deviations cannot overflow, and dividing by a
-- power of two is exact.
local function scale_of(v, n)
  local top = 0
  for i = 1, n do top = math.max(top, math.abs(v[i] + 0.0)) end  -- + 0.0: |minint| wraps
  if top == 0 or top == math.huge or top ~= top then return 1 end
  -- log2 of the largest reals rounds up to 1024, and 2^1024 is inf (which
  -- made every deviation 0 * inf, NaN): at most 2^1023, at most top
  local e = math.min(math.floor(math.log(top, 2)), 1023)
  if 2.0 ^ e > top then e = e - 1 end
  return 2.0 ^ e
end

local function scaled(v, n, k)
  if k == 1 then return v end
  local out = {}
  for i = 1, n do out[i] = v[i] / k end
  return out
end

-- Integers less the first of them, exactly (integers beyond 2^53 are not
-- reals, their differences are: 2^62 + 3 and 2^62 are one real); other
-- values as they are.  For statistics of deviations, which a shift leaves.
local function from_first(v, n)
  if not all_integers(v, n) then return v end
  local d, first = {}, v[1]
  for i = 1, n do d[i] = difference(v[i], first) end
  return d
end

-- A statistic of the numbers of xs (nil when there are none), from its
-- form over the array v of n numbers.
local function of_values(name, fn)
  return function(xs)
    local v, n = values(xs, name, 2)
    if n == 0 then return nil end
    return (fn(v, n))  -- the statistic alone (mean_of's parts stay inside)
  end
end

local function extreme(better)
  return function(v, n)
    local best = v[1]
    for i = 2, n do
      if better(v[i], best) then best = v[i] end
    end
    return best
  end
end

M.mean = of_values("mean", mean_of)  -- Σx / n
M.sum = of_values("sum", sum_of)
M.min = of_values("min", extreme(function(a, b) return a < b end))
M.max = of_values("max", extreme(function(a, b) return a > b end))

function M.count(xs)
  local _, n = values(xs, "count", 2)
  return n
end

-- The point f of the way from a to b (a ≤ b, 0 ≤ f < 1), never past
-- either.  On a value (f = 0) it is that value, and halfway between two
-- integers whose sum is even (an even count's median) an integer: integers
-- whose answer is an integer stay exact.  Else the nearest real, or as
-- near as numpy's lerp; two reals too far apart for their difference are
-- worked at half.
local function between(a, b, f)
  if f == 0 then return a end
  if a == -math.huge then return b == math.huge and a + b or a end  -- NaN between the infinities
  if b == math.huge then return b end
  if f == 0.5 then
    if math.type(a) == "integer" and math.type(b) == "integer" then
      local half, odd = a // 2 + b // 2, a % 2 + b % 2  -- (a + b) // 2 could wrap
      if odd == 1 then return half + 0.5 end
      return half + odd // 2
    end
    local s = a + b
    if (s == math.huge or s == -math.huge) and a > -math.huge and b < math.huge then return a * 0.5 + b * 0.5 end
    return s * 0.5
  end
  local d = difference(b, a)
  if d == math.huge and a > -math.huge and b < math.huge then return 2 * between(a / 2, b / 2, f) end
  if f < 0.5 then return a + d * f end
  return b - d * (1 - f)
end

-- p as a number from 0 to 1, or an error naming who and p.
local function probability(p, who, level)
  p = number(p, who, level + 1)
  if p < 0 or p > 1 then raise_at(who, level + 1, "p must be from 0 to 1, got %s", tostring(p)) end
  return p
end

-- The p-quantile of v, n numbers in order: linear interpolation between
-- order statistics (Hyndman and Fan type 7, R's default): h = (n - 1)p +
-- 1, x(⌊h⌋) + (h - ⌊h⌋)(x(⌊h⌋+1) - x(⌊h⌋)).
local function sorted_quantile(v, n, p)
  -- the fraction from (n - 1)p itself, as numpy's: adding 1 first rounds
  -- it (0.6000000000000005 for 0.6000000000000001, and -1.8e-15 for 0)
  local h = (n - 1) * p
  local below = math.floor(h)
  if below + 1 >= n then return v[n] end
  return between(v[below + 1], v[below + 2], h - below)
end

local function quantile(xs, p, who, level)
  local v, n = values(xs, who, level + 1)
  if n == 0 then return nil end  -- no rows: no p either, in SQL
  p = probability(p, who, level + 1)
  table.sort(v)
  return sorted_quantile(v, n, p)
end

function M.quantile(xs, p)
  return (quantile(xs, p, "quantile", 2))
end

-- quantiles(xs, ps): the quantile at each p of ps (a list), as quantile
-- gives it, the values sorted once (a sensitivity analysis' median, p5
-- and p95 of each region's ranks); nil without values.
function M.quantiles(xs, ps)
  local who = "quantiles"
  local v, n = values(xs, who, 2)
  if type(ps) ~= "table" then raise_at(who, 2, "ps must be a list of p, each from 0 to 1, got %s", type(ps)) end
  local count = length(ps, who, 2)
  if count == 0 then raise_at(who, 2, "ps must be a list of p, each from 0 to 1, got an empty one") end
  local checked = {}
  for i = 1, count do
    if ps[i] == nil then raise_at(who, 2, "ps[%d] is nil: each p must be a number from 0 to 1", i) end
    checked[i] = probability(ps[i], who, 2)
  end
  if n == 0 then return nil end
  table.sort(v)
  local out = {}
  for i, p in ipairs(checked) do out[i] = sorted_quantile(v, n, p) end
  return out
end

function M.median(xs)
  return (quantile(xs, 0.5, "median", 2))
end

-- Σ(u - m)(w - mw) over u[1..n] and w[1..n] (u and w one array for a
-- sum of squares) about their means m and mw, which are doubles: less
-- what the means' rounding adds, (Σ(u - m))(Σ(w - mw)) / n (the corrected
-- two-pass algorithm; Higham, Accuracy and Stability, 1.9).  Near-ties
-- keep their digits: the variance of four reals a few units in the last
-- place apart was 0.8% high, and the r of two such points 0.98995.
local function products(u, m, w, mw, n)
  local s, du, dw = 0.0, 0.0, 0.0
  for i = 1, n do
    local a, b = u[i] - m, w[i] - mw
    s, du, dw = s + a * b, du + a, dw + b
  end
  s = s - du * dw / n
  if u == w and s < 0 then return 0.0 end  -- a sum of squares, not below 0 by a rounding
  return s
end

-- Refuse what a statistic of spread, inequality or fit has no value for:
-- an infinite value (numpy's NaN), and when non_negative a negative one;
-- level as fail's, from the caller.
local function finite(v, n, who, non_negative, level)
  for i = 1, n do
    local x = v[i]
    if x == math.huge or x == -math.huge then raise_at(who, level + 1, "an infinite value (%s) has no %s", tostring(x), who) end
    if non_negative and x < 0 then raise_at(who, level + 1, "values must not be negative, got %s", tostring(x)) end
  end
end

-- variance = Σ(x - mean)² / (n - 1) (sample); var_pop divides by n.
-- Worked on the values over a power of two k (see scale_of), integers
-- first less the first of them (from_first): returns Σ((x - mean)/k)², n,
-- the mean over k (the values' mean in the same scale: it neither
-- underflows nor overflows where the mean itself would), k, and the values.
local function squares(xs, who)
  local v, n = values(xs, who, 3)
  if n == 0 then return nil, n end
  finite(v, n, who, false, 3)
  local d = from_first(v, n)
  local k = scale_of(d, n)
  local u = scaled(d, n, k)
  local mean = mean_of(u, n)
  return products(u, mean, u, mean, n), n, mean_of(scaled(v, n, k), n), k, v
end

-- The standard deviation from squares' results and the divisor.
local function deviation(ss, k, divisor)
  return math.sqrt(ss / divisor) * k
end

function M.variance(xs)
  local ss, n, _, k = squares(xs, "variance")
  if not ss or n < 2 then return nil end
  return ss / (n - 1) * k * k
end

function M.var_pop(xs)
  local ss, n, _, k = squares(xs, "var_pop")
  if not ss then return nil end
  return ss / n * k * k
end

function M.sd(xs)
  local ss, n, _, k = squares(xs, "sd")
  if not ss or n < 2 then return nil end
  return deviation(ss, k, n - 1)
end

function M.sd_pop(xs)
  local ss, n, _, k = squares(xs, "sd_pop")
  if not ss then return nil end
  return deviation(ss, k, n)
end

-- coefficient of variation = sd / mean (sample sd)
function M.cv(xs)
  local ss, n, mean, k, v = squares(xs, "cv")  -- reals: sd and mean both over k, which cancels
  if not ss or n < 2 then return nil end
  if all_integers(v, n) then  -- their mean exactly (over k it would be rounded)
    local exact = mean_of(v, n)
    if exact == 0 then return nil end
    return deviation(ss, k, n - 1) / exact
  end
  if mean == 0 then  -- a mean too small beside the values to show: infinite, unless it is 0
    local total = sum_of(v, n)
    if total == 0 or ss == 0 then return nil end
    return total > 0 and math.huge or -math.huge
  end
  return math.sqrt(ss / (n - 1)) / mean
end


-- The numbers of xs for statistic who, each finite (and none negative
-- when nonnegative), or nil when there are none; errors at the user's
-- line (the caller's caller).
local function finite_values(xs, who, nonnegative)
  local v, n = values(xs, who, 3)
  if n == 0 then return nil end
  finite(v, n, who, nonnegative, 3)
  return v, n
end

-- The product of the values (nils left out; nil when there are none),
-- multiplied in their order, as pandas' prod and cumprod do.
function M.product(xs)
  local v, n = values(xs, "product", 2)
  if n == 0 then return nil end
  local p = 1
  for i = 1, n do p = p * v[i] end
  return p
end

-- Gini = Σi Σj |xi - xj| / (2 n² mean) = Σi<j (x(j) - x(i)) / (n Σx) over
-- the sorted values, and Σi<j (x(j) - x(i)) = Σk k(n - k)(x(k+1) - x(k)):
-- terms none of which is negative, so G is not either (2 Σ i·x(i) / (n Σx)
-- - (n + 1) / n comes out at -2e-16 for equal values).
function M.gini(xs)
  local v, n = finite_values(xs, "gini", true)
  if not v then return nil end
  table.sort(v)
  local k = scale_of(v, n)
  local terms = {}
  for i = 1, n - 1 do terms[i] = i * (n - i) * (difference(v[i + 1], v[i]) / k) end
  local total = sum_of(scaled(v, n, k), n)
  if total == 0 then return nil end
  return sum_of(terms, n - 1) / (n * total)
end

-- Gini from groups (deciles, provinces), each group's people counted at
-- its income per head m: the Gini of that population, which is one minus
-- twice the area under the Lorenz curve drawn through the groups
-- (1 - Σ pk (Sk-1 + Sk), pk the population shares and Sk the cumulative
-- income shares, groups in order of m).  Worked, as gini, as
-- Σk (m(k+1) - m(k)) P(≤k) P(>k) / (P Y) with P and Y the totals of
-- population and income: terms none of which is negative.  p and m are the
-- groups' populations and incomes per head, y their total incomes or nil.
local TINY = 0x1p-1022  -- the smallest real with all its digits: below it, subnormals

local function grouped(p, m, y, n, who)
  if n == 0 then return nil end
  finite(p, n, who, false, 3)
  finite(y or m, n, who, false, 3)
  for i = 1, n do
    if p[i] <= 0 then raise_at(who, 3, "a group's population must be more than 0, got %s", tostring(p[i])) end
    if m[i] < 0 then raise_at(who, 3, "a group's income must not be negative, got %s", tostring((y or m)[i])) end
  end
  local kp, km = scale_of(p, n), scale_of(m, n)
  local order, share, income = {}, {}, {}
  for i = 1, n do
    order[i], share[i] = i, p[i] / kp
    income[i] = y and y[i] / kp / km or share[i] * (m[i] / km)
    -- a group so small beside the largest that its share, income or
    -- income per head is no real, or a subnormal one (which keeps few
    -- digits): its part would be lost, not counted (a Gini of 0 for
    -- 1.4e-227, 1.1208e-199 for 1.1164e-199)
    local has_income = (y and y[i] or m[i]) > 0
    if share[i] < TINY or (has_income and (income[i] < TINY or m[i] < TINY)) then
      raise_at(who, 3, "a group's population (%s) or income is too small beside the largest (%s) to work on: " ..
           "its share underflows the reals", tostring(p[i]), tostring(kp))
    end
  end
  table.sort(order, function(a, b) return m[a] < m[b] end)
  local total = sum_of(income, n)
  if total == 0 then return nil end
  local above, population = {}, sum_of(share, n)  -- above[j]: the population after the j-th group
  above[n] = 0.0
  for j = n - 1, 1, -1 do above[j] = above[j + 1] + share[order[j + 1]] end
  local terms, below = {}, 0.0
  for j = 1, n - 1 do
    local i, next_i = order[j], order[j + 1]
    below = below + share[i]
    terms[j] = (difference(m[next_i], m[i]) / km) * below * above[j]
  end
  return sum_of(terms, n - 1) / (population * total)
end

-- gini_grouped(population, income): income is each group's total income.
-- A total over a population so small that its income per head is beyond
-- the reals (1 over 5e-324) is refused: worked on, it made NaN, and no sum.
function M.gini_grouped(pop, income)
  local p, y, n = pairs_of(pop, income, "gini_grouped", 2)
  local m = {}
  for i = 1, n do
    m[i] = p[i] > 0 and y[i] / p[i] or 0
    if m[i] == math.huge and y[i] < math.huge then
      raise_at("gini_grouped", 2, "a group's income per head overflows the reals: %s / %s", tostring(y[i]), tostring(p[i]))
    end
  end
  return (grouped(p, m, y, n, "gini_grouped"))
end

-- gini_per_head(population, income): income is each group's income per
-- head (人均), its total divided by its population.
function M.gini_per_head(pop, income)
  local p, m, n = pairs_of(pop, income, "gini_per_head", 2)
  return (grouped(p, m, nil, n, "gini_per_head"))
end

-- Σk≥2 (-e)^k c[k], for |e| < 0.1: to a real's precision in 20 terms, by
-- Horner's rule (the smallest first).  With c[2] = 1/2 and the c[k]
-- falling, it is e² times nearly 1/2: never below 0.
local function series(e, c)
  local t, h = -e, c[20]
  for k = 19, 2, -1 do h = c[k] + t * h end
  return t * t * h
end

-- ln(x / y) for positive x and y, also when x / y is beyond the reals or
-- below their precision.
local function log_ratio(x, y)
  local r = x / y
  if r > 0x1p-1000 and r < 0x1p1000 then return math.log(r) end
  return math.log(x) - math.log(y)
end

-- With r = x/mean and e = r - 1 (Σe = 0), Theil T = (1/n) Σ (r ln r - e)
-- and Theil L = (1/n) Σ (e - ln r): terms none of which is negative, worked
-- from their series in e near r = 1, where r ln r - r + 1 and r - 1 - ln r
-- lose every digit to cancellation (and the sums come out at -1e-16).
-- term(x, mean) gives the term away from there.  Both indices are the
-- same for the values times any k: values all below 1 are worked on
-- times a power of two (exactly) near 1, where their mean is not a
-- subnormal, rounded (the mean of {0, 1.5e-323} was 1e-323, its Theil T
-- 0.554 for ln 2; of {0, 5e-324} 0, its T nil).
local function theil_terms(v, n, term, coefficients)
  local k = scale_of(v, n)
  if k < 1 then v = scaled(v, n, k) end
  local mean, q, r = mean_of(v, n)
  if mean == 0 then return nil end
  local terms = {}
  for i = 1, n do
    -- x - mean, of integers: (x - q) - r/n, as the rounded mean would lose it
    local e = (q and difference(v[i], q) - r / n or difference(v[i], mean)) / mean
    terms[i] = math.abs(e) < 0.1 and series(e, coefficients) or term(v[i], mean)
  end
  return sum_of(terms, n) / n
end

-- Theil T's term r ln r - r + 1 (1 for a zero: x ln x → 0), and its
-- series' coefficients 1/(k(k - 1)); Theil L's r - 1 - ln r, and its 1/k.
local function theil_t_term(x, mean)
  local r = x / mean
  return r == 0 and 1 or r * log_ratio(x, mean) - r + 1
end
local function theil_l_term(x, mean) return x / mean - 1 - log_ratio(x, mean) end
local theil_t_series, theil_l_series = {}, {}
for k = 2, 20 do theil_t_series[k], theil_l_series[k] = 1 / (k * (k - 1)), 1 / k end

-- Theil T = (1/n) Σ (x/mean) ln(x/mean); a zero contributes 0 (x ln x → 0).
function M.theil(xs)
  local v, n = finite_values(xs, "theil", true)
  if not v then return nil end
  return (theil_terms(v, n, theil_t_term, theil_t_series))
end

-- Theil L, the mean log deviation = (1/n) Σ ln(mean/x); undefined with a zero.
function M.theil_l(xs)
  local v, n = finite_values(xs, "theil_l", false)
  if not v then return nil end
  for i = 1, n do
    if v[i] <= 0 then
      raise_at("theil_l", 2, "values must be positive (the mean log deviation of a zero is undefined), got %s", tostring(v[i]))
    end
  end
  return (theil_terms(v, n, theil_l_term, theil_l_series))
end

-- The ratio of the top to the bottom quintile's mean (S80/S20): the sorted
-- values' first and last fifth of the count, a value on the boundary
-- counted in part; each fifth's total exact (see total_of).  Worked on
-- five times each fifth, so that the boundary's part is a count of it
-- (n % 5), not a product with n % 5 / 5, which rounds (to 0 for 5e-324).
function M.quintile_ratio(xs)
  local v, n = finite_values(xs, "quintile_ratio", true)
  if not v then return nil end
  table.sort(v)
  local whole, part = n // 5, n % 5
  local function mass(from, step)
    local pieces = {}
    for j = 0, whole - 1 do
      for _ = 1, 5 do pieces[#pieces + 1] = v[from + j * step] end
    end
    for _ = 1, part do pieces[#pieces + 1] = v[from + whole * step] end
    return total_of(pieces, #pieces)
  end
  local bottom, e_bottom = mass(1, 1)
  if bottom == 0 then return nil end
  local top, e_top = mass(n, -1)
  return top / bottom * 2.0 ^ (e_top - e_bottom)
end

-- The mean of v[1..n] over k (a power of two): integers' exact mean, so
-- that maxint is not 2^63 (the intercept of (minint, -2^61), (maxint, 2^61)
-- came out 0 for 1/8); reals' worked over k, where no subnormal rounds.
local function mean_over(v, n, k)
  if all_integers(v, n) then return mean_of(v, n) / k end
  return mean_of(scaled(v, n, k), n)
end

-- Pearson's r = Σ(x - x̄)(y - ȳ) / √(Σ(x - x̄)² Σ(y - ȳ)²).  Worked on
-- x/kx and y/ky (see scale_of), integers first less the first of them
-- (from_first): the sums are in those units, and the means mx and my are
-- the values' means in them.
local function moments(xs, ys, who, level)
  local x, y, n = pairs_of(xs, ys, who, level + 1)
  if n < 2 then return nil end
  finite(x, n, who, false, level + 1)
  finite(y, n, who, false, level + 1)
  local dx, dy = from_first(x, n), from_first(y, n)
  local kx, ky = scale_of(dx, n), scale_of(dy, n)
  dx, dy = scaled(dx, n, kx), scaled(dy, n, ky)
  local mx, my = mean_of(dx, n), mean_of(dy, n)
  return {n = n, mx = mean_over(x, n, kx), my = mean_over(y, n, ky), kx = kx, ky = ky,
          sxx = products(dx, mx, dx, mx, n), syy = products(dy, my, dy, my, n), sxy = products(dx, mx, dy, my, n)}
end

function M.corr(xs, ys)
  local m = moments(xs, ys, "corr", 2)
  if not m or m.sxx == 0 or m.syy == 0 then return nil end
  return m.sxy / math.sqrt(m.sxx * m.syy)
end

-- The least-squares line y = intercept + slope·x: slope = Sxy / Sxx,
-- intercept = ȳ - slope·x̄ (worked in moments' units, where a slope
-- beyond the reals, of x tiny and y huge, has no infinity to pass on),
-- r² = Sxy² / (Sxx Syy).  Without xs, x is the position: 1, 2, ..., n.
-- v · ky / kx for powers of two ky and kx: through their ratio when that
-- is a real (one rounding), else one factor at a time (ky / kx beyond the
-- reals, as 1 over the least subnormal is, made a slope of 0 into 0 · inf,
-- NaN, which SQL gives as NULL).
local function rescaled(v, ky, kx)
  local ratio = ky / kx
  if ratio ~= 0 and ratio ~= math.huge then return v * ratio end
  return v * ky / kx
end

local function trend(ys, xs, who, level)
  local m = moments(xs or positions(ys, who, level + 1), ys, who, level + 1)
  if not m or m.sxx == 0 then return nil end
  local slope = m.sxy / m.sxx  -- in units of ky / kx
  return {slope = rescaled(slope, m.ky, m.kx), intercept = (m.my - slope * m.mx) * m.ky,
          r2 = m.syy > 0 and m.sxy ^ 2 / (m.sxx * m.syy) or nil}
end

function M.trend(ys, xs)
  return (trend(ys, xs, "trend", 2))
end

function M.slope(ys, xs)
  local t = trend(ys, xs, "slope", 2)
  return t and t.slope
end

function M.intercept(ys, xs)
  local t = trend(ys, xs, "intercept", 2)
  return t and t.intercept
end

function M.r2(ys, xs)
  local t = trend(ys, xs, "r2", 2)
  return t and t.r2
end

-- Growth and levels, as scalars: nil (SQL's NULL) in gives nil out, and
-- text reads as numbers do in SQLite (a text '0' is a zero).
local function scalars(who, ...)
  local out = table.pack(...)
  for i = 1, out.n do
    if out[i] == nil then return nil end
    out[i] = number(out[i], who, 3)
  end
  return table.unpack(out, 1, out.n)
end

-- Percentage change from before to now: (now - before) / before · 100, nil
-- when before is 0.  Not (now / before - 1) · 100: near 1 the rounding of
-- now / before takes the digits of a small change (growth(10000000000001,
-- 10000000000000) came out at 9.992e-12), where now - before is exact for
-- integers and for reals that close.
function M.growth(now, before)
  if math_type(now) == nil or math_type(before) == nil then  -- numbers, as in every row of yoy, need no reading
    now, before = scalars("growth", now, before)
  end
  if now == nil or before == 0 then return nil end
  local change = difference(now, before)
  if (change == huge or change == -huge) and now - now == 0 and before - before == 0 then
    return (now / 2 - before / 2) / before * 200  -- two finite reals too far apart
  end
  if math_type(change) == "integer" and change > -0x1p53 // 100 and change < 0x1p53 // 100 then
    return change * 100 / before  -- change · 100 is still exact
  end
  return change / before * 100
end

-- ln(1 + x) and e^x - 1 near 0 to a real's precision, as C's log1p and
-- expm1 (which Lua lacks): the rounding of 1 + x (of e^x) cancels out
-- in the ratio (Goldberg; Kahan).
local function log1p(x)
  local u = 1 + x
  if u == 1 then return x end
  return math.log(u) * x / (u - 1)
end

local function expm1(x)
  local u = math.exp(x)
  if u == 1 then return x end
  if math.abs(x) > 0.5 then return u - 1 end  -- no cancellation to undo (and (u - 1)·x could overflow)
  return (u - 1) * x / math.log(u)
end

-- Compound annual growth rate (%) from first to last over years:
-- ((last / first)^(1/years) - 1) · 100, worked as
-- expm1(ln(last / first) / years) · 100 with ln(last / first) from
-- log1p((last - first) / first) near 1, so that a small change keeps its
-- digits, as growth's.  nil when years is 0, first is not positive or last
-- is negative.
function M.cagr(first, last, years)
  first, last, years = scalars("cagr", first, last, years)
  if first == nil or years == 0 or first <= 0 or last < 0 then return nil end
  if years == 1 then return M.growth(last, first) end  -- the growth itself, not a root's last digit (21.000000000000004)
  local r = last / first
  local log_r = r > 0.5 and r < 2 and log1p(difference(last, first) / first)
                or last == 0 and -math.huge or log_ratio(last, first)
  return expm1(log_r / years) * 100
end

-- a / b, nil when b is 0 or either is missing.
function M.ratio(a, b)
  a, b = scalars("ratio", a, b)
  if a == nil or b == 0 then return nil end
  return a / b
end

return M
