-- zb.attach(path [, name] [, {write = true}]): open an existing SQLite file
-- beside the session database, read-only unless asked; returns the schema
-- name its tables are reached through (name.table in SQL).
require("zb.errors").own()  -- its refusals are raised at the user's line
return function(path, name, opts)
  if type(name) == "table" then name, opts = nil, name end
  opts = require("zb.options").check("attach", opts, {write = "boolean"})
  if type(path) ~= "string" then error("bad argument #1 to 'attach' (a file name expected)", 2) end
  if name ~= nil and type(name) ~= "string" then error("bad argument #2 to 'attach' (a name expected)", 2) end
  local f, err = require("zb.errors").open(path, "rb")
  if not f then error("cannot open " .. err, 2) end
  f:close()
  name = name or zb.names.of_file(path)
  -- as a URI, so that mode=ro holds; characters URIs give meaning to are escaped
  local uri = "file:" .. path:gsub("[%%?#]", function(c) return string.format("%%%02X", c:byte()) end)
  if not opts.write then uri = uri .. "?mode=ro" end
  local quoted = zb.names.quote(name)
  -- a literal, not a bound value: a safe session's authorizer sees only literals
  local literal = "'" .. uri:gsub("'", "''") .. "'"
  local ok, problem = pcall(zb.db.sql, zb.db, "ATTACH DATABASE " .. literal .. " AS " .. quoted)
  if ok then  -- SQLite may read the file only at its first use
    ok, problem = pcall(zb.db.sql, zb.db, "SELECT count(*) FROM " .. quoted .. ".sqlite_schema")
    if not ok then pcall(zb.db.sql, zb.db, "DETACH DATABASE " .. quoted) end
  end
  if not ok then
    error(string.format("cannot attach %s: %s", path,
                        (tostring(problem):gsub("^.-:%d+: ", ""):gsub(" %(in SQL:.*", ""))), 2)
  end
  return name
end
