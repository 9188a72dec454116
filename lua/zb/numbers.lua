-- zb.numbers: how zb writes a real so that it reads back as the same value.
local M = {}

-- "NaN", "Inf" or "-Inf" for a number that is not finite; nil for one that is.
function M.special(x)
  if x ~= x then return "NaN" end
  if x == math.huge then return "Inf" end
  if x == -math.huge then return "-Inf" end
  return nil
end

-- The shortest of 15, 16 or 17 significant digits that reads back as x,
-- with ".0" kept on integral values so that they stay reals.  Finite x only.
function M.exact(x)
  local s
  for digits = 15, 17 do
    s = string.format("%." .. digits .. "g", x)
    if tonumber(s) == x then break end
  end
  if not s:find("[.eEn]") then s = s .. ".0" end
  return s
end

return M
