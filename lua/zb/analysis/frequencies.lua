-- zb.frequencies: time series from one frequency to a coarser one, and
-- between year-to-date (累计) values and each period's own, as table
-- methods:
--
--   t:resample{time =, to = [, by =] [, sum =] [, last =] [, mean =] [, partial = false]}
--       months to quarters, half-years or years (quarters to the last
--       two): flows summed, stocks at the period's end, rates averaged;
--       a period not wholly there is NULL unless partial = true
--   t:from_ytd{value =, time = [, by =]}   year-to-date values to each period's own
--   t:to_ytd{value =, time = [, by =]}     and back
--
-- NBS publishes January and February together (1-2月): from_ytd keeps such
-- a total as a two-month period (2021-01~02) rather than invent a split,
-- to_ytd takes it as the year's first, and resample counts its months.
-- Growth on the year-to-date basis (累计同比) is yoy over the year-to-date
-- values: it compares 1-3月 with the 1-3月 a year before.
local tools = require("zb.analysis.indicators")
local T = require("zb.relation.table")
local errors = require("zb.host.errors")
errors.own()

local dialect = zb.engine.dialect
local quote = dialect.quote
local raise_for, shown, quoted = tools.raise_for, tools.shown, tools.quoted

-- SQL for the parts of a period column (quoted): its year, its position
-- (a span's last: 3 for 1-3月) and whether it is a year-to-date span.
local function parts_of(time)
  return {year = "period_year(" .. time .. ")", position = "period_position(" .. time .. ")",
          span = dialect.find("period(" .. time .. ")", "'~'") .. " > 0"}
end

-- SQL for the canonical text of a period of frequency (M or Q) of a year,
-- one position, or the span from position 1 to position (a SQL each).
local function period_text(frequency, year, position, span)
  local fmt = frequency == "M" and (span and "%d-01~%02d" or "%d-%02d") or (span and "%d-Q1~Q%d" or "%d-Q%d")
  return dialect.format(fmt, year, position)
end

-- The series of a year-to-date method: by's names, its time read as months
-- or quarters, SQL for the window of a series' year in time order, and
-- what its periods are called (for messages).
local function year_series(t, who, spec)
  local by, timed = tools.series(t, who, spec, true)
  if timed.frequency ~= "M" and timed.frequency ~= "Q" then
    raise_for(who, string.format("column %s holds %s; year-to-date values are months' or quarters'", spec.time,
                                 timed.frequency and zb.period.frequencies[timed.frequency] .. "s" or "no periods"))
  end
  local p = parts_of(quote(spec.time))
  local keys = quoted(by)
  keys[#keys + 1] = p.year
  return by, timed, p, "PARTITION BY " .. table.concat(keys, ", ") .. " ORDER BY " .. p.position,
         timed.frequency == "M" and "months" or "quarters"
end

-- Raise who's error at the first row for which bad (SQL over zb_position,
-- zb_before: the position of the row before in its year, zb_span) holds;
-- message(row, at) says what is wrong with it.
local function refuse_first(t, who, spec, by, p, window, bad, message)
  local time = quote(spec.time)
  local found, place, line = tools.first_refused(t, spec, by, {
    p.year .. " AS zb_year", p.position .. " AS zb_position", p.span .. " AS zb_span",
    string.format("lag(%s) OVER (%s) AS zb_before", p.position, window),
    string.format("lag(%s) OVER (%s) AS zb_t_before", time, window)}, bad)
  if found then raise_for(who, message(found, place .. line)) end
end

local ytd_options = {{"value", "column"}, {"time", "column"}, {"by", "columns", optional = true}}

-- result (a year-to-date method's, its value column recomputed) with t's
-- units: a month's own value is in the unit of the totals it came from.
local function with_units_of(t, result)
  require("zb.core").description(result).units = require("zb.core").description(t).units
  return result
end

-- Each row's own value from year-to-date values: the difference from the
-- row before in its year; the year's first is its own when it is the
-- first period, or the first two together (1-2月), which stay one period.
T.define{name = "from_ytd", doc = "year-to-date (累计) values as each period's own: the difference from the period " ..
         "before; 1-2月 stays one two-month period",
  options = ytd_options,
  body = function(t, spec)
    local by, timed, p, window, unit = year_series(t, "from_ytd", spec)
    refuse_first(t, "from_ytd", spec, by, p, window,
      "(zb_before IS NULL AND zb_position > 2) OR zb_before = zb_position OR zb_before < zb_position - 1",
      function(r, at)
        if r.zb_before == nil then
          return string.format("%s = %s is the first of %d%s: the %s before it are missing, so its own cannot be told",
                               spec.time, shown(r.zb_t), r.zb_year, at, unit)
        elseif r.zb_before == r.zb_position then
          return string.format("%s = %s and %s end at the same period%s; one value a period is needed", spec.time,
                               shown(r.zb_t), shown(r.zb_t_before), at)
        end
        return string.format("%s = %s follows %s%s: the %s between are missing, and the difference would span them",
                             spec.time, shown(r.zb_t), shown(r.zb_t_before), at, unit)
      end)
    local v = tools.value_of(t, spec.value)
    local before = string.format("lag(%s) OVER (%s)", p.position, window)
    return with_units_of(t, t:mutate{
      [spec.time] = string.format("CASE WHEN %s IS NULL AND %s = 2 THEN %s ELSE %s END", before, p.position,
                                  period_text(timed.frequency, p.year, p.position, true),
                                  period_text(timed.frequency, p.year, p.position, false)),
      [spec.value] = string.format("CASE WHEN %s IS NULL THEN %s ELSE %s - lag(%s) OVER (%s) END", before, v, v, v, window)})
  end}

-- Year-to-date values from each period's own: the running total in the
-- year, NULL from a NULL on (a sum that skipped it would be too small).
T.define{name = "to_ytd", doc = "each period's values as year-to-date (累计) totals; the year's first may be a " ..
         "two-month 1-2月",
  options = ytd_options,
  body = function(t, spec)
    local by, timed, p, window, unit = year_series(t, "to_ytd", spec)
    local start = string.format("CASE WHEN zb_span THEN 1 ELSE zb_position END")
    refuse_first(t, "to_ytd", spec, by, p, window,
      string.format("(zb_before IS NULL AND %s > 1) OR zb_before <> %s - 1", start, start),
      function(r, at)
        if r.zb_before == nil then
          return string.format("%s = %s is the first of %d%s: the %s before it are missing", spec.time, shown(r.zb_t),
                               r.zb_year, at, unit)
        end
        return string.format("%s = %s follows %s%s: the %s between are missing (or overlap)", spec.time, shown(r.zb_t),
                             shown(r.zb_t_before), at, unit)
      end)
    local v = tools.value_of(t, spec.value)
    local running = window .. " ROWS UNBOUNDED PRECEDING"
    return with_units_of(t, t:mutate{
      [spec.time] = string.format("CASE WHEN %s = 1 THEN %s ELSE %s END", p.position,
                                  period_text(timed.frequency, p.year, p.position, false),
                                  period_text(timed.frequency, p.year, p.position, true)),
      [spec.value] = string.format("CASE WHEN count(%s) OVER (%s) = count(*) OVER (%s) THEN sum(%s) OVER (%s) END",
                                   v, running, running, v, running)})
  end}

-- Target frequencies: periods a year, and the canonical text of one.
local targets = {
  year = {frequency = "A", per_year = 1}, A = "year",
  half = {frequency = "S", per_year = 2, fmt = "%d-S%d"}, S = "half",
  quarter = {frequency = "Q", per_year = 4, fmt = "%d-Q%d"}, Q = "quarter",
}

T.define{name = "resample", doc = "to a coarser frequency (to = \"quarter\", \"half\" or \"year\"): sum = flows, " ..
         "last = stocks (at the period's end), mean = rates; a period not wholly there is NULL unless partial = true",
  options = {{"time", "column"}, {"to", "name"}, {"by", "columns", optional = true},
             {"sum", "columns", optional = true}, {"last", "columns", optional = true},
             {"mean", "columns", optional = true}, {"partial", "boolean", optional = true}},
  body = function(t, spec)
    local target = targets[spec.to]
    if type(target) == "string" then target = targets[target] end
    if not target then raise_for("resample", "to must be \"quarter\", \"half\" or \"year\", not " .. shown(spec.to)) end
    local how, values = {}, {}
    for _, kind in ipairs{"sum", "last", "mean"} do
      for _, c in ipairs(type(spec[kind]) == "string" and {spec[kind]} or spec[kind] or {}) do
        if how[c] then raise_for("resample", string.format("column %s is given twice (%s and %s)", c, how[c], kind)) end
        how[c], values[#values + 1] = kind, c
      end
    end
    if #values == 0 then raise_for("resample", "no columns given: sum = {flows}, last = {stocks}, mean = {rates}") end
    local by, timed = tools.series(t, "resample", {time = spec.time, by = spec.by, value = values[1]}, true)
    local from_per_year = timed.frequency and require("zb.core").period_per_year(timed.frequency)
    if not from_per_year or timed.frequency == "D" or from_per_year <= target.per_year
       or from_per_year % target.per_year ~= 0 then
      raise_for("resample", string.format("column %s holds %s, which do not make %ss", spec.time,
                                          timed.frequency and zb.period.frequencies[timed.frequency] .. "s" or "no periods",
                                          zb.period.frequencies[target.frequency]))
    end
    local p = parts_of(quote(spec.time))
    local each = from_per_year // target.per_year  -- periods in one of the target's
    local slot = function(position) return string.format("((%s - 1) / %d)", position, each) end
    -- a year-to-date span counts its periods, and must lie in one target period
    tools.check(t, "resample", {numbers = values})
    if timed.spans and timed.spans > 0 then
      if #(spec.mean and (type(spec.mean) == "string" and {spec.mean} or spec.mean) or {}) > 0 then
        raise_for("resample", string.format("column %s holds year-to-date spans (1-2月): a mean would count a span " ..
                                            "as one period", spec.time))
      end
      local d, source = tools.source_of(t)
      local across = tools.rows_of(d, string.format("SELECT %s AS t FROM %s WHERE %s AND %s <> %s LIMIT 1",
        quote(spec.time), tools.from(source), p.span, slot(p.position), slot("1")))[1]
      if across then
        raise_for("resample", string.format("%s = %s spans two %ss; from_ytd gives each period its own value",
                                            spec.time, shown(across.t), zb.period.frequencies[target.frequency]))
      end
      -- year-to-date totals overlap (1-2月 and 1-3月 both hold February): summed, months would count twice
      local keys = quoted(by)
      keys[#keys + 1] = p.year
      refuse_first(t, "resample", spec, by, p, "PARTITION BY " .. table.concat(keys, ", ") .. " ORDER BY " .. p.position,
        "zb_before IS NOT NULL AND (CASE WHEN zb_span THEN 1 ELSE zb_position END) <= zb_before",
        function(r, at)
          return string.format("%s = %s overlaps %s%s: year-to-date totals hold the same periods; from_ytd gives " ..
                               "each period its own value first", spec.time, shown(r.zb_t), shown(r.zb_t_before), at)
        end)
    end
    local covers = string.format("CASE WHEN %s THEN %s ELSE 1 END", p.span, p.position)
    local key = target.fmt and dialect.format(target.fmt, p.year, slot(p.position) .. " + 1") or p.year
    local group = {table.unpack(by)}
    group[#group + 1] = {[spec.time] = key}
    -- each stock's value at the end: the last row of its target period
    local keys = quoted(by)
    keys[#keys + 1] = key
    local ends = {}
    for _, c in ipairs(values) do
      if how[c] == "last" then
        ends["zb_last_" .. c] = string.format("last_value(%s) OVER (PARTITION BY %s ORDER BY %s ROWS BETWEEN " ..
          "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", quote(c), table.concat(keys, ", "), p.position)
      end
    end
    local rows = next(ends) and t:mutate(ends) or t
    local aggs = {}
    for _, c in ipairs(values) do
      local col = quote(c)
      local whole = string.format("sum(CASE WHEN %s IS NOT NULL THEN %s END) = %d", col, covers, each)
      local value = ({sum = "sum(" .. col .. ")", mean = "avg(" .. col .. ")",
                      last = "max(" .. quote("zb_last_" .. c) .. ")"})[how[c]]
      aggs[#aggs + 1] = {[c] = spec.partial and value or string.format("CASE WHEN %s THEN %s END", whole, value)}
    end
    return rows:group(table.unpack(group)):agg(table.unpack(aggs))
  end}

return true
