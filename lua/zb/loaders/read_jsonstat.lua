-- zb.read_jsonstat(path [, opts]): a JSON-stat 2.0 dataset (the JSON
-- statistical offices' APIs give: Eurostat, SSB, Statistics Sweden ...)
-- into a long table, a row a cell of the cube: a column a dimension (its
-- category's code, and its label as <id>_label when the labels say more),
-- value, and status when the dataset has one; a dimension whose categories
-- have units (a metric's) adds <id>_unit, each row's unit.  Values are in
-- row-major order over id (the last dimension fastest), as an array or an
-- object of index -> value.  The dataset's label, source, updated and
-- notes are kept in its record (t.meta), and the unit of value when every
-- row has the one unit.  opts: name, replace, dataset (which dataset of a
-- bundle or collection), vintage, source, notes.
local errors = require("zb.host.errors")
errors.own()

local json_text = require("zb.loaders.json_text")

local function bad_file(path, why)
  errors.raise(path .. ": " .. why)
end

-- The categories of dimension d (named id) in order: {code =, label =} each.
local function categories(path, id, d)
  local category = type(d) == "table" and d.category
  if type(category) ~= "table" then bad_file(path, "dimension " .. id .. " has no category") end
  local codes, index = {}, category.index
  if type(index) == "table" and index.n then  -- an array of codes, in order
    for i = 1, index.n do codes[i] = tostring(index[i]) end
  elseif type(index) == "table" then  -- an object of code -> position
    for code, at in pairs(index) do
      if math.type(at) ~= "integer" or at < 0 then bad_file(path, "dimension " .. id .. ": a bad index for " .. code) end
      codes[at + 1] = code
    end
  elseif type(category.label) == "table" then  -- one category, by its label alone
    for code in pairs(category.label) do codes[#codes + 1] = code end
  end
  local out, units = {}, type(category.unit) == "table" and category.unit or nil
  for i = 1, #codes do
    if codes[i] == nil then bad_file(path, "dimension " .. id .. ": its index leaves a gap at " .. (i - 1)) end
    local unit = units and units[codes[i]]
    out[i] = {code = codes[i], label = type(category.label) == "table" and category.label[codes[i]] or nil,
              unit = type(unit) == "table" and (unit.label or unit.symbol) or nil}
  end
  return out, units ~= nil
end

-- The dataset of the document: itself, or one of a bundle (version 1's
-- object of datasets) or a collection's link items, chosen by name or, in
-- a collection, by its place among them (a bundle's have no order).
local function dataset_of(path, doc, chosen)
  if doc.class == "dataset" or (doc.id and doc.dimension) then return doc end
  local found, names, listed, links = {}, {}, {}, {}
  local collection = doc.class == "collection" and doc.link and doc.link.item
  for key, item in pairs(collection or doc) do
    if type(item) == "table" and item.dimension then
      local label = type(key) == "string" and key or item.label or tostring(key)
      found[label], names[#names + 1] = item, label
    elseif collection and type(item) == "table" and item.label then
      links[item.label] = item
    end
  end
  -- a collection's items in order, a link to a dataset elsewhere among them
  for _, item in ipairs(collection or {}) do
    if type(item) == "table" then listed[#listed + 1] = item end
  end
  local function held(item, which)
    if item.dimension then return item end
    bad_file(path, string.format("%s of the collection is a link (%s), not a dataset held in the file: fetch it, and " ..
                                 "read what it gives", which, tostring(item.href or item.label)))
  end
  if collection and not chosen and #listed > 1 then
    bad_file(path, string.format("a collection of %d items; say which with dataset = (its place, or a name: %s)", #listed,
                                 table.concat(names, ", ")))
  end
  table.sort(names)
  if #names == 0 then bad_file(path, "not JSON-stat: no dataset (class, id, size, dimension and value expected)") end
  if math.type(chosen) == "integer" then
    if not collection then
      bad_file(path, string.format("dataset = %d, but a bundle's datasets are named, not in order: say which by name "
                                   .. "(datasets: %s)", chosen, table.concat(names, ", ")))
    end
    if not listed[chosen] then
      bad_file(path, string.format("dataset = %d, but the collection holds %d items", chosen, #listed))
    end
    return held(listed[chosen], "item " .. chosen)
  end
  if chosen then
    if not found[chosen] and links[chosen] then return held(links[chosen], "dataset " .. chosen) end
    if not found[chosen] then bad_file(path, "no dataset " .. chosen .. " (datasets: " .. table.concat(names, ", ") .. ")") end
    return found[chosen]
  end
  if #names > 1 then
    bad_file(path, "holds several datasets (" .. table.concat(names, ", ") .. "); say which with dataset = (a name"
             .. (collection and ", or its place in the collection)" or ")"))
  end
  return found[names[1]]
end

-- value (or status) at position i (from 0): of an array, an object of
-- positions, or one for all.
local function at(v, i)
  if type(v) ~= "table" then return v end
  if v.n then return v[i + 1] end
  return v[tostring(i)]
end

-- The dataset of the file at path (opts.dataset: which of several).
local function read_dataset(path, opts)
  local text = json_text(path)
  local ok, doc = pcall(zb.engine.json_decode, text)
  if not ok or type(doc) ~= "table" then bad_file(path, "not valid JSON") end
  local ds = dataset_of(path, doc, opts.dataset)
  if type(ds.id) ~= "table" or type(ds.size) ~= "table" or #ds.id ~= #ds.size then
    if type(ds.dimension) == "table" and ds.dimension.id and ds.dimension.size then
      bad_file(path, "JSON-stat 1.0 (id and size inside dimension), which zb does not read: ask the source for 2.0")
    end
    bad_file(path, "not JSON-stat 2.0: id and size must be arrays of one length")
  end
  ds.version = ds.version or doc.version
  return ds
end

-- The dimensions of ds, {id =, cats =, labelled =} each, and the cells of its cube.
local function dimensions(path, ds)
  local dims, cells = {}, 1
  for i, id in ipairs(ds.id) do
    local cats, has_units = categories(path, id, ds.dimension and ds.dimension[id])
    if #cats ~= ds.size[i] then
      bad_file(path, string.format("dimension %s has %d categories but size says %d", id, #cats, ds.size[i]))
    end
    local labelled = false
    for _, c in ipairs(cats) do labelled = labelled or (c.label ~= nil and c.label ~= c.code) end
    dims[i] = {id = id, cats = cats, labelled = labelled, has_units = has_units}
    cells = cells * #cats
  end
  if type(ds.value) == "table" and ds.value.n and ds.value.n ~= cells then
    bad_file(path, string.format("value holds %d cells but the sizes make %d", ds.value.n, cells))
  end
  -- an object of positions: each a place in the cube, written as a whole number from 0
  for _, field in ipairs{"value", "status"} do
    local v = ds[field]
    if type(v) == "table" and not v.n then
      for key in pairs(v) do
        local at_cell = type(key) == "string" and key:match("^%d+$") and (key == "0" or not key:find("^0")) and
                        tonumber(key)
        if not at_cell or at_cell >= cells then
          bad_file(path, string.format("%s holds position %s, but the cube's cells are 0 to %d", field,
                                       zb.pretty(key), cells - 1))
        end
      end
    end
  end
  return dims, cells
end

-- Insert the cells of ds (dims, cells) into table name, a statement for a
-- batch of rows (under SQLite's limit of values bound to one).
local function insert_cells(path, name, ds, dims, cells, width)
  local marks = "(" .. string.rep("?", width, ", ") .. ")"
  local batch, args, n = {}, {}, 0
  local function add(v)
    n = n + 1
    args[n] = v
  end
  local function flush()
    if #batch == 0 then return end
    zb.engine.exec("insert into " .. zb.names.quote(name) .. " values " .. table.concat(batch, ", "),
                   table.unpack(args, 1, n))
    batch, args, n = {}, {}, 0
  end
  for i = 0, cells - 1 do
    local rest, row = i, {}
    for k = #dims, 1, -1 do  -- the last dimension moves fastest
      local d = dims[k]
      row[k] = d.cats[rest % #d.cats + 1]
      rest = rest // #d.cats
    end
    for k, d in ipairs(dims) do
      add(row[k].code)
      if d.labelled then add(row[k].label) end
      if d.has_units then add(row[k].unit) end
    end
    local v = at(ds.value, i)
    if v ~= nil and type(v) ~= "number" then
      local at_cell = {}
      for k, d in ipairs(dims) do at_cell[k] = d.id .. " " .. row[k].code end
      bad_file(path, string.format("the value at %s (value %d of the cube, from 1) holds %s, not a number",
                                   table.concat(at_cell, ", "), i + 1, zb.pretty(v)))
    end
    add(v)
    if ds.status ~= nil then add(at(ds.status, i)) end
    batch[#batch + 1] = marks
    if #batch * width >= 900 then flush() end
  end
  flush()
end

-- The dataset's note (a text, or a list of them) as a list.
local function notes_of(note)
  if type(note) == "string" then return {note} end
  local out = {}
  for _, text in ipairs(type(note) == "table" and note or {}) do
    if type(text) == "string" then out[#out + 1] = text end
  end
  return out
end

-- The unit of every value when the categories of units give one, else nil.
local function one_unit(dims)
  local found
  for _, d in ipairs(dims) do
    for _, c in ipairs(d.has_units and d.cats or {}) do
      if c.unit == nil or (found and c.unit ~= found) then return nil end
      found = c.unit
    end
  end
  return found
end

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, opts)
  if type(path) ~= "string" then errors.raise("bad argument #1 to 'read_jsonstat' (a file name expected)") end
  opts = require("zb.host.options").check("read_jsonstat", opts, {name = "string", replace = "boolean",
                                                                  dataset = "string|integer",
                                                                  vintage = "string", source = "string", notes = "string"})
  local ds = read_dataset(path, opts)
  local dims, cells = dimensions(path, ds)
  local quote = zb.names.quote
  local defs, taken = {}, {}
  local function column(name, kind)
    if taken[name] then bad_file(path, "two columns would be named " .. name) end
    taken[name] = true
    defs[#defs + 1] = quote(name) .. " " .. zb.engine.dialect.type_name(kind)
  end
  for _, d in ipairs(dims) do
    column(d.id, "TEXT")
    if d.labelled then column(d.id .. "_label", "TEXT") end
    if d.has_units then column(d.id .. "_unit", "TEXT") end
  end
  column("value", "REAL")
  if ds.status ~= nil then column("status", "TEXT") end
  local name = opts.name or zb.names.of_file(path)
  local engine, catalog = zb.engine, require("zb.relation.catalog")
  return require("zb.loaders.loading").atomically(opts, function()
    if opts.replace then engine.exec("drop table if exists " .. quote(name)) end
    engine.exec("create table " .. quote(name) .. " (" .. table.concat(defs, ", ") .. ")")
    insert_cells(path, name, ds, dims, cells, #defs)
    local periods = {}
    local role_time = ds.role and ds.role.time
    for _, id in ipairs(type(role_time) == "table" and role_time or {}) do
      local frequency = catalog.frequency_of(name, id)
      if frequency then periods[id] = {frequency = frequency} end
    end
    local record = catalog.load_record("read_jsonstat", path, opts, notes_of(ds.note))
    record.format = "JSON-stat " .. tostring(ds.version or "1")
    record.label = ds.label
    record.source = record.source or (type(ds.source) == "string" and ds.source or nil)
    record.updated = type(ds.updated) == "string" and ds.updated or nil
    local unit = one_unit(dims)
    if unit then periods.value = {unit = unit} end
    catalog.record(name, periods, record)
    return zb.table(name)
  end, name)
end)
