-- zb.units: the units of Chinese statistics, and conversion within a dimension.
--
--   zb.units.convert(18109, "亿元", "万亿元")  --> 1.8109
--   zb.units.human(1.8109e12, "元")            --> "1.81万亿元"
--   zb.units.about("亿元")                     --> {dimension = "money", factor = 1e8}
--
-- In SQL (zb.library): convert_unit(x, from, to), human(x, unit); and the
-- table method t:convert{value = "万元" [, unit = "unit"]}.
local M = {}

-- unit -> dimension and the power of ten of its factor to the dimension's
-- base unit.  Counts of different things (个, 家, 所, 项) are dimensions of
-- their own.
local units = {
  ["元"] = {"money", 0}, ["万元"] = {"money", 4}, ["亿元"] = {"money", 8}, ["万亿元"] = {"money", 12},
  ["人"] = {"people", 0}, ["万人"] = {"people", 4},
  ["件"] = {"items", 0}, ["万件"] = {"items", 4},
  ["个"] = {"count (个)", 0}, ["家"] = {"count (家: firms)", 0}, ["所"] = {"count (所: institutions)", 0},
  ["项"] = {"count (项: items, awards)", 0},
  ["%"] = {"ratio", -2}, ["‰"] = {"ratio", -3}, ["倍"] = {"ratio", 0},
  ["百分点"] = {"percentage points", 0},
}

-- unit -> dimension and factor (亿元: money, 1e8); powers: unit -> its
-- power of ten (亿元: 8), for exact scaling in human (the server's human
-- takes them too).  A factor is read as the literal 1eN is, the double
-- nearest 10^N, with no libm call as the library loads; a unit's own
-- base's is the integer 1.
local catalog, powers = {}, {}
for unit, entry in pairs(units) do
  catalog[unit] = {entry[1], entry[2] == 0 and 1 or tonumber("1e" .. entry[2])}
  powers[unit] = entry[2]
end
M.catalog, M.powers = catalog, powers

-- Units of a dimension, smallest first (for human).
local ladders = {}
for unit, entry in pairs(catalog) do
  local ladder = ladders[entry[1]] or {}
  ladders[entry[1]] = ladder
  ladder[#ladder + 1] = unit
end
for _, ladder in pairs(ladders) do
  table.sort(ladder, function(a, b) return catalog[a][2] < catalog[b][2] end)
end

function M.about(unit)
  local entry = catalog[unit]
  return entry and {dimension = entry[1], factor = entry[2]}
end

local function lookup(unit, level)
  local entry = catalog[unit]
  if not entry then
    local names = {}
    for name in pairs(catalog) do names[#names + 1] = name end
    table.sort(names)
    error(string.format("unknown unit '%s' (units: %s)", tostring(unit), table.concat(names, " ")), level + 1)
  end
  return entry
end

-- x in unit from, as unit to.  Scaling by a power of ten ratio is exact,
-- so 18109 亿元 is exactly the double nearest 1.8109 万亿元.  A missing
-- value or unit (NULL) gives nil.
function M.convert(x, from, to)
  if x == nil or from == nil then return nil end
  if type(x) ~= "number" then error("convert: the value must be a number", 2) end
  local a, b = lookup(from, 2), lookup(to, 2)
  if a[1] ~= b[1] then
    if (from == "%" and to == "百分点") or (from == "百分点" and to == "%") then
      error("cannot convert % to 百分点: a rate is in % (27.1%), a change in a rate in 百分点 " ..
            "(percentage points: 27.1% to 28.3% is 1.2 百分点)", 2)
    end
    error(string.format("cannot convert %s to %s: %s and %s are different dimensions", from, to, a[1], b[1]), 2)
  end
  if a[2] >= b[2] then return x * (a[2] / b[2]) end
  return x / (b[2] / a[2])
end

-- A finite, non-zero x as a decimal: sign ("-" or ""), digits (no zeros
-- at either end) and exponent, x = digits * 10^exponent.  An integer is
-- taken as it is; a real as the shortest decimal that reads back as the
-- same double (Python's repr), which is the number as typed: 8.715, not
-- the 8.71499999999999985789... the double holds.
local function decimal(x)
  local sign, int, frac, exp
  if math.type(x) == "integer" then
    sign, int = string.format("%d", x):match("^(-?)(%d+)$")
    frac, exp = "", 0
  else
    -- The nearest decimal of 15, 16 or 17 significant digits that reads
    -- back as x, trailing zeros dropped, is the shortest; a subnormal has
    -- fewer bits, so there try from one digit up (4.94e-324 is 5e-324).
    local s
    for precision = math.abs(x) < 2.2250738585072014e-308 and 0 or 14, 16 do
      s = string.format("%." .. precision .. "e", x)
      if tonumber(s) == x then break end
    end
    sign, int, frac, exp = s:match("^(-?)(%d)%.?(%d*)e([-+]%d+)$")
    exp = tonumber(exp) - #frac
  end
  local digits = int .. frac
  local zeros = digits:match("0*$")
  return sign, digits:sub(1, #digits - #zeros), exp + #zeros
end

-- digits * 10^exp rounded half away from zero to a whole number, as digits.
local function round(digits, exp)
  if exp >= 0 then return digits .. string.rep("0", exp) end
  local keep = #digits + exp
  if keep < 0 then return "0" end
  local head = keep > 0 and digits:sub(1, keep) or "0"
  if digits:byte(keep + 1) < ("5"):byte() then return head end
  local before, nines = head:match("^(.-)(9*)$")  -- add one, carrying
  local last = #before > 0 and tonumber(before:sub(-1)) or 0
  return before:sub(1, -2) .. (last + 1) .. string.rep("0", #nines)
end

-- sign, digits, exp (from decimal) to three significant digits, or to a
-- whole number from 1000 on; trailing zeros dropped.  Rounds half away
-- from zero on that decimal value, the way a person rounds 8.715 to 8.72.
-- Below 1e-6 and from 1e21 (after rounding) it writes an exponent, as zb
-- writes numbers on screen: 1e-90, 1.23e+21.  Also returns whether the
-- rounded value is 1 or more.
local function three_digits(sign, digits, exp)
  if digits == "" then return sign .. "0", false end
  local magnitude = #digits - 1 + exp
  local decimals = math.max(0, 2 - magnitude)
  local n = round(digits, exp + decimals)  -- the value * 10^decimals
  local shown = #n - 1 - decimals          -- its magnitude once rounded
  if shown < -6 or shown >= 21 then
    local m = round(digits, exp + 2 - magnitude)  -- three digits, or 1000
    if #m > 3 then m, magnitude = "100", magnitude + 1 end
    local rest = m:sub(2):gsub("0+$", "")
    return string.format("%s%s%s%se%s%02d", sign, m:sub(1, 1), rest ~= "" and "." or "", rest,
                         magnitude < 0 and "-" or "+", math.abs(magnitude)), shown >= 0
  end
  local text = n
  if decimals > 0 then
    n = string.rep("0", decimals + 1 - #n) .. n
    local frac = n:sub(-decimals):gsub("0+$", "")
    text = n:sub(1, -decimals - 1) .. (frac ~= "" and "." .. frac or "")
  end
  return sign .. text, shown >= 0
end

-- x in unit, in the largest unit of its dimension that keeps it at 1 or
-- more once rounded to three significant digits: 1.8109e12 元 is
-- "1.81万亿元", 99999999 元 "1亿元".  Rates stay in their unit; a unit
-- outside the catalog (年) or none keeps the number as it is.  The units
-- are powers of ten apart, so each step is exact on the decimal value:
-- 87150 元 is 8.715万元, rounded to 8.72万元.
function M.human(x, unit)
  if x == nil then return nil end
  if type(x) ~= "number" then x = require("zb.analysis.numbers").read(x, "human", 2) end  -- '87150' counts, as in SQL
  local special = require("zb.analysis.numbers").special(x)
  if special then return special .. (unit or "") end
  local sign, digits, exp
  if x == 0 then
    sign, digits, exp = 1 / x < 0 and "-" or "", "", 0
  else
    sign, digits, exp = decimal(x)
  end
  local entry = unit ~= nil and catalog[unit]
  if not entry then return three_digits(sign, digits, exp) .. (unit or "") end
  if entry[1] == "ratio" or entry[1] == "percentage points" then return three_digits(sign, digits, exp) .. unit end
  local ladder = ladders[entry[1]]
  for i = #ladder, 1, -1 do
    local text, whole = three_digits(sign, digits, exp + powers[unit] - powers[ladder[i]])
    if i == 1 or whole then return text .. ladder[i] end
  end
end

return M
