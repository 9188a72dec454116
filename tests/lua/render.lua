-- The renderer: box, markdown, line, csv, tsv, json; exports; CJK widths.
local T = require("check")
local dir = T.tmpdir()

local hz = zb.dataset("hangzhou-2021", {name = "hz"})

local lines = T.lines

-- Display width by the C library (wcswidth through GNU wc -L in a UTF-8 locale).
local function libc_width(s)
  local path = dir .. "/line.txt"
  T.write(path, s .. "\n")
  local p = io.popen("LC_ALL=C.UTF-8 wc -L < " .. T.shell_quote(path))
  local n = tonumber(p:read("a"))
  p:close()
  return n
end

-- Box: every line the same width, measured by libc, on real Chinese text.
local box = zb.render(hz:select("region", "indicator", "value", "unit", "section", "source"):limit(6), {mode = "box"})
local box_lines = lines(box)
T.eq(#box_lines, 10, "a box: rule, header, rule, six rows, rule")
local want = libc_width(box_lines[1])
local aligned = true
for i, line in ipairs(box_lines) do
  local w = libc_width(line)
  if w ~= want then
    aligned = false
    T.ok(false, "box line " .. i .. " is " .. w .. " columns, not " .. want, line)
  end
  T.eq(zb.width(line), w, "zb.width agrees with wcswidth on box line " .. i)
end
T.ok(aligned, "every line of the box is equally wide on a terminal (wcswidth)")
T.has(box, "│ 杭州市 │", "Chinese text is padded by display width")
T.has(box, "│ 18109 │", "numbers right-aligned, reals without noise")
T.has(box_lines[2], "│ value │", "a numeric column's header is right-aligned")

local mixed = zb.sql("select null as a, '' as b, 0.1 + 0.2 as c, 1e20 as d, -0.5 as e, 12345678901234567 as f")
local m = zb.render(mixed, {mode = "box"})
T.has(m, "│ NULL │   │ 0.3 │ 1e+20 │ -0.5 │ 12345678901234567 │", "NULL differs from the empty string; 0.1 + 0.2 as 0.3, huge as 1e+20, integers whole")

local long = zb.sql("select ? as note, 1 as n", string.rep("很长的说明", 20))
local cut = zb.render(long, {mode = "box", width = 40})
for _, line in ipairs(lines(cut)) do
  T.ok(zb.width(line) <= 40, "a long cell is cut to fit the width", line)
end
T.has(cut, "…", "... marked with …")

local odd = zb.sql("select ? as t", "a\tb\nc\1" .. "\255")
T.has(zb.render(odd, {mode = "box"}), "a\\tb\\nc\\x01\\xFF", "control bytes and invalid UTF-8 show as escapes")

local many = zb.sql("with recursive n(i) as (values (1) union all select i + 1 from n where i < 100) select i from n")
local short = zb.render(many, {mode = "box", maxrows = 6})
local short_lines = lines(short)
T.has(short_lines[4], "│   1 │", "a long table shows its first rows ...")
T.has(short, "│   … │", "... a … line ...")
T.has(short_lines[#short_lines - 2], "│ 100 │", "... its last rows ...")
T.has(short_lines[#short_lines], "100 rows (6 shown", "... and the row count")
T.eq(#short_lines, 6 + 1 + 5, "six rows, the … line, rules, header and count")
T.eq(#lines(zb.render(many, {mode = "box", maxrows = 0})), 100 + 4, "maxrows 0 shows every row")
T.has(zb.render(zb.sql("select 1 as a where 0"), {mode = "box"}), "0 rows", "an empty table says so")

-- Markdown, line.
local md = zb.render(hz:where{indicator = {"gdp", "tax_revenue"}}:select("indicator", "value", "unit"), {mode = "markdown"})
T.eq(md, "| indicator   | value | unit |\n|-------------|------:|------|\n| gdp         | 18109 | 亿元 |\n| tax_revenue |  2234 | 亿元 |\n",
     "markdown: a GitHub table, numbers right-aligned, a blank line after it")
T.has(zb.render(zb.sql("select 'a|b' as x"), {mode = "markdown"}), "a\\|b", "markdown escapes |")
T.eq(zb.render(hz:where{indicator = "gdp"}:select("indicator", "value"), {mode = "line"}),
     "indicator = gdp\n    value = 18109", "line: a field a line, names right-aligned")

-- CSV, TSV, JSON: every row, values exact.
-- The reals are bound from Lua: SQLite parses literals in long double, which
-- valgrind runs at double precision.
local values = zb.sql([[select 'say "hi", twice' as text, null as missing, '' as empty, ? as tenth,
                        ? as third, ? as huge, 9223372036854775807 as big, '杭州' as city]], 0.1, 1 / 3, 1e300)
local csv = values:to_csv()
T.eq(csv, 'text,missing,empty,tenth,third,huge,big,city\n"say ""hi"", twice",,"",0.1,0.3333333333333333,1e+300,9223372036854775807,杭州\n',
     "csv: quotes doubled, NULL empty, the empty string \"\", reals that read back")
local csv_path = values:to_csv(dir .. "/values.csv")
T.eq(csv_path, dir .. "/values.csv", "to_csv(path) returns the path")
T.eq(T.read(csv_path), csv, "... and writes the same text")
local back = zb.read_csv(csv_path, {name = "values_back"})
local r = back:first()
T.ok(r.tenth == 0.1 and r.third == 1.0 / 3 and r.huge == 1e300 and r.big == 9223372036854775807 and r.city == "杭州",
     "a CSV export reads back exactly", tostring(r))
local wide = hz:to_csv(dir .. "/hz.csv")
T.eq(#zb.read_csv(wide, {name = "hz_back"}), 36, "every row is exported, not the screenful")
T.eq(zb.table("hz_back"):where{indicator = "gdp"}:select("value"):value(), 18109.0, "... with its values")
T.eq(zb.render(zb.sql("select 'a\tb' as x, null as y"), {mode = "tsv"}), "x\ty\na\\tb\t", "tsv escapes tabs")
local json = values:to_json()
T.eq(json, '[\n{"text":"say \\"hi\\", twice","missing":null,"empty":"","tenth":0.1,"third":0.3333333333333333,' ..
           '"huge":1e+300,"big":9223372036854775807,"city":"杭州"}\n]\n', "json: an array of objects")
local json_back = zb.read_json(values:to_json(dir .. "/values.json"), {name = "json_back"}):first()
T.ok(json_back.third == 1.0 / 3 and json_back.missing == nil and json_back.text == 'say "hi", twice',
     "a JSON export reads back exactly", tostring(json_back))
T.eq(zb.sql("select 1 as a where 0"):to_json(), "[]\n", "an empty table is []")
T.has(hz:limit(1):to_markdown(), "| region | period |", "to_markdown()")

-- Atomic exports: a failure leaves the old file and no temporary one.
T.write(dir .. "/keep.csv", "old\n")
local failing = hz:mutate{bad = function(row) if row.indicator == "retail_sales" then error("boom") end return 1 end}
T.fails(function() failing:to_csv(dir .. "/keep.csv") end, "boom", "an export that fails says why")
T.eq(T.read(dir .. "/keep.csv"), "old\n", "... and leaves the file it would replace as it was")
local p = io.popen("ls " .. T.shell_quote(dir))
local listing = p:read("a")
p:close()
T.hasnt(listing, ".tmp", "... and no temporary file")
T.fails(function() hz:to_csv(dir .. "/no/such/dir/x.csv") end, "cannot write " .. dir .. "/no/such/dir/x.csv",
        "an unwritable path names the file")
-- The query's failure is not the disk's (issue 12): an integer overflow
-- in a sum read "cannot write out.csv: integer overflow".
zb.db:sql("create table overflowing (v integer)")
zb.db:sql("insert into overflowing values (9223372036854775807), (1)")
local ok_export, overflow = pcall(function() return zb.table("overflowing"):agg{s = "sum(v)"}:to_csv(dir .. "/sum.csv") end)
T.ok(not ok_export and overflow:find("integer overflow (in SQL: SELECT sum(v)", 1, true) and
     overflow:find("(" .. dir .. "/sum.csv was not written)", 1, true) and not overflow:find("cannot write", 1, true),
     "an export whose query fails says so, and that the file was not written", overflow)
T.ok(overflow:find("^tests/lua/render.lua:%d+:"), "... at the caller's line", overflow)
local ok_text, text_overflow = pcall(function() return zb.table("overflowing"):agg{s = "sum(v)"}:to_csv() end)
T.ok(not ok_text and text_overflow:find("^tests/lua/render.lua:%d+: integer overflow"), "to_csv() without a path too: " ..
     "the caller's line, not render.lua's", text_overflow)

-- A table wider than the screen: text narrows, then middle columns go.
local provinces = zb.dataset("nbs-province-gdp")
local fitted = zb.render(provinces:limit(3), {mode = "box", width = 100})
local fitted_lines = lines(fitted)
for i = 1, #fitted_lines - 1 do
  T.ok(zb.width(fitted_lines[i]) <= 100, "a wide table fits 100 columns (line " .. i .. ")", zb.width(fitted_lines[i]))
end
T.has(fitted_lines[2], "│ 地区   │  2024年 │", "the first columns stay")
T.has(fitted_lines[2], "│ … │", "a … column marks those left out")
T.has(fitted_lines[2], "│  2006年 │", "the last columns stay")
T.has(fitted, "20 columns (9 shown", "the footer says how many columns are shown")
T.has(fitted, "│ 49670.2 │", "numbers are shown whole")
T.eq(#lines(zb.render(provinces:limit(3), {mode = "box"})), 7, "without a width limit every column is drawn")

-- Found by review.
local narrow = zb.render(zb.sql("select ? as note, 18109 as value", string.rep("长", 60)), {mode = "box", width = 30})
T.has(narrow, "│ 18109 │", "numbers are never cut to fit (181… would read as another value)")
T.has(zb.render(zb.sql("select 1 as n union all select null"), {mode = "box"}), "│ NULL │",
      "NULL in a numeric column is right-aligned")
local md_lines = lines(zb.render(zb.sql("select 'a|b' as x union all select 'abcd'"), {mode = "markdown"}))
T.eq(zb.width(md_lines[3]), zb.width(md_lines[4]), "markdown rows stay aligned with | escaped")
local real = dir .. "/real.csv"
T.write(real, "old\n")
os.execute("ln -s real.csv " .. T.shell_quote(dir .. "/link.csv"))
zb.sql("select 1 as a"):to_csv(dir .. "/link.csv")
T.eq(T.read(real), "a\n1\n", "an export through a symbolic link replaces the file it leads to ...")
local lp = io.popen("test -L " .. T.shell_quote(dir .. "/link.csv") .. " && echo link")
T.eq(lp:read("a"), "link\n", "... and keeps the link")
lp:close()
local big = zb.sql("with recursive n(i) as (values (1) union all select i + 1 from n where i < 1000) select i from n"):save("locked")
local halfway = big:mutate{x = function(row) if row.i == 500 then error("half way") end return 1 end}
T.fails(function() halfway:to_csv(dir .. "/half.csv") end, "half way", "an export that fails half way ...")
zb.db:sql("drop table locked")
T.ok(true, "... leaves no query holding the table")

local pipe = io.popen(T.zb .. " -e " .. T.shell_quote('zb.sql("select 1 as a"):to_csv("/dev/stdout"); print("after")'))
T.eq(pipe:read("a"), "a\n1\nafter\n", "an export to /dev/stdout (a pipe) is written in place, and output goes on")
pipe:close()

-- Modes: zb.mode, tostring, the command line.
T.eq(zb.mode(), "box", "box is the default mode")
zb.mode("csv")
T.eq(tostring(zb.sql("select 1 as a")), "a\n1", "tostring(t) renders in the current mode")
zb.mode("box")
T.fails(function() zb.mode("fancy") end, "unknown mode: fancy (modes: box, csv, json, line, markdown, tsv)", "an unknown mode")
for _, flag in ipairs{"csv", "json", "markdown"} do
  local run = T.run("--" .. flag .. " -e " .. T.shell_quote('print(zb.sql("select 1 as a")); print(zb.mode())'))
  T.eq(run.code, 0, "--" .. flag .. " runs")
  T.has(run.out, flag .. "\n", "--" .. flag .. " sets the mode")
end
T.eq(T.run("--csv -e " .. T.shell_quote('print(zb.sql("select 1 as a, 2 as b"))')).out, "a,b\n1,2\n", "--csv prints CSV")

-- human: numbers with a unit as people read them, on screen only.
local money = zb.sql("select 'gdp' as indicator, 18109 as value, '亿元' as unit union all select 'x', 42.5, '年' union all select 'y', null, '元' union all select 'z', 74700, '元'")
local shown = zb.render(money, {mode = "box", human = true})
T.has(shown, "│ 1.81万亿元 │ 亿元 │", "human: value in its row's unit, in the largest unit that keeps it at 1 or more")
T.has(shown, "│   7.47万元 │", "... right-aligned like numbers")
T.has(shown, "│       42.5 │ 年   │", "a unit outside the catalog leaves the number as it is")
T.has(shown, "│       NULL │ 元   │", "NULL stays NULL")
T.has(zb.render(money, {mode = "line", human = true}), "value = 1.81万亿元", "line mode too")
T.eq(money:to_csv():match("gdp,[^\n]*"), "gdp,18109,亿元", "exports stay exact")
zb.metric("yuan_of", function(yi) return yi * 1e8 end, {unit = "元"})
T.has(zb.render(money:where{indicator = "gdp"}:mutate{v = "yuan_of(value)"}:select("v"), {mode = "box", human = true}),
      "│ 1.81万亿元 │", "a metric's unit")
zb.render.options.human = true
T.has(tostring(money), "1.81万亿元", "zb.render.options.human (.human on) makes it the default")
zb.render.options.human = false
T.has(tostring(money), "18109", "and off again")
T.eq(zb.units.human(0/0, "元"), "NaN元", "human of NaN")

-- An error while rendering is reported at the user's line, not inside zb.
local work = T.tmpdir()
T.write(work .. "/report.lua", 'zb.metric("raising", function() error("no data") end)\n' ..
        'local t = zb.sql("select raising() as x")\nprint(t)\n')
local failed = T.run(T.shell_quote(work .. "/report.lua"))
T.has(failed.err, "report.lua:3: metric 'raising': ", "print(t) fails at the line that printed")
T.hasnt(failed.err:match("^[^\n]*"), "render.lua", "... not inside the renderer")
T.fails(function() zb.render(zb.sql("select 1"), {mode = "fancy"}) end, "tests/lua/render.lua:", "an unknown mode names the caller's line")
T.fails(function() zb.render(1) end, "bad argument #1 to 'render' (a table expected, got number)",
        "render names what it was given")
-- Large reals at the column's decimals: the digits each was written with,
-- then zeros, never the double's digits beyond them (1344508076879.9 was
-- shown 1344508076879.899902), in render and print alike: as Python's
-- repr writes each, padded
do
  local big = zb.sql("select 1344508076879.9 as v union all select 8474489935635.39 union all select 22058427457.755817")
  local shown = {}
  for line in zb.render(big, {mode = "box"}):gmatch("│%s*([%d.]+)%s*│") do shown[#shown + 1] = line end
  T.eq(table.concat(shown, " ") .. "\n", T.python([==[
xs = [1344508076879.9, 8474489935635.39, 22058427457.755817]
decimals = max(len(repr(x).split(".")[1]) for x in xs)
print(" ".join(repr(x) + "0" * (decimals - len(repr(x).split(".")[1])) for x in xs))
]==]), "large reals shown in the digits they were written with, padded with zeros, as Python's repr")
end

T.done()
