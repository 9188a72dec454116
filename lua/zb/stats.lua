-- zb.stats: statistics of indicators, each over Lua arrays (nil entries,
-- SQL's NULLs, are left out) and, through zb.library, as an SQL aggregate.
--
--   zb.stats.median({3, 1, 2})          --> 2
--   zb.stats.gini(incomes)              -- from values
--   zb.stats.gini_grouped(pop, income)  -- from groups' population and income
--
-- Definitions are the textbook ones; each states its formula.  An empty
-- input (or one the statistic is undefined for) gives nil.
local M = {}

-- x as a number: text that reads as one counts (a CSV's "3"), as in SQLite.
local function number(x, level)
  local v = type(x) == "number" and x or type(x) == "string" and tonumber(x)
  if not v then error(string.format("expected numbers, got a %s (%s)", type(x), tostring(x)), level + 1) end
  return v
end

local function check_array(xs, level)
  if type(xs) ~= "table" then
    error(string.format("expected an array of numbers, got %s", type(xs)), level + 1)
  end
end

-- The numbers of xs, nils left out, as a new array.
local function values(xs)
  check_array(xs, 3)
  local out, n = {}, 0
  for i = 1, xs.n or #xs do
    local x = xs[i]
    if x ~= nil then
      n = n + 1
      out[n] = number(x, 3)
    end
  end
  return out, n
end

-- Pairs (x[i], y[i]) where both are there.
local function pairs_of(xs, ys, level)
  check_array(xs, level + 1)
  check_array(ys, level + 1)
  local a, b, n = {}, {}, 0
  for i = 1, math.max(xs.n or #xs, ys.n or #ys) do
    local x, y = xs[i], ys[i]
    if x ~= nil and y ~= nil then
      n = n + 1
      a[n], b[n] = number(x, level + 1), number(y, level + 1)
    end
  end
  return a, b, n
end

-- 1, 2, ..., n for the ys of a trend given without xs (a series in order).
local function positions(ys)
  check_array(ys, 3)
  local xs = {}
  for i = 1, ys.n or #ys do xs[i] = i end
  return xs
end

-- Σv: integers add exactly while the total fits in one (Lua's integers
-- would wrap around), reals and larger totals add as reals.
local function sum_of(v, n)
  local exact, real, integral = 0, 0.0, true
  for i = 1, n do
    local x = v[i]
    real = real + x
    if integral then
      if math.type(x) == "integer" then exact = exact + x else integral = false end
    end
  end
  if integral and real > -2.0^62 and real < 2.0^62 then return exact end
  return real
end

-- Σv / n, also when Σv is beyond the largest real and the mean is not.
local function mean_of(v, n)
  local s = sum_of(v, n)
  if s == math.huge or s == -math.huge then
    s = 0.0
    for i = 1, n do s = s + v[i] / n end
    return s
  end
  return s / n
end

-- A power of two near the largest |v|: values divided by it stay near 1, so
-- squares and products of deviations cannot overflow, and dividing by a
-- power of two is exact.
local function scale_of(v, n)
  local top = 0
  for i = 1, n do top = math.max(top, math.abs(v[i])) end
  if top == 0 or top == math.huge or top ~= top then return 1 end
  return 2.0 ^ math.floor(math.log(top, 2))
end

local function scaled(v, n, k)
  if k == 1 then return v end
  local out = {}
  for i = 1, n do out[i] = v[i] / k end
  return out
end

-- A statistic of the numbers of xs (nil when there are none), from its
-- form over the array v of n numbers.
local function of_values(fn)
  return function(xs)
    local v, n = values(xs)
    if n == 0 then return nil end
    return fn(v, n)
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

M.mean = of_values(mean_of)  -- Σx / n
M.sum = of_values(sum_of)
M.min = of_values(extreme(function(a, b) return a < b end))
M.max = of_values(extreme(function(a, b) return a > b end))

function M.count(xs)
  local _, n = values(xs)
  return n
end

-- quantile(p): linear interpolation between order statistics (Hyndman and
-- Fan type 7, R's default): h = (n - 1)p + 1, x(⌊h⌋) + (h - ⌊h⌋)(x(⌊h⌋+1) - x(⌊h⌋)).
function M.quantile(xs, p)
  local v, n = values(xs)
  if n == 0 then return nil end  -- no rows: no p either, in SQL
  if type(p) ~= "number" or p < 0 or p > 1 then error("quantile: p must be a number from 0 to 1", 2) end
  table.sort(v)
  local h = (n - 1) * p + 1
  local lo = math.floor(h)
  if lo >= n then return v[n] end
  return v[lo] + (h - lo) * (v[lo + 1] - v[lo])
end

function M.median(xs)
  return M.quantile(xs, 0.5)
end

-- variance = Σ(x - mean)² / (n - 1) (sample); var_pop divides by n.
-- Worked on the values over a power of two k (see scale_of): returns
-- Σ((x - mean)/k)², n, the mean and k.
local function squares(xs)
  local v, n = values(xs)
  if n == 0 then return nil, n end
  local k = scale_of(v, n)
  local u = scaled(v, n, k)
  local mean = mean_of(u, n)
  local ss = 0.0
  for i = 1, n do ss = ss + (u[i] - mean) ^ 2 end
  return ss, n, mean * k, k
end

-- The standard deviation from squares' results and the divisor.
local function deviation(ss, k, divisor)
  return math.sqrt(ss / divisor) * k
end

function M.variance(xs)
  local ss, n, _, k = squares(xs)
  if not ss or n < 2 then return nil end
  return ss / (n - 1) * k * k
end

function M.var_pop(xs)
  local ss, n, _, k = squares(xs)
  if not ss then return nil end
  return ss / n * k * k
end

function M.sd(xs)
  local ss, n, _, k = squares(xs)
  if not ss or n < 2 then return nil end
  return deviation(ss, k, n - 1)
end

function M.sd_pop(xs)
  local ss, n, _, k = squares(xs)
  if not ss then return nil end
  return deviation(ss, k, n)
end

-- coefficient of variation = sd / mean (sample sd)
function M.cv(xs)
  local ss, n, mean, k = squares(xs)
  if not ss or n < 2 or mean == 0 then return nil end
  return deviation(ss, k, n - 1) / mean
end

local function non_negative(v, n, who)
  for i = 1, n do
    if v[i] < 0 then error(who .. ": values must not be negative", 3) end
  end
end

-- Gini = Σi Σj |xi - xj| / (2 n² mean), computed from the sorted values as
-- 2 Σ i·x(i) / (n Σx) - (n + 1) / n.
function M.gini(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  non_negative(v, n, "gini")
  table.sort(v)
  local k = scale_of(v, n)
  local u = scaled(v, n, k)
  local total, weighted = 0.0, 0.0
  for i = 1, n do
    total = total + u[i]
    weighted = weighted + i * u[i]
  end
  if total == 0 then return nil end
  return 2 * weighted / (n * total) - (n + 1) / n
end

-- Gini from groups (deciles, provinces): population p and income y of each.
-- Groups in order of income per head; with population shares pk and
-- cumulative income shares Sk, G = 1 - Σ pk (Sk-1 + Sk): one minus twice the
-- area under the Lorenz curve drawn through the groups.
function M.gini_grouped(pop, income)
  local p, y, n = pairs_of(pop, income, 2)
  if n == 0 then return nil end
  local order = {}
  for i = 1, n do
    if p[i] <= 0 or y[i] < 0 then error("gini_grouped: populations must be positive and incomes not negative", 2) end
    order[i] = i
  end
  table.sort(order, function(a, b) return y[a] / p[a] < y[b] / p[b] end)
  local ptotal, ytotal = sum_of(p, n), sum_of(y, n)
  if ytotal == 0 then return nil end
  local area, cumulative = 0, 0
  for _, i in ipairs(order) do
    local next_cumulative = cumulative + y[i] / ytotal
    area = area + (p[i] / ptotal) * (cumulative + next_cumulative)
    cumulative = next_cumulative
  end
  return 1 - area
end

-- Theil T = (1/n) Σ (x/mean) ln(x/mean); a zero contributes 0 (x ln x → 0).
function M.theil(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  non_negative(v, n, "theil")
  local mean = mean_of(v, n)
  if mean == 0 then return nil end
  local t = 0
  for i = 1, n do
    local r = v[i] / mean
    if r > 0 then t = t + r * math.log(r) end
  end
  return t / n
end

-- Theil L, the mean log deviation = (1/n) Σ ln(mean/x); undefined with a zero.
function M.theil_l(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  local mean = mean_of(v, n)
  local t = 0
  for i = 1, n do
    if v[i] <= 0 then error("theil_l: values must be positive (the mean log deviation of a zero is undefined)", 2) end
    t = t + math.log(mean / v[i])
  end
  return t / n
end

-- The ratio of the top to the bottom quintile's mean (S80/S20): the sorted
-- values' first and last fifth of the count, a value on the boundary
-- counted in part.
function M.quintile_ratio(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  non_negative(v, n, "quintile_ratio")
  table.sort(v)
  local fifth = n / 5
  local function mass(from, step)
    local left, total, i = fifth, 0, from
    while left > 0 do
      local w = math.min(1, left)
      total = total + w * v[i]
      left = left - w
      i = i + step
    end
    return total
  end
  local bottom = mass(1, 1)
  if bottom == 0 then return nil end
  return mass(n, -1) / bottom
end

-- Pearson's r = Σ(x - x̄)(y - ȳ) / √(Σ(x - x̄)² Σ(y - ȳ)²).  Worked on x/kx
-- and y/ky (see scale_of); the sums are in those units, the means not.
local function moments(xs, ys)
  local x, y, n = pairs_of(xs, ys, 3)
  if n < 2 then return nil end
  local kx, ky = scale_of(x, n), scale_of(y, n)
  x, y = scaled(x, n, kx), scaled(y, n, ky)
  local mx, my = mean_of(x, n), mean_of(y, n)
  local sxx, syy, sxy = 0.0, 0.0, 0.0
  for i = 1, n do
    sxx = sxx + (x[i] - mx) ^ 2
    syy = syy + (y[i] - my) ^ 2
    sxy = sxy + (x[i] - mx) * (y[i] - my)
  end
  return {n = n, mx = mx * kx, my = my * ky, kx = kx, ky = ky, sxx = sxx, syy = syy, sxy = sxy}
end

function M.corr(xs, ys)
  local m = moments(xs, ys)
  if not m or m.sxx == 0 or m.syy == 0 then return nil end
  return m.sxy / math.sqrt(m.sxx * m.syy)
end

-- The least-squares line y = intercept + slope·x: slope = Sxy / Sxx,
-- intercept = ȳ - slope·x̄, r² = Sxy² / (Sxx Syy).  Without xs, x is the
-- position: 1, 2, ..., n.
function M.trend(ys, xs)
  local m = moments(xs or positions(ys), ys)
  if not m or m.sxx == 0 then return nil end
  local slope = m.sxy / m.sxx * (m.ky / m.kx)
  return {slope = slope, intercept = m.my - slope * m.mx,
          r2 = m.syy > 0 and m.sxy ^ 2 / (m.sxx * m.syy) or nil}
end

function M.slope(ys, xs)
  local t = M.trend(ys, xs)
  return t and t.slope
end

function M.intercept(ys, xs)
  local t = M.trend(ys, xs)
  return t and t.intercept
end

function M.r2(ys, xs)
  local t = M.trend(ys, xs)
  return t and t.r2
end

-- Growth and levels, as scalars.

-- Percentage change from before to now.
function M.growth(now, before)
  if now == nil or before == nil or before == 0 then return nil end
  return (now / before - 1) * 100
end

-- Compound annual growth rate (%) from first to last over years.
function M.cagr(first, last, years)
  if first == nil or last == nil or years == nil or years == 0 or first <= 0 or last < 0 then return nil end
  return ((last / first) ^ (1 / years) - 1) * 100
end

-- a / b, nil when b is 0 or either is missing.
function M.ratio(a, b)
  if a == nil or b == nil or b == 0 then return nil end
  return a / b
end

return M
