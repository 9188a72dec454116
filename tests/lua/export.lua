-- Exports straight from the statement (issue 17): t:to_csv, to_tsv and
-- to_json with a path write the rows in C (src/writers/export.c), without
-- them reaching Lua.  Checked byte for byte against the text the Lua
-- renderer makes of the same table (t:to_csv() with no path), on random
-- tables of every kind of value; then what must still go through Lua
-- (formats, GB18030), a BOM, devices, a full disk and a query that fails
-- half-way.
local T = require("check")

local dir = T.tmpdir()
local function read(path) return T.read(path) end

math.randomseed(20261203)
local random_tables = require("random_tables")
local mismatches = {}
for case = 1, 100 do
  local sql = random_tables.sql()
  local t = zb.sql(sql)
  for _, mode in ipairs{"csv", "tsv", "json"} do
    local path = string.format("%s/case%d.%s", dir, case, mode)
    local written, why = pcall(t["to_" .. mode], t, path)
    local made, text = pcall(t["to_" .. mode], t)
    -- (JSON refuses an infinite real: both alike, at the same row and column)
    local same = written and made and read(path) == text or
                 not written and not made and tostring(why):match("row %d+, column .-: %S+") ==
                 tostring(text):match("row %d+, column .-: %S+")
    if not same then mismatches[#mismatches + 1] = mode .. " of " .. sql end
  end
end
T.eq(table.concat(mismatches, "\n"), "", "100 random tables: each file the bytes the Lua renderer writes (csv, tsv, json)")
-- and the file is what it should be, read back by Python's own parsers
local gdp = zb.dataset("hangzhou-2021")
gdp:to_csv(dir .. "/hz.csv")
gdp:to_json(dir .. "/hz.json")
if T.have_python("pandas") then
  local out = T.python([[
import sys, json, pandas as pd
a = pd.read_csv(sys.argv[1]); b = pd.DataFrame(json.load(open(sys.argv[2])))
print(len(a), len(b), a.value.sum() == b.value.sum(), list(a.columns) == list(b.columns), a.region[0])
]], dir .. "/hz.csv", dir .. "/hz.json")
  T.eq(out, string.format("%d %d True True 杭州市\n", gdp:count(), gdp:count()), "pandas reads both back alike")
end

-- A BOM first, then the rows from C; GB18030 and formats through Lua
local small = zb.sql("select '杭州' as city, 18109.0 as gdp union all select '宁波', 14594.9")
small:to_csv(dir .. "/bom.csv", {bom = true})
T.eq(read(dir .. "/bom.csv"), "\239\187\191city,gdp\n杭州,18109.0\n宁波,14594.9\n", "bom = true: the mark, then the rows")
small:to_csv(dir .. "/gbk.csv", {encoding = "gb18030"})
T.eq(read(dir .. "/gbk.csv"), "city,gdp\n\186\188\214\221,18109.0\n\196\254\178\168,14594.9\n",
     "encoding = \"gb18030\": converted")
small:format{gdp = {decimals = 0, thousands = true}}:to_csv(dir .. "/fmt.csv", {formatted = true})
T.eq(read(dir .. "/fmt.csv"), 'city,gdp\n杭州,"18,109"\n宁波,"14,595"\n', "formatted = true: as the format shows")
small:format{gdp = {decimals = 0}}:to_csv(dir .. "/unformatted.csv")
T.eq(read(dir .. "/unformatted.csv"), "city,gdp\n杭州,18109.0\n宁波,14594.9\n", "without formatted, full precision")

-- Devices, a full disk, a failing query: nothing half-written
local r = T.run("-e \"zb.sql([[select 1 as a, '杭州' as b]]):to_json('/dev/stdout')\"")
T.eq(r.out, '[\n{"a":1,"b":"杭州"}\n]\n', "to /dev/stdout, in place")
T.fails(function() small:to_csv("/dev/full") end, "cannot write /dev/full: No space left on device", "a full disk is said")
-- a directory that does not exist: said once, at the user's line, as a full disk is
for _, export in ipairs{"to_csv", "to_tsv", "to_json", "to_markdown"} do
  local _, why = pcall(small[export], small, dir .. "/no-such-dir/x.out")
  T.eq(tostring(why):gsub("^[^\n]-:%d+: ", "", 1), "cannot write " .. dir .. "/no-such-dir/x.out: No such file or directory",
       export .. " into a directory that does not exist: the path and why, once")
end
T.write(dir .. "/keep.csv", "old")
T.fails(function()
  zb.sql("select 1 as n union all select 9223372036854775807 union all select 1"):agg{s = "sum(n)"}:to_csv(dir .. "/keep.csv")
end, dir .. "/keep.csv was not written)", "a query failing half-way: said as the query's")
T.eq(read(dir .. "/keep.csv"), "old", "... and the old file kept")
zb.metric("fails_at_3", function(x) if x == 3 then error("three") end return x end)
T.fails(function()
  zb.sql("with recursive s(i) as (select 1 union all select i + 1 from s where i < 5000) select fails_at_3(i % 4000) " ..
         "as v from s"):to_json(dir .. "/keep.csv")
end, "three", "a Lua metric failing half-way through the rows")
T.eq(read(dir .. "/keep.csv"), "old", "... the old file kept")
-- JSON has no number for an infinite real (RFC 8259, section 6; Python's
-- json module reads 9e999 as one, writes Infinity, which is not JSON): an
-- export refuses it, naming the row and column, where null would pass it off
-- as a missing value; CSV and TSV write Inf
local infinite = zb.sql("select 1 as k, 2.5 as x union all select 2, -1e999 union all select 3, 1e999")
T.fails(function() infinite:to_json(dir .. "/keep.csv") end,
        "row 2, column x: -infinite, which JSON has no number for", "to_json of an infinite real: refused at its row")
T.eq(read(dir .. "/keep.csv"), "old", "... the old file kept")
T.fails(function() infinite:to_json() end, "row 2, column x: -infinite", "... as JSON text too")
T.fails(function() infinite:format{x = {decimals = 1}}:to_json() end, "row 2, column x: -infinite",
        "... and row by row through Lua")
-- the file's writer (C) and the text's (Lua) say it in the same words
local said = {}
for _, export in ipairs{function() infinite:to_json(dir .. "/keep.csv") end, function() infinite:to_json() end,
                        function() infinite:format{x = {decimals = 1}}:to_json() end} do
  said[#said + 1] = tostring(select(2, pcall(export))):gsub("^[^\n]-:%d+: ", "")
end
T.eq(said[2], "row 2, column x: -infinite, which JSON has no number for (CSV and TSV write it as Inf): make it NULL " ..
              "or text first", "... the whole message")
T.eq(said[1], said[2] .. " (" .. dir .. "/keep.csv was not written)", "... the same from the file's writer, the file kept")
T.eq(said[3], said[2], "... and row by row through Lua")
T.eq(infinite:to_csv(), "k,x\n1,2.5\n2,-Inf\n3,Inf\n", "CSV writes Inf")
r = T.run("--json -e " .. T.shell_quote("print(zb.sql('select 1e999 as x'))"))
T.has(r.err, "row 1, column x: infinite, which JSON has no number for", "printing in JSON mode refuses it too")
T.eq(io.popen("ls " .. dir .. " | grep -c zb- || true"):read("a"), "0\n", "no temporary file left")
T.cleanup()
T.done()
