-- chart:save(path [, opts]): a chart (t:plot, t:bar) as an SVG, PNG or
-- PDF file, drawn by cairo with its text set by pango (src/writers/figure.c)
-- in Noto Sans CJK, so Chinese labels come out as glyphs.  The layout is
-- here: sizes are CSS pixels (1/96 inch); a PNG has dpi / 96 device pixels
-- a pixel, an SVG or a PDF the same page in points.  Title, legend, axes
-- with ticks in human units (1.8万亿元), axis labels, and a source line
-- under the chart (the table's source, file or dataset, and vintage when
-- it has them).  Written atomically (a temporary file renamed over path).
local errors = require("zb.host.errors")
errors.own()

local core = require("zb.core")

local M = {}

-- matplotlib's default colours (the "tab10" cycle): told apart in print
-- and by most readers with a colour vision deficiency
M.COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf}
local INK, GRID, FAINT = 0x222222, 0xdddddd, 0x666666
local PAD, TITLE, TEXT, SMALL = 16, 18, 13, 11

local formats = {svg = true, png = true, pdf = true}

-- A layout: the marks drawn so far, and text measured (an error naming
-- the text when no font has some of its characters).
local function page(path)
  local p = {marks = {}}
  function p.measure(text, size, bold)
    local w, h, baseline, missing = core.text_extent(text, size, bold)
    if missing > 0 then
      errors.raise(string.format("cannot draw '%s' in %s: no font here has %d of its characters " ..
                                 "(Debian's fonts-noto-cjk has Chinese)", text, path, missing))
    end
    return w, h, baseline
  end
  function p.text(text, x, y, opts)
    p.measure(text, opts.size or TEXT, opts.bold)
    local mark = {kind = "text", text = text, x = x, y = y, size = TEXT, colour = INK}
    for k, v in pairs(opts) do mark[k] = v end
    p.marks[#p.marks + 1] = mark
  end
  function p.add(mark) p.marks[#p.marks + 1] = mark end
  return p
end

-- The title at the top; returns where what follows starts.
local function draw_title(p, title, width)
  if not title then return PAD end
  local _, h = p.measure(title, TITLE, true)
  p.text(title, width / 2, PAD, {size = TITLE, bold = true, align = 0.5})
  return PAD + h + 6
end

-- The source line at the bottom; returns where what precedes ends.
local function draw_source(p, source, height)
  if not source then return height - PAD end
  local _, h = p.measure(source, SMALL)
  p.text(source, PAD, height - PAD, {size = SMALL, colour = FAINT, valign = 1})
  return height - PAD - h - 6
end

-- The legend, entries left to right and wrapped, from top; returns where
-- it ends.  A note says how many series were left out.
local function draw_legend(p, entries, left_out, top, width)
  local x, y, line = PAD, top, 0
  if left_out > 0 then
    entries[#entries + 1] = {name = string.format("… %d more series not drawn (at most %d a chart)", left_out,
                                                  #M.COLOURS)}
  end
  for _, e in ipairs(entries) do
    local w, h = p.measure(e.name, TEXT)
    local need = (e.colour and 26 or 0) + w + 18
    if x > PAD and x + need > width - PAD then x, y, line = PAD, y + line + 4, 0 end
    if e.colour then
      p.add{kind = "line", xs = {x, x + 20}, ys = {y + h / 2, y + h / 2}, colour = e.colour, width = 2.5, dash = e.dash}
      x = x + 26
    end
    p.text(e.name, x, y, {colour = e.colour and INK or FAINT})
    x, line = x + w + 18, math.max(line, h)
  end
  return y + line + 10
end

-- Every k-th of the sorted xs of line chart c, k the first of 1, 2, 5,
-- 10, 20, ... whose labels fit apart in span pixels.
local function x_ticks(c, p, span)
  local chart, xs = require("zb.present.chart"), c.xs
  local widest, longest, measured = 0, 0, 0
  local candidates, every = {}, math.max(#xs // 200, 1)  -- a sample of at most about 200, both ends in it
  for j = 1, #xs, every do candidates[#candidates + 1] = xs[j] end
  candidates[#candidates + 1] = xs[#xs]
  for _, x in ipairs(candidates) do longest = math.max(longest, zb.width(chart.x_text(c, x))) end
  for _, x in ipairs(candidates) do  -- measured: a few of those as long as the longest
    local text = chart.x_text(c, x)
    if measured < 20 and zb.width(text) == longest then
      widest, measured = math.max(widest, (p.measure(text, SMALL))), measured + 1
    end
  end
  local fit = math.max(math.floor(span / (widest + 14)), 2)
  local k, m = 1, {1, 2, 5}
  local i = 1
  while math.ceil(#xs / k) > fit do
    k = m[(i - 1) % 3 + 1] * 10 ^ ((i - 1) // 3)
    k, i = math.tointeger(k) or math.floor(k), i + 1
  end
  local ticks = {}
  for j = 1, #xs, k do ticks[#ticks + 1] = xs[j] end
  return ticks
end

-- The line under a chart: opts.source, none when false, else the table's.
local function source_of(c, opts)
  if opts.source == nil then return c.source end
  return opts.source or nil
end

local function line_marks(c, p, opts)
  local chart = require("zb.present.chart")  -- which requires this module
  local width, height = opts.width or 800, opts.height or 500
  local drawn, left_out = {}, math.max(#c.series - #M.COLOURS, 0)
  for i = 1, #c.series - left_out do drawn[i] = c.series[i] end
  local top = draw_title(p, opts.title or c.title, width)
  if #c.series > 1 then
    local entries = {}
    for i, s in ipairs(drawn) do entries[i] = {name = s.name, colour = M.COLOURS[i]} end
    top = draw_legend(p, entries, left_out, top, width)
  end
  local bottom = draw_source(p, source_of(c, opts), height)
  local xlabel, ylabel = opts.xlabel or c.x_name, opts.ylabel or c.y_label
  local xlabel_y
  if xlabel then
    local _, h = p.measure(xlabel, TEXT)
    bottom = bottom - h - 4
    xlabel_y = bottom + 4
  end
  local _, tick_h = p.measure("0", SMALL)
  bottom = bottom - tick_h - 8
  local lo, hi, labels = chart.value_axis(drawn, math.max(math.floor((bottom - top) / 60), 2), c.unit)
  local label_w = 0
  for _, l in ipairs(labels) do label_w = math.max(label_w, (p.measure(l.text, SMALL))) end
  local left = PAD + label_w + 8
  if ylabel then
    local _, h = p.measure(ylabel, TEXT)
    p.text(ylabel, PAD, (top + bottom) / 2, {angle = -math.pi / 2, align = 0.5})
    left = left + h + 6
  end
  local right = width - PAD - 20
  local function px(x) return left + (x - c.x_lo) / ((c.x_hi - c.x_lo) > 0 and c.x_hi - c.x_lo or 1) * (right - left) end
  local function py(y) return bottom - (y - lo) / (hi - lo) * (bottom - top) end
  for _, l in ipairs(labels) do
    p.add{kind = "line", xs = {left, right}, ys = {py(l.v), py(l.v)}, colour = GRID, width = 1}
    p.text(l.text, left - 6, py(l.v), {size = SMALL, align = 1, valign = 0.5})
  end
  if lo < 0 and hi > 0 then p.add{kind = "line", xs = {left, right}, ys = {py(0), py(0)}, colour = INK, width = 1} end
  for _, x in ipairs(x_ticks(c, p, right - left)) do
    p.add{kind = "line", xs = {px(x), px(x)}, ys = {bottom, bottom + 4}, colour = INK, width = 1}
    p.text(chart.x_text(c, x), px(x), bottom + 6, {size = SMALL, align = 0.5})
  end
  p.add{kind = "line", xs = {left, left, right}, ys = {top, bottom, bottom}, colour = INK, width = 1}
  if xlabel then p.text(xlabel, (left + right) / 2, xlabel_y, {align = 0.5}) end
  -- the series: a line joins points one step apart; a point alone is a dot
  -- (placed and joined in C: src/writers/figure.c, draw_series)
  local x_scale = (right - left) / ((c.x_hi - c.x_lo) > 0 and c.x_hi - c.x_lo or 1)
  for i, s in ipairs(drawn) do
    p.add{kind = "series", xs = s.xs, ys = s.ys, n = s.n, x0 = left, x_lo = c.x_lo, x_scale = x_scale, y0 = bottom,
          y_lo = lo, y_scale = (bottom - top) / (hi - lo), step = c.step, colour = M.COLOURS[i], width = 2}
  end
  return width, height
end

local function bar_marks(c, p, opts)
  local chart = require("zb.present.chart")
  local width = opts.width or 800
  local top = draw_title(p, opts.title or c.title, width)
  local source, xlabel = source_of(c, opts), opts.xlabel or c.value_name
  local under = 8 + (xlabel and select(2, p.measure(xlabel, TEXT)) + 6 or 0)
                + (source and select(2, p.measure(source, SMALL)) + 6 or 0) + PAD
  local height = opts.height or math.ceil(top + #c.rows * 26 + under)
  local row_h = (height - top - under) / #c.rows
  if row_h < 4 then errors.raise(string.format("bar: %d pixels are too few for %d bars", height, #c.rows)) end
  draw_source(p, source, height)
  local label_w, text_w, lo, hi, texts = 0, 0, 0, 0, {}
  for i, r in ipairs(c.rows) do
    label_w = math.max(label_w, (p.measure(r.label, TEXT)))
    texts[i] = chart.value_text(r.value, c.unit)
    text_w = math.max(text_w, (p.measure(texts[i], SMALL)))
    if r.value then lo, hi = math.min(lo, r.value), math.max(hi, r.value) end
  end
  local left, right = PAD + label_w + 10, width - PAD - text_w - 8
  if right - left < 40 then errors.raise(string.format("bar: %d pixels are too narrow for its labels", width)) end
  local scale = hi > lo and (right - left) / (hi - lo) or 0
  local zero = left - lo * scale
  for i, r in ipairs(c.rows) do
    local y = top + (i - 1) * row_h
    p.text(r.label, left - 8, y + row_h / 2, {align = 1, valign = 0.5})
    if r.value then
      local x0, x1 = zero, zero + r.value * scale
      p.add{kind = "rect", x = math.min(x0, x1), y = y + row_h * 0.15, w = math.abs(x1 - x0), h = row_h * 0.7,
            colour = r.value < 0 and M.COLOURS[4] or M.COLOURS[1]}
      local x = r.value < 0 and x0 + 4 or x1 + 4
      p.text(texts[i], x, y + row_h / 2, {size = SMALL, valign = 0.5})
    else
      p.text("NULL", zero + 4, y + row_h / 2, {size = SMALL, valign = 0.5, colour = FAINT})
    end
  end
  p.add{kind = "line", xs = {zero, zero}, ys = {top, top + #c.rows * row_h}, colour = INK, width = 1}
  if xlabel then p.text(xlabel, (left + right) / 2, top + #c.rows * row_h + 8, {align = 0.5, colour = FAINT}) end
  return width, height
end

local save_options = {width = "integer", height = "integer", dpi = "integer", title = "string", xlabel = "string",
                      ylabel = "string", source = "any", format = "string"}

-- Write chart c to path (its format from opts.format or path's ending).
function M.save(c, path, opts)
  if type(path) ~= "string" then errors.raise("bad argument #1 to 'save' (a file name expected)") end
  opts = require("zb.host.options").check("save", opts, save_options)
  path = zb.names.expand_home(path)
  local format = (opts.format or path:match("%.(%w+)$") or ""):lower()
  if not formats[format] then
    errors.raise(string.format("save: %s: give a file ending in .svg, .png or .pdf, or format = \"svg\" | " ..
                               "\"png\" | \"pdf\"", path))
  end
  if opts.source ~= nil and opts.source ~= false and type(opts.source) ~= "string" then
    errors.raise("save: source is the line under the chart (a string), or false for none")
  end
  for _, k in ipairs{"width", "height", "dpi"} do
    if opts[k] and (opts[k] < 1 or opts[k] > 20000) then
      errors.raise(string.format("save: %s must be between 1 and 20000, not %d", k, opts[k]))
    end
  end
  local p = page(path)
  local width, height = (c.kind == "bar" and bar_marks or line_marks)(c, p, opts)
  local scale = (opts.dpi or 96) / 96
  require("zb.present.render").write_via(path, function(tmp)
    core.figure_write(tmp, format, width, height, scale, p.marks)
  end)
  return path
end

return M
