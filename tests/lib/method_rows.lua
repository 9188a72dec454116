-- Run by tests/lua/postgresql.lua in a zb of each engine: every method's
-- case (method_cases.lua) made on fresh tables, and its rows printed as
-- lines "case<TAB>row" (each value typed: i:12, r:0x1.8p+0, t:text, NULL),
-- sorted, or "case<TAB>!<TAB>message" for a case the engine refused;
-- first "case<TAB>=<TAB>SQL" (its line breaks as \n), the SQL the engine ran.
local T = require("check")
if zb.engine.name == "postgresql" then
  zb.sql("drop schema public cascade; create schema public")
  zb.install()  -- zb's analysis library on the server
end
local cases = require("method_cases")(T)

local function typed(v)
  if v == nil then return "NULL" end
  if math.type(v) == "integer" then return "i:" .. v end
  if math.type(v) == "float" then return string.format("r:%.17g", v) end
  return "t:" .. tostring(v)
end

for _, case in ipairs(cases) do
  local ok, lines = pcall(function()
    local out, tbl = {}, case[2]()
    print(case[1] .. "\t=\t" .. (tbl:sql():gsub("\n", "\\n")))
    for r in tbl:rows() do
      local cells = {}
      for i = 1, #r do cells[i] = typed(r[i]) end
      out[#out + 1] = table.concat(cells, " ")
    end
    table.sort(out)
    return out
  end)
  if ok then
    for _, line in ipairs(lines) do print(case[1] .. "\t" .. line) end
    print(case[1] .. "\t.")
  else
    print(case[1] .. "\t!\t" .. tostring(lines):gsub("\n.*", ""))
  end
end
T.cleanup()
