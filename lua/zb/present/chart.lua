-- zb.chart: charts drawn as text, to read in the terminal (sparklines:
-- zb.spark, lua/zb/present/spark.lua).
--
--   t:bar{label =, value = [, sort =] [, width =] [, title =] [, unit =]}
--                                       a ranking: a bar a row, its value at the end
--
-- A chart is a value: print(chart) (and the REPL) draws it, at the
-- terminal's width or 80 columns when not on one; chart:draw{width =}
-- draws it at another.  Chinese labels are aligned by the columns they
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
M.Chart = Chart

function Chart:__tostring()
  return self:draw()
end

-- The columns to draw in: opts.width, the chart's, the terminal's, or 80.
local function width_of(chart, opts)
  return (opts and opts.width) or chart.width or zb.terminal() or 80
end

-- v as its bar's label shows it: in human units with a unit, else as written.
local function value_text(v, unit)
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
    texts[i] = value_text(r.value, self.unit)
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

function Chart:draw(opts)
  if opts ~= nil then opts = require("zb.host.options").check("draw", opts, {width = "integer"}) end
  return table.concat(self:draw_bars(opts), "\n")
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
  doc = "a bar chart of value by label (a ranking: sort = \"desc\" (the default), \"asc\" or false), drawn as text",
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
    return setmetatable({kind = "bar", rows = rows, width = spec.width, title = spec.title,
                         unit = spec.unit or (units and units[spec.value]) or nil}, Chart)
  end}

return M
