-- Excel in (issue 15, part 1): workbooks written by other tools (openpyxl:
-- inline strings; Python's xlsxwriter: shared strings; xlwt: .xls) read by
-- zb.read_xlsx, every cell compared with what openpyxl or xlrd reads from
-- the same file; zb's own to_xlsx read back; each bad input refused.
local T = require("check")
if not T.have_python("openpyxl, xlsxwriter, xlwt, xlrd, olefile") then T.done() end
local dir = T.tmpdir()

-- A value as both sides print it: NULL, whole numbers as integers (a
-- column of reals holds 2080 as 2080.0), the shortest real that reads back
-- (Python's repr), text.
local function show(v)
  if v == nil then return "NULL" end
  if math.type(v) == "float" and v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
  if math.type(v) == "float" then
    for digits = 15, 17 do
      local s = string.format("%." .. digits .. "g", v)
      if tonumber(s) == v then return s end
    end
  end
  return tostring(v)
end

local function dump(t)
  local out = {table.concat(t.columns, "|")}
  for r in t:rows() do
    local cells = {}
    for i, c in ipairs(t.columns) do cells[i] = show(r[c]) end
    out[#out + 1] = table.concat(cells, "|")
  end
  return table.concat(out, "\n") .. "\n"
end

-- Python's side of show(): cells as openpyxl (or xlrd) gives them.
local PY_SHOW = [==[
import datetime
def show(v):
    if v is None: return "NULL"
    if isinstance(v, bool): return "1" if v else "0"
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat(" ")
    if isinstance(v, datetime.date): return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53: return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)
def dump(header, rows):
    print("|".join(header))
    for r in rows: print("|".join(show(v) for v in r))
]==]

-- save(path, rows [, merges]): a workbook of one sheet, its rows appended
-- as openpyxl appends them, merged ranges merged
local PY_SAVE = [==[
import sys, openpyxl
def save(path, rows, merges=()):
    wb = openpyxl.Workbook(); ws = wb.active
    for r in rows: ws.append(r)
    for m in merges: ws.merge_cells(m)
    wb.save(path)
]==]

-- A yearbook's table as openpyxl writes it: a title and units above, a
-- header of two rows (2021年 merged over 绝对数 | 增长%), an error cell, a
-- footnote below; dates in a second sheet, in the 1900 system.
local yearbook = dir .. "/yearbook.xlsx"
T.python([==[
import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "分省"
ws.append(["表3-1 地区生产总值"]); ws.append(["单位：亿元"]); ws.append([])
ws.append(["地区", "2021年", None, "2022年", None])
ws.append([None, "绝对数", "增长%", "绝对数", "增长%"])
ws.merge_cells("B4:C4"); ws.merge_cells("D4:E4"); ws.merge_cells("A4:A5")
ws.append(["北京", 40269.6, 8.5, 41610.9, 0.7])
ws.append(["浙江", 73515.8, 8.5, 77715.4, 3.1])
ws.append(["上海", 43214.9, 8.1, 44652.8, -0.2])
ws.append(["西藏", 2080, "…", 2132.6, 1.1])
ws["C9"] = "#DIV/0!"; ws["C9"].data_type = "e"
ws.append(["注：增长速度按不变价格计算。"])
d = wb.create_sheet("dates")
d.append(["day", "at", "ok", "n"])
d.append([datetime.date(2021, 3, 31), datetime.datetime(2021, 3, 31, 12, 30), True, 1])
d.append([datetime.date(1900, 1, 1), datetime.datetime(1999, 12, 31, 23, 59, 59), False, 2.5])
d.append([datetime.date(2024, 2, 29), datetime.datetime(1900, 3, 1, 6), None, 3])
for row in d.iter_rows(min_row=2):
    row[0].number_format = "yyyy-mm-dd"
wb.save(sys.argv[1])
]==], yearbook)

T.eq(table.concat(zb.xlsx_sheets(yearbook), ","), "分省,dates", "the sheets listed, in order")
local gdp = zb.read_xlsx(yearbook)
T.eq(table.concat(gdp.columns, ","), "地区,2021年_绝对数,2021年_增长%,2022年_绝对数,2022年_增长%",
     "the header's two rows, merged 2021年 over 绝对数 | 增长%, flattened into names")
-- the sheet's merged ranges (<mergeCells>, after its rows) name the columns
-- where the layout alone would not: 总量 over three columns, one of them
-- blank below it; 单位 unmerged beside a merged 人均
local merged = dir .. "/merged.xlsx"
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["地区", "总量", None, None, "人均", None])
ws.append([None, "绝对数", None, "增长%", "元", "增长%"])
ws.merge_cells("A1:A2"); ws.merge_cells("B1:D1"); ws.merge_cells("E1:F1")
ws.append(["北京", 40269.6, 1, 8.5, 183980, 8.4])
ws.append(["浙江", 73515.8, 2, 8.5, 113032, 7.5])
wb.save(sys.argv[1])
]==], merged)
local by_merges = zb.read_xlsx(merged)
local layout = T.python([==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
names = []
for col in range(1, 7):
    parts = []
    for row in (1, 2):
        v = ws.cell(row=row, column=col).value
        for m in ws.merged_cells.ranges:
            if m.min_row <= row <= m.max_row and m.min_col <= col <= m.max_col:
                v = ws.cell(row=m.min_row, column=m.min_col).value
        if v is not None and (not parts or parts[-1] != str(v)): parts.append(str(v))
    names.append("_".join(parts))
print(",".join(names))
]==], merged)
T.eq(table.concat(by_merges.columns, ",") .. "\n", layout,
     "the names follow the merged ranges openpyxl reads (总量 over a blank, 人均 over 元 and 增长%)")
T.eq(table.concat(by_merges.columns, ","), "地区,总量_绝对数,总量,总量_增长%,人均_元,人均_增长%", "... as written out")

-- three header rows under a title: 地区 merged down beside them, a year over
-- two populations over 绝对数 | 增长%; as .xlsx (merged ranges) and .xls (the
-- layout); and years written as text in the middle row
local three = dir .. "/three.xlsx"
T.python([==[
import sys, openpyxl, xlwt
rows = [["表1 人口"], [], ["地区", "2010年", None, None, None], [None, "常住人口", None, "户籍人口", None],
        [None, "绝对数", "增长%", "绝对数", "增长%"], ["杭州", 1220.4, 1.5, 834.5, 0.9], ["宁波", 954.4, 1.2, 618.3, 0.7]]
wb = openpyxl.Workbook(); ws = wb.active
for r in rows: ws.append(r)
for m in ("A3:A5", "B3:E3", "B4:C4", "D4:E4"): ws.merge_cells(m)
wb.save(sys.argv[1])
old = xlwt.Workbook(); sh = old.add_sheet("s")
for i, r in enumerate(rows):
    for j, v in enumerate(r):
        if v is not None: sh.write(i, j, v)
old.save(sys.argv[2])
wb = openpyxl.Workbook(); ws = wb.active
for r in [["地区", "人口", None, None, None], [None, "2010", None, "2020", None], [None, "城镇", "乡村", "城镇", "乡村"],
          ["杭州", 100, 50, 120, 40], ["宁波", 80, 40, 90, 35]]: ws.append(r)
for m in ("A1:A3", "B1:E1", "B2:C2", "D2:E2"): ws.merge_cells(m)
wb.save(sys.argv[3])
]==], three, dir .. "/three.xls", dir .. "/years.xlsx")
local want3 = "地区,2010年_常住人口_绝对数,2010年_常住人口_增长%,2010年_户籍人口_绝对数,2010年_户籍人口_增长%|2|表1 人口"
for _, case in ipairs{{three, nil, "three header rows, 地区 merged down beside them (.xlsx)"},
                      {dir .. "/three.xls", nil, "... and laid out alike in an .xls"},
                      {three, {header = 3}, "... header = 3 counts from the table's first row"}} do
  local opts = case[2] or {}
  opts.replace = true
  local t3 = zb.read_xlsx(case[1], opts)
  T.eq(table.concat(t3.columns, ",") .. "|" .. #t3 .. "|" .. table.concat(t3.meta.notes or {}, ";"), want3, case[3])
end
-- years as numbers: the header's, under a title; a middle header row's;
-- and a column of years in the data, NULL beside the first of them
T.python(PY_SAVE .. [==[
save(sys.argv[1], [["表1 地区生产总值"], ["地区", 2023, 2024], ["北京", 43760.7, 49843.1], ["天津", 16737.3, 18024.3]])
save(sys.argv[2], [["地区", "人口", None, None, None], [None, 2010, None, 2020, None], [None, "城镇", "乡村", "城镇", "乡村"],
                   ["杭州", 100, 50, 120, 40], ["宁波", 80, 40, 90, 35]], ("A1:A3", "B1:E1", "B2:C2", "D2:E2"))
save(sys.argv[3], [["年份", "地区", "值"], [2020, "北京", None], [2021, "上海", None], [2022, "广州", 5], [2023, "深圳", 6]])
]==], dir .. "/titled.xlsx", dir .. "/number_years.xlsx", dir .. "/year_column.xlsx")
local titled = zb.read_xlsx(dir .. "/titled.xlsx")
T.eq(table.concat(titled.columns, ",") .. "|" .. #titled .. "|" .. titled.meta.notes[1], "地区,2023,2024|2|表1 地区生产总值",
     "a title over a header of years as numbers: the title a note, the years the header")
T.eq(table.concat(zb.read_xlsx(dir .. "/number_years.xlsx").columns, ","),
     "地区,人口_2010_城镇,人口_2010_乡村,人口_2020_城镇,人口_2020_乡村", "years as numbers in a middle header row")
local year_column = zb.read_xlsx(dir .. "/year_column.xlsx")
T.eq(table.concat(year_column.columns, ",") .. "|" .. #year_column, "年份,地区,值|4",
     "a column of years in the data, the first values NULL: data, not header rows")
-- a first row of data of missing values' marks is data, not a header row;
-- a line of text a blank row sets above the header is a note
T.python(PY_SAVE .. [==[
save(sys.argv[1], [["地区", "GDP", "人口"], ["西藏", "-", "-"], ["北京", 1, 2]])
save(sys.argv[2], [["地区", "2021年", None], [None, "GDP", "人口"], ["西藏", "NA", "…"], ["北京", 1, 2]], ("B1:C1", "A1:A2"))
save(sys.argv[3], [["Last Updated Date", "2024-06-28"], [], ["year", "value"], [2019, 1.5], [2020, 2.5]])
]==], dir .. "/marks.xlsx", dir .. "/marks_merged.xlsx", dir .. "/updated.xlsx")
local marks = zb.read_xlsx(dir .. "/marks.xlsx")
T.eq(table.concat(marks.columns, ",") .. "|" .. #marks .. "|" .. tostring(marks:col("GDP")[1]), "地区,GDP,人口|2|nil",
     "a first row of data of '-' marks: a row of NULLs, not a header row")
local marks_merged = zb.read_xlsx(dir .. "/marks_merged.xlsx")
T.eq(table.concat(marks_merged.columns, ",") .. "|" .. #marks_merged, "地区,2021年_GDP,2021年_人口|2",
     "... under a merged header of two rows too")
local updated = zb.read_xlsx(dir .. "/updated.xlsx")
T.eq(table.concat(updated.columns, ",") .. "|" .. #updated .. "|" .. table.concat(updated.meta.notes or {}, ";"),
     "year,value|2|Last Updated Date, 2024-06-28", "a line a blank row sets above the header: a note")
-- a title with the units over a header naming every column once; a row
-- right under the data with its first cell alone filled: a note when it
-- reads as one, else refused (a region with no values, or a note?); a
-- blank row between rows of data
T.python(PY_SAVE .. [==[
save(sys.argv[1], [["表1 分省GDP", None, None, "单位：亿元"], ["地区", 2020, 2021, 2022], ["北京", 1, 2, 3], ["天津", 4, 5, 6]])
save(sys.argv[2], [["表1 地区生产总值"], [], ["地区", 2020, 2021], ["北京", 1, 2], ["天津", 4, 5], ["西藏"]])
save(sys.argv[3], [["地区", 2020, 2021], ["北京", 1, 2], ["天津", 4, 5], ["注：初步核算"], ["资料来源：统计局"]])
save(sys.argv[4], [["地区", 2020, 2021], ["北京", 1, 2], [], ["天津", 4, 5]])
]==], dir .. "/title_units.xlsx", dir .. "/last_key.xlsx", dir .. "/last_note.xlsx", dir .. "/gap.xlsx")
local title_units = zb.read_xlsx(dir .. "/title_units.xlsx")
T.eq(table.concat(title_units.columns, ",") .. "|" .. #title_units .. "|" .. title_units.meta.notes[1],
     "地区,2020,2021,2022|2|表1 分省GDP, 单位：亿元",
     "a title of two cells over a header naming every column once: a note, not a header row joined into the names")
T.fails(function() zb.read_xlsx(dir .. "/last_key.xlsx") end,
        "last_key.xlsx [Sheet]!A6: only the first cell is filled, in the row right under the data: a row with no values " ..
        "or a note under the table? say skip_footer = 1 to keep this row and those below it as notes, or skip_footer = 0 " ..
        "to read it as a row", "a row right under the data with only its first cell, not reading as a note, in a sheet " ..
        "laid out as a report (a title above): refused")
T.eq(#zb.read_xlsx(dir .. "/last_key.xlsx", {skip_footer = 0}), 3, "... with skip_footer = 0 a row")
T.eq(zb.read_xlsx(dir .. "/last_key.xlsx", {skip_footer = 1, replace = true}).meta.notes[2], "西藏",
     "... with skip_footer = 1 a note")
-- a plain sheet (no notes above), a key no note is (a month), or notes after
-- it: the row is a row with no values, as pandas reads it
T.python(PY_SAVE .. [==[
save(sys.argv[1], [["地区", 2020, 2021], ["北京", 1, 2], ["天津", 4, 5], ["西藏"]])
save(sys.argv[2], [["表1"], [], ["month", "cpi"], ["2024-01", 0.3], ["2024-02", 0.7], ["2024-03"]])
save(sys.argv[3], [["表1"], [], ["地区", 2023, 2024], ["北京", 1, 2], ["台湾省"], ["注：台湾省数据暂缺"]])
]==], dir .. "/plain_last.xlsx", dir .. "/month_last.xlsx", dir .. "/noted_last.xlsx")
T.python(PY_SAVE .. [==[
save(sys.argv[1], [["city", "note"], ["Hangzhou", None], ["Ningbo", None]])
]==], dir .. "/first_only.xlsx")
for _, case in ipairs{{"plain_last", 0}, {"month_last", 2}, {"noted_last", 2}, {"first_only", 0}} do
  local path = dir .. "/" .. case[1] .. ".xlsx"
  T.eq(#zb.read_xlsx(path) .. "\n", T.python([==[
import sys, pandas as pd
d = pd.read_excel(sys.argv[1], skiprows=int(sys.argv[2]), dtype=str)
print(len([r for r in d.itertuples() if not str(r[1]).startswith("注")]))
]==], path, tostring(case[2])), "a last row with only its first cell, a row as pandas reads it: " .. case[1])
end
local last_note = zb.read_xlsx(dir .. "/last_note.xlsx")
T.eq(#last_note .. "|" .. table.concat(last_note.meta.notes, ";"), "2|注：初步核算;资料来源：统计局",
     "... one that reads as a note (注：...): notes, with those below")
T.eq(#zb.read_xlsx(dir .. "/gap.xlsx"), 2, "a blank row between rows of data: skipped")
-- a first row of data of text (a mark no reader knows: 停牌, /) under a
-- header that names its first column: data, as pandas reads it, not a
-- second header row (its first column stays text below it: no header there)
T.python(PY_SAVE .. [==[
import datetime
save(sys.argv[1], [["地区", "指数"], ["北京", "停牌"], ["天津", 10.5], ["河北", 10.7]])
save(sys.argv[2], [["日期", "指数", "成交量"], [datetime.date(2024, 1, 2), "停牌", "停牌"],
                   [datetime.date(2024, 1, 3), 10.5, 100]])
save(sys.argv[3], [["地区", "GDP", "人口"], ["全国", "/", "/"], ["北京", 1.5, 2], ["天津", 3, 4]])
]==], dir .. "/halted.xlsx", dir .. "/halted_dates.xlsx", dir .. "/slashes.xlsx")
for _, name in ipairs{"halted", "halted_dates", "slashes"} do
  local path = dir .. "/" .. name .. ".xlsx"
  local t = zb.read_xlsx(path)
  local first = {}
  for i, c in ipairs(t.columns) do first[i] = tostring(t:limit(1):col(c)[1]) end
  T.eq(table.concat(t.columns, ",") .. "|" .. #t .. "|" .. table.concat(first, ",") .. "\n", T.python([==[
import sys, pandas as pd
d = pd.read_excel(sys.argv[1])
first = [v.date().isoformat() if hasattr(v, "date") else str(v) for v in d.iloc[0]]
print(",".join(d.columns) + "|" + str(len(d)) + "|" + ",".join(first))
]==], path), "a first row of data of text under the header (" .. name .. "): data, as pandas reads it")
end

-- one year merged over the second of two repeated groups of columns: a
-- header row, found or said (header = 2), not a note
T.python(PY_SAVE .. [==[
save(sys.argv[1], [[None, None, None, "2022年", None], ["地区", "GDP", "增长%", "GDP", "增长%"], ["北京", 1.5, 2.5, 3.5, 4.5],
                   ["天津", 5.5, 6.5, 7.5, 8.5]], ("D1:E1",))
]==], dir .. "/one_year.xlsx")
for _, opts in ipairs{{}, {header = 2}} do
  local t = zb.read_xlsx(dir .. "/one_year.xlsx", {header = opts.header, name = "one_year", replace = true})
  T.eq(table.concat(t.columns, ",") .. "|" .. #t .. "|" .. tostring(t.meta.notes),
       "地区,GDP,增长%,2022年_GDP,2022年_增长%|2|nil",
       "a year merged over the second of two repeated groups: a header row" .. (opts.header and " (header = 2)" or ""))
end
T.fails(function() zb.read_xlsx(dir .. "/one_year.xlsx", {header = 3}) end,
        "one_year.xlsx [Sheet]: header = 3, but 2 rows of text stand above the first row of data (row 3)",
        "header = 3 over two rows of text: refused")

-- a statistical reader's refusal of a value that is no number names the
-- workbook's cell, as openpyxl finds it
local bad_cell = T.python(PY_SAVE .. [==[
import openpyxl
save(sys.argv[1], [["表1"], [], ["地区", "2021年", "2022年"], ["北京", 1.5, 2.5], ["天津", "e", 3.5]])
ws = openpyxl.load_workbook(sys.argv[1]).active
print([c.coordinate for r in ws.iter_rows() for c in r if c.value == "e"][0])
]==], dir .. "/nbs_bad.xlsx")
T.fails(function() zb.read_nbs(dir .. "/nbs_bad.xlsx") end, "nbs_bad.xlsx [Sheet]!" .. bad_cell:gsub("\n", "") ..
        ": column 2021年 holds 'e' (地区 天津), not a number", "read_nbs on a workbook names the cell that is no number")

-- a table set in from column A (B2), a title left of it in A1
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws["A1"] = "表1 分省GDP"
for r, row in enumerate([["地区", 2020, 2021], ["北京", 1, 2], ["天津", 3, 4], ["注：数据来源", "统计局"]]):
    for c, v in enumerate(row): ws.cell(row=r + 2, column=c + 2, value=v)
wb.save(sys.argv[1])
]==], dir .. "/set_in.xlsx")
T.fails(function() zb.read_xlsx(dir .. "/set_in.xlsx") end, "set_in.xlsx [Sheet]!B5: a row of text below the data",
        "a table set in from column A: a footnote's cell named in the table's first column")
local set_in = zb.read_xlsx(dir .. "/set_in.xlsx", {skip_footer = 1})
T.eq(table.concat(set_in.columns, ",") .. "|" .. #set_in .. "|" .. table.concat(set_in.meta.notes, ";"),
     "地区,2020,2021|2|注：数据来源, 统计局", "... its empty columns left of it none of the table's")
local years = zb.read_xlsx(dir .. "/years.xlsx")
T.eq(table.concat(years.columns, ",") .. "|" .. years:col("人口_2020_乡村")[1], "地区,人口_2010_城镇,人口_2010_乡村," ..
     "人口_2020_城镇,人口_2020_乡村|40", "years written as text in a middle header row: still the header, the figures numbers")

local want = T.python(PY_SHOW .. [==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["分省"]
rows = []
for r in ws.iter_rows(min_row=6, max_row=9, values_only=True):
    rows.append([None if v in ("…",) or (isinstance(v, str) and v.startswith("#")) else v for v in r])
dump(["地区", "2021年_绝对数", "2021年_增长%", "2022年_绝对数", "2022年_增长%"], rows)
]==], yearbook)
T.eq(dump(gdp), want, "every cell as openpyxl reads it ('…' and the #DIV/0! cell NULL)")
T.eq(gdp.meta.notes[1], "表3-1 地区生产总值", "the title above the table is a note")
T.eq(gdp.meta.notes[2], "单位：亿元", "and so are the units")
T.eq(gdp.meta.notes[3], "C9 held #DIV/0!, read as NULL", "an error cell is NULL, with a note naming it")
T.eq(gdp.meta.notes[4], "注：增长速度按不变价格计算。", "the footnote below the table is a note")
T.eq(gdp.meta.loader, "read_xlsx", "the catalog records the loader")
T.eq(gdp.meta.sheet, "分省", "and the sheet")

local dates = zb.read_xlsx(yearbook, {sheet = "dates", name = "dates1900"})
want = T.python(PY_SHOW .. [==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["dates"]
dump([c.value for c in ws[1]], ws.iter_rows(min_row=2, values_only=True))
]==], yearbook)
T.eq(dump(dates), want, "dates and times of the 1900 system as ISO text, booleans 1 and 0, as openpyxl reads them")
T.eq(zb.read_xlsx(yearbook, {sheet = 2, name = "dates2"}).columns[1], "day", "a sheet by its number")

-- A units row under the header is part of it; a first row of data that is
-- all text is not (the rows below it are text too)
local units = dir .. "/units.xlsx"
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "units"
for r in (["城市", "人口", "GDP"], [None, "万人", "亿元"], ["杭州", 1237.6, 18109]): ws.append(r)
t = wb.create_sheet("text")
for r in (["城市", None, "省"], ["杭州", "浙", "浙江"], ["南京", "苏", "江苏"]): t.append(r)
wb.save(sys.argv[1])
]==], units)
T.eq(table.concat(zb.read_xlsx(units).columns, ","), "城市,人口_万人,GDP_亿元", "a units row joins the header")
local text = zb.read_xlsx(units, {sheet = "text", name = "text_only"})
T.eq(table.concat(text.columns, ",") .. " " .. text:count(), "城市,c2,省 2",
     "rows of text under a header with a gap are data")
T.eq(table.concat(zb.read_xlsx(yearbook, {skip = 3, header = 2, name = "two"}).columns, ","),
     table.concat(gdp.columns, ","), "header = 2 says what was found")

-- Dates written as ISO text cells (t="d"), as openpyxl does when asked
local iso = dir .. "/iso.xlsx"
T.python([==[
import sys, datetime, openpyxl
wb = openpyxl.Workbook(iso_dates=True); ws = wb.active
ws.append(["at", "day"])
ws.append([datetime.datetime(2021, 3, 31, 12, 30), datetime.date(2021, 4, 1)])
ws.append([datetime.datetime(2021, 3, 31), datetime.date(1999, 12, 31)])
wb.save(sys.argv[1])
]==], iso)
want = T.python(PY_SHOW .. [==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
dump([c.value for c in ws[1]], ws.iter_rows(min_row=2, values_only=True))
]==], iso)
T.eq(dump(zb.read_xlsx(iso)), want, "ISO date cells read as the dates of serials are, as openpyxl reads them")

-- The 1904 date system (Excel for the Mac's), which the workbook declares
local mac = dir .. "/mac.xlsx"
T.python([==[
import sys, datetime, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
wb = openpyxl.Workbook(); wb.epoch = CALENDAR_MAC_1904; ws = wb.active
ws.append(["day", "value"])
ws.append([datetime.date(2021, 3, 31), 1.5])
ws.append([datetime.datetime(1904, 1, 2, 18), 2])
wb.save(sys.argv[1])
]==], mac)
want = T.python(PY_SHOW .. [==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
dump([c.value for c in ws[1]], ws.iter_rows(min_row=2, values_only=True))
]==], mac)
T.eq(dump(zb.read_xlsx(mac)), want, "dates of the 1904 system, as openpyxl reads them")
T.has(want, "2021-03-31", "(the reference sees the date written)")

-- Shared strings and a rich-text cell, as Python's xlsxwriter writes them
local shared = dir .. "/shared.xlsx"
T.python([==[
import sys, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1]); ws = wb.add_worksheet("数据")
bold = wb.add_format({"bold": True})
ws.write_row(0, 0, ["城市", "人口", "代码"])
ws.write_row(1, 0, ["杭州", 1237.6, "0571"])
ws.write_rich_string(2, 0, bold, "宁", "波")
ws.write_row(2, 1, [961.8, "0574"])
ws.write_row(3, 0, ["温州", "N/A", "0577"])
wb.close()
]==], shared)
local cities = zb.read_xlsx(shared)
want = T.python(PY_SHOW .. [==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
dump([c.value for c in ws[1]], ([None if v == "N/A" else v for v in r] for r in ws.iter_rows(min_row=2, values_only=True)))
]==], shared)
T.eq(dump(cities), want, "shared strings and rich text; 'N/A' missing among numbers; '0571' stays text")

-- Parts laid out as other writers do: pretty-printed, rich runs in an
-- inline string, a phonetic reading (rPh) in a shared string, a namespace
-- prefix; the sheet's and shared strings' XML written here, the rest by
-- Python's xlsxwriter
local layout = dir .. "/layout.xlsx"
T.python([==[
import sys, zipfile, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1] + ".tmp"); wb.add_worksheet().write_string(0, 0, "x"); wb.close()
src, out = zipfile.ZipFile(sys.argv[1] + ".tmp"), zipfile.ZipFile(sys.argv[1], "w")
sheet = """<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
  <x:sheetData>
    <x:row r="1">
      <x:c r="A1" t="inlineStr">
        <x:is>
          <x:r><x:rPr><x:b/></x:rPr><x:t>名</x:t></x:r>
          <x:r><x:t xml:space="preserve">称 </x:t></x:r>
        </x:is>
      </x:c>
      <x:c r="B1" t="s"><x:v>0</x:v></x:c>
    </x:row>
    <x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2"><x:v>1.5E-3</x:v></x:c></x:row>
  </x:sheetData>
</x:worksheet>"""
strings = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
  <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>
</sst>"""
parts = {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings}
for item in src.infolist():
    out.writestr(item, parts.get(item.filename) or src.read(item.filename))
out.close()
]==], layout)
want = T.python(PY_SHOW .. [==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
dump([c.value for c in ws[1]], ws.iter_rows(min_row=2, values_only=True))
]==], layout)
T.eq(dump(zb.read_xlsx(layout)), want, "rich runs joined, whitespace between elements and a reading left out, as openpyxl")
T.has(want, "名称 |東京", "(openpyxl reads the runs and the kept space)")

-- An .xls, written by xlwt and read back by xlrd
local xls = dir .. "/old.xls"
T.python([==[
import sys, datetime, xlwt
wb = xlwt.Workbook(); ws = wb.add_sheet("年度")
day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
ws.write(0, 0, "统计年鉴")
for c, h in enumerate(["地区", "年份", "值", "日期"]): ws.write(2, c, h)
for r, (a, y, v, d) in enumerate([("杭州", 2021, 18109.4, datetime.date(2022, 1, 20)),
                                  ("宁波", 2021, 14594.9, datetime.date(2022, 1, 25))]):
    ws.write(3 + r, 0, a); ws.write(3 + r, 1, y); ws.write(3 + r, 2, v); ws.write(3 + r, 3, d, day)
wb.add_sheet("空")
wb.save(sys.argv[1])
]==], xls)
T.eq(table.concat(zb.xlsx_sheets(xls), ","), "年度,空", "an .xls's sheets listed")
local old = zb.read_xlsx(xls)
want = T.python(PY_SHOW .. [==[
import sys, xlrd
book = xlrd.open_workbook(sys.argv[1]); ws = book.sheet_by_index(0)
def value(c):
    if c.ctype == xlrd.XL_CELL_DATE: return xlrd.xldate_as_datetime(c.value, book.datemode)
    if c.ctype == xlrd.XL_CELL_NUMBER and c.value.is_integer(): return int(c.value)
    return c.value
dump([c.value for c in ws.row(2)], ([value(c) for c in ws.row(r)] for r in range(3, ws.nrows)))
]==], xls)
T.eq(dump(old), want, "an .xls read as xlrd reads it: text, integers, reals, dates")
T.eq(old.meta.notes[1], "统计年鉴", "the .xls's title is a note")

-- datetimes in a date-and-time format, midnight among them: as .xlsx and
-- as .xls alike, each with its time, as Python shows the datetime
local stamps_x, stamps_s = dir .. "/stamps.xlsx", dir .. "/stamps.xls"
want = T.python([==[
import sys, datetime, openpyxl, xlwt
values = [datetime.datetime(2020, 1, 1), datetime.datetime(2020, 1, 1, 8, 30), datetime.datetime(2021, 6, 30)]
wb = openpyxl.Workbook(); ws = wb.active; ws.append(["时间", "值"])
for i, v in enumerate(values):
    ws.append([v, i]); ws.cell(row=i + 2, column=1).number_format = "yyyy-mm-dd hh:mm:ss"
wb.save(sys.argv[1])
old = xlwt.Workbook(); sh = old.add_sheet("s"); style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
sh.write(0, 0, "时间"); sh.write(0, 1, "值")
for i, v in enumerate(values): sh.write(i + 1, 0, v, style); sh.write(i + 1, 1, i)
old.save(sys.argv[2])
print(",".join(v.isoformat(" ") for v in values))
]==], stamps_x, stamps_s)
T.eq(table.concat(zb.read_xlsx(stamps_x):order("值"):col("时间"), ",") .. "\n", want,
     "datetimes in a date-and-time format keep their time at midnight too (.xlsx)")
T.eq(table.concat(zb.read_xlsx(stamps_s, {name = "stamps_xls"}):order("值"):col("时间"), ",") .. "\n", want, "... as an .xls's are read")

-- an .xls's dates from 2100-03-01 on, and a time in a date-only format:
-- as xlrd reads their serials (libfreexl's own text was a day early, and
-- dropped the time)
local late = dir .. "/late.xls"
want = T.python(PY_SHOW .. [==[
import sys, datetime, xlwt, xlrd
values = [datetime.datetime(2100, 2, 28), datetime.datetime(2100, 3, 1), datetime.datetime(2100, 12, 31),
          datetime.datetime(2021, 3, 31, 12, 30), datetime.datetime(2024, 2, 29)]
wb = xlwt.Workbook(); ws = wb.add_sheet("s"); day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
ws.write(0, 0, "日期"); ws.write(0, 1, "k")
for i, v in enumerate(values): ws.write(i + 1, 0, v, day); ws.write(i + 1, 1, i)
wb.save(sys.argv[1])
book = xlrd.open_workbook(sys.argv[1]); sh = book.sheet_by_index(0)
print(",".join(show(xlrd.xldate_as_datetime(sh.cell_value(r, 0), book.datemode)) for r in range(1, sh.nrows)))
]==], late)
T.eq(table.concat(zb.read_xlsx(late):order("k"):col("日期"), ",") .. "\n", want,
     "an .xls's dates from 2100-03-01 on and a time in a date-only format, as xlrd reads their serials")

-- an .xls's merged ranges (MERGEDCELLS) name its header as an .xlsx's do:
-- a label over a blank that no merge covers does not spread (人口 over 万人
-- beside 人均GDP); against xlrd's merged_cells
local merged_xls = dir .. "/merged.xls"
want = T.python([==[
import sys, xlwt, xlrd
wb = xlwt.Workbook(); ws = wb.add_sheet("s")
ws.write_merge(0, 1, 0, 0, "地区"); ws.write_merge(0, 0, 1, 2, "2021年"); ws.write(0, 3, "人口")
for c, v in enumerate(["绝对数", "增长%", "万人", "人均GDP"]): ws.write(1, c + 1, v)
for r, row in enumerate([["北京", 1.5, 2.5, 100, 5], ["天津", 3.5, 4.5, 200, 6]]):
    for c, v in enumerate(row): ws.write(2 + r, c, v)
wb.save(sys.argv[1])
sh = xlrd.open_workbook(sys.argv[1], formatting_info=True).sheet_by_index(0)
grid = [[sh.cell_value(r, c) for c in range(sh.ncols)] for r in range(2)]
for r1, r2, c1, c2 in sh.merged_cells:
    for r in range(r1, min(r2, 2)):
        for c in range(c1, c2): grid[r][c] = sh.cell_value(r1, c1)
names = []
for c in range(sh.ncols):
    parts = []
    for r in range(2):
        if grid[r][c] and (not parts or parts[-1] != grid[r][c]): parts.append(grid[r][c])
    names.append("_".join(parts))
print(",".join(names))
]==], merged_xls)
T.eq(table.concat(zb.read_xlsx(merged_xls, {name = "merged_xls"}).columns, ",") .. "\n", want,
     "an .xls's merged ranges name its header, as xlrd lists them (a blank no merge covers does not spread)")

-- an .xls of the 1904 date system, with a boolean
local xls1904 = dir .. "/mac1904.xls"
T.python([==[
import sys, datetime, xlwt
wb = xlwt.Workbook(); wb.dates_1904 = True; ws = wb.add_sheet("s")
ws.write(0, 0, "day"); ws.write(0, 1, "ok")
ws.write(1, 0, datetime.date(2021, 3, 31), xlwt.easyxf(num_format_str="YYYY-MM-DD")); ws.write(1, 1, True)
ws.write(2, 0, datetime.datetime(2020, 1, 2, 3, 4, 5), xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm:ss"))
ws.write(2, 1, False)
wb.save(sys.argv[1])
]==], xls1904)
want = T.python(PY_SHOW .. [==[
import sys, xlrd
book = xlrd.open_workbook(sys.argv[1]); ws = book.sheet_by_index(0)
assert book.datemode == 1
def value(c):
    if c.ctype == xlrd.XL_CELL_DATE: return xlrd.xldate_as_datetime(c.value, book.datemode)
    return c.value
dump([c.value for c in ws.row(0)], ([value(c) for c in ws.row(r)] for r in range(1, ws.nrows)))
]==], xls1904)
T.eq(dump(zb.read_xlsx(xls1904)), want, "an .xls of the 1904 date system: its dates and booleans as xlrd reads them")

-- An .xls with error cells, booleans and formulas whose results Excel
-- keeps (xlwt keeps none: its FORMULA records are given results here, a
-- text one in a STRING record, continued past one record when long):
-- read as xlrd reads them, errors NULL with a note, never libfreexl's 1
local results = dir .. "/results.xls"
T.python([==[
import sys, struct, datetime, xlwt
from xlwt import Cell
long_text = "杭州" * 5000
results = {(1, 3): ("num", 36.5), (2, 3): ("text", "杭州市"), (3, 3): ("bool", 1), (4, 3): ("err", 0x2A),
           (5, 3): ("num", 44561.0), (6, 3): ("text", long_text), (7, 3): ("text", "")}
plain = Cell.FormulaCell.get_biff_data
def record(kind, data): return struct.pack("<HH", kind, len(data)) + data
def with_result(self):
    if (self.rowx, self.colx) not in results: return plain(self)
    kind, v = results[(self.rowx, self.colx)]
    res = (struct.pack("<d", v) if kind == "num" else
           struct.pack("<6BH", {"text": 0, "bool": 1, "err": 2}[kind], 0, 0 if kind == "text" else v, 0, 0, 0, 0xFFFF))
    out = record(0x0006, struct.pack("<3H", self.rowx, self.colx, self.xf_idx) + res + struct.pack("<HL", 0, 0) +
                 self.frmla.rpn())
    if kind == "text":
        wide = v.encode("utf-16-le")
        head, cut = struct.pack("<HB", len(wide) // 2, 1), 8000
        out += record(0x0207, head + wide[:cut])
        for at in range(cut, len(wide), 8000): out += record(0x003C, b"\x01" + wide[at:at + 8000])
    return out
Cell.FormulaCell.get_biff_data = with_result
wb = xlwt.Workbook(); ws = wb.add_sheet("s")
for c, h in enumerate(["region", "gdp", "flag", "f"]): ws.write(0, c, h)
day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
for r in range(1, 8):
    ws.write(r, 0, "r%d" % r)
    ws.write(r, 3, xlwt.Formula("B2*2"), day if r == 5 else xlwt.Style.default_style)
ws.write(1, 1, 1.5); ws.row(2).set_cell_error(1, "#DIV/0!"); ws.row(3).set_cell_error(1, "#NULL!")
ws.row(4).set_cell_error(1, 42); ws.write(5, 1, 7); ws.write(7, 1, 8)  # 42: #N/A (xlwt spells it "#N/A!")
ws.write(1, 2, True); ws.write(2, 2, False); ws.write(3, 2, True)
wb.save(sys.argv[1])
]==], results)
local read = zb.read_xlsx(results)
want = T.python(PY_SHOW .. [==[
import sys, xlrd
book = xlrd.open_workbook(sys.argv[1]); ws = book.sheet_by_index(0)
def value(c):
    if c.ctype == xlrd.XL_CELL_DATE: return xlrd.xldate_as_datetime(c.value, book.datemode)
    if c.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY) or c.value == "": return None
    if c.ctype == xlrd.XL_CELL_BOOLEAN: return bool(c.value)
    return c.value
dump([c.value for c in ws.row(0)], ([value(c) for c in ws.row(r)] for r in range(1, ws.nrows)))
]==], results)
T.eq(dump(read), want, "an .xls's error cells, booleans and formulas' results as xlrd reads them")
T.eq(read:where("region = 'r2'"):rows()().gdp, nil, "#DIV/0! is NULL, not libfreexl's 1")
T.eq(read:where("region = 'r3'"):rows()().gdp, nil, "#NULL! is NULL, not libfreexl's 0")
T.eq(table.concat(read.meta.notes, "; "), "B3 held #DIV/0!, read as NULL; B4 held #NULL!, read as NULL; " ..
     "B5 held #N/A, read as NULL; D5 held #N/A, read as NULL", "each error cell named in a note")
T.eq(utf8.len(read:where("region = 'r6'"):rows()().f), 10000, "a formula's long text, continued, read whole")

-- zb's own to_xlsx, read back: the same table
local nbs = zb.dataset("nbs-province-gdp")
local back = zb.read_xlsx(nbs:to_xlsx(dir .. "/nbs.xlsx"), {name = "back"})
T.eq(back:to_csv(), nbs:to_csv(), "to_xlsx's workbook read back is the table, cell for cell")
T.eq(back.meta.notes[#back.meta.notes], "Source: dataset nbs-province-gdp", "the source line under it is a note")
T.eq(back.meta.notes[1], nbs.meta.notes[1], "and so are the table's own notes")

-- The shipped yearbook table, against the NBS export it was made from, as
-- pandas reads that (GBK, three lines above the header)
local shipped = zb.read_xlsx(zb.paths.datasets .. "/nbs-province-gdp-2023-2024.xlsx", {name = "shipped"})
want = T.python(PY_SHOW .. [==[
import sys, pandas as pd
f = pd.read_csv(sys.argv[1], encoding="gbk", skiprows=3, nrows=31)
rows = [[r["地区"], r["2023年"], round((r["2023年"] / r["2022年"] - 1) * 100, 1), r["2024年"],
         round((r["2024年"] / r["2023年"] - 1) * 100, 1)] for _, r in f.iterrows()]
dump(["地区", "2023年_绝对数", "2023年_增长%", "2024年_绝对数", "2024年_增长%"], rows)
]==], zb.paths.datasets .. "/nbs-province-gdp-2006-2024.gbk.csv")
T.eq(dump(shipped), want, "the shipped workbook holds the NBS export's 2023 and 2024 figures, 31 provinces")
T.eq(#shipped.meta.notes, 4, "its title, units, note and source kept as notes")
local shipped_xls = zb.read_xlsx(zb.paths.datasets .. "/nbs-province-gdp-2023-2024.xls", {name = "shipped_xls"})
T.eq(dump(shipped_xls), want, "and so does the shipped .xls, its header merged the same way")

-- The World Bank's Excel download (two cells of preamble a row: the header
-- found below them, as read_csv finds it) through read_worldbank, against
-- pandas' own melt of the sheet
local wdi = dir .. "/API_NY.GDP.MKTP.CD.xlsx"
T.python([==[
import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Data"
ws.append(["Data Source", "World Development Indicators"]); ws.append([])
ws.append(["Last Updated Date", datetime.date(2025, 7, 1)]); ws.append([])
ws.append(["Country Name", "Country Code", "Indicator Name", "Indicator Code"] + [str(y) for y in range(2019, 2024)])
ws.append(["China", "CHN", "GDP (current US$)", "NY.GDP.MKTP.CD", 14.28e12, 14.69e12, 17.82e12, 17.88e12, 17.79e12])
ws.append(["Tuvalu", "TUV", "GDP (current US$)", "NY.GDP.MKTP.CD", 53e6, 55e6, None, 60.2e6])
ws.append(["India", "IND", "GDP (current US$)", "NY.GDP.MKTP.CD", 2.83e12, None, 3.15e12, 3.35e12, 3.55e12])
wb.create_sheet("Metadata - Countries").append(["Country Code", "Region"])
wb.save(sys.argv[1])
]==], wdi)
want = T.python(PY_SHOW .. [==[
import sys, pandas as pd
f = pd.read_excel(sys.argv[1], sheet_name="Data", skiprows=4)
ids = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
m = f.melt(id_vars=ids, var_name="year", value_name="value").dropna(subset=["value"])
m["year"] = m["year"].astype(int)
dump(["country", "country_code", "indicator", "indicator_code", "year", "value"],
     m.sort_values(["Country Code", "year"]).itertuples(index=False))
]==], wdi)
local wb = zb.read_worldbank(wdi)
T.eq(dump(wb:order("country_code", "year")), want, "read_worldbank reads the Excel download, as pandas melts it")
T.eq(table.concat(wb.meta.notes, "; "), "Data Source, World Development Indicators; Last Updated Date, 2025-07-01",
     "its preamble kept as notes, the date as ISO text")

-- An NBS export as .xls (its cells as the CSV export has them, written by
-- xlwt) through read_nbs: the same long table as from the CSV
local nbs_xls = dir .. "/nbs.xls"
T.python([==[
import sys, csv, xlwt
lines = open(sys.argv[1], encoding="gbk").read().splitlines()
book = xlwt.Workbook(encoding="utf-8"); ws = book.add_sheet("Sheet1")
for r, row in enumerate(csv.reader(lines)):
    for c, v in enumerate(row):
        try: ws.write(r, c, float(v))
        except ValueError: ws.write(r, c, v)
book.save(sys.argv[2])
]==], zb.paths.datasets .. "/nbs-province-gdp-2006-2024.gbk.csv", nbs_xls)
local from_xls = zb.read_nbs(nbs_xls, {name = "nbs_xls"})
T.eq(from_xls:to_csv(), zb.read_nbs(zb.paths.datasets .. "/nbs-province-gdp-2006-2024.gbk.csv", {name = "nbs_csv"}):to_csv(),
     "read_nbs reads an .xls export as it reads the CSV one")
T.eq(from_xls:count(), 589, "31 provinces by 19 years")

-- Options: range, skip, header, skip_footer
local part = zb.read_xlsx(yearbook, {range = "A5:C8", header = 1, name = "part"})
T.eq(table.concat(part.columns, ","), "c1,绝对数,增长%", "range: only its cells; an empty header cell is c1")
T.eq(part:count(), 3, "range: only its rows")
local open_end = zb.read_xlsx(yearbook, {range = "A4:E", name = "open_end"})
T.eq(dump(open_end), dump(gdp), "range = \"A4:E\": from row 4 to the end, the same table")
T.eq(#open_end.meta.notes, 2, "its notes: the error cell and the footnote (the title is outside)")
local raw = zb.read_xlsx(yearbook, {skip = 3, header = false, skip_footer = 1, name = "raw"})
T.eq(raw:count(), 6, "skip = 3, header = false: the header's rows are data")
T.eq(raw.meta.notes[4], "注：增长速度按不变价格计算。", "skip_footer's rows are notes")

-- A footnote of two cells under numbers would make their column text: it is
-- refused, with the skip_footer that takes it; text in a column of numbers
-- with numbers below it is data, as read_csv has it
local footed = dir .. "/footed.xlsx"
T.python([==[
import sys, openpyxl
for path, tail in ((sys.argv[1], [["注：数据来源", "统计局"], ["说明"]]), (sys.argv[2], [["r3", "n/a?", 3], ["r4", 4.5, 4]]),
                   (sys.argv[3], [["注：", "数据来源", "统计局"]]), (sys.argv[4], [["r3", "缺", 3]])):
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append(["地区", "a", "b"])
    for i in range(3): ws.append(["r%d" % i, i * 1.5, i])
    for row in tail: ws.append(row)
    wb.save(path)
]==], footed, dir .. "/texty.xlsx", dir .. "/full_foot.xlsx", dir .. "/last_row.xlsx")
T.fails(function() zb.read_xlsx(footed) end, footed .. " [Sheet]!A5: a row of text below the data " ..
        "makes column a, of numbers above it, text: if this row and those below it are notes under the table, say " ..
        "skip_footer = 2", "a footnote of two cells is refused, with the skip_footer that takes it and the note below")
local taken = zb.read_xlsx(footed, {skip_footer = 2})
T.eq(#taken .. " " .. taken:col("a")[3] .. " " .. table.concat(taken.meta.notes, "|"), "3 3.0 注：数据来源, 统计局|说明",
     "... which loads the rows, numbers as numbers, the two rows kept as notes")
T.eq(zb.read_xlsx(dir .. "/texty.xlsx"):col("a")[4], "n/a?", "text in a column of numbers, numbers below it: data")
T.fails(function() zb.read_xlsx(dir .. "/full_foot.xlsx") end, "full_foot.xlsx [Sheet]!A5: a row of text below the data " ..
        "makes column a, of numbers above it, text", "... and so is a note filling every column, no number in it")
T.eq(zb.read_xlsx(dir .. "/last_row.xlsx"):col("a")[4], "缺", "a last row of data with a number in it stays data")

-- Bad input, each with a message that says what the file is
local function copy(from, to)
  T.write(to, T.read(from))
  return to
end
T.fails(function() zb.read_xlsx(yearbook, {sheet = "2023"}) end, "no sheet '2023' (the workbook's 2: 分省, dates)",
        "a missing sheet: the ones there are listed")
T.fails(function() zb.read_xlsx(yearbook, {sheet = 3}) end, "no sheet 3", "a sheet number beyond the last")
local renamed = zb.read_xlsx(copy(xls, dir .. "/renamed.xlsx"), {name = "renamed"})
T.eq(renamed:count(), 2, "an .xls named .xlsx is read by its bytes, as an .xls")
T.eq(zb.read_xlsx(copy(yearbook, dir .. "/renamed.xls"), {name = "renamed2"}):count(), 4, "and an .xlsx named .xls")
local zip = dir .. "/data.zip"
os.execute("cd " .. dir .. " && printf 'a,b\\n' > a.csv && " ..
           T.PYTHON .. " -c \"import zipfile; zipfile.ZipFile('data.zip','w').write('a.csv')\"")
T.fails(function() zb.read_xlsx(zip) end, "a ZIP archive, but not an Excel workbook (it holds no xl/workbook.xml)",
        "a ZIP that is no workbook")
T.fails(function() zb.read_xlsx(dir .. "/a.csv") end, "if it is CSV text, read it with zb.read_csv", "CSV text")
T.fails(function() zb.read_xlsx(dir .. "/none.xlsx") end, "cannot open " .. dir .. "/none.xlsx", "a missing file")
-- An encrypted workbook is an OLE2 file holding an EncryptedPackage stream:
-- built here to the compound file format, checked by Debian's olefile.
local locked = dir .. "/locked.xlsx"
local streams = T.python([==[
import sys, struct, olefile
S = 512; END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
def entry(name, kind, left, right, child, start, size):
    n = (name + "\0").encode("utf-16-le")
    return n.ljust(64, b"\0") + struct.pack("<HBBIII16sIQQIQ", len(n), kind, 1, left, right, child, b"\0" * 16,
                                           0, 0, 0, start, size)[:64]
info, package = b"\4\0\4\0" + b"\0" * 4092, b"\0" * 4096   # 8 sectors each: no mini stream
fat = [FATSECT, END] + [i + 1 for i in range(2, 9)] + [END] + [i + 1 for i in range(10, 17)] + [END]
fat += [FREE] * (128 - len(fat))
dirs = entry("Root Entry", 5, FREE, FREE, 1, END, 0) + entry("EncryptionInfo", 2, FREE, 2, FREE, 2, 4096)
dirs += entry("EncryptedPackage", 2, FREE, FREE, FREE, 10, 4096) + b"\0" * 128
header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6,
         b"\0" * 6, 0, 1, 1, 0, 4096, END, 0, END, 0) + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
open(sys.argv[1], "wb").write(header + struct.pack("<128I", *fat) + dirs + info + package)
print(",".join("/".join(s) for s in sorted(olefile.OleFileIO(sys.argv[1]).listdir())))
]==], locked)
T.eq(streams, "EncryptedPackage,EncryptionInfo\n", "(olefile reads the encrypted workbook's streams)")
T.fails(function() zb.read_xlsx(locked) end, "an encrypted (password-protected) workbook", "an encrypted workbook")
T.fails(function() zb.read_xlsx(yearbook, {range = "C3:A1"}) end, "option 'range' must be cells in A1 form",
        "a range that is none")
T.fails(function() zb.read_xlsx(yearbook, {colour = 1}) end, "unknown option 'colour'", "an unknown option")
-- one-cell rows of text between rows of data, in the column of names:
-- headings of sections (一、经济), rows of the table as read_csv has them;
-- a footnote below stays a note
local sectioned = dir .. "/sections.xlsx"
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
for r in [["指标", 2021, 2022], ["一、经济", None, None], ["GDP", 100, 110], ["二、人口", None, None], ["人口", 5, 6], [],
          ["注：来源统计局"]]: ws.append(r)
wb.save(sys.argv[1])
]==], sectioned)
local sections = zb.read_xlsx(sectioned)
T.eq(table.concat(sections:col("指标"), ",") .. "|" .. sections:where("\"2021\" is null"):count() .. "|" ..
     table.concat(sections.meta.notes, ";"), "一、经济,GDP,二、人口,人口|2|注：来源统计局",
     "headings of sections in the table are rows of it (NULL beside them); the footnote a note")
-- a row of data below the footnote: its cell named
local stray = dir .. "/stray.xlsx"
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
ws.append(["a", "b"]); ws.append([1, 2]); ws.append(["a note"]); ws.append([3, 4])
wb.save(sys.argv[1])
]==], stray)
T.fails(function() zb.read_xlsx(stray) end, stray .. " [Sheet1]!A4: a row of data below the notes that start at row 3",
        "a row of data below a note: file, sheet and cell named")
local above = dir .. "/above.xlsx"
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
for r in (["GDP", 2021], [], ["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5], [6, 7, 8, 9, 10]): ws.append(r)
wb.save(sys.argv[1])
]==], above)
T.fails(function() zb.read_xlsx(above) end, above .. " [Sheet1]!B1: a number above the header (row 3), as data has: " ..
        "if the rows above the header are not data, say skip = 2", "a number above the header is refused, naming its cell")
T.eq(zb.read_xlsx(above, {skip = 2}).meta.notes[1], "GDP, 2021", "skip = 2 takes it as a note")
T.fails(function() zb.table("stray"):count() end, "stray", "nothing of the refused sheet is left")
-- a value right of the table, far below the rows read to find the header;
-- many error cells: each noted up to a point, then counted
local wide = dir .. "/wide.xlsx"
T.python([==[
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
ws.append(["a", "b", "c"])
for i in range(2, 300): ws.append([i, "#N/A", i * 0.5])
ws["D250"] = 7
ws["A300"] = "Source: made here"
for row in ws.iter_rows(min_row=2, max_row=299, min_col=2, max_col=2):
    row[0].data_type = "e"
wb.save(sys.argv[1])
]==], wide)
T.fails(function() zb.read_xlsx(wide) end, wide .. " [Sheet1]!D250: a value right of the table, whose 3 columns the header names",
        "a value right of the table, its cell named (row 250, streamed)")
local errs = zb.read_xlsx(wide, {range = "A1:C300"})
T.eq(errs:where("b is null"):count(), 298, "error cells are NULL")
T.eq(errs.meta.notes[#errs.meta.notes], "and 278 more error cells, read as NULL", "past 20, error cells are counted")
T.eq(#errs.meta.notes, 22, "the first 20 named")
T.eq(errs.meta.notes[21], "Source: made here", "and the footnote kept after them")
T.eq(errs.meta.notes[1], "B2 held #N/A, read as NULL", "the first named")
-- a damaged archive, and a sheet that is no XML
local damaged = dir .. "/damaged.xlsx"
T.write(damaged, T.read(yearbook):sub(1, 300))
T.fails(function() zb.read_xlsx(damaged) end, "not a readable ZIP archive, as an .xlsx is", "a cut-off archive")
local broken = dir .. "/broken.xlsx"
T.python([==[
import sys, zipfile
src, out = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w")
for item in src.infolist():
    data = src.read(item.filename)
    out.writestr(item, data[:len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
out.close()
]==], yearbook, broken)
T.fails(function() zb.read_xlsx(broken) end, "xl/worksheets/sheet1.xml in the archive is not well-formed XML",
        "a sheet cut short")
local dangling = dir .. "/dangling.xlsx"
T.python([==[
import sys, re, zipfile
src, out = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w")
for item in src.infolist():
    data = src.read(item.filename)
    if "sheet1" in item.filename: data = re.sub(rb'(<c r="A2" t="s"><v>)\d+', rb'\g<1>99', data)
    out.writestr(item, data)
out.close()
]==], shared, dangling)
T.fails(function() zb.read_xlsx(dangling) end, dangling .. " [数据]: cell A2 refers to shared string 99, which the workbook lacks",
        "a cell pointing past the shared strings, named")

-- Out of memory at any point of a load (ZB_FAIL_ALLOC: Lua's and SQLite's
-- allocations) ends in a clear error, never a crash (nor, in the sanitizer
-- run, a leak), and leaves no table
local script = dir .. "/oom.lua"
T.write(script, string.format("zb.read_xlsx(%q); zb.read_xlsx(%q, {name = 'x'}); print('finished')", yearbook, xls))
local function run(n) return T.run(T.shell_quote(script), {env = n and "ZB_FAIL_ALLOC=" .. n .. " " or ""}) end
T.eq(run().out, "finished\n", "the loads run whole without injection")
local enough = 1024
while run(enough).code ~= 0 and enough < 1e8 do enough = enough * 2 end
local bad = {}
for i = 1, (os.getenv("ZB_SLOW") and 10 or 30) do
  local n = math.floor(enough * i / 31) + 1
  local r = run(n)
  if not (r.code == 0 or (r.code == 1 and (r.err:find("not enough memory", 1, true) or r.err:find("out of memory", 1, true)))) then
    bad[#bad + 1] = string.format("N=%d: exit %s, %s", n, tostring(r.code), r.err:match("[^\n]*") or "")
  end
end
T.eq(table.concat(bad, "; "), "", "out of memory anywhere up to " .. enough .. " allocations: a clear error each time")

-- The REPL's .import loads a workbook's first sheet
local imported = T.run("-n", {stdin = ".import " .. yearbook .. " imported\nprint(zb.table('imported'):count())\n"})
T.has(imported.out, "\n4\n", "the REPL's .import loads a workbook", imported.err)

-- read_csv names the reader of a workbook
T.fails(function() zb.read_csv(yearbook) end, "read a workbook with zb.read_xlsx", "read_csv on an .xlsx names read_xlsx")
T.fails(function() zb.read_csv(xls) end, "an Excel workbook in an OLE2 file (an old .xls, or an encrypted .xlsx), not CSV text: " ..
        "read it with zb.read_xlsx, which says which",
        "and on an .xls")

-- The libraries are opened at the first workbook read; a safe session opens
-- them before the kernel's sandbox closes their files
local safe = T.run(string.format("--safe --allow %s -e %s", T.shell_quote(dir), T.shell_quote(
  string.format("print(zb.read_xlsx(%q):count(), zb.read_xlsx(%q, {name = 'x'}):count())", yearbook, xls))))
T.eq(safe.out, "4\t2\n", "a safe session reads .xlsx and .xls inside --allow", safe.err)

T.done()
