-- zb.engine.dialect.postgresql: how zb writes SQL for PostgreSQL, the
-- same pieces as zb.engine.dialect.sqlite.  PostgreSQL types every column
-- and expression once, when the query is planned: a value's kind is its
-- type's (pg_typeof), a subquery in FROM needs a name, parameters are $n,
-- and a subquery's order is not promised to the query around it.
local compiler = require("zb.engine.compiler")
local errors = require("zb.host.errors")
errors.own()

local M = {name = "postgresql"}

-- name as an SQL identifier: always quoted, so any text is a safe name.
-- The bytes of a name the server keeps (NAMEDATALEN - 1): a longer one it
-- cuts short, silently, so that two names could become one; zb refuses it.
M.max_name = 63

function M.quote(name)
  if #name > M.max_name then
    local kept = name:sub(1, M.max_name)
    while not utf8.len(kept) do kept = kept:sub(1, -2) end  -- (as the server cuts: whole characters)
    errors.raise(errors.new{message = string.format("the name %s is %d bytes, and PostgreSQL keeps %d of a name " ..
                                                    "(it would be %s, which another may be too): give it a shorter one",
                                                    name, #name, M.max_name, kept)})
  end
  return '"' .. name:gsub('"', '""') .. '"'
end

-- The SQL text of fragment f: each value's place $1, $2 ... in order.
function M.text(f)
  local n = 0
  return (f.sql:gsub("%z", function()
    n = n + 1
    return "$" .. n
  end))
end

-- Text between $$ or $tag$ marks is a string (bind skips it).
M.dollar_quotes = true

-- A query (a fragment) read as a table in FROM: PostgreSQL 15 wants a
-- name for it; one name serves every level (each is its own scope).
M.SUBQUERY = "zb_subquery"
function M.subquery(f, alias)
  return compiler.cat("(", f, ") AS " .. (alias or M.SUBQUERY))
end

-- A sorted subquery's rows reach the query over it in no promised order:
-- the compiler numbers them inside and sorts by the number outside.
M.subquery_keeps_order = false

-- A column holds values of its declared type alone (SQLite's may hold any).
M.typed_columns = true

function M.limit(n, offset)
  return string.format(" LIMIT %d OFFSET %d", n, offset)
end

-- A condition no row meets (where{x = {}}).
M.never = "FALSE"

-- a = b, true also when both are NULL.
function M.same(a, b)
  return a .. " IS NOT DISTINCT FROM " .. b
end

-- An ORDER BY term sorting expr with its NULLs last (PostgreSQL puts them
-- first going down).
function M.nulls_last(expr, descending)
  return expr .. (descending and " DESC" or " ASC") .. " NULLS LAST"
end

-- The type names of each kind of value, as pg_typeof gives them.
local integers = "'smallint', 'integer', 'bigint'"
local reals = "'real', 'double precision'"

-- The kind of value expr holds, as SQLite names them: 'integer', 'real',
-- 'text', 'blob' or 'null'.  A numeric is an integer when it has no
-- fraction (as SQLite's sum of integers is), else a real.
function M.kind_of(expr)
  local t = "pg_typeof(" .. expr .. ")::text"
  return string.format("(CASE WHEN (%s) IS NULL THEN 'null' WHEN %s IN (%s) THEN 'integer' " ..
                       "WHEN %s = 'numeric' THEN CASE WHEN (%s)::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END " ..
                       "WHEN %s IN (%s) THEN 'real' WHEN %s = 'bytea' THEN 'blob' ELSE 'text' END)",
                       expr, t, integers, t, expr, t, reals, t)
end

-- SQL true when the value of expr is one of kinds ("integer", "real",
-- "text", "blob").
function M.type_in(expr, kinds)
  local quoted = {}
  for i, k in ipairs(kinds) do quoted[i] = "'" .. k .. "'" end
  return string.format("%s IN (%s)", M.kind_of(expr), table.concat(quoted, ", "))
end

-- A number as PostgreSQL reads it from text, spaces around allowed.
local NUMBER = [['^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$']]

-- expr as a number.  A PostgreSQL column has one type: a number column's
-- values are numbers already, and keep their type (a real stays a real);
-- numbers held in a text column are the server's error where they meet
-- arithmetic, never a quiet conversion (a cast in the user's SQL: x::numeric).
function M.as_number(expr)
  return "(" .. expr .. ")"
end

-- SQL true when expr holds what is not a number (text that does not read
-- as one whole, a blob).
function M.not_number(expr)
  return string.format("((%s)::text !~ %s)", expr, NUMBER)
end

-- The text PostgreSQL gives number n (2, not 2.0, for a double).
function M.number_text(n)
  if math.type(n) == "integer" then return string.format("%d", n) end
  if n == math.floor(n) and math.abs(n) < 1e15 then return string.format("%d", math.tointeger(n)) end
  return string.format("%.15g", n)
end

-- col (SQL) equal to one of values.  Every PostgreSQL column has a type,
-- which the server gives to the values too: text that does not read as
-- the column's type is the server's error, never a silent miss.
function M.equal_untyped(col, values)
  local marks = {}
  for i = 1, #values do marks[i] = "\0" end
  return compiler.frag(col .. " IN (" .. table.concat(marks, ", ") .. ")", table.unpack(values))
end

-- Whether a column of type decl (as the catalog names it) has no "=" with
-- a number: the server's "operator does not exist: text = bigint", which
-- names neither the column nor the value.  Text, and the types that are
-- no numbers; not a domain or a type zb does not know (which may compare).
local no_number_equal = {text = true, ["character varying"] = true, character = true, name = true, bytea = true,
                         boolean = true, date = true, ["time without time zone"] = true,
                         ["time with time zone"] = true, ["timestamp without time zone"] = true,
                         ["timestamp with time zone"] = true, interval = true, json = true, jsonb = true, uuid = true}
function M.cannot_equal_number(decl)
  return no_number_equal[(decl:lower():gsub("%(.*$", ""))] == true
end

-- The value v bound to compare with a column of type decl as SQLite
-- compares them, exactly, or nil when no value of the column can equal
-- it: the server compares an integer with a double as two doubles
-- (9007199254740993 = 9007199254740992.0 holds there), so a whole float
-- for an integer column is bound as the integer, and an integer for a
-- double column as the double it is, when it is one.
function M.equal_value(decl, v)
  local kind = M.affinity(decl)
  if kind == "integer" and math.type(v) == "float" then return math.tointeger(v) end
  if kind == "real" and math.type(v) == "integer" then
    local f = v + 0.0
    if math.tointeger(f) == v then return f end
    return nil
  end
  return v
end

-- Whether GROUP BY takes a column of type decl as it is: the types with
-- an equality (json, xml, point ... have none: the server refuses them).
local grouped_types = {bigint = true, integer = true, smallint = true, text = true, ["character varying"] = true,
                       character = true, ["double precision"] = true, real = true, numeric = true, boolean = true,
                       date = true, ["timestamp without time zone"] = true, ["timestamp with time zone"] = true,
                       name = true, uuid = true, bytea = true, jsonb = true, interval = true}
function M.groups(decl)
  return grouped_types[(decl:lower():gsub("%(.*$", ""))] == true
end

-- The kind of a column of type decl (as the catalog names it): "integer",
-- "text", "blob", "real" or "numeric", as SQLite's affinities go.
function M.affinity(decl)
  local t = decl:lower()
  return (t:find("int", 1, true) or t == "smallserial" or t == "serial" or t == "bigserial") and "integer"
      or (t:find("char", 1, true) or t == "text" or t == "name") and "text"
      or (t == "" or t == "bytea") and "blob"
      or (t == "real" or t:find("double", 1, true) or t:find("float", 1, true)) and "real"
      or "numeric"
end

-- Column col (quoted) as a column of kind holds it (a union's arms, each
-- of its own type): as text, or as a number (text that is none: the
-- server's error).
function M.held_as(col, kind)
  if kind == "text" then return string.format("CAST(%s AS TEXT)", col) end
  return string.format("CAST(%s AS NUMERIC)", col)
end

-- The greater of SQL expressions a and b; NULL when either is NULL (as
-- SQLite's max(a, b), where greatest() would pass over a NULL).
function M.greater(a, b)
  return string.format("CASE WHEN (%s) IS NULL OR (%s) IS NULL THEN NULL ELSE greatest(%s, %s) END", a, b, a, b)
end

-- expr as type (an SQL type name).
-- zb's column types (SQLite's words) as PostgreSQL's: REAL is a double
-- there too, never PostgreSQL's 4-byte real.
local type_names = {INTEGER = "bigint", REAL = "double precision", TEXT = "text", [""] = "text"}
function M.type_name(type)
  return type_names[type:upper()] or type
end

function M.cast(expr, type)
  return string.format("CAST(%s AS %s)", expr, M.type_name(type))
end

-- A real written in SQL (text such as "100.0"), as a double: PostgreSQL
-- reads 100.0 as numeric, and numeric arithmetic with an integer column
-- rounds to its own digits (a share came out 2.655999158809401 where the
-- double is 2.6559991588094007).
function M.real(text)
  return "CAST(" .. text .. " AS double precision)"
end

-- expr, a number, as a real (double precision).
function M.real_of(expr)
  return M.cast(expr, "REAL")
end

-- Text made by a printf-style format (a Lua string: %d, %0Nd, %s, %%) of
-- the SQL expressions args, as concat() of its pieces (NULL as '', as
-- SQLite's printf gives it).
function M.format(fmt, ...)
  local args, pieces, n, pos = {...}, {}, 0, 1
  while pos <= #fmt do
    local at, stop, zero, width, conv = fmt:find("%%(0?)(%d*)([ds%%])", pos)
    if not at then at, stop = #fmt + 1, #fmt end
    if at > pos then pieces[#pieces + 1] = "'" .. fmt:sub(pos, at - 1):gsub("'", "''") .. "'" end
    if conv == "%" then pieces[#pieces + 1] = "'%'"
    elseif conv then
      n = n + 1
      local value = conv == "d" and string.format("(%s)::bigint::text", args[n]) or string.format("(%s)::text", args[n])
      if width ~= "" then
        value = string.format("lpad(%s, %d, '%s')", value, tonumber(width), zero == "0" and "0" or " ")
      end
      pieces[#pieces + 1] = value
    end
    pos = stop + 1
  end
  return "concat(" .. table.concat(pieces, ", ") .. ")"
end

-- Where text sub first is in text (from 1; 0 for nowhere).
function M.find(text, sub)
  return string.format("strpos(%s, %s)", text, sub)
end

-- text as an SQL string literal (for a statement that takes no
-- parameters: a comment, a setting made again on a new session).
function M.literal(text)
  return "'" .. text:gsub("'", "''") .. "'"
end

-- The value of expr as an SQL literal (text, for a message).
function M.literal_of(expr)
  return "quote_nullable(" .. expr .. ")"
end

-- Field key of the JSON object in expr (text).
-- SQL stopping the query with the text of SQL message (zb_lib's
-- zb_refuse), in a CASE whose other arms give expr like: its type theirs.
function M.refuse(message, like)
  return "zb_refuse(" .. message .. ", " .. like .. ")"
end

-- SQL for whether index repeats near a row of a series ordered by index
-- (order; frame, k rows back or forward): a repeated index is next to
-- itself in that order, so the row before says it.
function M.repeated(index, k, order, frame) -- luacheck: no unused args
  return string.format("%s = lag(%s) OVER (%s)", index, index, order)
end

-- SQL of v k periods before each row (after, k < 0) of a series ordered
-- by index (each index once), NULL when that period is missing: that
-- period is at most |k| rows away, so the first of those rows that holds it.
function M.shift(v, index, k, order)
  local fn, arms = k > 0 and "lag" or "lead", {}
  for j = 1, math.abs(k) do
    arms[j] = string.format("WHEN %s(%s, %d) OVER (%s) = %s - (%d) THEN %s(%s, %d) OVER (%s)", fn, index, j, order, index, k,
                            fn, v, j, order)
  end
  return "CASE " .. table.concat(arms, " ") .. " END"
end

function M.json_field(expr, key)
  return string.format("((%s)::json ->> '%s')", expr, key)
end

-- A subquery's SELECT (text) that the planner keeps apart (OFFSET 0
-- fences it), not pulled up into the query around it.
function M.fenced(select)
  return select .. " OFFSET 0"
end

return M
