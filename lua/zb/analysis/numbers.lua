-- zb.numbers: how zb reads a number given as text, and writes a real so
-- that it reads back as the same value.
local M = {}

-- x as a number, or an error "who: expected a number, got ..." raised at
-- level as its caller's caller sees it (a public function passes 2).
-- Text that reads as a decimal number counts (a CSV's "3", " 2.5", "1e3"),
-- as SQLite reads text in arithmetic.  Hexadecimal text is refused: Lua
-- reads "0x10" as 16 and SQLite as 0 (avg('0x10') is 0), so either answer
-- would be a surprise to someone.  NaN is refused too: no order places it,
-- so a median or a Gini over it would be arbitrary.
function M.read(x, who, level)
  local v, hex
  if type(x) == "number" then
    v = x
  elseif type(x) == "string" then
    hex = x:find("^%s*[-+]?0[xX]")
    if not hex then v = tonumber(x) end
  end
  local problem
  if v == nil then
    local what = type(x) == "string" and string.format("the text '%s'", #x > 60 and x:sub(1, 60) .. "..." or x)
                 or string.format("a %s (%s)", type(x), tostring(x))
    problem = string.format("expected a number, got %s%s", what,
                            hex and " (hexadecimal is not read as a number: Lua would take 0x10 for 16, SQLite for 0)" or "")
  elseif v ~= v then
    problem = "expected a number, got NaN"
  end
  if problem then error(who .. ": " .. problem, level + 1) end
  return v
end

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
