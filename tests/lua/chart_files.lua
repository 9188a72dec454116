-- Charts as files (issue 16): chart:save to SVG, PNG and PDF through cairo
-- and pango.  Checked by independent tools: rsvg-convert renders the SVG
-- and pdftoppm the PDF, each compared pixel by pixel with zb's own PNG;
-- pdftotext reads the PDF's text back; Pillow (tests/lib/images.py)
-- measures the PNGs; Chinese labels are told from missing-glyph boxes
-- rendered by rsvg-convert.
local T = require("check")

local dir = T.tmpdir()
local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  p:close()
  return out
end
local function images(...)
  local args = {}
  for i, a in ipairs{...} do args[i] = T.shell_quote(tostring(a)) end
  return sh(T.PYTHON .. " tests/lib/images.py " .. table.concat(args, " "))
end
local function pdf_text(path) return sh("pdftotext -layout " .. T.shell_quote(path) .. " -") end
if not T.have_python("PIL") then T.done() end
for _, tool in ipairs{"rsvg-convert", "pdftoppm", "pdftotext"} do
  if not os.execute("command -v " .. tool .. " >/dev/null") then
    T.ok(false, tool .. " (Debian's librsvg2-bin, poppler-utils: make test installs them)")
    T.done()
  end
end

local gdp = zb.dataset("yangtze-delta-city-gdp"):melt{id = "时间(年)", name = "city", value = "gdp", drop_null = true}
              :rename{year = "时间(年)"}
local five = gdp:where("year between 1995 and 2021 and city in ('上海', '南京', '苏州', '杭州', '宁波')")
local lines = five:plot{x = "year", y = "gdp", by = "city", title = "长三角五市地区生产总值"}

-- The three formats, and each rendered by another program the same as zb's PNG
for _, format in ipairs{"svg", "png", "pdf"} do
  T.eq(lines:save(dir .. "/lines." .. format), dir .. "/lines." .. format, "save returns the path (" .. format .. ")")
end
T.eq(images("size", dir .. "/lines.png"), "800 500\n", "a PNG of 800 x 500 pixels by default")
T.has(sh("head -c 200 " .. dir .. "/lines.svg"), "<svg", "an SVG")
T.eq(sh("head -c 5 " .. dir .. "/lines.pdf"), "%PDF-", "a PDF")
os.execute("rsvg-convert -o " .. dir .. "/rsvg.png " .. dir .. "/lines.svg")
os.execute("pdftoppm -png -r 96 -singlefile " .. dir .. "/lines.pdf " .. dir .. "/poppler")
-- (text antialiased by each program its own way differs most)
local function apart(a, b)
  local mean, share = images("diff", a, b):match("^([%d.]+) ([%d.]+)")
  return not mean or tonumber(mean) >= 2.5 or tonumber(share) >= 0.015
end
local function close_to(a, b, what)
  T.ok(not apart(a, b), what .. ": the same size, the pixels within 2.5 of 255 on average, under 1.5% apart",
       "diff: " .. images("diff", a, b))
end
close_to(dir .. "/lines.png", dir .. "/rsvg.png", "the SVG rendered by rsvg-convert is zb's PNG")
close_to(dir .. "/lines.png", dir .. "/poppler.png", "the PDF rendered by pdftoppm is zb's PNG")
-- the comparison tells charts apart: the same cities over fewer years are far from it
five:where("year >= 2010"):plot{x = "year", y = "gdp", by = "city", title = "长三角五市地区生产总值"}
    :save(dir .. "/other.svg")
os.execute("rsvg-convert -o " .. dir .. "/other.png " .. dir .. "/other.svg")
T.ok(apart(dir .. "/lines.png", dir .. "/other.png"), "... and another chart is not",
     "diff: " .. images("diff", dir .. "/lines.png", dir .. "/other.png"))

-- What the PDF says: title, legend, axis labels, ticks, source
local text = pdf_text(dir .. "/lines.pdf")
for _, want in ipairs{"长三角五市地区生产总值", "上海", "南京", "苏州", "杭州", "宁波", "year", "gdp", "1995", "2021",
                      "Source: dataset yangtze-delta-city-gdp"} do
  T.has(text, want, "the PDF holds the text " .. want)
end
-- the five series in five colours (matplotlib's first five)
for _, colour in ipairs{"1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd"} do
  T.ok(tonumber(images("colour", dir .. "/lines.png", colour)) > 200, "a line in #" .. colour)
end

-- Every point where its values put it: the line's path read back from the
-- SVG, its x in proportion to x and its y to y; a NULL breaks the line
local function path_of(svg, rgb)
  local d = T.read(svg):match('stroke:' .. rgb .. ';[^>]-d="([^"]*)"')
  local moves, points = 0, {}
  for op, x, y in (d or ""):gmatch("([ML]) ([%d.-]+) ([%d.-]+)") do
    moves = moves + (op == "M" and 1 or 0)
    points[#points + 1] = {tonumber(x), tonumber(y)}
  end
  return points, moves
end
local blue = "rgb%(12.156863%%,46.666667%%,70.588235%%%)"
local data = {{1, 1}, {2, 2}, {3, 4}, {4, 8}, {5, 16}, {6, 3.5}}
local parts = {}
for i, xy in ipairs(data) do parts[i] = string.format("select %d as x, %s as y", xy[1], xy[2]) end
zb.sql(table.concat(parts, " union all ")):plot{x = "x", y = "y"}:save(dir .. "/placed.svg")
local points, moves = path_of(dir .. "/placed.svg", blue)
T.eq(#points, #data, "a point a row in the SVG's path")
local worst = 0
for i = 2, #data do
  local bx = (points[i][1] - points[1][1]) / (data[i][1] - data[1][1])
  local by = (points[i][2] - points[1][2]) / (data[i][2] - data[1][2])
  local bx2 = (points[2][1] - points[1][1]) / (data[2][1] - data[1][1])
  local by2 = (points[2][2] - points[1][2]) / (data[2][2] - data[1][2])
  worst = math.max(worst, math.abs(bx / bx2 - 1), math.abs(by / by2 - 1))
end
T.ok(worst < 1e-4 and moves == 1, "points in proportion to their values, one line (worst " .. worst .. ")")
zb.sql("select 1 as x, 1 as y union all select 2, 2 union all select 3, NULL union all select 4, 3 union all " ..
       "select 5, 4"):plot{x = "x", y = "y"}:save(dir .. "/gap.svg")
points, moves = path_of(dir .. "/gap.svg", blue)
T.ok(#points == 4 and moves == 2, "a NULL breaks the line in two", #points .. " points, " .. moves .. " moves")

zb.sql("select 2021 as y, 5.5 as v"):plot{x = "y", y = "v"}:save(dir .. "/one.png")
T.ok(tonumber(images("colour", dir .. "/one.png", "1f77b4")) > 10, "one point: a dot")

-- Chinese as glyphs, not missing-glyph boxes: the share of the ink's
-- bounding box edge inked, near 1 for boxes (rendered here by rsvg-convert
-- from two code points no font has) and well below for 杭州
T.write(dir .. "/tofu.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">' ..
        '<rect width="400" height="100" fill="white"/><text x="10" y="75" font-size="54" ' ..
        'font-family="Noto Sans CJK SC">&#x10FFFD;&#x10FFFE;</text></svg>')
os.execute("rsvg-convert -o " .. dir .. "/tofu.png " .. dir .. "/tofu.svg")
local boxes = tonumber(images("boxiness", dir .. "/tofu.png", 0, 0, 400, 100))
T.ok(boxes and boxes > 0.85, "missing-glyph boxes fill their edges (" .. tostring(boxes) .. ")")
-- the title at 288 dpi: its glyphs 54 pixels high, as the boxes above
gdp:where{city = "杭州"}:plot{x = "year", y = "gdp", title = "杭州杭州"}:save(dir .. "/hz.png", {source = false, dpi = 288})
local glyphs = tonumber(images("boxiness", dir .. "/hz.png", 0, 0, 2400, 130))
T.ok(glyphs and glyphs < 0.6, "the title 杭州杭州 is glyphs (" .. tostring(glyphs) .. ")")
-- with no font for them, zb refuses rather than draw boxes, and the old file stays
T.write(dir .. "/fonts.conf", '<?xml version="1.0"?><fontconfig><dir>' .. dir .. '/no-fonts</dir><cachedir>' ..
        dir .. '/cache</cachedir></fontconfig>')
T.write(dir .. "/keep.png", "old")
T.write(dir .. "/nofont.lua", [[
local path = ...
local ok, e = pcall(function()
  return zb.sql("select 2020 as y, 1 as v union all select 2021, 2"):plot{x = "y", y = "v", title = "杭州"}:save(path)
end)
print(ok, e)]])
local r = T.run(T.shell_quote(dir .. "/nofont.lua") .. " " .. T.shell_quote(dir .. "/keep.png"),
                {env = "FONTCONFIG_FILE=" .. T.shell_quote(dir .. "/fonts.conf")})
T.has(r.out, "false\t" .. dir .. "/nofont.lua:3: cannot draw '杭州' in " .. dir .. "/keep.png: no font here has 2 of its characters (Debian's fonts-noto-cjk",
      "no font with Chinese: a clear refusal")
T.eq(T.read(dir .. "/keep.png"), "old", "... the old file untouched")

-- Size, DPI, labels, source
lines:save(dir .. "/big.png", {width = 640, height = 400, dpi = 192, title = "GDP", xlabel = "年份", ylabel = "亿元",
                              source = "来源：各市统计年鉴"})
T.eq(images("size", dir .. "/big.png"), "1280 800\n", "width 640 x height 400 at 192 dpi: 1280 x 800 pixels")
lines:save(dir .. "/big.pdf", {width = 640, height = 400, title = "GDP", xlabel = "年份", ylabel = "亿元",
                              source = "来源：各市统计年鉴"})
text = pdf_text(dir .. "/big.pdf")
for _, want in ipairs{"GDP", "年份", "来源：各市统计年鉴"} do T.has(text, want, "given " .. want) end
T.hasnt(text, "长三角", "the given title replaces the chart's")
T.ok(sh("pdfinfo " .. dir .. "/big.pdf"):match("Page size: +480 x 300 pts"), "a PDF of 640 x 400 pixels is 480 x 300 points")
local csv = T.file(dir, "gdp.csv", "year,gdp\n2019,100\n2020,-20\n2021,130\n")
local sourced = zb.read_csv(csv, {source = "国家统计局", vintage = "2022年鉴", units = {gdp = "亿元"}})
sourced:plot{x = "year", y = "gdp"}:save(dir .. "/sourced.pdf")
text = pdf_text(dir .. "/sourced.pdf")
T.has(text, "Source: 国家统计局; " .. csv .. "; 2022年鉴", "the source line from the table's record")
T.has(text, "gdp (亿元)", "the value axis named with its unit")
T.has(text, "-50亿元", "ticks in human units, below zero too")

-- Bar charts: a bar a row, negative ones left of zero, in red
local bars = zb.sql("select '杭州' as k, 5.0 as v union all select '宁波', -3 union all select '温州', NULL")
               :bar{label = "k", value = "v", title = "排名"}
bars:save(dir .. "/bars.png")
bars:save(dir .. "/bars.pdf")
T.ok(tonumber(images("colour", dir .. "/bars.png", "1f77b4")) > 1000, "a positive bar in blue")
T.ok(tonumber(images("colour", dir .. "/bars.png", "d62728")) > 500, "a negative bar in red")
text = pdf_text(dir .. "/bars.pdf")
for _, want in ipairs{"排名", "杭州", "宁波", "温州", "5", "-3", "NULL"} do T.has(text, want, "the bar chart holds " .. want) end
T.ok(text:find("杭州", 1, true) < text:find("宁波", 1, true), "sorted, the largest first")

-- More series than colours: the first ten drawn, the legend says what was left out
local many = {}
for i = 1, 12 do many[#many + 1] = string.format("select 's%02d' as s, 2020 as y, %d as v union all " ..
                                                 "select 's%02d', 2021, %d", i, i, i, i + 1) end
local twelve = zb.sql(table.concat(many, " union all ")):plot{x = "y", y = "v", by = "s"}
twelve:save(dir .. "/twelve.pdf")
T.has(pdf_text(dir .. "/twelve.pdf"), "… 2 more series not drawn (at most 10 a chart)", "twelve series: two left out, said")
T.has(twelve:draw{width = 60}, "… 6 more series not drawn (at most 6 a chart)", "in the terminal, six left out")

-- Bad input: each a clear message, nothing half-written
T.fails(function() lines:save(dir .. "/x.gif") end, "save: " .. dir .. "/x.gif: give a file ending in .svg, .png or .pdf",
        "an unknown format")
for _, ext in ipairs{"png", "svg", "pdf"} do
  T.fails(function() lines:save(dir .. "/no/such/dir/x." .. ext) end,
          "cannot write " .. dir .. "/no/such/dir/x." .. ext .. ": No such file or directory",
          "a directory that does not exist, " .. ext .. ": the system's reason (cairo said 'error while writing to output stream')")
end
T.fails(function() lines:save(dir .. "/x.png", {dpi = 0}) end, "save: dpi must be between 1 and 20000, not 0", "dpi 0")
T.fails(function() lines:save(dir .. "/x.png", {colour = "red"}) end, "save: unknown option 'colour'", "options checked")
T.fails(function() lines:save(dir .. "/x.png", {source = 3}) end, "save: source is the line under the chart",
        "source a string or false")
T.fails(function() bars:save(dir .. "/x.png", {width = 60}) end, "bar: 60 pixels are too narrow for its labels",
        "too narrow for the labels")
T.eq(sh("ls " .. dir .. " | grep -c 'zb-.*tmp' || true"), "0\n", "no temporary file left behind")
lines:save(dir .. "/fmt", {format = "svg"})
T.has(sh("head -c 200 " .. dir .. "/fmt"), "<svg", "format = \"svg\" for a name without an ending")

-- A safe session saves where it may write, and nowhere else
local allowed = dir .. "/allowed"
os.execute("mkdir -p " .. allowed)
T.write(allowed .. "/s.lua", [[
local c = zb.sql("select 2020 as y, 1 as v union all select 2021, 2"):plot{x = "y", y = "v", title = "安全"}
print(c:save(...))
print(pcall(c.save, c, "]] .. dir .. [[/outside.png"))]])
r = T.run("--safe --allow " .. T.shell_quote(allowed) .. " " .. T.shell_quote(allowed .. "/s.lua") .. " " ..
          T.shell_quote(allowed .. "/in.png"))
T.eq(images("size", allowed .. "/in.png"), "800 500\n", "--safe: a chart saved under --allow")
T.has(r.out, "cannot write " .. dir .. "/outside.png: outside the directories this safe session may write",
      "--safe: and refused elsewhere")
T.eq(T.read(dir .. "/outside.png"), nil, "... nothing written there")

-- zb's own use of cairo and pango loses no memory (valgrind; a PDF is left
-- out: cairo 1.16 loses a font subset's 768 bytes finishing one, tests/lsan.supp)
-- (a sanitizer build is checked by LeakSanitizer instead, a run under valgrind by itself)
local binary = T.zb:match("(%S+)$")
if not binary:find("zb%-san$") and not T.zb:find("valgrind", 1, true) then
  T.write(dir .. "/leak.lua", [[
local dir = ...
local c = zb.sql("select 2020 as y, 1 as v union all select 2021, -2"):plot{x = "y", y = "v", title = "杭州"}
c:save(dir .. "/leak.png")
c:save(dir .. "/leak.svg")
zb.sql("select '杭州' as k, 3 as v"):bar{label = "k", value = "v"}:save(dir .. "/leak-bar.png")]])
  local clean = os.execute("valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 " ..
                           "--show-leak-kinds=definite,indirect " .. binary .. " " .. T.shell_quote(dir .. "/leak.lua") ..
                           " " .. T.shell_quote(dir) .. " >/dev/null 2>" .. T.shell_quote(dir .. "/valgrind.log"))
  T.ok(clean, "valgrind: saving charts loses nothing and reads nothing uninitialised", T.read(dir .. "/valgrind.log"))
end

-- The README's pictures are what zb draws now (made again here, compared)
local census = zb.dataset("census-cities-2010-2020", {units = {popu_2020 = "人"}}):where{province = "浙江省"}
census:bar{label = "city", value = "popu_2020", title = "浙江各市常住人口，2020"}
  :save(dir .. "/zhejiang-census.png", {width = 640})
close_to(dir .. "/zhejiang-census.png", "lua/examples/zhejiang-census.png", "README's bar chart")
r = T.run("lua/examples/yangtze-inequality.lua " .. T.shell_quote(dir))
T.has(r.out, "Saved " .. dir .. "/yangtze-inequality.svg\nSaved " .. dir .. "/yangtze-inequality.png\n",
      "yangtze-inequality.lua saves its chart as SVG and PNG")
close_to(dir .. "/yangtze-inequality.png", "lua/examples/yangtze-inequality.png", "README's line chart")
T.has(sh("head -c 300 " .. dir .. "/yangtze-inequality.svg"), "<svg", "... and the SVG is one")

-- Markdown refers to a saved chart
T.has(sourced:to_markdown{figure = "charts/gdp (1).svg", caption = "GDP"}, "![GDP](charts/gdp%20%281%29.svg)\n\n| year",
      "to_markdown{figure =}: the chart above the table")
T.cleanup()
T.done()
