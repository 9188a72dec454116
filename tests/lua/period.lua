-- zb.period: statistical time (issue 12).  Every spelling a statistics
-- office uses reads as its period; the canonical text sorts as time does;
-- arithmetic and comparisons hold within a frequency and refuse across.
local T = require("check")
local P = zb.period

local spellings = {  -- what is written, and the period it is
  {2021, "2021"}, {"2021", "2021"}, {"2021年", "2021"}, {2021.0, "2021"},
  {"2021H1", "2021-S1"}, {"2021-S2", "2021-S2"}, {"2021s1", "2021-S1"}, {"2021年上半年", "2021-S1"},
  {"2021年下半年", "2021-S2"},
  {"2021Q1", "2021-Q1"}, {"2021-Q4", "2021-Q4"}, {"2021年第一季度", "2021-Q1"}, {"2021年一季度", "2021-Q1"},
  {"2021年1季度", "2021-Q1"}, {"2021年第4季度", "2021-Q4"}, {"2021年第三季度", "2021-Q3"},
  {"2021-12", "2021-12"}, {"2021-1", "2021-01"}, {202112, "2021-12"}, {"202101", "2021-01"}, {"2021/12", "2021-12"},
  {"2021年12月", "2021-12"}, {"2021年1月", "2021-01"}, {"2021M12", "2021-12"}, {"2021-M01", "2021-01"},
  {"2021-12-31", "2021-12-31"}, {"2021/2/28", "2021-02-28"}, {"2021-2-1", "2021-02-01"}, {"2021年12月31日", "2021-12-31"},
  {20211231, "2021-12-31"}, {"2024-02-29", "2024-02-29"},
  {"2021年1-2月", "2021-01~02"}, {"2021年1—12月", "2021-01~12"}, {"2021年1–3月", "2021-01~03"},
  {"2021年1-3季度", "2021-Q1~Q3"}, {"2021年一至三季度", "2021-Q1~Q3"}, {"  2021-Q1 ", "2021-Q1"},
  {"2021年前三季度", "2021-Q1~Q3"}, {"2021年12月份", "2021-12"}, {"2021年1-2月份", "2021-01~02"},
  {"2021年1－2月", "2021-01~02"}, {"2021 Q1", "2021-Q1"},
}
for _, s in ipairs(spellings) do
  local ok, p = pcall(P, s[1])
  T.eq(ok and tostring(p), s[2], string.format("%s (%s) is %s", tostring(s[1]), math.type(s[1]) or type(s[1]), s[2]))
  if ok then T.ok(P(tostring(p)) == p, "... and its canonical text reads back as it") end
end

for _, bad in ipairs{"abc", "2021-13", "2021-00", "2021-02-29", "1900-02-29", "2021-04-31", "20211", "2021Q5", "2021年第五季度",
                     "2021年2-3月", "2021年3-1月", "2021年1-1月", 2021.5, "21-01", ""} do
  local ok, why = pcall(P, bad)
  T.ok(not ok and tostring(why):find("is not a period", 1, true), tostring(bad) .. " is not a period, and the error says so",
       tostring(why))
end
T.fails(function() P({}) end, "a table is not a period", "a table")
T.ok(P.is("2021年3月") and not P.is("3月"), "zb.period.is tells")

-- What a period is made of.
local m = P("2021年12月")
T.eq(m.year, 2021, "year")
T.eq(m.frequency, "M", "frequency")
T.eq(m.position, 12, "position in the year")
T.eq(P("2021-12-31").position, 365, "a day's position: its day of the year")
T.eq(P("2020-12-31").position, 366, "... in a leap year")

-- Arithmetic within a frequency.
T.eq(tostring(m + 1), "2022-01", "a month after December is January")
T.eq(tostring(m - 12), "2020-12", "twelve months back")
T.eq(tostring(m:year_ago()), "2020-12", "a year ago")
T.eq(P("2022-03") - P("2021-12"), 3, "months between")
T.eq(P("2022-Q1") - P("2020-Q4"), 5, "quarters between")
T.eq(P("2022-S1") - P("2021-S2"), 1, "half-years between")
T.eq(tostring(P("2021-Q4") + 1), "2022-Q1", "a quarter after Q4")
T.eq(P.years_between("2021-10", "2022-02"), 4 / 12, "four months are a third of a year")
T.eq(P.years_between("2020-Q1", "2022-Q1"), 2.0, "eight quarters are two years")
T.eq(P.years_between(2015, 2021), 6, "years")
T.eq(tostring(P("2024-02-29"):year_ago()), "2023-02-28", "a leap day's year ago is the 28th")
T.eq(tostring(P("2021-12-31") + 1), "2022-01-01", "a day after New Year's Eve")
T.eq(P("2000-01-01") - P("1970-01-01"), 10957, "days from 1970 to 2000")
T.eq(P("2021-03-01") - P("2021-02-01"), 28, "February 2021 has 28 days")
T.eq(P("2024-03-01") - P("2024-02-01"), 29, "February 2024 has 29")
T.eq(P("2100-03-01") - P("2100-02-01"), 28, "February 2100 has 28 (no leap year)")
T.eq(P("2026-12-02"):index() % 7, 6, "2026-12-02 is a Wednesday (1970-01-01 was a Thursday: index 0)")
local round_trips = true
for day = P("1899-12-25"):index(), P("2101-01-07"):index(), 37 do
  local p = P("1970-01-01") + day
  if P(tostring(p)) ~= p or p:index() ~= day then round_trips = false end
end
T.ok(round_trips, "every 37th day from 1899 to 2101 reads back as itself")

-- Year to date: NBS's 1-2月 is a monthly value; a year ago is 1-2月 again.
local jan_feb = P("2022年1-2月")
T.eq(tostring(jan_feb:year_ago()), "2021-01~02", "1-2月 a year ago is the year before's 1-2月")
T.eq(tostring(jan_feb + 12), "2023-01~02", "... twelve months on, the next year's")
T.fails(function() return jan_feb + 1 end, "is year to date: it moves by whole years", "a span does not move by a month")
T.ok(jan_feb < P("2022-03") and P("2021-12") < jan_feb, "1-2月 sorts between December and March")

-- Sorting: the canonical text sorts as time does; periods compare.
local months = {}
for i = 12, 1, -1 do months[#months + 1] = "2022年" .. i .. "月" end
table.sort(months, function(a, b) return P(a) < P(b) end)
T.eq(table.concat(months, ","), "2022年1月,2022年2月,2022年3月,2022年4月,2022年5月,2022年6月,2022年7月,2022年8月," ..
     "2022年9月,2022年10月,2022年11月,2022年12月", "Chinese months sort as months, not as text")
local quarters = {"2021年第四季度", "2021年第一季度", "2021年第三季度", "2021年第二季度"}
table.sort(quarters, function(a, b) return P(a) < P(b) end)
T.eq(table.concat(quarters, ","), "2021年第一季度,2021年第二季度,2021年第三季度,2021年第四季度", "and Chinese quarters")
local canon = {}
for i = 1, 12 do canon[i] = tostring(P("2022年" .. i .. "月")) end
local sorted = {table.unpack(canon)}
table.sort(sorted)
T.eq(table.concat(sorted, ","), table.concat(canon, ","), "canonical month texts sort as months do")
T.ok(P("2022-01") > "2021-12", "a period compares with text that spells one")
T.fails(function() return P("2021-01") < P("2021-Q1") end, "cannot compare 2021-01 (a month) and 2021-Q1 (a quarter)",
        "months and quarters do not compare")
T.fails(function() return P("2021-01") - P("2021") end, "cannot subtract 2021-01 (a month) and 2021 (a year)",
        "nor subtract")

-- In SQL.
local row = zb.sql([[select period('2021年第一季度') as q, period(2021) as y, typeof(period('2021年')) as yt,
  period_year('2021年12月') as year, period_frequency('2021H2') as f, period_position('2021-Q3') as pos,
  period_add('2021-12', 1) as next, period_add('2021年1-2月', 12) as ytd, period_year_ago('2024-02-29') as ago,
  period_index('2022-03') - period_index('2021-12') as gap, period(NULL) as none]]):first()
T.eq(row.q, "2021-Q1", "period() gives the canonical text")
T.eq(row.y, 2021, "a year stays an integer")
T.eq(row.yt, "integer", "... in SQL too")
T.eq(row.year, 2021, "period_year")
T.eq(row.f, "S", "period_frequency")
T.eq(row.pos, 3, "period_position")
T.eq(row.next, "2022-01", "period_add")
T.eq(row.ytd, "2022-01~02", "period_add of a year-to-date span, by whole years")
T.eq(row.ago, "2023-02-28", "period_year_ago")
T.eq(row.gap, 3, "period_index differences count periods")
T.eq(row.none, nil, "NULL is NULL")
local ok_sql, why_sql = pcall(function() return zb.sql("select period('next spring')"):first() end)
T.ok(not ok_sql and why_sql:find("'next spring' is not a period", 1, true) and not why_sql:find("zb/period.lua", 1, true),
     "text that is no period is an error naming it (and no place in zb)", why_sql)
zb.db:sql("create table months_cn (m text, v integer)")
for i = 12, 1, -1 do zb.db:sql("insert into months_cn values (?, ?)", "2022年" .. i .. "月", i) end
T.eq(table.concat(zb.sql("select v from months_cn order by period(m)"):col("v"), ","), "1,2,3,4,5,6,7,8,9,10,11,12",
     "ORDER BY period(m) sorts Chinese months as months")

-- One reader (src/time/period.c) for SQL and Lua: every spelling above reads
-- alike in both, and the ends of the calendar are errors, not wrapped years.
local same = true
for _, s in ipairs(spellings) do
  local sql = zb.sql("select period(?) as p", s[1]):value()
  if tostring(sql) ~= s[2] then same = false; print("# " .. tostring(s[1]) .. " reads as " .. tostring(sql) .. " in SQL") end
end
T.ok(same, "SQL's period() reads every spelling as zb.period does")
T.eq(zb.sql("select period(2021.0) as p, period_add('2021-12', '3') as q, period('0021年第一季度') as r"):first().r,
     "0021-Q1", "a year before 1000 keeps four digits, so its canonical text reads back")
T.eq(tostring(P("0021-Q1")), "0021-Q1", "... in Lua too")
T.fails(function() return zb.sql("select period_add('9999-12', 1)"):value() end, "a period out of range (years 0 to 9999)",
        "a month after 9999-12 is out of range, not year 10000")
T.fails(function() return P("9999-12-31") + 1 end, "out of range", "... a day after 9999-12-31 too")
T.fails(function() return P("0000-Q1"):year_ago() end, "out of range", "... and a year before year 0")
T.fails(function() return zb.sql("select period_add('2021-12', 1.5)"):value() end,
        "period_add: n must be a whole number of periods", "n must be whole")
T.eq(zb.sql("select period_add('2021-12', '3')"):value(), "2022-03", "... a number given as text counts")
T.fails(function() return P(1e20) end, "1e+20 is not a period", "a number past any period")

-- Loaded columns of periods: read_csv recognises a text column whose
-- values are all periods of one frequency, keeps the text as loaded, and
-- records the frequency in the database (zb_catalog), where t.meta finds
-- it through derived tables, save and reopening; order() sorts it as time.
local dir = T.tmpdir()
local csv = dir .. "/sales.csv"
local lines = {"region,month,quarter,mixed,code,v"}
for i = 12, 1, -1 do
  lines[#lines + 1] = string.format("杭州,2022年%d月,2022Q%d,%s,A%d,%d", i, (i + 2) // 3, i % 2 == 0 and "2022-01" or "2022Q1", i, i)
end
lines[#lines + 1] = "宁波,N/A,,,B,13"
T.write(csv, table.concat(lines, "\n") .. "\n")
local sales = zb.read_csv(csv)
T.eq(zb.pretty(sales.meta.columns), '{month = {frequency = "M"}, quarter = {frequency = "Q"}}',
     "the month and quarter columns are recognised (not the mixed, the codes, the regions); NA and empty cells do not count")
T.eq(sales:where{v = 1}:select("month"):value(), "2022年1月", "the text is kept as loaded")
T.eq(sales:where{v = 13}:select("month"):value(), nil, "... and N/A in a column of periods is missing, as in a number's")
T.eq(table.concat(sales:where("month is not null"):order("month"):col("v"), ","), "1,2,3,4,5,6,7,8,9,10,11,12",
     "order() sorts a column of periods as time: 2022年2月 before 2022年10月")
T.eq(sales:where("month is not null"):order("month desc"):col("v")[1], 12, "... descending too")
T.eq(table.concat(sales:where("month is not null"):order("code"):col("v"), ","), "1,10,11,12,2,3,4,5,6,7,8,9",
     "... and other text as text")
T.eq(zb.pretty(sales:where{region = "杭州"}:select("month", "v"):order("v").meta.columns), '{month = {frequency = "M"}}',
     "a column passed through keeps what is known of it")
T.eq(sales:mutate{month = "month || '!'"}.meta.columns.month, nil, "... a column made anew does not")
T.eq(table.concat(sales:where("month is not null"):order("month desc, v"):col("v"), ","), "12,11,10,9,8,7,6,5,4,3,2,1",
     "order(\"month desc, v\"): columns each, the month as time")
T.eq(table.concat(sales:where("month is not null"):join(zb.sql("select '2022年1月' as month, 1 as tag"), "month", "left")
       :order("month"):col("v"), ","), "1,2,3,4,5,6,7,8,9,10,11,12", "... over a join too (was 'ambiguous column name')")
T.eq(table.concat(sales:where("month is not null"):group("month"):agg{v = "sum(v)"}:order("month"):col("v"), ","),
     "1,2,3,4,5,6,7,8,9,10,11,12", "... and over a group's key (it groups through SQLite, which keeps what the key is)")
T.eq(#sales:where{quarter = "2021Q1"}, 0, "where{} reads a value for a column of periods as a period ...")
T.eq(#sales:where{quarter = {"2022-Q1", zb.period("2022年第二季度")}}, 6, "... in any spelling, a zb.Period too")
T.eq(#sales:where{month = zb.period("2022-03")}, 1, "... 2022-03 finds 2022年3月")
T.fails(function() return sales:where{month = "spring"} end, 'where: "spring" is not a period (column month holds periods)',
        "... and a value that is none is an error")
local kept = sales:select("month", "v"):save("sales_months")
T.eq(zb.pretty(kept.meta.columns), '{month = {frequency = "M"}}', "save() records it for the new table")
T.eq(zb.sql("select json_extract(columns, '$.month.frequency') from zb_catalog where name = 'sales'"):value(), "M",
     "the catalog is a table the sqlite3 shell reads")
local listed = {}
for r in zb.tables():rows() do listed[#listed + 1] = r.name end
T.eq(table.concat(listed, ","), "months_cn,sales,sales_months", "zb.tables() leaves zb's catalog out")
T.write(csv, "region,month,v\n杭州,spring,1\n")
zb.read_csv(csv, {replace = true})
T.eq(zb.pretty(zb.table("sales").meta.columns), "{}", "loading again with replace forgets what the old table's columns were")
local db = dir .. "/kept.db"
local saved = T.run(string.format("-d %s -e %s", T.shell_quote(db), T.shell_quote(
  "zb.read_csv('" .. dir .. "/q.csv')")), {env = "true; printf 'q,v\\n2021年第一季度,1\\n' > " .. T.shell_quote(dir .. "/q.csv") .. ";"})
T.eq(saved.code, 0, "a load into a database file", saved.err)
local reopened = T.run(string.format("-d %s -e %s", T.shell_quote(db), T.shell_quote("print(zb.table('q').meta.columns.q.frequency)")))
T.eq(reopened.out, "Q\n", "... is known when the file is opened again", reopened.err)
T.write(dir .. "/q.json", '[{"q": "2021年第一季度", "n": "2021Q2", "v": 1}, {"q": "2021Q2", "n": "spring", "v": null}, {"q": null}]')
T.eq(zb.pretty(zb.read_json(dir .. "/q.json").meta.columns), '{q = {frequency = "Q"}}', "read_json recognises them too")
local imported = T.run("-n", {stdin = ".import " .. dir .. "/q.csv\n"})
T.eq(imported.out, 'q: 1 rows (in Lua: zb.table("q"))\n  q: periods, each a quarter (t.meta)\n',
     "the REPL's .import tells the columns of periods", imported.err)
T.done()
