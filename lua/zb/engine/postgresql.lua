-- zb.engine.postgresql: a PostgreSQL server as the session's engine, the
-- same functions as zb.engine.sqlite, through libpq (zb.core.pg_connect,
-- src/bridge/postgresql.c).  zb.connect(conninfo) or zb -d conninfo makes
-- it the session's, before any table is made.  The user's schema "main"
-- is PostgreSQL's current one (public).
local core = require("zb.core")
require("zb.host.errors").own()
local compiler = require("zb.engine.compiler")
local dialect = require("zb.engine.dialect.postgresql")

local M = {name = "postgresql", dialect = dialect}
local quote = dialect.quote
local conn, settings  -- the connection, and the settings a new session of it gets
-- The current schema when the session began, if its zb_catalog was there
-- (zb's catalog: below); catalog_in: SQL of the schema, of those schema
-- names, that holds a zb_catalog.
local catalog_here
local function catalog_in(schema)
  return "(select n.nspname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = " ..
         schema .. " and c.relname = 'zb_catalog' and c.relkind in ('r', 'p'))"
end
local told  -- the message of a query of it that failed (below: missing_function)

-- conninfo as a message shows it, from libpq's reading of it
-- (zb.core.pg_conninfo: options {keyword, value, secret}): as given when
-- it sets no secret, else as key=value with each secret (the password) ***.
local function shown(conninfo, options)
  options = options or core.pg_conninfo(conninfo)
  if not options then return "(a connection string libpq cannot read)" end
  local parts, secret = {}, false
  for i, o in ipairs(options) do
    local keyword, value = o[1], o[2]
    if o[3] then value, secret = "***", true
    elseif value == "" or value:find("[%s'\\]") then value = "'" .. value:gsub("['\\]", "\\%0") .. "'" end
    parts[i] = keyword .. "=" .. value
  end
  return secret and table.concat(parts, " ") or conninfo
end

-- Why libpq cannot read conninfo, with what its reason quotes of it left
-- out (a URI whole, a token of the password), from the first quote to the
-- last, but for libpq's own marks ("=", "]") and a word written as a
-- keyword (invalid connection option "hots"): the password, which libpq
-- found no place of, may be anywhere in it.
local function unreadable(conninfo, why)
  why = why:gsub('"([=%]:/])"', "\0%1\0")
  local from, to = why:find('".*"')
  if not from then from, to = why:find('".*$') end
  if from then
    local part = why:sub(from + 1, to - 1)
    local keyword = to > from and why:sub(to, to) == '"' and part:find("^[%w_]+$") and
                    not conninfo:find("://", 1, true) and conninfo:find("%f[%w_]" .. part .. "%s*=")
    if not keyword then why = why:sub(1, from - 1) .. '"..."' .. why:sub(to + 1) end
  end
  return (why:gsub("%z(.)%z", '"%1"'))
end

-- What a role may do that a safe session's script must not: run programs
-- on the server, read or write its files, make extensions (or schemas) in
-- the database.  The server holds the script to its role's rights, so a
-- safe session connects only as a role without these (checked once).
local POWERS = [[
select r.rolsuper as superuser,
       pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') as pg_execute_server_program,
       pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') as pg_read_server_files,
       pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') as pg_write_server_files,
       has_function_privilege('lo_import(text)', 'EXECUTE') as lo_import,
       has_function_privilege('lo_export(oid, text)', 'EXECUTE') as lo_export,
       has_database_privilege(current_database(), 'CREATE') as create_in_database,
       current_user as role
  from pg_roles r where r.rolname = current_user]]
local POWER_NAMES = {"superuser", "pg_execute_server_program", "pg_read_server_files", "pg_write_server_files",
                     "lo_import", "lo_export", "create_in_database"}

local function refuse_powerful_role(c, conninfo)
  local r = c:exec(POWERS)[1]  -- booleans as 1 and 0, as SQLite's
  local found = {}
  for _, power in ipairs(POWER_NAMES) do
    if r[power] == 1 and not (r.superuser == 1 and power ~= "superuser") then
      found[#found + 1] = power == "create_in_database" and "CREATE on the database" or power
    end
  end
  if #found == 0 then return end
  c:close()
  error(string.format("zb --safe -d %s: the role %s has %s, which would let the script run programs, touch the "
                      .. "server's files or make extensions: connect a safe session as a role without them (README, "
                      .. "\"A safe session on a server\")", shown(conninfo), r.role, table.concat(found, ", ")), 3)
end

-- zb.connect(conninfo): make the PostgreSQL database conninfo names (any
-- libpq connection string or URI) the session's engine.
function M.connect(conninfo)
  if type(conninfo) ~= "string" then error("zb.connect: a libpq connection string or URI expected", 2) end
  if package.loaded["zb.relation.table"] and rawget(zb, "engine") ~= M then
    error("zb.connect: the session has made tables on SQLite already; connect first (zb -d " .. shown(conninfo) .. ")", 2)
  end
  local ok, c = pcall(core.pg_connect, conninfo)
  if not ok then
    local options, why = core.pg_conninfo(conninfo)
    if not options then error("zb.connect: libpq cannot read the connection string: " .. unreadable(conninfo, why), 2) end
    why = tostring(c):gsub("^PostgreSQL: ", "")
    for _, o in ipairs(options) do  -- (libpq quotes no password in its reason; should one, it is masked)
      if o[3] and o[2] ~= "" then why = why:gsub(o[2]:gsub("%p", "%%%0"), "***") end
    end
    error(string.format("zb.connect %s: %s", shown(conninfo, options), why), 2)
  end
  if core.safe then refuse_powerful_role(c, conninfo) end
  if conn then conn:close() end
  conn, settings = c, {}
  c:on_problem(told)
  -- in one round trip: warnings only, and the schema zb_lib on the search
  -- path when its library is this zb's (after the user's schemas: their
  -- functions come first)
  -- (a role that may not use the schema goes without: the version is
  -- looked for only where it may look)
  -- (and, for catalog_read, the schema whose zb_catalog is the session's:
  -- any relation of that name, found through the server's cache where a
  -- query of pg_class (catalog_in) cost a fresh session 1.2 ms of planning;
  -- one that is no catalog fails catalog_read's first read, which then
  -- asks catalog_in)
  catalog_here = M.setting("select set_config('client_min_messages', 'warning', false) as messages, case when (select " ..
            "has_schema_privilege(oid, 'USAGE') from pg_namespace where nspname = 'zb_lib') then case when " ..
            "to_regprocedure(" .. dialect.literal("zb_lib." .. quote(M.VERSION_MARK .. zb.version) .. "()") ..
            ") is not null then set_config('search_path', current_setting('search_path') || ', zb_lib', false) " ..
            "end end as path, case when to_regclass(quote_ident(current_schema()) || '.zb_catalog') is not null " ..
            "then current_schema()::text end as catalog")[1].catalog
  -- a safe session's Ctrl-C shuts the connection (its sandbox makes no
  -- socket for a cancel request): the server then ends the query within a second
  if core.safe and c:server_version() >= 140000 then M.setting("SET client_connection_check_interval = 1000") end
  rawset(zb, "engine", M)
  -- metrics made before connecting are made here (PL/Lua), and a second
  -- connection's forgets the first's (nothing to do while none was defined)
  if package.loaded["zb.engine.pllua"] or package.loaded["zb.analysis.metric"] or
     package.loaded["zb.analysis.aggregate"] then
    require("zb.engine.pllua").connected()
  end
  return M
end

-- The version of zb that installed its analysis library on the server
-- (zb.install), or nil.  Its schema is zb_lib: not "zb", which a role
-- named zb would find first through its "$user" entry of search_path.
-- The version is in the name of a function there (zb_lib."zb_version
-- 0.1.0"()), which a new session finds in the server's cache of functions
-- (a query of a table of the schema, or of its comment, took 3 ms more
-- of a session's start).
M.VERSION_MARK = "zb_version "
function M.library_installed()
  local r = M.exec("select substr(p.proname::text, ?::int) as v from pg_proc p join pg_namespace n on n.oid = p.pronamespace " ..
                   "where n.nspname = 'zb_lib' and p.proname like ?", #M.VERSION_MARK + 1, M.VERSION_MARK .. "%")[1]
  return r and r.v
end

local function connection()
  if not conn then error("PostgreSQL: not connected (zb.connect)", 2) end
  return conn
end

-- M.setting(sql): run sql, a setting of the session's (the search path to
-- zb's library), now and again on the new session libpq makes when the
-- connection was lost (src/bridge/postgresql.c).
function M.setting(sql)
  local rows = connection():exec(sql)
  settings[#settings + 1] = sql
  conn:on_connect(table.concat(settings, "; "))
  return rows
end

-- zb's schema name as a parameter of catalog queries, which read nil as
-- the current schema (coalesce(?, current_schema()): no round trip to ask).
local schema_of
local function schema_name(schema)
  if schema == nil or schema == "main" then return nil end
  return schema_of(schema)
end

-- The name PostgreSQL has for zb's schema name (nil and "main": the current
-- one; "temp": the session's temporary schema, pg_temp until it has one).
function schema_of(schema)
  if schema == nil or schema == "main" then return connection():exec("select current_schema() as s")[1].s end
  if schema == "temp" then
    return connection():exec("select coalesce((select nspname::text from pg_namespace " ..
                             "where oid = pg_my_temp_schema()), 'pg_temp') as s")[1].s
  end
  return schema
end

-- Type names of the oids the methods meet; another's is asked of the server once.
local type_names = {[16] = "boolean", [20] = "bigint", [21] = "smallint", [23] = "integer", [25] = "text",
                    [700] = "real", [701] = "double precision", [1043] = "character varying", [1700] = "numeric",
                    [1082] = "date", [1114] = "timestamp without time zone", [17] = "bytea", [705] = "text"}
local function type_name(oid)
  if not type_names[oid] then
    type_names[oid] = connection():exec("select format_type($1, NULL) as t", {oid, n = 1})[1].t or ""
  end
  return type_names[oid]
end

-- The server's message when a query calls a function it lacks (SQLSTATE
-- 42883), made to say what to do when the function is one of zb's in Lua:
-- a Lua function given to a method, a zb.metric or zb.aggregate, or the
-- analysis library not installed.  Never a pull of the rows into zb.
local function missing_function(message)
  local name = message:match("function ([%w_]+)%(")
  if not name then return message end
  if message:find("function round(double precision, integer)", 1, true) then  -- SQLite's, in SQL written for it
    return message .. " (PostgreSQL rounds a double only to a whole number; to decimals it rounds numeric: " ..
           "round(CAST(x AS numeric), 2), which SQLite reads too)"
  end
  local library = require("zb.engine.postgresql_library")
  if library.defines(name) then
    local installed = M.library_installed()
    if installed and M.exec("select has_schema_privilege('zb_lib', 'USAGE') as ok")[1].ok == 0 then  -- (booleans: 1 or 0)
      return message .. " (zb's analysis library is on this server, but this role may not use its schema: an " ..
             "administrator grants it, GRANT USAGE ON SCHEMA zb_lib TO PUBLIC, as zb.install() does)"
    end
    if installed == zb.version then
      return message .. string.format(" (zb's analysis library on this server has no %s for these arguments' " ..
                                      "types: cast them, as x::float8)", name)
    end
    return message .. string.format(" (zb's analysis library is not on this server%s: zb.install() puts it there)",
                                    installed and ", or is another zb's" or "")
  end
  local about = require("zb.analysis.metrics").about(name)
  if name ~= "zb_lua" and not about then return message end
  local why = require("zb.engine.pllua").why_not(name)
  local aggregate = require("zb.analysis.aggregate").users[name]
  if (require("zb.analysis.metric").users[name] or aggregate) and not why then
    return message .. string.format(" (the %s %s is made on the server for arguments of bigint, integer, double " ..
                                    "precision and text; cast the others, as x::float8)",
                                    aggregate and "aggregate" or "metric", name)
  end
  local has_pllua = M.exec("select 1 as yes from pg_available_extensions where name = 'pllua'")[1] ~= nil
  -- (zb_lua's signature, a type a column the function reads, says nothing to the user)
  if name == "zb_lua" then message = message:gsub("function zb_lua%b() does not exist", "no such function there") end
  return string.format("%s (%s is Lua, which runs in the server only as PL/Lua%s%s; write it as SQL, or use a SQLite " ..
                       "session (zb without -d))", message,
                       name == "zb_lua" and "a function given to a method"
                         or (aggregate and "the aggregate " or "the metric ") .. name,
                       why and ", and zb could not make it one: " .. why or
                         (name == "zb_lua" and ", which zb makes of metrics and aggregates, not of these" or
                          ", which zb makes of zb.metric's metrics and zb.aggregate's aggregates, not of its own " ..
                          "library's"),
                       has_pllua and "" or "; nor has this server pllua (Debian's postgresql-15-pllua)")
end

-- The message of a query of the connection that failed (message and its
-- SQLSTATE): a missing function's told as missing_function tells it,
-- whichever way the query ran (its rows read, exec, printed).  Its own
-- queries' failures, or its own, leave the server's message as it is.
local telling = false
function told(message, state)
  if state ~= "42883" or telling then return message end
  telling = true
  local ok, text = pcall(missing_function, message)
  telling = false
  return ok and text or message
end

-- zb.metric's function made a PL/Lua function on the server (zb.engine.pllua).
function M.define_metric(...)
  return require("zb.engine.pllua").define(...)
end
function M.define_aggregate(...)
  return require("zb.engine.pllua").define_aggregate(...)
end

-- Each column's origin as zb.engine.sqlite's check gives it ({schema,
-- table, column}: "main" the current schema), or false, from the server's
-- {table oid, column number} (conn:describe's): one look in its catalog,
-- made when first read (t.meta, where{} and order() of periods), not at
-- every method's check.
local function origins_of(described)
  local resolved
  local function resolve()
    local tables, numbers, any = {}, {}, false
    for i, o in ipairs(described) do
      tables[i], numbers[i] = o and o[1] or 0, o and o[2] or 0
      any = any or o ~= false
    end
    resolved = {}
    for i = 1, #described do resolved[i] = false end
    if not any then return end
    for _, r in ipairs(M.exec("select o.i, case when n.nspname = current_schema() then 'main' else n.nspname::text end " ..
                              "as schema, c.relname::text as name, a.attname::text as col from unnest(?::text::oid[], " ..
                              "?::text::int2[]) with ordinality as o(t, k, i) join pg_class c on c.oid = o.t join " ..
                              "pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = o.t and " ..
                              "a.attnum = o.k", "{" .. table.concat(tables, ",") .. "}",
                              "{" .. table.concat(numbers, ",") .. "}")) do
      if described[r.i] then resolved[r.i] = {r.schema, r.name, r.col} end
    end
  end
  return setmetatable({}, {__index = function(_, i)
    if not resolved then resolve() end
    return resolved[i]
  end})
end

-- query's columns, as zb.engine.sqlite's check gives them (the origins
-- the server tells of the columns of tables passed through); params, when
-- known, typed as they will be bound.
function M.check(query, params)
  local columns, oids, nparams, described = connection():describe(query, params)
  if not columns then
    local state = nparams
    if state == "42883" then oids = missing_function(oids) end
    return nil, {message = oids, no_column = state == "42703" and oids:match('column "(.-)" does not exist') or nil,
                 no_table = state == "42P01" and oids:match('relation "(.-)" does not exist') or nil,
                 misread = state == "42601" or state == "42703"}
  end
  local types = {}
  for i, oid in ipairs(oids) do types[i] = type_name(oid) end
  local word, writes = compiler.statement(query)
  return columns, (word == "select" or word == "values" or word == "with") and not writes, false, nparams,
         query:find(";%s*$") ~= nil, types, origins_of(described)
end

-- The column types whose values come exactly so in binary format
-- (src/bridge/postgresql.c, read_binary_cell), read there without parsing
-- text; not real (a float4's text reads as another double than its bits)
-- nor numeric.
local binary_types = {boolean = true, smallint = true, integer = true, bigint = true, ["double precision"] = true,
                      text = true, ["character varying"] = true}

-- The rows of sql (d: its description, when it has one: its column
-- types tell whether they may come in binary format).
function M.rows(sql, params, d)
  local binary = d ~= nil and d.types ~= nil and #d.types > 0
  for _, t in ipairs(binary and d.types or {}) do binary = binary and binary_types[t] == true end
  return connection():rows(sql, params, binary)
end

-- The rows of query read whole a column at a time, as the SQLite engine's
-- read_columns gives them ({a list a column, n = rows}, and whether each
-- column holds only finite numbers and NULLs), made here from the rows
-- (that engine's sized, a count first, would be a second round trip here).
function M.read_columns(sql, params)
  local lists, numeric, n, math_type, huge = {}, {}, 0, math.type, math.huge
  for r in M.rows(sql, params) do
    n = n + 1
    for c = 1, #r do
      local v = r[c]
      if n == 1 then lists[c], numeric[c] = {}, true end
      lists[c][n] = v
      if v ~= nil and (math_type(v) == nil or v ~= v or v == huge or v == -huge) then numeric[c] = false end
    end
  end
  if n == 0 then
    for c = 1, #M.check(sql) do lists[c], numeric[c] = {}, true end
  end
  lists.n = n
  return lists, numeric
end

-- Printing a table whole and exporting it: the rows staged in a temporary
-- table of the session's SQLite database, streamed (conn:rows_into), then
-- written from there by SQLite's writers (src/writers/grid.c, export.c),
-- as on SQLite: constant memory (a temporary table spills to a file), and
-- the very text SQLite's session writes for the same values.
local stages = 0
local function staged(sql, params, write)
  stages = stages + 1
  local stage = "zb_print_" .. stages
  connection():rows_into(zb.db, stage, sql, params or {n = 0})
  local results = table.pack(pcall(write, "select * from temp." .. quote(stage)))
  zb.db:sql("drop table temp." .. quote(stage))
  if not results[1] then error(results[2], 0) end
  return table.unpack(results, 2, results.n)
end

function M.export_rows(file, mode, sql, params, header)
  return staged(sql, params, function(query) return core.export_rows(file, mode, query, {n = 0}, header) end)
end

function M.print_rows(file, mode, sql, params, headers, precision)
  return staged(sql, params, function(query) return core.print_rows(file, mode, query, {n = 0}, headers, precision) end)
end

-- conn:exec(...) (a missing function's error told as check tells it: told).
local function exec(...)
  return connection():exec(...)
end

-- Run statements (?, ?N and names bound as zb.sql binds them); returns
-- the rows of the last one, when it has columns.
-- Run SQL text as a method compiled it, in PostgreSQL's dialect ($n),
-- with its parameters (params[1..params.n]).
function M.exec_compiled(text, params)
  return exec(text, params)
end

function M.exec(text, ...)
  local args = table.pack(...)
  if args.n == 0 then return exec(text) end
  local f, problem = compiler.bind("sql", text, args, nil, dialect)
  if not f then error(problem, 2) end
  return exec(dialect.text(f), f.params)
end

-- fn() in one transaction (a savepoint inside another): all it changes, or nothing.
local depth = 0
function M.atomic(fn, ...)
  local c = connection()
  depth = depth + 1
  local savepoint = "zb_atomic_" .. depth
  c:exec(depth == 1 and "BEGIN" or "SAVEPOINT " .. savepoint)
  local results = table.pack(pcall(fn, ...))
  if results[1] then
    c:exec(depth == 1 and "COMMIT" or "RELEASE SAVEPOINT " .. savepoint)
  else
    pcall(c.exec, c, depth == 1 and "ROLLBACK" or "ROLLBACK TO SAVEPOINT " .. savepoint)
  end
  depth = depth - 1
  if not results[1] then error(results[2], 0) end
  return table.unpack(results, 2, results.n)
end

---------------------------------------------------------------------------
-- zb's catalog: the table zb_catalog of the current schema, as on SQLite
-- (a row a table; columns and about JSON objects, here jsonb).

local catalog = "zb_catalog"

function M.catalog_forget(name)
  if M.has_table(catalog) then M.exec("delete from zb_catalog where name = ?", name) end
end

function M.catalog_write(name, columns, about)
  local values, params = {}, {}
  for column, known in pairs(columns) do
    values[#values + 1] = "(?, ?)"
    params[#params + 1] = column
    params[#params + 1] = known
  end
  M.exec("create table if not exists zb_catalog (name text primary key, columns jsonb not null, about jsonb)")
  local objects = #values > 0 and "(select jsonb_object_agg(k, v::jsonb) from (values " .. table.concat(values, ", ") ..
                  ") as pairs(k, v))" or "'{}'::jsonb"
  params[#params + 1] = about
  M.exec("insert into zb_catalog (name, columns, about) select ?, " .. objects .. ", (?::text)::jsonb",
         name, table.unpack(params))
end

function M.catalog_amend(name, fields)
  M.exec("update zb_catalog set about = coalesce(about, '{}'::jsonb) || (?::text)::jsonb where name = ?", fields, name)
end

-- SQL of table ?2's columns in schema ?1 (nil: the current one), each its
-- quoted name and type, as a CREATE statement lists them (NULL: no table).
local COLUMN_LIST = [[(select string_agg('"' || replace(a.attname, '"', '""') || '" ' || format_type(a.atttypid, NULL),
  ', ' order by a.attnum) from pg_attribute a join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = coalesce(?, current_schema()) and c.relname = ? and a.attnum > 0 and not a.attisdropped)]]

local function create_statement(name, list)
  return list and "CREATE TABLE " .. quote(name) .. " (" .. list .. ")" or nil
end

-- The schema (zb's name: nil or "main" the current one) whose zb_catalog
-- holds table name's row, quoted; nil when it has no zb_catalog.
local function catalog_of(schema)
  local found = M.exec("select " .. catalog_in("coalesce(?, current_schema())") .. " as s", schema_name(schema))[1].s
  return found and quote(found)
end

function M.catalog_lines(name, schema)
  local holder = catalog_of(schema)
  if not holder then return nil end
  local found = M.exec("select (about -> 'lines')::text as lines from " .. holder .. ".zb_catalog where name = ?", name)[1]
  return found and found.lines
end

-- COLUMN_LIST's text made here from the table's columns as a query of it
-- described them (names, and types as format_type names them); nil when a
-- type is not known here.
local function described_list(described)
  local list = {}
  for i, column in ipairs(described.columns) do
    local t = described.types[i]
    if t == nil or t == "" then return nil end
    list[i] = '"' .. column:gsub('"', '""') .. '" ' .. t
  end
  return table.concat(list, ", ")
end

-- SQL reading table ?'s record in the zb_catalog of schema holder
-- (quoted): one row, its columns and about (lines apart: catalog_lines
-- reads them), NULL when it has none; before them, the columns of SQL
-- more (its ? bound before the name's).
local function record_read(holder, more)
  return "select " .. more .. "k.columns::text as columns, (k.about - 'lines')::text as about from (select) as one " ..
         "left join " .. holder .. ".zb_catalog as k on k.name = ?"
end

-- (and the table's CREATE statement: from described, zb.table's check of
-- it, else read along; the server's own list costs a fresh session some
-- milliseconds of catalog lookups)
--   Outside a transaction, the current schema's catalog is read without
-- asking first whether it is there when it was at the session's start: the
-- read also tells the current schema, and a search path changed since, or
-- a catalog dropped since (the read's error, harmless there), has it asked
-- after all.
function M.catalog_read(name, schema, described)
  local list = described and described_list(described)
  local function record(found)
    if not found.columns then return {} end
    return M.json_decode(found.columns), found.about, create_statement(name, list or found.list)
  end
  if schema_name(schema) == nil and catalog_here and list and depth == 0 then
    local ok, found = pcall(M.exec, record_read(quote(catalog_here), "current_schema()::text as here, "), name)
    if ok and found[1].here == catalog_here then return record(found[1]) end
    catalog_here = nil
  end
  local holder = catalog_of(schema)
  if not holder then return {} end
  return record(M.exec(record_read(holder, list and "" or COLUMN_LIST .. " as list, "),
                       table.unpack(list and {name} or {schema_name(schema), name, name}))[1])
end

function M.json_pairs(text)
  return M.exec("select key, value::text as value from jsonb_each((?::text)::jsonb) order by key", text)
end

-- Lua values of JSON text: objects as tables, arrays as lists (with n),
-- null as nil; read here, as the server's JSON reaches zb as text.
function M.json_decode(text)
  local pos = 1
  local value
  local function skip() pos = text:find("%S", pos) or #text + 1 end
  local function fail() error("PostgreSQL: JSON text zb cannot read at byte " .. pos, 0) end
  local escapes = {b = "\b", f = "\f", n = "\n", r = "\r", t = "\t"}
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local at = text:find('["\\]', pos) or fail()
      out[#out + 1] = text:sub(pos, at - 1)
      if text:sub(at, at) == '"' then pos = at + 1 return table.concat(out) end
      local e = text:sub(at + 1, at + 1)
      if e == "u" then
        local code = tonumber(text:sub(at + 2, at + 5), 16) or fail()
        pos = at + 6
        if code >= 0xD800 and code < 0xDC00 and text:sub(pos, pos + 1) == "\\u" then
          code = 0x10000 + (code - 0xD800) * 0x400 + ((tonumber(text:sub(pos + 2, pos + 5), 16) or fail()) - 0xDC00)
          pos = pos + 6
        end
        out[#out + 1] = utf8.char(code)
      else
        out[#out + 1] = escapes[e] or e
        pos = at + 2
      end
    end
  end
  function value()
    skip()
    local c = text:sub(pos, pos)
    if c == "{" or c == "[" then
      local t, n, close = {}, 0, c == "{" and "}" or "]"
      pos = pos + 1
      skip()
      if text:sub(pos, pos) == close then pos = pos + 1
      else
        repeat
          if c == "{" then
            skip()
            local k = str()
            skip()
            if text:sub(pos, pos) ~= ":" then fail() end
            pos = pos + 1
            t[k] = value()
          else
            n = n + 1
            t[n] = value()
          end
          skip()
          local sep = text:sub(pos, pos)
          pos = pos + 1
        until sep ~= ","
        if text:sub(pos - 1, pos - 1) ~= close then fail() end
      end
      if c == "[" then t.n = n end
      return t
    elseif c == '"' then return str()
    end
    local word = text:match("^[%w.+-]+", pos) or fail()
    pos = pos + #word
    if word == "true" or word == "false" then return word == "true" end
    if word == "null" then return nil end
    return math.tointeger(tonumber(word)) or tonumber(word) or fail()
  end
  if text == nil then return nil end
  return value()
end

---------------------------------------------------------------------------
-- What the database holds

local users = "table_schema not in ('pg_catalog', 'information_schema', 'zb_lib') and table_name <> 'zb_catalog' " ..
              [[and not (table_schema like 'pg\_temp\_%' and table_name like 'zb\_result\_%')]]  -- zb's own results

M.tables_query = "select table_schema as schema, table_name as name, " ..
  "case table_type when 'VIEW' then 'view' else 'table' end as type, " ..
  "(select count(*) from information_schema.columns c where c.table_schema = t.table_schema " ..
  "and c.table_name = t.table_name)::integer as columns from information_schema.tables t where " .. users ..
  " order by table_schema = current_schema() desc, table_schema, table_name"

function M.table_names()
  local names = {}
  for _, r in ipairs(M.exec("select table_name as name from information_schema.tables where " .. users ..
                            " order by table_name")) do
    names[#names + 1] = r.name
  end
  return names
end

-- The schemas, the current one first, as "main" (zb's name for it).
function M.schemas()
  local names = {"main"}
  for _, r in ipairs(M.exec("select nspname as name from pg_namespace where nspname <> current_schema() and " ..
                            "nspname not like 'pg\\_%' and nspname <> 'information_schema' order by nspname")) do
    names[#names + 1] = r.name
  end
  return names
end

-- The CREATE statement of table name (as zb writes it from the catalog's columns).
function M.table_sql(name, schema)
  return create_statement(name, M.exec("select " .. COLUMN_LIST .. " as list", schema_name(schema), name)[1].list)
end

function M.objects(schema)
  local out = {}
  for _, r in ipairs(M.exec("select table_name as name, case table_type when 'VIEW' then 'view' else 'table' end as type " ..
                            "from information_schema.tables where table_schema = coalesce(?, current_schema()) and " ..
                            users .. " order by table_name", schema_name(schema))) do
    out[#out + 1] = {name = r.name, type = r.type, sql = M.table_sql(r.name, schema)}
  end
  return out
end

-- (pg_catalog's, not information_schema's views: a tenth of the time, and
-- every table opened asks)
function M.has_table(name, schema)
  return M.exec("select 1 as yes from pg_class c join pg_namespace n on n.oid = c.relnamespace " ..
                "where n.nspname = coalesce(?, current_schema()) and c.relname = ? and c.relkind in ('r', 'v', 'm', 'p', 'f')",
                schema_name(schema), name)[1] ~= nil
end

function M.columns_of(name, schema)
  return M.exec("select a.attname::text as name, format_type(a.atttypid, NULL) as type from pg_attribute a " ..
                "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace " ..
                "where n.nspname = coalesce(?, current_schema()) and c.relname = ? and a.attnum > 0 and not a.attisdropped " ..
                "order by a.attnum", schema_name(schema), name)
end

function M.builtin_functions()
  local names = {}
  for _, r in ipairs(M.exec("select distinct proname as name from pg_proc")) do names[r.name:lower()] = true end
  return names
end

function M.plan(text, params)
  local plan = {}
  for r in M.rows("EXPLAIN " .. text, params) do plan[#plan + 1] = r[1] end
  return table.concat(plan, "\n")
end

-- CREATE TABLE AS keeps every column's type on PostgreSQL: nothing to declare.
function M.declare_types() end

function M.attach()
  error("zb.attach: a SQLite file attaches to a SQLite session, not to PostgreSQL", 0)
end

-- The COPY kind of each type zb's loaders give a column (src/bridge/postgresql.c).
local copy_kinds = {INTEGER = "i", REAL = "r", TEXT = "t", [""] = "t"}

-- Table name made here (a temporary one with temporary, else anew in the
-- current schema: dropped first with replace) of columns (names) of types
-- (SQLite's words); returns the COPY that fills it, a row sink
-- (src/bridge/sink.h) that a loader fills and copy:finish() ends.  Its
-- rows go in COPY's binary format when each type is zb's own (INTEGER,
-- REAL, TEXT), else as text, which the server reads as each type does.
function M.load_into(name, columns, types, replace, temporary)
  local defs, kinds = {}, {}
  for c, column in ipairs(columns) do
    defs[c] = quote(column) .. " " .. dialect.type_name(types[c])
    kinds[c] = copy_kinds[types[c]:upper()]
  end
  local binary = #kinds == #columns
  if replace then M.exec("drop table if exists " .. quote(name)) end
  M.exec("create " .. (temporary and "temp " or "") .. "table " .. quote(name) .. " (" .. table.concat(defs, ", ") .. ")")
  return connection():copy_in("COPY " .. (temporary and "pg_temp." or "") .. quote(name) .. " FROM STDIN" ..
                              (binary and " WITH (FORMAT binary)" or ""), binary and table.concat(kinds) or nil)
end

-- Table name made here from the rows of select on the session's SQLite
-- database (types: its columns' as load_into takes them), in one step.
local function load_from_sqlite(name, columns, types, select, replace, temporary)
  local copy <close> = M.load_into(name, columns, types, replace, temporary)
  copy:add_query(zb.db, select)
  copy:finish()
end

-- A new temporary table, name, of columns (names) from chunks of columns
-- of Lua values (as the SQLite engine's store takes them), staged in the
-- session's SQLite database and sent through COPY: a column holds one
-- type, text when any of its values is text, else double precision when
-- any is a real, else bigint.  Returns the schema it is in (the session's
-- temporary one).
function M.store(name, columns, chunks)
  local sqlite = require("zb.engine.sqlite")
  local stage = "zb_stage_" .. name
  sqlite.store(stage, columns, chunks)
  local probes = {}
  for c, column in ipairs(columns) do
    probes[c] = string.format("max(typeof(%s) = 'text') as t%d, max(typeof(%s) = 'real') as r%d", quote(column), c,
                              quote(column), c)
  end
  local ok, problem = pcall(function()
    local kinds, types = sqlite.exec("select " .. table.concat(probes, ", ") .. " from temp." .. quote(stage))[1], {}
    for c in ipairs(columns) do
      types[c] = kinds["t" .. c] == 1 and "TEXT" or kinds["r" .. c] == 1 and "REAL" or "INTEGER"
    end
    M.atomic(load_from_sqlite, name, columns, types, "select * from temp." .. quote(stage), false, true)
  end)
  zb.db:sql("drop table temp." .. quote(stage))
  if not ok then error(problem, 0) end
  return schema_of("temp")
end

---------------------------------------------------------------------------
-- Loading: read_csv sends its rows here itself (load_into); the other
-- loaders read into the session's SQLite database (the same reading, the
-- same types), then their rows come over through COPY, in the load's
-- transaction.

-- Move table name of the session's SQLite database here (replace: in the
-- place of a table of that name), its rows through COPY; the SQLite table
-- goes however it ends.
function M.adopt(name, replace)
  local columns, types = {}, {}
  for i, c in ipairs(require("zb.engine.sqlite").columns_of(name, "main")) do
    columns[i], types[i] = c.name, c.type
  end
  local ok, problem = pcall(load_from_sqlite, name, columns, types, "select * from main." .. quote(name), replace)
  zb.db:sql("drop table main." .. quote(name))
  if not ok then error(problem, 0) end
end

return M
