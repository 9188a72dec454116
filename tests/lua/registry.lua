-- The method registry: a method is one entry (zb.table.define), and its
-- doc line, option checks and the REPL's completion come from it.
local T = require("check")
local Table = require("zb.relation.table")

zb.sql("create table s(region text, year integer, value real)")
zb.sql("insert into s values ('A', 2020, 100), ('A', 2021, 110), ('B', 2020, 50), ('B', 2021, 60)")
local s = zb.table("s")

-- The analysis library's and the charts' methods load when first asked
-- for: a script that only exports holds none of them (an export's memory).
local r = T.run("-e " .. T.shell_quote([[
  zb.sql("create table s(region text, value real)")
  zb.table("s"):to_csv("/dev/null")
  print(package.loaded["zb.analysis.composite"], package.loaded["zb.present.chart"], package.loaded["zb.analysis.indicators"])
  local t = zb.sql("select 'A' as region, 2.0 as value")
  print(t:share{value = "value"}:col("share")[1], package.loaded["zb.analysis.indicators"] ~= nil)
  print(pcall(function() return t:sahre{value = "value"} end))]]))
T.eq(r.out, "nil\tnil\tnil\n100.0\ttrue\nfalse\t(command line):6: zb.Table has no method or field 'sahre'\n",
     "an export loads no method module; a method of one loads it; an unknown name is still an error")

-- A module's method of a name zb has takes zb's place, whenever zb's
-- modules load (here after the user's define, at a name that is no method)
r = T.run("-e " .. T.shell_quote([[
  zb.table.define{name = "share", call = "()", doc = "my share", body = function() return "mine" end}
  local t = zb.sql("select 'A' as region, 2.0 as value")
  print(pcall(function() return t:nosuch() end))
  print(t:share(), zb.table.docs.share[2])]]))
T.has(r.out, "mine\tmy share\n", "a method defined before zb's modules load keeps its place after they do", r.err)
-- and modules that could not load (out of memory) load at the next name asked for
r = T.run("--max-memory 16 -e " .. T.shell_quote([[
  local t = zb.sql("select 'A' as region, 2.0 as value")
  local hog = {}
  pcall(function() while true do hog[#hog + 1] = string.rep("x", 10000, tostring(#hog)) end end)
  for _ = 1, 5 do hog[#hog] = nil end
  collectgarbage()
  print(pcall(function() return t.share end))
  hog = nil
  collectgarbage()
  print(type(t.composite), type(t.to_xlsx))]]))
T.has(r.out, "not enough memory", "modules that cannot load say why", r.err)
T.has(r.out, "\nfunction\tfunction\n", "... and load when asked again", r.err)

-- Every method zb has is an entry, with a doc line and a body.
for name, m in pairs(Table.methods) do
  local entry = Table.registry[name]
  T.ok(entry and entry.body and Table.docs[name] and Table.docs[name][2] == entry.doc,
       "t:" .. name .. " is a registry entry with its doc line")
end

-- README's list of every method is made from the entries (ZB_GOLDEN=write
-- writes it between its markers).
local function method_list()
  local names, lines = {}, {}
  for name in pairs(Table.registry) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local doc = Table.docs[name]
    lines[#lines + 1] = string.format("- `t:%s%s`: %s", name, doc[1], doc[2])
  end
  return table.concat(lines, "\n")
end
local readme = T.read("README.md")
local open_mark, close_mark = "<!-- every method: made from zb.table.registry -->\n", "\n<!-- end of every method -->"
if os.getenv("ZB_GOLDEN") == "write" then
  local _, first = readme:find(open_mark, 1, true)
  local last = readme:find("<!-- end of every method -->", first, true)
  T.write("README.md", readme:sub(1, first) .. method_list() .. "\n" .. readme:sub(last))
  readme = T.read("README.md")
end
T.has(readme, open_mark .. method_list() .. close_mark, "README lists every method as the registry has it")

-- A module's method: one entry.
Table.define{name = "above", doc = "the rows whose value is above a threshold, with their excess",
  options = {{"value", "column"}, {"threshold", "value"}, {"by", "columns", optional = true},
             {"n", "count", "1", optional = true, what = "rows"}, {"exact", "boolean", "false", optional = true},
             {"name", "name", optional = true}, {"fn", "function", optional = true}},
  body = function(t, spec)
    local v = zb.names.quote(spec.value)
    return t:where(v .. " > ?", spec.threshold):mutate{[spec.name or "excess"] = v .. " - " .. spec.threshold}
  end}
T.eq(s:above{value = "value", threshold = 90}:order("year"):col("excess")[2], 20.0, "a defined method runs")
T.eq(zb.help.line("t:above"),
     "t:above{value =, threshold = [, by =] [, n = 1] [, exact = false] [, name =] [, fn =]}  table method: " ..
     "the rows whose value is above a threshold, with their excess", "its doc line, from the entry")
T.ok(zb.repl.sql_calls.above, "an option of kind column makes the REPL complete column names in it")

local function fails(spec, text, name)
  T.fails(function() return s:above(spec) end, text, name)
end
fails({value = "valu", threshold = 1}, "above: no such column: valu (columns: region, year, value)", "kind column: checked")
fails({value = 3, threshold = 1}, "above: value must be a column name", "kind column: a name")
fails({value = "value"}, "above: threshold is required", "a required option")
fails({value = "value", threshold = {}}, "above: threshold must be a number or a string", "kind value")
fails({value = "value", threshold = 1, by = {"region", "nope"}}, "above: no such column: nope", "kind columns: each")
fails({value = "value", threshold = 1, by = 7}, "above: by must be a column or a list of columns", "kind columns")
fails({value = "value", threshold = 1, n = 0}, "above: n must be a whole number of rows, 1 or more", "kind count")
fails({value = "value", threshold = 1, exact = "yes"}, "above: exact must be true or false", "kind boolean")
fails({value = "value", threshold = 1, name = 1}, "above: name must be a name (a string)", "kind name")
fails({value = "value", threshold = 1, fn = "os.exit"}, "above: fn must be the name of an SQL function", "kind function")
fails({value = "value", threshold = 1, colour = "red"},
      "above: unknown option 'colour' (options: by, exact, fn, n, name, threshold, value)", "an unknown option")
T.fails(function() return s:above("value") end, "bad argument #1 to 'above' (a table of options expected)",
        "options must be a table")
T.fails(function() local r = s:above{value = "valu", threshold = 1}; return r end, "registry.lua:",
        "errors at the user's line")

-- A method defined after the REPL module loaded completes too; a table's
-- fields are no method's name; melt and pivot check their options.
T.ok(zb.repl.sql_calls.above, "completion follows methods defined later")
T.fails(function() Table.define{name = "units", doc = "x", call = "()", body = print} end,
        "define: units is a field of every table", "define refuses a table's field")
T.fails(function() return s:melt{id = "region", cols = {"value"}, valu = "v"} end, "melt: unknown option 'valu'",
        "melt: an unknown option")
T.fails(function() return s:melt{id = "region", name = {}} end, "melt: name must be a name or a list of names",
        "kind names: an empty list names nothing")
T.fails(function() return s:melt{id = "region", cols = 5} end,
        "melt: cols must be a Lua pattern column names match, or a list of columns", "kind pattern_or_columns")
T.fails(function() return s:melt{id = "region", cols = {"nosuch"}} end, "melt: no such column: nosuch",
        "kind pattern_or_columns: a list's columns are checked")
T.fails(function() return s:pivot{rows = "region", values = "value"} end, "pivot: cols is required",
        "pivot's options come from its entry")
T.fails(function() return s:pivot{rows = "region", cols = "year", value = "value"} end, "pivot: unknown option 'value'",
        "pivot: an unknown option")

-- Entries are checked when defined.
T.fails(function() Table.define{name = "x", doc = "x", body = print} end,
        "define: expected {name =, doc =, call = or options =, body = function(t, ...)}", "an entry needs call or options")
T.fails(function() Table.define{name = "x", doc = "x", options = {{"a", "colour"}}, body = print} end,
        "define: option a of x: unknown kind colour", "an option's kind must be known")

-- The analysis library's methods take their options from their entries.
T.fails(function() return s:yoy{value = "value", time = "yr"} end, "yoy: no such column: yr", "yoy: a column option")
T.fails(function() return s:moving{value = "value", time = "year", n = 1.5} end,
        "moving: n must be a whole number of periods, 1 or more", "moving: n")
T.fails(function() return s:gap{key = "region", a = "A", value = "value"} end, "gap: b (a value of key) is required",
        "gap: b is required")
T.fails(function() return s:index{value = "value", time = "year"} end, "index: base (the base period) is required",
        "index: base is required")
T.done()
