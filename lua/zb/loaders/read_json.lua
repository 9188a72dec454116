-- zb.read_json(path [, opts]): a JSON file into a new table of the session
-- database, through SQLite's own JSON functions.  The file holds an array
-- of objects (one a row) or an object of column arrays (of one length).
-- opts.name and opts.replace as for zb.read_csv.  Returns the table.
require("zb.host.errors").own()  -- its refusals are raised at the user's line

local quote = zb.names.quote

local function bad_file(path, why)
  error(path .. ": " .. why, 3)
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

-- The SQL of every cell of JSON text (of file path), one of its two shapes.
local function cells_of(path, text)
  if zb.db:sql("select json_valid(?) as ok", text)[1].ok ~= 1 then
    bad_file(path, "not valid JSON")
  end
  local shape = zb.db:sql("select json_type(?) as t", text)[1].t
  -- Every cell as (row, column, type, value): json_each gives keys exactly
  -- as decoded, whatever characters they hold, in one pass over the text.
  local cells
  if shape == "array" then
    local bad = zb.db:sql("select key, type from json_each(?) where type <> 'object' limit 1", text)[1]
    if bad then
      bad_file(path, string.format("expected an array of objects (one a row); element %d is %s", bad.key + 1, bad.type))
    end
    cells = "select r.key as row, k.key as col, r.key * 4294967296 + k.id as pos, k.type as type, k.value as value " ..
            "from json_each(?) as r, json_each(r.value) as k"
  elseif shape == "object" then
    local lengths = zb.db:sql([[select key as col, json_array_length(value) as n, type
                             from json_each(?)]], text)
    for _, l in ipairs(lengths) do
      if l.type ~= "array" then bad_file(path, "expected an object of column arrays; '" .. l.col .. "' is not an array") end
      if l.n ~= lengths[1].n then
        bad_file(path, string.format("column arrays differ in length: '%s' has %d, '%s' has %d",
                                 lengths[1].col, lengths[1].n, l.col, l.n))
      end
    end
    cells = "select v.key as row, c.key as col, c.id as pos, v.type as type, v.value as value " ..
            "from json_each(?) as c, json_each(c.value) as v"
  else
    bad_file(path, "expected an array of objects or an object of column arrays")
  end
  return cells
end

-- The columns of cells (of text, file path): their names in order, and
-- the kinds of JSON value each holds.
local function columns_in(path, cells, text)
  -- SQLite reads an integer beyond 64 bits as a real and 1e400 as Inf: the
  -- digits are gone, so such a number is refused (read_csv keeps it as text)
  local lost = zb.db:sql("select row, col, value from (" .. cells .. ") where (type = 'integer' and " ..
                         "typeof(value) = 'real') or (type = 'real' and abs(value) > 1.7976931348623157e308) limit 1", text)[1]
  if lost then
    bad_file(path, string.format("row %d, column %s: a number beyond 64-bit integers or doubles (SQLite reads it as %s " ..
                             "and its digits are lost); write it as a string in the file", lost.row + 1, lost.col,
                             zb.pretty(lost.value)))
  end
  local kinds = zb.db:sql("select col, type, min(pos) as first from (" .. cells .. ") group by col, type order by first", text)
  local order, seen = columns_of(kinds)
  if #order == 0 then bad_file(path, "no columns") end
  return order, seen
end

-- Mark (seen[col].missing) the columns of numbers whose strings all spell
-- a missing value.
local function missing_numbers(order, seen, cells, text)
  -- a column of numbers whose strings all spell a missing value ('N/A',
  -- '…': read_csv's) is of numbers, those NULL: one 'N/A' does not make
  -- 9 and 10 text
  local core = require("zb.core")
  for _, col in ipairs(order) do
    local s = seen[col]
    if s.text and (s.integer or s.real) and not (s.object or s.array) then
      local all_missing = true
      for _, r in ipairs(zb.db:sql("select distinct value from (" .. cells .. ") where col = ? and type = 'text'", text, col)) do
        all_missing = all_missing and core.missing_number(r.value)
      end
      if all_missing then s.text, s.missing = nil, true end
    end
  end
end

-- Table name made of the cells (of text), in one transaction; the table.
local function store(name, replace, order, seen, cells, text)
  local defs, picks, args = {}, {}, {}
  for i, col in ipairs(order) do
    defs[i] = quote(col) .. " " .. column_type(seen[col])
    -- one row's cell of column col
    picks[i] = seen[col].missing and "max(case when col = ? and type <> 'text' then value end)"
               or "max(case when col = ? then value end)"
    args[i] = col
  end
  args[#args + 1] = text
  return zb.db:atomic(function()
    if replace then zb.db:sql("drop table if exists " .. quote(name)) end
    zb.db:sql("create table " .. quote(name) .. " (" .. table.concat(defs, ", ") .. ")")
    zb.db:sql("insert into " .. quote(name) .. " select " .. table.concat(picks, ", ") ..
           " from (" .. cells .. ") group by row order by row", table.unpack(args))
    local catalog, periods = require("zb.relation.catalog"), {}
    for _, col in ipairs(order) do  -- a column of strings alone may be one of periods
      local found = seen[col]
      if found.text and not (found.integer or found.real or found.object or found.array or found["true"] or found["false"]) then
        local frequency = catalog.frequency_of(name, col)
        if frequency then periods[col] = {frequency = frequency} end
      end
    end
    catalog.record(name, periods)
    return zb.table(name)  -- inside: if making it fails, nothing stays loaded
  end)
end

return function(path, opts)
  if type(path) ~= "string" then error("bad argument #1 to 'read_json' (a file name expected)", 2) end
  opts = require("zb.host.options").check("read_json", opts, {name = "string", replace = "boolean"})
  local f, err = require("zb.host.errors").open(path, "rb")
  if not f then error("cannot open " .. err, 2) end
  local text = f:read("a")
  f:close()
  if not text then bad_file(path, "cannot read it (is it a directory?)") end
  text = text:gsub("^\239\187\191", "")
  if not utf8.len(text) then bad_file(path, "invalid UTF-8") end
  local cells = cells_of(path, text)
  local order, seen = columns_in(path, cells, text)
  missing_numbers(order, seen, cells, text)
  local ok, result = pcall(store, opts.name or zb.names.of_file(path), opts.replace, order, seen, cells, text)
  if not ok then bad_file(path, tostring(require("zb.host.errors").plain(result))) end
  return result
end
