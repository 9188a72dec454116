-- zb.arrays: how many entries a Lua array of values has, one rule for
-- zb.stats and for Lua aggregates called over arrays.
local M = {}

-- Raise "who: message" (formatted with ...) at level, as seen by the
-- caller of raise_at: zb.stats's helpers and this file's report the
-- user's line this way.
local function raise_at(who, level, message, ...)
  error(who .. ": " .. string.format(message, ...), level + 1)
end
M.raise_at = raise_at

-- How many entries the array xs has: its n when it has one (table.pack's
-- field), else #xs when nothing lies beyond it.  A loop that sets
-- xs[i] = row.value leaves holes where values are missing, and #xs may stop
-- at any of them: counting on would drop values without a word.
function M.length(xs, who, level)
  if type(xs) ~= "table" then raise_at(who, level + 1, "expected an array of numbers, got %s", type(xs)) end
  local n = xs.n
  if n ~= nil then
    local count = math.tointeger(n)
    if not count or count < 0 then
      raise_at(who, level + 1, "the array's n must be a count of its entries, got %s", tostring(n))
    end
    return count
  end
  local count = #xs
  for k in next, xs do
    if math.type(k) == "integer" and k > count then
      raise_at(who, level + 1, "the array has a hole: entry %d is there but not entry %d; " ..
           "set n to the number of entries (xs.n = count) and the missing ones are left out", k, count + 1)
    end
  end
  return count
end

return M
