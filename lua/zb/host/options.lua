-- zb.options: the one checker of the options tables zb's functions take
-- (zb.core's C functions check theirs with the same words: csv.c).
--
--   options.check(who, opts, spec [, hint])  -- opts, or {} for nil
--
-- spec maps each option's name to the type its value must have: a Lua
-- type ("string", "boolean", "number", "table", "function"), "integer" for
-- a whole number, "any", or several joined by "|".  An option not in spec
-- is an error listing those that are; a value of another type is an error
-- naming the option and the type; hint(opts), when given, adds to the first
-- what the user may have meant.  Errors are raised at the user's line.
local errors = require("zb.host.errors")
errors.own()

local M = {}

local function is(v, kind)
  for one in kind:gmatch("[^|]+") do
    if one == "any" or type(v) == one or (one == "integer" and math.type(v) == "integer") then return true end
  end
  return false
end

-- The names spec allows, sorted, for a message.
function M.names(spec)
  local names = {}
  for name in pairs(spec) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ", ")
end

function M.check(who, opts, spec, hint)
  if opts == nil then return {} end
  if type(opts) ~= "table" then errors.raise(string.format("%s: options must be a table, not a %s", who, type(opts))) end
  for k, v in pairs(opts) do
    local kind = type(k) == "string" and spec[k]
    if not kind then
      errors.raise(string.format("%s: unknown option '%s' (options: %s)%s", who, tostring(k), M.names(spec),
                                 hint and hint(opts) or ""))
    end
    if not is(v, kind) then
      local wanted = kind:gsub("|", " or ")
      errors.raise(string.format("%s: option '%s' must be %s %s, not a %s", who, k, wanted:match("^[aeiou]") and "an" or "a",
                                 wanted, math.type(v) == "float" and kind == "integer" and "number with a fraction" or type(v)))
    end
  end
  return opts
end

return M
