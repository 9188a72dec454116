-- The catalog's record of a table (issue 14): where a loaded table came
-- from, kept in the database (zb_catalog) through save, -d and reopening;
-- t.meta and .meta; the fingerprint checked by xxhash's own xxhsum.
local T = require("check")
local dir = T.tmpdir()

local function xxhsum(path)
  local p = io.popen("xxhsum -H2 " .. T.shell_quote(path) .. " 2>/dev/null")
  local out = p:read("a")
  p:close()
  return out:match("^(%x+)")
end

local csv = T.file(dir, "gdp.csv", "地区生产总值（亿元）\nregion;year;gdp\n杭州;2021;18109\n宁波;2021;14595\n数据来源：各市统计公报\n")
local t = zb.read_csv(csv, {sep = ";", units = {gdp = "亿元"}, vintage = "2022 bulletins", source = "各市统计公报",
                            notes = "first releases"})
T.eq(zb.pretty(t.units), '{gdp = "亿元"}', "units given at load are the table's")
local meta = t.meta
T.eq(meta.loader, "read_csv", "the loader")
T.eq(meta.file.path, csv, "the file's absolute path")
T.eq(meta.file.size, #T.read(csv), "its size")
T.ok(xxhsum(csv) ~= nil, "xxhsum (Debian's xxhash; make test installs it)")
T.eq(meta.file.fingerprint, "xxh3-128:" .. tostring(xxhsum(csv)), "its fingerprint is XXH3-128, as xxhsum -H2 gives it")
T.ok(meta.loaded:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$") ~= nil, "when, in UTC", meta.loaded)
T.eq(zb.pretty(meta.options), '{sep = ";"}', "the loader's options, without what the record keeps apart")
T.eq(table.concat(meta.notes, " | "), "地区生产总值（亿元） | 数据来源：各市统计公报", "the file's notes")
T.eq(meta.remarks, "first releases", "the user's notes, apart from the file's (remarks)")
T.eq(meta.vintage, "2022 bulletins", "the vintage given")
T.eq(meta.source, "各市统计公报", "the source given")
T.eq(meta.columns.gdp.unit, "亿元", "the unit, per column")
T.eq(zb.read_csv(csv, {name = "again"}).meta.file.fingerprint, meta.file.fingerprint, "one file, one fingerprint")
-- read_csv hashes the bytes as it surveys them, a few megabytes at a time:
-- a file of several steps, Chinese characters cut by the steps' ends
local big = T.file(dir, "big.csv", "地区,值1\n" .. string.rep("杭州市萧山区,18109\n", 400000))
T.eq(zb.read_csv(big, {name = "big"}).meta.file.fingerprint, "xxh3-128:" .. tostring(xxhsum(big)),
     "the fingerprint read_csv makes as it reads a file of 10 MB is xxhsum's")
T.fails(function() zb.read_csv(csv, {name = "bad", units = {nosuch = "元"}}) end, "units: no column nosuch",
        "a unit for no column is an error")
T.eq(zb.sql("select count(*) from sqlite_schema where name = 'bad'"):value(), 0, "... and loads nothing")

-- Derived tables keep the record while their columns pass through
T.eq(t:where{region = "杭州"}:select("region", "gdp").meta.vintage, "2022 bulletins", "a filtered table keeps it")
local pop = zb.read_json(T.file(dir, "pop.json", '[{"region": "杭州", "pop": 1220}, {"region": "宁波", "pop": 954}]'),
                         {vintage = "2021 yearbook"})
T.eq(pop.meta.loader, "read_json", "read_json records its loads too")
local joined = t:join(pop, "region")
T.eq(#joined.meta.sources, 2, "a join lists both sources")
T.eq(joined.meta.sources[2].vintage, "2021 yearbook", "... each with its record")
T.eq(t:group("region"):agg{total = "sum(gdp)"}.meta.vintage, "2022 bulletins",
     "an aggregate keeps its table's record (no column passes through)")
local saved = t:select("region", "gdp"):save("kept")
T.eq(saved.meta.sources[1].vintage, "2022 bulletins", "save records where the rows came from")
T.eq(zb.pretty(saved.units), '{gdp = "亿元"}', "... and the units")
T.eq(zb.dataset("indicators").meta.dataset, "indicators", "a dataset's record names it")
T.eq(zb.sql("select json_extract(about, '$.vintage') from zb_catalog where name = 'gdp'"):value(), "2022 bulletins",
     "the record is JSON in the database, as the sqlite3 shell reads it")

-- A table dropped and made again by hand is another table: no old record
zb.read_csv(csv, {name = "remade", sep = ";", vintage = "old"})
zb.sql("drop table remade")
zb.sql("create table remade (region text, year integer, gdp real)")
T.eq(zb.table("remade").meta.vintage, nil, "a table made again by hand shows no old record")
T.eq(zb.pretty(zb.table("remade").units), "{}", "... nor its units")

-- Errors about loaded rows name the file and line (blank lines counted)
local def = zb.read_csv(T.file(dir, "prices.csv", "year,c\n2019,100\n\n2020,\n2021,102\n"))
T.fails(function() return def:mutate{v = "1.0"}:deflate{value = "v", price = "c", time = "year"} end,
        "deflate: the price (column c) is NULL at year = 2020 (prices.csv:4); every period needs its price",
        "a missing price: the file's line, after a blank line")
local crlf = zb.read_csv(T.file(dir, "crlf.csv", "year,c\r\n2019,100\r\n\r\n2020,\r\n2021,102\r\n"))
T.fails(function() return crlf:mutate{v = "1.0"}:deflate{value = "v", price = "c", time = "year"} end,
        "(crlf.csv:4)", "... with CRLF line ends too")
local ytd = zb.read_csv(T.file(dir, "ytd.csv", "m,v\n2021年1-2月,1\n2021年1-5月,3\n"))
T.fails(function() return ytd:from_ytd{value = "v", time = "m"} end,
        "from_ytd: m = 2021年1-5月 follows 2021年1-2月 (ytd.csv:3)", "a year-to-date gap: the line")
local dup = zb.read_csv(T.file(dir, "dup.csv", 'city,year,gdp\n杭州,2021,1\n宁波,2021,2\n"杭\n州",2020,9\n杭州,2021,3\n'))
T.fails(function() return dup:revisions{later = dup, key = {"city", "year"}, value = "gdp"} end,
        "revisions: 2 rows for city = 杭州, year = 2021 (dup.csv:2, 6)",
        "a repeated key: both lines (a record over two lines before the second counted)")
T.fails(function() return zb.sql("select 2020 as year, NULL as c, 1.0 as v")
                          :deflate{value = "v", price = "c", time = "year"} end,
        "is NULL at year = 2020; every period needs its price", "rows made by SQL name no file")

-- Through -d: the record survives closing and reopening
local db = dir .. "/kept.db"
local r = T.run(string.format("-d %s -e %s", T.shell_quote(db),
                              T.shell_quote(string.format("zb.read_csv(%q, {sep = ';', vintage = 'v1'})", csv))))
T.eq(r.code, 0, "a load into a database file", r.err)
r = T.run(string.format("-d %s -e %s", T.shell_quote(db), T.shell_quote("local m = zb.table('gdp').meta; " ..
                                                                           "print(m.vintage, m.file.fingerprint, #m.notes)")))
T.eq(r.out, "v1\txxh3-128:" .. tostring(xxhsum(csv)) .. "\t2\n", "reopened, the record is there")
r = T.run(string.format("-d %s", T.shell_quote(db)), {stdin = ".meta gdp\n"})
T.has(r.out, "  file: " .. csv .. " (" .. #T.read(csv) .. " bytes, xxh3-128:", ".meta shows the file", r.out)
T.has(r.out, "  vintage: v1", ".meta shows the vintage")
T.has(r.out, "  note: 数据来源：各市统计公报", ".meta shows the notes")

-- A catalog written by an older zb (no about column) reads, and grows one
local old = dir .. "/old.db"
r = T.run(string.format("-d %s -e %s", T.shell_quote(old), T.shell_quote(
  "zb.sql([[create table s(month text, v)]]); zb.sql([[insert into s values ('2021-01', 1)]]); " ..
  "zb.sql([[create table zb_catalog (name text primary key, columns text not null)]]); " ..
  "zb.sql([[insert into zb_catalog values ('s', '{\"month\":{\"frequency\":\"M\"}}')]])")))
T.eq(r.code, 0, "an older catalog", r.err)
r = T.run(string.format("-d %s -e %s", T.shell_quote(old), T.shell_quote(
  "print(zb.table('s').meta.columns.month.frequency, zb.table('s').meta.loader); " ..
  string.format("print(zb.read_csv(%q, {sep = ';'}).meta.loader)", csv))))
T.eq(r.out, "M\tnil\nread_csv\n", "an older catalog is read, and a new load adds the record", r.err)

-- A script run again on a database file: zb.dataset takes the table it
-- made as it is (not loaded again: the same record), and refuses a table of
-- that name that is not that dataset's, or one given other options
do
  local db = T.tmpdir() .. "/again.db"
  local script = "local t = zb.dataset('hangzhou-2021') print(t:count(), t.meta.loaded)"
  local first = T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote(script))
  os.execute("sleep 1")
  local second = T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote(script))
  T.ok(first.out:match("^36\t") and second.out == first.out,
       "zb.dataset run again on a database file: the table it made, as it is (36 rows, the same record)", second.err)
  r = T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote(
    "print(pcall(zb.dataset, 'indicators', {name = 'hangzhou-2021'})) " ..
    "print(pcall(zb.dataset, 'hangzhou-2021', {vintage = '2022'}))"))
  local _, refused = r.out:gsub("false\t[^\n]*already exists %(replace = true", "")
  T.eq(refused, 2, "... another dataset under its name, or other options, are refused with what to do", r.out .. r.err)
end
T.cleanup()
T.done()
