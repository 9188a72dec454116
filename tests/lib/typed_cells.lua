-- Values as a test compares them across engines: NULL, float:%.17g (every
-- bit of a double), or the type and value (integer:3, text:杭州).
-- typed_cells.cell(v); typed_cells.row(r, n): the first n cells of row r,
-- apart by spaces.
local M = {}

function M.cell(v)
  if v == nil then return "NULL" end
  return math.type(v) == "float" and string.format("float:%.17g", v) or (math.type(v) or "text") .. ":" .. tostring(v)
end

function M.row(r, n)
  local cells = {}
  for i = 1, n do cells[i] = M.cell(r[i]) end
  return table.concat(cells, " ")
end

return M
