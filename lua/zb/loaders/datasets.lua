-- zb.datasets: the datasets that ship with zb (in zb.paths.datasets).
--
--   zb.datasets()           -- print them, a line each
--   zb.dataset(name [, {name = ..., replace = true}])
--                           -- load one as an SQL table; returns the table (the one
--                           -- it made before, when the database has it still)
require("zb.host.errors").own()  -- its refusals are raised at the user's line

local M = {
  {name = "hangzhou-2021", file = "hangzhou-2021.csv",
   about = "Hangzhou's 2021 common-prosperity figures and 2022 targets (long format)"},
  {name = "indicators", file = "indicators.csv",
   about = "the catalog of hangzhou-2021's indicators: names, units, definitions"},
  {name = "census-cities-2010-2020", file = "census-cities-2010-2020.csv",
   about = "2010 and 2020 census figures of 369 Chinese cities (wide; MIT licence)"},
  {name = "nbs-province-gdp", file = "nbs-province-gdp-2006-2024.gbk.csv",
   about = "GDP of the 31 provinces, 2006-2024, as the NBS exports it (GBK, notes; MIT licence)"},
  {name = "yangtze-delta-city-gdp", file = "yangtze-delta-city-gdp.csv",
   about = "GDP (亿元, current prices) of 26 Yangtze Delta cities, 1949-2023, wide: a column a city (CC0)"},
  {name = "yangtze-delta-city-hukou-population", file = "yangtze-delta-city-hukou-population.csv",
   about = "registered (hukou) population (万人) of the same 26 cities, 1949-2023, wide (CC0)"},
  {name = "oecd-china-cpi", file = "sdmx-oecd-g20-prices-chn-cpi.csv",
   about = "China's CPI, annual % change, 1985-2025, an OECD SDMX-CSV message (Apache-2.0)"},
  {name = "wdi-gdp", file = "wdi-gdp-current-usd.csv",
   about = "World Bank WDI: GDP (current US$, NY.GDP.MKTP.CD) of about 260 countries and aggregates, 1960-2024, " ..
           "long: Country Name, Country Code, Year, Value (ODC-PDDL)"},
  {name = "wdi-population", file = "wdi-population.csv",
   about = "World Bank WDI: population (SP.POP.TOTL), the same countries and years, long (ODC-PDDL)"},
  {name = "divisions-provinces", file = "divisions-provinces.csv",
   about = "NBS division codes (统计用区划代码, 2023-06-30): the 31 provinces (zb.regions reads them)"},
  {name = "divisions-cities", file = "divisions-cities.csv",
   about = "NBS division codes: 342 prefecture-level units, with their province's code"},
  {name = "divisions-areas", file = "divisions-areas.csv",
   about = "NBS division codes: 2,978 county-level units, with their city's and province's codes"},
}

function M.find(name)
  for _, d in ipairs(M) do
    if d.name == name then return d end
  end
  local names = {}
  for _, d in ipairs(M) do names[#names + 1] = d.name end
  require("zb.host.errors").raise(string.format("no dataset '%s' (datasets: %s)", tostring(name), table.concat(names, ", ")))
end

-- zb.dataset(...) through C: a tail call keeps the user's line
M.load = require("zb.core").keep_caller(function(name, opts)
  local d = M.find(name)
  opts = require("zb.host.options").check("dataset", opts, {name = "string", replace = "boolean", vintage = "string",
                                                            source = "string", notes = "string", units = "table"})
  local given, path = {name = opts.name or d.name}, zb.paths.datasets .. "/" .. d.file
  for k, v in pairs(opts) do given[k] = v end
  -- a script run again on a database that keeps its tables (a file, a
  -- server): the table this dataset made is taken as it is when nothing
  -- but its name is asked and the shipped file is still the one it read
  if next(opts, next(opts) == "name" and "name" or nil) == nil and zb.engine.has_table(given.name, "main") then
    local made = zb.table(given.name).meta
    if made.dataset == d.name and made.file and made.file.fingerprint == select(2, require("zb.core").fingerprint_file(path)) then
      return zb.table(given.name)
    end
  end
  local t = zb.read_csv(path, given)
  require("zb.relation.catalog").amend(given.name, {dataset = d.name})
  return t
end)

-- zb.datasets(): a table of name and about, a row a dataset.
return setmetatable(M, {__call = function()
  local values, args = {}, {}
  for _, d in ipairs(M) do
    values[#values + 1] = "(?, ?)"
    args[#args + 1] = d.name
    args[#args + 1] = d.about
  end
  return zb.sql("select column1 as name, column2 as about from (values " .. table.concat(values, ", ") .. ")",
                table.unpack(args))
end})
