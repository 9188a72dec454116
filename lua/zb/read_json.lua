-- zb.read_json(path [, opts]): a JSON file into a new table of the session
-- database, through SQLite's own JSON functions.  The file holds an array
-- of objects (one a row) or an object of column arrays (of one length).
-- opts.name and opts.replace as for zb.read_csv.  Returns name, rows.

local function quote(name)
  return '"' .. name:gsub('"', '""') .. '"'
end

local function fail(path, why)
  error(path .. ": " .. why, 3)
end

-- The column type that holds every JSON type seen.
local function column_type(seen)
  if seen.text or seen.object or seen.array then return "TEXT" end
  if seen.real then return "REAL" end
  if seen.integer or seen["true"] or seen["false"] then return "INTEGER" end
  return "TEXT"
end

-- Columns in the order they first appear, with the JSON types seen in each.
local function columns_of(rows)
  local order, seen = {}, {}
  for _, r in ipairs(rows) do
    if not seen[r.col] then
      seen[r.col] = {}
      order[#order + 1] = r.col
    end
    seen[r.col][r.type] = true
  end
  return order, seen
end

return function(path, opts)
  opts = opts or {}
  if type(path) ~= "string" then error("bad argument #1 to 'read_json' (a file name expected)", 2) end
  local f, err = io.open(path, "rb")
  if not f then error("cannot open " .. err, 2) end
  local text = f:read("a")
  f:close()
  text = text:gsub("^\239\187\191", "")
  if not utf8.len(text) then fail(path, "invalid UTF-8") end
  if zb.sql("select json_valid(?) as ok", text)[1].ok ~= 1 then
    fail(path, "not valid JSON")
  end
  local shape = zb.sql("select json_type(?) as t", text)[1].t
  local name = opts.name or path:match("([^/]*)$"):gsub("%.[^.]*$", "")
  local cells
  if shape == "array" then
    local kinds = zb.sql("select distinct type from json_each(?)", text)
    if #kinds > 1 or (kinds[1] and kinds[1].type ~= "object") then
      fail(path, "expected an array of objects (one a row)")
    end
    cells = zb.sql([[select k.key as col, k.type as type
                     from json_each(?) as r, json_each(r.value) as k order by r.key, k.id]], text)
  elseif shape == "object" then
    local lengths = zb.sql([[select key as col, json_array_length(value) as n, type
                             from json_each(?)]], text)
    for _, l in ipairs(lengths) do
      if l.type ~= "array" then fail(path, "expected an object of column arrays; '" .. l.col .. "' is not an array") end
      if l.n ~= lengths[1].n then
        fail(path, string.format("column arrays differ in length: '%s' has %d, '%s' has %d",
                                 lengths[1].col, lengths[1].n, l.col, l.n))
      end
    end
    cells = zb.sql([[select c.key as col, v.type as type
                     from json_each(?) as c, json_each(c.value) as v order by c.id, v.key]], text)
  else
    fail(path, "expected an array of objects or an object of column arrays")
  end
  local order, seen = columns_of(cells)
  if #order == 0 then fail(path, "no columns") end
  local defs = {}
  for i, col in ipairs(order) do defs[i] = quote(col) .. " " .. column_type(seen[col]) end
  -- Each column's value in a row: member col of the row's object, or
  -- element r.key of the column's array.
  local values, args = {}, {}
  for i, col in ipairs(order) do
    if shape == "array" then
      values[i] = "json_extract(r.value, '$.' || json_quote(?))"
      args[#args + 1] = col
    else
      values[i] = "json_extract(?, '$.' || json_quote(?) || '[' || r.key || ']')"
      args[#args + 1] = text
      args[#args + 1] = col
    end
  end
  args[#args + 1] = text
  local rows_from = "json_each(?) as r"
  if shape == "object" then  -- as many rows as the first column has elements
    rows_from = "json_each(?, '$.' || json_quote(?)) as r"
    args[#args + 1] = order[1]
  end
  zb.sql("savepoint zb_json")
  local ok, problem = pcall(function()
    if opts.replace then zb.sql("drop table if exists " .. quote(name)) end
    zb.sql("create table " .. quote(name) .. " (" .. table.concat(defs, ", ") .. ")")
    zb.sql("insert into " .. quote(name) .. " select " .. table.concat(values, ", ") ..
           " from " .. rows_from, table.unpack(args))
  end)
  if not ok then
    zb.sql("rollback to zb_json")
    zb.sql("release zb_json")
    error((tostring(problem):gsub("^.-read_json%.lua:%d+: ", "")), 2)
  end
  zb.sql("release zb_json")
  return name, zb.sql("select count(*) as n from " .. quote(name))[1].n
end
