-- zb.to_xlsx(path, tables) and t:to_xlsx(path [, opts]): tables into an
-- Excel workbook, a sheet a table (src/writers/xlsx.c, libxlsxwriter),
-- written atomically as every export is: to a temporary file beside path,
-- renamed over it once whole.  Under each table its notes (t.meta.notes)
-- and where it came from (its file or dataset, vintage and source), unless
-- opts.notes = false.
local errors = require("zb.host.errors")
errors.own()

local M = {}
local numbers = require("zb.analysis.numbers")
local render = require("zb.present.render")

local EXACT = 1 << 53  -- the integers a spreadsheet's doubles hold

-- The lines under a table: its notes and its source.
local function notes_of(t)
  local meta, lines = t.meta, {}
  for _, note in ipairs(meta.notes or {}) do lines[#lines + 1] = note end
  if meta.remarks then lines[#lines + 1] = meta.remarks end
  lines[#lines + 1] = require("zb.relation.catalog").source_line(meta)
  return #lines > 0 and lines or nil
end

-- An Excel format's literal text: quoted, a quote in it as \".
local function literal(text)
  return '"' .. text:gsub('"', '"\\""') .. '"'
end

-- Excel's number format for a column's format f (t:format), and what the
-- column's numbers are divided by before they are written, so that Excel
-- shows what the terminal does.  Excel divides by itself where it can, and
-- the cell keeps its value: by 1000 for each trailing comma (千, 百万,
-- 万亿, 1000, 1e6 ...), by 0.01 through its own % (a fraction with percent
-- and scale = 0.01).  Any other scale (万, 亿, 0.5 ...) is Excel's to show
-- but not to divide by: the cell holds the value divided, the unit in every
-- cell's format.  Without decimals the number is Excel's General, as many
-- digits as it needs; a thousands separator has no such form, so its column
-- takes integers only (the third value returned: checked as rows are written).
local function excel_format(f)
  if not f then return nil end
  local scale = render.scale_of(f)
  local decimals = f.percent or f.decimals
  local fmt
  if decimals then
    fmt = (f.thousands and "#,##0" or "0") .. (decimals > 0 and "." .. string.rep("0", decimals) or "")
  else
    fmt = f.thousands and "#,##0" or "General"
  end
  local divide, commas, percent_sign = nil, 0, f.percent and literal("%") or ""
  if scale and f.percent and scale == 0.01 and fmt ~= "General" then
    percent_sign = "%"
  elseif scale and fmt ~= "General" then
    local left = scale
    while left >= 1000 and left % 1000 == 0 do left, commas = left // 1000, commas + 1 end
    if left ~= 1 then divide, commas = scale, 0 end
  elseif scale then
    divide = scale
  end
  fmt = fmt .. string.rep(",", commas) .. percent_sign
  if type(f.scale) == "string" then fmt = fmt .. literal(f.scale) end
  if f.suffix then fmt = fmt .. literal(f.suffix) end
  return fmt, divide, f.thousands and not decimals
end

-- A sheet of table t named name.
local function sheet(name, t, with_notes)
  if not zb.table.is_table(t) then errors.raise("to_xlsx: sheet " .. tostring(name) .. " is not a table") end
  local next_row  -- the rows read when the sheet is written: a server's connection reads one query at a time
  local ncols = #t.columns
  local formats, divide, whole, known = {}, {}, {}, t.formats or {}
  for i, c in ipairs(t.columns) do formats[i], divide[i], whole[i] = excel_format(known[c]) end
  local as_text = render.as_formatted(t)  -- an integer a spreadsheet cannot hold: its text, as the terminal shows it
  -- a formatted column is as wide as its text as shown (measured here), not its values written in full
  local measured, widths = {}, {}
  for i in pairs(as_text) do measured[i], widths[i] = true, 0 end
  local row = 0
  local out
  out = {name = name, header = t.columns, notes = with_notes and notes_of(t) or nil, formats = formats,
         measured = measured, widths = widths,
          rows = function()
            next_row = next_row or t:rows()
            local r = next_row()
            if r == nil then return nil end
            row = row + 1
            local cells = {}
            for i = 1, ncols do
              local x = r[i]
              if measured[i] and x ~= nil then widths[i] = math.max(widths[i], zb.width(tostring(as_text[i](x)))) end
              if math.type(x) == "float" and not numbers.special(x) then
                if whole[i] and x ~= math.floor(x) then
                  out.refused = true  -- the table's, not the file's: said once, at the user's line
                  error(string.format("to_xlsx: %s holds %s (row %d): Excel's thousands separator needs the number"
                    .. " of decimals to show (give the column's format decimals)", t.columns[i], x, row), 0)
                end
                if divide[i] then x = x / divide[i] end
              elseif math.type(x) == "integer" and (x > EXACT or x < -EXACT) then
                x = as_text[i] and as_text[i](x) or x
              elseif math.type(x) == "integer" and divide[i] then
                x = x / divide[i]
              end
              cells[i] = x
            end
            return cells
          end}
  return out
end

-- Write sheets to path atomically.
local function write(path, sheets)
  local dir = (select(2, require("zb.core").file_kind(path)) or path):match("^(.*)/[^/]*$") or "."
  return require("zb.present.render").write_via(path, function(tmp, failure)
    local ok, problem = pcall(require("zb.core").xlsx_write, tmp, sheets, dir)
    if ok then return end
    failure.writing = true  -- libxlsxwriter's failures are the file's; a refused value is the table's
    for _, written in ipairs(sheets) do
      if written.refused then failure.writing = false end
    end
    error(problem, 0)
  end)
end

-- zb.to_xlsx(path, tables): tables a list (sheets named after each table,
-- or Sheet1 ...) or {sheet name = table} (sheets in name order).
local function to_xlsx(path, tables, opts)
  if type(path) ~= "string" then errors.raise("bad argument #1 to 'to_xlsx' (a file name expected)") end
  if type(tables) ~= "table" or zb.table.is_table(tables) then
    errors.raise("bad argument #2 to 'to_xlsx' (a list of tables or {sheet name = table} expected)")
  end
  opts = require("zb.host.options").check("to_xlsx", opts, {notes = "boolean"})
  local with_notes = opts.notes ~= false
  local sheets, names = {}, {}
  for name in pairs(tables) do
    if math.type(name) ~= "integer" then names[#names + 1] = name end
  end
  table.sort(names, function(a, b) return tostring(a) < tostring(b) end)
  for i, t in ipairs(tables) do
    local ok, n = pcall(function() return t.name end)
    sheets[#sheets + 1] = sheet(ok and n or "Sheet" .. i, t, with_notes)
  end
  for _, name in ipairs(names) do sheets[#sheets + 1] = sheet(name, tables[name], with_notes) end
  if #sheets == 0 then errors.raise("to_xlsx: no tables to write") end
  return write(path, sheets)
end
-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
M.to_xlsx = require("zb.core").keep_caller(to_xlsx)

require("zb.relation.table").define{name = "to_xlsx", call = "(path [, {sheet =, notes = false}])",
  doc = "the table as an Excel workbook (numbers as numbers, the header frozen, notes and source under it unless " ..
        "`notes = false`, as pandas reads a sheet with no footer)",
  body = function(t, path, opts)
    if type(path) ~= "string" then errors.raise("bad argument #1 to 'to_xlsx' (a file name expected)") end
    opts = require("zb.host.options").check("to_xlsx", opts, {sheet = "string", notes = "boolean"})
    local ok, name = pcall(function() return t.name end)
    return write(path, {sheet(opts.sheet or (ok and name) or "Sheet1", t, opts.notes ~= false)})
  end}

return M
