-- zb.names: the naming rules the loaders and the REPL share.
local M = {}

-- name as an SQL identifier of the session's engine (its dialect's quote):
-- always quoted, so any text is a safe name.
function M.quote(name)
  return zb.engine.dialect.quote(name)
end

-- The table name a file gives: its base name without the extension
-- (as read_csv does in C); ".db" stays ".db".
function M.of_file(path)
  return (path:match("([^/]*)$"):gsub("(.)%.[^.]*$", "%1"))
end

-- A leading "~/" is the home directory, as a shell would read it.
function M.expand_home(path)
  local home = os.getenv("HOME")
  if not home then return path end
  return (path:gsub("^~/", function() return home .. "/" end))
end

return M
