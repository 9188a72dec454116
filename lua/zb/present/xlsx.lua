-- zb.to_xlsx(path, tables) and t:to_xlsx(path [, opts]): tables into an
-- Excel workbook, a sheet a table (src/writers/xlsx.c, libxlsxwriter),
-- written atomically as every export is: to a temporary file beside path,
-- renamed over it once whole.  Under each table its notes (t.meta.notes)
-- and where it came from (its file or dataset, vintage and source), unless
-- opts.notes = false.
local errors = require("zb.host.errors")
errors.own()

local M = {}

-- The lines under a table: its notes and its source.
local function notes_of(t)
  local meta, lines = t.meta, {}
  for _, note in ipairs(meta.notes or {}) do lines[#lines + 1] = note end
  if meta.remarks then lines[#lines + 1] = meta.remarks end
  local from = meta.dataset and "dataset " .. meta.dataset or meta.file and meta.file.path
  local parts, source = {meta.source, from, meta.vintage}, {}
  for i = 1, 3 do source[#source + 1] = parts[i] end
  if #source > 0 then lines[#lines + 1] = "Source: " .. table.concat(source, "; ") end
  return #lines > 0 and lines or nil
end

-- Excel's number format for a column's format (t:format): decimals,
-- thousands, percent (the value already in %), a suffix, and the scales
-- Excel divides by itself (千: one trailing comma, 百万: two); for 万, 亿
-- and a number the value is written as it is, in the format's decimals,
-- since Excel cannot divide by them and the cell must keep its number.
local function excel_format(f)
  if not f then return nil end
  local decimals = f.percent or f.decimals
  local fmt = (f.thousands and "#,##0" or "0") .. (decimals and decimals > 0 and "." .. string.rep("0", decimals) or "")
  if f.scale == "千" then fmt = fmt .. ',"千"' elseif f.scale == "百万" then fmt = fmt .. ',,"百万"' end
  if f.percent then fmt = fmt .. '"%"' end
  if f.suffix then fmt = fmt .. '"' .. f.suffix:gsub('"', "") .. '"' end
  return fmt
end

-- A sheet of table t named name.
local function sheet(name, t, with_notes)
  if not zb.table.is_table(t) then errors.raise("to_xlsx: sheet " .. tostring(name) .. " is not a table") end
  local next_row = t:rows()
  local ncols = #t.columns
  local formats, known = {}, t.formats or {}
  for i, c in ipairs(t.columns) do formats[i] = excel_format(known[c]) end
  return {name = name, header = t.columns, notes = with_notes and notes_of(t) or nil, formats = formats,
          rows = function()
            local r = next_row()
            if r == nil then return nil end
            local cells = {}
            for i = 1, ncols do cells[i] = r[i] end
            return cells
          end}
end

-- Write sheets to path atomically.
local function write(path, sheets)
  local core = require("zb.core")
  local ok, why = core.allowed(path, true)
  if not ok then errors.raise(string.format("cannot write %s: %s", path, why)) end
  local _, target = core.file_kind(path)
  target = target or path
  local dir = target:match("^(.*)/[^/]*$") or "."
  local tmp = string.format("%s.zb-%08x.tmp", target, math.random(0, 0x7fffffff))
  local written, problem = pcall(core.xlsx_write, tmp, sheets, dir)
  if written then written, problem = os.rename(tmp, target) end
  if not written then
    os.remove(tmp)
    errors.raise(errors.plain(problem))
  end
  return path
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

require("zb.relation.table").define{name = "to_xlsx", call = "(path [, {sheet =, notes = true}])",
  doc = "the table as an Excel workbook (numbers as numbers, the header frozen, notes and source under it)",
  body = function(t, path, opts)
    if type(path) ~= "string" then errors.raise("bad argument #1 to 'to_xlsx' (a file name expected)") end
    opts = require("zb.host.options").check("to_xlsx", opts, {sheet = "string", notes = "boolean"})
    local ok, name = pcall(function() return t.name end)
    return write(path, {sheet(opts.sheet or (ok and name) or "Sheet1", t, opts.notes ~= false)})
  end}

return M
