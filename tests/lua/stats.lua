-- The statistics library against values worked out by hand from each
-- textbook definition (in the comments), to 1e-9: in Lua over arrays, and
-- as SQL aggregates over the same rows.
local T = require("check")
local S = zb.stats

local function near(got, want, name)
  T.ok(type(got) == "number" and math.abs(got - want) <= 1e-9, name, tostring(got) .. " (want " .. want .. ")")
end

-- Rows of a VALUES list, for the SQL forms.
local function sql_of(aggregate, xs, ys)
  local rows, args = {}, {}
  for i = 1, #xs do
    rows[i] = ys and "(?, ?)" or "(?)"
    args[#args + 1] = xs[i]
    if ys then args[#args + 1] = ys[i] end
  end
  return zb.sql("select " .. aggregate .. " from (values " .. table.concat(rows, ", ") .. ")", table.unpack(args)):value()
end

local function both(name, call, xs, ys, want, what)
  near(ys and S[name](xs, ys) or S[name](xs), want, name .. ": " .. what)
  near(sql_of(call, xs, ys), want, name .. " in SQL: " .. what)
end

-- x = 2 4 4 4 5 5 7 9: mean 5, Σ(x - 5)² = 32.
local x = {2, 4, 4, 4, 5, 5, 7, 9}
near(S.mean(x), 5, "mean = Σx / n")
both("variance", "variance(column1)", x, nil, 32 / 7, "Σ(x - mean)² / (n - 1) = 32/7")
both("var_pop", "var_pop(column1)", x, nil, 4, "Σ(x - mean)² / n = 4")
both("sd", "sd(column1)", x, nil, 2.138089935299395, "√(32/7)")
both("sd_pop", "sd_pop(column1)", x, nil, 2, "√4")
both("cv", "cv(column1)", x, nil, 0.427617987059879, "sd / mean = √(32/7) / 5")
both("median", "median(column1)", x, nil, 4.5, "the mean of the middle two, 4 and 5")
near(S.median({3, 1, 2}), 2, "median of an odd count: the middle one")
near(S.quantile(x, 0.25), 4, "quantile 0.25: h = 7·0.25 + 1 = 2.75, between x(2) = 4 and x(3) = 4")
near(S.quantile(x, 0.9), 7.6, "quantile 0.9: h = 7.3, 7 + 0.3·(9 - 7)")
near(sql_of("quantile(column1, 0.9)", x), 7.6, "quantile in SQL, p from the query")
near(S.quantile(x, 0), 2, "quantile 0 is the minimum")
near(S.quantile(x, 1), 9, "quantile 1 is the maximum")

-- Gini of 1 2 3 4: Σi Σj |xi - xj| = 20, 2 n² mean = 2·16·2.5 = 80.
both("gini", "gini(column1)", {1, 2, 3, 4}, nil, 0.25, "20 / 80")
near(S.gini({5, 5, 5}), 0, "equal values: 0")
near(S.gini({0, 0, 0, 10}), 0.75, "one has all: (n - 1) / n")
-- Two groups of equal population with 20 and 80 of the income: Lorenz
-- points (0.5, 0.2) and (1, 1); G = 1 - [0.5·(0 + 0.2) + 0.5·(0.2 + 1)] = 0.3,
-- as the Gini of the values 20 and 80.
both("gini_grouped", "gini_grouped(column1, column2)", {100, 100}, {80, 20}, 0.3, "from population and income")
near(S.gini({20, 80}), 0.3, "... the same as from the values")
-- Theil of 1 and 3 (mean 2).
both("theil", "theil(column1)", {1, 3}, nil, 0.13081203594113697, "T: (0.5 ln 0.5 + 1.5 ln 1.5) / 2")
both("theil_l", "theil_l(column1)", {1, 3}, nil, 0.14384103622589042, "L: (ln 2 + ln 2/3) / 2")
near(S.theil({4, 4}), 0, "Theil T of equal values is 0")
T.fails(function() S.theil_l({0, 1}) end, "theil_l: values must be positive", "Theil L of a zero is undefined")
-- S80/S20: 1..10, the top two over the bottom two: 19 / 3; 1..7, a fifth is
-- 1.4 values: (7 + 0.4·6) / (1 + 0.4·2) = 9.4 / 1.8.
both("quintile_ratio", "quintile_ratio(column1)", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil, 19 / 3, "whole fifths")
near(S.quintile_ratio({1, 2, 3, 4, 5, 6, 7}), 9.4 / 1.8, "a fifth that splits a value")

-- x = 1..5, y = 2 4 5 4 5: Sxy = 6, Sxx = 10, Syy = 6.
local cx, cy = {1, 2, 3, 4, 5}, {2, 4, 5, 4, 5}
both("corr", "corr(column1, column2)", cx, cy, 6 / math.sqrt(60), "Sxy / √(Sxx Syy)")
both("slope", "slope(column1, column2)", cy, cx, 0.6, "Sxy / Sxx")
both("intercept", "intercept(column1, column2)", cy, cx, 2.2, "ȳ - slope·x̄ = 4 - 1.8")
both("r2", "r2(column1, column2)", cy, cx, 0.6, "Sxy² / (Sxx Syy)")

-- NULLs are left out, as SQL's aggregates leave them.
near(S.mean({1, nil, 3, n = 3}), 2, "nil entries are left out")
near(sql_of("median(column1)", {1, 2, 100}), 2, "median in SQL")
T.eq(zb.sql("select median(column1) from (values (null), (null))"):value(), nil, "all NULL: NULL")
T.eq(S.median({}), nil, "no values: nil")

-- Extremes: totals beyond the integers and the reals, squares beyond the reals.
local big = math.maxinteger
near(S.mean({big, big}) / big, 1, "the mean of the largest integers (their sum would wrap around)")
T.eq(S.sum({big, big}), 2.0 * big, "a sum beyond the integers goes on as a real")
T.eq(math.type(S.sum({1, 2, 3})), "integer", "... and one that fits stays an integer")
near(S.mean({1e308, 1e308}) / 1e308, 1, "the mean of reals whose sum is beyond the largest")
near(S.sd({1e308, -1e308}) / (math.sqrt(2) * 1e308), 1, "sd near the largest real: no overflow in the squares")
near(S.sd({1e300, 2e300, 3e300}) / 1e300, 1, "sd of large values")
T.eq(S.variance({1e308, 1e308}), 0.0, "variance of equal large values")
near(S.slope({2e300, 4e300, 6e300}, {1, 2, 3}) / 2e300, 1, "slope in the data's units")
near(S.corr({1e300, 2e300, 3e300}, {1, 2, 4}), S.corr({1, 2, 3}, {1, 2, 4}), "corr does not depend on scale")
T.fails(function() S.corr({1, 2}, {1, "two"}) end, "corr: expected a number, got the text 'two'", "corr of text: a clear error")
T.fails(function() zb.sql("select corr(x, y) from (select 1 as x, 'a' as y union all select 2, 3)"):value() end,
        "aggregate 'corr': corr: expected a number, got the text 'a'", "... in SQL, naming the aggregate")

T.fails(function() S.gini(nil) end, "expected an array of numbers, got nil", "not an array: a clear error")
T.fails(function() zb.metrics.gini(5) end, "expected an array of numbers, got number", "... through zb.metrics too")
near(S.trend({2, 4, 6}).slope, 2, "a trend without xs is over positions 1..n")
local many = {}
for i = 1, 2000000 do many[i] = i % 1000 end
T.eq(S.max(many) .. " " .. S.min(many), "999 0", "min and max of two million values (more than Lua can unpack)")
T.eq(S.median({"3", "1", "2"}), 2.0, "text that reads as numbers counts, as in SQLite")

-- As window functions: rows leave the frame from the front.
T.eq(zb.sql([[select group_concat(printf('%g', m), ',') from (select median(x) over (order by x rows 2 preceding) as m
  from (select 1 as x union all select 5 union all select 2 union all select 10 union all select 3))]]):value(),
     "1,1.5,2,3,5", "median over a sliding frame")
near(zb.sql([[select quantile(x, 0.5) over (order by x rows between 1 preceding and 1 following) as q from
  (select 1 as x union all select 5 union all select 10) order by x desc limit 1]]):value(), 7.5, "quantile over a frame")

-- Scalars.
near(zb.sql("select ratio(74700, 42692)"):value(), 1.7497423404853367, "ratio: urban over rural income")
T.eq(zb.sql("select ratio(1, 0)"):value(), nil, "ratio by zero is NULL")
near(zb.sql("select growth(121, 110)"):value(), 10, "growth: (121/110 - 1)·100")
near(zb.sql("select cagr(100, 121, 2)"):value(), 10, "cagr: (121/100)^(1/2) - 1, in %")

-- The library in use on the Hangzhou data: group statistics.
local hz = zb.dataset("hangzhou-2021", {name = "hz"})
local incomes = hz:where{indicator = {"income_urban", "income_rural"}}
near(incomes:agg{g = "gini(value)"}:value(), S.gini({74700, 42692}), "gini() over a table's rows")
T.eq(zb.metrics.about("gini").kind, "aggregate (window)", "the library's aggregates are in zb.metrics, as window functions too")
T.has(zb.metrics.about("median").doc, "middle", "... each with a doc line")

-- Issue 12: no silent wrong answer.  Each expected value is Python's: exact
-- arithmetic in fractions.Fraction (or decimal.Decimal at 60 digits for
-- logarithms and roots), rounded once to a real; the comment says what.
local here = debug.getinfo(1, "S").short_src
-- fn raises text, reported at this file's line (the caller's, not stats.lua's).
local function fails_here(fn, text, name)
  local ok, err = pcall(fn)
  err = tostring(err)
  T.ok(not ok and err:sub(1, #here + 1) == here .. ":" and err:find(text, 1, true) ~= nil, name,
       ok and "no error raised" or "error: " .. err)
end
local function integer(got, want, name)
  T.ok(math.type(got) == "integer" and got == want, name, "got: " .. tostring(got) .. " (" .. tostring(math.type(got)) .. ")")
end

-- Arrays with holes: a loop that sets xs[i] = row.value leaves nils where
-- values are missing, and #xs may stop at any of them (here at 1).
local rows, holes = {{v = 1}, {}, {}, {v = 4}}, {}
for i, r in ipairs(rows) do holes[i] = r.v end
fails_here(function() local _ = S.sum(holes) end, "sum: the array has a hole", "an array with holes is refused, not summed up to the first hole")
T.fails(function() S.median(holes) end, "xs.n = ", "... and the error says to set n")
holes.n = #rows
T.eq(S.sum(holes), 5, "with n set (table.pack's field), every value counts")
T.eq(S.median(holes), 2.5, "... the median of 1 and 4")
T.eq(S.count(holes), 2, "... and the nils are left out")
T.fails(function() S.corr({1, 2, 3}, {1, 2}) end, "corr: the arrays differ in length (3 and 2 entries)", "pairs from arrays of different lengths are refused")
near(S.corr({1, 2, 3, n = 3}, {1, 2, n = 3}), 1, "... unless n says the shorter one's last entries are missing")
T.fails(function() S.mean({1, 2, n = "two"}) end, "mean: the array's n must be a count", "an n that is not a count is refused")

-- Integers beyond 2^53 and near 2^63, reals near the largest.
local e18, odd, big = 5000000000000000000, (1 << 53) + 1, math.maxinteger
integer(S.median({-e18, e18}), 0, "median of -5e18 and 5e18 (integers) is 0: the sum would wrap around")
integer(zb.sql("select median(column1) from (values (-5000000000000000000), (5000000000000000000))"):value(), 0, "... in SQL too")
T.eq(S.median({-1e308, 1e308}), 0.0, "median of -1e308 and 1e308 is 0: their difference is beyond the largest real")
integer(S.median({odd, odd, odd}), odd, "the median of three 2^53 + 1 is that integer, exactly")
integer(S.median({1, 3}), 2, "the median of two integers whose mean is whole is an integer")
T.eq(S.median({-3, -2}), -2.5, "... and a half when it is not")
T.eq(S.quantile({-e18, e18}, 0.25), -2.5e18, "quantile between integers far apart")
T.eq(S.quantile({0.0, 1e308, 1e308}, 0.5), 1e308, "quantile on a value is that value")
integer(S.mean({odd, odd, odd}), odd, "the mean of three 2^53 + 1 is that integer, exactly")
integer(S.mean({big, big, big}), big, "the mean of three of the largest integer is it (the sum would wrap)")
-- Fraction(2^62+1 + 2^62+2 + 2^62+2^61, 3)
T.eq(S.mean({(1 << 62) + 1, (1 << 62) + 2, (1 << 62) + (1 << 61)}), 5.380300354831953e+18, "a mean of large integers, rounded once")
T.eq(S.sum({1e16, 1.0, -1e16}), 1.0, "a sum of reals is exact, then rounded (1e16 + 1 alone would drop the 1)")
T.eq(S.mean({1e16, 1.0, -1e16}), 0.3333333333333333, "... and so is the mean's total")
T.eq(S.mean({1e308, 1e308, -1e308}), 3.333333333333333e+307, "a mean whose running total passes the largest real")
-- Fraction variance of 2^53+1, 2^53+2, 2^53+4 (mean 2^53 + 7/3): 7/3
T.eq(S.variance({odd, odd + 1, odd + 3}), 2.3333333333333335, "variance of integers beyond 2^53 (as reals they would be 2^53, 2^53+2, 2^53+4)")
-- Fraction: (9e18 + 8.2e18) / (1e18 + 2e18)
local tenbig = {}
for i = 1, 9 do tenbig[i] = i * 1000000000000000000 end
tenbig[10] = 9200000000000000000
T.eq(S.quintile_ratio(tenbig), 6.066666666666666, "quintile_ratio of large integers: the top fifth's total would wrap negative")
-- Fraction: (9e18 + 2/5·8e18) / (1e18 + 2/5·2e18)
T.eq(S.quintile_ratio({1e18 // 1, 2 * 10^18 // 1, 3 * 10^18 // 1, 4 * 10^18 // 1, 5 * 10^18 // 1, 8 * 10^18 // 1, 9 * 10^18 // 1}),
     6.777777777777778, "... and with a fifth that splits a value")
T.eq(S.mean({0.2, 0.2, 0.2}), 0.2, "the mean of three 0.2 is 0.2 (the total's rounding and the division's gave 0.20000000000000004)")
T.eq(S.variance({0.2, 0.2, 0.2}), 0.0, "... so their variance is 0")
T.eq(S.quantile({-math.huge, 0}, 0.25), -math.huge, "a quantile next to -inf is -inf, not NaN")
-- Decimal: mean m = (0.1 + 1e308) / 2, (ln(m/0.1) + ln(m/1e308)) / 2
near(S.theil_l({0.1, 1e308}), 355.0562496870201, "Theil L when mean/x is beyond the largest real")
-- Gini and Theil cannot be negative; from sorted reals the usual formulas come out at -2e-16.
local same = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3}
T.eq(S.gini(same), 0.0, "gini of six equal reals is 0, not -2e-16")
T.eq(zb.sql("select gini(column1) from (values (0.3), (0.3), (0.3), (0.3), (0.3), (0.3))"):value(), 0.0, "... in SQL too")
-- Decimal: x = 0.3·(1 + 1e-12) as a real, Theil T and L of {x, 0.3, 0.3} = 1.11139092431671e-25, 1.11139092431659e-25
local close = {0.3 * (1 + 1e-12), 0.3, 0.3}
T.ok(math.abs(S.theil(close) / 1.1113909243167121e-25 - 1) < 1e-6, "Theil T of values nearly equal: small and positive", S.theil(close))
T.ok(math.abs(S.theil_l(close) / 1.1113909243165886e-25 - 1) < 1e-6, "Theil L of values nearly equal: small and positive", S.theil_l(close))
-- Fraction, from the definition Σ|xi - xj| / (2 n² mean)
near(S.gini({1 << 62, (1 << 62) + (1 << 40), big}), 0.1666666567325598, "gini of integers near the largest")

-- Scalars: text is read as SQLite reads it, and a zero as text is a zero.
T.eq(S.ratio("5", "0"), nil, "ratio by a zero given as text is nil")
T.eq(S.growth(5, "0"), nil, "growth from a zero given as text is nil")
T.eq(zb.sql("select ratio('5', '0')"):value(), nil, "... NULL in SQL")
T.eq(zb.sql("select growth(5, '0')"):value(), nil, "... and growth's")
T.eq(S.ratio("6", " 3 "), 2.0, "ratio of numbers given as text")
-- Fraction: (10000000000001 - 10000000000000) / 10000000000000 · 100
T.eq(S.growth(10000000000001, 10000000000000), 1e-11, "growth of a small change keeps its digits")
T.eq(zb.sql("select growth(10000000000001, 10000000000000)"):value(), 1e-11, "... in SQL")
-- Decimal: ((10000000000001 / 10000000000000)^(1/2) - 1) · 100
T.ok(math.abs(S.cagr(10000000000000, 10000000000001, 2) / 4.999999999999875e-12 - 1) < 1e-14,
     "cagr of a small change keeps its digits", S.cagr(10000000000000, 10000000000001, 2))
near(S.cagr("100", "121", "2"), 10, "cagr of numbers given as text")
fails_here(function() local _ = S.median({"0x10"}) end, "median: expected a number, got the text '0x10'",
           "hexadecimal text is refused (Lua reads it as 16, SQLite as 0)")
T.fails(function() zb.sql("select median('0x10')"):value() end, "median: expected a number, got the text '0x10'", "... in SQL too")
T.fails(function() S.mean({1, 0/0}) end, "mean: expected a number, got NaN", "NaN is refused: no order places it")

-- Every statistic names itself and the value it cannot read.
local bad = "abc"
local calls = {
  ratio = {bad, 2}, growth = {bad, 2}, cagr = {1, bad, 2}, quantile = {{1, bad}, 0.5}, quantiles = {{1, bad}, {0.5}},
  corr = {{1, 2}, {1, bad}}, trend = {{1, bad}}, slope = {{1, bad}, {1, 2}}, intercept = {{1, bad}, {1, 2}},
  r2 = {{1, bad}, {1, 2}}, gini_grouped = {{1, 2}, {1, bad}}, gini_per_head = {{1, bad}, {1, 2}},
}
local names = {}
for name in pairs(S) do names[#names + 1] = name end
table.sort(names)
for _, name in ipairs(names) do
  local args = calls[name] or {{1, bad}}
  fails_here(function() local _ = S[name](table.unpack(args)) end, name .. ": expected a number, got the text 'abc'",
             name .. " names itself and the text it cannot read")
end
T.fails(function() zb.sql("select ratio('abc', 2)"):value() end, "ratio: expected a number, got the text 'abc'", "... in SQL too")
T.fails(function() zb.sql("select growth(1, 'n/a')"):value() end, "growth: expected a number, got the text 'n/a'", "... growth, as yoy uses it")
T.fails(function() S.quantile({1, 2}, 2) end, "quantile: p must be from 0 to 1, got 2", "quantile names a p out of range")

-- Grouped Gini: each group's total income, or its income per head (人均, what
-- 收入 usually means in Chinese statistics), with its population.  Python:
-- the Lorenz curve through the groups in order of income per head,
-- G = 1 - Σ pk (Sk-1 + Sk), in Fractions, with totals = population · per head.
local pop, per_head = {914, 285, 400, 120}, {74700, 42692, 55000, 30500}
local totals = {68275800, 12167220, 22000000, 3660000}
both("gini_per_head", "gini_per_head(column1, column2)", pop, per_head, 0.12820811665236936, "from population and income per head")
both("gini_grouped", "gini_grouped(column1, column2)", pop, totals, 0.12820811665236936, "from population and total income")
T.has(zb.metrics.about("gini_grouped").doc, "total income", "gini_grouped's help says its income is each group's total")
T.has(zb.metrics.about("gini_per_head").doc, "income per head", "gini_per_head's help says its income is per head")
T.fails(function() S.gini_per_head({0, 1}, {1, 1}) end, "gini_per_head: a group's population must be more than 0, got 0", "an empty group is refused")


-- Found by the differential tests (tests/lua/reference.lua), the answers
-- worked out exactly: the largest reals cancel and two 2^-1074 are left
-- (the sum at 2^-64 dropped them: 0); the mean of {2^-1074, 0} is below the
-- smallest real, yet cv is √2 (it was nil); {minint, maxint, 1} has a mean
-- of exactly 0, so no cv (scaled as reals it was 3e19).
local m = 1.7976931348623157e308
T.eq(zb.stats.sum{m, m, -m, -m, 5e-324, 5e-324}, 2 * 5e-324, "the smallest reals survive the largest cancelling")
T.eq(zb.stats.cv{5e-324, 0.0}, math.sqrt(2), "cv where the mean is below the smallest real")
T.eq(zb.stats.cv{math.mininteger, math.maxinteger, 1}, nil, "no cv where the mean of integers is exactly 0")
T.eq(zb.stats.cv{-m, m, 5e-324}, math.huge, "cv is infinite where the mean is positive but below any real beside the sd")

T.eq(zb.stats.quantile({2, -5, -3, -4, -3}, 0.9), 4.440892098500626e-16,
     "quantile takes its fraction from (n - 1)p as numpy does (was -1.8e-15 for an exact 0, numpy's 4.4e-16)")
T.eq(select("#", zb.stats.mean{1, 2, 3}), 1, "mean returns the mean alone (it gave 2, 2, 0)")
T.eq(zb.stats.mean{zb.stats.mean{1, 2, 3}, zb.stats.mean{4, 5, 7}}, 11 / 3, "... so means of means are right")
T.eq(select("#", zb.stats.sum{1, 2}), 1, "... and so does sum")

-- An infinite value: the total and mean are infinite (as numpy's); the
-- statistics of spread, inequality and fit have none (numpy's NaN, and
-- theil's was an error inside zb), so they refuse, naming it.
local inf = math.huge
T.eq(zb.stats.mean{1, inf}, inf, "the mean of 1 and inf is inf")
for _, call in ipairs{{"variance", {1, inf}}, {"sd", {1, -inf}}, {"cv", {1, inf}}, {"gini", {1, inf}}, {"theil", {1, inf}},
                      {"theil_l", {1, inf}}, {"quintile_ratio", {1, inf}}} do
  T.fails(function() return zb.stats[call[1]](call[2]) end, call[1] .. ": an infinite value", call[1] .. " refuses inf")
end
T.fails(function() return zb.stats.corr({1, 2}, {inf, 2}) end, "corr: an infinite value (inf)", "corr refuses inf")
T.fails(function() return zb.stats.gini_per_head({1, 1}, {1, inf}) end, "gini_per_head: an infinite value",
        "gini_per_head refuses inf (was NaN)")
T.fails(function() return zb.stats.gini_grouped({2.8921383012414358e227, 1.8731681044012125e-228}, {7.2303457531035896e226, 1.0}) end,
        "its share underflows the reals", "gini_grouped refuses a group too small beside the largest to count (was 0 for 1.4e-227)")
-- A slope of 0 over x scaled by the least subnormal: 0, not NaN (NULL in
-- SQL); the scaling back is 1 / 2^-1074, beyond the reals.
T.eq(zb.stats.slope({0, 0}, {4.9406564584124654e-324, 0}), 0.0, "slope 0 over subnormal x is 0")
T.eq(zb.sql("select slope(y, x) from (select 0.0 as y, 4.9406564584124654e-324 as x union all select 0.0, 0.0)"):value(),
     0.0, "... in SQL too")
T.eq(zb.stats.slope({2e-300, 0}, {1e-300, 0}), 2.0, "a slope over tiny x and y keeps its digits")
-- quantiles: several p of one list, sorted once, against numpy.quantile
-- (its default, "linear", is type 7) on random lists with ties (integers
-- of a short range), reals of both signs and nils (left out, as quantile
-- leaves them); each to the bit as quantile gives it
if T.have_python("numpy") then
  local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
  math.randomseed(seed)
  print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
  local ps = {0, 0.05, 0.5, 0.95, 1, 1 / 3, math.random(), math.random()}
  local lists = {}
  for k = 1, 12 do
    local n, xs = math.random(1, 40), {}
    for i = 1, n do
      if math.random() < 0.2 then xs[i] = nil
      elseif k % 2 == 0 then xs[i] = math.random(-3, 5)
      else xs[i] = (math.random() - 0.4) * 10 ^ math.random(-2, 4) end
    end
    xs.n = n
    lists[k] = xs
  end
  local lines = {}
  for k, xs in ipairs(lists) do
    local cells = {}
    for i = 1, xs.n do cells[i] = xs[i] == nil and "nan" or string.format("%a", xs[i]) end
    lines[k] = table.concat(cells, ",")
  end
  local pcells = {}
  for i, p in ipairs(ps) do pcells[i] = string.format("%a", p) end
  local want = zb.engine.json_decode(T.python([==[
import json, sys
import numpy as np
ps = [float.fromhex(p) for p in sys.argv[1].split(",")]
out = []
for line in sys.argv[2:]:
    v = np.array([float("nan") if c == "nan" else float.fromhex(c) for c in line.split(",")])
    v = v[~np.isnan(v)]
    out.append([float(q) for q in np.quantile(v, ps)] if v.size else None)
print(json.dumps(out))
]==], table.concat(pcells, ","), table.unpack(lines)))
  local bad, same = nil, true
  for k, xs in ipairs(lists) do
    local got = S.quantiles(xs, ps)
    if want[k] == zb.engine.null then
      if got ~= nil then bad = bad or string.format("list %d has no values: %s, not nil", k, zb.pretty(got)) end
    else
      for i, p in ipairs(ps) do
        local w = want[k][i]
        if got == nil or math.abs(got[i] - w) > 1e-12 * math.max(1, math.abs(w)) then
          bad = bad or string.format("list %d, p %s: %s, numpy %s", k, p, got and got[i], w)
        end
        same = same and got ~= nil and got[i] == S.quantile(xs, p) and math.type(got[i]) == math.type(S.quantile(xs, p))
      end
      same = same and #got == #ps
    end
  end
  T.ok(not bad, "quantiles: each p of a list as numpy.quantile (type 7), nils left out", bad)
  T.ok(same, "quantiles: each the number quantile gives, to the bit and type")
end
T.eq(S.quantiles({nil, nil, n = 2}, {0.5}), nil, "quantiles of no values: nil, as quantile")
T.eq(S.quantiles({4, 1, 2, 3}, {1, 0.5, 0})[2], 2.5, "quantiles in the order of ps")
T.fails(function() S.quantiles({1, 2}, {0.5, 2}) end, "quantiles: p must be from 0 to 1, got 2", "quantiles names a p out of range")
T.fails(function() S.quantiles({1, 2}, 0.5) end, "quantiles: ps must be a list of p", "quantiles takes a list of p")
T.fails(function() S.quantiles({1, 2}, {}) end, "quantiles: ps must be a list of p, each from 0 to 1, got an empty one",
        "quantiles refuses an empty list of p")
T.fails(function() S.quantiles({1, 2}, {0.5, nil, 0.1, n = 3}) end, "quantiles: ps[2] is nil", "quantiles names a p missing")

T.done()
