-- The values of a table a statistical reader loaded (read_worldbank's
-- years, read_nbs' periods, read_sdmx's OBS_VALUE) must be numbers: one cell of text (a note, a
-- mark such as "e" or "abc") makes read_csv keep its whole column as text,
-- and the long table's values would then be text that compares and sorts
-- as text.  Refused, naming the file's line, the column and the row.
local errors = require("zb.host.errors")
errors.own()

return function(path, wide, columns, id)
  local engine, quote = zb.engine, zb.names.quote
  local tests, picked = {}, {quote(id)}
  for i, c in ipairs(columns) do
    tests[i] = engine.dialect.not_number(quote(c))
    picked[#picked + 1] = quote(c)
  end
  if #tests == 0 then return end
  local rowid = engine.name == "sqlite" and "rowid AS zb_row, " or ""
  local row = engine.exec(string.format("SELECT %s%s FROM %s WHERE %s LIMIT 1", rowid, table.concat(picked, ", "),
                                        quote(wide.name), table.concat(tests, " OR ")))[1]
  if not row then return end
  for _, c in ipairs(columns) do
    local v = row[c]
    if v ~= nil and math.type(v) == nil and not (type(v) == "string" and tonumber(v)) then
      local line = require("zb.relation.catalog").line_of_row(wide.name, row.zb_row)
      errors.raise(string.format("%s%s: column %s holds '%s' (%s %s), not a number (a value column of a " ..
                                 "statistical download holds numbers, and NULL where a value is missing)", path,
                                 line and ":" .. line or "", c, tostring(v), id, tostring(row[id])))
    end
  end
end
