-- Random tables for the tests that compare two ways of writing one table
-- (tests/lua/export.lua, tests/lua/print_whole.lua): the SQL of a table of
-- 1 to 6 columns and 0 to 30 rows holding every kind of value a column
-- can: NULL, integers at the ends of their range, reals from subnormal to
-- near the largest, infinities, blobs, and text with commas, quotes,
-- line breaks, tabs, control characters, invalid UTF-8 and Chinese.
local M = {}

M.texts = {"", " lead", "trail ", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "tab\there", "back\\slash",
           "杭州市", "共同富裕 2025", "\1\2ctl", "\127del", "bad \255\254 utf8", "\u{10FFFF}", "null", "NaN",
           "-", "1e5", "0x10", "a|b"}

local function value()
  local kind = math.random(7)
  if kind == 1 then return "NULL" end
  if kind == 2 then return tostring(math.random(-2 ^ 53, 2 ^ 53)) end
  if kind == 3 then return string.format("%.17g", (math.random() - 0.5) * 10 ^ math.random(-320, 308)) end
  if kind == 4 then return ({"9223372036854775807", "-9223372036854775808", "0", "-0.0", "1e308 * 10",
                            "-1e308 * 10", "0.1 + 0.2", "100.0", "1e16", "123456789012.345678", "2.5",
                            "1e-7", "12.25"})[math.random(13)] end
  if kind == 5 then return "x'" .. string.format("%02x%02x", math.random(0, 255), math.random(0, 255)) .. "'" end
  return "'" .. M.texts[math.random(#M.texts)]:gsub("'", "''") .. "'"
end

-- The SQL of a random table (math.random: seed it first).
function M.sql()
  local ncols, nrows = math.random(1, 6), math.random(0, 30)
  local rows = {}
  for r = 1, math.max(nrows, 1) do
    local cells = {}
    for c = 1, ncols do
      cells[c] = value() .. (r == 1 and string.format(' as "c%d %s"', c, M.texts[c + 1]:gsub('"', "")) or "")
    end
    rows[r] = "select " .. table.concat(cells, ", ")
  end
  local sql = table.concat(rows, " union all ")
  if nrows == 0 then sql = "select * from (" .. sql .. ") where 0" end
  return sql
end

return M
