-- zb.spark: values as a sparkline, "▁▃▅█" (nil a gap), from the lowest
-- to the highest; and the SQL aggregate spark(x [, order]), a group's
-- values as one, in order's order (ties, and without order, as the rows
-- came): agg{trend = "spark(gdp, year)"}.
local errors = require("zb.host.errors")
errors.own()
local numbers = require("zb.analysis.numbers")

local M = {}

local LEVELS = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

-- v as a number to draw, or an error naming who and v.
function M.drawable(who, v)
  local ok, x = pcall(numbers.read, v, who, 1)
  if not ok then errors.raise(errors.plain(x)) end
  if numbers.special(x) then errors.raise(string.format("%s: %s cannot be drawn", who, numbers.special(x))) end
  return x
end

-- values (a list, n its length when it has gaps: nil is a gap) as a
-- sparkline: a block a value, from the lowest to the highest.
function M.spark(values)
  if type(values) ~= "table" then errors.raise("bad argument #1 to 'spark' (a list of numbers expected)") end
  local n = values.n or #values
  local xs, lo, hi = {}, math.huge, -math.huge
  for i = 1, n do
    if values[i] ~= nil then
      local x = M.drawable("spark", values[i])
      xs[i], lo, hi = x, math.min(lo, x), math.max(hi, x)
    end
  end
  -- (halves where hi - lo would overflow: each the same ratio, exactly)
  local halves, out = hi / 2 - lo / 2 > 8.98846567431158e307, {}
  for i = 1, n do
    local x = xs[i]
    if x == nil then out[i] = " "
    elseif hi == lo then out[i] = LEVELS[4]
    elseif halves then out[i] = LEVELS[math.floor((x / 2 - lo / 2) / (hi / 2 - lo / 2) * 7 + 0.5) + 1]
    else out[i] = LEVELS[math.floor((x - lo) / (hi - lo) * 7 + 0.5) + 1] end
  end
  return table.concat(out)
end

-- The key a value of order sorts by: a number as it is, text that spells
-- a period by its place in time (2022年2月 before 2022年10月), other text
-- as text; NULL last.
local function order_key(v)
  if type(v) == "string" then
    local p = zb.period.is(v) and zb.period(v)
    if p then return 1, p.frequency .. string.format("%020d", p:index() + 10 ^ 15) end
    return 2, v
  end
  if v == nil then return 3, 0 end
  return 0, v
end

-- The SQL aggregate spark(x [, order]): the group's values as a
-- sparkline, ordered by order when given (ties as the rows came).
M.aggregate = {
  init = function() return {n = 0} end,
  step = function(state, x, order)
    local n = state.n + 1
    local kind, key = order_key(order)
    state.n, state[n] = n, {x = x, kind = kind, key = key, at = n}
  end,
  final = function(state)
    local rows = {table.unpack(state, 1, state.n)}
    table.sort(rows, function(a, b)
      if a.kind ~= b.kind then return a.kind < b.kind end
      if a.key ~= b.key then return a.key < b.key end
      return a.at < b.at
    end)
    local values = {n = #rows}
    for i, r in ipairs(rows) do values[i] = r.x end
    return #rows > 0 and M.spark(values) or nil
  end,
}

return setmetatable(M, {__call = function(_, values) return M.spark(values) end})
