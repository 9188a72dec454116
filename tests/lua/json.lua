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
fails('{"a": [1, 2], "b": [3, 4], "a": [5, 6]}', "the object of column arrays has the key 'a' twice",
      "a column twice in the object of column arrays: said so, not as a row's key")
fails('[{"a": 1}, {"b": 2, "b": 3}]', "row 2 has the key 'b' twice", "a key twice in a row: its row")
-- SQLite's JSON reader turns an integer beyond 64 bits into a real and 1e400
-- into Inf (issue 12): the digits are gone, so the load is refused.
fails('[{"id": 12345678901234567890}]', "row 1, column id: a number beyond 64-bit integers or doubles",
      "an integer beyond 64 bits is refused, not stored as a real")
fails('{"a": [1, 2], "b": [3, 1e400]}', "row 2, column b: a number beyond 64-bit integers or doubles",
      "a number beyond doubles is refused, not stored as Inf")
-- 9007199254740993 (2^53 + 1) beside a real would be stored as a real,
-- 9007199254740992.0 (Python: float(2**53 + 1)): refused, naming it, in
-- either order and either shape; alone among integers it stays exact
fails('[{"a": 9007199254740993}, {"a": 1.5}]', "row 1, column a: the integer 9007199254740993, in a column with " ..
      "reals, would be read as 9007199254740992.0", "an integer past 2^53 in a column of reals is refused")
fails('{"a": [1.5, -9223372036854775807]}', "row 2, column a: the integer -9223372036854775807, in a column with reals",
      "... after the real, in a column array")
T.fails(function() zb.read_json(dir .. "/none.json") end, "cannot open " .. dir .. "/none.json", "a missing file")
T.fails(function() zb.read_json(dir) end, dir .. ": cannot read it", "a directory")
T.fails(function() zb.read_json(dir .. "/obs.json", {name = {}}) end, "read_json: option 'name' must be a string, not a table", "a bad option")
T.eq(zb.sql("select count(*) as n from sqlite_schema")[1].n, before, "failed loads leave no table")
T.eq(zb.read_json(file("exact.json", '[{"a": 9007199254740993}, {"a": 2}]')):col("a")[1], 9007199254740993,
     "an integer past 2^53 among integers alone stays an integer, exact")
T.eq(zb.read_json(file("held.json", '[{"a": 9007199254740992}, {"a": 2.5}, {"a": -9223372036854775808}]')):col("a")[3],
     -2^63, "... an integer a double holds (2^53, -2^63) goes with reals")
T.eq(zb.read_json(file("past_2_53_text.json", '[{"a": 9007199254740993}, {"a": 1.5}, {"a": "abc"}]')):col("a")[1],
     "9007199254740993", "... in a column of text (a string not a missing number), its digits as text")
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
T.eq(zb.read_json(file("wide_text.json", '[{"v":9},{"v":"abc"}]')):where{v = "abc"}:count(), 1, "... other text keeps a column text")

-- Read in C (src/readers/json.c): every cell as SQLite's own JSON functions
-- read it, on random documents of both shapes: strings with escapes
-- (\u, surrogate pairs, quotes), numbers in every form JSON allows,
-- booleans, NULL, and objects and arrays (their JSON text, no spaces)
math.randomseed(20261205)
local strings = {'"plain"', '"杭州"', '"tab\\tline\\nquote\\"slash\\/"', '"\\u00e9\\u4e2d"', '"\\ud83d\\ude00"',
                 '""', '" spaced "', '"\\\\back"'}
local kinds = {
  integer = function() return tostring(math.random(-10 ^ 12, 10 ^ 12)) end,
  real = function() return ({"1.5", "-0.25", "1e2", "2.50", "1E-3", "0.1e1", "-0", "3.0"})[math.random(8)] end,
  text = function() return strings[math.random(#strings)] end,
  bool = function() return math.random(2) == 1 and "true" or "false" end,
  nested = function() return ({'{ "x" : [1, 2.50, "a b"] }', '[ ]', '[ {"k": null} , true ]', '{}'})[math.random(4)] end,
}
local kind_names = {"integer", "real", "text", "bool", "nested"}
local mismatches = {}
for case = 1, 60 do
  local ncols, nrows, shape = math.random(1, 5), math.random(1, 12), math.random(2) == 1 and "array" or "object"
  local cols = {}
  for c = 1, ncols do cols[c] = {name = "c" .. c .. ({"", " é", "-x"})[math.random(3)], kind = kind_names[math.random(5)]} end
  local cells = {}
  for r = 1, nrows do
    cells[r] = {}
    for c = 1, ncols do cells[r][c] = math.random(6) == 1 and "null" or kinds[cols[c].kind]() end
  end
  local parts = {}
  if shape == "array" then
    for r = 1, nrows do
      local members = {}
      for c = 1, ncols do members[c] = string.format('"%s" : %s', cols[c].name, cells[r][c]) end
      parts[r] = " {" .. table.concat(members, ", ") .. "}"
    end
  else
    for c = 1, ncols do
      local column = {}
      for r = 1, nrows do column[r] = cells[r][c] end
      parts[c] = string.format('"%s": [ %s ]', cols[c].name, table.concat(column, " ,"))
    end
  end
  local text = shape == "array" and "[" .. table.concat(parts, ",\n") .. " ]" or "{ " .. table.concat(parts, ",\n") .. "}"
  local loaded = zb.read_json(file("random.json", text), {name = "random_json", replace = true})
  for c = 1, ncols do
    local key = zb.sql("select key from json_each(?) limit 1 offset ?", shape == "array" and
                       zb.sql("select value from json_each(?) limit 1", text):value() or text, c - 1):value()
    local path = "$." .. '"' .. key .. '"'
    local expected = shape == "array"
      and zb.sql("select json_extract(value, ?) as v, json_type(value, ?) as t from json_each(?) order by key", path,
                 path, text)
      or zb.sql("select json_extract(?, ? || '[' || key || ']') as v, json_type(?, ? || '[' || key || ']') as t " ..
                "from json_each(?, ?) order by key", text, path, text, path, text, path)
    local got = loaded:select({v = key}):col("v")
    local want = expected:col("v")
    for r = 1, nrows do
      local w = want[r]
      if cols[c].kind == "real" and w ~= nil then w = w + 0.0 end
      if got[r] ~= w or math.type(got[r]) ~= math.type(w) then
        mismatches[#mismatches + 1] = string.format("case %d %s row %d column %s: %s, SQLite %s (%s)", case, shape, r, key,
                                                    tostring(got[r]), tostring(w), text)
      end
    end
  end
end
T.eq(mismatches[1] or "", "", "60 random documents: every cell as SQLite's json_extract reads it")
fails('[{"a": 1, "b": 2, "a": 3}]', "row 1 has the key 'a' twice", "a key twice in one object is refused")
fails('[{"a": "\\ud800"}]', "not valid JSON at line 1, column 9: a high surrogate", "a lone surrogate")
fails('[{"a": 1},\n {"a": 2,}]', "not valid JSON at line 2, column 10: expected a key", "where the JSON goes wrong")
fails('[{"a": "x\ty"}]', "not valid JSON at line 1, column 10: a control character in a string", "a raw tab in a string")
fails('[{"a": 1}] x', "not valid JSON at line 1, column 12: more after the document", "text after the document")
fails('[]', "no columns", "an empty array")
T.cleanup()
T.done()
