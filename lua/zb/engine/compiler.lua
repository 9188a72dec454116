-- zb.engine.compiler: a table's intermediate form (its description) and the
-- SQL made from it.  Pure Lua: no engine, no database (tests/unit/
-- compiler.lua runs it under a plain lua5.4).
--
-- A description is one SELECT in clauses:
--
--   from      {table = name [, schema =]} | {subquery = description} | fragment (a join)
--   where     {fragment, ...}            conditions that all hold
--   group     {fragment, ...}
--   cols      {{name =, expr = fragment [, unit =]}, ...}   (none: every column)
--   distinct  true
--   order     {fragment, ...}
--   limit, offset
--   query     fragment: a whole query (a union, a melt, SQL text): read as a subquery
--
-- SQL is held in fragments: text where each bound value stands as a NUL
-- byte, and the values in the same order, so parts join in any order and
-- every value stays a bound parameter.  A dialect (zb.engine.dialect.*) turns
-- a description into SQL text: placeholders, quoting, subqueries.
--
-- Methods add clauses with add(), the one place that decides whether they
-- join the description's own SELECT or a SELECT over it.
-- (its frames zb's own: a dialect's refusal of a name names the user's line)
require("zb.host.errors").own()
local M = {}

---------------------------------------------------------------------------
-- Fragments

function M.frag(sql, ...)
  return {sql = sql, params = table.pack(...)}
end

-- Strings and fragments joined into one fragment.
function M.cat(...)
  local sql, params, n = {}, {n = 0}, 0
  for i = 1, select("#", ...) do
    local part = select(i, ...)
    if type(part) == "string" then
      sql[#sql + 1] = part
    else
      sql[#sql + 1] = part.sql
      for j = 1, part.params.n do params[n + j] = part.params[j] end
      n = n + part.params.n
    end
  end
  params.n = n
  return {sql = table.concat(sql), params = params}
end

-- A list of fragments (or strings) joined with sep.
function M.list(fragments, sep)
  local parts = {}
  for i, f in ipairs(fragments) do
    if i > 1 then parts[#parts + 1] = sep end
    parts[#parts + 1] = f
  end
  return M.cat(table.unpack(parts))
end

---------------------------------------------------------------------------
-- User SQL text

-- What SQL text skips over when looking for parameters: string literals,
-- quoted identifiers.
local skips = {["'"] = "'", ['"'] = '"', ["`"] = "`", ["["] = "]"}

-- The dollar quote ($$ or $tag$) opening at text's position at, if one does.
local function dollar_quote_at(text, at)
  return text:match("^%$%$", at) or text:match("^%$[%a_][%w_]*%$", at)
end

-- User SQL text with its parameters (?, ?N, :name, @name, $name) bound to
-- args (n of them; a single table argument binds names and positions):
-- a fragment, or nil and what is wrong (who: the method, for the message).
-- A cast (x::int) names no parameter; in a dialect with dollar quotes
-- (PostgreSQL's $$text$$, $tag$text$tag$) what they quote is text.
-- is_table(v) tells a zb.Table, which is never a table of values.
function M.bind(who, text, args, is_table, dialect)
  if type(text) ~= "string" then return nil, string.format("%s: SQL text expected, got %s", who, type(text)) end
  if text:find("\0", 1, true) then return nil, who .. ": SQL text holds a NUL byte" end
  local named = args.n == 1 and type(args[1]) == "table" and not (is_table and is_table(args[1]))
  local out, params, pos, largest, used = {}, {n = 0}, 1, 0, 0
  local problem
  local function value(v)
    local kind = type(v)
    if not (kind == "nil" or kind == "boolean" or kind == "number" or kind == "string") then
      problem = problem or string.format("%s: cannot bind a %s to SQL (parameter %d)", who, kind, params.n + 1)
    end
    params.n = params.n + 1
    params[params.n] = v
    return "\0"
  end
  while not problem do
    local at = text:find("[?:@$'\"`%[%-/]", pos)
    if not at then break end
    local c = text:sub(at, at)
    out[#out + 1] = text:sub(pos, at - 1)
    local stop = at
    if skips[c] then
      local close = text:find(skips[c], at + 1, true)
      stop = close or #text
      out[#out + 1] = text:sub(at, stop)
    elseif c == "-" and text:sub(at + 1, at + 1) == "-" then
      stop = text:find("\n", at, true) or #text
      out[#out + 1] = text:sub(at, stop)
    elseif c == "/" and text:sub(at + 1, at + 1) == "*" then
      local _, close = text:find("*/", at + 2, true)
      stop = close or #text
      out[#out + 1] = text:sub(at, stop)
    elseif c == "$" and dialect and dialect.dollar_quotes and dollar_quote_at(text, at) then
      local opening = dollar_quote_at(text, at)
      local _, close = text:find(opening, at + #opening, true)
      stop = close or #text
      out[#out + 1] = text:sub(at, stop)
    elseif c == ":" and text:sub(at + 1, at + 1) == ":" then  -- a cast (PostgreSQL's x::int), no name
      stop = at + 1
      out[#out + 1] = "::"
    elseif c == "?" then
      local digits = text:match("^%d+", at + 1)
      local index
      if digits then  -- as SQLite numbers them: a bare ? is one past the largest so far
        index, stop = tonumber(digits), at + #digits
      else
        index = largest + 1
      end
      largest = math.max(largest, index)
      if named then
        out[#out + 1] = value(args[1][index])
      elseif index > args.n then
        problem = string.format("%s: the SQL uses parameter %d but %d given", who, index, args.n)
      else
        used = math.max(used, index)
        out[#out + 1] = value(args[index])
      end
    elseif c ~= "-" and c ~= "/" and text:match("^[%a_]", at + 1) then
      local name = text:match("^[%w_]+", at + 1)
      if not named then
        problem = string.format("%s: the SQL names parameter %s%s; pass a table of values", who, c, name)
      end
      stop = at + #name
      out[#out + 1] = value(named and args[1][name])
    else
      out[#out + 1] = c
    end
    pos = stop + 1
  end
  if problem then return nil, problem end
  out[#out + 1] = text:sub(pos)
  if text:find("--", 1, true) then out[#out + 1] = "\n" end  -- a comment ends before what follows
  if not named and used < args.n then
    return nil, string.format("%s: %d parameter(s) given but the SQL uses %d", who, args.n, used)
  end
  return {sql = table.concat(out), params = params}
end

-- The words of SQL text, lower-cased, and its parentheses, in order, past
-- comments, string literals, quoted names and dollar quotes.
local function words(text)
  local out, pos = {}, 1
  while pos <= #text do
    local c, two = text:sub(pos, pos), text:sub(pos, pos + 1)
    if two == "--" then
      pos = (text:find("\n", pos, true) or #text) + 1
    elseif two == "/*" then
      pos = (select(2, text:find("*/", pos + 2, true)) or #text) + 1
    elseif skips[c] then
      pos = (text:find(skips[c], pos + 1, true) or #text) + 1
    elseif c == "$" and dollar_quote_at(text, pos) then
      local opening = dollar_quote_at(text, pos)
      pos = (select(2, text:find(opening, pos + #opening, true)) or #text) + 1
    elseif c == "(" or c == ")" then
      out[#out + 1], pos = c, pos + 1
    elseif c:match("[%a_]") then
      local word = text:match("^[%w_$]+", pos)
      out[#out + 1], pos = word:lower(), pos + #word
    else
      pos = pos + 1
    end
  end
  return out
end

local writing = {insert = true, update = true, delete = true, merge = true}
local statements = {select = true, values = true, table = true, insert = true, update = true, delete = true,
                    merge = true}

-- What SQL text is: its first word, past comments and parentheses
-- ("select", "with", "insert" ...; "" for none), and whether it changes
-- data: a statement of INSERT, UPDATE, DELETE or MERGE, or a WITH one
-- whose main statement or a part of which is one (PostgreSQL's), which a
-- query read as a table would run again at each read.
function M.statement(text)
  local list = words(text)
  local first
  for _, w in ipairs(list) do
    if w ~= "(" then first = w break end
  end
  first = first or ""
  if first ~= "with" then return first, writing[first] == true end
  local depth, opened = 0, false
  for _, w in ipairs(list) do
    if w == "(" then
      depth, opened = depth + 1, true
    elseif w == ")" then
      depth, opened = depth - 1, false
    else
      if opened and writing[w] then return first, true end  -- a part's own statement
      if depth == 0 and statements[w] then return first, writing[w] == true end  -- the main statement
      opened = false
    end
  end
  return first, false
end

---------------------------------------------------------------------------
-- Clauses

-- Where each clause applies in a SELECT.  A clause joins a description
-- whose clauses all apply before it; otherwise it applies to the rows of
-- the description as a subquery.  Besides, some join what they commute
-- with: a condition joins conditions (AND) and a sort (filtering sorted
-- rows sorts filtered ones); DISTINCT keeps a sort at its level; a sort
-- replaces a sort.  A sort over the input's columns (an expression of
-- them, not a result column's name) sees them where select does.
local stage = {where = 1, group = 2, cols = 2, distinct = 3, order = 4, limit = 5}
local kinds = {"where", "group", "cols", "distinct", "order", "limit"}
local commutes = {where = {where = true, order = true}, distinct = {distinct = true, order = true},
                  order = {order = true}}

-- Whether clauses (a table with some of where, group, cols, distinct,
-- order, limit) join d's own SELECT; input: the order reads the input's
-- columns.
function M.joins(d, clauses, input)
  if d.query then return false end
  local first, commuting = math.huge, nil
  for _, k in ipairs(kinds) do
    if clauses[k] ~= nil and stage[k] < first then
      first = (k == "order" and input) and stage.cols or stage[k]
      commuting = commutes[k]
    end
  end
  for _, k in ipairs(kinds) do
    local present = d[k] ~= nil and not (k == "where" and #d[k] == 0)
    if present and stage[k] >= first and not (commuting and commuting[k]) then return false end
  end
  return true
end

-- A new description: d with changes (clauses, and fields of the table's
-- own: units, formats, periods (a computed column of periods: name ->
-- frequency), alive ...), at d's level when they join it (conditions
-- added to d's), else over d as a subquery.  alive holds what the new
-- one needs kept alive: d (and changes.alive: Lua functions it calls).
function M.add(d, changes, input)
  local new
  if M.joins(d, changes, input) then
    new = {}
    for k, v in pairs(d) do new[k] = v end
    new.columns, new.types, new.origins, new.compiled = nil, nil, nil, nil
    if changes.where and d.where then
      local conds = {table.unpack(d.where)}
      for _, w in ipairs(changes.where) do conds[#conds + 1] = w end
      changes.where = conds
    end
  else
    new = {from = {subquery = d}, units = d.units, formats = d.formats, periods = d.periods, sources = d.sources}
  end
  for k, v in pairs(changes) do new[k] = v end
  new.alive = {d, changes.alive}
  return new
end

-- The tables descriptions read from (sources: {name, schema} each), once each.
function M.sources(...)
  local out, seen = {}, {}
  for i = 1, select("#", ...) do
    for _, s in ipairs(select(i, ...) or {}) do
      local key = s[2] .. "\0" .. s[1]
      if not seen[key] then out[#out + 1], seen[key] = s, true end
    end
  end
  return #out > 0 and out or nil
end

-- A description reading d's rows, for a method that builds on them alone.
function M.over(d)
  return {from = {subquery = d}, alive = {d}, units = d.units, formats = d.formats, periods = d.periods,
          sources = d.sources}
end

---------------------------------------------------------------------------
-- SQL

-- The column that numbers a sorted subquery's rows in their order, for a
-- dialect whose subqueries keep no order.
M.ROW_NUMBER = "zb_row_number"

-- What d's rows are sorted by in dialect: its ORDER BY, or the row
-- numbers of its subquery (M.sorts_for), or nil.
-- (A distinct one's groups: by each group's first row number.)
function M.sort_of(d, dialect)
  if d.order then return d.order end
  if not M.sorts_for(d, dialect) then return nil end
  local number = dialect.quote(M.ROW_NUMBER)
  return {M.frag(d.distinct and "min(" .. number .. ")" or number)}
end

-- Whether fragment expr holds a window function (rank() OVER ...).
local function holds_window(expr)
  return (" " .. expr.sql:upper()):find("[^%w_]OVER%s*%(") ~= nil
end

-- Whether one of d's columns is a window function's.
function M.windowed(d)
  for _, c in ipairs(d.cols or {}) do
    if holds_window(c.expr) then return true end
  end
  return false
end

local rows_sorted

-- Whether d must sort by its subquery's row numbers to keep the rows in
-- the subquery's order: the dialect does not keep it, the subquery is
-- sorted (with no LIMIT, whose rows the sort chose inside), and d names
-- its columns (so the number stays hidden) without sorting, grouping or
-- aggregating (its one row has no order).
-- (DISTINCT too where the dialect keeps the order: SQLite's DISTINCT of
-- sorted rows gives them in an order of its own: a distinct d is grouped
-- instead, each group sorted where its first row was, as pandas'
-- drop_duplicates keeps them; DISTINCT sorts by no column it hides.
-- A window too, over rows sorted there or below: SQLite gives a window's
-- rows in its partitions' order.)
function M.sorts_for(d, dialect)
  local inner = d.from.subquery
  if inner == nil or inner.limit or inner.query or d.cols == nil or d.order or d.group or d.aggregated then
    return false
  end
  if not dialect.subquery_keeps_order or d.distinct then return M.sort_of(inner, dialect) ~= nil end
  return M.windowed(d) and rows_sorted(inner, dialect)
end

-- Whether d's rows come sorted: by its ORDER BY, its subquery's row
-- numbers, or, where the dialect keeps a subquery's order, a sort below
-- the projections and filters over it.
function rows_sorted(d, dialect)
  if d.query then return false end
  if d.order or M.sorts_for(d, dialect) then return true end
  if not dialect.subquery_keeps_order or d.group or d.aggregated or d.distinct or M.windowed(d) then
    return false
  end
  local inner = d.from.subquery
  return inner ~= nil and rows_sorted(inner, dialect)
end

-- A SELECT (a fragment) of d's rows with the column M.ROW_NUMBER numbering
-- them in their order, for a query that joins them to others and sorts by
-- it; nil when d's rows come in no order of their own.  (A join gives its
-- rows in an order of its own: SQLite leaves out a joined subquery's
-- ORDER BY.)  Where the dialect keeps no subquery's order, d's rows are
-- read as they come.
function M.numbered_rows(d, dialect)
  if not dialect.subquery_keeps_order or not rows_sorted(d, dialect) then return nil end
  return M.cat("SELECT *, row_number() OVER () AS " .. dialect.quote(M.ROW_NUMBER) .. " FROM ",
               dialect.subquery(M.compile(d, dialect)))
end

-- The end of the quoted name that text begins with, or nil.
local function quoted_end(text)
  if text:sub(1, 1) ~= '"' then return nil end
  local i = 2
  while i <= #text do
    if text:sub(i, i) == '"' then
      if text:sub(i + 1, i + 1) ~= '"' then return i end
      i = i + 1
    end
    i = i + 1
  end
end

-- d's sort as its row numbers' window sorts: a term that is one of d's
-- result columns by name (and a direction) is that column's expression, as
-- ORDER BY reads the name; a window reads names in d's input, where "value"
-- is the table's and not mutate's -value, and a new column's is none.
local function window_order(d, dialect)
  local exprs = {}
  for _, c in ipairs(d.cols or {}) do exprs[dialect.quote(c.name)] = c.expr end
  local terms = {}
  for i, term in ipairs(M.sort_of(d, dialect)) do
    local stop = quoted_end(term.sql)
    local name, direction = stop and term.sql:sub(1, stop), stop and term.sql:sub(stop + 1)
    if name and exprs[name] and direction:match("^%s*%a*$") then term = M.cat("(", exprs[name], ")", direction) end
    terms[i] = term
  end
  return terms
end

-- Whether d sorts by one of its result columns made by a window function
-- (rank's, share's, a mutate's row_number() OVER ...): a window may not
-- hold another, so that column cannot stand in its row numbers' window.
local function sorts_by_window(d, dialect)
  local windowed = {}
  for _, c in ipairs(d.cols or {}) do
    if holds_window(c.expr) then windowed[dialect.quote(c.name)] = true end
  end
  for _, term in ipairs(M.sort_of(d, dialect)) do
    local stop = quoted_end(term.sql)
    if stop and windowed[term.sql:sub(1, stop)] then return true end
  end
  return false
end

-- d with its sort made a column (M.ROW_NUMBER) of row numbers in that order;
-- when it sorts by a window's column, a SELECT over d's rows numbers them
-- by its result columns' names.
local function numbered(d, dialect)
  local new = {}
  for k, v in pairs(d) do new[k] = v end
  new.compiled = nil
  if not sorts_by_window(d, dialect) then
    new.order, new.numbered = nil, window_order(d, dialect)
    return new
  end
  local cols = {}
  for i, c in ipairs(d.cols) do cols[i] = {name = c.name, expr = M.frag(dialect.quote(c.name))} end
  new.order = nil
  return {from = {subquery = new}, cols = cols, numbered = M.sort_of(d, dialect), alive = {new}}
end

-- The SELECT of description d in dialect, as a fragment.
function M.compile(d, dialect)
  if d.compiled then return d.compiled end
  if d.query then return d.query end
  local cat, list = M.cat, M.list
  local parts = {"SELECT "}
  local sorts = M.sorts_for(d, dialect)  -- by its subquery's row numbers
  local first_seen = sorts and d.distinct
  if d.distinct and not first_seen then parts[#parts + 1] = "DISTINCT " end
  if d.cols then
    local cols = {}
    for i, c in ipairs(d.cols) do cols[i] = cat(c.expr, " AS ", dialect.quote(c.name)) end
    parts[#parts + 1] = list(cols, ", ")
  else
    parts[#parts + 1] = "*"
  end
  if d.numbered then
    parts[#parts + 1] = cat(", row_number() OVER (ORDER BY ", list(d.numbered, ", "), ") AS " .. dialect.quote(M.ROW_NUMBER))
  end
  parts[#parts + 1] = " FROM "
  local from = d.from
  if from.table then
    parts[#parts + 1] = (from.schema and dialect.quote(from.schema) .. "." or "") .. dialect.quote(from.table)
  elseif from.subquery then
    local inner = from.subquery
    if sorts and not M.sort_of(inner, dialect) then  -- sorted below its projections: numbered as they come
      parts[#parts + 1] = dialect.subquery(M.numbered_rows(inner, dialect))
    else
      if sorts then inner = numbered(inner, dialect) end
      parts[#parts + 1] = dialect.subquery(M.compile(inner, dialect))
    end
  else
    parts[#parts + 1] = from
  end
  if d.where and #d.where > 0 then
    local conds = {}
    for i, w in ipairs(d.where) do conds[i] = cat("(", w, ")") end
    parts[#parts + 1] = " WHERE "
    parts[#parts + 1] = list(conds, " AND ")
  end
  if d.group then
    parts[#parts + 1] = " GROUP BY "
    parts[#parts + 1] = list(d.group, ", ")
  end
  if first_seen then
    local exprs = {}
    for i, c in ipairs(d.cols) do exprs[i] = c.expr end
    parts[#parts + 1] = " GROUP BY "
    parts[#parts + 1] = list(exprs, ", ")
    parts[#parts + 1] = " ORDER BY min(" .. dialect.quote(M.ROW_NUMBER) .. ")"
  elseif d.order then
    parts[#parts + 1] = " ORDER BY "
    parts[#parts + 1] = list(d.order, ", ")
  elseif not d.numbered and sorts then  -- numbered: its sort is a column
    parts[#parts + 1] = " ORDER BY " .. dialect.quote(M.ROW_NUMBER)
  end
  if d.limit then parts[#parts + 1] = dialect.limit(d.limit, d.offset or 0) end
  return cat(table.unpack(parts))
end

return M
