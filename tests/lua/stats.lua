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
T.fails(function() S.corr({1, 2}, {1, "two"}) end, "expected numbers, got a string (two)", "corr of text: a clear error")
T.fails(function() zb.sql("select corr(x, y) from (select 1 as x, 'a' as y union all select 2, 3)"):value() end,
        "aggregate 'corr': expected numbers, got a string (a)", "... in SQL, naming the aggregate")

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
T.done()
