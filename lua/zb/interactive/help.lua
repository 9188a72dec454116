-- zb.help([name]): the doc line of a metric, an aggregate or a table
-- method of the analysis library (zb.metric's and zb.aggregate's doc
-- option, for your own), or of a function of zb's Lua API ("zb.sql",
-- "zb.stats.gini", or the function itself); with no name, the list of
-- them.  The REPL's .help NAME and .metrics show the same.
local metrics = require("zb.analysis.metrics")
local method_docs = require("zb.relation.table").docs

local M = {}

-- zb's Lua API: name, how to call it, what it does.
local api = {
  {"zb.sql", "(sql, ...)", "a table for a query (SELECT, WITH, VALUES) with ? values bound (or :name, @name, $name from one table of values; on PostgreSQL a name inside $$...$$ is text, and an integer is bound as integer when it fits in 32 bits, else bigint); other statements, and a WITH that changes data, run at once"},
  {"zb.table", "(name [, schema])", "a table or view of the session database as a zb.Table"},
  {"zb.tables", "()", "the session's tables and views, as a table"},
  {"zb.read_csv", "(path [, opts])", "load a CSV file into a table, its record (notes too) in t.meta: types from whole columns (NA, N/A, NaN, null, x missing among numbers; NA in a column of text is text: Namibia), GBK too, Windows-1252 when told (encoding); the header found below title lines (kept as notes) unless told how many lines to skip above and below; a last line with only its first field filled is a note when it reads as one (注：...), else refused (skip_footer = 0 reads it as a row); an xlsx, xls, UTF-16, PDF, HTML or SQLite file is named as such; a header of several lines joined into names when told how many (header = 2); opts.name, sep, header, skip, skip_footer, na, numbers, encoding, replace, units, vintage, source, notes"},
  {"zb.read_xlsx", "(path [, opts])", "load a sheet of an .xlsx or .xls workbook as read_csv loads a file: title and footnote rows kept as notes, a header of several rows (2023年 over 绝对数 | 增长%) joined with _, dates as ISO text, error cells NULL with a note, formula cells as the results the workbook keeps; opts.sheet (name or number), range (\"B3:H40\"; without one a table set in from column A starts at its first column), header (false or rows), skip, skip_footer, and read_csv's name, na, numbers, replace, units, vintage, source, notes"},
  {"zb.xlsx_sheets", "(path)", "the names of a workbook's sheets (.xlsx or .xls)"},
  {"zb.read_json", "(path [, opts])", "load a JSON array of objects (or an object of column arrays) into a table, its record in t.meta; opts as read_csv's name, replace, units, vintage, source, notes"},
  {"zb.read_sdmx", "(path [, opts])", "load an SDMX-CSV file (1.0 or 2.0) as a long table, every column kept; opts.unit_mult = true applies UNIT_MULT (a shift of the decimal written: 1.15 at 2 is 115); ACTION D rows (deletions) left out, said in the notes; name, replace, vintage, source, notes, skip, skip_footer"},
  {"zb.read_jsonstat", "(path [, opts])", "load a JSON-stat 2.0 dataset as a long table, a row a cell: a column a dimension, value, status, each row's unit (<id>_unit); its source, updated and notes in t.meta; opts.dataset picks one of a bundle (a name) or collection (a name or place); name, replace, vintage, source, notes"},
  {"zb.to_xlsx", "(path, tables [, {notes = false}])", "tables into one Excel workbook, a sheet each (a list, or {sheet = table}): numbers as numbers in their t:format as Excel formats (columns as wide as shown), header frozen, notes and source under each unless notes = false (pandas then reads the sheet with nothing extra)"},
  {"zb.read_worldbank", "(path [, opts])", "the World Bank's API download (CSV, or its Excel file) as country, country_code, indicator, indicator_code, year, value (datasets/wdi-gdp-api.csv is one), stored under opts.name or the file's name"},
  {"zb.read_nbs", "(path [, opts])", "an NBS database export (GBK CSV, or .xls/.xlsx; notes, a column a period) as its first column, year (or period) and value, stored under opts.name or the file's name"},
  {"zb.connect", "(conninfo)", "make a PostgreSQL server the session's engine (a libpq URI or connection string; the password from the URI, PGPASSWORD or ~/.pgpass, never printed), before the first table; zb -d conninfo does it at start-up; every table method runs there, t:composite and its steps too (their results temporary tables of the session on the server); a connection the server drops is made again, in a new session, the error saying so; a --safe script may not connect (zb --safe -d conninfo connects first, as a role that cannot run programs, touch the server's files or make extensions)"},
  {"zb.install", "()", "on a PostgreSQL session: put zb's analysis library (ratio, growth, cagr, median, quantile, sd, sd_pop, cv, total, gini, theil, theil_l, quintile_ratio, gini_grouped, gini_per_head, slope, intercept, r2, period, period_index, period_year, period_position, period_frequency, product, convert_unit, human, region_code, region_name, spark, the table places they read, and what the period methods need) on the server, in the schema zb_lib, anew (idempotent), open to every role of the database; returns the names"},
  {"zb.attach", "(path [, opts])", "open another SQLite file as a schema, read-only unless opts.write"},
  {"zb.dataset", "(name [, opts])", "load a bundled dataset (zb.datasets() lists them) as a table; run again on a database that keeps it (a file, a server), the table it made before"},
  {"zb.datasets", "()", "the bundled datasets, as a table"},
  {"zb.metric", "(name, fn [, opts])", "make a Lua function the SQL function name; opts.deterministic, unit (t.units: kept by agg's and pivot's sum, avg, min, max of the column), doc, args, returns (number, integer, text or boolean: its type on a PostgreSQL server, where it runs as PL/Lua, double precision unless given, so an integer result arrives as a float there; given, checked on SQLite too: 2.5 where it returns integers is an error)"},
  {"zb.aggregate", "(name, {init =, step =, final = [, inverse =]} [, opts])", "make a Lua aggregate (a window function too, with inverse); opts as zb.metric's (returns: its type on a PostgreSQL server, where it runs as PL/Lua)"},
  {"zb.metrics.about", "(name)", "what a metric or aggregate is: {kind =, doc =, unit =, args =}"},
  {"zb.metrics.names", "()", "the names of every metric and aggregate, sorted"},
  {"zb.render", "(t [, opts])", "t as text; opts.mode, maxrows, width, human, precision, all"},
  {"zb.mode", "([name])", "how tables print: box, markdown, line, csv, tsv or json"},
  {"zb.precision", "([n])", "the most decimals a column of reals shows on screen (default 6; .precision N)"},
  {"zb.help", "([name])", "the doc line of a metric, method or API function; all of them with no name"},
  {"zb.units.convert", "(x, from, to)", "x in unit from as unit to (18109 亿元 is 1.8109 万亿元); an error across dimensions"},
  {"zb.units.human", "(x [, unit])", "x as people read it: 1.8109e12, 元 gives 1.81万亿元"},
  {"zb.units.about", "(unit)", "a unit's dimension and factor to its base unit, or nil"},
  {"zb.period", "(x)", "the period x spells (2021年第一季度, 2021-01, 202112, 2021年1-2月): year, frequency, position; p + n, p - q, p:year_ago(), comparisons"},
  {"zb.period.is", "(x)", "whether x spells a period"},
  {"zb.period.years_between", "(a, b)", "the years from period a to period b (a fraction for months, quarters and days)"},
  {"zb.regions.find", "(name [, {level =, within =}])", "the region a name (杭州, 杭州市, 内蒙古) or NBS code (3301) stands for: {code =, name =, short =, level =, province =, city =}; a name of several places is an error naming them"},
  {"zb.regions.code", "(name [, opts])", "the 6-digit NBS division code of a region's name (杭州 gives 330100)"},
  {"zb.regions.name", "(name [, opts])", "the official name of a region's name or code (广西 gives 广西壮族自治区)"},
  {"zb.regions.places", "()", "every place of the NBS lists (provinces, cities, counties), in order, as find returns them"},
  {"zb.framework", "(rows [, {sum =}])", "an indicator framework for a composite index, from Lua rows or a table with COINr's columns (iCode, iName, Level, Parent, Direction 1/-1 or 正向/逆向 or 适度 with TargetLow and TargetHigh, Weight, Type; zb's lower-case names too), checked (parents, cycles, empty dimensions, directions, weights summing to sum); fw:table() gives it as a table; see t:composite"},
  {"zb.ahp", "(matrix, codes [, {inconsistent = true}])", "AHP (层次分析法) weights of codes from a pairwise comparison matrix (its principal eigenvector) as a table (code, weight), and {lambda_max =, ci =, ri =, cr =}; a consistency ratio above 0.1 is an error unless inconsistent = true"},
  {"zb.timeout", "([seconds])", "stop the running chunk (script or REPL line) seconds from now; none lifts it"},
  {"chart:save", "(path [, opts])", "a chart (t:plot, t:bar) as an SVG, PNG or PDF file (by path's ending, or opts.format) drawn by cairo with Noto Sans CJK: title, legend, axes in human units, the table's source under it; opts.width, height (pixels), dpi (a PNG's), title, xlabel, ylabel, source (text, or false for none)"},
  {"zb.spark", "(values)", "the values as a sparkline, ▁ the lowest to █ the highest, nil a gap (spark(x [, order]) in SQL)"},
  {"zb.width", "(s)", "the terminal columns text takes (a Chinese character two)"},
  {"zb.terminal", "()", "the terminal's columns and lines, or nil when not on one"},
  {"zb.pretty", "(v [, opts])", "v as a readable Lua literal; opts.width, depth, items, budget, string, indent"},
  {"zb.table.define", "{name =, doc =, call = | options =, body = function(t, ...)}", "add a method to every table: one entry gives its doc line, option checks (kinds column, columns, pattern_or_columns, name, names, count, boolean, function, value, any) and the REPL's completion"},
  {"zb.options.check", "(who, opts, spec)", "check a table of options as zb's functions do: spec = {name = \"string\", n = \"integer\"}; an unknown option or a wrong type is an error naming it"},
}
local api_line = {}
for _, a in ipairs(api) do api_line[a[1]] = a[1] .. a[2] .. "  " .. a[3] end

-- zb.stats.name: the statistic over Lua arrays, with its SQL form's doc.
local stats_docs = {
  mean = {"xs", "the mean"}, count = {"xs", "how many numbers"}, sum = {"xs", "the total"},
  min = {"xs", "the smallest"}, max = {"xs", "the largest"},
  trend = {"ys [, xs]", "the least-squares line of ys on xs (1..n without): {slope =, intercept =, r2 =}"},
  quantile = {"xs, p"},  -- the doc: the SQL aggregate's
  quantiles = {"xs, ps", "the quantile at each p of ps (a list), as quantile gives it (type 7), the values sorted " ..
               "once: a list in the order of ps"},
}
local function stats_line(name)
  if not require("zb.analysis.stats")[name] then return nil end
  local about = metrics.about(name)
  local own = stats_docs[name]
  if own then return string.format("zb.stats.%s(%s)  %s", name, own[1], own[2] or about.doc) end
  local args = about.kind == "metric" and about.args or (about.args or "x"):gsub("(%a+)", "%1s")  -- arrays of them
  return string.format("zb.stats.%s(%s)  %s", name, args, about.doc)
end

-- The API name of fn, found among the functions above.
local function name_of(fn)
  for _, a in ipairs(api) do
    local v = _G
    for part in a[1]:gmatch("[^.]+") do v = type(v) == "table" and v[part] or nil end
    if v == fn then return a[1] end
  end
  for name, v in pairs(require("zb.analysis.stats")) do
    if v == fn then return "zb.stats." .. name end
  end
  for _, name in ipairs(metrics.names()) do
    if zb.metrics[name] == fn then return name end
  end
end

local function method_line(name)
  local method = method_docs[name]
  if method then return string.format("t:%s%s  table method: %s", name, method[1], method[2]) end
end

-- The doc line of name ("t:name" for a table method, "zb.x" for the API,
-- or a function of it), or nil.
function M.line(name)
  if type(name) == "function" then name = name_of(name) end
  if type(name) ~= "string" then return nil end
  if api_line[name] then return api_line[name] end
  local stat = name:match("^zb%.stats%.(.+)$")
  if stat then return stats_line(stat) end
  local method = name:match("^t:(.+)$")
  if method then return method_line(method) end
  local about = metrics.about(name)
  if about then
    return string.format("%s(%s)  %s%s%s", name, about.args or "...", about.kind,
                         about.doc and ": " .. about.doc or "", about.unit and " [" .. about.unit .. "]" or "")
  end
  return method_line(name)
end

-- Every name with a doc line: metrics, "t:" methods, the API.
function M.names()
  local out = {}
  for _, name in ipairs(metrics.names()) do out[#out + 1] = name end
  local methods = {}
  for name in pairs(method_docs) do methods[#methods + 1] = "t:" .. name end
  table.sort(methods)
  for _, name in ipairs(methods) do out[#out + 1] = name end
  for _, a in ipairs(api) do out[#out + 1] = a[1] end
  local stats = {}
  for name in pairs(require("zb.analysis.stats")) do stats[#stats + 1] = "zb.stats." .. name end
  table.sort(stats)
  for _, name in ipairs(stats) do out[#out + 1] = name end
  return out
end

-- Every doc line, those whose line holds text (plain) when given.
function M.lines(text)
  local out = {}
  for _, name in ipairs(M.names()) do out[#out + 1] = M.line(name) end
  if not text then return out end
  local kept = {}
  for _, line in ipairs(out) do
    if line:find(text, 1, true) then kept[#kept + 1] = line end
  end
  return kept
end

return setmetatable(M, {__tostring = function()
  return "help(name) shows what name does: a metric, \"t:method\" or \"zb.function\"; help() lists them all"
end, __call = function(_, name)
  if name == nil then
    for _, line in ipairs(M.lines()) do print(line) end
    return
  end
  local line = M.line(name)
  if not line then
    error(string.format("no metric, aggregate, table method or zb function '%s' (zb.help() lists them)", tostring(name)), 2)
  end
  print(line)
end})
