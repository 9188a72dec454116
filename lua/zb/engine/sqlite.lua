-- zb.engine.sqlite: the session database as zb's tables see it, through
-- SQLite (zb.core, src/bridge/db.c): check a query, read its rows, run
-- statements, and what the schema holds.  Another engine gives the same
-- functions; zb.engine is the session's.
local core = require("zb.core")
local compiler = require("zb.engine.compiler")
local dialect = require("zb.engine.dialect.sqlite")

local M = {name = "sqlite", dialect = dialect}
local quote = dialect.quote

-- query (SQL text): its columns, or nil and the problem; then whether it
-- only reads, whether more statements follow, how many parameters it takes, whether a ';' ends it,
-- each column's declared type ("" for none) and origin ({database, table,
-- column}, or false).  The problem: {message =} and what it is about,
-- read from SQLite's words here so that no other layer reads them:
-- no_column (a name), no_table (a name), misread (the SQL did not parse:
-- a token or syntax SQLite did not take, or a name it did not know).
function M.check(query)
  local columns, problem, more, nparams, terminated, types, origins = core.columns(query)
  if columns then return columns, problem, more, nparams, terminated, types, origins end
  local no_column = problem:match("^no such column: (.*)$")
  return nil, {message = problem, no_column = no_column, no_table = problem:match("^no such table: (.*)$"),
               misread = no_column ~= nil or problem:find("unrecognized token", 1, true) ~= nil
                         or problem:find("syntax error", 1, true) ~= nil}
end

-- An iterator over the rows of query (SQL text) with params bound; d: the
-- description the rows are of (the row's metatable finds its columns).
M.rows = core.rows

-- Insert rows into a table from columns of Lua values: sql an INSERT of
-- #lists parameters, run for each row position of order with lists[c][row]
-- bound to parameter c.
M.insert_columns = core.insert_columns

-- A new temporary table, name, of columns (names) from chunks of columns
-- of Lua values: chunks() gives lists and order (lists[c][row] for each
-- row position of order) until it gives nil, so that a caller need not
-- hold every row at once; each value keeps its own type.  Returns the
-- schema it is in.
function M.store(name, columns, chunks)
  local quoted, marks = {}, {}
  for c, column in ipairs(columns) do quoted[c], marks[c] = dialect.quote(column), "?" end
  M.atomic(function()
    M.exec("CREATE TEMP TABLE " .. dialect.quote(name) .. " (" .. table.concat(quoted, ", ") .. ")")
    local insert = "INSERT INTO temp." .. dialect.quote(name) .. " VALUES (" .. table.concat(marks, ", ") .. ")"
    for lists, order in chunks do M.insert_columns(insert, lists, order) end
  end)
  return "temp"
end

-- The rows of query (SQL text) with params bound, read whole a column at
-- a time: {values by row, ... (a list a column), n = rows}, and whether
-- each column holds only numbers (finite) and NULLs.  sized: count the
-- rows first, so that each list is made at its size, not grown by copies
-- (a second run of the query; SQLite counts a table read whole from its
-- pages, without reading a row).  vectors_from: from that column on, a
-- column of numbers (integers within 2^53) comes as a zb.Vector, read and
-- written as a list, its values doubles in C (an engine may give lists).
function M.read_columns(query, params, sized, vectors_from)
  local rows = sized and zb.db:sql("select count(*) as n from (" .. query .. ")", table.unpack(params, 1, params.n))[1].n
  return core.read_columns(query, params, rows, vectors_from)
end

-- Write the rows of query (SQL text) with params bound to an open file as
-- CSV, TSV or JSON (render.lua's data modes, byte for byte), without them
-- reaching Lua; header as render.export gives it.  true, or nil and why
-- a write failed.  (An engine without it: render.lua writes row by row.)
M.export_rows = core.export_rows

-- Print every row of query to an open file as a box or a markdown table
-- (render.lua's, for a table printed whole), in two passes over it.
M.print_rows = core.print_rows

-- Run statements; returns what zb.db:sql returns.
function M.exec(text, ...)
  return zb.db:sql(text, ...)
end

-- Run SQL text as a method compiled it, in this engine's dialect, with
-- its parameters (params[1..params.n]).
function M.exec_compiled(text, params)
  return zb.db:sql(text, table.unpack(params, 1, params.n))
end

-- fn() in one transaction (a savepoint): all it changes, or nothing.
function M.atomic(fn)
  return zb.db:atomic(fn)
end

-- zb's catalog (zb.catalog): a table of the database, a row a table: its
-- columns a JSON object from column name to what is known of it, and
-- about a JSON object of the table's own record (where it came from), so
-- that the sqlite3 shell reads them too.  A catalog of an older zb has no
-- about: it is added when written, read as none.
local catalog = "zb_catalog"

-- Forget what the main database's catalog holds of table name.
function M.catalog_forget(name)
  if M.has_table(catalog, "main") then M.exec("delete from main.zb_catalog where name = ?", name) end
end

local function has_about(schema)
  for _, c in ipairs(M.columns_of(catalog, schema)) do
    if c.name == "about" then return true end
  end
  return false
end

-- Record columns (column name -> JSON text of what is known of it) and
-- about (JSON text) of table name in the main database's catalog.
function M.catalog_write(name, columns, about)
  local values, params = {}, {}
  for column, known in pairs(columns) do
    values[#values + 1] = "(?, json(?))"
    params[#params + 1] = column
    params[#params + 1] = known
  end
  M.exec("create table if not exists main.zb_catalog (name text primary key, columns text not null, about text)")
  if not has_about("main") then M.exec("alter table main.zb_catalog add column about text") end
  local objects = #values > 0 and "(select json_group_object(column1, json(column2)) from (values " ..
                  table.concat(values, ", ") .. "))" or "'{}'"
  params[#params + 1] = about
  M.exec("insert into main.zb_catalog (name, columns, about) select ?, " .. objects .. ", json(?)",
         name, table.unpack(params))
end

-- Add fields (JSON text of an object) to the about of table name in the
-- main database's catalog.
function M.catalog_amend(name, fields)
  M.exec("update main.zb_catalog set about = json_patch(coalesce(about, '{}'), json(?)) where name = ?", fields, name)
end

-- The column numbering a table's rows in the order they were loaded, by
-- which a row's place in its file is found (a server's rows have none).
M.rowid = "rowid"

-- Where the rows of table name of schema are in its file (the about's
-- lines, JSON text), or nil: read apart, for it may be long.
function M.catalog_lines(name, schema)
  if not M.has_table(catalog, schema) or not has_about(schema) then return nil end
  local found = M.exec(string.format("select json_extract(about, '$.lines') as lines from %s.zb_catalog where name = ?",
                                     quote(schema)), name)[1]
  return found and found.lines
end

-- What the catalog of schema holds of table name: column -> what is known
-- of it (decoded), and the about's JSON text (or nil), its lines left out.
function M.catalog_read(name, schema)
  local columns = {}
  if not M.has_table(catalog, schema) then return columns end
  local about = has_about(schema) and "json_remove(about, '$.lines')" or "NULL"
  local found = M.exec(string.format("select columns, %s as about from %s.zb_catalog where name = ?", about,
                                     quote(schema)), name)[1]
  if not found then return columns end
  for _, r in ipairs(M.json_pairs(found.columns)) do columns[r.key] = M.json_decode(r.value) end
  return columns, found.about
end

-- Lua values of JSON text: objects as tables, arrays as lists (with n),
-- null as nil.
function M.json_decode(text)
  local nodes, arrays, root = {}, {}, nil
  for _, r in ipairs(M.exec("select id, parent, key, type, atom from json_tree(?) order by id", text)) do
    local v
    if r.type == "object" or r.type == "array" then v = {}
    elseif r.type == "true" or r.type == "false" then v = r.type == "true"
    else v = r.atom end
    nodes[r.id], arrays[r.id] = v, r.type == "array" and 0 or nil
    local parent = r.parent and nodes[r.parent]
    if parent == nil then root = v
    elseif arrays[r.parent] then
      arrays[r.parent] = arrays[r.parent] + 1
      parent[r.key + 1], parent.n = v, arrays[r.parent]
    else
      parent[r.key] = v
    end
  end
  return root
end

-- Open the SQLite file at path as schema name (read-only unless write);
-- an error when it is no database.
function M.attach(path, name, write)
  -- as a URI, so that mode=ro holds; characters URIs give meaning to are escaped
  local uri = "file:" .. path:gsub("[%%?#]", function(c) return string.format("%%%02X", c:byte()) end)
  if not write then uri = uri .. "?mode=ro" end
  -- a literal, not a bound value: a safe session's authorizer sees only literals
  M.exec("ATTACH DATABASE '" .. uri:gsub("'", "''") .. "' AS " .. quote(name))
  local ok, problem = pcall(M.exec, "SELECT count(*) FROM " .. quote(name) .. ".sqlite_schema")
  if not ok then  -- SQLite may read the file only at its first use
    pcall(M.exec, "DETACH DATABASE " .. quote(name))
    error(problem, 0)
  end
end

-- SQL keeping out SQLite's own tables (sqlite_schema, sqlite_sequence; a
-- table named sqlite1 is the user's) and zb's catalog (zb.catalog).
local users = [[name not like 'sqlite\_%' escape '\' and name <> 'zb_catalog']]
-- and the temporary tables holding results made in Lua (composite.lua's),
-- of pragma_table_list's rows.
local listed = users .. [[ and not (schema = 'temp' and name like 'zb\_result\_%' escape '\')]]

-- The user's tables and views, as SQL text: schema, name, type, columns.
M.tables_query = "select schema, name, type, ncol as columns from pragma_table_list where " .. listed ..
                 " order by schema = 'main' desc, schema, name"

-- The names of the user's tables and views (of every schema), sorted.
function M.table_names()
  local names = {}
  for _, r in ipairs(M.exec("select name from pragma_table_list where " .. listed .. " order by name")) do
    names[#names + 1] = r.name
  end
  return names
end

-- The schemas (databases) open, main first.
function M.schemas()
  local names = {}
  for _, r in ipairs(M.exec("select name from pragma_database_list order by seq")) do names[#names + 1] = r.name end
  return names
end

-- The user's tables and views of schema: {name =, type =, sql =} each, by name.
function M.objects(schema)
  return M.exec("select name, type, sql from " .. quote(schema) .. ".sqlite_schema where type in ('table', 'view') and " ..
                users .. (schema == "temp" and [[ and name not like 'zb\_result\_%' escape '\']] or "") .. " order by name")
end

-- Whether schema holds a table or view name (the user's or zb's), its
-- letters' case aside, as SQLite matches names (one of them is taken).
function M.has_table(name, schema)
  return M.exec(string.format("select 1 as yes from %s.sqlite_schema where type in ('table', 'view') and name = ? " ..
                              "collate nocase",
                              quote(schema or "main")), name)[1] ~= nil
end

-- The CREATE statement of table name in schema (nil when there is none).
function M.table_sql(name, schema)
  local r = M.exec(string.format("select sql from %s.sqlite_schema where type = 'table' and name = ?",
                                 quote(schema or "main")), name)[1]
  return r and r.sql
end

-- The columns of table name (in schema): {name =, type =} each, in order.
function M.columns_of(name, schema)
  if schema then return M.exec("select name, type from pragma_table_info(?, ?) order by cid", name, schema) end
  return M.exec("select name, type from pragma_table_info(?) order by cid", name)
end

-- The functions SQLite has built in: a set of their names, in lower case.
function M.builtin_functions()
  local names = {}
  for _, r in ipairs(M.exec("select distinct name from pragma_function_list where builtin")) do
    names[r.name:lower()] = true
  end
  return names
end

-- The members of JSON object text: {key =, value =} each, by key.
function M.json_pairs(text)
  return M.exec("select key, value from json_each(?) order by key", text)
end

-- Insert the rows of a JSON document (zb.read_json's text, checked by
-- zb.core.json_scan) into table name, read in C (src/readers/json.c):
-- columns {name =, numbers_only =} each, in the document's order
-- (numbers_only: its strings NULL).
function M.insert_json(name, text, columns)
  local params, numbers_only = {}, {}
  for i, c in ipairs(columns) do params[i], numbers_only[i] = "?", c.numbers_only or false end
  core.json_insert(text, "insert into " .. quote(name) .. " values (" .. table.concat(params, ", ") .. ")", numbers_only)
end

-- SQLite's plan for query (text, params; d its description), as lines
-- indented by depth.
function M.plan(text, params, d)
  local plan, depth = {}, {}
  for r in M.rows("EXPLAIN QUERY PLAN " .. text, params, d) do
    depth[r.id] = (depth[r.parent] or -1) + 1
    plan[#plan + 1] = string.rep("  ", depth[r.id]) .. r.detail
  end
  return table.concat(plan, "\n")
end

-- Give the columns of table name that CREATE TABLE AS left without a type
-- (an expression's, an aggregate's) the type of their values: INTEGER,
-- REAL (numbers, some with a fraction) or TEXT, when they are all of one
-- (else they stay untyped).  A saved sum(value) or year + 0 then compares,
-- joins and converts text as the stored column it is (a join of year + 0
-- to a TEXT year found its rows before the save and none after it).
function M.declare_types(name)
  local columns, untyped, kinds = {}, {}, {}
  for _, c in ipairs(M.columns_of(name)) do
    columns[#columns + 1] = c
    if c.type == "" then
      untyped[#untyped + 1] = c
      local col = quote(c.name)
      for _, kind in ipairs{"integer", "real", "text", "blob"} do
        kinds[#kinds + 1] = string.format("count(*) FILTER (WHERE %s) AS %s", dialect.type_in(col, {kind}),
                                          quote(#untyped .. kind))
      end
    end
  end
  if #untyped == 0 then return end
  local counts = M.exec("select " .. table.concat(kinds, ", ") .. " from " .. quote(name))[1]
  local typed = false
  for i, c in ipairs(untyped) do
    local n = function(kind) return counts[i .. kind] end
    if n("blob") == 0 then
      if n("text") == 0 and n("real") == 0 and n("integer") > 0 then c.type = "INTEGER"
      elseif n("text") == 0 and n("real") > 0 then c.type = "REAL"
      elseif n("text") > 0 and n("real") == 0 and n("integer") == 0 then c.type = "TEXT" end
    end
    typed = typed or c.type ~= ""
  end
  if not typed then return end
  local defs = {}
  for i, c in ipairs(columns) do defs[i] = quote(c.name) .. (c.type ~= "" and " " .. c.type or "") end
  local retyped = quote(name .. " (typed)")
  M.exec("drop table if exists " .. retyped)
  M.exec("create table " .. retyped .. " (" .. table.concat(defs, ", ") .. ")")
  M.exec("insert into " .. retyped .. " select * from " .. quote(name))
  M.exec("drop table " .. quote(name))
  M.exec("alter table " .. retyped .. " rename to " .. quote(name))
end

-- A grouped aggregate through zb_group (src/bridge/group.c), which hashes where
-- SQLite would sort every row: keys plain columns, each agg count(*) or
-- count, sum, total, avg, min or max of a column.  The description of
-- keys and aggs ({name =, text =, unit =} each) over d, or nil when one of
-- them is no plain column or verb.
local hash_verbs = {count = true, sum = true, total = true, avg = true, min = true, max = true}
local HASH_KEYS, HASH_AGGS, HASH_PARAMS = 8, 16, 16

-- The column of columns that SQL text names (plain or "quoted"), or nil.
local function column_named(text, columns)
  local name = text:match('^"(.*)"$')
  name = name and name:gsub('""', '"') or text
  for _, c in ipairs(columns) do
    if c == name then return name end
  end
end

-- The SQL and parameters of d's rows read as cols ({name =, expr =} each):
-- the scan a C path runs beside the query that reads d; nil past the
-- parameters it takes.
local function scan_of(d, cols)
  local f = compiler.compile(compiler.add(d, {cols = cols}), dialect)
  if f.params.n > HASH_PARAMS then return nil end
  return dialect.text(f), f.params
end

-- zb_group's column for key i (from 0) of a source column of declared type
-- decl: the one declared with the same affinity, so the key compares and
-- joins as its source does.
local function key_column(decl, i)
  return ({integer = "ki", text = "kt", blob = "k", real = "kr", numeric = "kn"})[dialect.affinity(decl)] .. i
end

function M.grouped(d, keys, aggs)
  if #keys > HASH_KEYS or #aggs > HASH_AGGS then return nil end
  local frag = compiler.frag
  local scan, kinds, cols, known = {}, {}, {}, nil
  for i, k in ipairs(keys) do
    local col = k.text and column_named(k.text, d.columns)
    if not col then return nil end
    -- SQLite sees no origin through zb_group's columns: a key of periods
    -- (t.meta) groups through SQLite's GROUP BY, which keeps it
    known = known or require("zb.relation.catalog").meta(d).columns
    if known[col] then return nil end
    scan[i] = {name = "k" .. (i - 1), expr = frag(quote(col))}
    -- read from zb_group's column of the source column's declared type
    local declared
    for j, c in ipairs(d.columns) do if c == col then declared = d.types[j] end end
    cols[i] = {name = k.name, expr = frag(key_column(declared, i - 1)), unit = k.unit}
  end
  for j, a in ipairs(aggs) do
    local verb, arg = (a.text or ""):match("^%s*(%a+)%s*%(%s*(.-)%s*%)%s*$")
    verb = verb and verb:lower()
    if not hash_verbs[verb] then return nil end
    if arg == "*" then
      if verb ~= "count" then return nil end
      kinds[j] = "count*"
    else
      local col = column_named(arg, d.columns)
      if not col then return nil end
      kinds[j] = verb
      scan[#scan + 1] = {name = "v" .. (#scan - #keys), expr = frag(quote(col))}
    end
    cols[#cols + 1] = {name = a.name, expr = frag("a" .. (j - 1)), unit = a.unit}
  end
  local sql, params = scan_of(d, scan)
  if not sql then return nil end
  -- A collation zb_group cannot see: written in the SQL, or a compound's
  -- (whose column metadata comes from another arm than SQLite's collation).
  local lower = sql:lower()
  for _, word in ipairs{"collate", "union", "intersect", "except"} do
    if lower:find(word, 1, true) then return nil end
  end
  local from = frag("zb_group(\0, \0" .. string.rep(", \0", params.n) .. ")",
                    sql, #keys .. ":" .. table.concat(kinds, ","), table.unpack(params, 1, params.n))
  return {from = from, cols = cols, alive = {d}, sources = d.sources, virtual = true}
end

-- The value k periods before each row's (after: k below 0) in its series
-- through zb_shifted (src/bridge/series.c), which hashes the series where
-- SQLite's window would sort every row.  s: keys (SQL, by's plain columns
-- first, then any other key), by (how many keys are by's), time (the
-- period as a message shows it), index (its integer index), value, k, and
-- the messages at, twice and before (series.c says how they read); with
-- s.moving = {fn =, partial =}, fn (avg, sum, total) over the last k
-- periods instead, as SQLite before 3.43 adds (newer ones add another
-- way: nil).  The SQL over d's columns, or nil when a key of by's compares
-- by another collation than binary or there are too many keys or
-- parameters.
local plain_sums
function M.shifted(d, s)
  if #s.keys > HASH_KEYS + 1 then return nil end
  if s.moving then
    if plain_sums == nil then
      local major, minor = M.rows("select sqlite_version() as v", {n = 0})().v:match("^(%d+)%.(%d+)")
      plain_sums = tonumber(major) * 1000 + tonumber(minor) < 3043
    end
    if not plain_sums then return nil end
  end
  local scan = {}
  for i, k in ipairs(s.keys) do scan[i] = {name = "k" .. (i - 1), expr = compiler.frag(k)} end
  scan[#scan + 1] = {name = "i", expr = compiler.frag(s.index)}
  local lookup = {table.unpack(scan)}
  scan[#scan + 1] = {name = "v", expr = compiler.frag(s.value)}
  lookup[#lookup + 1] = {name = "t", expr = compiler.frag(s.time)}
  local sql, params = scan_of(d, scan)
  if not sql or not core.binary_scan(sql, s.by) then return nil end
  local args = {table.unpack(s.keys)}
  args[#args + 1] = s.index
  args[#args + 1] = s.value
  return compiler.frag("zb_shifted(\0, \0, \0, \0, \0, \0" .. string.rep(", \0", params.n) .. ", " ..
                       table.concat(args, ", ") .. ")", sql, string.format("%d:%d:%d", #s.keys, params.n, s.k) ..
                       (s.moving and string.format(":%s:%d", s.moving.fn, s.moving.partial and 1 or 0) or ""), s.at,
                       s.twice, s.before, (scan_of(d, lookup)), table.unpack(params, 1, params.n))
end

-- Each row's rank of its column value among those of its partition (the
-- columns by) through zb_rank (src/bridge/window.c), which hashes the
-- partitions where SQLite's window would sort every row: the SQL of the
-- rank over d's columns, or nil.  NULL values have none and are not
-- counted; desc: the largest first; dense: ties take one rank and the
-- next is the one after.
function M.ranked(d, by, value, desc, dense)
  if #by > HASH_KEYS then return nil end
  local scan, args = {}, {}
  for i, k in ipairs(by) do
    scan[i] = {name = "k" .. (i - 1), expr = compiler.frag(quote(k))}
    args[i] = quote(k)
  end
  scan[#scan + 1] = {name = "v", expr = compiler.frag(quote(value))}
  args[#args + 1] = quote(value)
  local sql, params = scan_of(d, scan)
  if not sql then return nil end
  local spec = string.format("%d:%d:%s:%s", #by, params.n, desc and "desc" or "asc", dense and "dense" or "competition")
  return compiler.frag("zb_rank(\0, \0" .. string.rep(", \0", params.n) .. ", " .. table.concat(args, ", ") .. ")",
                       sql, spec, table.unpack(params, 1, params.n))
end

return M
