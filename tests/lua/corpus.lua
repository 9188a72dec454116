-- The bad-input corpus (tests/corpus/): each file zb.read_csv is given
-- gets a clear error naming the file, line and column, or the documented
-- interpretation; and the session's tables are untouched either way.
local T = require("check")
local dir = "tests/corpus/"

zb.db:sql("create table keep (k text, v real)")
zb.db:sql("insert into keep values ('杭州市', 18109), ('宁波市', 14595)")
local function keep_intact(name)
  T.eq(zb.sql("select group_concat(k || '=' || v, ';') from keep"):value(), "杭州市=18109.0;宁波市=14595.0",
       name .. ": the session's tables are untouched")
end
local function tables()
  return zb.sql("select count(*) from sqlite_schema where type = 'table' and name <> 'zb_catalog'"):value()
end

-- Files that are refused, and the error each gives.
local refused = {
  {"empty.csv", "empty.csv: the file is empty"},
  {"bom-only.csv", "bom-only.csv: the file is empty"},
  {"truncated-quote.csv", "truncated-quote.csv:2:3: unterminated quoted field (its closing quote is missing)"},
  {"nul-byte.csv", "nul-byte.csv:2:4: a NUL byte, which text does not hold (is the file UTF-16? save it as UTF-8)"},
  {"utf16.csv", "utf16.csv: UTF-16 text (little-endian; Excel's \"Unicode text\"), which zb does not read: save it as UTF-8"},
  {"invalid-utf8.csv",
   "invalid-utf8.csv:2:3: invalid bytes for GB18030 (nor are they UTF-8; a Western Windows file? encoding = \"windows-1252\")"},
  {"mixed-gbk-utf8.csv", "mixed-gbk-utf8.csv:3:1: invalid UTF-8 (the file is UTF-8 before this)"},
  {"ragged.csv", "ragged.csv:3:1: expected 3 fields (as in the header), found 2"},
  {"short-rows-first.csv", "short-rows-first.csv:1:1: lines 1 to 3 have fewer fields than line 4 and those below it (5), "
   .. "and they hold numbers, as data does: if they are above the header, say skip = 3"},
}
for _, case in ipairs(refused) do
  local before = tables()
  T.fails(function() zb.read_csv(dir .. case[1]) end, case[2], case[1])
  T.eq(tables(), before, case[1] .. ": no table is left half-loaded")
  keep_intact(case[1])
end

-- Files read with a documented interpretation.
local function loaded(file)
  local before = tables()
  local t = zb.read_csv(dir .. file)
  T.eq(tables(), before + 1, file .. ": one table")
  keep_intact(file)
  return t
end
local function types(t, col)
  return zb.sql("select group_concat(typeof(" .. zb.names.quote(col) .. "), ',') from (" .. t:sql() .. ")"):value()
end

local t = loaded("header-only.csv")
T.eq(#t .. " " .. table.concat(t.columns, ","), "0 a,b,c", "a header only: an empty table with its columns")
t = loaded("duplicate-names.csv")
T.eq(table.concat(t.columns, ","), "a,a_2,b", "a repeated name gets _2")
t = loaded("empty-name.csv")
T.eq(table.concat(t.columns, ","), "a,c2,c", "an empty name is named after its position")
t = loaded("keyword-names.csv")
T.eq(table.concat(t.columns, ","), 'select,from,we"ird', "SQL keywords and quotes in names are kept, quoted in SQL")
T.eq(t:select("select", 'we"ird'):to_csv(), 'select,"we""ird"\n1,3\n', "... and usable")
t = loaded("int-overflow.csv")
T.eq(types(t, "n"), "text,text,text", "integers beyond 64 bits keep their digits, as text (the whole column)")
T.eq(t:col("n")[2], "9223372036854775808", "... exactly")
t = loaded("nan-inf.csv")
T.eq(types(t, "x"), "text,text,text,text,text", "NaN and Inf spellings are text: SQLite has no NaN, and a real Inf would hide the typo")
t = loaded("dates.csv")
T.eq(table.concat(t:col("d"), "|"), "2021-01-05|2021/1/5|05.01.2021|2021年1月5日", "dates stay as written, in any layout")
t = loaded("gbk.csv")
T.eq(t:first().region, "杭州市", "GBK is read as GB18030")
t = loaded("world-bank-api.csv")
T.eq(#t .. " " .. table.concat(t.columns, ",") .. " " .. table.concat(t.meta.notes, "|"),
     "2 Country Name,Country Code,Indicator Name,Indicator Code,2022,2023 "
     .. "Data Source, World Development Indicators|Last Updated Date, 2024-06-28",
     "the World Bank's layout: the header below two lines and blank ones, kept as notes; no column for the last separator")
t = loaded("crlf-quoted-newline.csv")
T.eq(#t, 1, "CRLF lines with a newline inside quotes: one record")

-- The large ones, made here: a field of 100 MB, and 20,000 columns.
local work = T.tmpdir()
local mb = os.getenv("ZB_SLOW") and 10 or 100
local f = assert(io.open(work .. "/big-field.csv", "wb"))
f:write("id,text\n1,\"")
local chunk = string.rep("杭州", 1024 * 1024 // 6)
for _ = 1, mb do f:write(chunk) end
f:write("\"\n")
f:close()
local before_big = tables()
t = zb.read_csv(work .. "/big-field.csv")
T.eq(tables(), before_big + 1, "big-field.csv: one table")
T.ok(zb.sql("select length(text) from (" .. t:sql() .. ")"):value() > mb * 300000, "a single field of " .. mb .. " MB loads whole")
f = assert(io.open(work .. "/wide.csv", "wb"))
local names, values = {}, {}
for i = 1, 20000 do names[i], values[i] = "c" .. i, tostring(i) end
f:write(table.concat(names, ","), "\n", table.concat(values, ","), "\n")
f:close()
local before = tables()
T.fails(function() zb.read_csv(work .. "/wide.csv") end, "20000 columns", "20,000 columns: a clear error (SQLite's limit is 2000)")
T.eq(tables(), before, "... and nothing left behind")
keep_intact("wide.csv")
T.done()
