-- The values of a table a statistical reader loaded (read_worldbank's
-- years, read_nbs' periods, read_sdmx's OBS_VALUE) must be numbers: one
-- cell of text (a note, a mark such as "e" or "abc") makes read_csv keep
-- its whole column as text,
-- and the long table's values would then be text that compares and sorts
-- as text.  Refused, naming the file's line, the column and the row.
local errors = require("zb.host.errors")
errors.own()

-- Whether text is a number as read_csv reads one: digits, maybe a sign, a
-- point and an exponent, no space, no leading zero, in the reals' range
-- (" 12 ", 0x1A, 0571 and 1e400 are not: they made the column text).
local function number_text(text)
  local mantissa, exponent = text:match("^([+-]?[%d.]+)([eE][+-]?%d+)$")
  mantissa = mantissa or text
  if not (mantissa:match("^[+-]?%d+%.?%d*$") or mantissa:match("^[+-]?%.%d+$")) then return false end
  if mantissa:match("^[+-]?0%d") then return false end  -- a leading zero keeps a code (0571) text
  local x = tonumber(text)
  return x ~= nil and x == x and math.abs(x) < math.huge and (exponent == nil or mantissa ~= text)
end

-- Refuse the first cell of columns of table wide (loaded from path; id
-- names a row) that holds text: the first that reads as no number, else
-- the first (a number kept as text, as 0571 is).
local function numbers_only(path, wide, columns, id)
  local engine, quote, is_missing = zb.engine, zb.names.quote, require("zb.core").is_missing
  local texts, picked = {}, {quote(id)}
  for i, c in ipairs(columns) do
    texts[i] = engine.dialect.type_in(quote(c), {"text"})
    picked[#picked + 1] = quote(c)
  end
  if #texts == 0 then return end
  local rowid = engine.name == "sqlite" and "rowid AS zb_row, " or ""
  local found, first
  local marked = {}  -- columns holding a mark of a missing value ("..", the World Bank's), kept as text by read_csv
  for row in engine.rows(string.format("SELECT %s%s FROM %s WHERE %s", rowid, table.concat(picked, ", "),
                                       quote(wide.name), table.concat(texts, " OR ")), {n = 0}) do
    for _, c in ipairs(columns) do
      local v = row[c]
      if type(v) == "string" and is_missing(v) then
        marked[c] = true
      elseif type(v) == "string" then
        first = first or {row = row, column = c}
        if not number_text(v) then
          found = {row = row, column = c}
          break
        end
      end
    end
    if found then break end
  end
  found = found or first
  if not found then  -- the marks are missing values: NULL, as among numbers
    for c in pairs(marked) do
      engine.exec(string.format("UPDATE %s SET %s = NULL WHERE %s", quote(wide.name), quote(c),
                                engine.dialect.type_in(quote(c), {"text"})))
    end
    return
  end
  local row, c = found.row, found.column
  local line = require("zb.relation.catalog").line_of_row(wide.name, row.zb_row)
  local where = path .. (line and ":" .. line or "")
  local meta = wide.meta
  if line and meta.sheet and meta.first_column then  -- a workbook's cell: gdp.xlsx [Sheet1]!F9
    local index
    for i, name in ipairs(wide.columns) do
      if name == c then index = i end
    end
    local letters = require("zb.loaders.read_xlsx").column_letters(meta.first_column + index - 1)
    where = string.format("%s [%s]!%s%d", path, meta.sheet, letters, line)
  end
  errors.raise(string.format("%s: column %s holds '%s' (%s %s), not a number (a value column of a statistical " ..
                             "download holds numbers, and NULL where a value is missing)", where, c,
                             tostring(row[c]), id, tostring(row[id])))
end

-- " (...: read it with zb.read_...)" for a wide table whose columns say it
-- is another statistical download than the reader asked of it (asked).
local function other_download(wide, asked)
  local have = {}
  for _, c in ipairs(wide.columns) do have[c] = true end
  if asked ~= "read_worldbank" and have["Country Name"] and have["Indicator Code"] then
    return " (a World Bank download: read it with zb.read_worldbank)"
  end
  if asked ~= "read_sdmx" and (have.DATAFLOW or have.STRUCTURE_ID) then return " (SDMX-CSV: read it with zb.read_sdmx)" end
  if asked == "read_sdmx" then
    for _, c in ipairs(wide.columns) do
      if c:find("^[%u_]+: ") then  -- "REF_AREA: Reference area": the download with labels
        return " (SDMX-CSV with labels beside the codes, which zb does not read: download it with codes only)"
      end
    end
  end
  if asked ~= "read_nbs" and wide.columns[2] and zb.period.is(wide.columns[2]) then
    return " (a column a period, as an NBS export: read it with zb.read_nbs)"
  end
  return ""
end

-- The long table a download loader makes (long, of its wide table wide)
-- stored in the wide one's place: under its name (opts.name, else the
-- file's), with its record (the file, its notes, the loader), so that the
-- table the session keeps under that name is the one the loader returned;
-- the wide table, the file as read, dropped.  In the loader's transaction.
local function store_long(wide, long)
  local catalog = require("zb.relation.catalog")
  local name, meta = wide.name, long.meta
  local about = {}
  for k, v in pairs(meta) do
    if k ~= "columns" and k ~= "table" then about[k] = v end
  end
  long:save(name, {replace = true})  -- (save reads its rows before the table they come from goes)
  catalog.record(name, meta.columns, about)
  return zb.table(name)
end

return {numbers_only = numbers_only, other_download = other_download, store_long = store_long}
