-- zb.catalog: what zb knows of a table beyond SQLite's schema, kept in the
-- database itself so that it survives save, -d and reopening and the
-- sqlite3 shell reads it: the table zb_catalog, a row a table, its columns
-- a JSON object from column name to what is known of it:
--
--   name   columns
--   sales  {"month":{"frequency":"M"}}
--
-- Today: the frequency of a column of periods, recognised when a loader
-- reads it.  A table's metadata (t.meta) follows its columns through
-- derived tables as long as they pass through unchanged (SQLite tells
-- each result column's origin).
-- (The engine keeps it: zb.engine.catalog_*.)
local M = {}

-- Forget what was recorded of table name (the main database's).
function M.forget(name)
  zb.engine.catalog_forget(name)
end

-- Record columns (column name -> {frequency = "M"}) of table name in the
-- main database, in place of what was recorded; nothing for none.
function M.record(name, columns)
  M.forget(name)
  if next(columns) then zb.engine.catalog_write(name, columns) end
end

-- The frequency of text column (of table name) when its values are all
-- periods of one frequency, else nil: a loader's recognition, by the
-- column's distinct values (the CSV reader does it in C as it reads).
function M.frequency_of(name, column)
  local found
  for r in zb.sql(string.format("select distinct %s as v from %s where %s is not null", zb.names.quote(column),
                                zb.names.quote(name), zb.names.quote(column))):rows() do
    local frequency = type(r.v) == "string" and require("zb.core").period_read(r.v)
    if not frequency or (found and frequency ~= found) then return nil end
    found = frequency
  end
  return found
end

-- What is known of each column of description d: {columns = {name =
-- {frequency =}}} for those with something recorded at their origin.
function M.meta(d)
  local out, tables = {columns = {}}, {}
  for i, origin in ipairs(d.origins or {}) do
    if origin then
      local database, name, column = origin[1], origin[2], origin[3]
      local key = database .. "\0" .. name
      if tables[key] == nil then tables[key] = zb.engine.catalog_read(name, database) end
      local about = tables[key][column]
      if about then out.columns[d.columns[i]] = {frequency = about.frequency} end
    end
  end
  return out
end

return M
