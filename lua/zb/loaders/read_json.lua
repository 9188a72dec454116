-- zb.read_json(path [, opts]): a JSON file into a new table of the session
-- database, through the engine's reading of JSON (zb.engine.json_document).  The file holds an array
-- of objects (one a row) or an object of column arrays (of one length).
-- opts.name and opts.replace as for zb.read_csv.  Returns the table.
local errors = require("zb.host.errors")
errors.own()  -- its refusals are raised at the user's line

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

-- Columns in the order they first appear, with the JSON types seen in each
-- (from rows of col and type, in order of first appearance).
local function columns_of(kinds)
  local order, seen = {}, {}
  for _, k in ipairs(kinds) do
    if not seen[k.col] then
      seen[k.col] = {}
      order[#order + 1] = k.col
    end
    seen[k.col][k.type] = true
  end
  return order, seen
end

-- The document of JSON text (of file path), checked to be of one of its
-- two shapes (zb.engine's json_document).
local function document_of(path, text)
  local doc = zb.engine.json_document(text)
  if doc.shape == nil then bad_file(path, "not valid JSON") end
  if doc.shape == "array" then
    local bad = doc.not_object()
    if bad then
      bad_file(path, string.format("expected an array of objects (one a row); element %d is %s", bad.key + 1, bad.type))
    end
  elseif doc.shape == "object" then
    local lengths = doc.members()
    for _, l in ipairs(lengths) do
      if l.type ~= "array" then bad_file(path, "expected an object of column arrays; '" .. l.col .. "' is not an array") end
      if l.n ~= lengths[1].n then
        bad_file(path, string.format("column arrays differ in length: '%s' has %d, '%s' has %d",
                                 lengths[1].col, lengths[1].n, l.col, l.n))
      end
    end
  else
    bad_file(path, "expected an array of objects or an object of column arrays")
  end
  return doc
end

-- The columns of doc (of file path): their names in order, and the kinds
-- of JSON value each holds.
local function columns_in(path, doc)
  -- a number whose digits are gone is refused (read_csv keeps it as text)
  local lost = doc.lost_number()
  if lost then
    bad_file(path, string.format("row %d, column %s: a number beyond 64-bit integers or doubles (it would be read as %s " ..
                             "and its digits lost); write it as a string in the file", lost.row + 1, lost.col,
                             zb.pretty(lost.value)))
  end
  local order, seen = columns_of(doc.kinds())
  if #order == 0 then bad_file(path, "no columns") end
  return order, seen
end

-- Mark (seen[col].missing) the columns of numbers whose strings all spell
-- a missing value.
local function missing_numbers(order, seen, doc)
  -- a column of numbers whose strings all spell a missing value ('N/A',
  -- '…': read_csv's) is of numbers, those NULL: one 'N/A' does not make
  -- 9 and 10 text
  local core = require("zb.core")
  for _, col in ipairs(order) do
    local s = seen[col]
    if s.text and (s.integer or s.real) and not (s.object or s.array) then
      local all_missing = true
      for _, v in ipairs(doc.strings(col)) do all_missing = all_missing and core.missing_number(v) end
      if all_missing then s.text, s.missing = nil, true end
    end
  end
end

-- Table name made of doc, in one transaction; the table.
local function store(path, opts, order, seen, doc)
  local name, replace = opts.name or zb.names.of_file(path), opts.replace
  local defs, columns = {}, {}
  for i, col in ipairs(order) do
    defs[i] = quote(col) .. " " .. column_type(seen[col])
    columns[i] = {name = col, numbers_only = seen[col].missing}
  end
  local engine = zb.engine
  return engine.atomic(function()
    if replace then engine.exec("drop table if exists " .. quote(name)) end
    engine.exec("create table " .. quote(name) .. " (" .. table.concat(defs, ", ") .. ")")
    doc.insert_into(name, columns)
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
  local f, err = errors.open(path, "rb")
  if not f then errors.raise("cannot open " .. err) end
  local text = f:read("a")
  f:close()
  if not text then bad_file(path, "cannot read it (is it a directory?)") end
  text = text:gsub("^\239\187\191", "")
  if not utf8.len(text) then bad_file(path, "invalid UTF-8") end
  local doc = document_of(path, text)
  local order, seen = columns_in(path, doc)
  missing_numbers(order, seen, doc)
  local ok, result = pcall(store, path, opts, order, seen, doc)
  if not ok then bad_file(path, tostring(errors.plain(result))) end
  return result
end)
