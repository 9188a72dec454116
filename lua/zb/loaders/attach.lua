-- zb.attach(path [, name] [, {write = true}]): open an existing SQLite file
-- beside the session database, read-only unless asked; returns the schema
-- name its tables are reached through (name.table in SQL).
require("zb.host.errors").own()  -- its refusals are raised at the user's line
return function(path, name, opts)
  if type(name) == "table" then name, opts = nil, name end
  opts = require("zb.host.options").check("attach", opts, {write = "boolean"})
  if type(path) ~= "string" then error("bad argument #1 to 'attach' (a file name expected)", 2) end
  if name ~= nil and type(name) ~= "string" then error("bad argument #2 to 'attach' (a name expected)", 2) end
  local f, err = require("zb.host.errors").open(path, "rb")
  if not f then error("cannot open " .. err, 2) end
  f:close()
  name = name or zb.names.of_file(path)
  local ok, problem = pcall(zb.engine.attach, path, name, opts.write)
  if not ok then
    if not require("zb.host.errors").is_error(problem) then error(problem, 0) end
    error(string.format("cannot attach %s: %s", path, problem.message), 2)
  end
  return name
end
