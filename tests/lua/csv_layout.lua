-- zb.read_csv on files as statistical offices and spreadsheets leave them:
-- lines above the header and below the data (found, or skip and
-- skip_footer), kept as notes; a separator ending every line; files that
-- are no CSV text named for what they are.
local T = require("check")

local dir = T.tmpdir()
local function file(name, bytes) return T.file(dir, name, bytes) end
local function refused(path, text, what)
  T.fails(function() zb.read_csv(path) end, path .. ": " .. text, what)
end

-- ---- files that are no CSV ----
if T.have_python("zipfile") then
  local xlsx = dir .. "/book.xlsx"
  T.python([[
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", "<workbook/>")
]], xlsx)
  refused(xlsx, "an xlsx workbook or another ZIP archive, not CSV text", "an xlsx (a ZIP archive) is named")
end
refused(file("old.xls", "\208\207\17\224\161\177\26\225" .. string.rep("\0", 504)),
        "an Excel workbook in an OLE2 file (an old .xls, or an encrypted .xlsx)", "an xls (OLE2) is named")
refused(file("le.csv", "\255\254a\0,\0b\0\n\0001\0,\0002\0\n\0"), "UTF-16 text (little-endian",
        "UTF-16 with its byte order mark (FF FE)")
refused(file("be.csv", "\254\255\0a\0,\0b\0\n"), "UTF-16 text (big-endian)", "... and big-endian (FE FF)")
refused(file("nobom.csv", "a\0,\0b\0\n\0001\0,\0002\0\n\0"), "UTF-16 text (a NUL byte beside each letter)",
        "UTF-16 without a byte order mark, by its NUL bytes")
refused(file("doc.csv", "%PDF-1.4\n%\226\227\n1 0 obj\n"), "a PDF document, not CSV text", "a PDF is named")
refused(file("page.csv", "\n  <!DOCTYPE html>\n<html><body>Not found</body></html>\n"),
        "an HTML page (a download that returned a web page", "an HTML page (a download gone wrong) is named")
refused(file("page2.csv", "<HTML>\n<p>x</p>\n"), "an HTML page", "... in capitals and without a doctype")
local db = dir .. "/stats.db"
T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote("zb.sql('create table t (a)')"))
refused(db, "a SQLite database, not CSV text: open it with zb -d FILE, or zb.attach(FILE)",
        "a SQLite database (written by zb) is named, with what opens it")
T.fails(function() zb.read_csv(file("nul.csv", "a,b\n1,x\0y\n")) end, ":2:4: a NUL byte",
        "a NUL byte in text that is otherwise CSV is still found where it is")
T.eq(#zb.read_csv(file("html.csv", "tag,n\n<html>,1\n")), 1, "a CSV whose data holds HTML is CSV")
refused(file("xml.csv", '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>\n'),
        "an XML document (an Excel 2003 XML spreadsheet", "an Excel 2003 XML spreadsheet is named")

-- every reader names what a file is that is not its format, and which reader takes it
local others = {
  {"book.xlsx", nil, "an xlsx workbook or another ZIP archive, not %s: read a workbook with zb.read_xlsx"},
  {"old.xls", nil, "an Excel workbook in an OLE2 file (an old .xls, or an encrypted .xlsx), not %s: " ..
                   "read it with zb.read_xlsx, which says which"},
  {"doc.pdf", "%PDF-1.4\n%\226\227\n1 0 obj\n", "a PDF document, not %s"},
  {"stats.db", nil, "a SQLite database, not %s: open it with zb -d FILE, or zb.attach(FILE)"},
  {"page.xls", "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>1</td></tr></table>",
   "an HTML page (a download that returned a web page, or a table saved as a web page"},
  {"bare.xls", "<table border=1><tr><td>地区</td></tr></table>", "an HTML page"},
  {"sheet.xml", '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>\n', "an XML document"},
  {"nobom.txt", "[\0{\0\"\0a\0\"\0:\0 \0001\0}\0]\0", "UTF-16 text (a NUL byte beside each letter), which zb does not read"},
  {"le.txt", "\255\254a\0,\0b\0\n\0", "UTF-16 text (little-endian; Excel's \"Unicode text\"), which zb does not read"},
  {"data.csv", "地区,value\n浙江,1\n", "text, not JSON: if it is CSV, read it with zb.read_csv", json_only = true},
  {"data.json", '[{"a": 1}]', "JSON text, not %s: read it with zb.read_json", xlsx_only = true},
}
for _, o in ipairs(others) do
  local path = o[2] and file(o[1], o[2]) or dir .. "/" .. o[1]
  for _, r in ipairs{{"read_xlsx", "an Excel workbook"}, {"read_json", "JSON"}, {"read_jsonstat", "JSON"}} do
    local reader, asked = r[1], r[2]
    local own = reader == "read_xlsx" and (o[1] == "book.xlsx" or o[1] == "old.xls")
    if not own and not (o.json_only and reader == "read_xlsx") and not (o.xlsx_only and reader ~= "read_xlsx") then
      T.fails(function() zb[reader](path) end, path .. ": " .. o[3]:format(asked), reader .. " names " .. o[1])
    end
  end
end

-- ---- the World Bank's API download, with no options ----
-- Its layout: a BOM, two lines of three fields (the last empty) each
-- followed by a blank line, then the header and the rows, every line
-- ending in a separator.
local years = {"2019", "2020", "2021", "2022", "2023"}
local wdi = {
  {"Aruba", "ABW", {"3395798882.68156", "2481857262.01117", "2929447761.19403", "3279343575.41899", "3544707788.05354"}},
  {"Afghanistan", "AFG", {"18904502222.6127", "20143451706.7255", "14266499429.8746", "14502158192.0904", ""}},
  {"Africa Eastern and Southern", "AFE", {"", "", "", "1191423176242.05", "1245472471346.24"}},
}
local function quoted(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = '"' .. v .. '"' end
  return table.concat(out, ",") .. ","
end
local function wdi_text(eol)
  local lines = {'\239\187\191"Data Source","World Development Indicators",', "",
                 '"Last Updated Date","2024-06-28",', "",
                 quoted{"Country Name", "Country Code", "Indicator Name", "Indicator Code", table.unpack(years)}}
  for _, c in ipairs(wdi) do
    lines[#lines + 1] = quoted{c[1], c[2], "GDP (current US$)", "NY.GDP.MKTP.CD", table.unpack(c[3])}
  end
  return table.concat(lines, eol) .. eol
end
local function check_wdi(t, what)
  T.eq(#t, #wdi, what .. ": a row a country")
  T.eq(#t.columns, 4 + #years, what .. ": the separator ending each line makes no column")
  T.eq(t.columns[1] .. "|" .. t.columns[5] .. "|" .. t.columns[#t.columns], "Country Name|2019|" .. years[#years],
       what .. ": the header is the fifth line")
  local same = true
  for _, c in ipairs(wdi) do
    for i, y in ipairs(years) do
      local got = zb.sql('select "' .. y .. '" from "' .. t.name .. '" where "Country Code" = ?', c[2]):value()
      if got ~= (c[3][i] ~= "" and tonumber(c[3][i]) or nil) then same = false end
    end
  end
  T.ok(same, what .. ": every figure as written, an empty one NULL")
  T.eq(table.concat(t.meta.notes, " | "), "Data Source, World Development Indicators | Last Updated Date, 2024-06-28",
       what .. ": the lines above the header are its notes (t.meta.notes)")
end
local wdi_path = file("API_NY.GDP.MKTP.CD_DS2_en_csv_v2.csv", wdi_text("\n"))
check_wdi(zb.read_csv(wdi_path, {name = "wdi"}), "the World Bank's file")
check_wdi(zb.read_csv(file("wdi-crlf.csv", wdi_text("\r\n"))), "... with CRLF line ends")
check_wdi(zb.read_csv(wdi_path, {name = "wdi_skip", skip = 4}), "... and with skip = 4, as pandas' skiprows")
if T.have_python("pandas") then
  -- pandas, told the lines to skip, reads the same figures (and an "Unnamed" column)
  local out = T.python([[
import sys, pandas
d = pandas.read_csv(sys.argv[1], skiprows=4)
print(len(d), len([c for c in d.columns if not c.startswith("Unnamed")]), repr(float(d["2022"].sum())))
]], wdi_path)
  local total = zb.sql('select sum("2022") from wdi'):value()
  T.eq(out, string.format("%d %d %s\n", #wdi, 4 + #years, string.format("%.17g", total):gsub("^(%d+)$", "%1.0")),
       "pandas with skiprows = 4 reads the rows, columns and 2022 total zb does")
end
T.fails(function() zb.read_csv(file("wdi-bad.csv", wdi_text("\n"):gsub('"ABW",', '"ABW",x,', 1))) end,
        "wdi-bad.csv:6:1: expected 10 fields (as in the header), found 11",
        "a bad row below a found header is at its own line")

-- ---- the NBS export: GBK, three lines above, two below ----
local nbs = "/work/shared/data/nbs-province-gdp-2006-2024.gbk.csv"
if T.read(nbs) then
  local g = zb.read_csv(nbs, {name = "nbs_found"})
  local s = zb.read_csv(nbs, {name = "nbs_skip", skip = 3, skip_footer = 2})
  T.eq(#g, 31, "the NBS export loads its 31 provinces with no options")
  T.eq(#s, 31, "... and with skip = 3, skip_footer = 2")
  T.eq(zb.sql('select "2024年" from nbs_skip where "地区" = ?', "北京市"):value(), 49670.2, "... Beijing's 2024 GDP")
  T.eq(table.concat(s.meta.notes, "|"), table.concat(g.meta.notes, "|"), "... the same notes either way")
  T.eq(s.meta.notes[1] .. "|" .. s.meta.notes[5], "数据库：分省年度数据|数据来源：国家统计局",
       "... the preamble and the footer, in order")
end

-- ---- a CSV Excel saved: every line padded with commas to the table's width ----
local padded = file("padded.csv", "表1 分省GDP,,,\n单位：亿元,,,\n,,,\n地区,2021年,2022年,2023年\n北京,1,2,3\n" ..
                    "天津,4,5,6\n,,,\n注：初步核算,,,\n来源：统计局,,,\n")
local p = zb.read_csv(padded)
T.eq(table.concat(p.columns, ",") .. "|" .. #p .. "|" .. table.concat(p.meta.notes, ";"),
     "地区,2021年,2022年,2023年|2|表1 分省GDP;单位：亿元;注：初步核算;来源：统计局",
     "padded title and units lines above, a padded blank line and notes below: notes, the header and rows found")
T.eq(p:where{["地区"] = "天津"}:select("2023年"):value(), 6, "... the figures numbers")
-- a last line with only its first field filled: in a file laid out as a
-- report (lines above the header, padded lines) it may be a row with no
-- values or a note: refused; in a plain CSV (zb's, pandas') a row, and so
-- it is when its field is a key no note is (a date, a period, a code) or
-- when notes follow it
T.fails(function() zb.read_csv(file("keyed.csv", "表1 分省GDP\n\n地区,GDP,人口\n北京,1,2\n西藏,,\n")) end,
        "keyed.csv:5:1: only the first field is filled, on a line right under the rows: a row with no values or a note " ..
        "under the table? say skip_footer = 1 to keep this line and those below it as notes, or skip_footer = 0 to read " ..
        "it as a row", "a last line with only its first field filled under a report's title: refused")
local keyed = zb.read_csv(dir .. "/keyed.csv", {skip_footer = 0})
T.eq(#keyed .. "|" .. table.concat(keyed.meta.notes, ";"), "2|表1 分省GDP", "... with skip_footer = 0 a row")
T.eq(table.concat(zb.read_csv(dir .. "/keyed.csv", {skip_footer = 1, replace = true}).meta.notes, ";"), "表1 分省GDP;西藏",
     "... with skip_footer = 1 a note")
local plain_rows = {
  {"plain_key.csv", "地区,GDP,人口\n北京,1,2\n西藏,,\n"},
  {"plain_date.csv", "表1\n\ndate,value\n2021-01-01,1.5\n2021-03-01,\n"},
  {"plain_month.csv", "表1\n\nmonth,cpi\n2024年1月,0.3\n2024年3月,\n"},
  {"plain_code.csv", "表1\n\ncode,v\n0571,1\n0575,\n"},
  {"plain_noted.csv", "表1\n\n地区,2023,2024\n北京,1,2\n台湾省,,\n注：台湾省数据暂缺,,\n"},
}
for _, case in ipairs(plain_rows) do
  local path = file(case[1], case[2])
  T.eq(#zb.read_csv(path) .. "\n", T.python([==[
import sys, pandas as pd
d = pd.read_csv(sys.argv[1], skiprows=2 if open(sys.argv[1]).read().startswith("表1") else 0, dtype=str)
print(len([r for r in d.itertuples() if not str(r[1]).startswith("注")]))
]==], path), "a last line with only its first field, a row as pandas reads it: " .. case[1])
end
local noted = zb.read_csv(file("noted.csv", "地区,GDP,人口\n北京,1,2\n天津,3,4\n注：初步核算,,\n资料来源：统计局,,\n"))
T.eq(#noted .. "|" .. table.concat(noted.meta.notes, ";"), "2|注：初步核算;资料来源：统计局",
     "a padded line right under text-keyed rows that reads as a note (注：...) and those below: notes")
T.eq(table.concat(zb.read_csv(file("sentence.csv", "地区,GDP\n北京,1\n本表按当年价格计算。,\n")).meta.notes, ";"),
     "本表按当年价格计算。", "... and a sentence ending in 。")
local gaps = zb.read_csv(file("gaps.csv", "地区,GDP,人口\r\n北京,1,2\r\n,,\r\n天津,3,4\r\n,,\r\n河北,5,6\r\n"))
T.eq(#gaps .. "|" .. zb.sql("select count(*) from gaps where 地区 is null"):value(), "3|0",
     "padded blank lines between rows are skipped, as blank lines are (read_xlsx skips the blank rows)")
T.eq(zb.sql("select sum(GDP) from gaps"):value(), 9, "... the rows all there")
local titled = zb.read_csv(file("titled.csv", "表1 分省GDP,,,单位：亿元\n地区,2020,2021,2022\n北京,1,2,3\n天津,4,5,6\n"))
T.eq(table.concat(titled.columns, ",") .. "|" .. table.concat(titled.meta.notes, ";") .. "|" .. #titled,
     "地区,2020,2021,2022|表1 分省GDP, 单位：亿元|2",
     "a padded title of two fields over a header naming every column once: a note, not the header")
local two_lines = file("two_lines.csv", "地区,2021年,,2022年,\n,绝对数,增长%,绝对数,增长%\n北京,1,2,3,4\n天津,5,6,7,8\n")
T.fails(function() zb.read_csv(two_lines) end,
        "two_lines.csv:1:1: lines 1 and 2 look like a header of two lines (line 2 names column 3, which the line above " ..
        "leaves empty): say header = 2 to join them into names (\"2021年_绝对数\", as read_xlsx does), or header = 1 to " ..
        "take line 1 alone as the header", "a header of two lines: refused, not its second line as data")
local joined = zb.read_csv(two_lines, {header = 2})
T.eq(table.concat(joined.columns, ",") .. "|" .. #joined .. "|" .. joined:where{["地区"] = "天津"}:col("2022年_增长%")[1],
     "地区,2021年_绝对数,2021年_增长%,2022年_绝对数,2022年_增长%|2|8",
     "header = 2: the two lines joined as read_xlsx joins a yearbook's header, each year over its two columns")
T.eq(table.concat(joined.columns, ",") .. "\n", T.python([==[
import sys, pandas as pd
d = pd.read_csv(sys.argv[1], header=[0, 1])
names = []
top = ""
for a, b in d.columns:
    a = "" if a.startswith("Unnamed") else a
    b = "" if b.startswith("Unnamed") else b
    top = a or (top if b else "")
    names.append("_".join(x for x in (top, b) if x))
print(",".join(names))
]==], two_lines), "... the names pandas' header = [0, 1] gives, its upper level carried right over the blanks")
T.fails(function() zb.read_csv(file("units_under.csv", "地区,GDP,人口\n,亿元,万人\n北京,1.5,2\n天津,3,4\n")) end,
        "units_under.csv:1:1: lines 1 and 2 look like a header of two lines (line 2 names column 2, under its name: " ..
        "units)", "units under the names: refused, not a row of text making the figures text")
T.eq(table.concat(zb.read_csv(dir .. "/units_under.csv", {header = 2}).columns, ","), "地区,GDP_亿元,人口_万人",
     "... header = 2 joins them")
T.eq(zb.read_csv(dir .. "/units_under.csv", {header = 1, name = "units_one", replace = true}):count(), 3,
     "... header = 1 keeps the line as a row, as asked")
local key_values = zb.read_csv(file("key_values.csv", "指标,地区生产总值,,\n单位,亿元,,\n地区,2020,2021,2022\n" ..
                                    "北京,1.5,2,3\n天津,4,5,6\n"))
T.eq(table.concat(key_values.columns, ",") .. "|" .. #key_values .. "|" .. table.concat(key_values.meta.notes, ";"),
     "地区,2020,2021,2022|2|指标, 地区生产总值;单位, 亿元",
     "padded lines of a name and a value above the header (as Excel saves them): notes, not the header")
-- a title of more than half the fields over a full header: a note; a
-- header with unnamed columns over rows that fill them: the header
local title3 = zb.read_csv(file("title3.csv", "表1 分省GDP,,单位：亿元\n地区,2020,2021\n北京,1,2\n天津,3,4\n"))
T.eq(table.concat(title3.columns, ",") .. "|" .. #title3 .. "|" .. table.concat(title3.meta.notes, ";"),
     "地区,2020,2021|2|表1 分省GDP, 单位：亿元", "a title over a header of three columns: a note, as over four")
local unnamed = zb.read_csv(file("unnamed.csv", "地区,,,GDP\n北京,x,y,1\n天津,z,w,2\n"))
T.eq(table.concat(unnamed.columns, ",") .. "|" .. #unnamed, "地区,c2,c3,GDP|2",
     "a header leaving columns unnamed over rows that fill them: the header, its first row data")

-- a two-column file under "name","value" lines, a blank line below them
-- or none: notes over the header, or rows of text? refused, naming the
-- skip for each; the skip for notes reads the table under them
for _, case in ipairs{
  {"pairs_above.csv", "Series,CPI China\nUnit,percent\n\nyear,value\n2019,1.5\n2020,2.5\n", "1:1: lines 1 to 2 are " ..
   "text only, a blank line below them, and line 4 names the columns over the first figures: if the lines above it are " ..
   "notes (a \"name\",\"value\" preamble), say skip = 3 (their text is kept as notes); if they are rows of the table, say " ..
   "skip = 0", 3, "year"},
  {"stacked_names.csv", "Series,CPI China\nUnit,percent\ndate,value\n2020,1.5\n2021,2.5\n", "2:1: lines 2 to 3 below " ..
   "the header hold only text, over the figures from line 4, and would make column 1 text: if line 3 is the header and " ..
   "the lines above it notes, say skip = 2; if they are rows of the table, say skip = 0", 2, "date"}} do
  local path = file(case[1], case[2])
  T.fails(function() zb.read_csv(path) end, case[1] .. ":" .. case[3],
          "name-value lines over the header (" .. case[1] .. "): refused, not the first taken for the header")
  local under = zb.read_csv(path, {skip = case[4]})
  T.eq(table.concat(under.columns, ",") .. "|" .. #under .. "|" .. table.concat(under.meta.notes, ";"),
       case[5] .. ",value|2|Series, CPI China;Unit, percent", "... skip = " .. case[4] .. " reads the table under its notes")
end
T.eq(#zb.read_csv(file("halted.csv", "地区,指数\n北京,停牌\n天津,10.5\n"), {skip = 0}), 2,
     "... and skip = 0 keeps a first row of text as a row")
T.fails(function() zb.read_csv(file("units_title.csv", "表1 GDP,单位：亿元\n地区,GDP\n北京,100\n天津,200\n")) end,
        "units_title.csv:2:1: line 2 below the header holds only text, over the figures from line 3",
        "a title with units (a full-width colon) over a header of two columns: refused, not the title made the header")

-- a separator ending every line below the header but not the header: the
-- header's columns, as pandas reads them; a header a name short of rows
-- that fill every column: refused, saying so
local ended = file("ended.csv", "a,b,c\n1,2,3,\n4,5,6,\n7,8,9,\n")
T.eq(T.python([==[
import sys, pandas as pd
d = pd.read_csv(sys.argv[1], index_col=False)
print(",".join(d.columns) + "|" + str(len(d)) + "|" + str(int(d["c"].sum())))
]==], ended), (function()
  local t = zb.read_csv(ended)
  return table.concat(t.columns, ",") .. "|" .. #t .. "|" .. zb.sql("select sum(c) from ended"):value() .. "\n"
end)(), "a separator ending the lines below the header only: the header's columns and every row, as pandas reads them")
T.fails(function() zb.read_csv(file("short_header.csv", "region,gdp,pop\n北京,1,2,x\n上海,3,4,y\n")) end,
        "if line 1 is the header, it names fewer columns than the rows have: name each in it",
        "a header a name short of the rows: said, beside the skip that would read it as a note")

-- two tables one under the other, a blank line (padded or not) and a
-- title between: refused with the skip_footer that reads the first
for _, case in ipairs{{"two_tables.csv", ",,\n表2 人均,,\n", 5, 6}, {"two_tables_blank.csv", "\n", 4, 5}} do
  local text = "地区,GDP,人口\n北京,1,2\n上海,3,4\n" .. case[2] .. "地区,人均GDP,增速\n北京,10,5.1\n上海,20,4.9\n"
  local path = file(case[1], text)
  T.fails(function() zb.read_csv(path) end, string.format("%s:%d:1: a line below a blank line makes column 2, of numbers " ..
          "above it, text: a second table, or notes? say skip_footer = %d", case[1], case[4], case[3]),
          "a second table below the first (" .. case[1] .. "): refused, not loaded as rows of text")
  local first = zb.read_csv(path, {skip_footer = case[3], replace = true})
  T.eq(#first .. "|" .. zb.sql("select typeof(GDP) from " .. first.name .. " limit 1"):value(), "2|integer",
       "... the skip_footer it names reads the first table")
end

-- ordinary files with a first row of text over a column that holds a
-- figure further down: read as pandas reads them, not refused
for _, case in ipairs{{"iso.csv", "iso2,country,region\nAD,Andorra,Europe\nNA,Namibia,Africa\nNE,Niger,Africa\n"},
                      {"codes.csv", "name,code\nfoo,abc\nbar,123\nbaz,456\n"},
                      {"trace.csv", "station,obs\nA,trace\nB,0.5\nC,1.2\n"},
                      {"aruba.csv", "region,2019,2020\nAruba,(X),(X)\nChina,1,2\n"}} do
  local path = file(case[1], case[2])
  local t = zb.read_csv(path)
  local cells = {}
  for r in t:rows() do
    for i = 1, #t.columns do cells[#cells + 1] = tostring(r[i]) end
  end
  T.eq(#t .. "|" .. table.concat(cells, ",") .. "\n", T.python([==[
import sys, pandas as pd
d = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
print(str(len(d)) + "|" + ",".join(v for r in d.itertuples(index=False) for v in r))
]==], path), "an ordinary file read as pandas reads it: " .. case[1])
end

-- the World Bank's download opened and saved again by Excel: the lines
-- above the header padded with commas, the blank ones too
local api = T.read(zb.paths.datasets .. "/wdi-gdp-api.csv")
local fields = select(2, api:match("\n(\"Country Name\"[^\n]*)"):gsub(",", ","))
local resaved = api:gsub("^(\239\187\191[^\n]-),\n\n", function(line)
  return line .. string.rep(",", fields - 1) .. "\n" .. string.rep(",", fields) .. "\n"
end)
T.ok(resaved ~= api, "(the download's preamble padded)")
local padded_wb = zb.read_worldbank(file("api_resaved.csv", resaved), {name = "api_resaved"})
local original_wb = zb.read_worldbank(zb.paths.datasets .. "/wdi-gdp-api.csv", {name = "api_original"})
T.eq(padded_wb:to_csv(), original_wb:to_csv(), "the World Bank's download saved again by Excel reads as the download")
local keyed_first = zb.read_csv(file("keyed_first.csv", "地区,GDP,人口\n西藏,,\n北京,1,2\n"))
T.eq(#keyed_first, 2, "... and so is a first one")
local years_note = zb.read_csv(file("years_note.csv", "年份,GDP\n2019,1.5\n2020,2.5\n注：数据来源：统计局,\n"))
T.eq(#years_note .. "|" .. years_note.meta.notes[1] .. "|" .. zb.sql("select group_concat(distinct typeof(年份)) from years_note"):value(),
     "2|注：数据来源：统计局|integer", "a padded note right below years that reads as one: a note, the years numbers")
T.fails(function() zb.read_csv(file("years_text.csv", "表1\n\n年份,GDP\n2019,1.5\n2020,2.5\n数据截至2023年,\n")) end,
        "years_text.csv:6:1: only the first field is filled", "... one that does not read as a note, in a " ..
        "report's layout: refused")
T.eq(#zb.read_csv(file("years_row.csv", "年份,GDP\n2019,1.5\n2020,2.5\n数据截至2023年,\n")), 3,
     "... in a plain CSV a row, as pandas reads it")

T.fails(function() zb.read_csv(file("two_field_note.csv", "地区,2022年,2023年,增速\r\n北京,41610.9,43760.7,5.2\r\n" ..
                                    "天津,16311.3,16737.3,4.3\r\n注：数据来源,统计局,,\r\n")) end,
        "two_field_note.csv:4:1: a line of text below the numbers of column 2: if this line and those below it are notes " ..
        "under the table, say skip_footer = 1", "a padded note of two fields that would make a column of numbers text: refused")
T.eq(#zb.read_csv(file("last_null.csv", "地区,a,b\n北京,1,\n天津,2,\n")), 2, "rows whose last values are NULL are rows")
local units_right = zb.read_csv(file("units_right.csv", "表1 分省GDP,,,\r\n,,,单位：亿元\r\n地区,2022年,2023年,增速\r\n" ..
                                     "北京,41610.9,43760.7,5.2\r\n"))
T.eq(table.concat(units_right.columns, ",") .. "|" .. table.concat(units_right.meta.notes, ";"),
     "地区,2022年,2023年,增速|表1 分省GDP;单位：亿元", "a padded units line filled at the right: a note above the header")
local centred = zb.read_csv(file("centred.csv", ",表1 分省GDP,,\r\n地区,2022年,2023年,增速\r\n北京,41610.9,43760.7,5.2\r\n"))
T.eq(table.concat(centred.columns, ",") .. "|" .. centred.meta.notes[1], "地区,2022年,2023年,增速|表1 分省GDP",
     "... and a title in the second field")
T.eq(#zb.read_csv(file("lone_number.csv", "地区,a,b\n北京,1,2\n,,5\n")), 2, "a last row of one number is a row, not a note")

-- ---- skip and skip_footer ----
local report = "Report,2024\nunits,yuan\nname,v\na,1\n\nb,2\nTotal,3\nsource: bureau,p. 4\n"
local t = zb.read_csv(file("report.csv", report), {skip = 2, skip_footer = 2})
T.eq(#t, 2, "skip = 2 and skip_footer = 2: the rows between")
T.eq(zb.sql("select sum(v) from report"):value(), 3, "... the total line is not loaded")
T.eq(table.concat(t.meta.notes, "|"), "Report, 2024|units, yuan|Total, 3|source: bureau, p. 4",
     "... the lines skipped are the notes, above then below")
T.eq(#zb.read_csv(file("r2.csv", "x\r\n\r\nname,v\r\na,1\r\nend\r\n\r\n"), {skip = 2, skip_footer = 1}), 1,
     "blank lines count for skip; those after the last line do not for skip_footer")
T.fails(function() zb.read_csv(file("r3.csv", "a,b\n1,2\n"), {skip = 3}) end,
        "r3.csv: skip = 3, but the file has fewer lines", "skip beyond the file")
T.fails(function() zb.read_csv(file("r4.csv", "a,b\n1,2\n"), {skip_footer = 3}) end,
        "r4.csv: skip_footer = 3, but the file has fewer lines", "skip_footer beyond the file")
T.fails(function() zb.read_csv(file("r5.csv", "a,b\n1,2\n"), {skip = 2}) end,
        "r5.csv: no lines below those skipped", "skip of every line")
T.fails(function() zb.read_csv(file("r6.csv", "a,b\n1,2\n"), {skip = 1.5}) end,
        "read_csv: option 'skip' must be a whole number of lines, from 0", "skip of a fraction")
T.fails(function() zb.read_csv(file("r7.csv", "a,b\n1,2\n"), {skip_footer = -1}) end,
        "read_csv: option 'skip_footer' must be a whole number of lines, from 0", "skip_footer below 0")

-- ---- lines of fewer fields that may be data are refused, not skipped ----
local function refuses(name, text, message, what)
  T.fails(function() zb.read_csv(file(name, text)) end, name .. ":" .. message, what)
end
refuses("foot.csv", "地区,gdp,pop\n杭州,18109,1220\n宁波,14595,954\n注：数据来源, 统计局\n\n说明,2\n\n",
        "4:1: expected 3 fields (as in the header), found 2: if this line and those below it are notes under the table, "
        .. "say skip_footer = 3", "a footnote holding a comma is refused, with the skip_footer that takes it")
local footed = zb.read_csv(dir .. "/foot.csv", {skip_footer = 3})
T.eq(#footed .. " " .. table.concat(footed.meta.notes, "|"), "2 注：数据来源,  统计局|说明, 2", "... which loads the rows")
local _, short_row = pcall(zb.read_csv, file("short_row.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n"))
T.eq(tostring(short_row):match("short_row%.csv.*"), "short_row.csv:3:1: expected 3 fields (as in the header), found 2",
     "a short line with data below it gets no such advice")
refuses("short.csv", "a,b\n1,2\n\n3,4,5,6,7\n6,7,8,9,0\n9,10,11,12,13\n",
        "1:1: lines 1 to 3 have fewer fields than line 4 and those below it (5), and they hold numbers, as data does: "
        .. "if they are above the header, say skip = 3", "rows of fewer fields holding numbers are data, not a preamble")
refuses("nogap.csv", "name,city\nalice,paris\nbob,rome,x,y,z\ncarol,oslo,y,z,w\ndan,nice,z,w,v\n",
        "1:1: lines 1 to 2 have fewer fields than line 3 and those below it (5), and no blank line sets them apart",
        "... and so are rows of text that no blank line sets apart from the wider ones")
refuses("wide.csv", "name,city\nalice,paris\n\nbob,rome,x\ncarol,oslo,y\ndan,nice,z\n",
        "1:1: lines 1 to 3 have fewer fields than line 4 and those below it (3), and one fills half of that or more",
        "... and so are rows of text filling more than half the header's width, blank line or not")
refuses("numhead.csv", "Title,here\n\n1,2,3,4,5\n4,5,6,7,8\n7,8,9,0,1\n",
        "1:1: lines 1 to 2 have fewer fields than line 3 and those below it (5), and that line is numbers, not a header: if they are above the header, say skip = 2",
        "... and a header of numbers is no header")
T.eq(#zb.read_csv(file("short-ok.csv", "a,b\n1,2\n\n3,4,5\n6,7,8\n9,10,11\n"), {skip = 3, header = false}), 3,
     "skip = N loads what the refusal suggests")

-- ---- a separator ending every line ----
T.eq(#zb.read_csv(file("tail1.csv", "a,b,\n1,2,\n3,4,\n")).columns, 2, "an empty last name and field on every line: no column")
local kept = zb.read_csv(file("tail2.csv", "a,b,c\n1,2,\n"))
T.eq(#kept.columns, 3, "a named last column of empty fields stays")
T.eq(#zb.read_csv(file("tail3.csv", "a,b,\n1,2,\n3,4,5\n")).columns, 3, "... and so does one with a value")
T.eq(#zb.read_csv(file("tail4.csv", 'a,b,""\n1,2,""\n')).columns, 3, "... and one of quoted empty fields")

T.cleanup()
T.done()
