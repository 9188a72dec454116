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

-- The numbers of xs, nils left out, as a new array.
local function values(xs)
  local out, n = {}, 0
  for i = 1, xs.n or #xs do
    local x = xs[i]
    if x ~= nil then
      if type(x) ~= "number" then error("expected numbers, got a " .. type(x), 3) end
      n = n + 1
      out[n] = x
    end
  end
  return out, n
end

-- Pairs (x[i], y[i]) where both are there.
local function pairs_of(xs, ys)
  local a, b, n = {}, {}, 0
  for i = 1, math.max(xs.n or #xs, ys.n or #ys) do
    if xs[i] ~= nil and ys[i] ~= nil then
      n = n + 1
      a[n], b[n] = xs[i], ys[i]
    end
  end
  return a, b, n
end

local function sum_of(v, n)
  local s = 0
  for i = 1, n do s = s + v[i] end
  return s
end

-- mean = Σx / n
function M.mean(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  return sum_of(v, n) / n
end

function M.count(xs)
  local _, n = values(xs)
  return n
end

function M.sum(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  return sum_of(v, n)
end

function M.min(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  return math.min(table.unpack(v, 1, n))
end

function M.max(xs)
  local v, n = values(xs)
  if n == 0 then return nil end
  return math.max(table.unpack(v, 1, n))
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
local function squares(xs)
  local v, n = values(xs)
  if n == 0 then return nil, n end
  local mean = sum_of(v, n) / n
  local ss = 0
  for i = 1, n do ss = ss + (v[i] - mean) ^ 2 end
  return ss, n, mean
end

function M.variance(xs)
  local ss, n = squares(xs)
  if not ss or n < 2 then return nil end
  return ss / (n - 1)
end

function M.var_pop(xs)
  local ss, n = squares(xs)
  if not ss then return nil end
  return ss / n
end

function M.sd(xs)
  local v = M.variance(xs)
  return v and math.sqrt(v)
end

function M.sd_pop(xs)
  local v = M.var_pop(xs)
  return v and math.sqrt(v)
end

-- coefficient of variation = sd / mean (sample sd)
function M.cv(xs)
  local ss, n, mean = squares(xs)
  if not ss or n < 2 or mean == 0 then return nil end
  return math.sqrt(ss / (n - 1)) / mean
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
  local total, weighted = 0, 0
  for i = 1, n do
    total = total + v[i]
    weighted = weighted + i * v[i]
  end
  if total == 0 then return nil end
  return 2 * weighted / (n * total) - (n + 1) / n
end

-- Gini from groups (deciles, provinces): population p and income y of each.
-- Groups in order of income per head; with population shares pk and
-- cumulative income shares Sk, G = 1 - Σ pk (Sk-1 + Sk): one minus twice the
-- area under the Lorenz curve drawn through the groups.
function M.gini_grouped(pop, income)
  local p, y, n = pairs_of(pop, income)
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
  local mean = sum_of(v, n) / n
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
  local mean = sum_of(v, n) / n
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

-- Pearson's r = Σ(x - x̄)(y - ȳ) / √(Σ(x - x̄)² Σ(y - ȳ)²)
local function moments(xs, ys)
  local x, y, n = pairs_of(xs, ys)
  if n < 2 then return nil end
  local mx, my = sum_of(x, n) / n, sum_of(y, n) / n
  local sxx, syy, sxy = 0, 0, 0
  for i = 1, n do
    sxx = sxx + (x[i] - mx) ^ 2
    syy = syy + (y[i] - my) ^ 2
    sxy = sxy + (x[i] - mx) * (y[i] - my)
  end
  return {n = n, mx = mx, my = my, sxx = sxx, syy = syy, sxy = sxy}
end

function M.corr(xs, ys)
  local m = moments(xs, ys)
  if not m or m.sxx == 0 or m.syy == 0 then return nil end
  return m.sxy / math.sqrt(m.sxx * m.syy)
end

-- The least-squares line y = intercept + slope·x: slope = Sxy / Sxx,
-- intercept = ȳ - slope·x̄, r² = Sxy² / (Sxx Syy).
function M.trend(ys, xs)
  local m = moments(xs, ys)
  if not m or m.sxx == 0 then return nil end
  local slope = m.sxy / m.sxx
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
