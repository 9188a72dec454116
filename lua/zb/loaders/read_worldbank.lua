-- zb.read_worldbank(path [, opts]): the World Bank's API download (its
-- preamble found and kept as notes, a column a year) as a long table:
-- country, country_code, indicator, indicator_code, year, value, a row a
-- country, indicator and year that has a value.  The wide table is loaded
-- as read_csv loads it (opts as read_csv's), or from the Excel download as
-- read_xlsx does (opts as its); the long one is made from it.
local errors = require("zb.host.errors")
errors.own()

local wide_values = require("zb.loaders.wide_values")
local numbers_only, other_download, store_long = wide_values.numbers_only, wide_values.other_download,
  wide_values.store_long

local ids = {"Country Name", "Country Code", "Indicator Name", "Indicator Code"}

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, opts)
  -- a file that is no World Bank download leaves no table behind; errors at the user's line
  return require("zb.loaders.loading").atomically(opts, function()
    local wide = require("zb.loaders.read_xlsx").read_table_file(path, opts)
    local have = {}
    for _, c in ipairs(wide.columns) do have[c] = true end
    for _, c in ipairs(ids) do
      if not have[c] then
        errors.raise(string.format("%s: not a World Bank download: no column %s (columns: %s)%s", path, c,
                                   table.concat(wide.columns, ", "), other_download(wide, "read_worldbank")))
      end
    end
    local years = {}
    for _, c in ipairs(wide.columns) do
      if c:match("^%d%d%d%d$") then years[#years + 1] = c end
    end
    numbers_only(path, wide, years, "Country Name")
    local excel = wide.meta.loader == "read_xlsx"
    require("zb.relation.catalog").amend(wide.name, {loader = "read_worldbank",
                                                     format = excel and "World Bank Excel download" or "World Bank API CSV"})
    return store_long(wide, wide:melt{id = ids, cols = "^(%d%d%d%d)$", name = "year", value = "value", drop_null = true}
                              :rename{country = "Country Name", country_code = "Country Code",
                                      indicator = "Indicator Name", indicator_code = "Indicator Code"})
  end)
end)
