-- Writing a module: the README's example module works as README says.
local T = require("check")
local q = T.shell_quote

local example = T.read("lua/examples/growth.lua")
local readme = T.read("README.md")
T.ok(example and readme and readme:find(example, 1, true), "README shows lua/examples/growth.lua verbatim")

local env = "ZB_PATH=" .. q(os.getenv("PWD") .. "/lua/examples") .. " "
local r = T.run("-e " .. q([[
local growth = require("growth")
print(string.format("%.2f %.2f %.1f", zb.growth.previous(74700, 8.8),
  growth.rate(74700, 68658.09), growth.cagr(100, 121, 2)))]]), {env = env})
T.eq(r.out, "68658.09 8.80 10.0\n", "require through ZB_PATH; the module extends zb")
r = T.run("-l growth", {env = env, stdin = ".growth 42692 10.3\n.help growth\n.growth x y\n"})
T.has(r.out, "38705.35\n", "a REPL command added by the module runs")
T.has(r.out, ".growth NOW PCT", ".help lists it")
T.has(r.err, "usage: .growth NOW PCT (two numbers)", "its errors are reported")

-- zb.options: one checker of options tables, for zb's functions and a
-- module's alike; errors at the caller's line.
local spec = {name = "string", n = "integer", replace = "boolean", pick = "string|table"}
local function load(opts) return zb.options.check("load", opts, spec) end
T.eq(zb.pretty(load(nil)), "{}", "no options are an empty table")
T.eq(load{name = "a", n = 3, pick = {}}.n, 3, "known options of their types pass")
T.fails(function() load{nmae = "a"} end, "load: unknown option 'nmae' (options: n, name, pick, replace)",
        "an unknown option lists those there are")
T.fails(function() load{n = 1.5} end, "load: option 'n' must be an integer, not a number with a fraction",
        "an integer must be whole")
T.fails(function() load{pick = 1} end, "load: option 'pick' must be a string or table, not a number", "either of two types")
T.fails(function() load("x") end, "load: options must be a table, not a string", "options must be a table")
T.fails(function() load{replace = 1} end, "tests/lua/module.lua:", "... reported at the caller's line")
for _, call in ipairs{
  {"read_csv", function() return zb.read_csv("x.csv", {seperator = ";"}) end, "(options: encoding, header, na, name, notes, numbers, replace, sep, skip, skip_footer, source, units, vintage)"},
  {"read_json", function() return zb.read_json("x.json", {nmae = "x"}) end,
   "(options: name, notes, replace, source, units, vintage)"},
  {"attach", function() return zb.attach("x.db", {wrtie = true}) end, "(options: write)"},
  {"dataset", function() return zb.dataset("indicators", {nmae = "x"}) end,
   "(options: name, notes, replace, source, units, vintage)"},
  {"metric", function() return zb.metric("m", print, {colour = 1}) end, "(options: args, deterministic, doc, returns, unit)"},
  {"render", function() return zb.render(zb.sql("select 1"), {mdoe = "csv"}) end, "(options: all, human, maxrows, mode, precision, width)"},
  {"pretty", function() return zb.pretty({}, {widht = 3}) end, "(options: budget, depth, indent, items, string, width)"},
  {"save", function() return zb.sql("select 1 as a"):save("s", {replce = true}) end, "(options: replace)"},
} do
  T.fails(call[2], call[1] .. ": unknown option", call[1] .. " checks its options by the one rule " .. call[3])
  T.fails(call[2], call[3], "... listing those it takes")
end
-- every option a doc line names is one the function takes (help once
-- named a read_csv option, types, that neither side took)
local _, listed = pcall(zb.read_csv, "x.csv", {no_such_option = true})
local takes = {}
for name in tostring(listed):match("%(options: (.-)%)"):gmatch("[%w_]+") do takes[name] = true end
local documented = {}
for name in zb.help.line("zb.read_csv"):match("opts%.(.*)$"):gmatch("[%w_]+") do
  if not takes[name] then documented[#documented + 1] = name end
end
T.eq(table.concat(documented, ", "), "", "read_csv's doc line names only options it takes")

-- zb's public names (lua/zb/api.lua): each gives its module's value, or
-- the field of it named; every module of lua/zb/ is one of them or needed
-- by one.
local api = require("zb.api")
for name, target in pairs(api) do
  local module, field = target, nil
  if type(target) == "table" then module, field = target[1], target[2] end
  local want = require(module)
  if field then want = want[field] end
  T.ok(want ~= nil and zb[name] == want, "zb." .. name .. " is " .. module .. (field and "." .. field or ""))
end
-- (or required, when first needed, by one of those: zb.engine.pllua by the
-- PostgreSQL engine's first metric)
local sources = {}
for module in pairs(package.loaded) do
  local path = module:match("^zb%.") and package.searchpath(module, package.path)
  if path then sources[#sources + 1] = T.read(path) end
end
local function required_by_loaded(module)
  for _, text in ipairs(sources) do
    if text:find('require("' .. module .. '")', 1, true) then return true end
  end
  return false
end
local listed = io.popen("cd lua && find zb -name '*.lua' | sort")
for file in listed:lines() do
  local module = file:gsub("%.lua$", ""):gsub("/", ".")
  T.ok(package.loaded[module] ~= nil or module == "zb.host.safe" or required_by_loaded(module),
       "module " .. module .. " is loaded by zb's names, or required by one of theirs")
end
listed:close()
T.done()
