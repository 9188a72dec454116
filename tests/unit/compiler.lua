-- The compiler and SQLite's dialect without any database: run by a plain
-- lua5.4 (tests/run.sh), with zb's lua/ on package.path.  Descriptions
-- are built clause by clause as the table methods build them, and the
-- SQL each gives is checked as text: where a clause joins the SELECT and
-- where it wraps it, the order of bound values, and the dialect's pieces;
-- then every table method's golden SQL, from the descriptions zb's methods made.
package.path = "lua/?.lua;" .. package.path
local compiler = require("zb.engine.compiler")
local dialect = require("zb.engine.dialect.sqlite")

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
local function same_list(got, want, name)
  local g, w = {}, {}
  for i = 1, got.n or #got do g[i] = tostring(got[i]) end
  for i = 1, want.n or #want do w[i] = tostring(want[i]) end
  is(table.concat(g, ", "), table.concat(w, ", "), name)
end

local frag, add = compiler.frag, compiler.add
local function sql(d) return dialect.text(compiler.compile(d, dialect)) end
local function params(d) return compiler.compile(d, dialect).params end
local function source() return {from = {table = "t"}} end
local function col(name, expr, ...) return {name = name, expr = frag(expr or dialect.quote(name), ...)} end

-- What SQL text is: its first word past comments and parentheses, and
-- whether it changes data (a WITH of PostgreSQL's, whose DELETE a query
-- read as a table would run at each read), written here by hand
do
  local function kind(text) local word, writes = compiler.statement(text) return word .. (writes and " writes" or "") end
  is(kind("  -- a note\n/* and */ select 1"), "select", "statement: the first word past comments")
  is(kind("(select 1)"), "select", "statement: ... and parentheses")
  is(kind("insert into t values (1)"), "insert writes", "statement: an INSERT writes")
  is(kind("with d as (delete from t returning *) select * from d"), "with writes", "statement: a WITH of a DELETE writes")
  is(kind("with x as materialized (update t set a = 1 returning a) select * from x"), "with writes",
     "statement: ... of an UPDATE, materialized")
  is(kind("with x as (select 1) delete from t returning *"), "with writes", "statement: a WITH whose main statement deletes")
  is(kind("with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r"), "with",
     "statement: a recursive WITH of queries reads")
  is(kind("with x as (select 'delete' as w, \"update\", $$(insert$$ from t) select * from x for update"), "with",
     "statement: the words in strings, quoted names and dollar quotes, and a FOR UPDATE, are no statements")
  is(kind(""), "", "statement: no text, no word")
end

-- Fragments
do
  local f = compiler.cat("a = ", frag("\0", 1), " AND b IN (", compiler.list({frag("\0", "x"), frag("\0", "y")}, ", "), ")")
  is(dialect.text(f), "a = ? AND b IN (?, ?)", "cat and list join text, values marked")
  same_list(f.params, {1, "x", "y"}, "cat and list keep the values in order")
  is(compiler.cat().params.n, 0, "an empty cat has no values")
end

-- User SQL text and its parameters
do
  local f = compiler.bind("where", "a > ? and b = ?", table.pack(1, "x"))
  is(dialect.text(f), "a > ? and b = ?", "bind: ? marks")
  same_list(f.params, {1, "x"}, "bind: values in order")
  f = compiler.bind("where", "a = ?2 or b = ?1 or c = ?", table.pack("one", "two", "three"))
  same_list(f.params, {"two", "one", "three"}, "bind: ?N, and a bare ? one past the largest (as SQLite numbers them)")
  f = compiler.bind("where", "a = :x or b = @y or c = $x", table.pack({x = 1, y = 2}))
  same_list(f.params, {1, 2, 1}, "bind: names from one table of values")
  f = compiler.bind("where", "a = '?' and \"b?\" = ? -- ? here\n", table.pack(5))
  same_list(f.params, {5}, "bind: a ? in a string, a quoted name or a comment binds nothing")
  f = compiler.bind("where", "a = 1 -- the end", {n = 0})
  is(f.sql, "a = 1 -- the end\n", "bind: a comment at the end is closed by a line break")
  local _, problem = compiler.bind("where", "a = ? and b = ?", table.pack(1))
  is(problem, "where: the SQL uses parameter 2 but 1 given", "bind: too few values")
  _, problem = compiler.bind("where", "a = ?", table.pack(1, 2))
  is(problem, "where: 2 parameter(s) given but the SQL uses 1", "bind: too many values")
  _, problem = compiler.bind("where", "a = :x", table.pack(1))
  is(problem, "where: the SQL names parameter :x; pass a table of values", "bind: a name without a table of values")
  _, problem = compiler.bind("where", "a = ?", table.pack({}), function() return true end)
  is(problem, "where: cannot bind a table to SQL (parameter 1)", "bind: a zb.Table is not a table of values")
  local pg = {dollar_quotes = true}
  f = compiler.bind("where", "a = $$:x$$ || $t$ $x $y$t$ || $x", table.pack({x = 1}), nil, pg)
  is(f.sql, "a = $$:x$$ || $t$ $x $y$t$ || \0", "bind: what PostgreSQL's dollar quotes hold binds nothing")
  same_list(f.params, {1}, "bind: a name after dollar-quoted text binds")
  f = compiler.bind("where", "a = $x or b = $1", table.pack({x = 2}), nil, pg)
  is(f.sql, "a = \0 or b = $1", "bind: $name is a name in a dialect with dollar quotes; $1 is not one")
  _, problem = compiler.bind("where", "a\0", {n = 0})
  is(problem, "where: SQL text holds a NUL byte", "bind: a NUL byte")
  _, problem = compiler.bind("where", 12, {n = 0})
  is(problem, "where: SQL text expected, got number", "bind: not text")
end

-- Clauses: joined at the description's level, or over it as a subquery
do
  local d = add(source(), {where = {frag("a > \0", 1)}})
  d = add(d, {where = {frag("b = \0", "x")}})
  is(sql(d), 'SELECT * FROM "t" WHERE (a > ?) AND (b = ?)', "where after where: one WHERE, both conditions")
  same_list(params(d), {1, "x"}, "where after where: values in order")

  local s = add(d, {cols = {col("a"), col("c", "a + \0", 10)}})
  is(sql(s), 'SELECT "a" AS "a", a + ? AS "c" FROM "t" WHERE (a > ?) AND (b = ?)', "select after where joins it")
  same_list(params(s), {10, 1, "x"}, "values in the order the SQL shows them")
  local w = add(s, {where = {frag("c < \0", 99)}})
  is(sql(w), 'SELECT * FROM (SELECT "a" AS "a", a + ? AS "c" FROM "t" WHERE (a > ?) AND (b = ?)) WHERE (c < ?)',
     "where after select wraps it: it reads the new columns")
  same_list(params(w), {10, 1, "x", 99}, "a wrapped description's values come first")
  is(w.from.subquery, s, "the subquery is the description before")
  is(w.alive[1], s, "the new description keeps the one before alive")

  local o = add(source(), {order = {frag('"a" DESC')}})
  local ow = add(o, {where = {frag("b = 1")}})
  is(sql(ow), 'SELECT * FROM "t" WHERE (b = 1) ORDER BY "a" DESC', "where after order joins it (filtering commutes with sorting)")
  local oo = add(o, {order = {frag('"b"')}})
  is(sql(oo), 'SELECT * FROM "t" ORDER BY "b"', "order after order replaces it")
  local os = add(o, {cols = {col("b")}})
  is(sql(os), 'SELECT "b" AS "b" FROM (SELECT * FROM "t" ORDER BY "a" DESC)',
     "select after order wraps it (an ORDER BY at its level would sort by the new names)")
  -- a dialect whose subqueries keep no order (as SQL promises none): the
  -- rows are numbered inside in the sort's order and sorted by it outside
  local unordered = setmetatable({subquery_keeps_order = false}, {__index = dialect})
  is(dialect.text(compiler.compile(os, unordered)), 'SELECT "b" AS "b" FROM (SELECT *, row_number() OVER (ORDER BY "a" DESC) ' ..
     'AS "zb_row_number" FROM "t") ORDER BY "zb_row_number"', "select after order, subqueries unordered: numbered, sorted outside")
  is(dialect.text(compiler.compile(add(os, {cols = {col("b")}}), unordered)),
     'SELECT "b" AS "b" FROM (SELECT "b" AS "b", row_number() OVER (ORDER BY "zb_row_number") AS "zb_row_number" FROM ' ..
     '(SELECT *, row_number() OVER (ORDER BY "a" DESC) AS "zb_row_number" FROM "t")) ORDER BY "zb_row_number"',
     "... and a select over that numbers the rows again, in the same order")
  local ol = add(add(o, {limit = 2}), {cols = {col("b")}})
  is(dialect.text(compiler.compile(ol, unordered)), 'SELECT "b" AS "b" FROM (SELECT * FROM "t" ORDER BY "a" DESC LIMIT 2 OFFSET 0)',
     "a sorted subquery with a LIMIT is left as it is (its sort chose the rows)")
  local og = add(o, {cols = {col("b")}, group = {frag('"b"')}})
  is(dialect.text(compiler.compile(og, unordered)), 'SELECT "b" AS "b" FROM (SELECT * FROM "t" ORDER BY "a" DESC) GROUP BY "b"',
     "grouped rows keep no order to carry")
  local od = add(o, {distinct = true})
  is(sql(od), 'SELECT DISTINCT * FROM "t" ORDER BY "a" DESC', "distinct after order joins it")

  local so = add(s, {order = {frag('"c" DESC')}})
  is(sql(so), 'SELECT "a" AS "a", a + ? AS "c" FROM "t" WHERE (a > ?) AND (b = ?) ORDER BY "c" DESC',
     "order by a result column after select joins it")
  local si = add(s, {order = {frag('period_index("c")')}}, true)
  is(sql(si), 'SELECT * FROM (SELECT "a" AS "a", a + ? AS "c" FROM "t" WHERE (a > ?) AND (b = ?)) ORDER BY period_index("c")',
     "order by an expression of the input after select wraps it")
  local wi = add(add(source(), {where = {frag("x")}}), {order = {frag('period_index("c")')}}, true)
  is(sql(wi), 'SELECT * FROM "t" WHERE (x) ORDER BY period_index("c")', "order of the input after where joins it")

  local g = add(source(), {cols = {col("k"), col("n", "count(*)")}, group = {frag('"k"')}})
  is(sql(g), 'SELECT "k" AS "k", count(*) AS "n" FROM "t" GROUP BY "k"', "group and its columns together")
  is(sql(add(g, {where = {frag("n > 1")}})),
     'SELECT * FROM (SELECT "k" AS "k", count(*) AS "n" FROM "t" GROUP BY "k") WHERE (n > 1)', "where after group wraps it")
  is(sql(add(g, {distinct = true})), 'SELECT DISTINCT "k" AS "k", count(*) AS "n" FROM "t" GROUP BY "k"',
     "distinct after group joins it")
  is(sql(add(g, {cols = {col("k")}})), 'SELECT "k" AS "k" FROM (SELECT "k" AS "k", count(*) AS "n" FROM "t" GROUP BY "k")',
     "select after group wraps it")

  local l = add(source(), {limit = 5, offset = 2})
  is(sql(l), 'SELECT * FROM "t" LIMIT 5 OFFSET 2', "limit")
  for _, later in ipairs{{where = {frag("x")}}, {cols = {col("a")}}, {distinct = true}, {order = {frag('"a"')}},
                         {limit = 1}} do
    local kind = next(later)
    ok(sql(add(l, later)):find('^SELECT .* FROM %(SELECT %* FROM "t" LIMIT 5 OFFSET 2%)') ~= nil,
       "every clause after limit wraps it: " .. kind, sql(add(l, later)))
  end
  is(sql(add(add(source(), {where = {frag("x")}}), {limit = 1})), 'SELECT * FROM "t" WHERE (x) LIMIT 1 OFFSET 0',
     "limit after where joins it")

  local q = {query = frag("SELECT 1 AS one UNION SELECT \0", 2)}
  local qw = add(q, {where = {frag("one > \0", 1)}})
  is(sql(qw), "SELECT * FROM (SELECT 1 AS one UNION SELECT ?) WHERE (one > ?)", "a whole query is read as a subquery")
  same_list(params(qw), {2, 1}, "its values come first")
  ok(not compiler.joins(q, {limit = 1}), "a query joins nothing")

  local empty = add(source(), {where = {}})
  is(sql(add(empty, {cols = {col("a")}})), 'SELECT "a" AS "a" FROM "t"', "an empty WHERE is none")
  local schema = {from = {table = 'a"b', schema = "aux"}}
  is(sql(schema), 'SELECT * FROM "aux"."a""b"', "a table of a schema, names quoted")
  is(sql(compiler.over(g)), 'SELECT * FROM (SELECT "k" AS "k", count(*) AS "n" FROM "t" GROUP BY "k")',
     "over: a description reading another's rows")
end

-- SQLite's dialect
do
  is(dialect.quote('2021年 "x"'), '"2021年 ""x"""', "quote: always, doubling quotes")
  is(dialect.subquery(frag("SELECT 1"), "l").sql, "(SELECT 1) AS l", "a subquery with a name")
  is(dialect.same('"a"', "\0"), '"a" IS \0', "NULL-safe equality is IS")
  is(dialect.type_in("x", {"integer", "real"}), "typeof(x) IN ('integer', 'real')", "type_in, several kinds")
  is(dialect.type_in("x", {"text"}), "typeof(x) = 'text'", "type_in, one kind")
  is(dialect.number_text(2.0), "2.0", "number_text: SQLite writes 2.0")
  is(dialect.number_text(2), "2", "number_text: an integer")
  is(dialect.number_text(0.1), "0.1", "number_text: 15 digits")
  local eq = dialect.equal_untyped('"y"', {"2021", 7})
  is(eq.sql, '("y" IN (\0, \0) OR (typeof("y") IN (\'integer\', \'real\') AND "y" IN (\0)) OR ' ..
             '(typeof("y") = \'text\' AND "y" IN (\0)))', "equal_untyped: each value also in the other form")
  same_list(eq.params, {"2021", 7, 2021, "7"}, "equal_untyped: the values, then their other forms")
  is(dialect.equal_untyped('"y"', {"north"}).sql, '"y" IN (\0)', "equal_untyped: text that is no number has one form")
  for decl, want in pairs{INTEGER = "integer", ["VARCHAR(10)"] = "text", [""] = "blob", BLOB = "blob", REAL = "real",
                          DOUBLE = "real", NUMERIC = "numeric", DECIMAL = "numeric", ["CHARINT"] = "integer"} do
    is(dialect.affinity(decl), want, "affinity of " .. decl .. " (SQLite's rules, INT first)")
  end
  is(dialect.limit(3, 0), " LIMIT 3 OFFSET 0", "limit")
end

-- Every method's description as tests/lua/golden.lua recorded it from zb's
-- methods (tests/golden/methods.lua), compiled here to the SQL zb runs
local methods = dofile("tests/golden/methods.lua")
ok(#methods >= 40, "the golden file holds the methods' descriptions", #methods)
for _, m in ipairs(methods) do
  local f = compiler.compile(m.description, dialect)
  is(dialect.text(f), m.sql, "golden SQL without a database: " .. m.name)
  same_list(f.params, m.params, "golden values without a database: " .. m.name)
end

print("1.." .. count)
os.exit(failed == 0 and 0 or 1)
