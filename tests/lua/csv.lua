-- zb.read_csv and the bundled datasets: every figure read back through zb.
local T = require("check")

local dir = T.tmpdir()
local function file(name, bytes) return T.file(dir, name, bytes) end
local function one(sql, ...)
  return zb.sql(sql, ...):value()
end

-- The Hangzhou dataset: each figure the article states.
local hz = zb.dataset("hangzhou-2021")
local name, rows = hz.name, #hz
T.eq(name, "hangzhou-2021", "zb.dataset loads a table named after the dataset")
T.ok(zb.table.is_table(hz), "... and returns it as a zb.Table")
T.ok(rows >= 36, "... with every figure", rows .. " rows")
local function fact(indicator)
  return zb.sql('select * from "hangzhou-2021" where indicator = ?', indicator)[1] or {}
end
local figures = {
  {"gdp", 18109, "亿元", 8.5, 8}, {"budget_revenue", 2387, "亿元", nil, 5},
  {"tax_revenue", 2234, "亿元", nil, 4}, {"income_urban", 74700, "元", 8.8},
  {"income_rural", 42692, "元", 10.3}, {"sci_tech_progress_awards", 29, "项"},
  {"invention_patents", 9.5, "万件"}, {"new_listed_companies", 52, "家"},
  {"listed_companies", 262, "家"}, {"high_level_talents", 2.3, "万人"},
  {"young_graduates", 48.3, "万人"}, {"industry_share_primary", 1.8, "%"},
  {"industry_share_secondary", 30.3, "%"}, {"industry_share_tertiary", 67.9, "%"},
  {"digital_economy_core", 4905, "亿元", 11.5}, {"digital_economy_share_gdp", 27.1, "%"},
  {"manufacturing_projects_1bn", 46, "个", 15}, {"retail_sales", 6744, "亿元", 11.4},
  {"nursery_places_per_1000", 3.5, "个"}, {"growth_stations_per_1000_infants", 1, "家"},
  {"new_schools_kindergartens", 70, "所"}, {"new_high_schools", 3, "所"},
  {"elderly_friendly_national", 9, "个"}, {"elderly_friendly_city", 50, "个"},
}
for _, f in ipairs(figures) do
  local r = fact(f[1])
  T.ok(r.value == f[2] and r.unit == f[3] and r.growth_pct == f[4] and r.rank == f[5],
       string.format("%s = %s %s", f[1], f[2], f[3]), zb.pretty(r))
end
T.eq(fact("gdp").source, "杭州市发展和改革委员会", "the source is named")
T.eq(fact("gdp").section, "创新驱动", "the article's section is kept")
T.eq(one('select count(*) from "hangzhou-2021" where kind = \'target\' and period = 2022'), 6,
     "the six 2022 targets are marked as targets")
T.eq(one('select sum(value) from "hangzhou-2021" where indicator like \'industry_share_%\''), 100.0,
     "the industry structure 1.8 : 30.3 : 67.9 adds up to 100")
zb.dataset("indicators")
T.eq(one("select count(*) from indicators where code not in (select indicator from \"hangzhou-2021\")"), 0,
     "the catalog covers every indicator")
T.eq(one("select growth_basis from indicators where code = 'gdp'"), "comparable",
     "GDP growth is at comparable prices")
T.eq(one("select growth_basis from indicators where code = 'income_urban'"), "nominal",
     "income growth is nominal")

-- The census, wide, with its licence beside it.
zb.dataset("census-cities-2010-2020")
T.eq(one('select popu_2020 from "census-cities-2010-2020" where city = ?', "杭州市"), 11936010,
     "Hangzhou's 2020 census population")
T.eq(one('select count(*) from "census-cities-2010-2020"'), 369, "369 cities")
T.ok(T.read(zb.paths.datasets .. "/census-cities-2010-2020.LICENSE"), "the census licence ships beside it")
T.eq(zb.dataset("census-cities-2010-2020"):count(), 369, "the dataset asked for again: the table it made")
T.fails(function() zb.read_csv(zb.paths.datasets .. "/census-cities-2010-2020.csv") end,
        'table "census-cities-2010-2020" already exists (replace = true loads the file in its place; name = another ' ..
        "table's name)", "loading a file into an existing table is refused, saying what to do")
T.eq(#zb.dataset("census-cities-2010-2020", {replace = true}), 369, "... unless replace = true")
T.fails(function() zb.dataset("nope") end, "no dataset 'nope' (datasets: hangzhou-2021", "an unknown dataset")

-- RFC 4180 and spreadsheet exports.
local loaded = zb.read_csv(file("rfc.csv",
  '\239\187\191region,note,value\r\n"杭州","says ""hi"", twice",1\r\n"宁波","two\r\nlines",2\r\n'))
T.eq(loaded.name, "rfc", "the table is named after the file")
T.eq(#loaded, 2, "two records")
T.eq(loaded.meta.notes, nil, "no notes")
local got = zb.sql("select * from rfc order by value")
T.eq(got[1].region, "杭州", "a BOM is dropped from the first column's name")
T.eq(got[1].note, 'says "hi", twice', "doubled quotes and a separator inside quotes")
T.eq(got[2].note, "two\r\nlines", "a newline inside quotes is kept")
for sep, name in pairs{[";"] = "semi", ["\t"] = "tab", ["|"] = "pipe"} do
  zb.read_csv(file(name .. ".csv", "a" .. sep .. "b\n1" .. sep .. "x,y\n"))
  T.eq(zb.sql("select b from " .. name)[1].b, "x,y", "separator detected: " .. name)
end
zb.read_csv(file("forced.csv", "a,b;c\n1,2;3\n"), {sep = ";"})
T.eq(zb.sql("select * from forced")[1].c, 3, "opts.sep")
zb.read_csv(file("nohead.csv", "杭州,18109\n宁波,14595\n"), {header = false, name = "nh"})
T.eq(zb.sql("select c1, c2 from nh order by c2")[2].c1, "杭州", "header = false names columns c1, c2, ...")
zb.read_csv(file("names.csv", "a,,a,a\n1,2,3,4\n"))
got = zb.sql("select * from names")[1]
T.ok(got.a == 1 and got.c2 == 2 and got.a_2 == 3 and got.a_3 == 4, "empty and repeated column names",
     zb.pretty(got))

-- Missing values in a column of numbers (issue 12): one 'N/A' made the
-- column text (avg 6.333 instead of 9.5, max 'N/A', '9' ranked above
-- '100').  The spellings pandas and statistical offices use are NULL in a
-- column of numbers, and kept as written in a column of text.
zb.read_csv(file("missing.csv", "region,v,w,note\n" ..
  "a,9,1.5,x\nb,N/A,#N/A,N/A\nc,10,NaN,ok\nd,null,x,NULL\ne,100,None,\"x\"\nf,..,...,..\n"))
local na_types = {}
for _, c in ipairs(zb.sql("select name, type from pragma_table_info('missing')")) do na_types[c.name] = c.type end
T.eq(na_types.v, "INTEGER", "N/A and null among integers leave them INTEGER")
T.eq(na_types.w, "REAL", "#N/A, NaN, x and None among reals leave them REAL")
got = zb.sql("select avg(v) as a, max(v) as m, count(v) as n, count(w) as nw from missing"):first()
T.eq(got.a, 119 / 3, "the mean leaves the missing out")
T.eq(got.m, 100, "the largest is a number")
T.eq(got.n, 3, "N/A and null are NULL")
T.eq(got.nw, 1, "#N/A, NaN, x and None are NULL")
T.eq(table.concat(zb.sql("select note from missing order by region"):col("note"), ","), "x,N/A,ok,NULL,x,..",
     "in a column of text they are kept as written")
zb.read_csv(file("coded.csv", "code,name,v\n0571,a,1\nx,x,2\n0577,N/A,3\nN/A,b,4\n"))
local codes = zb.sql("select code from coded order by v"):col("code")
T.eq(string.format("%s,%s,%s,%s", codes[1], codes[2], codes[3], codes[4]), "0571,nil,0577,nil",
     "in a column of codes with a leading zero (text, to keep it) they are NULL, as README says")
T.eq(table.concat(zb.sql("select name from coded order by v"):col("name"), ","), "a,x,N/A,b",
     "... beside a column of text that keeps them")

-- Types from the whole column.
zb.read_csv(file("types.csv", table.concat({
  "code,count,amount,mixed,loose,pct,blank",
  "0571,1,1.5,1,\"18,109\",27.1%,NA",
  "0574,2,2,y,\"1,234,567.5\",3%,-",
  "",
  "0577,3,-3e2,2,12,0.5%,",
}, "\n") .. "\n"), {numbers = "loose"})
local types = {}
for _, c in ipairs(zb.sql("select name, type from pragma_table_info('types')")) do types[c.name] = c.type end
T.eq(types.code, "TEXT", "a code with leading zeros stays text")
T.eq(types.count, "INTEGER", "integers")
T.eq(types.amount, "REAL", "reals (and an integer among them)")
T.eq(types.mixed, "TEXT", "a column with any text is text")
T.eq(types.loose, "REAL", "thousands separators are numbers when numbers = 'loose'")
T.eq(types.pct, "REAL", "a trailing % is a number when numbers = 'loose'")
got = zb.sql("select * from types order by count")
T.eq(got[1].code, "0571", "the code keeps its zero")
T.eq(got[1].loose, 18109.0, '"18,109" is 18109')
T.eq(got[2].loose, 1234567.5, '"1,234,567.5"')
T.eq(got[1].pct, 27.1, '"27.1%" is 27.1')
T.eq(got[3].amount, -300.0, "-3e2")
T.ok(got[1].blank == "NA" and got[2].blank == nil and got[3].blank == nil,
     "- and empty are NULL; NA in a column of no number is text as written (Namibia's code; zb's own CSV read back)")
local flags = zb.read_csv(file("marks_only.csv", "k,flag\na,x\nb,\nc,N/A\n")):col("flag")
T.eq(tostring(flags[1]) .. "," .. tostring(flags[2]) .. "," .. tostring(flags[3]), "x,nil,N/A",
     "a column of no number, only marks of missing numbers (x, N/A): text as written, an empty field NULL")
T.eq(#got, 3, "a blank line is skipped")
zb.read_csv(file("strict.csv", 'v\n"18,109"\n'))
T.eq(zb.sql("select v from strict")[1].v, "18,109", "without loose, '18,109' is text")
zb.read_csv(file("na.csv", "v\n1\n缺失\n—\n…\n"), {na = {"缺失"}})
T.eq(zb.sql("select count(v) as n from na")[1].n, 1, "opts.na adds NULL spellings; — and … are NULL")
zb.read_csv(file("big.csv", "v\n9223372036854775807\n99999999999999999999\n"))
T.eq(zb.sql("select typeof(v) as t from big limit 1")[1].t, "text", "a number beyond int64 keeps the column text, exact")

-- Reals read exactly as Lua (strtod) reads them, whichever path reads them.
local reals = {"0.1", "-0.000123", "123456789012345", "1234567.891011", "0.30000000000000004",
               "9007199254740993", "1e-310", "-2.5e3", "3.14159265358979", "12345678901234567890.5"}
zb.read_csv(file("reals.csv", "v\n" .. table.concat(reals, "\n") .. "\n"))
local got_reals = zb.table("reals"):col("v")
local exact = true
for i, text in ipairs(reals) do
  if got_reals[i] ~= tonumber(text) + 0.0 then
    exact = false
    T.ok(false, "the real " .. text .. " reads exactly", string.format("%.17g", got_reals[i]))
  end
end
T.ok(exact, "reals read exactly (short decimals, long ones, exponents, a subnormal)")
T.eq(zb.sql("select typeof(v) from reals limit 1"):value(), "real", "... into a REAL column")

local csv_error = T.run("-e " .. T.shell_quote('zb.read_csv("' .. file("ragged.csv", "a,b\n1,2,3\n") .. '")'))
T.has(csv_error.err, "zb: " .. dir .. "/ragged.csv:2:1: expected 2 fields (as in the header), found 3",
      "a CSV error starts with the file, line and column, not zb's own file")
T.fails(function() zb.read_csv(dir .. "/ragged.csv", {seperator = ";"}) end, "read_csv: unknown option 'seperator'",
        "a misspelt option is an error")

-- What spreadsheets and colleagues produce.
T.eq(#zb.read_csv(file("titled.csv", "GDP, by province (100 million yuan)\nprov;gdp\nA;1\nB;2\n")), 2, "a title with a comma above ';' data: the separator is the one every line agrees on")
zb.read_csv(file("tabbed.csv", "Name, first\tName, last\tAge\nBob\tSmith\t30\nAnn\tLee\t41\n"))
T.eq(zb.sql("select * from tabbed order by Age")[1]["Name, first"], "Bob", "tabs, with commas in the header")
zb.read_csv(file("stray.csv", 'size 5";qty;city\n1;3;x\n2;4;y\n'))
T.eq(zb.sql("select city from stray order by qty")[2].city, "y", "a quote inside a header field does not hide the separator")
zb.read_csv(file("cased.csv", "A,a\n1,2\n"))
got = zb.sql("select * from cased")[1]
T.ok(got.A == 1 and got.a_2 == 2, "names that differ only in case are told apart", zb.pretty(got))
zb.read_csv(file("zerogroup.csv", 'v\n"0,123"\n"1,234"\n'), {numbers = "loose"})
T.eq(zb.sql("select typeof(v) as t from zerogroup limit 1")[1].t, "text", '"0,123" is not a grouped number')

-- GBK and the statistics bureau's export: preamble and footer lines are notes.
local nbs = zb.paths.datasets .. "/nbs-province-gdp-2006-2024.gbk.csv"
loaded = zb.read_csv(nbs, {name = "gdp"})
local notes = loaded.meta.notes
T.eq(#loaded, 31, "31 provinces from the GBK file, its encoding detected")
T.eq(zb.sql('select "2021年" as v from gdp where "地区" = ?', "浙江省")[1].v, 76765.3,
     "Zhejiang's 2021 GDP")
T.eq(math.floor(one('select sum("2021年") from gdp') / 1e4 * 10 + 0.5) / 10, 116.7,
     "the provinces sum to about 116.7 万亿 in 2021")
T.eq(notes[1], "数据库：分省年度数据", "the preamble is kept as notes (t.meta)")
T.eq(notes[#notes], "数据来源：国家统计局", "... and so is the footer")
T.eq(#zb.read_csv(nbs, {name = "gdp2", encoding = "gbk"}), 31, "encoding = 'gbk'")

-- A Western Windows file (Windows-1252, as Excel there saves a CSV) is no
-- GBK: refused without encoding (read as GBK it was "C魌e d'Ivoire"), and
-- with encoding = "windows-1252" its names as Python decodes them; a GBK
-- file with a character beyond GB2312 (镕) is still GBK
local western = T.tmpdir() .. "/western.csv"
local chinese = T.tmpdir() .. "/rare.csv"
local decoded = T.python([==[
import sys
open(sys.argv[1], "wb").write("name,code,v\nCôte d'Ivoire,CIV,1\nTürkiye,TUR,2\nEspaña,ESP,3\n".encode("cp1252"))
open(sys.argv[2], "wb").write("姓名,地区,值\n朱镕基,北京市,1\n张三,上海市,2\n".encode("gbk"))
print(",".join(l.split(",")[0] for l in open(sys.argv[1], encoding="cp1252").read().splitlines()[1:]))
]==], western, chinese)
T.fails(function() zb.read_csv(western) end, "western.csv:2:2: neither UTF-8 nor Chinese in GBK, as its bytes read " ..
        "(accented letters, as a Western Windows file holds?): say encoding = \"windows-1252\"",
        "a Windows-1252 file without encoding: refused, not read as GBK")
T.eq(table.concat(zb.read_csv(western, {encoding = "windows-1252"}):col("name"), ",") .. "\n", decoded,
     "encoding = 'windows-1252': the names as Python's cp1252 decodes them")
T.eq(table.concat(zb.read_csv(chinese):col("姓名"), ","), "朱镕基,张三", "a GBK file with 镕 (beyond GB2312) is read as GBK")

-- Errors name the file, line and column, and load nothing.
local before = one("select count(*) from sqlite_schema")
local function fails(name, bytes, text, what, opts)
  local path = file(name, bytes)
  T.fails(function() zb.read_csv(path, opts) end, (text:match("^[:]") and path or "") .. text, what)
end
fails("open.csv", 'a,b\n1,"x\n2,3\n', ":2:3: unterminated quoted field", "an unterminated quote")
fails("ragged.csv", "a,b\n1,2\n3,4,5\n", ":3:1: expected 2 fields (as in the header), found 3", "a row too long")
fails("after.csv", 'a,b\n"x"y,2\n', ":2:4: expected a separator or the end of the line after a closing quote",
      "text after a closing quote")
fails("bad8.csv", "a\n\255\254\n", ":2:1: invalid UTF-8", "invalid UTF-8", {encoding = "utf-8"})
fails("badgb.csv", "a\n\129\n", ":2:1: neither UTF-8 nor Chinese in GBK", "bytes neither UTF-8 nor GB18030")
fails("mid.csv", "a,b\n1,2\n3\n4,5\n", ":3:1: expected 2 fields (as in the header), found 1",
      "a short row before more data")
fails("last.csv", "a,b\n1,2\n3\n", ":3:1: expected 2 fields (as in the header), found 1",
      "a short last row (a number is no note)")
fails("onecol.csv", "name\nalice\nbob,jr\ncarol\n", ":4:1: expected 2 fields (as in the header), found 1",
      "a stray comma in a one-column file: notes but no data is an error")
fails("mostly8.csv", "城市,人口\n杭州,1\nd\233tails,3\n", ":3:2: invalid UTF-8 (the file is UTF-8 before this)",
      "a file that is UTF-8 up to a bad byte is not guessed as GB18030")
-- Every position is the file's own line and column.
for _, case in ipairs{
  {"blank.csv", "a,b\n\n1,2,3\n", ":3:1: expected 2 fields (as in the header), found 3", "a blank line is a line of the file"},
  {"blankcrlf.csv", "a,b\r\n\r\n\r\n1,2\r\n3,4,5\r\n", ":5:1: expected 2 fields", "... with CRLF line ends too"},
  {"spans.csv", 'a,b\n"two\nlines",1\n\n3,4,5\n', ":5:1: expected 2 fields", "a quoted field spanning lines counts each of them"},
  {"spanq.csv", 'a,b\n"two\r\nlines",1\r\n2,"x\r\n', ":4:3: unterminated quoted field",
   "... and a problem after it is at its own line and column"},
  {"bom.csv", "\239\187\191a,b\n1,2\n3,4,5\n", ":3:1: expected 2 fields", "a byte order mark is no line"},
  {"bomcol.csv", '\239\187\191"a"b,c\n', ":1:4: expected a separator", "... nor a column"},
  {"bom8.csv", "\239\187\191a\255\n", ":1:2: invalid UTF-8", "... also in an encoding error", {encoding = "utf-8"}},
} do fails(table.unpack(case)) end
fails("cr.csv", "a,b\r1,2\r3,x,4\r", ":3:1: expected 2 fields", "old Mac line ends count as lines")
fails("na.csv", "a\n1\n", "read_csv: option 'na' must hold strings", "opts.na with a number", {na = {12345}})
fails("sep.csv", "a\n1\n", "read_csv: option 'sep' must be a string, not a number", "opts.sep of the wrong type", {sep = 5})
fails("hdr.csv", "a\n1\n", "read_csv: option 'header' must be true, false or a number of lines from 1 to 16",
      "opts.header of the wrong type", {header = "no"})
fails("hdr2.csv", "a\n1\n", "read_csv: option 'header' must be true, false or a number of lines from 1 to 16",
      "opts.header a fraction", {header = 1.5})
local wide = {}
for i = 1, 2001 do wide[i] = "c" .. i end
fails("wide.csv", table.concat(wide, ",") .. "\n", ": 2001 columns; SQLite allows at most 2000", "too many columns")
T.fails(function() zb.read_csv(dir .. "/none.csv") end, "cannot open " .. dir .. "/none.csv", "a missing file")
T.fails(function() zb.read_csv(file("empty.csv", "")) end, "empty.csv: the file is empty", "an empty file")
T.fails(function() zb.read_csv(file("x.csv", "a\n1\n"), {encoding = "latin9"}) end,
        "unknown encoding 'latin9'", "an unknown encoding")
T.fails(function() zb.read_csv(file("x.csv", "a\n1\n"), {numbers = "sloppy"}) end,
        'read_csv: option \'numbers\' must be "strict" or "loose"', "a bad option")
T.eq(one("select count(*) from sqlite_schema"), before, "no failed load left a table behind")
zb.read_csv(file("keep.csv", "v\n1\n2\n"))
T.fails(function() zb.read_csv(file("keep2.csv", "v\n1\n\"x\n"), {name = "keep", replace = true}) end,
        "unterminated", "a bad file replacing a table")
T.eq(one("select count(*) from keep"), 2, "... leaves the old table as it was")
T.cleanup()
T.done()
