-- zb.read_csv(path [, opts]): a CSV file into a new table of the session
-- database (src/csv.c does the reading); returns the table and the notes
-- found above the header or below the data.
local core = require("zb.core")

local known = {name = true, replace = true, sep = true, header = true, encoding = true,
               numbers = true, na = true}

return function(path, opts)
  if type(opts) == "table" then
    for k in pairs(opts) do
      if not known[k] then
        error(string.format("read_csv: unknown option '%s' (options: encoding, header, na, name, numbers, replace, sep)",
                            tostring(k)), 2)
      end
    end
  end
  local ok, name, _, notes = pcall(core.read_csv, path, opts)
  if not ok then  -- FILE:LINE:COLUMN says where; this file's line would only mislead
    error(type(name) == "string" and (name:gsub("^[^\n]-/zb/read_csv%.lua:%d+: ", "")) or name, 0)
  end
  return zb.table(name), notes
end
