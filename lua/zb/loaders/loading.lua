-- What every loader does around its work: one transaction of the session's
-- engine (all of the table, or nothing), errors at the user's line, and a
-- table name already taken said with the two ways out.
local errors = require("zb.host.errors")

local M = {}

local HINT = " (replace = true loads the file in its place; name = another table's name)"

-- problem (a message or a zb.Error), with the hint when it says that the
-- table exists and opts (the loader's) did not ask to replace it.
function M.name_taken(problem, opts)
  if opts and opts.replace then return problem end
  local text = errors.is_error(problem) and problem.message or type(problem) == "string" and problem or ""
  if not text:find("already exists", 1, true) or text:find(HINT, 1, true) then return problem end
  if errors.is_error(problem) then
    problem.message = problem.message .. HINT
    return problem
  end
  return problem .. HINT
end

-- fn() in one transaction; its results, or its error (see name_taken).
function M.atomically(opts, fn)
  return errors.guarded(zb.engine.atomic, function()
    local results = table.pack(pcall(fn))
    if not results[1] then error(M.name_taken(results[2], opts), 0) end
    return table.unpack(results, 2, results.n)
  end)
end

return M
