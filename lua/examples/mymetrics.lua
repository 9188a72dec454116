-- mymetrics.lua: a user module of metrics, the pattern README teaches.
-- Put it in a directory of $ZB_PATH (or ~/.config/zb/lua/) and require it:
-- its metrics are SQL functions from then on, in every query, and Lua
-- functions in zb.metrics.
local M = {}

-- Amount per person: a total in 亿元 over a head count, in 元.
function M.per_capita(total_yi, people)
  if total_yi == nil or people == nil or people == 0 then return nil end
  return total_yi * 1e8 / people
end
zb.metric("per_capita", M.per_capita, {deterministic = true, unit = "元", args = "total_yi, people",
                                       doc = "an amount in 亿元 per person, in 元"})

-- The change of a rate, in percentage points (百分点), not in %.
function M.points(now, before)
  if now == nil or before == nil then return nil end
  return now - before
end
zb.metric("points", M.points, {deterministic = true, unit = "百分点", args = "now_pct, before_pct",
                               doc = "the change of a rate, in percentage points"})

-- The geometric mean of growth factors: the average growth over several years.
zb.aggregate("geomean", {
  init = function() return {n = 0, logs = 0} end,
  step = function(s, x)
    if x ~= nil and x > 0 then
      s.n = s.n + 1
      s.logs = s.logs + math.log(x)
    end
  end,
  final = function(s) return s.n > 0 and math.exp(s.logs / s.n) or nil end,
}, {args = "x", doc = "the geometric mean of positive values"})
M.geomean = zb.metrics.geomean  -- over Lua arrays

return M
