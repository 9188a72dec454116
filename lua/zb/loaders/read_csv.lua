-- zb.read_csv(path [, opts]): a CSV file into a new table of the session
-- database (src/readers/csv.c does the reading); returns the table and the notes
-- found above the header or below the data.
local core = require("zb.core")
local errors = require("zb.host.errors")
errors.own()

return function(path, opts)
  -- its options are checked by the reader (src/readers/csv.c holds their one list)
  -- the table is made inside the load's savepoint too: if that fails (out
  -- of memory), nothing stays loaded behind the error
  local ok, t, notes = pcall(zb.db.atomic, zb.db, function()
    local name, _, found, periods = core.read_csv(path, opts)
    local columns = {}
    for column, frequency in pairs(periods) do columns[column] = {frequency = frequency} end
    require("zb.relation.catalog").record(name, columns)
    return zb.table(name), found
  end)
  if not ok then
    if not errors.is_plain(t) then error(t, 0) end  -- Ctrl-C's or a timeout's stop
    -- a problem of the file's says where in it (FILE:LINE:COLUMN); other
    -- errors (cannot open, not enough memory) are the caller's line's
    if errors.is_error(t) and t.file then error(t, 0) end
    errors.raise(errors.plain(t))
  end
  return t, notes
end
