-- zb.sql and the session database.
local T = require("check")

local rows = zb.sql("select 1 as one, 2.5 as half, 'text' as s, null as n, x'00ff' as b")
T.eq(#rows, 1, "one row")
T.eq(math.type(rows[1].one), "integer", "INTEGER becomes a Lua integer")
T.eq(rows[1].half, 2.5, "REAL becomes a float")
T.eq(rows[1].s, "text", "TEXT becomes a string")
T.eq(rows[1].n, nil, "NULL becomes nil")
T.eq(rows[1].b, "\0\255", "BLOB becomes a string of its bytes")

T.eq(zb.sql("create table gdp(city text, year integer, value real)"), nil,
     "a statement without columns returns nothing")
zb.sql("insert into gdp values (?, ?, ?)", "杭州", 2021, 18109.0)
zb.sql("insert into gdp values (:city, :year, :value)", {city = "宁波", year = 2021, value = 14595})
zb.sql("insert into gdp values (?1, ?2, ?3)", {"温州", 2021, 7585})
rows = zb.sql("select city, value from gdp order by value desc")
T.eq(#rows, 3, "positional, named and numbered parameters all insert")
T.eq(rows[1].city, "杭州", "Chinese text round-trips")
T.eq(rows[2].value, 14595.0, "named parameter bound")

rows = zb.sql("select count(*) as n from gdp where value > ? and year = ?", 10000, 2021)
T.eq(rows[1].n, 2, "parameters in a WHERE clause")

local injected = "x'); drop table gdp; --"
zb.sql("insert into gdp(city) values (?)", injected)
T.eq(zb.sql("select count(*) as n from gdp")[1].n, 4, "a value cannot inject SQL")
T.eq(zb.sql("select city from gdp where city = ?", injected)[1].city, injected, "it is stored as given")

rows = zb.sql("create table t(x); insert into t values (?); insert into t values (?); select sum(x) as s from t", 40, 2)
T.eq(rows[1].s, 42, "several statements share the parameters in order; the last result is returned")

T.eq(zb.sql("select ? as t, ? as f", true, false)[1].t, 1, "booleans bind as 1 and 0")
T.eq(#zb.sql("select 1 where 0"), 0, "a query with no rows returns an empty array")
T.eq(zb.sql("  -- only a comment\n"), nil, "SQL with only a comment runs nothing")

T.fails(function() zb.sql("selec 1") end, 'near "selec": syntax error', "a syntax error carries SQLite's message")
T.fails(function() zb.sql("select * from nowhere") end, "(in SQL: select * from nowhere)", "... and the SQL")
T.fails(function() zb.sql("select nope from gdp") end, "no such column: nope", "unknown column")
T.fails(function() zb.sql("select ?, ?", 1) end, "sql: the SQL uses parameter 2 but 1 given", "too few parameters")
T.fails(function() zb.sql("select ?", 1, 2) end, "sql: 2 parameter(s) given but the SQL uses 1", "too many parameters")
T.eq(zb.sql("select :absent as v", {})[1].v, nil, "a name missing from the table binds NULL")
T.fails(function() zb.sql("select ?", print) end, "sql: cannot bind a function to SQL (parameter 1)", "an unbindable value names the parameter")
T.fails(function() zb.sql() end, "bad argument #1 to 'sql' (SQL text expected, got nil)", "the query is required")
T.fails(function() zb.sql("insert into nowhere values (1); select 1") end, "no such table: nowhere", "an error in a later statement")

-- A failed statement inside a script-managed transaction leaves the data as it was.
zb.sql("begin")
zb.sql("insert into gdp(city) values ('临时')")
zb.sql("rollback")
T.eq(zb.sql("select count(*) as n from gdp where city = '临时'")[1].n, 0, "transactions work through zb.sql")

-- db:atomic: all of a change or none of it.
zb.sql("create table ledger(x)")
T.fails(function() zb.db:atomic(function() zb.sql("insert into ledger values (1)"); error("half done") end) end,
        "half done", "atomic raises what fn raised ...")
T.eq(#zb.table("ledger"), 0, "... and keeps none of its changes")
T.eq(zb.db:atomic(function(v) zb.sql("insert into ledger values (?)", v) return "kept", v end, 7), "kept",
     "atomic returns what fn returns")
T.eq(zb.table("ledger"):col("x")[1], 7, "... and keeps its changes")

-- The session database is hardened.
T.eq(zb.sql("pragma trusted_schema")[1].trusted_schema, 0, "trusted_schema is off")
T.fails(function() zb.sql("select load_extension('x')"):value() end, "not authorized", "extension loading is off")
T.fails(function() zb.sql("pragma writable_schema = on; update sqlite_schema set sql = 'x'") end,
        "", "defensive mode forbids writing the schema table")

T.has(tostring(zb.db), "zb.Database (:memory:)", "the session database prints its name")
T.eq(zb.db:sql("select 6 * 7 as v")[1].v, 42, "db:sql is zb.sql on that database")

-- A Lua finalizer that closes the database may run at any allocation,
-- including those zb's C code makes while it holds pointers into a row
-- (a use after free before: valgrind and the sanitizers saw it).  The
-- statement outlives the close until its reader lets go; the reader
-- then says the database was closed.
do
  local dir = T.tmpdir()
  T.write(dir .. "/gc.lua", [[
collectgarbage("incremental", 1, 1000)  -- a step at every allocation
local query = "with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000) " ..
              "select i, printf('%0500d', i) as t from c"
local n, closing = 0, false
local function closer() setmetatable({}, {__gc = function() if closing then zb.db:close() end end}) end
zb.metric("tick", function(i) n = i; closing = i > 50; closer(); return i end)
local ok, err = pcall(function()
  if arg[1] == "rows" then
    for r in zb.sql(query):rows() do
      assert(tonumber(r.t) == r.i and #r.t == 500, "row " .. r.i .. " read wrong")
      closing = r.i > 50
      closer()
    end
  else  -- zb.db:sql reads every row into Lua tables
    zb.db:sql((query:gsub("select i,", "select tick(i) as i,")))
  end
end)
print(n < 3000, ok, err)
]])
  for _, way in ipairs{"rows", "sql"} do
    local r = T.run(T.shell_quote(dir .. "/gc.lua") .. " " .. way)
    T.eq(r.code, 0, way .. ": a finalizer closing the database while rows are read: no crash", r.err)
    T.has(r.out, "true\tfalse\t" .. dir .. "/gc.lua:", way .. ": it stops at the user's line ...", r.out)
    T.has(r.out, "the database was closed while its query ran", way .. ": ... saying why", r.out)
  end
end

-- Closing a database with a statement still open (here, one suspended in a
-- coroutine) finalizes it, and later use is a clear error.
T.fails(function() zb.db:close(); zb.sql("select 1") end, "attempt to use a closed database",
        "a closed database says so")
T.has(tostring(zb.db), "closed", "and prints as closed")
T.done()
