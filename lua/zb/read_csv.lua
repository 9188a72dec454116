-- zb.read_csv(path [, opts]): a CSV file into a new table of the session
-- database (src/csv.c does the reading); returns the table and the notes
-- found above the header or below the data.
local core = require("zb.core")

return function(path, opts)
  local name, _, notes = core.read_csv(path, opts)
  return zb.table(name), notes
end
