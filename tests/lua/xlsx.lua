-- Excel out (issue 15, part 4): tables written by libxlsxwriter, read
-- back by Python's openpyxl and pandas (Debian's python3-openpyxl).
local T = require("check")
if not T.have_python("openpyxl, pandas") then T.done() end
local dir = T.tmpdir()

local gdp = zb.dataset("nbs-province-gdp", {vintage = "2025 export"})
local path = gdp:to_xlsx(dir .. "/gdp.xlsx")
T.eq(path, dir .. "/gdp.xlsx", "to_xlsx returns the path written")
local facts = T.python([==[
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
zj = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "浙江省"][0]
header = [c.value for c in ws[1]]
print(wb.sheetnames[0], ws.freeze_panes, ws["A1"].font.b, sep="|")
print(type(zj[header.index("2021年")]).__name__, zj[header.index("2021年")], sep="|")
print(ws.column_dimensions["A"].width >= 16, sep="|")
print(ws.cell(row=ws.max_row, column=1).value)
print(ws.cell(row=33, column=1).value, ws.cell(row=34, column=1).value, sep="|")
]==], path)
local lines = {}
for line in facts:gmatch("[^\n]+") do lines[#lines + 1] = line end
T.eq(lines[1], "nbs-province-gdp|A2|True", "a sheet named after the table, the header bold and frozen")
T.eq(lines[2], "float|76765.3", "numbers stay numbers (Zhejiang 2021)")
T.eq(lines[3], "True", "the first column as wide as 新疆维吾尔自治区 takes (16 display columns)")
T.eq(lines[4], "Source: dataset nbs-province-gdp; 2025 export", "the source under the table")
T.eq(lines[5], "None|数据库：分省年度数据", "a blank row, then the file's notes")

-- Every cell as pandas reads it, against zb's own rows
local frame = T.python([==[
import sys, pandas as pd
df = pd.read_excel(sys.argv[1], nrows=31)
print(df.to_csv(index=False, lineterminator="\n"), end="")
]==], path)
local csv = gdp:to_csv():gsub("\r\n", "\n")
T.eq(frame, csv, "pandas reads back every cell zb wrote (31 provinces, 19 years)")

-- Every double exactly: libxlsxwriter writes 16 significant digits, and
-- the numbers they do not give back are written again with 17
local exact = zb.sql([[select 0.1 + 0.2 as a, 1211331651866.0857 as b, 1 / 3.0 as c, 2.5 as d, -1e-300 as e
                       union all select 12345678.123456789, 4.35, 9007199254740991.0, 0.1, 5e-324]])
local digits = T.python([==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
for r in ws.iter_rows(min_row=2, max_row=3, values_only=True): print(" ".join(repr(v) for v in r))
]==], exact:to_xlsx(dir .. "/exact.xlsx"))
local want = {}
for r in exact:rows() do
  local cells = {}
  for i = 1, 5 do cells[i] = string.format("%.17g", r[i]) end
  want[#want + 1] = table.concat(cells, " ")
end
local got = {}
for line in digits:gmatch("[^\n]+") do
  local cells = {}
  for v in line:gmatch("%S+") do cells[#cells + 1] = string.format("%.17g", tonumber(v)) end
  got[#got + 1] = table.concat(cells, " ")
end
T.eq(table.concat(got, "\n"), table.concat(want, "\n"), "every double read back by openpyxl as the very number written")
local wb = zb.read_worldbank(zb.paths.datasets .. "/wdi-gdp-api.csv")
local differ = T.python([==[
import sys, pandas as pd
b = pd.read_csv(sys.argv[2], float_precision="round_trip"); a = pd.read_excel(sys.argv[1], nrows=len(b))
print(len(a), int((a["value"].values != b["value"].values).sum()))
]==], wb:to_xlsx(dir .. "/wdi.xlsx"), wb:to_csv(dir .. "/wdi.csv"))
T.eq(differ, "13979 0\n", "the World Bank's 13,979 values, through Excel, as pandas reads them from zb's CSV")

-- Several tables, a sheet each; values Excel cannot hold as numbers
local odd = zb.sql("select 9007199254740993 as big, 1.5 as x, NULL as none, '杭州' as city, 1 = 1 as yes")
local book = zb.to_xlsx(dir .. "/two.xlsx", {["省"] = gdp:select("地区", "2021年"), ["其他"] = odd})
local read = T.python([==[
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["其他"]
print(",".join(wb.sheetnames))
print("|".join(repr(c.value) for c in ws[2]))
]==], book)
T.eq(read, "其他,省\n'9007199254740993'|1.5|None|'杭州'|1\n",
     "sheets in name order; an integer beyond 2^53 as its text, NULL blank, Chinese text as written")

-- Columns formatted with t:format keep their numbers, in Excel's number
-- formats; Gnumeric (ssconvert, its formats as Excel's) shows each cell as
-- the terminal does: Excel divides by 1000s and by 0.01 (%) itself, a
-- column in 万 or 亿 holds its values divided
local formatted = zb.sql([[select 18109.5 as gdp, 12.345 as share, 9000 as k, 5 as n, 11936010 as wan,
    0.123 as frac, 5 as s2, 84838000000 as yi, 7 as q, 2500 as m, -1234567 as neg, 0.125 as tie, -2.5 as half, 9007199254740993 as huge]])
  :format{gdp = {decimals = 1, thousands = true}, share = {percent = 1}, k = {scale = "千", decimals = 1},
          wan = {scale = "万", decimals = 1}, frac = {percent = 1, scale = 0.01}, s2 = {scale = 1000, decimals = 3},
          yi = {scale = "亿", decimals = 2, suffix = '元"'}, q = {scale = "万"}, m = {scale = 1e6, decimals = 4},
          neg = {thousands = true, suffix = "元"}, tie = {decimals = 2}, half = {decimals = 0}, huge = {thousands = true}}
local formats_path = formatted:to_xlsx(dir .. "/formats.xlsx")
local shown = T.python([==[
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print("|".join("%r %s" % (c.value, c.number_format) for c in ws[2]))
]==], formats_path)
T.eq(shown, '18109.5 #,##0.0|12.345 0.0"%"|9000 0.0,"千"|5 General|1193.601 0.0"万"|0.123 0.0%|5 0.000,'
       .. '|848.38 0.00"亿""元"\\"""|0.0007 General"万"|2500 0.0000,,|-1234567 #,##0"元"|0.125 0.00|-2.5 0|\'9,007,199,254,740,993\' General\n',
     "Excel's formats: decimals, thousands, a percentage, a fraction as %, 1000s as commas; 万 and 亿 divided")
local box = zb.render(formatted, {mode = "box", width = 400})
local terminal = {}
for cell in select(4, table.unpack(T.lines(box))):gmatch("│([^│]+)") do terminal[#terminal + 1] = cell:match("^%s*(.-)%s*$") end
local ssconvert = io.popen("ssconvert --export-type=Gnumeric_stf:stf_assistant"
  .. " -O 'format=preserve separator=| quoting-mode=never' " .. T.shell_quote(formats_path) .. " fd://1 2>/dev/null")
local gnumeric = T.lines(ssconvert:read("a"))[2]:gsub("−", "-")  -- its minus sign is U+2212
ssconvert:close()
T.eq(gnumeric, table.concat(terminal, "|"), "Gnumeric shows each formatted cell as the terminal does (ssconvert)")
local column_widths = T.python([==[
import sys, openpyxl
from openpyxl.utils import get_column_letter
ws = openpyxl.load_workbook(sys.argv[1]).active
print(" ".join("%d" % ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)))  # libxlsxwriter adds 0.71
]==], formats_path)
local fit, k = {}, 0
for cell in (gnumeric .. "|"):gmatch("([^|]*)|") do
  k = k + 1
  fit[k] = string.format("%g", math.max(zb.width(formatted.columns[k]), zb.width(cell)) + 2)
end
T.eq(column_widths, table.concat(fit, " ") .. "\n",
     "a formatted column as wide as its text as Gnumeric shows it (and its name), not its value written in full")
local fraction = zb.sql("select 12.5 as x"):format{x = {thousands = true}}
T.fails(function() fraction:to_xlsx(dir .. "/fraction.xlsx") end,
         "to_xlsx: x holds 12.5 (row 1): Excel's thousands separator needs the number of decimals",
         "a fraction under a thousands separator without decimals is refused, not rounded by Excel")
T.ok(not io.open(dir .. "/fraction.xlsx"), "and nothing is written")

-- libxlsxwriter is opened at the first workbook written; a safe session
-- opens it before the kernel's sandbox closes the library's files
local safe = T.run(string.format("--safe --allow %s -e %s", T.shell_quote(dir), T.shell_quote(
  string.format("zb.sql('select 1 as a'):to_xlsx(%q); print('written')", dir .. "/safe.xlsx"))))
T.eq(safe.out, "written\n", "a safe session writes .xlsx inside --allow", safe.err)

-- Errors: nothing half-written, the old file untouched
T.write(dir .. "/keep.xlsx", "old")
T.fails(function() zb.to_xlsx(dir .. "/keep.xlsx", {["a/b"] = odd}) end, "cannot name a sheet 'a/b'", "a bad sheet name")
T.eq(T.read(dir .. "/keep.xlsx"), "old", "... leaves the old file as it was")
local leftover = io.popen("ls " .. T.shell_quote(dir) .. " | grep -c tmp"):read("l")
T.eq(leftover, "0", "... and no temporary file")
T.fails(function() odd:to_xlsx(dir .. "/no/such/dir.xlsx") end,
        "cannot write " .. dir .. "/no/such/dir.xlsx: No such file or directory", "a directory that does not exist: the system's reason")
do
  local missing = T.run("-e " .. T.shell_quote(string.format("zb.sql('select 1 as a'):to_xlsx(%q)", dir .. "/no/such/d.xlsx")))
  T.eq(missing.err:match("^[^\n]*"), "zb: (command line):1: cannot write " .. dir .. "/no/such/d.xlsx: No such file or directory",
       "... said once, by zb (libxlsxwriter's own [ERROR] line and 'usually a permissions error' not printed)")
end
T.fails(function() zb.to_xlsx(dir .. "/e.xlsx", {}) end, "to_xlsx: no tables to write", "no tables")
T.fails(function() zb.sql("select 1 as a union all select printf('%.*c', 40000, 'x')"):to_xlsx(dir .. "/long.xlsx") end,
        "cannot write row 3, column 1: Excel holds at most 32,767 characters in a cell",
        "text beyond Excel's limit: its row and column named")
T.ok(not io.open(dir .. "/long.xlsx"), "... and nothing written")
T.fails(function() odd:to_xlsx(dir .. "/o.xlsx", {shet = "x"}) end, "to_xlsx: unknown option 'shet'", "options are checked")
T.cleanup()
T.done()
