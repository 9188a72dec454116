-- PostgreSQL's dialect without a server: run by a plain lua5.4
-- (tests/run.sh).  Its pieces, then every table method's description
-- (tests/golden/methods.lua, as zb's methods made them) compiled to
-- PostgreSQL's SQL against tests/golden/methods_postgresql.lua, and each
-- checked for what PostgreSQL needs: $n parameters in order, no ? left.
-- (The descriptions' fragments are as SQLite's dialect wrote them: the
-- methods themselves, in PostgreSQL's dialect, run on a server in
-- tests/lua/postgresql.lua.)  ZB_GOLDEN=write rewrites the golden file.
package.path = "lua/?.lua;" .. package.path
local compiler = require("zb.engine.compiler")
local dialect = require("zb.engine.dialect.postgresql")

local count, failed = 0, 0
local function ok(cond, name, detail)
  count = count + 1
  print(string.format("%s %d - %s", cond and "ok" or "not ok", count, name))
  if not cond then
    failed = failed + 1
    if detail then print("# " .. tostring(detail):gsub("\n", "\n# ")) end
  end
end
local function is(got, want, name)
  ok(got == want, name, string.format("got:  %s\nwant: %s", tostring(got), tostring(want)))
end

local frag, add = compiler.frag, compiler.add
local function sql(d) return dialect.text(compiler.compile(d, dialect)) end

-- The dialect's pieces
do
  is(dialect.text(compiler.cat("a = ", frag("\0", 1), " AND b IN (\0, \0)")), "a = $1 AND b IN ($2, $3)",
     "parameters are $n, numbered in order")
  is(dialect.quote('2021年 "x"'), '"2021年 ""x"""', "quote: always, doubling quotes")
  is(dialect.subquery(frag("SELECT 1")).sql, "(SELECT 1) AS zb_subquery", "a subquery has a name")
  is(dialect.subquery(frag("SELECT 1"), "l").sql, "(SELECT 1) AS l", "a subquery with a given name")
  is(dialect.same('"a"', "\0"), '"a" IS NOT DISTINCT FROM \0', "NULL-safe equality")
  is(dialect.never, "FALSE", "a condition no row meets is a boolean")
  is(dialect.number_text(2.0), "2", "number_text: PostgreSQL writes a double 2.0 as 2")
  is(dialect.number_text(0.1), "0.1", "number_text: 15 digits")
  is(dialect.format("%d-%02d", "y", "m"), "concat((y)::bigint::text, '-', lpad((m)::bigint::text, 2, '0'))",
     "format: printf's %d and %02d as concat and lpad")
  is(dialect.format("%sQ%d%%", "a", "b"), "concat((a)::text, 'Q', (b)::bigint::text, '%')", "format: %s, %%")
  is(dialect.find("x", "'~'"), "strpos(x, '~')", "find is strpos")
  is(dialect.greater("a", "0"), "CASE WHEN (a) IS NULL OR (0) IS NULL THEN NULL ELSE greatest(a, 0) END",
     "greater: NULL with a NULL, as SQLite's max(a, b), not greatest's")
  is(dialect.fenced("SELECT 1"), "SELECT 1 OFFSET 0", "a fence is OFFSET 0, not LIMIT -1")
  for decl, want in pairs{integer = "integer", bigint = "integer", ["character varying"] = "text", text = "text",
                          bytea = "blob", ["double precision"] = "real", real = "real", numeric = "numeric"} do
    is(dialect.affinity(decl), want, "affinity of " .. decl)
  end
  local eq = dialect.equal_untyped('"y"', {"2021", 7})
  is(dialect.text(eq), '"y" IN ($1, $2)', "equal_untyped: the column's type is the values' (the server checks them)")
  is(compiler.bind("where", "x::int > ?", table.pack(1)).sql, "x::int > \0", "bind: a cast names no parameter")
end

-- A sort kept through a subquery: numbered inside, sorted outside
do
  local o = add({from = {table = "t"}}, {order = {frag('"a" DESC')}})
  is(sql(add(o, {cols = {{name = "b", expr = frag('"b"')}}})),
     'SELECT "b" AS "b" FROM (SELECT *, row_number() OVER (ORDER BY "a" DESC) AS "zb_row_number" FROM "t") ' ..
     'AS zb_subquery ORDER BY "zb_row_number"', "a select over a sort keeps its order by row numbers")
end

-- Every method's description, compiled to PostgreSQL's SQL
local methods = dofile("tests/golden/methods.lua")
local golden_file = "tests/golden/methods_postgresql.lua"
local compiled = {}
for i, m in ipairs(methods) do
  local f = compiler.compile(m.description, dialect)
  local text = dialect.text(f)
  compiled[i] = {name = m.name, sql = text}
  local highest = 0
  for n in text:gmatch("%$(%d+)") do highest = math.max(highest, tonumber(n)) end
  is(highest, f.params.n, "as many $n as values, in order: " .. m.name)
  ok(not text:gsub("%b''", ""):find("?", 1, true), "no ? left: " .. m.name, text)
end

if os.getenv("ZB_GOLDEN") == "write" then
  local out = assert(io.open(golden_file, "w"))
  out:write("-- Written by tests/unit/postgresql.lua (ZB_GOLDEN=write): every method's description of\n",
            "-- tests/golden/methods.lua compiled to PostgreSQL's SQL.\nreturn {\n")
  for _, c in ipairs(compiled) do out:write(string.format("{name = %q,\n sql = %q},\n", c.name, c.sql)) end
  out:write("}\n")
  out:close()
end
local golden = dofile(golden_file)
is(#golden, #compiled, "the golden file holds every method")
for i, c in ipairs(compiled) do
  is(c.sql, golden[i] and golden[i].sql, "golden PostgreSQL SQL: " .. c.name)
end

print("1.." .. count)
os.exit(failed == 0 and 0 or 1)
