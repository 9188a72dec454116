-- zb.read_csv(path [, opts]): a CSV file into a new table of the session
-- database (src/readers/csv.c does the reading); returns the table.  The
-- notes found above the header or below the data, and where the table came
-- from, are in its catalog record (t.meta).
local core = require("zb.core")
local errors = require("zb.host.errors")
errors.own()

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, opts)
  -- its options are checked by the reader (src/readers/csv.c holds their one list)
  -- the table is made inside the load's savepoint too: if that fails (out
  -- of memory), nothing stays loaded behind the error; a problem of the
  -- file's says where in it, other errors are the caller's line's
  local loading = require("zb.loaders.loading")
  return loading.atomically(opts, function()
    -- another engine makes the table and takes the rows as the reader
    -- reads them; a table made from the first rows' types (tentative) is
    -- undone when a later row widens one (src/readers/csv.c's guess)
    local target, abandon
    if zb.engine.load_into then
      function target(name, columns, types, tentative)
        if tentative then zb.engine.exec("SAVEPOINT zb_guess") end
        return zb.engine.load_into(name, columns, types, opts and opts.replace)
      end
      function abandon() zb.engine.exec("ROLLBACK TO SAVEPOINT zb_guess") end
    end
    local name, _, found, periods, lines, fingerprint = core.read_csv(path, opts, target, abandon,
                                                                      function(made) loading.check_name(made, opts) end)
    local columns = {}
    for column, frequency in pairs(periods) do columns[column] = {frequency = frequency} end
    local catalog = require("zb.relation.catalog")
    local record = catalog.load_record("read_csv", path, opts, found, nil, fingerprint)
    record.lines = lines  -- where the rows are in the file, for errors to name
    catalog.record(name, catalog.with_units(columns, opts and opts.units, zb.table(name).columns), record)
    return zb.table(name)
  end)
end)
