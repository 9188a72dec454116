-- zb.read_json(path [, opts]): a JSON file into a new table of the session
-- database, read in C (src/readers/json.c) and inserted by the engine
-- (zb.engine.insert_json).  The file holds an array of objects (one a row)
-- or an object of column arrays (of one length).
-- opts.name and opts.replace as for zb.read_csv.  Returns the table.
local errors = require("zb.host.errors")
errors.own()  -- its refusals are raised at the user's line

local json_text = require("zb.loaders.json_text")

local quote = zb.names.quote

local function bad_file(path, why)
  errors.raise(path .. ": " .. why)
end

-- The column type that holds every JSON type seen.
local function column_type(seen)
  if seen.text or seen.object or seen.array then return "TEXT" end
  if seen.real then return "REAL" end
  if seen.integer or seen["true"] or seen["false"] then return "INTEGER" end
  return "TEXT"
end

-- The columns of JSON text (of file path), read in C (zb.core.json_scan,
-- src/readers/json.c): their names in order and, by name, the kinds of
-- JSON value each holds ({integer = true, text = true, ...}).  A column of
-- numbers whose strings all spell a missing value ('N/A', '…': read_csv's)
-- is of numbers, those NULL (missing = true): one 'N/A' does not make 9
-- and 10 text.
local function columns_in(path, text)
  local ok, doc = pcall(require("zb.core").json_scan, text)
  if not ok then
    if type(doc) == "table" then  -- a number whose digits are gone is refused (read_csv keeps it as text)
      bad_file(path, string.format("row %d, column %s: a number beyond 64-bit integers or doubles (it would be read " ..
                                   "as %s and its digits lost); write it as a string in the file", doc.row, doc.column,
                                   zb.pretty(doc.value)))
    end
    local jsonstat = text:find('"class"%s*:%s*"[dbc]%l+"') and text:find('"dimension"%s*:')
    bad_file(path, tostring(doc) .. (jsonstat and " (it is JSON-stat: read it with zb.read_jsonstat)" or ""))
  end
  if #doc == 0 then bad_file(path, "no columns") end
  local order, seen = {}, {}
  for i, c in ipairs(doc) do
    local s = c.kinds
    order[i], seen[c.name] = c.name, s
    if s.text and (s.integer or s.real) and not (s.object or s.array) and c.missing then s.text, s.missing = nil, true end
    if c.inexact and column_type(s) == "REAL" then  -- stored as a real, as the column's other numbers are
      bad_file(path, string.format("row %d, column %s: the integer %d, in a column with reals, would be read as %s " ..
                                   "(a double holds integers exactly only to 2^53) and its digits lost; write it as " ..
                                   "a string in the file", c.inexact.row, c.name, c.inexact.value,
                                   zb.pretty(c.inexact.value + 0.0)))
    end
  end
  return order, seen
end

-- Table name made of the document text, in one transaction; the table.
local function store(path, opts, order, seen, text)
  local name, replace = opts.name or zb.names.of_file(path), opts.replace
  local defs, columns = {}, {}
  for i, col in ipairs(order) do
    defs[i] = quote(col) .. " " .. column_type(seen[col])
    columns[i] = {name = col, numbers_only = seen[col].missing}
  end
  local engine = zb.engine
  -- another engine takes the rows read into the session's SQLite database (engine.adopt)
  local reader = engine.adopt and require("zb.engine.sqlite") or engine
  require("zb.loaders.loading").check_name(name, opts)
  return engine.atomic(function()
    if replace and reader == engine then engine.exec("drop table if exists " .. quote(name)) end
    reader.exec("create table " .. quote(name) .. " (" .. table.concat(defs, ", ") .. ")")
    reader.insert_json(name, text, columns)
    if reader ~= engine then engine.adopt(name, replace) end
    local catalog, periods = require("zb.relation.catalog"), {}
    for _, col in ipairs(order) do  -- a column of strings alone may be one of periods
      local found = seen[col]
      if found.text and not (found.integer or found.real or found.object or found.array or found["true"] or found["false"]) then
        local frequency = catalog.frequency_of(name, col)
        if frequency then periods[col] = {frequency = frequency} end
      end
    end
    catalog.record(name, catalog.with_units(periods, opts.units, order), catalog.load_record("read_json", path, opts))
    return zb.table(name)  -- inside: if making it fails, nothing stays loaded
  end)
end

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, opts)
  if type(path) ~= "string" then errors.raise("bad argument #1 to 'read_json' (a file name expected)") end
  opts = require("zb.host.options").check("read_json", opts, {name = "string", replace = "boolean", vintage = "string",
                                                              source = "string", notes = "string", units = "table"})
  local text = json_text(path)
  local order, seen = columns_in(path, text)
  local ok, result = pcall(store, path, opts, order, seen, text)
  if not ok then bad_file(path, tostring(errors.plain(result))) end
  return result
end)
