-- zb.read_json: an array of objects, or an object of column arrays.
local T = require("check")
local dir = T.tmpdir()
local function file(name, bytes) return T.file(dir, name, bytes) end

local obs = zb.read_json(file("obs.json", [[
[{"region": "杭州", "value": 18109, "growth": 8.5, "ok": true},
 {"region": "宁波", "value": 14595, "growth": null, "extra": {"rank": 12}}]
]]))
T.eq(obs.name, "obs", "named after the file")
T.eq(#obs, 2, "one row an object")
local types = {}
for _, c in ipairs(zb.sql("select name, type from pragma_table_info('obs')")) do types[#types + 1] = c.name .. " " .. c.type end
T.eq(table.concat(types, ", "), "region TEXT, value INTEGER, growth REAL, ok INTEGER, extra TEXT",
     "columns in first-seen order, typed from their values")
local got = zb.sql("select * from obs order by value desc")
T.ok(got[1].region == "杭州" and got[1].value == 18109 and got[1].ok == 1, "values and booleans", zb.pretty(got[1]))
T.ok(got[2].growth == nil and got[2].extra == '{"rank":12}', "null, and a nested object kept as JSON text",
     zb.pretty(got[2]))

T.eq(#zb.read_json(file("cols.json", '{"region": ["杭州", "宁波", "温州"], "value": [18109, 14595, 7585]}'),
                  {name = "by_column"}), 3, "an object of column arrays")
T.eq(zb.sql("select value from by_column where region = '温州'")[1].value, 7585, "row i takes element i of each")

zb.read_json(file("keys.json", '[{"a\\"b": 1, "caf\\u00e9": 2, "x.y": 3}]'))
got = zb.sql("select * from keys")[1]
T.ok(got['a"b'] == 1 and got["café"] == 2 and got["x.y"] == 3, "keys with quotes, escapes and dots keep their values",
     zb.pretty(got))
local big = {}
for c = 1, 10 do
  local values = {}
  for i = 1, 20000 do values[i] = i end
  big[c] = string.format('"c%d": [%s]', c, table.concat(values, ","))
end
T.eq(#zb.read_json(file("wide.json", "{" .. table.concat(big, ", ") .. "}")), 20000,
     "an object of ten 20,000-element columns")

local before = zb.sql("select count(*) as n from sqlite_schema")[1].n
local function fails(text, expect, what)
  local path = file("bad.json", text)
  T.fails(function() zb.read_json(path) end, path .. ": " .. expect, what)
end
fails('[{"a": 1}', "not valid JSON", "invalid JSON names the file")
fails('[{"a": 1}, 2]', "expected an array of objects (one a row); element 2 is integer", "an array holding a number")
fails('{"a": [1, 2], "b": [1]}', "column arrays differ in length: 'a' has 2, 'b' has 1", "ragged columns")
fails('{"a": 1}', "expected an object of column arrays; 'a' is not an array", "an object of scalars")
fails('"text"', "expected an array of objects or an object of column arrays", "a scalar")
-- SQLite's JSON reader turns an integer beyond 64 bits into a real and 1e400
-- into Inf (issue 12): the digits are gone, so the load is refused.
fails('[{"id": 12345678901234567890}]', "row 1, column id: a number beyond 64-bit integers or doubles",
      "an integer beyond 64 bits is refused, not stored as a real")
fails('{"a": [1, 2], "b": [3, 1e400]}', "row 2, column b: a number beyond 64-bit integers or doubles",
      "a number beyond doubles is refused, not stored as Inf")
T.fails(function() zb.read_json(dir .. "/none.json") end, "cannot open " .. dir .. "/none.json", "a missing file")
T.fails(function() zb.read_json(dir) end, dir .. ": cannot read it", "a directory")
T.fails(function() zb.read_json(dir .. "/obs.json", {name = {}}) end, "read_json: option 'name' must be a string, not a table", "a bad option")
T.eq(zb.sql("select count(*) as n from sqlite_schema")[1].n, before, "failed loads leave no table")
T.fails(function() zb.read_json(file("obs.json", '[{"a": 1}]')) end, dir .. '/obs.json: table "obs" already exists',
        "an existing table is kept, and the error names the file")
T.eq(#zb.read_json(dir .. "/obs.json", {replace = true}), 1, "... unless replace = true")
T.eq(zb.read_json(file("edge.json", '[{"id": 9223372036854775807, "v": 1.5e300}]')):first().id, math.maxinteger,
     "the largest integer and a large real load")
local na = zb.read_json(file("na.json", '[{"k":"a","v":9},{"k":"b","v":"N/A"},{"k":"c","v":10},{"k":"d","v":100},' ..
                                         '{"k":"e","v":"…"}]'))
local avg = na:agg{a = "avg(v)", m = "max(v)", n = "count(v)"}:first()
T.ok(avg.n == 3 and avg.m == 100 and math.abs(avg.a - 119 / 3) < 1e-12,
     "'N/A' and '…' among numbers are missing, as in read_csv (avg was 29.75, max 'N/A')", tostring(avg))
T.eq(zb.read_json(file("text.json", '[{"v":9},{"v":"abc"}]')):where{v = "abc"}:count(), 1, "... other text keeps a column text")
T.cleanup()
T.done()
