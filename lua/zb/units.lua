-- zb.units: the units of Chinese statistics, and conversion within a dimension.
--
--   zb.units.convert(18109, "亿元", "万亿元")  --> 1.8109
--   zb.units.human(1.8109e12, "元")            --> "1.81万亿元"
--   zb.units.about("亿元")                     --> {dimension = "money", factor = 1e8}
--
-- In SQL (zb.library): convert_unit(x, from, to), human(x, unit); and the
-- table method t:convert{value = "万元" [, unit = "unit"]}.
local M = {}

-- unit -> dimension and factor to the dimension's base unit.  Counts of
-- different things (个, 家, 所, 项) are dimensions of their own.
local catalog = {
  ["元"] = {"money", 1}, ["万元"] = {"money", 1e4}, ["亿元"] = {"money", 1e8}, ["万亿元"] = {"money", 1e12},
  ["人"] = {"people", 1}, ["万人"] = {"people", 1e4},
  ["件"] = {"items", 1}, ["万件"] = {"items", 1e4},
  ["个"] = {"count (个)", 1}, ["家"] = {"count (家: firms)", 1}, ["所"] = {"count (所: institutions)", 1},
  ["项"] = {"count (项: items, awards)", 1},
  ["%"] = {"ratio", 1e-2}, ["‰"] = {"ratio", 1e-3}, ["倍"] = {"ratio", 1},
  ["百分点"] = {"percentage points", 1},
}
M.catalog = catalog

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

-- v to three significant digits, trailing zeros dropped.
local function three_digits(v)
  local magnitude = v == 0 and 0 or math.floor(math.log(math.abs(v), 10))
  local decimals = math.max(0, 2 - magnitude)
  local text = string.format("%." .. decimals .. "f", v)
  if decimals > 0 then text = text:gsub("0+$", ""):gsub("%.$", "") end
  return text
end

-- x in unit, in the largest unit of its dimension that keeps it at 1 or
-- more once rounded to three significant digits: 1.8109e12 元 is
-- "1.81万亿元", 99999999 元 "1亿元".  Rates stay in their unit; a unit
-- outside the catalog (年) or none keeps the number as it is.
function M.human(x, unit)
  if x == nil then return nil end
  if type(x) ~= "number" then error("human: the value must be a number", 2) end
  local special = require("zb.numbers").special(x)
  if special then return special .. (unit or "") end
  local entry = unit ~= nil and catalog[unit]
  if not entry then return three_digits(x) .. (unit or "") end
  if entry[1] == "ratio" or entry[1] == "percentage points" then return three_digits(x) .. unit end
  local ladder = ladders[entry[1]]
  for i = #ladder, 1, -1 do
    local text = three_digits(M.convert(x, unit, ladder[i]))
    if i == 1 or math.abs(tonumber(text)) >= 1 then return text .. ladder[i] end
  end
end

return M
