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
local M = {}

local Period = {}
Period.__index = Period
Period.__name = "zb.Period"

local PER_YEAR = {A = 1, S = 2, Q = 4, M = 12}
local NAMES = {A = "year", S = "half-year", Q = "quarter", M = "month", D = "day"}

-- Days from 1970-01-01 of a civil date, and back (Howard Hinnant's
-- algorithms, exact for every year of the proleptic Gregorian calendar).
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m > 2 and m - 3 or m + 9) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (m <= 2 and 1 or 0), m, d
end

local function days_in_month(y, m)
  return days_from_civil(m == 12 and y + 1 or y, m == 12 and 1 or m + 1, 1) - days_from_civil(y, m, 1)
end

-- A period: frequency, year, position in the year (1..), and for a
-- year-to-date span the position it starts from (1).
local function make(frequency, year, position, from)
  return setmetatable({frequency = frequency, year = year, position = position, from = from}, Period)
end

local function day(y, m, d)
  if m < 1 or m > 12 or d < 1 or d > days_in_month(y, m) then return nil end
  return make("D", y, days_from_civil(y, m, d) - days_from_civil(y, 1, 1) + 1)
end

local function month(y, m)
  m = tonumber(m)
  return m >= 1 and m <= 12 and make("M", tonumber(y), m) or nil
end

-- A quarter's number as written: 1-4 or 一二三四 (Lua's patterns see bytes,
-- so Chinese characters are matched as whole captures, never in sets).
local QUARTERS = {["1"] = 1, ["2"] = 2, ["3"] = 3, ["4"] = 4, ["一"] = 1, ["二"] = 2, ["三"] = 3, ["四"] = 4}

local function quarter(y, q)
  return QUARTERS[q] and make("Q", tonumber(y), QUARTERS[q]) or nil
end

-- A year-to-date span: from the first month (quarter) to b.
local function months_to_date(y, a, b)
  a, b = tonumber(a), tonumber(b)
  return a == 1 and b > 1 and b <= 12 and make("M", tonumber(y), b, 1) or nil
end

local function quarters_to_date(y, a, b)
  a, b = QUARTERS[a], QUARTERS[b]
  return a == 1 and b and b > 1 and make("Q", tonumber(y), b, 1) or nil
end

-- Each spelling: a pattern, and how its captures make a period (nil when
-- they are out of range).  Dashes (—, –, ～, 至) are read as "-" first.
local spellings = {
  {"^(%d%d%d%d)$", function(y) return make("A", tonumber(y), 1) end},
  {"^(%d%d%d%d)年$", function(y) return make("A", tonumber(y), 1) end},
  {"^(%d%d%d%d)%-?[HhSs]([12])$", function(y, h) return make("S", tonumber(y), tonumber(h)) end},
  {"^(%d%d%d%d)年上半年$", function(y) return make("S", tonumber(y), 1) end},
  {"^(%d%d%d%d)年下半年$", function(y) return make("S", tonumber(y), 2) end},
  {"^(%d%d%d%d)%s*%-?%s*[Qq]([1-4])$", quarter},
  {"^(%d%d%d%d)年第(.-)季度$", quarter},
  {"^(%d%d%d%d)年(.-)季度$", quarter},
  {"^(%d%d%d%d)(%d%d)$", month},
  {"^(%d%d%d%d)[-/](%d%d?)$", month},
  {"^(%d%d%d%d)%-?[Mm](%d%d?)$", month},
  {"^(%d%d%d%d)年(%d%d?)月$", month},
  {"^(%d%d%d%d)年(%d%d?)月份$", month},
  {"^(%d%d%d%d)年(%d%d?)%s*%-%s*(%d%d?)月$", months_to_date},
  {"^(%d%d%d%d)年(%d%d?)%s*%-%s*(%d%d?)月份$", months_to_date},
  {"^(%d%d%d%d)年前(.-)季度$", function(y, b) return quarters_to_date(y, "1", b) end},
  {"^(%d%d%d%d)/(%d%d?)/(%d%d?)$", function(y, m, d) return day(tonumber(y), tonumber(m), tonumber(d)) end},
  {"^(%d%d%d%d)%-(%d%d?)%-(%d%d?)$", function(y, m, d) return day(tonumber(y), tonumber(m), tonumber(d)) end},
  {"^(%d%d%d%d)年(%d%d?)月(%d%d?)日$", function(y, m, d) return day(tonumber(y), tonumber(m), tonumber(d)) end},
  {"^(%d%d%d%d)(%d%d)(%d%d)$", function(y, m, d) return day(tonumber(y), tonumber(m), tonumber(d)) end},
  {"^(%d%d%d%d)年第(.-)%s*%-%s*(.-)季度$", quarters_to_date},
  {"^(%d%d%d%d)年(.-)%s*%-%s*(.-)季度$", quarters_to_date},
  {"^(%d%d%d%d)%-(%d%d)~(%d%d)$", months_to_date},  -- the canonical spans
  {"^(%d%d%d%d)%-Q([1-4])~Q([1-4])$", quarters_to_date},
}

local DASHES = {"—", "–", "～", "至", "－"}

-- The period x spells, or nil and why not, read afresh.
local function read(x)
  local kind = math.type(x)
  if kind == "float" then
    if x ~= math.floor(x) then return nil, string.format("%s is not a period (a number with a fraction)", x) end
    x = math.tointeger(x)
  end
  if type(x) ~= "string" and math.type(x) ~= "integer" then
    return nil, string.format("a %s is not a period", type(x))
  end
  local text = tostring(x):match("^%s*(.-)%s*$")
  local dashed = text
  for _, d in ipairs(DASHES) do dashed = dashed:gsub(d, "-") end
  for _, s in ipairs(spellings) do
    local captures = {dashed:match(s[1])}
    if captures[1] then
      local p = s[2](table.unpack(captures))
      if p then return p end
    end
  end
  return nil, string.format("'%s' is not a period (a year 2021, 2021-S1, 2021-Q1, 2021-01, 2021-12-31, " ..
                            "2021年1-2月, or their Chinese spellings)", tostring(x))
end

-- Spellings already read (a column repeats its periods row after row):
-- each to {frequency, year, position, from}; emptied when it grows large.
local known, nknown = {}, 0

-- The period x spells, or nil and why not.
local function parse(x)
  if getmetatable(x) == Period then return x end
  local seen = known[x]
  if seen then return make(seen[1], seen[2], seen[3], seen[4]) end
  local p, why = read(x)
  if p then
    if nknown >= 65536 then known, nknown = {}, 0 end
    known[x], nknown = {p.frequency, p.year, p.position, p.from}, nknown + 1
  end
  return p, why
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
  if self.frequency == "D" then return days_from_civil(self.year, 1, 1) + self.position - 1 end
  return self.year * PER_YEAR[self.frequency] + self.position - 1
end

local function from_index(frequency, index, from)
  if frequency == "D" then
    local y, m, d = civil_from_days(index)
    return day(y, m, d)
  end
  local n = PER_YEAR[frequency]
  return make(frequency, index // n, index % n + 1, from)
end

function Period:__tostring()
  local f, y, p = self.frequency, self.year, self.position
  if f == "A" then return string.format("%d", y) end
  if f == "S" then return string.format("%d-S%d", y, p) end
  if f == "Q" then return self.from and string.format("%d-Q%d~Q%d", y, self.from, p) or string.format("%d-Q%d", y, p) end
  if f == "M" then return self.from and string.format("%d-%02d~%02d", y, self.from, p) or string.format("%d-%02d", y, p) end
  local yy, m, d = civil_from_days(self:index())
  return string.format("%04d-%02d-%02d", yy, m, d)
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
  if a.from then
    if b % PER_YEAR[a.frequency] ~= 0 then
      error(string.format("%s is year to date: it moves by whole years", tostring(a)), 2)
    end
    return make(a.frequency, a.year + b // PER_YEAR[a.frequency], a.position, a.from)
  end
  return from_index(a.frequency, a:index() + b)
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

-- The same period a year earlier (1-2月 with the previous year's 1-2月).
function Period:year_ago()
  if self.frequency == "D" then
    local y, m, d = civil_from_days(self:index())
    if m == 2 and d == 29 then d = 28 end  -- a leap day's year ago is the 28th
    return day(y - 1, m, d)
  end
  return make(self.frequency, self.year - 1, self.position, self.from)
end

-- The periods in a year (days: 365.2425 on average), for fractional years.
function Period:per_year()
  return self.frequency == "D" and 365.2425 or PER_YEAR[self.frequency]
end

-- The years from q to p, a fraction for months, quarters and days.
function M.years_between(q, p)
  p, q = M.parse(p), M.parse(q)
  local n = p - q
  if p.frequency == "A" then return n end
  return n / p:per_year()
end

-- The SQL functions zb.library makes of these: name, Lua function, how it
-- is called, its doc line.  NULL gives NULL; text that is no period is an
-- error naming it.  An annual period is its year, an integer.
local function canonical(p)
  return p.frequency == "A" and p.year or tostring(p)
end

local function nullable(fn)
  return function(x, ...)
    if x == nil then return nil end
    local p, why = parse(x)
    if not p then error(why, 0) end  -- the value's fault, not a place in zb
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
    if not whole then error("period_add: n must be a whole number of periods", 0) end
    return canonical(p + whole)
  end), "x, n", "the period n periods after x (before, when n is negative)"},
  {"period_year_ago", nullable(function(p) return canonical(p:year_ago()) end), "x",
   "the same period a year before x (1-2月 with the year before's 1-2月)"},
}

M.frequencies = NAMES
M.Period = Period
return setmetatable(M, {__call = function(_, x) return M.parse(x) end})
