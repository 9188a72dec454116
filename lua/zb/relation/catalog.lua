-- zb.catalog: what zb knows of a table beyond SQLite's schema, kept in the
-- database itself so that it survives save, -d and reopening and the
-- sqlite3 shell reads it: the table zb_catalog, a row a table, with two
-- JSON objects:
--
--   name   columns                         about
--   sales  {"month":{"frequency":"M"},     {"loader":"read_csv","loaded":"2026-12-03T07:00:00Z",
--           "gdp":{"unit":"亿元"}}            "file":{"path":"/data/sales.csv","size":3806,
--                                             "fingerprint":"xxh3-128:…"},"options":{…},
--                                             "notes":["单位：亿元"],"vintage":"2022年鉴"}
--
-- columns: per column, the frequency of a column of periods (recognised as
-- a loader reads it) and the unit given at load.  about: where the table
-- came from (a file: its path, size and fingerprint; or a dataset), the
-- loader and its options, when, the notes the file held, and the user's
-- vintage, source and notes (kept as remarks, apart from the file's).  A table's metadata (t.meta) follows its
-- columns through derived tables as long as they pass through unchanged
-- (SQLite tells each result column's origin): a derived table's sources
-- are the records of the tables its columns come from.
-- (The engine keeps it: zb.engine.catalog_*.)
-- (zb.present.render's, loaded when a record is written: reading one needs none)
local function json_value(v)
  return require("zb.present.render").json_value(v)
end

local M = {}

-- v (a Lua value of strings, numbers, booleans and tables: lists with n
-- or a first element, else objects) as JSON text, keys sorted.
local function json(v)
  if type(v) == "boolean" then return tostring(v) end
  if type(v) ~= "table" then return json_value(v) end
  local out = {}
  if v.n or v[1] ~= nil then
    for i = 1, v.n or #v do out[i] = json(v[i]) end
    return "[" .. table.concat(out, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  for i, k in ipairs(keys) do out[i] = json_value(k) .. ":" .. json(v[k]) end
  return "{" .. table.concat(out, ",") .. "}"
end

-- Forget what was recorded of table name (the main database's).
function M.forget(name)
  zb.engine.catalog_forget(name)
end

-- Record columns (column name -> {frequency =, unit =}) and about (the
-- table's own record, or nil) of table name in the main database, in place
-- of what was recorded; nothing for none.
function M.record(name, columns, about)
  M.forget(name)
  if next(columns) == nil and about == nil then return end
  -- the table's CREATE statement as it was: a table dropped and made again
  -- by hand (zb.sql) is another table, which the record does not describe
  about = about or {}
  about.ddl = zb.engine.table_sql(name, "main")
  local known = {}
  for column, facts in pairs(columns) do known[column] = json(facts) end
  zb.engine.catalog_write(name, known, about and json(about) or nil)
end

-- Add fields to the record of table name (of the main database).
function M.amend(name, fields)
  zb.engine.catalog_amend(name, json(fields))
end

-- The record of a load: the loader, its options (opts without what the
-- record keeps apart), the file at path (its size and fingerprint: a pipe
-- has none) or the dataset, when, the file's notes, and the user's
-- vintage, source and notes.  fingerprint: the file's, made by the loader
-- as it read the bytes (else made here).
function M.load_record(loader, path, opts, notes, dataset, fingerprint)
  local core = require("zb.core")
  opts = opts or {}
  local about = {loader = loader, loaded = os.date("!%Y-%m-%dT%H:%M:%SZ"), vintage = opts.vintage,
                 source = opts.source, dataset = dataset}
  local options = {}
  for k, v in pairs(opts) do
    if not ({vintage = true, source = true, notes = true, units = true})[k] then options[k] = v end
  end
  if next(options) then about.options = options end
  local size, made, absolute = core.fingerprint_file(path, fingerprint)
  about.file = {path = absolute or path, size = size, fingerprint = made}
  if notes and #notes > 0 then about.notes = notes end  -- the file's
  about.remarks = opts.notes  -- the user's, apart from the file's
  return about
end

-- columns (column -> {frequency =}) with the units given at load (units:
-- column -> unit, each a column of names).
function M.with_units(columns, units, names)
  local have = {}
  for _, c in ipairs(names) do have[c] = true end
  for column, unit in pairs(units or {}) do
    if type(column) ~= "string" or type(unit) ~= "string" then
      require("zb.host.errors").raise("units must be {column = \"unit\"}")
    end
    if not have[column] then require("zb.host.errors").raise("units: no column " .. column) end
    columns[column] = columns[column] or {}
    columns[column].unit = unit
  end
  return columns
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

-- The catalog's row of table name in database: its columns and about,
-- decoded (described: the table's columns and types, when known).
local function read(name, database, described)
  local columns, about, ddl = zb.engine.catalog_read(name, database, described)
  about = about and zb.engine.json_decode(about)
  if about and about.ddl ~= nil and about.ddl ~= (ddl or zb.engine.table_sql(name, database)) then
    return {columns = {}}  -- made again since: the record is another table's
  end
  if about then about.ddl = nil end
  return {columns = columns, about = about and next(about) and about or nil}
end

-- What is known of description d: {columns = {name = {frequency =, unit
-- =}}} for the columns with something recorded at their origin, and the
-- record of the table they come from (its fields, with table = its name),
-- or of each when there are several (sources = {...}).
function M.meta(d)
  local out, tables, sources = {columns = {}}, {}, {}
  for i, origin in ipairs(d.origins or {}) do
    if origin then
      local database, name, column = origin[1], origin[2], origin[3]
      local key = database .. "\0" .. name
      if tables[key] == nil then
        tables[key] = read(name, database)
        if tables[key].about then
          local source = {table = name}
          for k, v in pairs(tables[key].about) do source[k] = v end
          sources[#sources + 1] = source
        end
      end
      local about = tables[key].columns[column]
      if about then out.columns[d.columns[i]] = about end
    end
  end
  -- a computed column of periods (melt's names: 2024年第一季度 ...)
  for name, frequency in pairs(d.periods or {}) do
    out.columns[name] = out.columns[name] or {frequency = frequency}
  end
  -- the tables the rows were read from, when no column passed through unchanged (an aggregate's)
  for _, s in ipairs(d.sources or {}) do
    local key = s[2] .. "\0" .. s[1]
    if tables[key] == nil then
      tables[key] = read(s[1], s[2])
      if tables[key].about then
        local source = {table = s[1]}
        for k, v in pairs(tables[key].about) do source[k] = v end
        sources[#sources + 1] = source
      end
    end
  end
  if #sources == 1 then
    for k, v in pairs(sources[1]) do out[k] = v end
  elseif #sources > 1 then
    out.sources = sources
  end
  return out
end

-- "Source: ..." for a table's metadata (t.meta): each source table's
-- source, file or dataset, and vintage; nil when nothing is known.
function M.source_line(meta)
  local lines = {}
  for _, m in ipairs(meta.sources or {meta}) do
    local from = m.dataset and "dataset " .. m.dataset or m.file and m.file.path
    local parts, known = {m.source, from, m.vintage}, {}
    for i = 1, 3 do known[#known + 1] = parts[i] end
    if #known > 0 then lines[#lines + 1] = table.concat(known, "; ") end
  end
  return #lines > 0 and "Source: " .. table.concat(lines, " | ") or nil
end

-- The line of the file of row rowid, from a record's lines (runs of
-- rows on consecutive lines: first row, its line, ...).
local function line_of(lines, rowid)
  local line
  for i = 1, #lines - 1, 2 do
    if lines[i] > rowid then break end
    line = lines[i + 1] + (rowid - lines[i])
  end
  return line
end

-- The line (or sheet row) of the file table name (of the main schema) was
-- loaded from that holds its row rowid; nil when not known.
function M.line_of_row(name, rowid)
  local lines = zb.engine.catalog_lines(name, "main")
  return lines and rowid and line_of(zb.engine.json_decode(lines), rowid)
end

-- Where rows of description d are in the file they were loaded from, for
-- an error: " (gdp.csv:3)", or " (gdp.csv:3, 5)" for two rows; "" when
-- d's rows do not come from one loaded file, or the columns given
-- ({column = value}, columns of d) do not pass through unchanged, or the
-- engine numbers no rows (zb.engine.rowid: a server's).
function M.where_loaded(d, values)
  local at, origin_table = {}, nil
  for column, value in pairs(values) do
    local i
    for j, c in ipairs(d.columns or {}) do
      if c == column then i = j end
    end
    local origin = i and d.origins and d.origins[i]
    if not origin then return "" end
    local key = origin[1] .. "\0" .. origin[2]
    if origin_table and origin_table.key ~= key then return "" end
    origin_table = origin_table or {key = key, database = origin[1], name = origin[2]}
    at[#at + 1] = {origin[3], value}
  end
  if not origin_table then return "" end
  local about = read(origin_table.name, origin_table.database).about
  local rowid = zb.engine.rowid
  local lines = rowid and about and about.file and zb.engine.catalog_lines(origin_table.name, origin_table.database)
  if not lines then return "" end
  lines = zb.engine.json_decode(lines)
  local conds, args = {}, {}
  for i, a in ipairs(at) do
    conds[i] = zb.names.quote(a[1]) .. " IS ?"
    args[i] = a[2]
  end
  local found = {}
  for _, r in ipairs(zb.engine.exec(string.format("select %s as id from %s.%s where %s order by %s limit 3", rowid,
                                                  zb.names.quote(origin_table.database), zb.names.quote(origin_table.name),
                                                  table.concat(conds, " and "), rowid), table.unpack(args))) do
    found[#found + 1] = line_of(lines, r.id)
  end
  if #found == 0 or #found > 2 then return "" end
  return string.format(" (%s:%s)", about.file.path:match("[^/]*$"), table.concat(found, ", "))
end

-- The units recorded for the columns of table name (of schema): column ->
-- unit, or nil (described: as read's).
function M.units(name, schema, described)
  local units
  for column, known in pairs(read(name, schema or "main", described).columns) do
    if known.unit then
      units = units or {}
      units[column] = known.unit
    end
  end
  return units
end

return M
