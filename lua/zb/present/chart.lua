-- zb.chart: charts drawn as text, to read in the terminal (sparklines:
-- zb.spark, lua/zb/present/spark.lua).
--
--   t:bar{label =, value = [, sort =] [, width =] [, title =] [, unit =]}
--                                       a ranking: a bar a row, its value at the end
--
-- A chart is a value: print(chart) (and the REPL) draws it, at the
-- terminal's width or 80 columns when not on one; chart:draw{width =}
-- draws it at another; chart:save(path) writes it as an SVG, PNG or PDF
-- file (lua/zb/present/figure.lua).  Chinese labels are aligned by the columns they
-- take (zb.width); values print in human units when the column has one
-- (1.81万亿元).
local errors = require("zb.host.errors")
errors.own()

local M = {}

local EIGHTHS = {"▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"}
local drawable = require("zb.present.spark").drawable

local Chart = {}
Chart.__index = Chart
Chart.__name = "zb.Chart"

function Chart:__tostring()
  return self:draw()
end

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
Chart.save = require("zb.core").keep_caller(require("zb.present.figure").save)

-- The columns to draw in: opts.width, the chart's, the terminal's, or 80.
local function width_of(chart, opts)
  return (opts and opts.width) or chart.width or zb.terminal() or 80
end

-- v as its bar's label shows it: in human units with a unit, else as written.
function M.value_text(v, unit)
  if v == nil then return "NULL" end
  if unit then return zb.units.human(v, unit) end
  if math.type(v) == "integer" then return tostring(v) end
  return (string.format("%.6g", v))
end

-- text padded with spaces to take columns (Chinese characters two).
local function pad(text, columns)
  return text .. string.rep(" ", columns - zb.width(text))
end

-- A bar of length cells (a fraction drawn in eighths).
local function bar(length)
  local whole = math.floor(length)
  local eighths = math.floor((length - whole) * 8 + 0.5)
  if eighths == 8 then whole, eighths = whole + 1, 0 end
  return string.rep("█", whole) .. (eighths > 0 and EIGHTHS[eighths] or "")
end

-- The bar chart as lines, at opts.width columns.
function Chart:draw_bars(opts)
  local width = width_of(self, opts)
  local label_width, text_width, lo, hi = 0, 0, 0, 0
  local texts = {}
  for i, r in ipairs(self.rows) do
    label_width = math.max(label_width, zb.width(r.label))
    texts[i] = M.value_text(r.value, self.unit)
    text_width = math.max(text_width, zb.width(texts[i]))
    if r.value then lo, hi = math.min(lo, r.value), math.max(hi, r.value) end
  end
  local room = math.max(width - label_width - text_width - 3, 4)
  -- a zero line where the values cross it; each bar measured from it
  local left = lo < 0 and math.floor(room * -lo / (hi - lo) + 0.5) or 0
  local scale = (hi - lo) > 0 and room / (hi - lo) or 0
  local lines = {}
  if self.title then lines[1] = self.title end
  for i, r in ipairs(self.rows) do
    local drawn
    if r.value == nil then drawn = string.rep(" ", room)
    elseif r.value >= 0 then
      local b = bar(r.value * scale)
      drawn = string.rep(" ", left) .. (lo < 0 and "│" or "") .. b
    else
      local cells = math.floor(-r.value * scale + 0.5)
      drawn = string.rep(" ", left - cells) .. string.rep("█", cells) .. "│"
    end
    drawn = drawn .. string.rep(" ", math.max(room + (lo < 0 and 1 or 0) - zb.width(drawn), 0))
    lines[#lines + 1] = pad(r.label, label_width) .. " " .. drawn .. " " .. texts[i]
  end
  return lines
end

---------------------------------------------------------------------------
-- Line charts

-- A "nice" step for about n ticks over span: 1, 2 or 5 times a power of ten.
function M.nice_step(span, n)
  local raw = span / n
  local power = 10 ^ math.floor(math.log(raw, 10))
  for _, m in ipairs{1, 2, 5, 10} do
    if m * power >= raw then return m * power end
  end
  return 10 * power
end

-- Whether to draw in colour: on a terminal, and NO_COLOR unset.
local function coloured(opts)
  if opts and opts.color ~= nil then return opts.color end
  return zb.terminal() ~= nil and (os.getenv("NO_COLOR") or "") == ""
end

local COLOURS = {"\27[34m", "\27[31m", "\27[32m", "\27[35m", "\27[33m", "\27[36m"}
local MARKERS = {"●", "○", "◆", "◇", "▲", "△"}
local BRAILLE_BITS = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}}

-- A grid of width x height cells; dots at (px, py) of 2 x 4 a cell (braille),
-- or marks a cell (a series' marker), each cell remembering its series.
local function canvas(width, height)
  local cells = {}
  for i = 1, width * height do cells[i] = {bits = 0} end
  local c = {width = width, height = height}
  function c.dot(px, py, series)
    local cx, cy = px // 2, py // 4
    if cx < 0 or cy < 0 or cx >= width or cy >= height then return end
    local cell = cells[cy * width + cx + 1]
    cell.bits = cell.bits | BRAILLE_BITS[px % 2 + 1][py % 4 + 1]
    cell.series = series
  end
  function c.mark(cx, cy, series)
    if cx < 0 or cy < 0 or cx >= width or cy >= height then return end
    cells[cy * width + cx + 1].mark, cells[cy * width + cx + 1].series = series, series
  end
  function c.line(x0, y0, x1, y1, series, plot)
    local dx, dy = math.abs(x1 - x0), -math.abs(y1 - y0)
    local sx, sy = x0 < x1 and 1 or -1, y0 < y1 and 1 or -1
    local err = dx + dy
    while true do
      plot(x0, y0, series)
      if x0 == x1 and y0 == y1 then break end
      local e2 = 2 * err
      if e2 >= dy then err, x0 = err + dy, x0 + sx end
      if e2 <= dx then err, y0 = err + dx, y0 + sy end
    end
  end
  function c.row(cy, colour)
    local out = {}
    for cx = 0, width - 1 do
      local cell = cells[cy * width + cx + 1]
      local glyph = cell.mark and MARKERS[cell.mark]
                    or (cell.bits > 0 and utf8.char(0x2800 + cell.bits)) or (cell.zero and "┄") or " "
      if colour and cell.series and glyph ~= " " then
        glyph = COLOURS[cell.series] .. glyph .. "\27[0m"
      end
      out[#out + 1] = glyph
    end
    return table.concat(out)
  end
  function c.zero(cy)
    for cx = 0, width - 1 do cells[cy * width + cx + 1].zero = true end
  end
  return c
end

-- The value axis of line series (terminal or file): the values' range
-- widened to whole steps of a nice step for about n ticks, and a label at
-- each step ({v =, text =} in human units with a unit).
function M.value_axis(series, n, unit)
  local lo, hi = math.huge, -math.huge
  for _, s in ipairs(series) do
    local ys = s.ys
    for k = 1, s.n do
      local y = ys[k]
      if y then
        if y < lo then lo = y end
        if y > hi then hi = y end
      end
    end
  end
  if lo == hi then lo, hi = lo - 1, hi + 1 end
  local step = M.nice_step(hi - lo, n)
  lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
  local labels = {}
  for v = lo, hi + step / 2, step do
    labels[#labels + 1] = {v = v, text = M.value_text(math.abs(v) < step / 1e9 and 0 or v, unit)}
  end
  return lo, hi, labels
end

-- The line chart as lines, at opts.width columns and opts.height rows.
function Chart:draw_lines(opts)
  local width, height = width_of(self, opts), (opts and opts.height) or self.height or 12
  local colour = coloured(opts)
  local shown = {table.unpack(self.series, 1, math.min(#self.series, #COLOURS))}
  local lo, hi, labels = M.value_axis(shown, math.max(height // 3, 2), self.unit)
  local label_width = 0
  for _, l in ipairs(labels) do label_width = math.max(label_width, zb.width(l.text)) end
  local plot_width = math.max(width - label_width - 2, 10)
  local c = canvas(plot_width, height)
  local x_lo, x_hi = self.x_lo, self.x_hi
  local many = #self.series > 1 and not colour  -- without colour, series told apart by markers
  local function px(x) return math.floor((x - x_lo) / (x_hi - x_lo) * (plot_width * 2 - 1) + 0.5) end
  local function py(y) return math.floor((hi - y) / (hi - lo) * (height * 4 - 1) + 0.5) end
  if lo < 0 and hi > 0 then c.zero(py(0) // 4) end
  for i, s in ipairs(shown) do
    local plot = many and function(x, y) c.mark(x // 2, y // 4, i) end or c.dot
    -- the points of a column of dots drawn as one span from the lowest to
    -- the highest (as many points as the data has cost as many columns)
    local before, before_px, before_py, column, low, high
    local function flush()
      if column and low ~= high then c.line(column, low, column, high, i, plot) end
    end
    local xs, ys, joined = s.xs, s.ys, self.step
    for k = 1, s.n do
      local at, value = xs[k], ys[k]
      if not value then
        flush()
        before, column = nil, nil
      else
        local x, y = px(at), py(value)
        if before and at - before <= joined and x == column then
          if y < low then low = y elseif y > high then high = y end
        else
          flush()
          if before and at - before <= joined then c.line(before_px, before_py, x, y, i, plot) else plot(x, y, i) end
          column, low, high = x, y, y
        end
        before, before_px, before_py = at, x, y
      end
    end
    flush()
  end
  local lines = {}
  if self.title then lines[1] = self.title end
  for cy = 0, height - 1 do
    local label = ""
    for _, l in ipairs(labels) do
      if py(l.v) // 4 == cy then label = l.text end
    end
    lines[#lines + 1] = string.rep(" ", label_width - zb.width(label)) .. label .. " ┤" .. c.row(cy, colour)
  end
  lines[#lines + 1] = string.rep(" ", label_width + 1) .. "└" .. string.rep("─", plot_width)
  -- the first and last x, then those between that fit apart from them
  local placed = {}
  local order = {self.ticks[1], self.ticks[#self.ticks], table.unpack(self.ticks, 2, #self.ticks - 1)}
  for _, tick in ipairs(order) do
    local text = M.x_text(self, tick.x)
    local w = zb.width(text)
    local start = math.max(math.min(label_width + 2 + px(tick.x) // 2 - w // 2, width - w), 0)
    local free = true
    for _, p in ipairs(placed) do free = free and (start + w < p.start or start > p.start + p.w) end
    if free then placed[#placed + 1] = {start = start, w = w, text = text} end
  end
  table.sort(placed, function(a, b) return a.start < b.start end)
  local axis, at = {}, 0
  for _, p in ipairs(placed) do
    axis[#axis + 1] = string.rep(" ", p.start - at) .. p.text
    at = p.start + p.w
  end
  lines[#lines + 1] = table.concat(axis)
  if #self.series > 1 then
    local legend = {}
    for i, s in ipairs(shown) do
      local key = many and MARKERS[i] or "⣿"
      if colour then key = COLOURS[i] .. key .. "\27[0m" end
      legend[i] = key .. " " .. s.name
    end
    if #self.series > #shown then
      legend[#legend + 1] = string.format("… %d more series not drawn (at most %d a chart)", #self.series - #shown,
                                          #shown)
    end
    lines[#lines + 1] = table.concat(legend, "  ")
  end
  return lines
end

function Chart:draw(opts)
  if opts ~= nil then
    opts = require("zb.host.options").check("draw", opts, {width = "integer", height = "integer", color = "boolean"})
  end
  return table.concat(self.kind == "bar" and self:draw_bars(opts) or self:draw_lines(opts), "\n")
end

-- An axis's label: the column's name and its unit, either alone.
local function axis_name(column, unit)
  if column and unit then return string.format("%s (%s)", column, unit) end
  return column or unit
end

-- The line under a chart saved as a file: where t came from.
local function source_of(t)
  return require("zb.relation.catalog").source_line(t.meta)
end

-- The chart's rows: {label =, value =} of column label and value of t,
-- numbers checked; an error for a table with nothing to draw.
local function bar_rows(t, spec)
  local rows, drawn = {}, 0
  for r in t:select({zb_label = spec.label}, {zb_value = spec.value}):rows() do
    local v = r.zb_value ~= nil and drawable("bar", r.zb_value) or nil
    rows[#rows + 1] = {label = r.zb_label == nil and "NULL" or tostring(r.zb_label), value = v}
    drawn = drawn + (v and 1 or 0)
  end
  if #rows == 0 then errors.raise("bar: the table has no rows to draw") end
  if drawn == 0 then errors.raise(string.format("bar: every value of %s is NULL", spec.value)) end
  return rows
end

require("zb.relation.table").define{name = "bar",
  doc = "a bar chart of value by label (a ranking: sort = \"desc\" (the default), \"asc\" or false), drawn as text; " ..
        "chart:save(path) writes it as SVG, PNG or PDF",
  options = {{"label", "column"}, {"value", "column"}, {"sort", "any", "\"desc\"", optional = true},
             {"width", "count", optional = true, what = "columns"}, {"title", "name", optional = true},
             {"unit", "name", optional = true}},
  body = function(t, spec)
    local sort = spec.sort == nil and "desc" or spec.sort
    if sort ~= "desc" and sort ~= "asc" and sort ~= false then
      errors.raise("bar: sort must be \"desc\", \"asc\" or false, not " .. tostring(sort))
    end
    local rows = bar_rows(t, spec)
    if sort then
      local order = {}
      for i, r in ipairs(rows) do order[r] = i end
      table.sort(rows, function(a, b)
        if a.value == nil or b.value == nil then
          if (a.value == nil) ~= (b.value == nil) then return b.value == nil end
          return order[a] < order[b]
        end
        if a.value == b.value then return order[a] < order[b] end
        if sort == "desc" then return a.value > b.value end
        return a.value < b.value
      end)
    end
    local units = t.units
    local unit = spec.unit or (units and units[spec.value]) or nil
    return setmetatable({kind = "bar", rows = rows, width = spec.width, title = spec.title, unit = unit,
                         value_name = axis_name(spec.value, unit), source = source_of(t)}, Chart)
  end}

-- x as a place on the axis: a number as it is, a period by its index
-- (and then how a tick there reads, and its frequency).
local function x_of(who, v)
  if type(v) == "string" and zb.period.is(v) then
    local p = zb.period(v)
    return p:index(), tostring(p), p.frequency
  end
  return drawable(who, v)
end

-- How a line chart's tick at x reads: its period, or the number.
function M.x_text(chart, x)
  return chart.period_texts[x] or (math.type(x) == "integer" and tostring(x) or string.format("%g", x))
end

-- The place of each row's x (nil where it is NULL: x_of's, numbers as
-- they are when the column holds only numbers), the distinct places in
-- order, the text of each period's place, and whether the rows came in
-- x's order.
local function places_of(raws, n, numbers_only)
  local xrow, places, seen, period_texts, place_of = raws, {}, {}, {}, {}
  local in_order, last, frequency = true, nil, nil
  if not numbers_only then xrow = require("zb.core").new_list(n) end
  for k = 1, n do
    local x = raws[k]
    if x ~= nil then
      if not numbers_only then  -- periods, or numbers in text
        local raw = x
        x = place_of[raw]
        if x == nil then
          local text, f
          x, text, f = x_of("plot", raw)
          if frequency ~= nil and (f or false) ~= frequency then
            errors.raise("plot: x mixes periods of different frequencies, or periods and numbers")
          end
          frequency, place_of[raw] = f or false, x
          if f then period_texts[x] = text end
        end
        xrow[k] = x
      end
      -- each place once: while they come in order, by comparing with the
      -- last (a table sorted by time), else by a set of those seen
      if in_order and (last == nil or x > last) then
        places[#places + 1], last = x, x
      elseif x ~= last or not in_order then
        if in_order then
          for _, place in ipairs(places) do seen[place] = true end
          in_order = false
        end
        if not seen[x] then seen[x], places[#places + 1] = true, x end
      end
    end
  end
  if not in_order then table.sort(places) end
  return xrow, places, period_texts, in_order
end

-- A line's value: a number (text that is one read as one), false when NULL.
local function y_of(v, checked)
  if v == nil then return false end
  if checked then return v end
  return drawable("plot", v)
end

-- The lines of a plot: {name =, xs =, ys =, n =, sorted =} each (ys[k]
-- false where NULL), a column of ys each, or with groups (by's column) a
-- group each, in the order of the rows; and how many values there are.
local function line_series(ys, groups, lists, numeric, xrow, n, in_order)
  local series, drawn, new_list = {}, 0, require("zb.core").new_list
  if not groups then
    for i, y in ipairs(ys) do
      local column, checked, xs, vs, m = lists[i + 1], numeric[i + 1], new_list(n), new_list(n), 0
      for k = 1, n do
        local x = xrow[k]
        if x ~= nil then
          local v = column[k]
          m = m + 1
          xs[m], vs[m] = x, y_of(v, checked)
          if v ~= nil then drawn = drawn + 1 end
        end
      end
      if m > 0 then series[#series + 1] = {name = y, xs = xs, ys = vs, n = m, sorted = in_order} end
    end
    return series, drawn
  end
  local named, column, checked = {}, lists[2], numeric[2]
  for k = 1, n do
    local x = xrow[k]
    if x ~= nil then
      local name = tostring(groups[k])
      local s = named[name]
      if not s then
        s = {name = name, xs = {}, ys = {}, n = 0, sorted = true}
        series[#series + 1], named[name] = s, s
      end
      local v, at = column[k], s.n + 1
      if at > 1 and x < s.xs[at - 1] then s.sorted = false end
      s.xs[at], s.ys[at], s.n = x, y_of(v, checked), at
      if v ~= nil then drawn = drawn + 1 end
    end
  end
  return series, drawn
end

-- A line's points put in x's order (rows of equal x as they came).
local function sort_series(s)
  local order = {}
  for k = 1, s.n do order[k] = k end
  table.sort(order, function(a, b) return s.xs[a] < s.xs[b] or (s.xs[a] == s.xs[b] and a < b) end)
  local xs, ys = {}, {}
  for k, from in ipairs(order) do xs[k], ys[k] = s.xs[from], s.ys[from] end
  s.xs, s.ys = xs, ys
end

require("zb.relation.table").define{name = "plot",
  doc = "a line chart of y (a column or a list) over x, a line a column or a group of by, drawn as text (gaps where " ..
        "periods or values are missing); chart:save(path) writes it as SVG, PNG or PDF",
  options = {{"x", "column"}, {"y", "columns"}, {"by", "column", optional = true},
             {"width", "count", optional = true, what = "columns"}, {"height", "count", optional = true, what = "rows"},
             {"title", "name", optional = true}, {"unit", "name", optional = true}},
  body = function(t, spec)
    local ys = type(spec.y) == "string" and {spec.y} or spec.y
    if spec.by and #ys > 1 then errors.raise("plot: by draws one y a group; give one y column with by") end
    local units, unit = t.units or {}, spec.unit
    for _, y in ipairs(ys) do
      if not spec.unit and units[y] ~= units[ys[1]] then
        errors.raise(string.format("plot: %s is in %s and %s in %s: one axis holds one unit (plot them apart)",
                                   ys[1], tostring(units[ys[1]]), y, tostring(units[y])))
      end
      unit = unit or units[y]
    end
    local cols = {{zb_x = spec.x}}
    for i, y in ipairs(ys) do cols[#cols + 1] = {["zb_y" .. i] = y} end
    if spec.by then cols[#cols + 1] = {zb_by = spec.by} end
    local lists, numeric = zb.engine.read_columns(require("zb.relation.table").query_of(t:select(table.unpack(cols)),
                                                                                       "plot"))
    local n = lists.n
    local xrow, places, period_texts, in_order = places_of(lists[1], n, numeric[1])
    local series, drawn = line_series(ys, spec.by and lists[#ys + 2], lists, numeric, xrow, n, in_order)
    if n == 0 then errors.raise("plot: the table has no rows to draw") end
    if drawn == 0 then errors.raise("plot: every value of " .. table.concat(ys, ", ") .. " is NULL") end
    -- a line joins a point to the next one step away: periods (and whole
    -- numbers) one apart, else any
    local xs, whole = places, true
    for _, x in ipairs(xs) do whole = whole and math.type(x) == "integer" end
    local step = math.huge
    if whole then
      for i = 2, #xs do step = math.min(step, xs[i] - xs[i - 1]) end
    end
    for _, s in ipairs(series) do
      if not s.sorted then sort_series(s) end
    end
    local ticks = {}
    for _, i in ipairs{1, #xs // 4 + 1, #xs // 2 + 1, 3 * #xs // 4 + 1, #xs} do
      if xs[i] and (#ticks == 0 or ticks[#ticks].x ~= xs[i]) then ticks[#ticks + 1] = {x = xs[i]} end
    end
    local x_lo, x_hi = xs[1], xs[#xs]
    if x_lo == x_hi then x_lo, x_hi = x_lo - 1, x_hi + 1 end  -- one x: in the middle
    return setmetatable({kind = "line", series = series, step = step, x_lo = x_lo, x_hi = x_hi, ticks = ticks,
                         xs = xs, period_texts = period_texts, x_name = spec.x,
                         y_label = axis_name(#ys == 1 and ys[1] or nil, unit),
                         width = spec.width, height = spec.height, title = spec.title, unit = unit,
                         source = source_of(t)}, Chart)
  end}

return M
