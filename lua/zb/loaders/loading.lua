-- What every loader does around its work: one transaction of the session's
-- engine (all of the table, or nothing), errors at the user's line, and a
-- table name already taken said with the two ways out.
local errors = require("zb.host.errors")

local M = {}

-- Refuses to load into table name when the session's engine has a table
-- or view of that name and opts (the loader's) did not ask to replace it,
-- saying the two ways out.  The engine's own look, before any reading: the
-- engine's message when its CREATE fails is no fact to match (a server
-- gives it in its lc_messages' language).  A name or opts of the wrong
-- type is left to the loader's own check of its options.
function M.check_name(name, opts)
  if type(name) ~= "string" or type(opts) == "table" and opts.replace then return end
  if zb.engine.has_table(name, "main") then
    errors.raise(string.format('table "%s" already exists (replace = true loads the file in its place; name = another ' ..
                               "table's name)", name))
  end
end

-- fn() in one transaction, after check_name(name, opts) when the load
-- makes table name (nil: its own steps are loads that check); its results,
-- or its error.
function M.atomically(opts, fn, name)
  return errors.guarded(zb.engine.atomic, function()
    M.check_name(name, opts)
    return fn()
  end)
end

return M
