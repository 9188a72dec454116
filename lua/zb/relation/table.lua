-- zb.table: zb.Table, a lazy, immutable relation.  Each method returns a
-- new table; nothing runs until rows are needed, and every table compiles
-- to one SELECT that SQLite runs.
--
--   zb.table(name [, schema])  -- a table or view of the session database
--   zb.tables()                -- the tables and views, as a table
--
-- A table's description holds its SQL in parts (fragments): text where each
-- bound value stands as a NUL byte, and the values in the same order, so
-- that parts join in any order and every value stays a bound parameter.
-- Identifiers are always quoted; user SQL text may not hold a NUL byte.

local core = require("zb.core")
local catalog = require("zb.relation.catalog")
local compiler = require("zb.engine.compiler")
local engine = zb.engine
local dialect = engine.dialect
local quote = dialect.quote

local M = {}
local methods = {}

local errors = require("zb.host.errors")
errors.own()
local raise, guarded = errors.raise, errors.guarded

M.methods = methods

local function column_list(columns)
  return table.concat(columns, ", ")
end

-- The place of column name in columns, or false.
local function has(columns, name)
  for i, c in ipairs(columns) do
    if c == name then return i end
  end
  return false
end

-- The method registry: every table method, zb's own and a module's, is
-- one entry made by define{...}:
--   name     t:name
--   doc      what it gives
--   call     how it is called, for its doc line ("(sql, ...)"); or
--   options  {{key, kind [, shown] [, optional = true] [, what =]}, ...}:
--            it takes one table of these options, checked before body
--            runs (kinds below), shown in this order in its doc line
--   sql      true when its string arguments name columns or are SQL over
--            them (the REPL completes column names there; an option of
--            kind column or columns says so too)
--   body     function(t, ...) the method
-- help("t:where"), .help where, the REPL's completion and the option
-- checks derive from the entries (M.registry); M.docs is their doc lines.
M.registry, M.docs = {}, {}

-- Option kinds: whether value v fits (t the table), and what it must be.
local option_kinds = {
  column = {"a column name", function(v) return type(v) == "string" end},
  columns = {"a column or a list of columns", function(v) return type(v) == "string" or type(v) == "table" end},
  pattern_or_columns = {"a Lua pattern column names match, or a list of columns", function(v)
    return type(v) == "string" or type(v) == "table"
  end},
  name = {"a name (a string)", function(v) return type(v) == "string" end},
  names = {"a name or a list of names", function(v)
    if type(v) == "string" then return true end
    if type(v) ~= "table" or #v == 0 then return false end
    for k, name in pairs(v) do
      if math.type(k) ~= "integer" or type(name) ~= "string" then return false end
    end
    return true
  end},
  count = {"a whole number of %s, 1 or more", function(v) return math.type(v) == "integer" and v >= 1 end},
  boolean = {"true or false", function(v) return type(v) == "boolean" end},
  ["function"] = {"the name of %s", function(v) return type(v) == "string" and v:match("^[%a_][%w_]*$") ~= nil end,
                  "an SQL function"},
  value = {"a number or a string", function(v) return type(v) == "number" or type(v) == "string" end},
  any = {"anything", function() return true end},
}
M.option_kinds = option_kinds

local function need_column(who, name, columns)
  if type(name) ~= "string" or not has(columns, name) then
    raise(string.format("%s: no such column: %s (columns: %s)", who, tostring(name), column_list(columns)))
  end
end

-- spec, the options table given to method entry of t, checked by the
-- entry's options and their kinds.
local function check_options(entry, t, spec)
  local who = entry.name
  if type(spec) ~= "table" then raise(string.format("bad argument #1 to '%s' (a table of options expected)", who)) end
  local allowed = {}
  for _, o in ipairs(entry.options) do allowed[o[1]] = "any" end
  zb.options.check(who, spec, allowed, entry.hint)
  local columns = core.description(t).columns
  for _, o in ipairs(entry.options) do
    local key, kind, v = o[1], option_kinds[o[2]], spec[o[1]]
    if v == nil then
      if not o.optional then
        raise(string.format("%s: %s%s is required", who, key, o.what and " (" .. o.what .. ")" or ""))
      end
    else
      if not kind[2](v) then raise(string.format("%s: %s must be %s", who, key, kind[1]:format(o.what or kind[3] or ""))) end
      if o[2] == "column" then need_column(who, v, columns) end
      if o[2] == "columns" or (o[2] == "pattern_or_columns" and type(v) == "table") then
        for _, c in ipairs(type(v) == "table" and v or {v}) do need_column(who, c, columns) end
      end
    end
  end
  return spec
end

-- The doc line's "how it is called" of an entry with options.
local function options_call(entry)
  local required, optional = {}, {}
  for _, o in ipairs(entry.options) do
    local text = o[1] .. " =" .. (o[3] and " " .. o[3] or "")
    if o.optional then optional[#optional + 1] = text else required[#required + 1] = text end
  end
  local shown = table.concat(required, ", ")
  for _, text in ipairs(optional) do shown = shown .. (shown == "" and "[" or " [, ") .. text .. "]" end
  return "{" .. shown .. "}"
end

-- zb's modules that define the rest of the methods (at the bottom, once
-- this file's own are defined), until they are loaded.
local method_modules

-- Add method entry (above) to every zb.Table.  A module's method takes
-- the place of zb's of that name, as the ones after zb's did when zb
-- loaded them all at start: zb's are loaded first.
function M.define(entry)
  if method_modules then M.load_methods() end
  if type(entry) ~= "table" or type(entry.name) ~= "string" or type(entry.body) ~= "function"
     or type(entry.doc) ~= "string" or (entry.call == nil) == (entry.options == nil) then
    raise("define: expected {name =, doc =, call = or options =, body = function(t, ...)}")
  end
  if ({name = true, meta = true, units = true, formats = true, columns = true})[entry.name] then
    raise(string.format("define: %s is a field of every table, not a method's name", entry.name))
  end
  local names = entry.sql
  for _, o in ipairs(entry.options or {}) do
    if not option_kinds[o[2]] then
      raise(string.format("define: option %s of %s: unknown kind %s", tostring(o[1]), entry.name, tostring(o[2])))
    end
    names = names or o[2] == "column" or o[2] == "columns" or o[2] == "pattern_or_columns"
  end
  M.registry[entry.name] = entry
  M.docs[entry.name] = {entry.call or options_call(entry), entry.doc, names = names}
  local body = entry.body
  if entry.options then
    local given = body
    body = function(t, spec) return given(t, check_options(entry, t, spec)) end
  end
  -- behind C, so that return t:where(...) keeps the user's line for errors
  methods[entry.name] = core.keep_caller(body)
end
local define = M.define

---------------------------------------------------------------------------
-- Descriptions and SQL

local frag, cat = compiler.frag, compiler.cat

-- User SQL text with its parameters bound to args (zb.engine.compiler's bind).
local function bind(who, text, args)
  local f, problem = compiler.bind(who, text, args, core.description, zb.engine.dialect)
  if not f then raise(problem) end
  return f
end
M.bind = bind

-- The SELECT a description stands for, as a fragment; and as SQL text.
local function compile(d)
  return compiler.compile(d, dialect)
end

local sql_text = dialect.text

-- The description of table t (which must be a zb.Table).
local function describe(t, who, arg)
  local d = core.description(t)
  if not d then
    raise(string.format("bad argument #%d to '%s' (zb.Table expected, got %s)",
                        arg or 1, who, type(t) == "userdata" and "userdata" or type(t)))
  end
  return d
end

-- A new table from description d, its SQL checked by SQLite now, so a
-- mistake is reported by the method that made it.  parent: the columns the
-- method could name.
-- For SQL that failed: a column of parent whose name is no plain SQL name
-- (2021年, 增长%) written in it unquoted, and how to write it.
local function unquoted_hint(sql, parent)
  for _, c in ipairs(parent or {}) do
    if c:find("^%d") or c:find("[^%w_\128-\255]") then
      local at = 1
      while true do
        local from, to = sql:find(c, at, true)
        if not from then break end
        if sql:sub(from - 1, from - 1) ~= '"' or sql:sub(to + 1, to + 1) ~= '"' then
          return string.format(" (a column whose name is not a plain SQL name is written in double quotes: %s)", quote(c))
        end
        at = to + 1
      end
    end
  end
  return ""
end

-- Its SQL's mistake is a zb.Error: the message naming the method, the SQL
-- (not in its text: the message says what is wrong) and the user's line.
-- checked: engine.check's results for that SQL (packed), when had already.
local function make(d, who, parent, checked)
  local f = compile(d)
  local sql = sql_text(f)
  local function refuse(message)
    raise(errors.new{message = who .. ": " .. message, sql = sql, show_sql = false})
  end
  checked = checked or table.pack(engine.check(sql, f.params))
  local columns, problem, more, nparams, terminated, types, origins = table.unpack(checked, 1, checked.n)
  if columns and more then refuse("the SQL text holds more than one statement (a ';')") end
  if columns and terminated then  -- it would parse alone, and break every table made from it
    refuse("the SQL text holds a ';', which would end the statement")
  end
  if columns and nparams ~= f.params.n then
    refuse("the SQL text holds a parameter (?) that this method does not bind; give values to where()")
  end
  if not columns then
    local message = problem.message
    if problem.no_column and parent then
      message = string.format("no such column: %s (columns: %s)", problem.no_column, column_list(parent))
    end
    refuse(message .. (problem.misread and unquoted_hint(sql, parent) or ""))
  end
  d.columns = columns
  if d.untyped then  -- a union's columns: SQLite gives the first arm's type, not what the rows compare as
    for i in ipairs(types) do types[i] = "" end
  end
  d.types = types
  d.origins = origins
  d.compiled = f
  return core.new_table(d)
end

-- A new table: d with changes (compiler.add: at d's level, or over it).
-- input: an order that reads d's input columns.
local function add(d, who, changes, input)
  return make(compiler.add(d, changes, input), who, d.columns)
end

-- The units of columns cols ({name =, unit =}), or false for none.
local function units_of(cols)
  local units = false
  for _, c in ipairs(cols) do
    if c.unit then
      units = units or {}
      units[c.name] = c.unit
    end
  end
  return units
end

-- The facts d holds of its columns in field (formats: t:format's; periods:
-- a computed column's frequency) that cols keep as they are (a select, a
-- rename, a group key), by their new names; or false.
local function kept_of(cols, d, field)
  local formats, quoted, out = d[field], {}, false
  if not formats then return false end
  for _, name in ipairs(d.columns) do quoted[quote(name)] = name end
  for _, c in ipairs(cols) do
    local f = c.expr and formats[quoted[c.expr.sql]]
    if f then
      out = out or {}
      out[c.name] = f
    end
  end
  return out
end

-- The table of new columns (cols, and group) over d; registered holds the Lua
-- functions they call.
local function project(d, who, changes, registered)
  changes.alive = registered
  changes.units = units_of(changes.cols)
  if d.formats then changes.formats = kept_of(changes.cols, d, "formats") end
  if d.periods then changes.periods = kept_of(changes.cols, d, "periods") end
  return add(d, who, changes)
end

local function names_table(columns)
  local names = {}
  for i, c in ipairs(columns) do
    names[i] = c
    if names[c] == nil then names[c] = i end
  end
  return names
end

-- A column name as SQL (quoted) when it is one, else the text as SQL.
local function expr_or_column(who, text, columns)
  if type(text) ~= "string" then
    raise(string.format("%s: expected a column name or SQL text, got %s", who, type(text)))
  end
  if has(columns, text) then return frag(quote(text)) end
  if text:find("\0", 1, true) then raise(who .. ": SQL text holds a NUL byte") end
  return frag(text:find("--", 1, true) and text .. "\n" or text)
end

-- fn(row) as SQL: zb_lua calls it with the row's columns; registered holds the
-- registration for as long as the table lives.
local function lua_call(who, fn, columns, registered, test)
  if #columns > 126 then  -- SQLite passes a function at most 127 arguments
    raise(string.format("%s: a Lua function sees at most 126 columns and this table has %d; select the ones it needs first",
                       who, #columns))
  end
  local id, entry = core.register(fn, who, names_table(columns), test)
  registered[#registered + 1] = entry
  local args = {tostring(id)}
  for _, c in ipairs(columns) do args[#args + 1] = quote(c) end
  return frag("zb_lua(" .. table.concat(args, ", ") .. ")")
end

-- The aggregates whose result is in their argument's unit (a sum of 万元
-- is 万元; a count is none).
local unit_keeping = {sum = true, total = true, avg = true, min = true, max = true, median = true}

-- SQL's own aggregates on every engine, which no metric can be.
local sql_own = {count = true, sum = true, avg = true, min = true, max = true}

-- The unit of fn (an SQL function's name) over column alone (units: the
-- table's): the column's when fn keeps it, else nil.  The one rule of
-- agg{s = "sum(v)"} and pivot{values = "v", fn = "sum"}.
local function aggregate_unit(fn, column, units)
  return unit_keeping[fn:lower()] and units and units[column] or nil
end

-- The unit of a column made from text: the column's own (units: the
-- parent's); when the text is one aggregate of one column, as
-- aggregate_unit says; when it is one call of a metric, that metric's
-- (opts.unit of zb.metric).  per_capita(a, b) * 100, sum(a * b), count(v)
-- and max(a, b) have no unit zb knows.
local function unit_of(text, columns, units)
  if type(text) ~= "string" then return nil end
  if has(columns, text) then return units and units[text] end
  local fn, args = text:match("^%s*([%a_][%w_]*)%s*(%b())%s*$")
  if not fn then return nil end
  local arg = args:match("^%(%s*(.-)%s*%)$")
  arg = arg:match('^"(.*)"$') and arg:sub(2, -2):gsub('""', '"') or arg
  local kept = has(columns, arg) and aggregate_unit(fn, arg, units)
  if kept then return kept end
  if sql_own[fn:lower()] then return nil end  -- no metric (zb.metric refuses the name): the library need not load
  local about = zb.metrics.about(fn)
  return about and about.unit
end

-- Named expressions from arguments: "col" (a column, or SQL text named by
-- itself), {name = "expr" or function(row)} (names in sorted order, as Lua
-- tables keep none), {"col", ...} in order.
local function named_exprs(who, args, columns, registered, units)
  local out = {}
  local function add_expr(name, value)
    if type(name) ~= "string" then
      raise(string.format("%s: column names must be strings, got %s", who, type(name)))
    end
    local expr
    if type(value) == "function" then expr = lua_call(who .. " '" .. name .. "'", value, columns, registered)
    else expr = expr_or_column(who, value, columns) end
    out[#out + 1] = {name = name, expr = expr, unit = unit_of(value, columns, units),
                     text = type(value) == "string" and value or nil}
  end
  for i = 1, args.n do
    local a = args[i]
    if type(a) == "table" and not core.description(a) then
      for _, v in ipairs(a) do add_expr(v, v) end
      local keys = {}
      for k in pairs(a) do
        if math.type(k) ~= "integer" then keys[#keys + 1] = k end
      end
      table.sort(keys, function(x, y) return tostring(x) < tostring(y) end)
      for _, k in ipairs(keys) do add_expr(k, a[k]) end
    else
      add_expr(a, a)
    end
  end
  if #out == 0 then raise(who .. ": no columns given") end
  return out
end

local function all_columns(columns, units)
  local cols = {}
  for i, c in ipairs(columns) do cols[i] = {name = c, expr = frag(quote(c)), unit = units and units[c]} end
  return cols
end

-- t with the sum of its column value over each group of keys by beside
-- each row, as a column of a name t does not have (returned too): a join
-- to t's hashed grouping, read once and indexed, with the keys matched as
-- PARTITION BY matches them (NULL with NULL); the rows in t's order (a
-- sorted t's numbered, which the join's own order would lose).  nil
-- when the grouping does not hash.  (SQLite's sum() OVER (PARTITION BY …)
-- sorts every row and buffers each group: 2.2 s over a million rows, where
-- the join takes 0.7 s.)
function M.beside_group_sum(t, by, value)
  local d = describe(t, "share")
  local total = "zb_total"
  while has(d.columns, total) do total = total .. "_" end
  local sums = describe(t:group(table.unpack(by)):agg{[total] = "sum(" .. quote(value) .. ")"}, "share")
  if not sums.virtual then return nil end
  local conds, cols = {}, {}
  for i, k in ipairs(by) do conds[i] = dialect.same("l." .. quote(k), "r." .. quote(k)) end
  for i, c in ipairs(d.columns) do cols[i] = {name = c, expr = frag("l." .. quote(c)), unit = d.units and d.units[c]} end
  cols[#cols + 1] = {name = total, expr = frag("r." .. quote(total))}
  local numbered = compiler.numbered_rows(d, dialect)
  local from = cat(dialect.subquery(numbered or compile(d), "l"), " LEFT JOIN ",
                   dialect.subquery(compile(sums), "r", true), " ON ", table.concat(conds, " AND "))
  return make({from = from, cols = cols, alive = {d, sums}, units = units_of(cols), formats = d.formats,
               sources = d.sources, order = numbered and {frag("l." .. quote(compiler.ROW_NUMBER))}},
              "share", d.columns), total
end

-- t with the column name (replaced when t has it) computed by expr, a
-- fragment over t's columns: how a method adds a column whose SQL binds
-- values (the engine's own paths: engine.ranked, engine.shifted).
function M.beside(t, who, name, expr)
  local d = describe(t, who)
  local cols, replaced = all_columns(d.columns, d.units), false
  for i, c in ipairs(cols) do
    if c.name == name then cols[i], replaced = {name = name, expr = expr}, true end
  end
  if not replaced then cols[#cols + 1] = {name = name, expr = expr} end
  return project(d, who, {cols = cols}, {})
end

---------------------------------------------------------------------------
-- Making tables

-- zb.table(name [, schema])
function M.open(name, schema)
  if type(name) ~= "string" then raise("bad argument #1 to 'table' (a table name expected)") end
  local d = {from = {table = name, schema = schema}, source = name, sources = {{name, schema or "main"}}}
  local checked = table.pack(engine.check(sql_text(compile(d))))
  local columns, problem = checked[1], checked[2]
  if not columns then
    if not problem.no_table then raise(problem.message) end  -- out of memory, say
    raise(string.format("no such table: %s (tables: %s)", name, column_list(engine.table_names())))
  end
  d.units = catalog.units(name, schema, {columns = columns, types = checked[6]})  -- given at load (the catalog's)
  return make(d, "table", nil, checked)
end

-- A table for a query given as SQL text.
function M.query(text, args)
  return make({query = bind("sql", (text:gsub("[%s;]+$", "")), args)}, "sql")
end

M.tables = core.keep_caller(function()
  return M.query(engine.tables_query, {n = 0})
end)

function M.is_table(v)
  return core.description(v) ~= nil
end

---------------------------------------------------------------------------
-- Methods that make new tables

-- where{col = value}: a value compares with a column of a declared type as
-- the engine compares them (an INTEGER column's "2021" is 2021, a TEXT
-- column's 2021 is "2021"); with a column of none as a stored column of
-- each row's value's type would (dialect.equal_untyped).
define{name = "where", call = "(sql, ...) | {col = value | {values}} | function(row)",
  doc = "the rows where the SQL condition holds (? bound), the columns equal the values, or the Lua predicate is true",
  sql = true,
  body = function(t, cond, ...)
    local d = describe(t, "where")
    local registered = {}
    local test
    if type(cond) == "function" then
      test = lua_call("where", cond, d.columns, registered, true)
    elseif type(cond) == "table" then
      local keys, conds = {}, {}
      for k in pairs(cond) do keys[#keys + 1] = k end
      table.sort(keys, function(x, y) return tostring(x) < tostring(y) end)
      local function bindable(v, k)
        local kind = type(v)
        if not (kind == "boolean" or kind == "number" or kind == "string") then
          raise(string.format("where: cannot compare %s with a %s", tostring(k), kind))
        end
      end
      local declared, periods = {}, nil
      for i, c in ipairs(d.columns) do declared[c] = d.types and d.types[i] or "" end
      -- a number for a column of a type that has no "=" with one (text, on
      -- a server: its types known from t's description, no query asked)
      local function number_for_column(k, decl, values)
        for _, v in ipairs(values) do
          if type(v) == "number" then
            local text = dialect.number_text(v)
            local instead = dialect.affinity(decl) ~= "text" and "write the " .. decl .. " as text" or
                            string.format("write '%s' or compare %s::%s", text, k:find("^[%l_][%l%d_]*$") and k or quote(k),
                                          math.type(v) == "integer" and "bigint" or "double precision")
            raise(string.format("where: %s is %s, %s is a number: %s", k, decl, text, instead))
          end
        end
      end
      -- a zb.Period as its canonical value; and for a column of periods (t.meta)
      -- each value read as a period, compared with period(column): 2021Q1
      -- finds 2021年第一季度
      local function as_period(v, k, frequency)
        if getmetatable(v) ~= zb.period.Period and not frequency then return v end
        local ok, p = pcall(zb.period, v)
        if not ok then raise(string.format("where: %s is not a period (column %s holds periods)", zb.pretty(v), k)) end
        return p.frequency == "A" and p.year or tostring(p)
      end
      for _, k in ipairs(keys) do
        need_column("where", k, d.columns)
        local v, col = cond[k], quote(k)
        periods = periods or catalog.meta(d).columns
        local frequency = periods[k] and periods[k].frequency
        if type(v) == "table" and getmetatable(v) ~= zb.period.Period then
          local read = {}
          for i = 1, #v do read[i] = as_period(v[i], k, frequency) end
          for key in pairs(v) do read[key] = read[key] or v[key] end
          v = read
        else
          v = as_period(v, k, frequency)
        end
        if frequency then col = "period(" .. col .. ")" end
        if type(v) == "table" then
          for i = 1, #v do bindable(v[i], k) end
          for key in pairs(v) do
            if math.type(key) ~= "integer" then raise(string.format("where: the values for %s must be a list", k)) end
          end
        else
          bindable(v, k)
        end
        if not frequency and declared[k] ~= "" and dialect.cannot_equal_number(declared[k]) then
          number_for_column(k, declared[k], type(v) == "table" and v or {v})
        end
        if declared[k] ~= "" and not frequency then  -- each value as the column compares it; none that cannot equal
          local values = {}
          for _, x in ipairs(type(v) == "table" and v or {v}) do values[#values + 1] = dialect.equal_value(declared[k], x) end
          v = type(v) == "table" and values or values[1]
        end
        if declared[k] == "" and not frequency and (type(v) ~= "table" or #v > 0) then
          conds[#conds + 1] = dialect.equal_untyped(col, type(v) == "table" and v or {v})
        elseif v == nil then
          conds[#conds + 1] = frag(dialect.never)
        elseif type(v) == "table" then
          if #v == 0 then conds[#conds + 1] = frag(dialect.never)
          else
            local marks = {}
            for i = 1, #v do marks[i] = "\0" end
            conds[#conds + 1] = frag(col .. " IN (" .. table.concat(marks, ", ") .. ")", table.unpack(v, 1, #v))
          end
        else
          conds[#conds + 1] = frag(col .. " = \0", v)
        end
      end
      if #conds == 0 then return t end
      test = compiler.list(conds, " AND ")
    else
      test = bind("where", cond, table.pack(...))
    end
    return add(d, "where", {where = {test}, alive = registered})
  end}

define{name = "select", call = "(\"col\" | \"expr\" | {name = \"expr\"}, ...)",
  doc = "those columns or SQL expressions",
  sql = true,
  body = function(t, ...)
    local d = describe(t, "select")
    local registered = {}
    local cols = named_exprs("select", table.pack(...), d.columns, registered, d.units)
    return project(d, "select", {cols = cols}, registered)
  end}

define{name = "mutate", call = "{name = \"expr\" | function(row)}",
  doc = "every column, and new ones (a name there already is replaced)",
  sql = true,
  body = function(t, spec)
    local d = describe(t, "mutate")
    if type(spec) ~= "table" then raise("bad argument #1 to 'mutate' (a table of new columns expected)") end
    local registered = {}
    local added = named_exprs("mutate", table.pack(spec), d.columns, registered, d.units)
    local cols, at = all_columns(d.columns, d.units), {}
    for i, c in ipairs(cols) do at[c.name] = i end
    for _, c in ipairs(added) do
      if at[c.name] then cols[at[c.name]] = c
      else
        cols[#cols + 1] = c
        at[c.name] = #cols
      end
    end
    return project(d, "mutate", {cols = cols}, registered)
  end}

define{name = "rename", call = "{new = \"old\"}",
  doc = "the columns renamed",
  sql = true,
  body = function(t, spec)
    local d = describe(t, "rename")
    if type(spec) ~= "table" then raise("bad argument #1 to 'rename' (a table {new = \"old\"} expected)") end
    local new_name = {}
    for new, old in pairs(spec) do
      if type(new) ~= "string" then raise("rename: expected {new = \"old\"}; new names must be strings") end
      need_column("rename", old, d.columns)
      if new_name[old] then raise(string.format("rename: %s is renamed twice (%s, %s)", old, new_name[old], new)) end
      new_name[old] = new
    end
    local cols = all_columns(d.columns, d.units)
    for _, c in ipairs(cols) do c.name = new_name[c.name] or c.name end
    return project(d, "rename", {cols = cols})
  end}

define{name = "drop", call = "(\"col\", ...)",
  doc = "every column but those",
  sql = true,
  body = function(t, ...)
    local d = describe(t, "drop")
    local gone = {}
    for i = 1, select("#", ...) do
      local name = select(i, ...)
      need_column("drop", name, d.columns)
      gone[name] = true
    end
    local cols = {}
    for _, c in ipairs(all_columns(d.columns, d.units)) do
      if not gone[c.name] then cols[#cols + 1] = c end
    end
    if #cols == 0 then raise("drop: no columns would be left") end
    return project(d, "drop", {cols = cols})
  end}

define{name = "distinct", call = "([\"col\" | \"expr\" | {name = \"expr\"}, ...])",
  doc = "each row once; with columns, each combination of them once (those columns alone, as select gives them)",
  body = function(t, ...)
    if select("#", ...) > 0 then t = methods.select(t, ...) end  -- never an argument passed over in silence
    local d = describe(t, "distinct")
    return add(d, "distinct", {distinct = true})
  end}

-- "col", "col desc", "col asc", or SQL text.
-- spec ("month", "month desc") as a column and its direction, or nil when
-- it is not one of columns.
local function column_and_direction(spec, columns)
  local name, dir = spec:match("^%s*(.-)%s+([AaDd][SsEe][CcSs][Cc]?)%s*$")
  if name and has(columns, name) and (dir:lower() == "asc" or dir:lower() == "desc") then return name, dir:upper() end
  name = spec:match("^%s*(.-)%s*$")
  if has(columns, name) then return name, "" end
end

define{name = "order", call = "(\"col [desc]\" | \"expr\", ...)",
  doc = "the rows sorted (a column of periods as time)",
  sql = true,
  body = function(t, ...)
    local d = describe(t, "order")
    local specs = {}
    for i = 1, select("#", ...) do
      local spec = select(i, ...)
      if type(spec) ~= "string" then raise(string.format("bad argument #%d to 'order' (a column or SQL text expected)", i)) end
      -- "month desc, v": columns each, when every part is one
      local parts = {}
      for part in (spec .. ","):gmatch("([^,]*),") do parts[#parts + 1] = part end
      local all = #parts > 1
      for _, part in ipairs(parts) do all = all and column_and_direction(part, d.columns) ~= nil end
      if all then
        for _, part in ipairs(parts) do specs[#specs + 1] = part end
      else
        specs[#specs + 1] = spec
      end
    end
    local order, periods, by_period = {}, nil, false
    for _, spec in ipairs(specs) do
      local name, dir = column_and_direction(spec, d.columns)
      if name then
        -- a column of periods (t.meta) sorts as time does: 2022年2月 before 2022年10月
        periods = periods or catalog.meta(d).columns
        local column = quote(name) .. (dir ~= "" and " " .. dir or "")
        if periods[name] then
          by_period = true
          column = "period_index(" .. quote(name) .. ")" .. (dir ~= "" and " " .. dir or "") .. ", " .. column
        end
        order[#order + 1] = frag(column)
      else
        order[#order + 1] = expr_or_column("order", spec, d.columns)
      end
    end
    if #order == 0 then raise("order: no columns given") end
    -- period_index(name) reads name in the FROM clause (a join's two tables
    -- may both have it, a select's name another column): over d's result,
    -- the name is d's column
    return add(d, "order", {order = order}, by_period)
  end}

define{name = "limit", call = "(n [, offset])",
  doc = "the first n rows (after offset)",
  body = function(t, n, offset)
    local d = describe(t, "limit")
    if math.type(n) ~= "integer" or n < 0 then raise("bad argument #1 to 'limit' (a count >= 0 expected)") end
    if offset ~= nil and (math.type(offset) ~= "integer" or offset < 0) then
      raise("bad argument #2 to 'limit' (an offset >= 0 expected)")
    end
    return add(d, "limit", {limit = n, offset = offset})
  end}

-- t:format{col = {decimals =, thousands =, percent =, scale =, suffix =}}:
-- how columns print, kept with the table as its units are (through where,
-- order, limit, select); the values stay numbers, and exports exact.
define{name = "format", call = "{column = {decimals =, thousands =, percent =, scale =, suffix =} | false, ...}",
  doc = "the table, its columns shown as the formats say (values and exports unchanged; false drops a column's)",
  sql = true,
  body = function(t, spec)
    local d = describe(t, "format")
    if type(spec) ~= "table" or core.description(spec) then
      raise("bad argument #1 to 'format' (a table {column = {decimals = 2}} expected)")
    end
    local formats = {}
    for name, f in pairs(d.formats or {}) do formats[name] = f end
    for name, f in pairs(spec) do
      need_column("format", name, d.columns)
      formats[name] = f and zb.render.check_format("format", name, f) or nil
    end
    return add(d, "format", {formats = next(formats) and formats or false})
  end}

-- group(...):agg{...}
local Grouped = {}
Grouped.__index = Grouped
Grouped.__name = "zb.Grouped"

function Grouped.__tostring(g)
  return string.format("zb.Grouped (by %s; call :agg{name = \"sum(value)\", ...})",
                       column_list(g.names))
end

define{name = "group", call = "(\"col\" | \"expr\", ...):agg{name = \"sum(value)\"}",
  doc = "one row a group",
  sql = true,
  body = function(t, ...)
    local d = describe(t, "group")
    local registered = {}
    local keys = named_exprs("group", table.pack(...), d.columns, registered, d.units)
    local names, group = {}, {}
    for i, k in ipairs(keys) do
      names[i] = k.name
      group[i] = k.expr
    end
    -- checked now, not at agg (but for columns of the table, of a type
    -- the engine groups: nothing to check, and no round trip to a server)
    local plain = true
    for _, k in ipairs(keys) do
      local at = k.text and has(d.columns, k.text)
      plain = plain and at and dialect.groups(d.types and d.types[at] or "")
    end
    if not plain then project(d, "group", {cols = keys, group = group}, registered) end
    return setmetatable({table = t, keys = keys, names = names, registered = registered}, Grouped)
  end}

-- agg{name = "expr", ...} names its columns in sorted order (a Lua table
-- keeps none); agg({n = "count(*)"}, {total = "sum(value)"}) in the order
-- given, as select's.
local function aggregate(t, keys, registered, ...)
  local d = describe(t, "agg")
  local specs = table.pack(...)
  for i = 1, math.max(specs.n, 1) do
    if type(specs[i]) ~= "table" or core.description(specs[i]) then
      raise(string.format("bad argument #%d to 'agg' (a table {name = \"sum(value)\"} expected)", i))
    end
  end
  local cols, group = {}, nil
  for _, k in ipairs(keys or {}) do cols[#cols + 1] = k end
  local aggs = named_exprs("agg", specs, d.columns, registered, d.units)
  for _, a in ipairs(aggs) do cols[#cols + 1] = a end
  if keys then
    local fast = engine.grouped and engine.grouped(d, keys, aggs)
    if fast then
      fast.units = units_of(fast.cols)
      if d.formats then fast.formats = kept_of(fast.cols, d, "formats") end
      if d.periods then fast.periods = kept_of(fast.cols, d, "periods") end
      return make(fast, "agg", d.columns)
    end
    group = {}
    for i, k in ipairs(keys) do group[i] = k.expr end
  end
  return project(d, "agg", {cols = cols, group = group, aggregated = true}, registered)
end

Grouped.agg = core.keep_caller(function(g, ...)  -- as the methods are (define)
  return aggregate(g.table, g.keys, g.registered, ...)
end)

define{name = "agg", call = "{name = \"aggregate expr\"} | ({name = ...}, {name = ...}, ...)",
  doc = "one row for the whole table (after group: a group); its columns in sorted order, or in the order of the tables " ..
        "given; sum, avg, min, max of one column keep its unit",
  sql = true,
  body = function(t, ...)
    return aggregate(t, nil, {}, ...)
  end}

local join_kinds = {inner = "JOIN", left = "LEFT JOIN", right = "RIGHT JOIN", full = "FULL JOIN"}

-- Whether a side of a join reads a virtual table (zb_group's result)
-- through its own SELECT: flattened into the join, SQLite cannot index the
-- virtual table for the match, so it indexes the other side, however many
-- rows it has (a million rows joined to 120 groups: 5.2 s, against 0.6 s
-- with the groups read once into a temporary table and indexed).
local function reads_virtual(d)
  if d.limit then return false end  -- a LIMIT already keeps it whole
  if d.virtual then return true end
  return type(d.from) == "table" and d.from.subquery ~= nil and reads_virtual(d.from.subquery)
end

-- t:join(u, on [, how]): on a column both have, a list of them, or SQL
-- text over l (t) and r (u).  Other columns both have get _x and _y.
-- The distinct text values of key k in d (at most limit of them), as a set.
local function texts_of(d, k, limit)
  local values, col = {}, quote(k)
  local sql = cat("SELECT DISTINCT ", col, " AS v FROM ", dialect.subquery(compile(d)), " WHERE ",
                  dialect.type_in(col, {"text"}), dialect.limit(limit, 0))
  for r in engine.rows(sql_text(sql), sql.params) do values[r.v] = true end
  return values
end

-- The values of set a that set b lacks, as a list.
local function lacking(a, b)
  local out = {}
  for v in pairs(a) do
    if not b[v] then out[#out + 1] = v end
  end
  table.sort(out)
  return out
end

-- A join on key k of names of regions written in two forms (杭州 in one
-- table, 杭州市 in the other) would lose those rows without a word: an
-- error that names them and says how to match them (zb.regions).  Only
-- for a key of which one of the first 200 distinct values names a region,
-- so other joins pay one short query; then every distinct value of both
-- sides (up to 100,000 each) is compared.
local function refuse_region_forms(d, e, k)
  if dialect.typed_columns then  -- a key that is not a text column on one side holds no name there
    for _, side in ipairs{d, e} do
      for i, c in ipairs(side.columns) do
        if c == k and side.types and (side.types[i] or "") ~= "" and dialect.affinity(side.types[i]) ~= "text" then
          return
        end
      end
    end
  end
  local regions = require("zb.analysis.regions")
  local named = false
  for v in pairs(texts_of(d, k, 200)) do named = named or regions.is_name(v) end
  if not named then return end
  local left, right = texts_of(d, k, 100000), texts_of(e, k, 100000)
  local found = regions.same_places(lacking(left, right), lacking(right, left))
  if #found == 0 then return end
  local shown = {}
  for i = 1, math.min(3, #found) do shown[i] = found[i][1] .. " / " .. found[i][2] end
  raise(string.format("join: %s%s name the same region%s but are written differently in the two tables, so their " ..
                      "rows would not match; match the names first, on both tables: mutate{%s = \"region_name(%s)\"} " ..
                      "(zb.regions), or join on region_code(%s)", table.concat(shown, ", "),
                      #found > 3 and string.format(" and %d more", #found - 3) or "", #found > 1 and "s" or "",
                      k, k, k))
end

define{name = "join", call = "(u, on [, how])",
  doc = "the rows of both matched on a column both have, a list of them, or SQL over l and r; how: inner, left, right, full",
  sql = true,
  body = function(t, u, on, how)
    local d, e = describe(t, "join"), describe(u, "join", 1)
    how = how or "inner"
    local kind = join_kinds[how]
    if not kind then raise(string.format("join: unknown kind '%s' (inner, left, right or full)", tostring(how))) end
    local keys, cond = {}, nil
    if type(on) == "string" and (has(d.columns, on) or has(e.columns, on)) then
      keys = {on}
    elseif type(on) == "table" then
      if #on == 0 then
        raise("join: no key columns given (on: a column both tables have, a list of them, or SQL text over l and r)")
      end
      keys = on
    elseif type(on) == "string" then
      cond = expr_or_column("join", on, {})
    else
      raise("bad argument #2 to 'join' (a column, a list of columns or SQL text expected)")
    end
    local is_key, conds = {}, {}
    for i, k in ipairs(keys) do
      need_column("join", k, d.columns)
      need_column("join", k, e.columns)
      is_key[k] = true
      conds[i] = "l." .. quote(k) .. " = r." .. quote(k)
    end
    cond = cond or frag(table.concat(conds, " AND "))
    for _, k in ipairs(keys) do refuse_region_forms(d, e, k) end
    -- each column keeps its unit (a key the unit both sides give it)
    local left, right = d.units or {}, e.units or {}
    local cols = {}
    for _, k in ipairs(keys) do
      local expr = "l." .. quote(k)
      if how == "right" then expr = "r." .. quote(k)
      elseif how == "full" then expr = "coalesce(l." .. quote(k) .. ", r." .. quote(k) .. ")" end
      cols[#cols + 1] = {name = k, expr = frag(expr), unit = left[k] == right[k] and left[k] or nil}
    end
    local both = {}
    for _, c in ipairs(e.columns) do both[c] = has(d.columns, c) end
    for _, c in ipairs(d.columns) do
      if not is_key[c] then
        cols[#cols + 1] = {name = both[c] and c .. "_x" or c, expr = frag("l." .. quote(c)), unit = left[c]}
      end
    end
    for _, c in ipairs(e.columns) do
      if not is_key[c] then
        cols[#cols + 1] = {name = both[c] and c .. "_y" or c, expr = frag("r." .. quote(c)), unit = right[c]}
      end
    end
    local from = cat(dialect.subquery(compile(d), "l", reads_virtual(d)), " ", kind, " ",
                     dialect.subquery(compile(e), "r", reads_virtual(e)), " ON ", cond)
    return make({from = from, cols = cols, alive = {d, e}, units = units_of(cols),
                 sources = compiler.sources(d.sources, e.sources)}, "join")
  end}

-- t:union(u [, "all"]): the rows of both (each once, unless "all"); u's
-- columns are matched to t's by name.
define{name = "union", call = "(u [, \"all\"])",
  doc = "the rows of both, once each unless \"all\"; u's columns matched by name",
  body = function(t, u, all)
    local d, e = describe(t, "union"), describe(u, "union", 1)
    if all ~= nil and all ~= "all" then raise("bad argument #2 to 'union' (\"all\" or nothing expected)") end
    if #d.columns ~= #e.columns then
      raise(string.format("union: the tables' columns differ (%s; %s)", column_list(d.columns), column_list(e.columns)))
    end
    -- Each column holds what a stored column of the first typed arm's type
    -- would: a text '2021' beside INTEGER years is 2021 (else it compared,
    -- sorted and matched apart from them), a number beside TEXT its text.
    local declared = function(desc, c)
      for j, name in ipairs(desc.columns) do if name == c then return desc.types[j] end end
    end
    local left, right = {}, {}
    for i, c in ipairs(d.columns) do
      if not has(e.columns, c) then
        raise(string.format("union: the tables' columns differ (%s; %s)", column_list(d.columns), column_list(e.columns)))
      end
      local dt, et = declared(d, c), declared(e, c)
      local kind = dialect.affinity(dt ~= "" and dt or et)
      local function held(decl)
        local col = quote(c)
        if dialect.affinity(decl) == kind or kind == "blob" then return col end
        return dialect.held_as(col, kind) .. " AS " .. col
      end
      left[i], right[i] = held(dt), held(et)
    end
    local query = cat("SELECT ", table.concat(left, ", "), " FROM ", dialect.subquery(compile(d)), " UNION ",
                      all and "ALL " or "", "SELECT ", table.concat(right, ", "), " FROM ", dialect.subquery(compile(e)))
    -- a unit both give a column stays with it
    local units = false
    for _, c in ipairs(d.columns) do
      local unit = d.units and d.units[c]
      if unit and e.units and e.units[c] == unit then
        units = units or {}
        units[c] = unit
      end
    end
    return make({query = query, alive = {d, e}, untyped = true, units = units,
                 sources = compiler.sources(d.sources, e.sources)}, "union")
  end}

-- An option of kind columns or names as a list (none: empty).
local function list_of(v)
  if type(v) == "string" then return {v} end
  return v or {}
end

local function cell_name(v)
  if v == nil then return "NULL" end
  if math.type(v) == "float" then return string.format("%.15g", v) end
  return tostring(v)
end

-- SQL's aggregates of numbers alone: SQLite sums text as 0 where the
-- server refuses it (min, max and count take text on both).
local of_numbers = {sum = true, avg = true, total = true}

-- Refuses pivot's fn (one of of_numbers) over column values of d unless
-- it holds numbers, the same on both engines: a column declared text (or
-- blob) by its type; on SQLite, whose other columns may hold text too, by
-- its first value that is no number.
local function pivot_numbers(d, values, fn)
  local decl = ""
  for i, c in ipairs(d.columns) do
    if c == values then decl = d.types and d.types[i] or "" end
  end
  local kind = decl ~= "" and dialect.affinity(decl)
  local fix = string.format("give fn = \"max\", \"min\" or \"count\", or make it numbers first: " ..
                            "t:mutate{%s = \"%s\"}", values, dialect.cast(values, "REAL"))
  if kind == "text" or kind == "blob" then
    raise(string.format("pivot: column %s is %s, not numbers, and %s needs numbers: %s", values, decl, fn, fix))
  end
  if dialect.typed_columns then return end
  local found = methods.select(methods.where(core.new_table(d), dialect.not_number(quote(values))), values):first()
  if found then
    raise(string.format("pivot: column %s holds %s, not a number, and %s needs numbers: %s", values,
                        type(found[1]) == "string" and string.format("%q", found[1]) or "a blob", fn, fix))
  end
end

-- t:pivot{rows = ..., cols = ..., values = ..., fn = "sum"}: long to wide;
-- one column for each value of cols (read now), in order.
define{name = "pivot",
  doc = "long to wide: a column for each value of cols; fn sum, avg or total of a column of text is refused on both " ..
        "engines (max, min and count take text)",
  options = {{"rows", "columns", optional = true}, {"cols", "column"}, {"values", "column"},
             {"fn", "function", "\"sum\"", optional = true, what = "an aggregate function (sum, avg, max, ...)"}},
  body = function(t, spec)
    local d = describe(t, "pivot")
    local rows = list_of(spec.rows)
    local fn = spec.fn or "sum"
    if of_numbers[fn:lower()] then pivot_numbers(d, spec.values, fn) end
    local units = d.units or {}
    local unit = aggregate_unit(fn, spec.values, units)  -- each new column's, as agg's sum(values) would have
    local cols = {}
    for _, r in ipairs(rows) do cols[#cols + 1] = {name = r, expr = frag(quote(r)), unit = units[r]} end
    local found, named = core.new_table(d), {}
    for _, c in ipairs(cols) do named[c.name] = "a rows column" end
    for r in methods.distinct(methods.select(found, spec.cols)):order(spec.cols):rows() do
      local v = r[1]
      local name = cell_name(v)
      if name == "" then  -- (a column no SQL can name; PostgreSQL's quotes refuse it)
        raise(string.format("pivot: column %s holds the empty text '', which cannot name a column: make it another " ..
                            "value first (mutate, or where to leave its rows out)", spec.cols))
      end
      if named[name] then
        raise(string.format("pivot: two columns would be named %s (%s, and the value %s of %s)", name, named[name],
                           type(v) == "string" and string.format("%q", v) or tostring(v), spec.cols))
      end
      named[name] = "the value " .. (type(v) == "string" and string.format("%q", v) or tostring(v))
      cols[#cols + 1] = {name = name, unit = unit,
        expr = frag(fn .. "(CASE WHEN " .. dialect.same(quote(spec.cols), "\0") .. " THEN " .. quote(spec.values) .. " END)", v)}
    end
    if #cols == #rows then raise(string.format("pivot: column %s has no values to make columns of", spec.cols)) end
    local group = {}
    for i, r in ipairs(rows) do group[i] = frag(quote(r)) end
    return project(d, "pivot", {cols = cols, group = #group > 0 and group or nil})
  end}

-- t:melt{id = ..., cols = ..., name = "name", value = "value"}: wide to long.
-- cols: a list, or a Lua pattern the column names match, whose captures
-- (if any) become the names: one name column a capture (name = {"year",
-- "quarter"} for two).  A name column is integers when every one of its
-- names is an integer written plainly (2023, not 0571, 1e3 or 0x10), else
-- text; either way it is declared so, and compares as a stored column does.
local function plain_integer(text)
  local n = math.tointeger(tonumber(text))
  return n and string.format("%d", n) == text and n or nil
end

define{name = "melt", doc = "wide to long: cols a list or a Lua pattern; integers melted with reals give reals",
  options = {{"id", "columns", optional = true}, {"cols", "pattern_or_columns", optional = true},
             {"name", "names", "\"name\"", optional = true}, {"value", "name", "\"value\"", optional = true},
             {"drop_null", "boolean", optional = true}},
  body = function(t, spec)
    local d = describe(t, "melt")
    local ids = list_of(spec.id)
    local is_id = {}
    for _, c in ipairs(ids) do is_id[c] = true end
    local names = list_of(spec.name or "name")
    local melted = {}
    if type(spec.cols) == "string" then
      for _, c in ipairs(d.columns) do
        local ok, found = pcall(function() return table.pack(c:find(spec.cols)) end)
        if not ok then raise("melt: bad pattern in cols: " .. errors.plain(found)) end
        if found[1] and not is_id[c] then
          local captures = found.n > 2 and {table.unpack(found, 3, found.n)} or {c}  -- or the whole name
          if #captures ~= #names then
            raise(string.format("melt: the pattern %s gives %d capture%s for column %s, and name gives %d name%s " ..
                               "(name = {...} with one name a capture)", spec.cols, #captures,
                               #captures == 1 and "" or "s", c, #names, #names == 1 and "" or "s"))
          end
          melted[#melted + 1] = {col = c, labels = captures}
        end
      end
    else
      if #names ~= 1 then raise("melt: several names need cols to be a pattern with as many captures") end
      for _, c in ipairs(spec.cols or d.columns) do
        if not is_id[c] then melted[#melted + 1] = {col = c, labels = {c}} end
      end
    end
    if #melted == 0 then raise("melt: no columns to melt") end
    local integral = {}  -- each name column: integers, or text
    for j = 1, #names do
      integral[j] = true
      for _, m in ipairs(melted) do integral[j] = integral[j] and plain_integer(m.labels[j]) ~= nil end
    end
    local value = spec.value or "value"
    -- columns of integers melted with columns of reals give reals: a year
    -- whose figures were all whole must not divide as integers beside the others
    local affinity, kinds = {}, {}
    for i, c in ipairs(d.columns) do affinity[c] = dialect.affinity(d.types[i] or "") end
    for _, m in ipairs(melted) do kinds[affinity[m.col]] = true end
    local as_reals = kinds.real and (kinds.integer or kinds.numeric)
    if dialect.typed_columns and (kinds.text or kinds.blob) and (kinds.real or kinds.integer or kinds.numeric) then
      local shown = {}
      for _, m in ipairs(melted) do shown[#shown + 1] = m.col .. " (" .. affinity[m.col] .. ")" end
      raise("melt: columns of numbers and of text melt into one value column, which holds one type on PostgreSQL: " ..
            table.concat(shown, ", ") .. "; melt each kind alone, or cast them to one first")
    end
    local cols, rows_sql, labels, cases = {}, {}, {}, {}
    for _, c in ipairs(ids) do cols[#cols + 1] = "s." .. quote(c) .. " AS " .. quote(c) end
    for i, m in ipairs(melted) do
      rows_sql[i] = "(" .. string.rep("\0, ", #names) .. i .. ")"
      for j = 1, #names do labels[#labels + 1] = integral[j] and plain_integer(m.labels[j]) or m.labels[j] end
      local arm = "s." .. quote(m.col)
      if as_reals and affinity[m.col] ~= "real" then arm = dialect.real_of(arm) end
      cases[i] = "WHEN " .. i .. " THEN " .. arm
    end
    for j, name in ipairs(names) do
      -- (the dialect's INTEGER: a bigint on PostgreSQL, whose INTEGER is 32-bit)
      cols[#cols + 1] = dialect.cast("k.column" .. j, integral[j] and "INTEGER" or "TEXT") .. " AS " .. quote(name)
    end
    cols[#cols + 1] = "CASE k.column" .. (#names + 1) .. " " .. table.concat(cases, " ") .. " END AS " .. quote(value)
    -- a sorted d's rows numbered, each row's values in cols' order (a join's own order lost d's)
    local numbered = compiler.numbered_rows(d, dialect)
    local query = cat("SELECT " .. table.concat(cols, ", ") .. " FROM ", dialect.subquery(numbered or compile(d), "s"),
                      " CROSS JOIN ",
                      frag("(VALUES " .. table.concat(rows_sql, ", ") .. ") AS k", table.unpack(labels, 1, #labels)),
                      numbered and " ORDER BY s." .. quote(compiler.ROW_NUMBER) .. ", k.column" .. (#names + 1) or "")
    -- the ids keep their units; the value column has the melted columns' one
    local units, unit = false, d.units and d.units[melted[1].col]
    for _, m in ipairs(melted) do
      if not (d.units and d.units[m.col] == unit) then unit = nil end
    end
    for _, c in ipairs(ids) do
      if d.units and d.units[c] then units = units or {}; units[c] = d.units[c] end
    end
    if unit then units = units or {}; units[value] = unit end
    -- a name column of text whose names are periods of one frequency (2024年第一季度 ...) is
    -- one of periods: it sorts as time does
    local periods = false
    for j, name in ipairs(names) do
      local frequency
      for _, m in ipairs(integral[j] and {} or melted) do
        local found = core.period_read(m.labels[j])
        if not found or (frequency and found ~= frequency) then frequency = false break end
        frequency = found
      end
      if frequency then periods = periods or {}; periods[name] = frequency end
    end
    local result = make({query = query, alive = {d}, units = units, periods = periods, sources = d.sources}, "melt",
                        d.columns)
    if spec.drop_null then result = methods.where(result, quote(value) .. " IS NOT NULL") end
    return result
  end}

---------------------------------------------------------------------------
-- Reading

local function query_of(t, who)
  local d = describe(t, who)
  return sql_text(d.compiled), d.compiled.params, d
end
-- for code that reads a table's rows its own way (read_columns, export_rows):
-- its SQL, its parameters (params[1..params.n]) and its description
M.query_of = query_of

define{name = "rows", call = "()",
  doc = "an iterator over the rows, each a zb.Row",
  body = function(t)
    local sql, params, d = query_of(t, "rows")
    return engine.rows(sql, params, d)
  end}

define{name = "sql", call = "()",
  doc = "the SQL and its parameters",
  body = function(t)
    local sql, params = query_of(t, "sql")
    local values = {}
    for i = 1, params.n do values[i] = params[i] end
    return sql, params.n > 0 and values or nil
  end}

-- fn() reading d's rows through SQL around d's own; an error is raised at
-- the user's line and names d's SQL, not the query around it.
local function reading(d, fn)
  local results = table.pack(pcall(fn))
  if results[1] then return table.unpack(results, 2, results.n) end
  local problem = results[2]
  if not errors.is_plain(problem) then error(problem, 0) end
  if errors.is_error(problem) and problem.sql then problem.sql = sql_text(d.compiled) end
  raise(errors.plain(problem))
end

-- The rows of a query over d's: changes to a description reading them.
local function read_over(d, changes)
  local over = compiler.over(d)
  for k, v in pairs(changes) do over[k] = v end
  local f = compile(over)
  return engine.rows(sql_text(f), f.params, d)
end

define{name = "count", call = "()",
  doc = "the number of rows (#t)",
  body = function(t)
    local d = describe(t, "count")
    return reading(d, function()
      local over = {cols = {{name = "n", expr = frag("count(*)")}}, aggregated = true}
      for r in read_over(d, over) do return r[1] end  -- luacheck: ignore 512
    end)
  end}

define{name = "col", call = "(name)",
  doc = "a column as a Lua array (with n)",
  sql = true,
  body = function(t, name)
    local d = describe(t, "col")
    if math.type(name) == "integer" and d.columns[name] then name = d.columns[name] end  -- by position
    need_column("col", name, d.columns)
    return reading(d, function()
      local out, n = {}, 0
      for r in read_over(d, {cols = {{name = name, expr = frag(quote(name))}}}) do
        n = n + 1
        out[n] = r[1]
      end
      out.n = n
      return out
    end)
  end}

define{name = "value", call = "()",
  doc = "the one value of a 1×1 result",
  body = function(t)
    local d = describe(t, "value")
    local n, v = reading(d, function()
      local seen, last = 0, nil
      for r in read_over(d, {limit = 2}) do
        seen = seen + 1
        last = r[1]
      end
      return seen, last
    end)
    if n ~= 1 or #d.columns ~= 1 then
      raise(string.format("value: expected 1 row and 1 column, got %s%d row(s) and %d column(s)",
                          n == 2 and "at least " or "", n, #d.columns))
    end
    return v
  end}

-- Row i, read by stepping over the rows before it: a subquery with LIMIT
-- would rename columns that repeat (a join's two ids).
local function nth(t, i)
  return guarded(function()
    local seen = 0
    for r in methods.rows(t) do
      seen = seen + 1
      if seen == i then return r end
    end
  end)
end

define{name = "first", call = "()",
  doc = "the first row, or nil",
  body = function(t)
    return (nth(t, 1))  -- nil, not nothing, when there are no rows
  end}

define{name = "to_lua", call = "()",
  doc = "an array of plain tables",
  body = function(t)
    describe(t, "to_lua")
    return guarded(function()
      local out = {}
      for r in methods.rows(t) do
        local plain_row = {}
        for k, v in pairs(r) do
          if plain_row[k] == nil then plain_row[k] = v end
        end
        out[#out + 1] = plain_row
      end
      return out
    end)
  end}

define{name = "explain", call = "()",
  doc = "SQLite's plan for the query",
  body = function(t)
    local sql, params = query_of(t, "explain")
    return guarded(function()
      return engine.plan(sql, params, core.description(t))
    end)
  end}

-- t:save(name [, {replace = true}]): the rows into a table of the session
-- database; returns it.  Columns the query gives no type get their
-- values' (engine.declare_types).
-- The table save fills before it takes name: "name (saving)", or where the
-- engine keeps shorter names (a server's 63 bytes) one made of name's
-- fingerprint (its first 64 bits).
local function staging_name(name)
  local saving = name .. " (saving)"
  if not dialect.max_name or #saving <= dialect.max_name then return saving end
  return "zb_saving_" .. core.fingerprint_text(name):match(":(%x+)$"):sub(1, 16)
end

define{name = "save", call = "(name [, {replace = true}])",
  doc = "the rows stored as a table of the session database",
  body = function(t, name, opts)
    local sql, params = query_of(t, "save")
    if type(name) ~= "string" or name == "" then raise("bad argument #1 to 'save' (a table name expected)") end
    opts = require("zb.host.options").check("save", opts, {replace = "boolean"})
    local exists = engine.has_table(name, "main")
    if exists and not opts.replace then
      raise(string.format("save: table %s exists (save(name, {replace = true}) replaces it)", name))
    end
    local meta = catalog.meta(core.description(t))
    local known = meta.columns  -- what t's columns carry over, and the tables they came from
    local units = core.description(t).units or {}
    for column, unit in pairs(units) do
      known[column] = known[column] or {}
      known[column].unit = unit
    end
    local sources = meta.sources or (meta.table and {meta}) or nil
    for _, source in ipairs(sources or {}) do source.columns = nil end
    local about = {saved = os.date("!%Y-%m-%dT%H:%M:%SZ"), sources = sources}
    local ok, problem = pcall(engine.atomic, function()
      -- into a new table first: the rows may come from the table replaced
      local saving = staging_name(name)
      local staging = quote(saving)
      engine.exec("drop table if exists " .. staging)
      engine.exec_compiled("create table " .. staging .. " as " .. sql, params)
      engine.declare_types(saving)
      if exists then engine.exec("drop table " .. quote(name)) end
      engine.exec("alter table " .. staging .. " rename to " .. quote(name))
      catalog.record(name, known, about)
    end)
    if not ok then
      if not errors.is_error(problem) then error(problem, 0) end
      problem.message = "save: " .. problem.message
      raise(problem)
    end
    return M.open(name)
  end}

-- t:to_csv([path]), t:to_json([path]), t:to_markdown([path]), t:to_tsv([path]):
-- the text, or with a path the file written atomically (returns the path).
-- opts (zb.present.export_options[mode]): bom, encoding, formatted, and a
-- markdown table's caption, notes and figure (a chart's file shown above it).
for _, mode in ipairs({"csv", "json", "markdown", "tsv"}) do
  local allowed = require("zb.present.export_options")[mode]
  define{name = "to_" .. mode, call = "([path] [, {" .. require("zb.host.options").names(allowed):gsub(", ", " =, ") .. " =}])",
    doc = (mode == "markdown" and "a markdown table" or mode:upper() .. " text") .. ", or the file written" ..
          (mode == "json" and " (an infinite real is refused, naming its row and column: JSON has no number for it)" or ""),
    body = function(t, path, opts)
      local who = "to_" .. mode
      describe(t, who)
      if type(path) == "table" and opts == nil then path, opts = nil, path end
      if path ~= nil and type(path) ~= "string" then raise("bad argument #1 to '" .. who .. "' (a file name expected)") end
      opts = require("zb.host.options").check(who, opts, allowed)
      local result = zb.render.export(t, mode, path and zb.names.expand_home(path), opts)
      return result  -- not a tail call: export's errors point at the caller's line
    end}
end

---------------------------------------------------------------------------
-- Metamethods

local meta = core.table_meta

function meta.__index(t, k)
  local m = rawget(methods, k)
  if m then return m end
  if k == "name" then return core.description(t).source end
  if k == "meta" then return catalog.meta(core.description(t)) end
  if k == "units" then  -- column -> unit, from metrics with opts.unit
    local out = {}
    for name, unit in pairs(core.description(t).units or {}) do out[name] = unit end
    return out
  end
  if k == "formats" then  -- column -> display format, from t:format
    local out = {}
    for name, f in pairs(core.description(t).formats or {}) do out[name] = f end
    return out
  end
  if k == "columns" then
    local out = {}
    for i, c in ipairs(core.description(t).columns) do out[i] = c end
    return out
  end
  if math.type(k) == "integer" then
    if k < 1 then return nil end
    return nth(t, k)
  end
  m = methods[k]  -- a method of a module not loaded yet
  if m then return m end
  raise(string.format("zb.Table has no method or field '%s'", tostring(k)))
end

function meta.__newindex()
  raise("a zb.Table cannot be changed; its methods return new tables")
end

meta.__len = methods.count
meta.__methods = methods  -- what completion offers after t:

function meta.__tostring(t)
  return zb.render(t)
end

local row_meta = core.row_meta

function row_meta.__tostring(r)
  local parts = {}
  for k, v in pairs(r) do
    parts[#parts + 1] = k .. " = " .. (type(v) == "string" and string.format("%q", v) or tostring(v))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- zb.table(...) and zb.tables() through C: a tail call keeps the user's line
setmetatable(M, {__call = core.keep_caller(function(_, name, schema) return M.open(name, schema) end)})
package.loaded["zb.relation.table"] = M

-- The modules that define the rest of the methods, loaded when one of their
-- names is first asked for or every method is listed: a script that only
-- filters and exports does not hold composite indices and charts in memory.
method_modules = {
  "zb.analysis.indicators",  -- share, yoy, index, rank, ...: the analysis library's methods
  "zb.analysis.frequencies",  -- resample, from_ytd, to_ytd
  "zb.analysis.releases",  -- revisions
  "zb.analysis.composite",  -- normalise, weights, aggregate, composite
  "zb.present.chart",  -- bar, plot
  "zb.present.xlsx",  -- to_xlsx
}
function M.load_methods()
  local list = method_modules
  if not list then return end
  method_modules = nil  -- their defines do not load them again
  -- a module that failed (out of memory) is asked for again next time
  local ok, problem = pcall(function() for _, name in ipairs(list) do require(name) end end)
  if not ok then
    method_modules = list
    error(problem, 0)
  end
end
local on_demand = {
  __index = function(entries, k)
    if method_modules then
      M.load_methods()
      return entries[k]
    end
  end,
  __pairs = function(entries)
    M.load_methods()
    return next, entries, nil
  end,
}
for _, entries in ipairs{methods, M.registry, M.docs} do setmetatable(entries, on_demand) end
return M
