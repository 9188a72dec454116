-- zb.attach(path [, name] [, {write = true}]): open an existing SQLite file
-- beside the session database, read-only unless asked; returns the schema
-- name its tables are reached through (name.table in SQL).
local errors = require("zb.host.errors")
errors.own()  -- its refusals are raised at the user's line
-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, name, opts)
  if type(name) == "table" then name, opts = nil, name end
  opts = require("zb.host.options").check("attach", opts, {write = "boolean"})
  if type(path) ~= "string" then errors.raise("bad argument #1 to 'attach' (a file name expected)") end
  if name ~= nil and type(name) ~= "string" then errors.raise("bad argument #2 to 'attach' (a name expected)") end
  local f, err = errors.open(path, "rb")
  if not f then errors.raise("cannot open " .. err) end
  f:close()
  name = name or zb.names.of_file(path)
  local ok, problem = pcall(zb.engine.attach, path, name, opts.write)
  if not ok then
    if not errors.is_error(problem) then error(problem, 0) end
    errors.raise(string.format("cannot attach %s: %s", path, problem.message))
  end
  return name
end)
