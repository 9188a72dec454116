-- zb.indicators: derived indicators as zb.Table methods, each compiled to
-- SQL (window functions within groups) like every other method.
--
--   t:ratio{num =, den = [, name = "ratio"]}              num / den (NULL for /0)
--   t:share{value = [, by =] [, name = "share"]}          % of the group's total
--   t:yoy{value =, time = [, by =] [, step = 1]}          % change from the same period a year before
--   t:pop{value =, time = [, by =]}                       % change from the period before
--   t:lag{value =, time = [, by =] [, n = 1]}, t:lead{...} the value n periods before, after
--   t:index{value =, time =, base = [, by =]}             base period = 100
--   t:rank{value = [, by =] [, desc = true] [, method = "competition"|"dense"]}
--   t:moving{value =, time = [, by =] [, n = 3] [, fn = "avg"] [, partial = false]}
--                                                         over the last n periods
--   t:cagr{value =, time = [, by =]}                      a row a group: first, last, years, cagr (%)
--   t:gap{key =, a =, b =, value = [, by =]}              a and b side by side, difference and ratio
--   t:convert{value = "万元" [, unit = "unit"]}            values into a unit, from the unit column
--   t:progress{actual =, target = [, name = "progress"] [, remaining = "remaining"]}
--                                                         completion (%) and what is left
--
-- by is a column or a list of them; name the new column (defaults above, or
-- the method's name).  Values (base, a, b) are written into the SQL as
-- quoted literals.
--
-- What the methods refuse rather than guess, each with an error at the
-- user's line naming the rows, found by one query over t when the method
-- is called, or by yoy, pop, lag and lead in their own query as it reads
-- the rows (guard: no pass over t of its own):
-- - a period twice in one series (by and time): yoy, lag, lead, index,
--   moving and cagr need one value per period; gap one row of a and of b;
-- - a value that is not a number: text counts when it reads as a number
--   whole, as an INTEGER column would store it ('121', ' 1e3 '); other
--   text ('N/A', '12abc', '0x10', '') and blobs are errors.
local core = require("zb.core")
local compiler = require("zb.engine.compiler")
local engine = zb.engine
local dialect = engine.dialect
local quote = dialect.quote
local errors = require("zb.host.errors")
errors.own()
local catalog = require("zb.relation.catalog")

local T = require("zb.relation.table")  -- the methods are defined on it (table.lua loads this last)

local function raise_for(who, msg)
  errors.raise(who .. ": " .. msg)
end

-- The columns of by (checked by the entry's kinds), as a list.
local function by_names(spec)
  local list = spec.by
  if list == nil then return {} end
  return type(list) == "string" and {list} or list
end

local function quoted(names)
  local out = {}
  for i, name in ipairs(names) do out[i] = quote(name) end
  return out
end

local function has_column(t, name)
  for _, c in ipairs(t.columns) do
    if c == name then return true end
  end
  return false
end

-- "PARTITION BY ... " for by (names), or "".
local function partition(by)
  return #by > 0 and "PARTITION BY " .. table.concat(quoted(by), ", ") .. " " or ""
end

-- A value as an SQL literal: numbers exactly, text quoted.
local function literal(who, v)
  if math.type(v) == "integer" then return string.format("%d", v) end
  if math.type(v) == "float" then return string.format("%.17g", v) end
  if type(v) == "string" then return "'" .. v:gsub("'", "''") .. "'" end
  raise_for(who, "expected a number or a string, got a " .. type(v))
end

-- A value column (quoted) as a number, and SQL true when it holds what
-- is not one (the dialect's: in SQLite any column may hold text).
local number, not_number = dialect.as_number, dialect.not_number

-- The declared type of column name of t ("" for none), and its affinity
-- (nil for none).
local function declared(t, name)
  local d = core.description(t)
  for i, c in ipairs(d.columns) do
    if c == name then return d.types[i], d.types[i] ~= "" and dialect.affinity(d.types[i]) or nil end
  end
  return "", nil
end

-- Column name of t as a number: itself when its declared type has a
-- numeric affinity (it holds numbers, or text that reads as none, which
-- the checks refuse), else number()
local function value_of(t, name, who)
  local _, affinity = declared(t, name)
  if affinity and affinity ~= "text" and affinity ~= "blob" then return quote(name) end
  if affinity and dialect.typed_columns then  -- (the server's error would name growth(text, text) and mutate)
    raise_for(who, string.format("column %s is %s, not numbers (a PostgreSQL column holds one type): cast it first, " ..
                                 "t:mutate{%s = \"%s::numeric\"}", name, affinity, name, name))
  end
  return number(quote(name))
end

-- A cell for a message: text as it is (cut when long, a quoted one
-- closed again), NULL, a number.
local function shown(v)
  if v == nil then return "NULL" end
  if type(v) == "string" and (utf8.len(v) or #v) > 60 then
    return v:sub(1, (utf8.offset(v, 58) or 58) - 1) .. "…" .. (v:match("^'") and "'" or "")
  end
  return tostring(v)
end

-- t's description, and its SQL with its values as ? (to nest in a query).
local function source_of(t)
  local d = core.description(t)
  return d, dialect.text(d.compiled)
end

-- A query's SQL text read as a table in FROM.
local function from(text)
  return dialect.subquery(compiler.frag(text)).sql
end

-- The rows of sql, a query over t's SQL (source_of), with t's values bound.
local function rows_of(d, sql)
  -- a server's refusal (zb_periods') at the user's line too
  return errors.guarded(function()
    local rows = {}
    for r in engine.rows(sql, d.compiled.params, d) do rows[#rows + 1] = r end
    return rows
  end)
end

-- The errors of a method whose rows break what it needs: rows (how many)
-- for the keys at; a cell that is not a number in column (at the keys).
-- The guard below makes them in SQL, from parts of SQL text.
local function repeated(who, rows, at, need, hint)
  return string.format("%s: %s for %s; %s is needed (%s)", who, rows, at, need or "one value per period",
                       hint or "tell the series apart with by =, or keep one of the rows")
end

local function not_a_number(who, column_name, cell, at)
  return string.format("%s: column %s holds %s%s, not a number", who, column_name, cell, at and " (at " .. at .. ")" or "")
end

-- Raise who's error when t's rows break what the method needs, found by
-- one query that reads each row once:
--   keys: column names whose values must not repeat together (by and
--     time: one row a period), when there are any;
--   numbers: column names whose cells must be numbers (or NULL);
--   only: SQL text choosing the rows that count (gap: a's and b's);
--   need, hint: what one row a key stands for, and how to make it so,
--     for the message.
local function check(t, who, c)
  local d, source = source_of(t)
  local numbers = c.numbers or {}
  local keys, key_exprs = {}, {}  -- each key's name, and its SQL (a column, or {name = expression})
  for i, k in ipairs(c.keys or {}) do
    if type(k) == "table" then keys[i], key_exprs[i] = next(k) else keys[i], key_exprs[i] = k, quote(k) end
  end
  local inner = {}
  for i, k in ipairs(key_exprs) do inner[#inner + 1] = k .. " AS zb_k" .. i end
  for i, v in ipairs(numbers) do inner[#inner + 1] = quote(v) .. " AS zb_v" .. i end
  -- fenced: computed once, not each value once a use
  local rows = from(dialect.fenced(string.format("SELECT %s FROM %s%s", table.concat(inner, ", "), from(source),
                                                 c.only and " WHERE " .. c.only or "")))
  local bad, tests = {}, {}
  for i in ipairs(numbers) do
    bad[i] = string.format("CASE WHEN %s THEN %s END AS zb_bad%d", not_number("zb_v" .. i), dialect.literal_of("zb_v" .. i), i)
    tests[i] = not_number("zb_v" .. i)
  end
  local sql
  if #keys > 0 then
    local group, agg, having = {}, {}, {"count(*) > 1"}
    for i in ipairs(keys) do group[i] = "zb_k" .. i end
    for i in ipairs(numbers) do
      local first_bad = string.format("max(CASE WHEN %s THEN %s END)", tests[i], dialect.literal_of("zb_v" .. i))
      agg[i] = first_bad .. " AS zb_bad" .. i
      having[#having + 1] = first_bad .. " IS NOT NULL"  -- the expression: HAVING sees no output name in SQL
    end
    sql = string.format("SELECT %s, count(*) AS zb_n%s FROM %s GROUP BY %s HAVING %s LIMIT 1",
                        table.concat(group, ", "), #agg > 0 and ", " .. table.concat(agg, ", ") or "", rows,
                        table.concat(group, ", "), table.concat(having, " OR "))
  elseif #numbers > 0 then
    sql = string.format("SELECT %s FROM %s WHERE %s LIMIT 1", table.concat(bad, ", "), rows, table.concat(tests, " OR "))
  else
    return
  end
  local ran, found = pcall(function()
    for r in engine.rows(sql, d.compiled.params, d) do return r end  -- luacheck: ignore 512 (the first row)
  end)
  if not ran then  -- an error in t's own SQL (a Lua function's): shown with t's SQL, not this query's
    if not errors.is_plain(found) then error(found, 0) end
    if errors.is_error(found) and found.sql then found.sql = source end
    errors.raise(errors.plain(found))
  end
  if not found then return end
  local at = {}
  for i, k in ipairs(keys) do at[i] = k .. " = " .. shown(found["zb_k" .. i]) end
  -- for loaded data, the file's lines of those rows
  local values = {}
  for i, k in ipairs(keys) do values[k] = found["zb_k" .. i] end
  local line = #keys > 0 and catalog.where_loaded(d, values) or ""
  if #keys > 0 and found.zb_n > 1 then
    errors.raise(repeated(who, found.zb_n .. " rows", table.concat(at, ", ") .. line, c.need, c.hint))
  end
  for i, v in ipairs(numbers) do
    local cell = found["zb_bad" .. i]
    if cell ~= nil then errors.raise(not_a_number(who, v, shown(cell), #at > 0 and table.concat(at, ", ") .. line)) end
  end
end

-- How a method reads t's time column (quoted time), from one query over
-- its values: whole years (integers 1000-9999) as they are; anything else
-- as periods of one frequency (zb.period: months, quarters, 2021年1-2月,
-- 202112, 20211231), an error naming the values when they are no periods
-- or mix frequencies; but integers that are not all periods (1, 2, 3) as
-- a numbered sequence (sequence = true: no year in it).  Returns SQL for the period's index (periods since year 0,
-- ordered and subtracted), its year, its slot in the year (a month's
-- "-03", a year-to-date span's "-01~02": yoy compares a slot with
-- itself) and whether it is a span, and the periods in a year.
local function timing(t, who, time_name)
  local time = quote(time_name)
  local d, source = source_of(t)
  -- one pass over the column (zb_periods, src/time/period.c), its findings as JSON
  local fields = {}
  for _, f in ipairs{"n", "years", "integers", "least", "spans", "shortest", "longest", "not_period", "frequencies"} do
    fields[#fields + 1] = dialect.json_field("s", f) .. " AS " .. f
  end
  local k = rows_of(d, string.format("SELECT %s FROM %s", table.concat(fields, ", "),
                                     from(string.format("SELECT zb_periods(%s) AS s FROM %s", time, from(source)))))[1]
  local row = k
  k = {not_period = row.not_period, frequencies = row.frequencies}
  for _, f in ipairs{"n", "years", "integers", "least", "spans", "shortest", "longest"} do
    k[f] = tonumber(row[f])  -- PostgreSQL's ->> gives text
  end
  local annual = {index = time, year = time, per_year = 1, annual = true, least = k.least}
  local _, affinity = declared(t, time_name)
  -- no values: whole years, but in a column of text periods (whose functions
  -- take text; a server has no arithmetic on it)
  if k.years == k.n and not (k.n == 0 and affinity == "text") then
    annual.frequency = "A"
    return annual
  end
  if k.not_period then
    if k.integers == k.n then  -- whole numbers, not all periods: a numbered sequence
      annual.sequence = true
      return annual
    end
    raise_for(who, string.format("column %s: %s is not a period (periods: 2021, 2021-Q1, 2021-01, 2021年1-2月 ...)", time,
                            shown("'" .. k.not_period .. "'")))
  end
  local found = engine.json_pairs(k.frequencies)
  if #found > 1 then  -- each frequency, and a period of it, for the message
    local seen = {}
    for i, f in ipairs(found) do seen[i] = string.format("%s (a %s)", shown(f.value), zb.period.frequencies[f.key]) end
    raise_for(who, string.format("column %s mixes frequencies: %s; one frequency a series is needed", time,
                            table.concat(seen, " and ")))
  end
  local frequency = found[1] and found[1].key
  return {frequency = frequency, spans = k.spans, n = k.n, shortest = k.shortest, longest = k.longest,
          index = "period_index(" .. time .. ")", year = "period_year(" .. time .. ")",
          slot = "substr(" .. dialect.cast("period(" .. time .. ")", "TEXT") .. ", 5)",
          span = dialect.find("period(" .. time .. ")", "'~'"),
          per_year = frequency and core.period_per_year(frequency) or 1}
end

-- "PARTITION BY ... " for by, and for a series with year-to-date spans
-- (NBS's 1-2月) spans apart from single periods: a month's neighbour is
-- never a two-month total.
local function partition_spans(by, time)
  local parts = quoted(by)
  if time.span and time.spans > 0 then parts[#parts + 1] = time.span end
  return #parts > 0 and "PARTITION BY " .. table.concat(parts, ", ") .. " " or ""
end

-- The series of a time-ordered method: by's names, and how time reads
-- (timing); each period once in each series, the value column numbers
-- when numeric, checked now (one query over t) unless guarded: then the
-- method's own query checks them as it reads the rows (guard).
-- A numbered sequence (1, 2, 3; 20211 for a quarter) has no years: a
-- method that needs them (yoy, cagr) refuses it, never reading 20212 -
-- 20211 as a year.
local function years_needed(who, time, timed)
  if timed.sequence then
    raise_for(who, string.format("column %s holds whole numbers that are neither years nor periods (%s ...): " ..
                            "it has no years (write its periods as 2021Q1, 2021-01 ...; pop, lag and " ..
                            "yoy{step = false} take the row before)", time, shown(timed.least)))
  end
end

local function series(t, who, spec, numeric, guarded)
  local by, time = by_names(spec), quote(spec.time)
  local timed = timing(t, who, spec.time)
  if not guarded then
    -- a period once in a series, however it is spelled (2021-Q1 and 2021年第一季度 are one)
    local keys = {table.unpack(by)}
    keys[#keys + 1] = timed.annual and spec.time or {[spec.time] = "period(" .. time .. ")"}
    check(t, who, {keys = keys, numbers = numeric and {spec.value} or nil})
  end
  return by, timed
end

-- SQL text for the text s.
local function text(s)
  return "'" .. s:gsub("'", "''") .. "'"
end

-- SQL making message, an error of the methods above, with each hole
-- ("\1", "\2") filled by SQL: zb_refuse(that), which stops the query.
local function refusal(message, fills, like)
  local out, pos = {}, 1
  for start, hole, stop in message:gmatch("()([\1\2])()") do
    out[#out + 1] = text(message:sub(pos, start - 1))
    out[#out + 1] = fills[hole]
    pos = stop
  end
  out[#out + 1] = text(message:sub(pos))
  return dialect.refuse(table.concat(out, " || "), like)
end

-- The window of the rows k periods before each row (after, when k is
-- negative) in its series: order is the series' "PARTITION BY ... ORDER
-- BY index".
local function window_of(order, k)
  return order .. (k > 0 and string.format(" ROWS BETWEEN %d PRECEDING AND CURRENT ROW", k)
                   or string.format(" ROWS BETWEEN CURRENT ROW AND %d FOLLOWING", -k))
end

-- expr, the value of a time-ordered method, as SQL that stops the query
-- with who's error at a period twice in one series or, when numeric, at
-- a value that is no number: the check costs no query of its own, and no
-- sort when expr's window is window_of(order, k) (SQLite computes the
-- functions of one window in one pass).
-- SQL naming a row of a time-ordered method's series for a message: by's
-- columns and the period.
local function row_named(spec, by, time)
  local at = {}
  for _, name in ipairs(by) do
    at[#at + 1] = text(name .. " = ") .. string.format(
      " || CASE WHEN %s IS NULL THEN 'NULL' ELSE substr(%s, 1, 60) END", quote(name), dialect.cast(quote(name), "TEXT"))
  end
  local when = quote(spec.time)
  at[#at + 1] = text(spec.time .. " = ") .. " || " .. (time.annual and when or "period(" .. when .. ")")
  return table.concat(at, " || ', ' || ")
end

-- The CASE arm that stops the query with who's error at a value that is no number.
local function number_arm(who, spec, at, like)
  local v = quote(spec.value)
  return string.format("WHEN %s THEN %s", not_number(v),
                       refusal(not_a_number(who, spec.value, "\1", "\2"), {["\1"] = dialect.literal_of(v), ["\2"] = at},
                               like))
end

local function guard(who, spec, by, time, order, k, numeric, expr)
  local at = row_named(spec, by, time)
  -- one step away, lag() over order: SQLite's own, in the same pass as lag() and lead() of the value
  local twice = (k == 1 or k == -1) and string.format("%s = lag(%s) OVER (%s)", time.index, time.index, order)
                or dialect.repeated(time.index, k, order, window_of(order, k))
  local cases = {string.format("WHEN %s THEN %s", twice,
                               refusal(repeated(who, "more than one row", "\1"), {["\1"] = at}, expr))}
  if numeric then cases[2] = number_arm(who, spec, at, expr) end
  return string.format("CASE %s ELSE %s END", table.concat(cases, " "), expr)
end

-- The value (SQL v) k periods before each row (after: k below 0) in its
-- series through the engine's own path (engine.shifted: the series hashed,
-- not every row sorted), a period twice in a series stopping the query
-- with who's error as guard's does; nil when the engine has none for t.
local function hashed_shift(t, who, spec, by, time, k, v, moving)
  if not engine.shifted then return nil end
  local keys, at = quoted(by), {}
  for i, name in ipairs(by) do at[i] = name .. " = \1" .. (i - 1) end
  at[#at + 1] = spec.time .. " = \1t"
  if time.span and time.spans > 0 then keys[#keys + 1] = time.span end
  local when = quote(spec.time)
  local message = repeated(who, "more than one row", "\2")
  return engine.shifted(core.description(t), {
    keys = keys, by = #by, time = time.annual and when or "period(" .. when .. ")", index = time.index, value = v, k = k,
    at = table.concat(at, ", "), twice = message, before = message, moving = moving})
end

-- t with the column who (or spec.name) computed from the value k periods
-- before by the engine's own path: fn(SQL of it) is the column's SQL (a
-- value that is no number stops the query when numeric); nil when there is
-- no such path for t.
local function beside_shifted(t, who, spec, by, time, k, v, numeric, fn)
  local before = hashed_shift(t, who, spec, by, time, k, v)
  if not before then return nil end
  local expr = fn(before)
  if numeric then
    expr = compiler.cat("CASE " .. number_arm(who, spec, row_named(spec, by, time)) .. " ELSE ", expr, " END")
  end
  return T.beside(t, who, spec.name or who, expr)
end

T.define{name = "ratio", doc = "num / den (NULL when den is 0)",
  options = {{"num", "column"}, {"den", "column"}, {"name", "name", optional = true}},
  body = function(t, spec)
    local num, den = quote(spec.num), quote(spec.den)
    check(t, "ratio", {numbers = {spec.num, spec.den}})
    return t:mutate{[spec.name or "ratio"] = string.format("ratio(%s, %s)", number(num), number(den))}
  end}

T.define{name = "share", doc = "the value as % of its group's total",
  options = {{"value", "column"}, {"by", "columns", optional = true}, {"name", "name", optional = true}},
  body = function(t, spec)
    local v, by = quote(spec.value), by_names(spec)
    check(t, "share", {numbers = {spec.value}})
    local name = spec.name or "share"
    local numeric = value_of(t, spec.value, "share") == v  -- text would need number() inside the sum
    local beside, total = nil, nil
    if numeric and #by > 0 then beside, total = T.beside_group_sum(t, by, spec.value) end
    if beside then
      return beside:mutate{[name] = string.format("%s * %s / nullif(%s, 0)", dialect.real("100.0"), v, quote(total))}
        :drop(total)  -- (a group of total 0: NULL on both engines, not the server's division by zero)
    end
    v = number(v)
    return t:mutate{[name] = string.format("%s * %s / nullif(sum(%s) OVER (%s), 0)", dialect.real("100.0"), v, v,
                                                   (partition(by):gsub(" $", "")))}
  end}

-- The SQL of the value column (quoted v) k periods before each row (after,
-- when k is negative) in its series, or NULL when that period is missing:
-- order is the series' "PARTITION BY ... ORDER BY index" (each index once
-- in a series: the guard's), the frame the rows from k before (after).
-- (One period away, SQLite's lag() or lead() of the row next to it, when
-- its period is the one next: each period is once in a series, so it is
-- that row or none, and the check shares the pass.)  Returns the value
-- and, for one period away, the SQL true when that period is there.
local function shift(v, time, order, k)
  if k == 1 or k == -1 then
    local fn = k == 1 and "lag" or "lead"
    return string.format("%s(%s) OVER (%s)", fn, v, order),
           string.format("abs(%s - %s(%s) OVER (%s)) = 1", time.index, fn, time.index, order)
  end
  return dialect.shift(v, time.index, k, order, window_of(order, k))
end

-- The value k periods away, NULL when that period is missing.
local function shifted_value(v, time, order, k)
  local value, there = shift(v, time, order, k)
  return there and string.format("CASE WHEN %s THEN %s END", there, value) or value
end

-- growth(v, the value k periods before), called only where that is there.
local function growth_from(v, time, order, k)
  local value, there = shift(v, time, order, k)
  if there then return string.format("CASE WHEN %s THEN growth(%s, %s) END", there, v, value) end
  return string.format("growth(%s, %s)", v, value)
end

-- The order of a time-ordered method's series: by (and spans apart), by period.
local function series_order(by, time)
  return partition_spans(by, time) .. "ORDER BY " .. time.index
end

local function shifted(who, sign)
  return function(t, spec)
    local n = spec.n or 1
    local by, time = series(t, who, spec, false, true)
    local hashed = beside_shifted(t, who, spec, by, time, sign * n, quote(spec.value), false,
                                  function(before) return before end)
    if hashed then return hashed end
    local order = series_order(by, time)
    return t:mutate{[spec.name or who] = guard(who, spec, by, time, order, sign * n, false,
                                               shifted_value(quote(spec.value), time, order, sign * n))}
  end
end
local shifted_options = {{"value", "column"}, {"time", "column"}, {"by", "columns", optional = true},
                         {"n", "count", "1", optional = true, what = "periods"}, {"name", "name", optional = true}}
T.define{name = "lag", doc = "the value n periods before (NULL when that period is missing); one row per period",
  options = shifted_options, body = shifted("lag", 1)}
T.define{name = "lead", doc = "the value n periods after (NULL when that period is missing); one row per period",
  options = shifted_options, body = shifted("lead", -1)}

-- Growth against the same period step years earlier (a month with that
-- month, NBS's 1-2月 with 1-2月; a missing one gives NULL, not a two-year
-- change); step = false: against the row before, whatever its period.
T.define{name = "yoy", doc = "% change from the same period step years before (a month from that month, 1-2月 from 1-2月; " ..
         "NULL when it is missing or 0); one row per period",
  options = {{"value", "column"}, {"time", "column"}, {"by", "columns", optional = true},
             {"step", "any", "1", optional = true}, {"name", "name", optional = true}},
  body = function(t, spec)
    local step = spec.step == nil and 1 or spec.step
    if step ~= false and (math.type(step) ~= "integer" or step < 1) then
      raise_for("yoy", "step must be a whole number of years, 1 or more (or false: the row before)")
    end
    local by, time = series(t, "yoy", spec, true, true)
    if step ~= false then years_needed("yoy", quote(spec.time), time) end
    local v = value_of(t, spec.value, "yoy")
    local order = series_order(by, time)
    local k, grown = 1
    if step == false then
      grown = string.format("growth(%s, lag(%s) OVER (%s))", v, v, order)
    elseif time.frequency == "D" then  -- a year of days is 365 or 366: the same day of the year before, by its slot
      local parts = {table.unpack(quoted(by))}
      parts[#parts + 1] = time.slot
      grown = string.format("growth(%s, first_value(%s) OVER (PARTITION BY %s ORDER BY %s RANGE BETWEEN %d PRECEDING " ..
                            "AND %d PRECEDING))", v, v, table.concat(parts, ", "), time.year, step, step)
    else
      k = time.per_year * step
      local hashed = beside_shifted(t, "yoy", spec, by, time, k, v, true, function(before)
        return compiler.cat("growth(" .. v .. ", ", before, ")")
      end)
      if hashed then return hashed end
      grown = growth_from(v, time, order, k)
    end
    return t:mutate{[spec.name or "yoy"] = guard("yoy", spec, by, time, order, k, true, grown)}
  end}

-- Growth against the period before (month on month, quarter on
-- quarter); a year-to-date span only against the span before it.
T.define{name = "pop", doc = "% change from the period before (month on month, quarter on quarter; NULL when it is missing or 0)",
  options = {{"value", "column"}, {"time", "column"}, {"by", "columns", optional = true},
             {"name", "name", optional = true}},
  body = function(t, spec)
    local by, time = series(t, "pop", spec, true, true)
    local v = value_of(t, spec.value, "pop")
    local hashed = beside_shifted(t, "pop", spec, by, time, 1, v, true, function(before)
      return compiler.cat("growth(" .. v .. ", ", before, ")")
    end)
    if hashed then return hashed end
    local order = series_order(by, time)
    return t:mutate{[spec.name or "pop"] = guard("pop", spec, by, time, order, 1, true, growth_from(v, time, order, 1))}
  end}

-- The base period: read as a period like the time column (2020年 is 2020,
-- 2021Q1 is 2021年第一季度), of its frequency, and there in t.
T.define{name = "index", doc = "the value with the base period = 100 (NULL where the base's value is 0 or NULL); " ..
         "one row per period",
  options = {{"value", "column"}, {"time", "column"}, {"base", "value", what = "the base period"},
             {"by", "columns", optional = true}, {"name", "name", optional = true}},
  body = function(t, spec)
    local by, time = series(t, "index", spec, true)
    local v, at = number(quote(spec.value)), quote(spec.time)
    local base, is_base
    if time.frequency then  -- periods (years too): the base is one, of the same frequency
      local ok, p = pcall(zb.period, spec.base)
      if not ok then raise_for("index", string.format("base %s is not a period", shown(spec.base))) end
      if p.frequency ~= time.frequency then
        raise_for("index", string.format("base %s is a %s; column %s holds %ss", tostring(p), zb.period.frequencies[p.frequency],
                                    at, zb.period.frequencies[time.frequency]))
      end
      base = p.frequency == "A" and p.year or tostring(p)
      is_base = string.format("%s = %s", time.annual and at or "period(" .. at .. ")", literal("index", base))
    else  -- a numbered sequence
      base = spec.base
      is_base = string.format("%s = %s", at, literal("index", base))
    end
    local d, source = source_of(t)
    if #rows_of(d, string.format("SELECT 1 AS one FROM %s WHERE %s LIMIT 1", from(source), is_base)) == 0 then
      raise_for("index", string.format("no row for the base period %s in column %s", tostring(base), at))
    end
    -- year-to-date totals (1-2月) apart: a two-month total over a month's base is no index;
    -- a base of 0: NULL on both engines (as share's total), not the server's division by zero
    return t:mutate{[spec.name or "index"] = string.format("%s * %s / nullif(max(CASE WHEN %s THEN %s END) OVER (%s), 0)",
      dialect.real("100.0"), v, is_base, v, (partition_spans(by, time):gsub(" $", "")))}
  end}

-- The first row of t (its series by, its time spec.time) for which bad
-- (SQL over zb_t, zb_by1 ... and fields: "expr AS name", windows allowed)
-- holds, or nil; and where it is: " (by = v, ...)", and for loaded data the
-- file's line (catalog.where_loaded).
local function first_refused(t, spec, by, fields, bad)
  local d, source = source_of(t)
  local cols = {}
  for i, name in ipairs(by) do cols[i] = quote(name) .. " AS zb_by" .. i end
  cols[#cols + 1] = quote(spec.time) .. " AS zb_t"
  for _, f in ipairs(fields) do cols[#cols + 1] = f end
  local found = rows_of(d, string.format("SELECT * FROM (SELECT %s FROM %s) AS zb_rows WHERE %s LIMIT 1",
                                         table.concat(cols, ", "), from(source), bad))[1]
  if not found then return nil end
  local where, values = {}, {[spec.time] = found.zb_t}
  for i, name in ipairs(by) do
    where[i] = name .. " = " .. shown(found["zb_by" .. i])
    values[name] = found["zb_by" .. i]
  end
  return found, #where > 0 and " (" .. table.concat(where, ", ") .. ")" or "", catalog.where_loaded(d, values)
end

-- Raise who's error at the first row of a series (by, time: timing) whose
-- column (what it holds, for the message) is NULL (why: what that
-- breaks) or, when chained, whose period does not follow the one before:
-- chaining across either would be wrong.
local function unbroken(t, who, spec, by, time, column, what, why, chained)
  local order = series_order(by, time)
  local found, place, line = first_refused(t, spec, by, {
    string.format("lag(%s) OVER (%s) AS zb_before", quote(spec.time), order), quote(column) .. " AS zb_v",
    string.format("%s - lag(%s) OVER (%s) AS zb_step", time.index, time.index, order)},
    "zb_v IS NULL" .. (chained and " OR zb_step <> 1" or ""))
  if not found then return end
  if found.zb_v == nil then
    raise_for(who, string.format("%s (column %s) is NULL at %s = %s%s%s; %s", what, column, spec.time, shown(found.zb_t),
                                 place, line, why))
  end
  raise_for(who, string.format("%s = %s%s follows %s%s: the periods between are missing, and chaining across them " ..
                               "would be wrong", spec.time, shown(found.zb_t), line, shown(found.zb_before), place))
end

-- The factor a period's value multiplies the level by: a % change (0.9
-- for +0.9%), or an index with the period before = 100 (NBS's 上年=100,
-- 100.9); a factor of 0 or less (a change of -100% or below) ends any
-- level, and is refused.
local factors = {change = "(1 + %s / %s)", previous = "(%s / %s)"}

local function chained_levels(t, who, spec, kind, by, time)
  if time.spans and time.spans > 0 and time.spans < time.n then
    raise_for(who, string.format("column %s mixes year-to-date totals (1-2月) with single periods; a chain needs one kind",
                                 spec.time))
  end
  local factor = string.format(factors[kind], value_of(t, spec.value, who), dialect.real("100.0"))
  local d, source = source_of(t)
  local bad = rows_of(d, string.format("SELECT %s AS t, %s AS v FROM %s WHERE %s <= 0 LIMIT 1", quote(spec.time),
                                       quote(spec.value), from(source), factor))[1]
  if bad then
    raise_for(who, string.format("%s = %s at %s = %s: a level would fall to zero or below, so none after it can be " ..
                                 "chained", spec.value, shown(bad.v), spec.time, shown(bad.t)))
  end
  -- (a table with no values has none to tell by)
  local function any_where(cond)
    return #rows_of(d, string.format("SELECT 1 AS one FROM %s WHERE %s LIMIT 1", from(source), cond)) > 0
  end
  if kind == "change" and not any_where(quote(spec.value) .. " < 50") and any_where(quote(spec.value) .. " IS NOT NULL") then
    raise_for(who, string.format("every value of %s is 50 or more: %% changes, or indices with the period before = 100 " ..
                                 "(上年=100)? say kind = \"previous\" for those", spec.value))
  end
  return string.format("%s * product(%s) OVER (%s ROWS UNBOUNDED PRECEDING)", dialect.real("100.0"), factor,
                       series_order(by, time))
end

T.define{name = "chain", doc = "growth rates (%, or kind = \"previous\": indices with the period before = 100) chained " ..
         "into an index: 100 at base, else at the period before the first; one row per period, none missing",
  options = {{"value", "column"}, {"time", "column"}, {"base", "value", optional = true, what = "the base period"},
             {"kind", "name", "\"change\"", optional = true}, {"by", "columns", optional = true},
             {"name", "name", "\"index\"", optional = true}},
  body = function(t, spec)
    local kind = spec.kind or "change"
    if not factors[kind] then
      raise_for("chain", "kind must be \"change\" (% changes) or \"previous\" (indices, the period before = 100), not " ..
                         shown(kind))
    end
    local by, time = series(t, "chain", spec, true)
    unbroken(t, "chain", spec, by, time, spec.value, "growth", "the periods after it cannot be chained", true)
    local name = spec.name or "index"
    local chained = t:mutate{[name] = chained_levels(t, "chain", spec, kind, by, time)}
    if spec.base == nil then return chained end
    local ok, rebased = pcall(chained.index, chained, {value = name, time = spec.time, base = spec.base, by = spec.by,
                                                        name = name})
    if not ok then
      raise_for("chain", string.format("no row for the base period %s (without base, the index is 100 at the period " ..
                                       "before the first)", shown(spec.base)))
    end
    return rebased
  end}

-- Nominal values at the prices of base: value * P(base) / P(period), P a
-- price index (kind = "index", any base) or chained from its % changes
-- (kind = "change", as CPI is published: 0.9 for +0.9%).  Every period
-- needs its price: a missing one is an error, never a NULL.
T.define{name = "deflate", doc = "nominal values at the prices of base (default: the first period), by a price index, " ..
         "its % changes (kind = \"change\") or indices with the period before = 100 (kind = \"previous\")",
  options = {{"value", "column"}, {"price", "column"}, {"time", "column"},
             {"kind", "name", "\"index\"", optional = true}, {"base", "value", optional = true, what = "the base period"},
             {"by", "columns", optional = true}, {"name", "name", "\"real\"", optional = true}},
  body = function(t, spec)
    local kind = spec.kind or "index"
    if kind ~= "index" and not factors[kind] then
      raise_for("deflate", string.format("kind must be \"index\" (a price index), \"change\" (its %% changes on the " ..
                                         "period before) or \"previous\" (indices, the period before = 100), not %s",
                                         shown(kind)))
    end
    local deflator = "zb_deflator"
    if has_column(t, deflator) then raise_for("deflate", "the table has a column " .. deflator .. ", which deflate uses") end
    local prices = {value = spec.price, time = spec.time, by = spec.by}
    local by, time = series(t, "deflate", prices, true)
    check(t, "deflate", {numbers = {spec.value}})
    unbroken(t, "deflate", prices, by, time, spec.price, "the price", "every period needs its price", kind ~= "index")
    if kind == "index" then
      local d, source = source_of(t)
      local bad = rows_of(d, string.format("SELECT %s AS t, %s AS v FROM %s WHERE %s <= 0 LIMIT 1", quote(spec.time),
                                           quote(spec.price), from(source), quote(spec.price)))[1]
      if bad then
        raise_for("deflate", string.format("the price index %s is %s at %s = %s; a price index is above 0", spec.price,
                                           shown(bad.v), spec.time, shown(bad.t)))
      end
    end
    local base = spec.base
    if base == nil then  -- the first period of the table
      local d, source = source_of(t)
      local first = rows_of(d, string.format("SELECT %s AS t FROM %s ORDER BY %s LIMIT 1", quote(spec.time), from(source),
                                             time.index))[1]
      if not first then raise_for("deflate", "the table has no rows, so no first period to be the base") end
      base = first.t
    end
    local p = kind ~= "index" and t:chain{value = spec.price, time = spec.time, by = spec.by, name = deflator, kind = kind}
              or t:mutate{[deflator] = spec.price}
    p = p:index{value = deflator, time = spec.time, base = base, by = spec.by, name = deflator}
    local missing = p:where(quote(deflator) .. " IS NULL"):limit(1):rows()()
    if missing then
      local at = {}
      for i, name in ipairs(by) do at[i] = name .. " = " .. shown(missing[name]) end
      raise_for("deflate", string.format("no price at the base period %s for %s", shown(base), table.concat(at, ", ")))
    end
    return p:mutate{[spec.name or "real"] = string.format("%s * %s / %s", value_of(t, spec.value, "deflate"),
                                                          dialect.real("100.0"), quote(deflator))}
            :drop(deflator)
  end}

T.define{name = "rank", doc = "rank within groups (1 the largest unless desc = false; a NULL value has none and " ..
         "is not counted); the rows keep the table's order",
  options = {{"value", "column"}, {"by", "columns", optional = true}, {"desc", "boolean", "true", optional = true},
             {"method", "any", "\"competition\"|\"dense\"", optional = true}, {"name", "name", optional = true}},
  body = function(t, spec)
    local method = spec.method or "competition"
    local fn = ({competition = "rank", dense = "dense_rank"})[method]
    if not fn then raise_for("rank", "method must be \"competition\" (1, 2, 2, 4) or \"dense\" (1, 2, 2, 3)") end
    local by, v = by_names(spec), quote(spec.value)
    local ranked = engine.ranked and engine.ranked(core.description(t), by, spec.value, spec.desc ~= false, method == "dense")
    if ranked then return T.beside(t, "rank", spec.name or "rank", ranked) end
    -- A missing value has no rank, and comes last so the others' ranks do not count it.
    local order = dialect.nulls_last(v, spec.desc ~= false)
    return t:mutate{[spec.name or "rank"] = string.format("CASE WHEN %s IS NULL THEN NULL ELSE %s() OVER (%sORDER BY %s) END",
                                                          v, fn, partition(by), order)}
  end}

-- SQLite's aggregates that slide a frame by subtracting the row that
-- leaves it: over reals that leaves residue (1e-13 where the sum is 0)
-- that grows along a series.  The same are those the engine may work
-- out itself (engine.shifted's moving), each frame afresh.
local sliding = {sum = true, avg = true, total = true}

T.define{name = "moving", doc = "fn over the last n periods, NULL until n values are there (partial = true: " ..
         "fn over those there are); one row per period",
  options = {{"value", "column"}, {"time", "column"}, {"by", "columns", optional = true},
             {"n", "count", "3", optional = true, what = "periods"}, {"fn", "function", "\"avg\"", optional = true},
             {"partial", "boolean", "false", optional = true}, {"name", "name", optional = true}},
  body = function(t, spec)
    local n = spec.n or 3
    local fn = spec.fn or "avg"
    local by, time = series(t, "moving", spec, true)
    if sliding[fn:lower()] then  -- the engine's own path: each series hashed, not every row sorted
      local framed = hashed_shift(t, "moving", spec, by, time, n, value_of(t, spec.value, "moving"),
                                  {fn = fn:lower(), partial = spec.partial})
      if framed then return T.beside(t, "moving", spec.name or "moving_" .. fn, framed) end
    end
    -- the last n periods, by their index: a missing period leaves the frame short
    local order = series_order(by, time)
    local frame = string.format("%s RANGE BETWEEN %d PRECEDING AND CURRENT ROW", order, n - 1)
    -- EXCLUDE TIES leaves the frame as it is (a series has each period
    -- once: checked), and makes SQLite work each frame out afresh.  The
    -- count shares the window, so SQLite sorts the rows once.
    local over = sliding[fn:lower()] and frame .. " EXCLUDE TIES" or frame
    local expr = string.format("%s(%s) OVER (%s)", fn, value_of(t, spec.value, "moving"), over)
    if not spec.partial then
      expr = string.format("CASE WHEN count(%s) OVER (%s) = %d THEN %s END", quote(spec.value), over, n, expr)
    end
    return t:mutate{[spec.name or "moving_" .. fn] = expr}
  end}

-- A row a group: the first and the last value in time (NULLs skipped),
-- their periods, and the growth between; NULLs for a group without values.
T.define{name = "cagr", doc = "a row a group: first, last, years spanned, compound annual growth % (NULL without values)",
  options = {{"value", "column"}, {"time", "column"}, {"by", "columns", optional = true},
             {"name", "name", optional = true}},
  body = function(t, spec)
    local by, time = series(t, "cagr", spec, true)
    years_needed("cagr", quote(spec.time), time)
    local v, at = quote(spec.value), quote(spec.time)
    if time.spans and time.spans > 0 then  -- year-to-date totals: of one length, or the growth is of different things
      local unit = time.frequency == "Q" and "quarters" or "months"
      if time.spans < time.n then
        raise_for("cagr", string.format("column %s mixes year-to-date totals (1-2月) with single periods; " ..
                                        "cagr needs one kind", at))
      elseif time.shortest ~= time.longest then
        raise_for("cagr", string.format("column %s mixes year-to-date totals of %d and of %d %s; cagr needs totals of one length",
                                   at, time.shortest, time.longest, unit))
      end
    end
    local all = " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
    -- Rows with a value and a time first (for first_value) or last (for
    -- last_value), each in time order: a row without its time is not in
    -- the span.
    local counted = string.format("(%s IS NOT NULL AND %s IS NOT NULL)", v, at)
    local firsts = string.format("%sORDER BY NOT %s, %s%s", partition(by), counted, time.index, all)
    local lasts = string.format("%sORDER BY %s, %s%s", partition(by), counted, time.index, all)
    local function when(x) return string.format("CASE WHEN %s THEN %s END", counted, x) end
    local spans = t:mutate{
      zb_first = string.format("first_value(%s) OVER (%s)", when(number(v)), firsts),
      zb_last = string.format("last_value(%s) OVER (%s)", when(number(v)), lasts),
      zb_from = string.format("first_value(%s) OVER (%s)", when(at), firsts),
      zb_to = string.format("last_value(%s) OVER (%s)", when(at), lasts),
      -- the years between, a fraction for months and quarters
      zb_years = string.format("(last_value(%s) OVER (%s) - first_value(%s) OVER (%s)) * %s / %.17g",
                               when(time.index), lasts, when(time.index), firsts, dialect.real("1.0"), time.per_year)}
    local columns = {table.unpack(by)}
    columns[#columns + 1] = {from = "zb_from"}
    columns[#columns + 1] = {to = "zb_to"}
    columns[#columns + 1] = {first = "zb_first"}
    columns[#columns + 1] = {last = "zb_last"}
    columns[#columns + 1] = {years = "zb_years"}
    return spans:select(table.unpack(columns)):distinct()
      :mutate{[spec.name or "cagr"] = "cagr(first, last, years)"}
  end}

T.define{name = "gap", doc = "values a and b of key side by side, their difference and ratio",
  options = {{"key", "column"}, {"a", "value", what = "a value of key"}, {"b", "value", what = "a value of key"},
             {"value", "column"}, {"by", "columns", optional = true}},
  body = function(t, spec)
    local key, v = quote(spec.key), quote(spec.value)
    local a_name, b_name = tostring(spec.a), tostring(spec.b)
    local by = by_names(spec)
    local a, b = literal("gap", spec.a), literal("gap", spec.b)
    local keys = {table.unpack(by)}
    keys[#keys + 1] = spec.key
    check(t, "gap", {keys = keys, numbers = {spec.value}, only = string.format("%s IN (%s, %s)", key, a, b),
                     need = "one row of each of a and b", hint = "tell the groups apart with by =, or keep one of the rows"})
    local pick = "max(CASE WHEN %s = %s THEN %s END)"
    local grouped = #by > 0 and t:group(table.unpack(by)) or t
    local wide = grouped:agg{[a_name] = string.format(pick, key, a, number(v)),
                             [b_name] = string.format(pick, key, b, number(v))}
    local columns = {table.unpack(by)}
    columns[#columns + 1] = a_name
    columns[#columns + 1] = b_name
    return wide:select(table.unpack(columns))
      :where(string.format("%s IS NOT NULL OR %s IS NOT NULL", quote(a_name), quote(b_name)))
      :mutate{difference = string.format("%s - %s", quote(a_name), quote(b_name)),
              ratio = string.format("ratio(%s, %s)", quote(a_name), quote(b_name))}
  end}

-- t:convert{value = "万元" [, unit = "unit"]}: each row's value from the
-- unit in its unit column to the one given, and the unit column with it.
-- t:convert{value = "万元" [, amount = "万元"] [, unit = "unit"]}: each
-- column named, from the unit in its row's unit column to the one given
-- (one for all: the unit column then says it), the unit column with them.
T.define{name = "convert", call = "{column = \"万元\", ... [, unit = \"unit\"]}", sql = true,
  doc = "each column named into the unit given, from each row's unit column, which follows (in place); not a TEXT column",
  body = function(t, spec)
    if type(spec) ~= "table" then errors.raise("bad argument #1 to 'convert' (a table {value = \"万元\"} expected)") end
    local unit_name = spec.unit or "unit"
    if type(unit_name) ~= "string" then raise_for("convert", "unit must name the unit column") end
    if not has_column(t, unit_name) then
      raise_for("convert", string.format("no such column: %s (columns: %s)", unit_name, table.concat(t.columns, ", ")))
    end
    local unit_col = quote(unit_name)
    local names, to = {}, nil
    for name in pairs(spec) do
      if name ~= "unit" then names[#names + 1] = name end
    end
    table.sort(names, function(a, b) return tostring(a) < tostring(b) end)
    if #names == 0 then raise_for("convert", "name a column and the unit to convert it to: {value = \"万元\"}") end
    local changes = {}
    for _, name in ipairs(names) do
      local unit = spec[name]
      if type(name) ~= "string" or not has_column(t, name) then
        -- what was meant, from what was given: {value = "万亿元", name = "v2"}
        local source, into, new = "value", "万元", type(unit) == "string" and not zb.units.about(unit) and unit or "v2"
        for _, other in ipairs(names) do
          if has_column(t, other) and type(spec[other]) == "string" and zb.units.about(spec[other]) then
            source, into = other, spec[other]
          end
        end
        raise_for("convert", string.format("no such column: %s (columns: %s); give each column to convert the unit to " ..
                                      "convert it to, in place (for a new column: mutate{%s = \"convert_unit(%s, %s, '%s')\"})",
                                      tostring(name), table.concat(t.columns, ", "), new, source, unit_name, into))
      end
      if type(unit) ~= "string" then
        raise_for("convert", string.format("give %s the unit to convert it to: {%s = \"万元\"}", name, name))
      end
      local decl, affinity = declared(t, name)
      if affinity == "text" or affinity == "blob" then  -- every row would fail as it is read
        raise_for("convert", string.format("column %s is %s, not numbers; convert converts numbers " ..
                                           "(CAST(%s AS REAL) in a mutate first, if its text holds them)",
                                           name, decl, quote(name)))
      end
      if not zb.units.about(unit) then raise_for("convert", string.format("unknown unit '%s'", unit)) end
      if to and unit ~= to then
        raise_for("convert", string.format("one unit for every column (the unit column says one): %s and %s", to, unit))
      end
      to = unit
      changes[name] = string.format("convert_unit(%s, %s, %s)", quote(name), unit_col, literal("convert", unit))
    end
    changes[unit_name] = literal("convert", to)
    return t:mutate(changes)
  end}

T.define{name = "progress", doc = "completion (%) of a target and what is left",
  options = {{"actual", "column"}, {"target", "column"}, {"name", "name", optional = true},
             {"remaining", "name", optional = true}},
  body = function(t, spec)
    local actual, target = quote(spec.actual), quote(spec.target)
    check(t, "progress", {numbers = {spec.actual, spec.target}})
    local name = spec.name or "progress"
    -- what is left is never below zero: a zero of the columns' type (0.0
    -- when either holds reals: SQLite's max would give the integer 0 in a
    -- column of reals)
    local zero = "0"
    for _, c in ipairs{spec.actual, spec.target} do
      if select(2, declared(t, c)) == "real" then zero = "0.0" end
    end
    return t:mutate{[name] = string.format("%s * %s / nullif(%s, 0)", dialect.real("100.0"), number(actual),
                                           number(target)),
                    [spec.remaining or "remaining"] = dialect.greater(target .. " - " .. actual, zero)}
  end}

-- What the methods over time series in other files share (zb.analysis.frequencies).
return {raise_for = raise_for, by_names = by_names, quoted = quoted, value_of = value_of, shown = shown,
        source_of = source_of, from = from, rows_of = rows_of, series = series, check = check, has_column = has_column,
        first_refused = first_refused}
