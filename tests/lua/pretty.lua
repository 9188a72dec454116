-- zb.pretty: how the REPL shows values.
local T = require("check")
local pretty = zb.pretty

T.eq(pretty(42), "42", "integer")
T.eq(pretty(1.0), "1.0", "a float stays distinct from an integer")
T.eq(pretty(0.1 + 0.2), "0.30000000000000004", "floats read back exactly")
T.eq(pretty(18109.5), "18109.5", "no exponent noise at ordinary magnitudes")
T.eq(tonumber(pretty(1 / 3)), 1 / 3, "1/3 round-trips")
T.eq(pretty(1e300), "1e+300", "large magnitudes use an exponent")
T.eq(pretty(math.huge), "math.huge", "infinity, as a Lua expression")
T.eq(pretty(-math.huge), "-math.huge", "minus infinity")
T.eq(pretty(0 / 0), "0/0", "not a number")
T.eq(pretty("杭州"), '"杭州"', "strings are quoted; UTF-8 stays readable")
T.eq(pretty('a "b"\n\t\0'), '"a \\"b\\"\\n\\t\\000"', "quotes and control bytes are escaped")
T.eq(pretty("\255\0ab"), '"\\255\\000ab"', "bytes that are not UTF-8 are escaped")
T.eq(pretty(("x"):rep(5000)), '"' .. ("x"):rep(1000) .. '"…(5000 bytes in all)', "a long string is cut")
T.eq(pretty(("杭"):rep(500), {string = 10}), '"杭杭杭"…(1500 bytes in all)', "... at a character boundary")
T.eq(pretty(nil), "nil", "nil")
T.eq(pretty(true), "true", "boolean")
T.eq(pretty({}), "{}", "empty table")
T.eq(pretty({1, 2, 3}), "{1, 2, 3}", "array")
T.eq(pretty({b = 1, a = 2, [10] = "x", ["not id"] = 3, ["end"] = 4}),
     '{[10] = "x", a = 2, b = 1, ["end"] = 4, ["not id"] = 3}',
     "keys sorted, numbers first; non-identifiers bracketed")
T.eq(pretty({1, 2, x = {y = {z = true}}}), "{1, 2, x = {y = {z = true}}}", "nested")

local cyc = {name = "loop"}
cyc.self = cyc
T.eq(pretty(cyc), '{name = "loop", self = <cycle>}', "a cycle is marked")
local shared = {1}
T.eq(pretty({shared, shared}), "{{1}, {1}}", "a shared (non-cyclic) table prints twice")

local long = {}
for i = 1, 30 do long[i] = "indicator_" .. i end
local text = pretty(long)
T.has(text, '{\n  "indicator_1", "indicator_2", "indicator_3", "indicator_4", "indicator_5",\n',
      "a long array is laid out over lines, as many entries a line as fit")
T.has(pretty({a = long, b = 1}), '  a = {\n    "indicator_1",', "a table with keys puts one entry a line")
T.has(pretty({{name = ("x"):rep(90)}}), '{\n  {\n    name = "xxx', "nested layout is indented")

local many = {}
for i = 1, 1000 do many[i] = i end
T.has(pretty(many), "… (900 more)", "entries past opts.items are counted, not printed")
T.has(pretty(many, {items = 10}), "… (990 more)", "opts.items sets the bound")
local deep = {}
local cur = deep
for _ = 1, 20 do cur.next = {}; cur = cur.next end
T.has(pretty(deep), "{…}", "depth is bounded")
local wide = {}
for i = 1, 100 do wide[i] = many end
local bounded = pretty(wide)
T.ok(#bounded < 20000, "total output is bounded", #bounded .. " bytes")

local cities = {"杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市"}
T.eq(pretty(cities, {width = 70}), '{"杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市"}',
     "Chinese text is measured in columns (2 a character), not bytes: 70 columns fit")
T.has(pretty(cities, {width = 69}), '{\n  "杭州市", "宁波市",', "... and 69 do not")
local calls = 0
local proxy = setmetatable({1, 2}, {__index = function() calls = calls + 1 end,
                                     __len = function() calls = calls + 1 return 1e9 end})
T.eq(pretty(proxy), "{1, 2}", "a proxy table prints its own contents")
T.eq(calls, 0, "... without running __index or __len")
T.eq(pretty(setmetatable({}, {__tostring = function() return "<indicator gdp>" end})),
     "<indicator gdp>", "__tostring is used")
T.has(pretty(zb.db), "zb.Database", "userdata prints through __tostring")
T.has(pretty(print), "function", "functions print as Lua does")
T.done()
