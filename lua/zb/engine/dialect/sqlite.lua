-- zb.engine.dialect.sqlite: how zb writes SQL for SQLite.  Everything the
-- compiler and the methods write that another engine would write
-- otherwise is here: placeholders, quoting, subqueries, LIMIT, NULL-safe
-- equality, and the tests of SQLite's dynamic types (a column may hold
-- text '2021' beside numbers; a declared type gives an affinity).
local compiler = require("zb.engine.compiler")

local M = {name = "sqlite"}

-- name as an SQL identifier: always quoted, so any text is a safe name.
function M.quote(name)
  return '"' .. name:gsub('"', '""') .. '"'
end

-- The SQL text of fragment f: each value's place a ?.
function M.text(f)
  return (f.sql:gsub("%z", "?"))
end

-- A query (a fragment) read as a table in FROM; SQLite needs no name
-- for it unless one is given.
-- whole: keep it whole rather than flattened into the query over it (a
-- LIMIT keeps it so), which SQLite then reads once into a temporary table.
function M.subquery(f, alias, whole)
  return compiler.cat("(", f, whole and " LIMIT -1" or "", alias and ") AS " .. alias or ")")
end

-- Whether the rows of a sorted subquery (with no LIMIT) reach the query
-- over it in that order: SQLite keeps them so (SQL does not promise it,
-- and another engine's dialect says false: the compiler then numbers the
-- rows inside and sorts by the number outside).
M.subquery_keeps_order = true

-- A column holds values of its declared type alone (SQLite's may hold any).
M.typed_columns = false

function M.limit(n, offset)
  return string.format(" LIMIT %d OFFSET %d", n, offset)
end

-- A condition no row meets (where{x = {}}).
M.never = "0"

-- An ORDER BY term sorting expr with its NULLs last.  SQLite sorts NULL
-- below every value, so descending needs no second key (a sort key less:
-- rank over a million rows is 14% fewer instructions).
function M.nulls_last(expr, descending)
  if descending then return expr .. " DESC" end
  return expr .. " IS NULL, " .. expr .. " ASC"
end

-- a = b, true also when both are NULL.
function M.same(a, b)
  return a .. " IS " .. b
end

-- SQL true when the value of expr is one of kinds ("integer", "real",
-- "text", "blob").
function M.type_in(expr, kinds)
  local quoted = {}
  for i, k in ipairs(kinds) do quoted[i] = "'" .. k .. "'" end
  if #quoted == 1 then return string.format("typeof(%s) = %s", expr, quoted[1]) end
  return string.format("typeof(%s) IN (%s)", expr, table.concat(quoted, ", "))
end

-- expr as a number: text that reads as one whole (all the methods' checks
-- let through) as that number.
function M.as_number(expr)
  return string.format("CASE WHEN %s THEN CAST(%s AS NUMERIC) ELSE %s END", M.type_in(expr, {"text"}), expr, expr)
end

-- SQL true when expr holds what is not a number: a blob, or text that
-- numeric affinity leaves as text (CAST reads '12abc' as 12, so the two
-- differ).
function M.not_number(expr)
  return string.format("(%s OR %s AND NOT (CAST(%s AS NUMERIC) = %s))", M.type_in(expr, {"blob"}),
                       M.type_in(expr, {"text"}), expr, expr)
end

-- The text SQLite gives number n (2.0, not 2).
function M.number_text(n)
  if math.type(n) == "integer" then return string.format("%d", n) end
  local text = string.format("%.15g", n)
  return (text:find("[.eni]") and text or text .. ".0")
end

-- col (SQL) equal to one of values, for a column of no declared type
-- (an expression's, an untyped stored column), which compares without
-- converting: a year given as text would find no row.  So the value
-- compares as a stored column of each row's value's type would: text that
-- reads as a decimal number equals that number in a numeric row, and a
-- number equals its text in a text row.  A fragment holding the values in
-- both forms.
local function decimal_number(text)
  if not text:match("^%s*[-+]?%d*%.?%d*[eE]?[-+]?%d*%s*$") or not text:find("%d") then return nil end
  return tonumber(text)
end

function M.equal_untyped(col, values)
  local marks, numbers, texts = {}, {}, {}
  for i, v in ipairs(values) do
    marks[i] = "\0"
    if type(v) == "string" then numbers[#numbers + 1] = decimal_number(v)
    elseif type(v) == "number" and v == v then texts[#texts + 1] = M.number_text(v) end
  end
  local sql, args = {col .. " IN (" .. table.concat(marks, ", ") .. ")"}, {table.unpack(values)}
  local function also(kinds, list)
    if #list == 0 then return end
    sql[#sql + 1] = "(" .. M.type_in(col, kinds) .. " AND " .. col .. " IN (" .. string.rep("\0", #list, ", ") .. "))"
    for _, v in ipairs(list) do args[#args + 1] = v end
  end
  also({"integer", "real"}, numbers)
  also({"text"}, texts)
  if #sql == 1 then return compiler.frag(sql[1], table.unpack(args)) end
  return compiler.frag("(" .. table.concat(sql, " OR ") .. ")", table.unpack(args))
end

-- Whether GROUP BY takes a column of type decl as it is: every SQLite
-- column (it compares any two values).
function M.groups(decl) -- luacheck: no unused args
  return true
end

-- Whether a column of type decl has no "=" with a number: every SQLite
-- column has (its affinity makes a TEXT column's '330100' = 330100 true).
function M.cannot_equal_number(decl) -- luacheck: no unused args
  return false
end

-- The value v bound to compare with a column of type decl: v (SQLite
-- compares an integer and a real exactly).
function M.equal_value(decl, v) -- luacheck: no unused args
  return v
end

-- The affinity of a column of declared type decl, by SQLite's rules:
-- "integer", "text", "blob" (none), "real" or "numeric".
function M.affinity(decl)
  local upper = decl:upper()
  return upper:find("INT", 1, true) and "integer"
      or (upper:find("CHAR", 1, true) or upper:find("CLOB", 1, true) or upper:find("TEXT", 1, true)) and "text"
      or (upper == "" or upper:find("BLOB", 1, true)) and "blob"
      or (upper:find("REAL", 1, true) or upper:find("FLOA", 1, true) or upper:find("DOUB", 1, true)) and "real"
      or "numeric"
end

-- Column col (quoted) as a stored column of affinity kind holds it: a
-- number in a text column as its text, text that reads as a number in a
-- numeric one as that number (a union's arms, each of its own type).
function M.held_as(col, kind)
  if kind == "text" then
    return string.format("CASE WHEN %s THEN CAST(%s AS TEXT) ELSE %s END", M.type_in(col, {"integer", "real"}), col, col)
  end
  return string.format("CASE WHEN %s AND CAST(%s AS NUMERIC) = %s THEN CAST(%s AS NUMERIC) ELSE %s END",
                       M.type_in(col, {"text"}), col, col, col, col)
end

-- The greater of SQL expressions a and b; NULL when either is NULL.
function M.greater(a, b)
  return string.format("max(%s, %s)", a, b)
end

-- expr as type (an SQL type name).
-- zb's column types (INTEGER, REAL, TEXT) as this engine writes them.
function M.type_name(type)
  return type
end

function M.cast(expr, type)
  return string.format("CAST(%s AS %s)", expr, type)
end

-- expr, a number, as a real (an integer made one; anything else as it is).
-- A real written in SQL (text such as "100.0"): a double as it is.
function M.real(text)
  return text
end

function M.real_of(expr)
  return string.format("CASE WHEN %s THEN CAST(%s AS REAL) ELSE %s END", M.type_in(expr, {"integer"}), expr, expr)
end

-- Where text sub first is in text (from 1; 0 for nowhere).
-- Text made by a printf-style format (a Lua string: %d, %02d, %s) of the
-- SQL expressions args.
function M.format(fmt, ...)
  return string.format("printf(%s, %s)", "'" .. fmt:gsub("'", "''") .. "'", table.concat({...}, ", "))
end

-- The kind of value expr holds: 'integer', 'real', 'text', 'blob' or 'null'.
function M.kind_of(expr)
  return "typeof(" .. expr .. ")"
end

function M.find(text, sub)
  return string.format("instr(%s, %s)", text, sub)
end

-- The value of expr as an SQL literal (text, for a message).
function M.literal_of(expr)
  return "quote(" .. expr .. ")"
end

-- Field key of the JSON object in expr (text).
-- SQL stopping the query with the text of SQL message (zb_refuse, in C),
-- in a CASE whose other arms give expr like.
function M.refuse(message, like) -- luacheck: no unused args
  return "zb_refuse(" .. message .. ")"
end

-- SQL for whether the rows of frame (over order, k rows back; forward,
-- k < 0) repeat index: zb_repeated, a window function in C that shares
-- the frame of the value's own window (one pass).
function M.repeated(index, k, order, frame) -- luacheck: no unused args
  return string.format("zb_repeated(%s, %d) OVER (%s)", index, k, frame)
end

-- SQL of v k periods before each row (after, k < 0) of a series ordered
-- by index (each index once), NULL when that period is missing: zb_shift,
-- a window function in C over the frame k rows back (forward).
function M.shift(v, index, k, order, frame) -- luacheck: no unused args
  return string.format("zb_shift(%s, %s, %d) OVER (%s)", v, index, k, frame)
end

function M.json_field(expr, key)
  return string.format("json_extract(%s, '$.%s')", expr, key)
end

-- A subquery's SELECT (text) that SQLite computes once, not flattened into
-- the query around it (which would compute each value once a use).
function M.fenced(select)
  return select .. " LIMIT -1"
end

return M
