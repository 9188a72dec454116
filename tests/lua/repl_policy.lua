-- zb.repl: dot-commands, completion candidates and value printing, in process.
local T = require("check")
local repl = zb.repl

local function words(list) return table.concat(list, " ") end

-- Completion of Lua names.
local c = repl.complete("string.fo", "string.fo", 0)
T.eq(words(c), "string.format", "fields of a table")
c = repl.complete("pri", "x = pri", 4)
T.eq(words(c), "print", "globals")
c = repl.complete("whi", "whi", 0)
T.eq(words(c), "while", "keywords")
local s = "text"
_G.sample = s
c = repl.complete("sample:up", "sample:up", 0)
T.eq(words(c), "sample:upper", "methods through the metatable's __index")
c = repl.complete("zb.db:", "zb.db:", 0)
T.eq(words(c), "zb.db:atomic zb.db:close zb.db:sql", "methods of userdata")
c = repl.complete("zb.ve", "zb.ve", 0)
T.eq(words(c), "zb.version", "fields of zb")
c = repl.complete("nosuch.x", "nosuch.x", 0)
T.eq(#c, 0, "an unknown table completes to nothing")
local calls = 0
_G.trap = setmetatable({}, {__index = function() calls = calls + 1 end})
repl.complete("trap.a.b", "trap.a.b", 0)
T.eq(calls, 0, "completion never runs an __index function")

-- The completion hook that the table and metric modules extend.
repl.completers[#repl.completers + 1] = function(word)
  return {"hangzhou_gdp", "hangzhou_income", "ningbo_gdp"}
end
c = repl.complete("hangzhou_", "hangzhou_", 0)
T.eq(words(c), "hangzhou_gdp hangzhou_income", "extra sources join the candidates")
repl.completers[#repl.completers] = nil

-- Completion of dot-commands and their arguments.
local list, space = repl.complete(".ti", ".ti", 0)
T.eq(words(list), ".timer", "dot-command names")
T.eq(space, true, "a space follows a completed command")
T.eq(words(repl.complete(".", ".", 0)), ".dataset .exit .help .human .import .maxrows .meta .metrics .mode .once .output .precision .quit .read .schema .tables .timer",
     "every command")
T.eq(words(repl.complete("hang", ".dataset hang", 9)), "hangzhou-2021", ".dataset completes dataset names")
T.eq(words(repl.complete("o", ".timer o", 7)), "off on", "an argument from the command's list")
T.eq(repl.complete("te", ".read te", 6), "file", "a FILE argument completes file names")
T.eq(words(repl.complete("", ".mode ", 6)), "box csv json line markdown tsv", "modes")
T.eq(words(repl.complete("ti", ".help ti", 6)), "timer", ".help completes command names")
T.eq(words(repl.complete("quin", ".help quin", 6)), "quintile_ratio", "... and the names help knows: metrics")
T.eq(words(repl.complete("zb.stats.gi", ".help zb.stats.gi", 6)), "zb.stats.gini zb.stats.gini_grouped zb.stats.gini_per_head",
     "... and zb's functions")
T.eq(words(repl.complete("zb.metrics.quin", "zb.metrics.quin", 0)), "zb.metrics.quintile_ratio",
     "fields of zb's modules complete before the module is first used")
T.eq(words(repl.complete("quin", 'zb.sql("select quin', 19, '"')), "quintile_ratio", "metrics complete inside SQL text")

-- Dispatch.
T.eq(select(1, repl.dispatch(".quit")), "quit", ".quit asks the loop to stop")
local action, code = repl.dispatch(".exit 3")
T.eq(code, 3, ".exit CODE")
action, code = repl.dispatch(".read 'my file.zb'")
T.eq(action .. ":" .. code, "read:my file.zb", ".read passes its file; quotes keep spaces")
T.fails(function() repl.dispatch(".nosuch") end, "unknown command: .nosuch (.help lists the commands)",
        "an unknown command says so")
T.fails(function() repl.dispatch(".timer maybe") end, "usage: .timer on|off", "a bad argument shows the usage")
T.fails(function() repl.dispatch(".read") end, "usage: .read FILE", "a missing argument shows the usage")
T.fails(function() repl.dispatch(".read a b") end, "usage: .read FILE", "too many arguments shows the usage")
repl.dispatch(".ti on")
T.eq(repl.options.timer, true, "a unique abbreviation works (.ti on)")
repl.dispatch(".timer off")
T.eq(repl.options.timer, false, ".timer off")
T.fails(function() repl.dispatch(".mode nosuch") end, "unknown mode: nosuch (modes: box, csv, json, line, markdown, tsv)",
        "unknown mode")
repl.dispatch(".mode markdown")
T.eq(zb.mode(), "markdown", ".mode sets the mode zb.mode() reports")
T.fails(function() repl.dispatch(".maxrows lots") end, "usage: .maxrows [N] (N >= 0)", ".maxrows wants a number")
repl.dispatch(".maxrows 4")
T.eq(zb.render.options.maxrows, 4, ".maxrows sets the rows shown")
repl.dispatch(".maxrows 0")

-- Tables: .tables, .schema, and their names completing inside SQL text.
zb.sql("create table gdp_by_city(city text, gdp real)")
zb.sql("create view big_cities as select city from gdp_by_city where gdp > 10000")
local printed = {}
local saved_print = print
print = function(...) printed[#printed + 1] = table.concat({...}, "\t") end
repl.dispatch(".tables")
repl.dispatch(".tables big")
repl.dispatch(".schema gdp_by_city")
print = saved_print
T.eq(table.concat(printed, "\n"), table.concat({
  "big_cities  (view, 1 column)", "gdp_by_city  (table, 2 columns)", "big_cities  (view, 1 column)",
  "CREATE TABLE gdp_by_city(city text, gdp real);"}, "\n"), ".tables lists tables and views; .schema shows one")
T.fails(function() repl.dispatch(".schema nope") end, "no such table: nope", ".schema of an unknown table")
zb.sql('create table "t\27]0;owned\7" (x)')  -- a name from a file may hold terminal escapes
printed = {}
print = function(...) printed[#printed + 1] = table.concat({...}, "\t") end
repl.dispatch(".tables owned")
repl.dispatch(".schema")
print = saved_print
T.hasnt(table.concat(printed, "\n"), "\27", ".tables and .schema never send a name's escapes to the terminal")
T.has(table.concat(printed, "\n"), "t\\x1B]0;owned\\x07  (table, 1 column)", "... they show them escaped")
zb.sql('drop table "t\27]0;owned\7"')
T.eq(words(repl.complete("gdp", "zb.sql('select * from gdp", 22, "'")), "gdp gdp_by_city",
     "inside SQL text, table and column names complete")
T.eq(words(repl.complete("big", ".schema big", 8)), "big_cities", ".schema completes table names")
T.eq(repl.complete("gdp", 'io.open("gdp', 9, '"'), "file", "a string that is not SQL text completes file names")
T.eq(words(repl.complete("gdp", 'zb.sql("gdp', 8, '"')), "gdp gdp_by_city", "zb.sql's argument is SQL text")

-- A module adds a command; .help lists it.
repl.command{name = "hello", args = "[NAME]", nargs = {0, 1}, help = "Greet NAME",
             run = function(args) return "greeted", args[1] end}
T.eq(select(2, repl.dispatch(".hello 杭州")), "杭州", "a command added by a module runs")
T.fails(function() repl.dispatch(".h") end, "ambiguous command: .h", "an ambiguous abbreviation")
local out = {}
local real_print = print
print = function(...) out[#out + 1] = table.concat({...}, "\t") end
repl.dispatch(".help")
repl.dispatch(".help mode")
print = real_print
local help = table.concat(out, "\n")
T.has(help, ".hello [NAME]", ".help lists an added command")
T.has(help, ".read FILE", ".help shows usage")
T.has(help, "Ctrl-C", ".help explains the keys")
T.has(help, "markdown a Markdown (GitHub) table (current)", ".help mode lists the modes")
-- A zb.Table's methods and columns.
hz_t = zb.dataset("hangzhou-2021", {name = "hz_t"})
derived = hz_t:select("indicator", {yuan = "value"})
T.eq(words(repl.complete("hz_t:wh", "hz_t:wh", 0)), "hz_t:where", "a table's methods after :")
T.has(words(repl.complete("sec", 'hz_t:where("sec', 12, '"')), "section", "columns inside a method's SQL text")
T.eq(words(repl.complete("yu", 'derived:where("yu', 15, '"')), "yuan", "... of a derived table too")
T.has(words(repl.complete("in", 'derived:select("yuan", "in', 23, '"')), "indicator", "... in a later argument")
T.eq(words(repl.complete("sec", "hz_t:where{sec", 11)), "section", "keys of a table argument are columns")
hz_t, derived = nil, nil

T.done()
