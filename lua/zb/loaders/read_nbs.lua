-- zb.read_nbs(path [, opts]): a table exported from the National Bureau of
-- Statistics' database (GBK, a preamble and footer kept as notes, the first
-- column the regions or indicators, then a column a period: 2024年,
-- 2024年第一季度, 2024年1月) as a long table: that first column, the period
-- (year an integer for years, else the period's text as written) and
-- value, a row a cell that has a value.  The wide table is loaded as
-- read_csv loads it (opts as read_csv's), or from an .xls or .xlsx export
-- as read_xlsx does (opts as its).
local errors = require("zb.host.errors")
errors.own()

local wide_values = require("zb.loaders.wide_values")
local numbers_only, other_download, store_long = wide_values.numbers_only, wide_values.other_download,
  wide_values.store_long

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, opts)
  -- a file that is no NBS export leaves no table behind; errors at the user's line
  return require("zb.loaders.loading").atomically(opts, function()
    local wide = require("zb.loaders.read_xlsx").read_table_file(path, opts)
    local id, periods, annual = wide.columns[1], {}, true
    for i = 2, #wide.columns do
      local c = wide.columns[i]
      if not zb.period.is(c) then
        errors.raise(string.format("%s: column %s is no period; an NBS export has the regions or indicators first, " ..
                                   "then a column a period (2024年, 2024年1月)%s", path, c, other_download(wide, "read_nbs")))
      end
      periods[#periods + 1] = c
      annual = annual and zb.period(c).frequency == "A"
    end
    if #periods == 0 then errors.raise(path .. ": no columns of periods after " .. id) end
    numbers_only(path, wide, periods, id)
    require("zb.relation.catalog").amend(wide.name, {loader = "read_nbs", format = "NBS export"})
    if annual then
      return store_long(wide, wide:melt{id = id, cols = "^(%d+)年$", name = "year", value = "value", drop_null = true})
    end
    return store_long(wide, wide:melt{id = id, cols = periods, name = "period", value = "value", drop_null = true})
  end)
end)
