-- Report-ready output: t:format (per-column number formats), the display
-- precision of reals, exports in GB18030 or with a BOM, markdown captions.
-- Python (and pandas) is the reference for every number shown.
local T = require("check")
local dir = T.tmpdir()
if not T.have_python("pandas") then T.done() end

local lines = T.lines

-- The cells of a box's data rows: {row = {cell, ...}}, trimmed.
local function box_cells(text)
  local rows = {}
  for _, line in ipairs(lines(text)) do
    if line:find("^│") then
      local cells = {}
      for cell in line:gmatch("│([^│]*)") do
        if cell ~= "" then cells[#cells + 1] = cell end
      end
      rows[#rows + 1] = cells
    end
  end
  table.remove(rows, 1)  -- the header
  return rows
end

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

---------------------------------------------------------------------------
-- A. t:format

local data = {
  {"杭州市", 18109.42, 12.345, 11936010},
  {"宁波市", 14594.9, 9.8, 9404283},
  {"舟山", 1703.6, 0.25, 1157817},
}
local parts = {}
for i, r in ipairs(data) do
  parts[i] = string.format("select '%s' as city, %.17e as gdp, %.17e as share, %d as pop", r[1], r[2], r[3], r[4])
end
local t = zb.sql(table.concat(parts, " union all ") .. " order by gdp desc")
local f = t:format{gdp = {decimals = 2, thousands = true}, share = {percent = 1}, pop = {scale = "万", decimals = 1}}

-- What Python's Decimal writes for the same formats, rounding as Excel and
-- 四舍五入 do (15 significant digits, half away from zero): ,.2f; .1f
-- and %; /1e4 .1f and 万.
local EXCEL_ROUND = [==[
from decimal import Decimal, ROUND_HALF_UP
def excel(x, d):
    return Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
]==]
local want = T.python(EXCEL_ROUND .. [==[
rows = [(18109.42, 12.345, 11936010), (14594.9, 9.8, 9404283), (1703.6, 0.25, 1157817)]
for gdp, share, pop in rows:
    print(f"{excel(gdp, 2):,}|{excel(share, 1)}%|{excel(pop / 1e4, 1)}万")
]==])
local box = zb.render(f, {mode = "box"})
local got = {}
for _, cells in ipairs(box_cells(box)) do
  got[#got + 1] = trim(cells[2]) .. "|" .. trim(cells[3]) .. "|" .. trim(cells[4])
end
T.eq(table.concat(got, "\n") .. "\n", want, "format: decimals with thousands, percent, 万, as Python's Decimal rounds them")
-- ties and near-ties, against the same reference
local ties = {0.125, 2.5, -7.25, 2.675, -2.5, 0.5, 1.005, 99.995, -0.0049, 1234567.8949999999, 0.30000000000000004}
local tied = {}
for i, x in ipairs(ties) do tied[i] = string.format("select %d as i, %.17g as x", i, x) end
local rounded = zb.sql(table.concat(tied, " union all ") .. " order by i"):format{x = {decimals = 2}}
local shown = {}
for _, cells in ipairs(box_cells(zb.render(rounded, {mode = "box"}))) do shown[#shown + 1] = trim(cells[2]) end
local args = {}
for i, x in ipairs(ties) do args[i] = string.format("%.17g", x) end
T.eq(table.concat(shown, " ") .. "\n", T.python(EXCEL_ROUND .. [==[
import sys
print(" ".join(str(excel(float(a), 2)) for a in sys.argv[1:]).replace("-0.00", "-0.00"))
]==], table.unpack(args)), "ties round half away from zero, as Excel and 四舍五入 (0.125 as 0.13, 2.675 as 2.68)")
local row1 = box_cells(box)[1]
T.ok(row1[2]:match("^ +18,109%.42 $") and row1[4]:match("^ +1193%.6万 $"), "formatted numbers stay right-aligned", row1[2])

-- Every line of the box the same width in terminal columns (Chinese text beside 万).
local widths, same = {}, true
for _, line in ipairs(lines(box)) do widths[#widths + 1] = zb.width(line) end
for _, w in ipairs(widths) do same = same and w == widths[1] end
T.ok(same, "a formatted box keeps its Chinese text aligned", table.concat(widths, " "))

-- The values stay numbers, exact.
T.eq(f:where{city = "杭州市"}:select("gdp"):value(), 18109.42, "value() is the exact number")
local firsts = {}
for r in f:rows() do firsts[#firsts + 1] = r.share end
T.eq(firsts[3], 0.25, "rows() give the exact numbers")
T.eq(math.type(f:col("pop")[1]), "integer", "an integer column stays integers")
T.eq(f:to_csv(), t:to_csv(), "CSV export is exact unless asked")
T.eq(f:to_json(), t:to_json(), "JSON export is exact unless asked")
T.has(f:to_csv(), "18109.42,12.345,11936010", "... the digits as stored")

-- The formats survive where, order, limit, select, rename, distinct, a group key.
local kept = f:where("pop > ?", 2000000):order("gdp"):limit(5)
T.has(zb.render(kept, {mode = "box"}), "14,594.90", "format survives where, order and limit")
T.eq(kept.formats.share.percent, 1, "t.formats shows them")
T.has(zb.render(f:select("city", "gdp"):rename{gdp_yuan = "gdp"}:distinct(), {mode = "box"}), "18,109.42",
      "format follows a column through select, rename and distinct")
T.has(zb.render(f:group("pop"):agg{n = "count(*)"}, {mode = "box"}), "1193.6万", "a group key keeps its format")
local remade = zb.render(f:mutate{gdp = "gdp * 2"}, {mode = "box"})
T.has(remade, "36218.84", "a column made anew has no format")
T.hasnt(remade, "36,218.84", "... not the old one's")
T.has(remade, "12.3%", "... while the others keep theirs")
T.has(zb.render(f:format{share = false}, {mode = "box"}), "12.345", "false drops a column's format")
T.has(zb.render(f:agg{total = "sum(gdp)"}, {mode = "box"}), "34407.92", "an aggregate has no format")

-- Markdown and the line mode honour formats; the REPL's printing too.
local md = zb.render(f, {mode = "markdown"})
T.has(md, "| 杭州市 | 18,109.42 | 12.3% | 1193.6万 |", "markdown shows the formats")
T.has(md, "|--------|----------:|------:|---------:|", "... numbers right-aligned")
T.has(zb.render(f:limit(1), {mode = "line"}), "gdp = 18,109.42", "line mode shows them")
local repl = T.run("-n", {stdin = 't = zb.sql("select 1234567.5 as gdp, 0.5 as x")\nt:format{gdp = {thousands = true, decimals = 1}}\n'})
T.has(repl.out, "│ 1,234,567.5 │", "the REPL's auto-print shows the format")

-- Other options: a thousands separator of its own, a number scale, a suffix,
-- 亿 with the column's own decimals, NULL and text as they were.
local misc = zb.sql("select 123456789 as a, 250000000000.0 as b, 0.1234 as c, NULL as d union all select 1000, 1.5e8, 0.5, 'x'")
local shown = zb.render(misc:format{a = {thousands = " "}, b = {scale = "亿"}, c = {scale = 0.01, percent = 2},
                                    d = {decimals = 1}}, {mode = "box"})
T.has(shown, "123 456 789", "a separator of one's own")
T.has(shown, "2500.0亿", "亿 with the column's decimals (2500 and 1.5)")
T.has(shown, "   1.5亿", "... 1.5亿 below it")
T.has(shown, "12.34%", "a fraction as a percent through scale = 0.01")
T.has(shown, "NULL", "NULL in a formatted column shows as NULL")
T.has(zb.render(zb.sql("select 18109 as v"):format{v = {suffix = " 亿元"}}, {mode = "box"}), "18109 亿元", "a suffix")
T.has(zb.render(zb.sql("select -1234567.891 as v"):format{v = {decimals = 2, thousands = true}}, {mode = "box"}),
      "-1,234,567.89", "a negative number keeps its sign before the groups")

-- With human on, a column with a format shows its format; the others as people read them.
local units = zb.sql("select 18109.0 as value, '亿元' as unit, 2.5e12 as other union all select 2234.5, '亿元', 1.0")
local people = zb.render(units:format{value = {decimals = 1, thousands = true}}, {mode = "box", human = true})
T.has(people, "│ 18,109.0 │ 亿元 │", "a format wins over human")
T.has(zb.render(units, {mode = "box", human = true}), "1.81万亿元", "... which shows the column without one")

-- Formatted exports, when asked.
local path = f:to_csv(dir .. "/formatted.csv", {formatted = true})
local read = T.python([==[
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str)
print(df.loc[0, "gdp"], df.loc[0, "share"], df.loc[0, "pop"])
]==], path)
T.eq(read, "18,109.42 12.3% 1193.6万\n", "to_csv{formatted = true} writes the numbers as shown (pandas reads them)")
T.has(f:to_json{formatted = true}, '"gdp":"18,109.42"', "to_json{formatted = true}: the shown text")

-- Mistakes say what is wrong.
T.fails(function() t:format{gdp = {decimal = 2}} end, "format gdp: unknown option 'decimal'", "an unknown format option")
T.fails(function() t:format{gpd = {decimals = 2}} end, "format: no such column: gpd", "a column that is not there")
T.fails(function() t:format{gdp = {scale = "兆"}} end, "unknown scale 兆 (scales: 千, 万, 百万, 亿, 万亿", "an unknown scale")
T.fails(function() t:format{gdp = {decimals = 2, percent = 1}} end, "not both", "decimals and percent together")
T.fails(function() t:format{gdp = {decimals = -1}} end, "decimals must be from 0 to 17", "negative decimals")
T.fails(function() t:format{gdp = "0.00"} end, "a format is a table", "a format that is not a table")
T.fails(function() t:format("gdp") end, "bad argument #1 to 'format'", "format needs a table")
T.eq(zb.table.docs.format[1], "{column = {decimals =, thousands =, percent =, scale =, suffix =} | false, ...}",
     "format's doc line shows its options")

---------------------------------------------------------------------------
-- B. The display precision of reals, column by column as pandas shows them.

local cols = {a = {14.62, 12.2}, b = {12.196526195123, 3.0}, c = {0.1 + 0.2, 1.0}, f = {64632.0, 67164.5},
              g = {-2.5, 100.125}}
local names = {"a", "b", "c", "f", "g"}
local selects = {}
for i = 1, 2 do
  local fields = {}
  for _, name in ipairs(names) do fields[#fields + 1] = string.format("%.17e as %s", cols[name][i], name) end
  selects[i] = "select " .. table.concat(fields, ", ")
end
local reals = zb.sql(table.concat(selects, " union all "))
local pandas = T.python([==[
import pandas as pd
df = pd.DataFrame({"a": [14.62, 12.2], "b": [12.196526195123, 3.0], "c": [0.1 + 0.2, 1.0],
                   "f": [64632.0, 67164.5], "g": [-2.5, 100.125]})
for line in df.to_string(index=False, header=False).split("\n"):
    print(" ".join(line.split()))
]==])
local ours = {}
for _, cells in ipairs(box_cells(zb.render(reals, {mode = "box"}))) do
  local row = {}
  for i, cell in ipairs(cells) do row[i] = trim(cell) end
  ours[#ours + 1] = table.concat(row, " ")
end
T.eq(table.concat(ours, "\n") .. "\n", pandas, "reals print as pandas prints them (precision 6, common zeros off)")
T.has(zb.render(reals, {mode = "box"}), "│ 12.20 │", "14.62 and 12.2 show as 14.62 and 12.20")

local special = zb.render(zb.sql([[select 1 as i, 18109.0 as whole, 1e-9 as tiny, 1e20 as huge, NULL as n, 0.5 as h
  union all select 12345678901234567, 2234.0, 2.5e-10, 3.5e20, NULL, NULL]]), {mode = "box"})
T.has(special, "│ 12345678901234567 │  2234 │", "integers as they are; whole reals whole")
T.has(special, "1.0e-09", "tiny reals in scientific notation")
T.has(special, "2.5e-10", "... each readable")
T.has(special, "3.5e+20", "huge reals too")
T.has(special, "│ NULL │ NULL │", "NULL as NULL")

local long = zb.sql("select 12.196526195123 as x")
T.has(zb.render(long, {mode = "box"}), "│ 12.196526 │", "12.196526195… shows 6 decimals")
T.has(zb.render(long, {mode = "box", precision = 2}), "│ 12.2 │", "render{precision = 2}: 12.20, its zero off (as pandas)")
T.eq(zb.precision(), 6, "the precision is 6 by default")
zb.precision(3)
T.has(zb.render(long, {mode = "box"}), "│ 12.197 │", "zb.precision(3) sets it")
zb.precision(6)
T.eq(long:value(), 12.196526195123, "value() stays exact")
T.eq(long:to_csv(), "x\n12.196526195123\n", "CSV stays exact")
T.eq(long:to_json(), '[\n{"x":12.196526195123}\n]\n', "JSON stays exact")
T.fails(function() zb.precision(18) end, "precision: expected a whole number from 0 to 17", "a precision too large")
T.fails(function() zb.render(long, {precision = -1}) end, "from 0 to 17", "render's precision checked too")
local set = T.run("-n", {stdin = ".precision 2\n.precision\nzb.sql('select 12.196526195123 as x')\n.precision x\n"})
T.has(set.out, "2\n", ".precision with no N shows it")
T.has(set.out, "│ 12.2 │", ".precision 2 sets it in the REPL")
T.has(set.err, "usage: .precision [N]", ".precision x is refused")

---------------------------------------------------------------------------
-- C. GB18030 and a BOM.

local text = zb.sql([[select '杭州市' as 城市, 18109.42 as gdp, '𠀀 and €' as note
  union all select '乌鲁木齐', 3691.57, 'a "quoted", text']])
local gb = text:to_csv(dir .. "/gb.csv", {encoding = "gb18030"})
local utf8_path = text:to_csv(dir .. "/utf8.csv")
local same = T.python([==[
import sys
utf8 = open(sys.argv[1], "rb").read().decode("utf-8")
gb = open(sys.argv[2], "rb").read()
print(gb == utf8.encode("gb18030"))
]==], utf8_path, gb)
T.eq(same, "True\n", "encoding = gb18030 writes the bytes Python's gb18030 codec writes")
local back = zb.read_csv(gb, {encoding = "gb18030", name = "gb_back"})
T.eq(back:to_csv(), text:to_csv(), "... and zb.read_csv reads it back")
local by_pandas = T.python([==[
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], encoding="gb18030")
print(list(df.columns), df.iloc[0, 0], repr(df.iloc[0, 1]), df.iloc[0, 2], df.iloc[1, 0], df.iloc[1, 2])
]==], gb)
T.eq(by_pandas, "['城市', 'gdp', 'note'] 杭州市 18109.42 𠀀 and € 乌鲁木齐 a \"quoted\", text\n",
     "... and pandas reads it with encoding=gb18030")

local bom = text:to_csv(dir .. "/bom.csv", {bom = true})
T.eq(T.read(bom), "\239\187\191" .. T.read(utf8_path), "bom = true: a UTF-8 BOM, then the CSV")
local bom_back = zb.read_csv(bom, {name = "bom_back"})
T.eq(bom_back.columns[1], "城市", "zb.read_csv skips the BOM")
T.eq(bom_back:to_csv(), text:to_csv(), "... and reads the rest as written")
T.eq(T.python([==[
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], encoding="utf-8-sig")
print(df.columns[0], df.iloc[1, 0])
]==], bom), "城市 乌鲁木齐\n", "pandas reads it with encoding=utf-8-sig")
T.eq(text:to_csv{bom = true}, "\239\187\191" .. text:to_csv(), "a BOM in the text too")
T.has(text:to_tsv{encoding = "gbk"}, "\186\188\214\221\202\208", "gbk writes GB18030 (杭州市 as GBK bytes)")

-- A failure writes nothing: the file there before stays, no temporary is left.
T.write(dir .. "/kept.csv", "old\n")
T.fails(function() zb.sql("select 'a' || char(1) || x'ff' as bad"):to_csv(dir .. "/kept.csv", {encoding = "gb18030"}) end,
        "cannot be written as GB18030", "bytes that are not UTF-8 cannot be converted: an error")
T.eq(T.read(dir .. "/kept.csv"), "old\n", "... the file there before is untouched")
local left = io.popen("ls " .. T.shell_quote(dir) .. " | grep -c tmp"):read("a")
T.eq(left, "0\n", "... and no temporary file is left")
T.fails(function() text:to_csv(dir .. "/x.csv", {encoding = "latin1"}) end, "unknown encoding 'latin1'", "an unknown encoding")
local _, latin1 = pcall(function() text:to_csv(dir .. "/x.csv", {encoding = "latin1"}) end)
T.eq(select(2, tostring(latin1):gsub("format%.lua:%d+: ", "")), 1, "... named at the user's line, once: " .. tostring(latin1))
T.ok(not io.open(dir .. "/x.csv"), "... and no file is begun")
T.fails(function() text:to_csv(dir .. "/x.csv", {encoding = "gb18030", bom = true}) end, "bom is for UTF-8", "no BOM in GB18030")
T.fails(function() text:to_csv(dir .. "/x.csv", {caption = "x"}) end, "to_csv: unknown option 'caption'", "to_csv's options checked")

---------------------------------------------------------------------------
-- D. Markdown: tables apart, a caption and notes.

local two = T.run("-n --markdown -e " .. T.shell_quote('t = zb.sql("select 1 as a") print(t) print(t)'))
T.eq(two.out, "| a |\n|--:|\n| 1 |\n\n| a |\n|--:|\n| 1 |\n\n", "two markdown tables printed apart by a blank line")
local md_path = f:to_markdown(dir .. "/gdp.md", {caption = "表1 地区生产总值", notes = "注：当年价格。"})
local md_text = T.read(md_path)
T.has(md_text, "| 舟山   |  1,703.60 |  0.3% |  115.8万 |\n\n表1 地区生产总值\n\n注：当年价格。\n",
      "to_markdown{caption =, notes =}: lines under the table, formats shown")
T.eq(zb.sql("select 1 as a"):to_markdown{notes = {"注：一。", "资料来源：二。"}}, "| a |\n|--:|\n| 1 |\n\n注：一。\n\n资料来源：二。\n\n",
     "to_markdown{notes = a list}: a line each")
T.ok(md_text:find("^| city") ~= nil, "... the table first")
T.eq(f:to_markdown{caption = "c"}, zb.render(f, {mode = "markdown", all = true}) .. "\nc\n\n", "the text has them too")
local both = f:to_markdown() .. f:to_markdown()
T.has(both, "万 |\n\n| city", "two markdown exports written one after the other stay two tables")

T.cleanup()
T.done()
