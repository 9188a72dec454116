-- zb.period: statistical time.  A period is a year, a half-year, a quarter,
-- a month or a day, or a year-to-date span of months or quarters (NBS's
-- 1-2月, 1-3季度); it parses the spellings Chinese and international
-- statistics use and has one canonical text per frequency, after SDMX's
-- TIME_PERIOD, which sorts as time does:
--
--   A  2021          2021, "2021", "2021年"
--   S  2021-S1       "2021H1", "2021-S1", "2021年上半年"
--   Q  2021-Q1       "2021Q1", "2021-Q1", "2021年第一季度", "2021年一季度", "2021年1季度"
--   M  2021-01       "2021-1", "2021-01", 202101, "202101", "2021/1", "2021年1月", "2021M1", "2021-M01"
--   D  2021-12-31    "2021-12-31", "2021/12/31", "2021年12月31日", 20211231
--   year to date:    "2021年1-2月" is 2021-01~02, "2021年1—12月" 2021-01~12,
--                    "2021年1-3季度" 2021-Q1~Q3 (M or Q, spanning from the first)
--
--   local p = zb.period("2021年12月")  --> 2021-12
--   p.year, p.frequency, p.position    --> 2021, "M", 12
--   p + 1, p - 12, p:year_ago()        --> 2022-01, 2020-12, 2020-12
--   zb.period("2022-03") - zb.period("2021-12")  --> 3 (months between)
--
-- Text that is not a period is an error naming it; so is arithmetic or a
-- comparison across frequencies.  In SQL (zb.library): period(x) (the
-- canonical text), period_year, period_frequency, period_position,
-- period_index (a count of periods since year 0, for differences) and
-- period_add(x, n).
local core = require("zb.core")

local M = {}

local Period = {}
Period.__index = Period
Period.__name = "zb.Period"

local NAMES = {A = "year", S = "half-year", Q = "quarter", M = "month", D = "day"}

-- A period: frequency, year, position in the year (1..), and for a
-- year-to-date span the position it starts from (1).  Reading and
-- reckoning are zb.core's (src/time/period.c), which SQL's period() shares.
local function make(frequency, year, position, from)
  return setmetatable({frequency = frequency, year = year, position = position, from = from}, Period)
end

-- The period x spells, or nil and why not.
local function parse(x)
  if getmetatable(x) == Period then return x end
  local frequency, year, position, from = core.period_read(x)
  if not frequency then return nil, year end
  return make(frequency, year, position, from)
end

-- zb.period(x): the period x spells; an error naming x when it is none.
function M.parse(x)
  local p, why = parse(x)
  if not p then error(why, 2) end
  return p
end

-- zb.period.is(x): whether x spells a period.
function M.is(x)
  return parse(x) ~= nil
end

-- The number of periods since year 0 (days since 1970 for a day): periods
-- of one frequency differ by their indexes.
function Period:index()
  return core.period_index(self.frequency, self.year, self.position)
end

function Period:__tostring()
  return core.period_text(self.frequency, self.year, self.position, self.from)
end

local function same_frequency(a, b, what)
  if a.frequency ~= b.frequency then
    error(string.format("cannot %s %s (a %s) and %s (a %s): periods of one frequency are needed", what,
                        tostring(a), NAMES[a.frequency], tostring(b), NAMES[b.frequency]), 3)
  end
end

-- p + n: n periods later (a year-to-date span moves by years, keeping its months).
function Period.__add(a, b)
  if getmetatable(a) ~= Period then a, b = b, a end
  if math.type(b) ~= "integer" then error("a period plus a whole number of periods", 2) end
  local ok, year, position = pcall(core.period_add, a.frequency, a.year, a.position, a.from, b)
  if not ok then error(year, 2) end
  return make(a.frequency, year, position, a.from)
end

-- p - n: n periods earlier; p - q: the periods from q to p.
function Period.__sub(a, b)
  if getmetatable(b) == Period then
    a = M.parse(a)
    same_frequency(a, b, "subtract")
    return a:index() - b:index()
  end
  if math.type(b) ~= "integer" then error("a period minus a whole number of periods, or a period", 2) end
  return Period.__add(a, -b)
end

function Period.__eq(a, b)
  if getmetatable(a) ~= Period or getmetatable(b) ~= Period then return false end
  return a.frequency == b.frequency and a:index() == b:index() and a.from == b.from
end

-- p < q, and p < "2022-01": text is read as a period.
function Period.__lt(a, b)
  a, b = M.parse(a), M.parse(b)
  same_frequency(a, b, "compare")
  return a:index() < b:index()
end

function Period.__le(a, b)
  a, b = M.parse(a), M.parse(b)
  same_frequency(a, b, "compare")
  return a:index() <= b:index()
end

-- The same period a year earlier (1-2月 with the previous year's 1-2月; a
-- leap day's is the 28th).
function Period:year_ago()
  local year, position = core.period_year_ago(self.frequency, self.year, self.position)
  return make(self.frequency, year, position, self.from)
end

-- The periods in a year (days: 365.2425 on average), for fractional years.
function Period:per_year()
  return core.period_per_year(self.frequency)
end

-- The years from q to p, a fraction for months, quarters and days.
function M.years_between(q, p)
  p, q = M.parse(p), M.parse(q)
  local n = p - q
  if p.frequency == "A" then return n end
  return n / p:per_year()
end

-- The SQL functions (src/time/period.c makes them on every database zb opens):
-- name, how it is called, its doc line, and its Lua form for
-- zb.metrics.NAME.  NULL gives NULL; text that is no period is an error
-- naming it.  An annual period is its year, an integer.
local function canonical(p)
  return p.frequency == "A" and p.year or tostring(p)
end

local function nullable(fn)
  return function(x, ...)
    if x == nil then return nil end
    local p, why = parse(x)
    if not p then error(why, 2) end
    return fn(p, ...)
  end
end

M.sql_functions = {
  {"period", nullable(canonical), "x", "x as a period's canonical text (2021-Q1, 2021-01, 2021-01~02; a year stays an integer)"},
  {"period_year", nullable(function(p) return p.year end), "x", "the year of period x"},
  {"period_frequency", nullable(function(p) return p.frequency end), "x", "the frequency of period x: A, S, Q, M or D"},
  {"period_position", nullable(function(p) return p.position end), "x", "the position of period x in its year (a month's 1-12)"},
  {"period_index", nullable(function(p) return p:index() end), "x",
   "a count of periods up to x (days for a day): periods of one frequency differ by their indexes"},
  {"period_add", nullable(function(p, n)
    if n == nil then return nil end
    local whole = math.tointeger(n)
    if not whole then error("period_add: n must be a whole number of periods", 2) end
    return canonical(p + whole)
  end), "x, n", "the period n periods after x (before, when n is negative)"},
  {"period_year_ago", nullable(function(p) return canonical(p:year_ago()) end), "x",
   "the same period a year before x (1-2月 with the year before's 1-2月)"},
}

M.frequencies = NAMES
M.Period = Period
return setmetatable(M, {__call = function(_, x) return M.parse(x) end})
