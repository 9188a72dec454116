-- zb.render: one renderer for print(t), tostring(t), the REPL and exports.
--
--   zb.render(t [, opts]) --> string
--     opts.mode     box | markdown | csv | tsv | json | line (default: zb.mode())
--     opts.maxrows  rows shown before the middle is left out (display modes)
--     opts.width    columns to fit (default: the terminal's; none in a pipe)
--     opts.human    numbers with a unit as people read them (1.81万亿元)
--     opts.precision  most decimals a real column shows (default: zb.precision())
--   zb.mode([name]) -- the current mode, after setting it to name
--   zb.precision([n]) -- the display precision, after setting it to n
--
-- Display modes (box, markdown, line) measure text in terminal columns (a
-- Chinese character takes two), right-align numbers, show NULL as NULL and
-- cut long cells with "…"; a column of reals shows its shown values
-- rounded to the precision, less the trailing zeros all of them have (as
-- pandas does), and a column with a format (t:format) shows it so.  Data modes (csv, tsv,
-- json) write every row, with numbers that read back exactly.

local M = {options = {mode = "box", maxrows = nil, human = false, precision = 6}}

local width = zb.width
local errors = require("zb.host.errors")
errors.own()

---------------------------------------------------------------------------
-- Values

local numbers = require("zb.analysis.numbers")

-- A real that reads back as the same number (NaN and Inf as shown).
local function exact_real(x)
  return numbers.special(x) or numbers.exact(x)
end

local control_names = {["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r"}

-- Text safe to show on a terminal: control characters (but line breaks
-- and tabs, with lines) and invalid UTF-8 as escapes, so that text from a
-- file cannot drive the terminal.  In one cell, lines is false.
local function cell_text(s, lines)
  if not utf8.len(s) then
    s = s:gsub("[\128-\255]", function(c) return string.format("\\x%02X", c:byte()) end)
  end
  return (s:gsub("%c", function(c)
    if lines and (c == "\n" or c == "\t") then return c end
    return control_names[c] or string.format("\\x%02X", c:byte())
  end))
end
M.safe_text = cell_text

---------------------------------------------------------------------------
-- Numbers on screen: a column at a time, as pandas shows them.

-- The scales a format may divide by, by name; the name follows the number.
local scales = {["千"] = 1e3, ["万"] = 1e4, ["百万"] = 1e6, ["亿"] = 1e8, ["万亿"] = 1e12}

-- What format f divides its values by (nil: nothing).
function M.scale_of(f)
  return f.scale and (scales[f.scale] or f.scale)
end

-- x in pattern ("%.6f", "%.3e"); in %f a real that its fewest digits
-- write in fewer decimals is those digits and zeros, not the digits of the
-- double beyond them (1344508076879.9 at 6 decimals is
-- 1344508076879.900000, not 1344508076879.899902), which only a real of more
-- than 15 digits at those decimals can show.
local function shortest(x, pattern)
  local decimals = tonumber(pattern:match("^%%%.(%d+)f$"))
  if not decimals or #string.format("%.0f", math.abs(x)) + decimals <= 15 then return string.format(pattern, x) end
  for kept = 0, decimals - 1 do
    local text = string.format("%." .. kept .. "f", x)
    if tonumber(text) == x then return text .. (kept == 0 and "." or "") .. string.rep("0", decimals - kept) end
  end
  return string.format(pattern, x)
end

-- How the reals xs are best written together, as pandas does: each
-- rounded to precision decimals, then the trailing zeros all of them have
-- left off (14.62 and 12.2 as 14.62 and 12.20; 0.1 + 0.2 as 0.3); in
-- scientific notation ("%.3e") when one is 1e18 or more, or so small that
-- precision decimals would show it as 0.  Returns the string.format pattern.
local function real_pattern(xs, precision)
  local sci = false
  for _, x in ipairs(xs) do
    local a = math.abs(x)
    if a >= 1e18 or (a > 0 and a < 10 ^ -precision) then sci = true end
  end
  local kind = sci and "e" or "f"
  local full = "%." .. precision .. kind
  for d = 0, precision - 1 do
    local same = true
    for _, x in ipairs(xs) do
      if tonumber(string.format("%." .. d .. kind, x)) ~= tonumber(string.format(full, x)) then same = false break end
    end
    if same then return "%." .. d .. kind end
  end
  return full
end

-- Format f of column name (for t:format, named who), checked: a copy.
function M.check_format(who, name, f)
  local where = who .. " " .. name
  if type(f) ~= "table" then
    errors.raise(string.format("%s: a format is a table ({decimals = 2}) or false, not a %s", where, type(f)))
  end
  f = require("zb.host.options").check(where, f, {decimals = "integer", thousands = "boolean|string",
                                                  percent = "integer", scale = "string|number", suffix = "string"})
  for _, k in ipairs({"decimals", "percent"}) do
    if f[k] and (f[k] < 0 or f[k] > 17) then errors.raise(string.format("%s: %s must be from 0 to 17", where, k)) end
  end
  if f.decimals and f.percent then errors.raise(where .. ": give decimals or percent (its decimals), not both") end
  if type(f.scale) == "string" and not scales[f.scale] then
    local names = {}
    for k in pairs(scales) do names[#names + 1] = k end
    table.sort(names, function(a, b) return scales[a] < scales[b] end)
    errors.raise(string.format("%s: unknown scale %s (scales: %s, or a number to divide by)",
                               where, f.scale, table.concat(names, ", ")))
  end
  if type(f.scale) == "number" and not (f.scale > 0 and f.scale < math.huge) then
    errors.raise(where .. ": scale must be a number above 0 (what values are divided by)")
  end
  local copy = {}
  for k, v in pairs(f) do copy[k] = v end
  return copy
end

-- x with decimals decimals, rounded as Excel and 四舍五入 round: its 15
-- significant digits (Excel's), half away from zero (2.5 as 3, 0.125 as
-- 0.13, 2.675 as 2.68, where C's printf rounds the binary value: 2, 0.12,
-- 2.67); an integer exactly.
local function fixed(x, decimals)
  if math.type(x) == "integer" then return tostring(x) .. (decimals > 0 and "." .. string.rep("0", decimals) or "") end
  local sign, first, rest, exponent = string.format("%.14e", x):match("^(-?)(%d)%.(%d+)e([-+]%d+)$")
  if not sign then return string.format("%." .. decimals .. "f", x) end  -- inf, nan
  local digits, point = first .. rest, tonumber(exponent) + 1  -- x = 0.digits * 10^point
  local keep = point + decimals
  if keep < 0 then digits, point, keep = "", 0, decimals end
  local kept = digits:sub(1, keep)
  if keep < #digits and digits:byte(keep + 1) >= 53 then  -- "5": up, carrying
    local i = #kept
    while i > 0 and kept:sub(i, i) == "9" do i = i - 1 end
    if i == 0 then
      kept, point = "1" .. string.rep("0", #kept), point + 1
    else
      kept = kept:sub(1, i - 1) .. string.char(kept:byte(i) + 1) .. string.rep("0", #kept - i)
    end
  end
  kept = kept .. string.rep("0", math.max(0, point + decimals - #kept))
  if point <= 0 then kept, point = string.rep("0", 1 - point) .. kept, 1 end
  local whole, fraction = kept:sub(1, point), kept:sub(point + 1, point + decimals)
  if not whole:find("[1-9]") and not fraction:find("[1-9]") then sign = x < 0 and "-" or "" end
  return sign .. whole .. (decimals > 0 and "." .. fraction or "")
end
M.fixed = fixed

-- text (digits, maybe a sign and decimals) with sep between thousands.
local function grouped(text, sep)
  local sign, digits, rest = text:match("^([-+]?)(%d+)(.*)$")
  if not digits then return text end
  digits = digits:reverse():gsub("(%d%d%d)", "%1" .. sep:reverse()):reverse()
  if digits:sub(1, #sep) == sep then digits = digits:sub(#sep + 1) end
  return sign .. digits .. rest
end

-- The texts of a column's numbers nums (the cells that are numbers, by
-- row), as format f ({decimals =, thousands =, percent =, scale =,
-- suffix =}, see t:format) or, without one, as the display precision has
-- them: integers as they are, reals together (real_pattern).
local function number_texts(nums, f, precision)
  f = f or {}
  local scale = M.scale_of(f)
  local values, reals = {}, {}
  for i, x in pairs(nums) do
    if scale and not numbers.special(x) then x = x / scale end
    values[i] = x
    if math.type(x) == "float" and not numbers.special(x) then reals[#reals + 1] = x end
  end
  local decimals = f.percent or f.decimals
  local pattern = decimals and "%." .. decimals .. "f" or real_pattern(reals, precision)
  local after = (f.percent and "%" or "") .. (type(f.scale) == "string" and f.scale or "") .. (f.suffix or "")
  local sep = f.thousands == true and "," or f.thousands or nil
  local out = {}
  for i, x in pairs(values) do
    local text = numbers.special(x)
    if not text then
      text = (math.type(x) == "integer" and not decimals) and tostring(x) or decimals and fixed(x, decimals)
             or shortest(x, pattern)
      if sep then text = grouped(text, sep) end
      text = text .. after
    end
    out[i] = text
  end
  return out
end

-- The shown cells of rows (false where rows are left out): for each row
-- and column {text =, number =, null =}; a column's numbers written
-- together (number_texts), as formats[column name] asks, at precision.
local function shown_cells(columns, rows, formats, precision)
  local shown = {}
  for i, r in ipairs(rows) do shown[i] = r and {} or false end
  for c, name in ipairs(columns) do
    local nums = {}
    for i, r in ipairs(rows) do
      if r and type(r[c]) == "number" then nums[i] = r[c] end
    end
    local texts = number_texts(nums, formats and formats[name], precision)
    for i, r in ipairs(rows) do
      if r then
        local v = r[c]
        if v == nil then shown[i][c] = {text = "NULL", number = false, null = true}
        elseif type(v) == "table" then shown[i][c] = {text = v.human, number = true}  -- from humanize
        elseif texts[i] then shown[i][c] = {text = texts[i], number = true}
        else shown[i][c] = {text = cell_text(tostring(v)), number = false} end
      end
    end
  end
  return shown
end

-- s cut to at most cols terminal columns, "…" marking the cut.
local function cut(s, cols)
  if width(s) <= cols then return s end
  local out, used = {}, 0
  for _, code in utf8.codes(s) do
    local ch = utf8.char(code)
    local w = width(ch)
    if used + w > cols - 1 then break end
    out[#out + 1] = ch
    used = used + w
  end
  return table.concat(out) .. "…"
end

local function pad(s, cols, right)
  local gap = string.rep(" ", math.max(0, cols - width(s)))
  return right and gap .. s or s .. gap
end

---------------------------------------------------------------------------
-- Reading rows: all, or the first and last when there are more than maxrows.

-- With opts.human, the units of t's columns: a metric's (t.units), and
-- for a column named value, each row's unit column (the long layout).
-- Returns a function that turns a row's number cells into {human = text}.
local function humanizer(t)
  local units, unit_col, value_col = t.units, nil, nil
  local by_col, any, formats = {}, false, t.formats
  for i, name in ipairs(t.columns) do
    if units[name] and not formats[name] then by_col[i], any = units[name], true end
    if name == "unit" then unit_col = i end
    if name == "value" and not formats[name] then value_col = i end
  end
  if unit_col and value_col and not by_col[value_col] then any = true end
  if not any then return nil end
  local human = zb.units.human
  return function(cells)
    for i = 1, cells.n do
      local v = cells[i]
      local unit = by_col[i] or (i == value_col and unit_col and cells[unit_col]) or nil
      if type(v) == "number" and type(unit) == "string" and zb.units.about(unit) then
        cells[i] = {human = human(v, unit)}
      end
    end
  end
end

local function gather(t, maxrows, human)
  local head, tail, total = {}, {}, 0
  local keep_head = maxrows and math.ceil(maxrows / 2) or math.huge
  local keep_tail = maxrows and maxrows - keep_head or 0
  local ncols = #t.columns
  for r in t:rows() do
    total = total + 1
    local cells = {}
    for i = 1, ncols do cells[i] = r[i] end
    cells.n = ncols
    if human then human(cells) end
    if total <= keep_head then head[#head + 1] = cells
    elseif keep_tail > 0 then
      tail[#tail + 1] = cells
      if #tail > keep_tail then table.remove(tail, 1) end
    end
  end
  local rows = head
  local skipped = total - #head - #tail
  if skipped > 0 then rows[#rows + 1] = false end  -- where rows are left out
  for _, r in ipairs(tail) do rows[#rows + 1] = r end
  return rows, total, skipped
end

-- The slots to draw the shown cells in: {col =, width =, numeric =}
-- for a column, {gap = true} where columns are left out.  To fit limit,
-- text columns narrow first (to 8); numbers are never cut (181… would read
-- as another value); then columns are left out in the middle, keeping the
-- first and the last.
local function layout(columns, shown, limit)
  local widths, numeric = {}, {}
  for c, name in ipairs(columns) do widths[c] = width(cell_text(name)) end
  for _, line in ipairs(shown) do
    for c = 1, line and #columns or 0 do
      local cell = line[c]
      widths[c] = math.max(widths[c], width(cell.text))
      if not cell.null then numeric[c] = (numeric[c] ~= false) and cell.number end
    end
  end
  local function span(list)  -- terminal columns the slots take, borders included
    local sum = 1
    for _, slot in ipairs(list) do sum = sum + (slot.gap and 1 or slot.width) + 3 end
    return sum
  end
  local slots = {}
  for c = 1, #columns do slots[c] = {col = c, width = widths[c], numeric = numeric[c]} end
  if not limit or span(slots) <= limit then return slots end
  while span(slots) > limit do
    local widest
    for _, slot in ipairs(slots) do
      if not slot.numeric and slot.width > 8 and (not widest or slot.width > widest.width) then widest = slot end
    end
    if not widest then break end
    widest.width = widest.width - 1
  end
  if span(slots) <= limit then return slots end
  local left, right, gap = {}, {}, {gap = true}
  local lo, hi = 1, #slots
  while lo <= hi do  -- take from each end in turn while the gap still fits
    local from_left = #left <= #right
    local slot = from_left and slots[lo] or slots[hi]
    local trial = {}
    for _, x in ipairs(left) do trial[#trial + 1] = x end
    trial[#trial + 1] = slot
    trial[#trial + 1] = gap
    for _, x in ipairs(right) do trial[#trial + 1] = x end
    if span(trial) > limit and #left + #right > 0 then break end
    if from_left then
      left[#left + 1] = slot
      lo = lo + 1
    else
      table.insert(right, 1, slot)
      hi = hi - 1
    end
  end
  local kept = left
  if lo <= hi then kept[#kept + 1] = gap end
  for _, x in ipairs(right) do kept[#kept + 1] = x end
  return kept
end

local function footer(total, skipped, columns, slots)
  local notes = {}
  if skipped > 0 then
    notes[#notes + 1] = string.format("%d rows (%d shown; .maxrows shows more)", total, total - skipped)
  elseif total == 0 then
    notes[#notes + 1] = "0 rows"
  end
  local drawn = 0
  for _, slot in ipairs(slots or {}) do
    if not slot.gap then drawn = drawn + 1 end
  end
  if slots and drawn < #columns then
    notes[#notes + 1] = string.format("%d columns (%d shown; select fewer)", #columns, drawn)
  end
  if #notes > 0 then return table.concat(notes, "\n") end
end

-- One cell of a slot: the column's text in its width, or the gap's "…".
local function slot_cell(slot, line, columns)
  if slot.gap then return "…" end
  if line == "header" then return pad(cut(cell_text(columns[slot.col]), slot.width), slot.width, slot.numeric) end
  if not line then return pad("…", slot.width, slot.numeric) end
  local cell = line[slot.col]
  return pad(cut(cell.text, slot.width), slot.width, cell.number or (cell.null and slot.numeric))
end

---------------------------------------------------------------------------
-- Modes

M.modes = {}

M.modes.box = {help = "aligned columns in a box (Chinese text measured as two columns)",
  display = true,
  render = function(columns, shown, total, skipped, limit)
    local slots = layout(columns, shown, limit)
    local function rule(l, m, r)
      local parts = {}
      for i, slot in ipairs(slots) do parts[i] = string.rep("─", (slot.gap and 1 or slot.width) + 2) end
      return l .. table.concat(parts, m) .. r
    end
    local function line_of(line)
      local parts = {}
      for i, slot in ipairs(slots) do parts[i] = " " .. slot_cell(slot, line, columns) .. " " end
      return "│" .. table.concat(parts, "│") .. "│"
    end
    local out = {rule("┌", "┬", "┐"), line_of("header"), rule("├", "┼", "┤")}
    for _, line in ipairs(shown) do out[#out + 1] = line_of(line) end
    out[#out + 1] = rule("└", "┴", "┘")
    out[#out + 1] = footer(total, skipped, columns, slots)
    return table.concat(out, "\n")
  end}

M.modes.markdown = {help = "a Markdown (GitHub) table",
  display = true,
  render = function(columns, shown, total, skipped, limit)
    local function escape(v) return (v:gsub("|", "\\|")) end
    local escaped_columns = {}
    for c, name in ipairs(columns) do escaped_columns[c] = escape(name) end
    for _, line in ipairs(shown) do
      for _, cell in ipairs(line or {}) do cell.text = escape(cell.text) end
    end
    local slots = layout(escaped_columns, shown, limit)
    local function line_of(line)
      local parts = {}
      for i, slot in ipairs(slots) do parts[i] = slot_cell(slot, line, escaped_columns) end
      return "| " .. table.concat(parts, " | ") .. " |"
    end
    local rule = {}
    for i, slot in ipairs(slots) do
      local w = slot.gap and 1 or slot.width
      rule[i] = slot.numeric and string.rep("-", w + 1) .. ":" or string.rep("-", w + 2)
    end
    local out = {line_of("header"), "|" .. table.concat(rule, "|") .. "|"}
    for _, line in ipairs(shown) do out[#out + 1] = line_of(line) end
    local note = footer(total, skipped, columns, slots)
    if note then out[#out + 1] = "\n" .. note end
    return table.concat(out, "\n")
  end}

-- Line mode's lead of each field: its name, escaped and right-aligned, and " = ".
local function line_leads(columns)
  local name_width, leads = 0, {}
  for _, name in ipairs(columns) do name_width = math.max(name_width, width(cell_text(name))) end
  for c, name in ipairs(columns) do leads[c] = pad(cell_text(name), name_width, true) .. " = " end
  return leads, name_width
end

M.modes.line = {help = "one 'column = value' line a field, rows apart",
  display = true,
  render = function(columns, shown, total, skipped, limit)
    local leads, name_width = line_leads(columns)
    local out = {}
    for _, line in ipairs(shown) do
      if #out > 0 then out[#out + 1] = "" end
      if line then
        for c in ipairs(columns) do
          local text = line[c].text
          if limit then text = cut(text, math.max(limit - name_width - 3, 8)) end
          out[#out + 1] = leads[c] .. text
        end
      else
        out[#out + 1] = "…"
      end
    end
    local note = footer(total, skipped)
    if note then out[#out + 1] = (#out > 0 and "\n" or "") .. note end
    return table.concat(out, "\n")
  end}

local header_of  -- below, after the fields it writes

-- CSV as RFC 4180 writes it: NULL is an empty field, the empty string "".
local function csv_field(v, sep)
  if v == nil then return "" end
  local kind = math.type(v)
  if kind == "integer" then return tostring(v) end
  if kind == "float" then return exact_real(v) end
  v = tostring(v)
  if v == "" or v:find('[' .. sep .. '"\r\n]') or v:match("^%s") or v:match("%s$") then
    return '"' .. v:gsub('"', '""') .. '"'
  end
  return v
end

-- Data modes write every row through emit, one at a time; formatted (when
-- an export asks) turns a column's values into the text its format shows.
local function delimited(mode, sep, field)
  return function(t, emit, formatted)
    local columns = t.columns
    emit(header_of(mode, columns))
    local cells, shown = {}, formatted or {}
    for r in t:rows() do
      for c = 1, #columns do
        local v = r[c]
        if shown[c] then v = shown[c](v) end
        cells[c] = field(v, sep)
      end
      emit(table.concat(cells, sep) .. "\n")
    end
  end
end

M.modes.csv = {help = "comma-separated values (RFC 4180; NULL an empty field)",
  render = delimited("csv", ",", csv_field)}

local tsv_escapes = {["\t"] = "\\t", ["\n"] = "\\n", ["\r"] = "\\r", ["\\"] = "\\\\"}
local function tsv_field(v)
  if v == nil then return "" end
  if math.type(v) == "float" then return exact_real(v) end
  return (tostring(v):gsub("[\t\n\r\\]", tsv_escapes))
end
M.modes.tsv = {help = "tab-separated values (tabs and newlines in text as \\t, \\n)",
  render = delimited("tsv", "\t", tsv_field)}

local json_escapes = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r",
                      ["\t"] = "\\t", ["\b"] = "\\b", ["\f"] = "\\f"}

local function json_value(v)
  if v == nil then return "null" end
  local kind = math.type(v)
  if kind == "integer" then return tostring(v) end
  if kind == "float" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    local s = exact_real(v)
    return s
  end
  v = tostring(v)
  if not utf8.len(v) then v = v:gsub("[\128-\255]", "\239\191\189") end
  return '"' .. v:gsub('[%c"\\]', function(c)
    return json_escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
M.json_value = json_value

-- What a data mode writes of the column names: the first line (CSV, TSV),
-- or each column's "name": (JSON, a list).
function header_of(mode, columns)
  local head = {}
  for c, name in ipairs(columns) do
    head[c] = mode == "json" and json_value(name) .. ":" or mode == "csv" and csv_field(name, ",") or tsv_field(name)
  end
  if mode == "json" then return head end
  return table.concat(head, mode == "csv" and "," or "\t") .. "\n"
end

M.modes.json = {help = "a JSON array of objects, one a row",
  render = function(t, emit, formatted)
    local columns = t.columns
    local keys = header_of("json", columns)
    local fields, sep, shown, row = {}, "[\n", formatted or {}, 0
    for r in t:rows() do
      row = row + 1
      for c = 1, #columns do
        local v = r[c]
        if shown[c] then v = shown[c](v) end
        if v == math.huge or v == -math.huge then
          error(require("zb.core").json_infinite(row, columns[c], v), 0)  -- as the exporter says it
        end
        fields[c] = keys[c] .. json_value(v)
      end
      emit(sep .. "{" .. table.concat(fields, ",") .. "}")
      sep = ",\n"
    end
    emit(sep == "[\n" and "[]\n" or "\n]\n")
  end}

---------------------------------------------------------------------------

local function mode_names()
  local names = {}
  for name in pairs(M.modes) do names[#names + 1] = name end
  table.sort(names)
  return names
end
M.mode_names = mode_names

local function check_mode(name)
  if not M.modes[name] then
    errors.raise(string.format("unknown mode: %s (modes: %s)", tostring(name), table.concat(mode_names(), ", ")))
  end
end

-- The most decimals a column of reals shows, as pandas' display.precision.
local function check_precision(n)
  if math.type(n) ~= "integer" or n < 0 or n > 17 then
    errors.raise(string.format("precision: expected a whole number from 0 to 17, got %s", tostring(n)))
  end
end

-- zb.mode([name]), zb.precision([n]): option key of M.options, after
-- setting it to the value given (checked by check).
local function setting(key, check)
  return function(v)
    if v ~= nil then
      check(v)
      M.options[key] = v
    end
    return M.options[key]
  end
end
M.mode = setting("mode", check_mode)
M.precision = setting("precision", check_precision)

-- In a terminal, as many rows as leave room for the prompt.
local function default_maxrows()
  local _, lines = zb.terminal()
  return lines and math.max(lines - 8, 10) or nil
end

-- For an export with formatted = true: the formats of t's columns, as a
-- list by column number, each a function from a value to the value written
-- (a number of the column as its format shows it, as text).
local function as_formatted(t)
  local formats, by_col = t.formats or {}, {}
  for c, name in ipairs(t.columns) do
    local f = formats[name]
    if f then
      by_col[c] = function(v)
        if type(v) ~= "number" then return v end
        return number_texts({v}, f, M.options.precision)[1]
      end
    end
  end
  return by_col
end
M.as_formatted = as_formatted

-- t's columns as a box or markdown table heads them: a metric's unit with its column.
local function shown_headers(t)
  local headers, units = t.columns, t.units
  for i, name in ipairs(headers) do
    if units[name] then headers[i] = name .. " [" .. units[name] .. "]" end
  end
  return headers
end

-- Render t, handing the text to emit in pieces.
local function render_to(t, opts, emit)
  local mode_name = opts.mode or M.options.mode
  check_mode(mode_name)
  local mode = M.modes[mode_name]
  if not mode.display then return mode.render(t, emit, opts.formatted and as_formatted(t)) end
  local maxrows = opts.maxrows or M.options.maxrows
  if maxrows == nil and opts.width == nil and not opts.all then maxrows = default_maxrows() end
  if maxrows == 0 or opts.all then maxrows = nil end
  local limit = opts.width or (not opts.all and zb.terminal()) or nil
  local human = opts.human
  if human == nil then human = M.options.human end
  local rows, total, skipped = gather(t, maxrows, human and humanizer(t))
  local shown = shown_cells(t.columns, rows, t.formats, opts.precision or M.options.precision)
  emit(mode.render(shown_headers(t), shown, total, skipped, limit))
end

-- Whether every row of t can be written as mode straight from its query
-- (in C, constant memory): what render would write needs nothing of Lua
-- (SQLite's engine; a data mode, or a display mode with no formats and no
-- human units).
local function streams(t, mode)
  if not zb.engine.print_rows then return false end
  if not M.modes[mode].display then return true end
  return not next(t.formats) and not (M.options.human and humanizer(t))
end

-- Write every row of t as mode to file from its query; true, or nil and why
-- a write failed.
local function stream(t, mode, file, who)
  local sql, params = require("zb.relation.table").query_of(t, who)
  if not M.modes[mode].display then return zb.engine.export_rows(file, mode, sql, params, header_of(mode, t.columns)) end
  local headers = shown_headers(t)
  return zb.engine.print_rows(file, mode, sql, params, mode == "line" and line_leads(headers) or headers,
                              M.options.precision)
end

-- print(t) in a script (src/host/host.c's print asks first), and the
-- REPL's results going to a file: every row of t streamed when it can be
-- and, unless opts.all, off a terminal with no .maxrows.  opts.file: where
-- (standard output).  Returns whether it printed; a failed write raises
-- for standard output, else returns nil and why.
function M.print_whole(t, opts)
  opts = opts or {}
  local mode = M.options.mode
  if not streams(t, mode) or (M.modes[mode].display and not opts.all
                              and (zb.terminal() or (M.options.maxrows or 0) ~= 0)) then
    return false
  end
  local written, why = errors.guarded(stream, t, mode, opts.file or io.stdout, "print")
  if written then return true end
  if opts.file then return nil, why end
  errors.raise("print: cannot write standard output: " .. why)
end

function M.render(t, opts)
  if not zb.table.is_table(t) then
    errors.raise(string.format("bad argument #1 to 'render' (a table expected, got %s)", type(t)))
  end
  opts = require("zb.host.options").check("render", opts, {mode = "string", maxrows = "integer", width = "integer",
                                                        human = "boolean", all = "boolean", precision = "integer"})
  if opts and opts.precision then check_precision(opts.precision) end
  local parts = {}
  opts = opts or {}
  errors.guarded(render_to, t, opts, function(s) parts[#parts + 1] = s end)
  local text = table.concat(parts):gsub("\n$", "")
  -- a blank line after a markdown table, so that the next one printed is
  -- not read as more of its rows
  if (opts.mode or M.options.mode) == "markdown" then text = text .. "\n" end
  return text
end

-- A failure while producing path: a stop goes on as it is; the file's own
-- failure (a full disk) is "cannot write PATH"; any other (the query's:
-- an integer overflow in a sum) is said as it is, and that PATH was not
-- written, so that it is not taken for the disk's.
local function write_failed(path, problem, writing)
  if not errors.is_plain(problem) then error(problem, 0) end
  if writing then errors.raise(string.format("cannot write %s: %s", path, errors.plain(tostring(problem)))) end
  errors.raise(string.format("%s (%s was not written)", errors.plain(tostring(problem)), path))
end

-- emit for produce: it writes s to f; a write that fails raises its
-- message and marks failure.writing (the disk's failure, not the query's).
local function writer(f, failure)
  return function(s)
    local ok, why = f:write(s)
    if not ok then
      failure.writing = true
      error(why, 0)
    end
  end
end

-- Write a file to path atomically: write(tmp, failure) makes it at tmp, a
-- temporary name beside path (beside a symbolic link's file, the link
-- kept), renamed over path only once complete, so a failure never leaves
-- half a file and the old one stays.  write raises on failure, setting
-- failure.writing when the disk failed (not the query).  Errors name path;
-- returns path.
function M.write_via(path, write)
  local core = require("zb.core")
  local ok, why = core.allowed(path, true)
  if not ok then errors.raise(string.format("cannot write %s: %s", path, why)) end
  local _, target = core.file_kind(path)
  target = target or path
  local tmp = string.format("%s.zb-%08x.tmp", target, math.random(0, 0x7fffffff))
  -- made here first, so that a file that cannot be made (a missing
  -- directory) is said with the system's reason, not a library's less
  -- (cairo: "error while writing to output stream"; libxlsxwriter:
  -- "usually a permissions error", on a line of its own)
  local probe, err = io.open(tmp, "wb")
  if not probe then write_failed(path, errors.reason(err, tmp), true) end
  probe:close()
  local failure, problem = {}
  ok, problem = pcall(write, tmp, failure)
  if ok then
    ok, problem = os.rename(tmp, target)
    failure.writing = not ok
  end
  if not ok then
    os.remove(tmp)
    write_failed(path, problem, failure.writing)
  end
  return path
end

-- Write what produce(emit, file, failure) emits to path, atomically
-- (write_via; a device or pipe, /dev/stdout, is written in place); it may
-- write to the open file itself, setting failure.writing when a write
-- fails.  Errors name path; returns path.
function M.write_file(path, produce)
  local core = require("zb.core")
  local ok, why = core.allowed(path, true)
  if not ok then errors.raise(string.format("cannot write %s: %s", path, why)) end
  if core.file_kind(path) == "other" then
    local f, err = io.open(path, "wb")
    if not f then errors.raise("cannot write " .. err) end
    local failure = {}
    local produced, problem = pcall(produce, writer(f, failure), f, failure)
    local closed, close_err = f:close()  -- what was buffered fails here (/dev/full)
    if produced and not closed then produced, problem, failure.writing = false, close_err, true end
    if not produced then write_failed(path, problem, failure.writing) end
    return path
  end
  return M.write_via(path, function(tmp, failure)
    local f = assert(io.open(tmp, "wb"))  -- write_via has just made it
    local produced, problem = pcall(produce, writer(f, failure), f, failure)
    local closed, close_err = f:close()
    if not produced then error(problem, 0) end
    if not closed then
      failure.writing = true
      error(close_err, 0)
    end
  end)
end

-- The options of t:to_csv and the other exports, by mode.
M.export_options = require("zb.present.export_options")
local encodings = {["utf-8"] = "utf-8", utf8 = "utf-8", gb18030 = "gb18030", gbk = "gb18030"}

-- The encoding opts ask for ("utf-8", "gb18030" or nil), checked before
-- anything is written.
local function encoding_of(who, opts)
  local encoding = opts.encoding and encodings[opts.encoding:lower()]
  if opts.encoding and not encoding then
    errors.raise(string.format("%s: unknown encoding '%s' (encodings: utf-8, gb18030; gbk writes gb18030)", who, opts.encoding))
  end
  if opts.bom and encoding == "gb18030" then errors.raise(who .. ": bom is for UTF-8 (a GB18030 file has none)") end
  return encoding
end

-- emit, writing in encoding (nil: UTF-8 as it is), a BOM first when opts.bom.
local function encoder(encoding, emit, opts)
  if opts.bom then emit("\239\187\191") end
  if encoding ~= "gb18030" then return emit end
  local convert = require("zb.core").to_gb18030
  return function(s) emit(convert(s)) end
end

-- Write t to path in mode (atomically, as write_file), or return the text
-- when path is nil; opts as export_options[mode] says.
function M.export(t, mode, path, opts)
  opts = opts or {}
  local encoding = encoding_of("to_" .. mode, opts)
  local function produce(emit, file, failure)
    local plain = emit
    emit = encoder(encoding, emit, opts)
    if opts.figure then emit(string.format("![%s](%s)\n\n", (opts.caption or ""):gsub("[%[%]\n]", " "),
                                           opts.figure:gsub("[ ()]", {[" "] = "%20", ["("] = "%28", [")"] = "%29"}))) end
    if file and emit == plain and streams(t, mode) and not (opts.formatted and next(as_formatted(t))) then
      -- as print writes it: a markdown table ends with a blank line
      local written, why = stream(t, mode, file, "to_" .. mode)
      if not written then
        failure.writing = true
        error(why, 0)
      end
    else
      render_to(t, {mode = mode, all = true, formatted = opts.formatted}, emit)
      if M.modes[mode].display then emit("\n") end
      if mode == "markdown" then emit("\n") end
    end
    -- a markdown table's caption and notes: a line each, a blank line after
    -- each, so that what is written next stays apart
    if opts.caption then emit(opts.caption:gsub("%s*\n%s*", " ") .. "\n\n") end
    for _, note in ipairs(type(opts.notes) == "table" and opts.notes or {opts.notes}) do
      emit(tostring(note):gsub("%s*\n%s*", " ") .. "\n\n")
    end
  end
  if path ~= nil then return M.write_file(path, produce) end
  local parts = {}
  errors.guarded(produce, function(s) parts[#parts + 1] = s end)  -- errors at the caller's line
  return table.concat(parts)
end

-- zb.render(t) through C: a tail call keeps the user's line
return setmetatable(M, {__call = require("zb.core").keep_caller(function(_, t, opts) return M.render(t, opts) end)})
