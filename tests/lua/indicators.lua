-- Derived indicators as table methods, against values worked out by hand.
local T = require("check")

local function near(got, want, name)
  T.ok(type(got) == "number" and math.abs(got - want) <= 1e-9, name, tostring(got) .. " (want " .. want .. ")")
end

-- Two regions over four years; B has no 2022.
zb.sql("create table series(region text, year integer, value real)")
zb.sql([[insert into series values ('A', 2020, 100), ('A', 2021, 110), ('A', 2022, 121), ('A', 2023, 133.1),
                                    ('B', 2020, 50), ('B', 2021, 60), ('B', 2023, 90)]])
local s = zb.table("series")
local function at(t, region, year, col)
  return t:where{region = region, year = year}:select(col):value()
end

local yoy = s:yoy{value = "value", time = "year", by = "region"}
near(at(yoy, "A", 2021, "yoy"), 10, "yoy: (110 / 100 - 1)·100")
near(at(yoy, "A", 2023, "yoy"), 10, "... 133.1 over 121")
T.eq(at(yoy, "A", 2020, "yoy"), nil, "the first year has no growth")
T.eq(at(yoy, "B", 2023, "yoy"), nil, "a missing year gives NULL, not a two-year change")
near(at(s:yoy{value = "value", time = "year", by = "region", step = false}, "B", 2023, "yoy"), 50,
     "step = false compares with the row before, whatever its year")
near(at(s:lag{value = "value", time = "year", by = "region"}, "A", 2022, "lag"), 110, "lag: the period before")
near(at(s:lead{value = "value", time = "year", by = "region", n = 2}, "A", 2020, "lead"), 121, "lead n = 2")
local index = s:index{value = "value", time = "year", base = 2020, by = "region"}
near(at(index, "A", 2023, "index"), 133.1, "index: 2020 = 100")
near(at(index, "B", 2021, "index"), 120, "... within each region")
local share = s:where{year = 2021}:share{value = "value"}
near(at(share, "A", 2021, "share"), 110 / 170 * 100, "share: % of the total")
near(at(s:share{value = "value", by = "year"}, "B", 2020, "share"), 50 / 150 * 100, "share within a group")
local ranked = s:where{year = 2021}:union(zb.sql("select 'C' as region, 2021 as year, 110.0 as value")):rank{value = "value"}
T.eq(table.concat(ranked:order("region"):col("rank"), ","), "1,3,1", "rank: competition (1, 1, 3)")
T.eq(table.concat(ranked:rank{value = "value", method = "dense", name = "d"}:order("region"):col("d"), ","), "1,2,1",
     "dense rank (1, 1, 2)")
T.eq(table.concat(s:where{year = 2020}:rank{value = "value", desc = false}:order("region"):col("rank"), ","), "2,1",
     "rank ascending")
local moving = s:moving{value = "value", time = "year", by = "region", n = 2}
near(at(moving, "A", 2022, "moving_avg"), 115.5, "moving average of the last 2: (110 + 121) / 2")
T.eq(at(moving, "A", 2020, "moving_avg"), nil, "... NULL at the start, where the window is not full")
near(at(s:moving{value = "value", time = "year", by = "region", n = 2, partial = true}, "A", 2020, "moving_avg"), 100,
     "... partial = true: the average of what there is")
T.fails(function() s:rank{value = "value", decs = false} end, "rank: unknown option 'decs' (options: by, desc, method, name, value)",
        "a misspelt option is an error, not ignored")
T.fails(function() s:progress{actual = "nope", target = "value"} end, "tests/lua/indicators.lua:",
        "a method's mistake is reported at the user's line")
local with_null = zb.sql("select 1 as k, 5 as v union all select 2, null union all select 3, 2")
T.eq(with_null:rank{value = "v", desc = false}:where("k = 3"):select("rank"):value(), 1, "... and the others do not count it")
T.eq(with_null:rank{value = "v", desc = false}:where("k = 2"):select("rank"):value(), nil, "... its own is NULL")
local ranked = with_null:rank{value = "v"}:order("k"):col("rank")
T.ok(ranked[1] == 1 and ranked[2] == nil and ranked[3] == 2, "descending too: NULL unranked, after the others")
local medians = s:moving{value = "value", time = "year", by = "region", n = 3, fn = "median"}
near(at(medians, "A", 2023, "moving_median"), 121, "a moving median through the library's window aggregate: median(110, 121, 133.1)")
local growth = s:cagr{value = "value", time = "year", by = "region"}
near(growth:where{region = "A"}:select("cagr"):value(), 10, "cagr: (133.1 / 100)^(1/3) - 1")
near(growth:where{region = "B"}:select("cagr"):value(), (math.sqrt(90 / 50) ^ (2 / 3) - 1) * 100,
     "cagr over the years spanned (3), whatever rows are missing")
local hz = zb.dataset("hangzhou-2021", {name = "hz"})
local gap = hz:gap{key = "indicator", a = "income_urban", b = "income_rural", value = "value", by = "region"}
T.eq(#gap, 1, "gap: a row a group that has either")
local g = gap:first()
T.ok(g.income_urban == 74700 and g.income_rural == 42692 and g.difference == 32008, "gap: both, and the difference", tostring(g))
near(g.ratio, 74700 / 42692, "gap: the ratio 1.75")
near(hz:where{indicator = "digital_economy_core"}:select{v = "value"}
       :join(hz:where{indicator = "gdp"}:select{g = "value"}, "1")
       :ratio{num = "v", den = "g"}:select("ratio"):value(), 4905 / 18109, "ratio of two columns")
local p = zb.sql("select 'nursery' as what, 3.1 as actual, 3.5 as target"):progress{actual = "actual", target = "target"}:first()
near(p.progress, 3.1 / 3.5 * 100, "progress: actual / target, %")
near(p.remaining, 0.4, "... and what is left")
zb.sql("create table passed (actual real, target real, done integer, goal integer)")
zb.sql("insert into passed values (72, 70, 72, 70)")
local passed = zb.table("passed")
local left = passed:progress{actual = "actual", target = "target"}:first().remaining
T.ok(left == 0 and math.type(left) == "float", "a target passed in a column of reals: 0.0 left, a real as the column's " ..
     "others (" .. tostring(left) .. ")")
left = passed:progress{actual = "done", target = "goal"}:first().remaining
T.ok(left == 0 and math.type(left) == "integer", "... in a column of integers: 0 (" .. tostring(left) .. ")")
T.fails(function() s:yoy{value = "valu", time = "year"} end, "yoy: no such column: valu", "options are checked")
T.fails(function() s:index{value = "value", time = "year"} end, "index: base (the base period) is required", "index needs a base")

-- One value per period: a repeated period (two rows for one series and
-- time) is an error naming it, never the row insert order or max() picks.
zb.sql("create table repeated(region text, year integer, value real)")
zb.sql([[insert into repeated values ('宁波', 2020, 90), ('宁波', 2021, 99), ('杭州', 2020, 100),
                                      ('杭州', 2021, 110), ('杭州', 2021, 200), ('杭州', 2022, 220)]])
local rep = zb.table("repeated")
local repeated = "2 rows for region = 杭州, year = 2021; one value per period is needed"
-- moving and cagr find it when called (one query); yoy, pop, lag and lead
-- as their rows are read (their own query checks it, at no cost)
local function read(t) for _ in t:rows() do end end
for _, m in ipairs{"moving", "cagr"} do
  T.fails(function() rep[m](rep, {value = "value", time = "year", by = "region"}) end, m .. ": " .. repeated,
          m .. ": a repeated period is an error naming the series and the period")
end
for _, m in ipairs{"yoy", "pop", "lag", "lead"} do
  local made = rep[m](rep, {value = "value", time = "year", by = "region"})
  T.fails(function() read(made) end, m .. ": more than one row for region = 杭州, year = 2021; one value per period is needed",
          m .. ": a repeated period is an error naming the series and the period, as the rows are read")
  T.fails(function() print(made) end, m .. ": more than one row for", "... printed")
  T.fails(function() made:to_csv(os.tmpname()) end, m .. ": more than one row for", "... exported")
end
T.fails(function() rep:index{value = "value", time = "year", by = "region", base = 2021} end, "index: " .. repeated,
        "index: a repeated base period is an error (not max())")
T.fails(function() rep:index{value = "value", time = "year", by = "region", base = 2020} end, "index: " .. repeated,
        "... and so is one elsewhere in the series")
T.fails(function() read(rep:yoy{value = "value", time = "year", by = "region"}) end, "tests/lua/indicators.lua:",
        "... reported at the user's line")
local _, why = pcall(read, rep:yoy{value = "value", time = "year", by = "region"})
T.ok(tostring(why):match("keep one of the rows%)$"), "... and nothing after it (not the SQL)", why)
T.fails(function() read(s:yoy{value = "value", time = "year"}) end, "yoy: more than one row for year = 2020;",
        "without by, two regions' years are repeated periods")
near(at(rep:where{region = "宁波"}:yoy{value = "value", time = "year", by = "region"}, "宁波", 2021, "yoy"), 10,
     "a series without repeats is fine: (99 / 90 - 1)·100")
zb.sql("create table incomes(region text, indicator text, value real)")
zb.sql([[insert into incomes values ('杭州', 'income_urban', 74700), ('杭州', 'income_urban', 70000),
                                    ('杭州', 'income_rural', 42692), ('宁波', 'income_urban', 76000),
                                    ('宁波', 'income_rural', 45000), ('宁波', 'gdp', 1), ('宁波', 'gdp', 2)]])
local incomes = zb.table("incomes")
T.fails(function() incomes:gap{key = "indicator", a = "income_urban", b = "income_rural", value = "value", by = "region"} end,
        "gap: 2 rows for region = 杭州, indicator = income_urban; one row of each of a and b is needed",
        "gap: a repeated a or b is an error (not max())")
near(incomes:where{region = "宁波"}:gap{key = "indicator", a = "income_urban", b = "income_rural", value = "value", by = "region"}
       :select("difference"):value(), 31000, "... other keys may repeat: only a's and b's rows count")
-- The check is one query, reading each row once, whatever the number of rows.
local reads = 0
local counted = zb.table("series"):mutate{value = function(row) reads = reads + 1 return row.value end}
reads = 0
counted:moving{value = "value", time = "year", by = "region"}
T.eq(reads, 7, "the check reads each of the 7 rows once: one query, not one a row")
reads = 0
local grown = counted:yoy{value = "value", time = "year", by = "region"}
T.eq(reads, 0, "yoy reads no value when called: its own query checks them")
read(grown)
T.ok(reads >= 7, "... as it reads the rows")

-- cagr keeps a group whose values are all NULL, with NULL; the span is
-- from the first value to the last.
zb.sql("create table sparse(region text, year integer, value real)")
zb.sql([[insert into sparse values ('A', 2019, NULL), ('A', 2020, 100), ('A', 2022, 121), ('A', 2023, NULL),
                                   ('C', 2020, NULL), ('C', 2021, NULL)]])
local sparse = zb.table("sparse"):cagr{value = "value", time = "year", by = "region"}
T.eq(sparse:count(), 2, "cagr: a row for each group, one without values too")
local c = sparse:where{region = "C"}:first()
T.ok(c and c.cagr == nil and c.first == nil and c["from"] == nil, "... the group without values gives NULL", tostring(c))
local a = sparse:where{region = "A"}:first()
T.ok(a["from"] == 2020 and a.to == 2022 and a.first == 100 and a.last == 121, "... the span of the values", tostring(a))
near(a.cagr, 10.000000000000009, "... (121 / 100)^(1/2) - 1, as Python gives it")

-- Values must be numbers: text that reads as a number (as an INTEGER
-- column would store it) is one, other text an error naming the method,
-- the column, the value and where it is.
local texts = zb.sql("select 2020 as year, '100' as v union all select 2022, ' 121 '")
near(texts:cagr{value = "v", time = "year"}:select("cagr"):value(), 10.000000000000009, "cagr over numbers stored as text")
near(texts:yoy{value = "v", time = "year", step = false}:where{year = 2022}:select("yoy"):value(), 21, "yoy over numbers stored as text")
T.fails(function() read(zb.sql("select 2020 as year, 'x' as v union all select 2021, 'y'"):yoy{value = "v", time = "year"}) end,
        "yoy: column v holds 'x' (at year = 2020), not a number", "yoy over text: an error naming the column and the value")
T.fails(function() zb.sql("select 2020 as year, '100' as v union all select 2021, 'N/A'"):cagr{value = "v", time = "year"} end,
        "cagr: column v holds 'N/A' (at year = 2021), not a number", "cagr over text that is not a number")
T.fails(function() zb.sql("select 'A' as r, 2020 as year, '12abc' as v"):moving{value = "v", time = "year", by = "r"} end,
        "moving: column v holds '12abc' (at r = A, year = 2020), not a number", "... not its leading digits, as SQLite reads it")
T.fails(function() zb.sql("select 'A' as r, '0x10' as v"):share{value = "v"} end,
        "share: column v holds '0x10', not a number", "share over text")
local cells = zb.sql("select 1 as k, '5' as a, '0' as b union all select 2, '6', '3'")
T.eq(cells:ratio{num = "a", den = "b"}:where{k = 1}:select("ratio"):value(), nil, "ratio: a zero stored as text is a zero (NULL)")
near(cells:ratio{num = "a", den = "b"}:where{k = 2}:select("ratio"):value(), 2, "... and 6 / 3 is 2")
T.fails(function() zb.sql("select '5' as a, 'n/a' as b"):ratio{num = "a", den = "b"} end,
        "ratio: column b holds 'n/a', not a number", "ratio over text")

-- Options are checked by name, against each method's own.
local money = zb.sql("select 'gdp' as indicator, 18109 as value, '亿元' as unit")
T.fails(function() money:convert{value = "万亿元", name = "v2"} end, "convert: no such column: name (columns: indicator, value, unit)",
        "convert: name is not taken for a unit")
T.fails(function() money:convert{value = "万亿元", name = "v2"} end, "convert_unit(value, unit, '万亿元')",
        "... and the error says how to make a new column")
near(money:convert{value = "万亿元"}:select("value"):value(), 1.8109, "convert{value = '万亿元'}: 18109 亿元")
T.fails(function() money:convert{unit = "unit"} end, "convert: name a column and the unit to convert it to", "convert needs a column")
local amounts = zb.sql("select 18109 as amount, 20000 as target, '亿元' as unit")
local both = amounts:convert{amount = "万亿元", target = "万亿元"}:first()
T.ok(math.abs(both.amount - 1.8109) < 1e-12 and both.target == 2 and both.unit == "万亿元",
     "convert{amount = ...}: any column, several at once (only 'value' was taken)", tostring(both))
T.fails(function() amounts:convert{amount = "万亿元", target = "万元"} end, "one unit for every column",
        "... into one unit, which the unit column then says")
zb.sql("create table text_amounts(amount text, unit text)")
zb.sql("insert into text_amounts values ('18109', '亿元')")
local ok_text, text_error = pcall(function() local converted = zb.table("text_amounts"):convert{amount = "万亿元"}; return converted end)
T.ok(not ok_text and tostring(text_error):find("^tests/lua/indicators%.lua:%d+: convert: column amount is TEXT, not numbers") ~= nil,
     "convert of a TEXT column: refused when called, naming the column and its type", tostring(text_error))
near(zb.table("text_amounts"):mutate{amount = "CAST(amount AS REAL)"}:convert{amount = "万亿元"}:select("amount"):value(), 1.8109,
     "... and converted as the error says, once cast")
T.fails(function() s:yoy{value = "value", time = "year", by = "region", partial = true} end,
        "yoy: unknown option 'partial' (options: by, name, step, time, value)", "an option of another method is unknown")
T.fails(function() hz:gap{key = "indicator", a = "income_urban", b = "income_rural", value = "value", name = "g"} end,
        "gap: unknown option 'name'", "gap names no column: name is refused, not ignored")
T.fails(function() s:moving{value = "value", time = "year", partial = 1} end, "moving: partial must be true or false",
        "partial is a boolean")

-- Moving sums and averages on the cases below, exact values that pandas'
-- rolling agrees with: within 2^-50 of the window's absolute sum (SQLite
-- slid its frames by subtracting the row that left, which left 2e-11 where
-- the sum was 0.553), and integer sums exactly.  They were made by this
-- program, run as
--   sed -n '/^--\[==\[ python3/,/^\]==\]/p' tests/lua/indicators.lua | sed '1d;$d' | python3
--[==[ python3
# Moving sums and averages (n = 2, 3, 5; partial windows NULL, or partial =
# true) over three seeded series: each the exact value rounded once (Fraction),
# after checking that pandas' rolling agrees within 2^-50 of the window's
# absolute sum: rolling(n) for the default (NULL until the window holds n
# values), rolling(n, min_periods=1) for partial = true.  Each line: series,
# time, value ("-" for NULL), then the 12 results (n, then sum and avg, then
# default and partial); integer sums exactly.
import random
from fractions import Fraction
import pandas as pd
rng = random.Random(20240612)
series = {"r": [], "i": [], "n": []}
for _ in range(40):        # reals as published, large and small, and runs of zeros after large ones
    u = rng.random()
    if u < 0.25: series["r"].append(0.0)
    elif u < 0.6: series["r"].append(round(rng.uniform(-1, 1) * 10 ** rng.randint(3, 8), 1))
    else: series["r"].append(round(rng.uniform(0, 1), rng.randint(1, 3)))
for _ in range(30):        # integers whose sums of five stay below 2^53
    series["i"].append(rng.randint(-2 ** 50, 2 ** 50) if rng.random() < 0.5 else rng.randint(-9, 9))
for _ in range(30):        # reals with missing values
    series["n"].append(None if rng.random() < 0.3 else round(rng.uniform(-500, 500), 2))
for key, values in series.items():
    s = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    cols = []
    for n in (2, 3, 5):
        for fn in ("sum", "mean"):
            for minp in (n, 1):
                rolled = getattr(s.rolling(n, min_periods=minp), fn)()
                col = []
                for i, x in enumerate(rolled):
                    window = [v for v in values[max(0, i - n + 1):i + 1] if v is not None]
                    if len(window) < minp:
                        assert x != x
                        col.append("-")
                        continue
                    total = sum(Fraction(v) for v in window)
                    exact = total if fn == "sum" else total / len(window)
                    assert abs(Fraction(x) - exact) <= Fraction(sum(abs(v) for v in window)) / 2 ** 50, (key, i, n, fn)
                    col.append(str(total) if key == "i" and fn == "sum" else repr(float(exact)))
                cols.append(col)
    for i, v in enumerate(values):
        print(key, i + 1, "-" if v is None else repr(v), " ".join(c[i] for c in cols))
]==]
local rolling = [==[
r 1 0.8 - 0.8 - 0.8 - 0.8 - 0.8 - 0.8 - 0.8
r 2 473.7 474.5 474.5 237.25 237.25 - 474.5 - 237.25 - 474.5 - 237.25
r 3 0.0 473.7 473.7 236.85 236.85 474.5 474.5 158.16666666666666 158.16666666666666 - 474.5 - 158.16666666666666
r 4 0.71 0.71 0.71 0.355 0.355 474.40999999999997 474.40999999999997 158.13666666666666 158.13666666666666 - 475.21 - 118.8025
r 5 0.828 1.5379999999999998 1.5379999999999998 0.7689999999999999 0.7689999999999999 1.5379999999999998 1.5379999999999998 0.5126666666666666 0.5126666666666666 476.038 476.038 95.2076 95.2076
r 6 -19694365.9 -19694365.071999997 -19694365.071999997 -9847182.535999998 -9847182.535999998 -19694364.362 -19694364.362 -6564788.120666666 -6564788.120666666 -19693890.661999997 -19693890.661999997 -3938778.1323999995 -3938778.1323999995
r 7 0.0 -19694365.9 -19694365.9 -9847182.95 -9847182.95 -19694365.071999997 -19694365.071999997 -6564788.357333333 -6564788.357333333 -19694364.362 -19694364.362 -3938872.8723999998 -3938872.8723999998
r 8 0.1 0.1 0.1 0.05 0.05 -19694365.799999997 -19694365.799999997 -6564788.6 -6564788.6 -19694364.262 -19694364.262 -3938872.8523999997 -3938872.8523999997
r 9 0.0 0.1 0.1 0.05 0.05 0.1 0.1 0.03333333333333333 0.03333333333333333 -19694364.972 -19694364.972 -3938872.9943999997 -3938872.9943999997
r 10 0.0 0.0 0.0 0.0 0.0 0.1 0.1 0.03333333333333333 0.03333333333333333 -19694365.799999997 -19694365.799999997 -3938873.1599999997 -3938873.1599999997
r 11 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.1 0.1 0.02 0.02
r 12 0.9 0.9 0.9 0.45 0.45 0.9 0.9 0.3 0.3 1.0 1.0 0.2 0.2
r 13 939875.1 939876.0 939876.0 469938.0 469938.0 939876.0 939876.0 313292.0 313292.0 939876.0 939876.0 187975.19999999998 187975.19999999998
r 14 0.1 939875.2 939875.2 469937.6 469937.6 939876.1 939876.1 313292.0333333333 313292.0333333333 939876.1 939876.1 187975.22 187975.22
r 15 0.453 0.553 0.553 0.2765 0.2765 939875.6529999999 939875.6529999999 313291.88433333335 313291.88433333335 939876.553 939876.553 187975.3106 187975.3106
r 16 0.0 0.453 0.453 0.2265 0.2265 0.553 0.553 0.18433333333333335 0.18433333333333335 939876.553 939876.553 187975.3106 187975.3106
r 17 0.33 0.33 0.33 0.165 0.165 0.783 0.783 0.261 0.261 939875.983 939875.983 187975.1966 187975.1966
r 18 0.1 0.43000000000000005 0.43000000000000005 0.21500000000000002 0.21500000000000002 0.43000000000000005 0.43000000000000005 0.14333333333333334 0.14333333333333334 0.9830000000000001 0.9830000000000001 0.1966 0.1966
r 19 2308.6 2308.7 2308.7 1154.35 1154.35 2309.0299999999997 2309.0299999999997 769.6766666666666 769.6766666666666 2309.4829999999997 2309.4829999999997 461.8966 461.8966
r 20 3550.6 5859.2 5859.2 2929.6 2929.6 5859.3 5859.3 1953.1 1953.1 5859.63 5859.63 1171.926 1171.926
r 21 -63517859.8 -63514309.199999996 -63514309.199999996 -31757154.599999998 -31757154.599999998 -63512000.599999994 -63512000.599999994 -21170666.866666667 -21170666.866666667 -63512000.169999994 -63512000.169999994 -12702400.034 -12702400.034
r 22 590800.0 -62927059.8 -62927059.8 -31463529.9 -31463529.9 -62923509.199999996 -62923509.199999996 -20974503.066666666 -20974503.066666666 -62921200.5 -62921200.5 -12584240.1 -12584240.1
r 23 0.0 590800.0 590800.0 295400.0 295400.0 -62927059.8 -62927059.8 -20975686.599999998 -20975686.599999998 -62921200.599999994 -62921200.599999994 -12584240.12 -12584240.12
r 24 0.1 0.1 0.1 0.05 0.05 590800.1 590800.1 196933.36666666667 196933.36666666667 -62923509.099999994 -62923509.099999994 -12584701.82 -12584701.82
r 25 0.556 0.656 0.656 0.328 0.328 0.656 0.656 0.21866666666666668 0.21866666666666668 -62927059.143999994 -62927059.143999994 -12585411.8288 -12585411.8288
r 26 -9738.4 -9737.844 -9737.844 -4868.922 -4868.922 -9737.743999999999 -9737.743999999999 -3245.9146666666666 -3245.9146666666666 581062.256 581062.256 116212.4512 116212.4512
r 27 0.0 -9738.4 -9738.4 -4869.2 -4869.2 -9737.844 -9737.844 -3245.948 -3245.948 -9737.743999999999 -9737.743999999999 -1947.5488 -1947.5488
r 28 0.18 0.18 0.18 0.09 0.09 -9738.22 -9738.22 -3246.0733333333333 -3246.0733333333333 -9737.564 -9737.564 -1947.5128 -1947.5128
r 29 0.451 0.631 0.631 0.3155 0.3155 0.631 0.631 0.21033333333333334 0.21033333333333334 -9737.213 -9737.213 -1947.4425999999999 -1947.4425999999999
r 30 0.942 1.393 1.393 0.6965 0.6965 1.573 1.573 0.5243333333333333 0.5243333333333333 -9736.827 -9736.827 -1947.3654 -1947.3654
r 31 0.0 0.942 0.942 0.471 0.471 1.393 1.393 0.4643333333333333 0.4643333333333333 1.573 1.573 0.3146 0.3146
r 32 2271597.2 2271597.2 2271597.2 1135798.6 1135798.6 2271598.142 2271598.142 757199.3806666668 757199.3806666668 2271598.773 2271598.773 454319.75460000004 454319.75460000004
r 33 -9187.1 2262410.1 2262410.1 1131205.05 1131205.05 2262410.1 2262410.1 754136.7000000001 754136.7000000001 2262411.4930000002 2262411.4930000002 452482.29860000004 452482.29860000004
r 34 352686.0 343498.9 343498.9 171749.45 171749.45 2615096.1 2615096.1 871698.7000000001 871698.7000000001 2615097.0420000004 2615097.0420000004 523019.4084 523019.4084
r 35 0.73 352686.73 352686.73 176343.365 176343.365 343499.63 343499.63 114499.87666666666 114499.87666666666 2615096.83 2615096.83 523019.36600000004 523019.36600000004
r 36 0.3 1.03 1.03 0.515 0.515 352687.03 352687.03 117562.34333333334 117562.34333333334 2615097.1300000004 2615097.1300000004 523019.42600000004 523019.42600000004
r 37 0.95 1.25 1.25 0.625 0.625 1.98 1.98 0.6599999999999999 0.6599999999999999 343500.88 343500.88 68700.176 68700.176
r 38 2650.1 2651.0499999999997 2651.0499999999997 1325.5249999999999 1325.5249999999999 2651.35 2651.35 883.7833333333333 883.7833333333333 355338.08 355338.08 71067.616 71067.616
r 39 0.006 2650.1059999999998 2650.1059999999998 1325.0529999999999 1325.0529999999999 2651.056 2651.056 883.6853333333333 883.6853333333333 2652.086 2652.086 530.4172 530.4172
r 40 0.45 0.456 0.456 0.228 0.228 2650.556 2650.556 883.5186666666666 883.5186666666666 2651.806 2651.806 530.3611999999999 530.3611999999999
i 1 -411779618016513 - -411779618016513 - -411779618016513.0 - -411779618016513 - -411779618016513.0 - -411779618016513 - -411779618016513.0
i 2 -6 -411779618016519 -411779618016519 -205889809008259.5 -205889809008259.5 - -411779618016519 - -205889809008259.5 - -411779618016519 - -205889809008259.5
i 3 589892533011349 589892533011343 589892533011343 294946266505671.5 294946266505671.5 178112914994830 178112914994830 59370971664943.336 59370971664943.336 - 178112914994830 - 59370971664943.336
i 4 6 589892533011355 589892533011355 294946266505677.5 294946266505677.5 589892533011349 589892533011349 196630844337116.34 196630844337116.34 - 178112914994836 - 44528228748709.0
i 5 2 8 8 4.0 4.0 589892533011357 589892533011357 196630844337119.0 196630844337119.0 178112914994838 178112914994838 35622582998967.6 35622582998967.6
i 6 0 2 2 1.0 1.0 8 8 2.6666666666666665 2.6666666666666665 589892533011351 589892533011351 117978506602270.2 117978506602270.2
i 7 1 1 1 0.5 0.5 3 3 1.0 1.0 589892533011358 589892533011358 117978506602271.6 117978506602271.6
i 8 1 2 2 1.0 1.0 2 2 0.6666666666666666 0.6666666666666666 10 10 2.0 2.0
i 9 1032721946997631 1032721946997632 1032721946997632 516360973498816.0 516360973498816.0 1032721946997633 1032721946997633 344240648999211.0 344240648999211.0 1032721946997635 1032721946997635 206544389399527.0 206544389399527.0
i 10 5 1032721946997636 1032721946997636 516360973498818.0 516360973498818.0 1032721946997637 1032721946997637 344240648999212.3 344240648999212.3 1032721946997638 1032721946997638 206544389399527.6 206544389399527.6
i 11 -1088486696919723 -1088486696919718 -1088486696919718 -544243348459859.0 -544243348459859.0 -55764749922087 -55764749922087 -18588249974029.0 -18588249974029.0 -55764749922085 -55764749922085 -11152949984417.0 -11152949984417.0
i 12 8 -1088486696919715 -1088486696919715 -544243348459857.5 -544243348459857.5 -1088486696919710 -1088486696919710 -362828898973236.7 -362828898973236.7 -55764749922078 -55764749922078 -11152949984415.6 -11152949984415.6
i 13 4 12 12 6.0 6.0 -1088486696919711 -1088486696919711 -362828898973237.0 -362828898973237.0 -55764749922075 -55764749922075 -11152949984415.0 -11152949984415.0
i 14 291154411957255 291154411957259 291154411957259 145577205978629.5 145577205978629.5 291154411957267 291154411957267 97051470652422.33 97051470652422.33 -797332284962451 -797332284962451 -159466456992490.2 -159466456992490.2
i 15 -448049810953563 -156895398996308 -156895398996308 -78447699498154.0 -78447699498154.0 -156895398996304 -156895398996304 -52298466332101.336 -52298466332101.336 -1245382095916019 -1245382095916019 -249076419183203.8 -249076419183203.8
i 16 -547673774651624 -995723585605187 -995723585605187 -497861792802593.5 -497861792802593.5 -704569173647932 -704569173647932 -234856391215977.34 -234856391215977.34 -704569173647920 -704569173647920 -140913834729584.0 -140913834729584.0
i 17 -938813985496811 -1486487760148435 -1486487760148435 -743243880074217.5 -743243880074217.5 -1934537571101998 -1934537571101998 -644845857033999.4 -644845857033999.4 -1643383159144739 -1643383159144739 -328676631828947.8 -328676631828947.8
i 18 -1082724598281508 -2021538583778319 -2021538583778319 -1010769291889159.5 -1010769291889159.5 -2569212358429943 -2569212358429943 -856404119476647.6 -856404119476647.6 -2726107757426251 -2726107757426251 -545221551485250.2 -545221551485250.2
i 19 -1118492350687550 -2201216948969058 -2201216948969058 -1100608474484529.0 -1100608474484529.0 -3140030934465869 -3140030934465869 -1046676978155289.6 -1046676978155289.6 -4135754520071056 -4135754520071056 -827150904014211.2 -827150904014211.2
i 20 -604688039118432 -1723180389805982 -1723180389805982 -861590194902991.0 -861590194902991.0 -2805904988087490 -2805904988087490 -935301662695830.0 -935301662695830.0 -4292392748235925 -4292392748235925 -858478549647185.0 -858478549647185.0
i 21 352535533285596 -252152505832836 -252152505832836 -126076252916418.0 -126076252916418.0 -1370644856520386 -1370644856520386 -456881618840128.7 -456881618840128.7 -3392183440298705 -3392183440298705 -678436688059741.0 -678436688059741.0
i 22 79474497660955 432010030946551 432010030946551 216005015473275.5 216005015473275.5 -172678008171881 -172678008171881 -57559336057293.664 -57559336057293.664 -2373894957140939 -2373894957140939 -474778991428187.8 -474778991428187.8
i 23 849243228905107 928717726566062 928717726566062 464358863283031.0 464358863283031.0 1281253259851658 1281253259851658 427084419950552.7 427084419950552.7 -441927129954324 -441927129954324 -88385425990864.8 -88385425990864.8
i 24 650314172238310 1499557401143417 1499557401143417 749778700571708.5 749778700571708.5 1579031898804372 1579031898804372 526343966268124.0 526343966268124.0 1326879392971536 1326879392971536 265375878594307.2 265375878594307.2
i 25 9 650314172238319 650314172238319 325157086119159.5 325157086119159.5 1499557401143426 1499557401143426 499852467047808.7 499852467047808.7 1931567432089977 1931567432089977 386313486417995.4 386313486417995.4
i 26 -938535169582699 -938535169582690 -938535169582690 -469267584791345.0 -469267584791345.0 -288220997344380 -288220997344380 -96073665781460.0 -96073665781460.0 640496729221682 640496729221682 128099345844336.4 128099345844336.4
i 27 -416841179469502 -1355376349052201 -1355376349052201 -677688174526100.5 -677688174526100.5 -1355376349052192 -1355376349052192 -451792116350730.7 -451792116350730.7 144181052091225 144181052091225 28836210418245.0 28836210418245.0
i 28 873953004367791 457111824898289 457111824898289 228555912449144.5 228555912449144.5 -481423344684410 -481423344684410 -160474448228136.66 -160474448228136.66 168890827553909 168890827553909 33778165510781.8 33778165510781.8
i 29 169051395501592 1043004399869383 1043004399869383 521502199934691.5 521502199934691.5 626163220399881 626163220399881 208721073466627.0 208721073466627.0 -312371949182809 -312371949182809 -62474389836561.8 -62474389836561.8
i 30 9 169051395501601 169051395501601 84525697750800.5 84525697750800.5 1043004399869392 1043004399869392 347668133289797.3 347668133289797.3 -312371949182809 -312371949182809 -62474389836561.8 -62474389836561.8
n 1 199.7 - 199.7 - 199.7 - 199.7 - 199.7 - 199.7 - 199.7
n 2 -440.07 -240.37 -240.37 -120.185 -120.185 - -240.37 - -120.185 - -240.37 - -120.185
n 3 - - -440.07 - -440.07 - -240.37 - -120.185 - -240.37 - -120.185
n 4 -178.12 - -178.12 - -178.12 - -618.19 - -309.095 - -418.49 - -139.49666666666667
n 5 - - -178.12 - -178.12 - -178.12 - -178.12 - -418.49 - -139.49666666666667
n 6 421.4 - 421.4 - 421.4 - 243.27999999999997 - 121.63999999999999 - -196.79000000000002 - -65.59666666666668
n 7 - - 421.4 - 421.4 - 421.4 - 421.4 - 243.27999999999997 - 121.63999999999999
n 8 - - - - - - 421.4 - 421.4 - 243.27999999999997 - 121.63999999999999
n 9 -75.48 - -75.48 - -75.48 - -75.48 - -75.48 - 345.91999999999996 - 172.95999999999998
n 10 0.71 -74.77000000000001 -74.77000000000001 -37.385000000000005 -37.385000000000005 - -74.77000000000001 - -37.385000000000005 - 346.63 - 115.54333333333332
n 11 -165.14 -164.42999999999998 -164.42999999999998 -82.21499999999999 -82.21499999999999 -239.91 -239.91 -79.97 -79.97 - -239.91 - -79.97
n 12 -156.52 -321.65999999999997 -321.65999999999997 -160.82999999999998 -160.82999999999998 -320.95 -320.95 -106.98333333333333 -106.98333333333333 - -396.43 - -99.1075
n 13 91.6 -64.92000000000002 -64.92000000000002 -32.46000000000001 -32.46000000000001 -230.06 -230.06 -76.68666666666667 -76.68666666666667 -304.83 -304.83 -60.966 -60.966
n 14 -221.7 -130.1 -130.1 -65.05 -65.05 -286.62 -286.62 -95.54 -95.54 -451.05 -451.05 -90.21 -90.21
n 15 227.87 6.170000000000016 6.170000000000016 3.085000000000008 3.085000000000008 97.77000000000001 97.77000000000001 32.59 32.59 -223.89 -223.89 -44.778 -44.778
n 16 -402.23 -174.36 -174.36 -87.18 -87.18 -396.06 -396.06 -132.02 -132.02 -460.98 -460.98 -92.196 -92.196
n 17 247.91 -154.32000000000002 -154.32000000000002 -77.16000000000001 -77.16000000000001 73.54999999999998 73.54999999999998 24.516666666666662 24.516666666666662 -56.55000000000001 -56.55000000000001 -11.310000000000002 -11.310000000000002
n 18 -286.7 -38.78999999999999 -38.78999999999999 -19.394999999999996 -19.394999999999996 -441.02 -441.02 -147.00666666666666 -147.00666666666666 -434.85 -434.85 -86.97 -86.97
n 19 - - -286.7 - -286.7 - -38.78999999999999 - -19.394999999999996 - -213.15 - -53.2875
n 20 399.44 - 399.44 - 399.44 - 112.74000000000001 - 56.370000000000005 - -41.58000000000001 - -10.395000000000003
n 21 - - 399.44 - 399.44 - 399.44 - 399.44 - 360.65 - 120.21666666666667
n 22 136.19 - 136.19 - 136.19 - 535.63 - 267.815 - 248.93 - 82.97666666666667
n 23 -48.95 87.24 87.24 43.62 43.62 - 87.24 - 43.62 - 486.68 - 162.22666666666666
n 24 -496.31 -545.26 -545.26 -272.63 -272.63 -409.07 -409.07 -136.35666666666668 -136.35666666666668 - -9.63000000000001 - -2.4075000000000024
n 25 - - -496.31 - -496.31 - -545.26 - -272.63 - -409.07 - -136.35666666666668
n 26 -268.97 - -268.97 - -268.97 - -765.28 - -382.64 - -678.0400000000001 - -169.51000000000002
n 27 - - -268.97 - -268.97 - -268.97 - -268.97 - -814.23 - -271.41
n 28 494.04 - 494.04 - 494.04 - 225.07 - 112.535 - -271.24 - -90.41333333333334
n 29 - - 494.04 - 494.04 - 494.04 - 494.04 - 225.07 - 112.535
n 30 - - - - - - 494.04 - 494.04 - 225.07 - 112.535
]==]
zb.sql("create table rolling(series text, t integer, value)")
local want, data = {}, {}
for line in rolling:gmatch("[^\n]+") do
  local words = {}
  for w in line:gmatch("%S+") do words[#words + 1] = w end
  local key, t, v = words[1], math.tointeger(tonumber(words[2])), words[3]
  v = v ~= "-" and (key == "i" and math.tointeger(tonumber(v)) or tonumber(v)) or nil
  zb.sql("insert into rolling values (?, ?, ?)", key, t, v)
  data[key] = data[key] or {}
  data[key][t] = v or 0
  want[key .. t] = {table.unpack(words, 4)}
end
local configs = {}
for _, n in ipairs{2, 3, 5} do
  for _, fn in ipairs{"sum", "avg"} do
    for _, partial in ipairs{false, true} do configs[#configs + 1] = {n = n, fn = fn, partial = partial} end
  end
end
local rows = zb.table("rolling")
for j, c in ipairs(configs) do
  local got = rows:moving{value = "value", time = "t", by = "series", n = c.n, fn = c.fn, partial = c.partial, name = "m"}
  local bad, checked = {}, 0
  for r in got:rows() do
    local w = want[r.series .. r.t][j]
    local scale = 0
    for k = math.max(1, r.t - c.n + 1), r.t do scale = scale + math.abs(data[r.series][k]) end
    local ok
    if w == "-" then ok = r.m == nil
    elseif r.series == "i" and c.fn == "sum" then ok = math.type(r.m) == "integer" and r.m == math.tointeger(tonumber(w))
    else ok = type(r.m) == "number" and math.abs(r.m - tonumber(w)) <= scale * 2 ^ -50 end
    checked = checked + 1
    if not ok and #bad < 3 then bad[#bad + 1] = string.format("%s %d: %s (want %s)", r.series, r.t, tostring(r.m), w) end
  end
  T.ok(#bad == 0 and checked == 100, string.format("moving %s, n = %d%s: as exact as pandas' rolling, integer sums exactly",
       c.fn, c.n, c.partial and ", partial" or ""), table.concat(bad, "; "))
end
near(rows:moving{value = "value", time = "t", by = "series", n = 5, fn = "median", partial = true}:where{series = "i", t = 2}
       :select("moving_median"):value(), (-411779618016513 - 6) / 2, "a moving median, partial = true")
local big = zb.sql("select 1 as t, 4611686018427387904 as v union all select 2, 1 union all select 3, -4611686018427387904 " ..
                   "union all select 4, 3 union all select 5, 4611686018427387903"):moving{value = "v", time = "t", n = 3, fn = "sum"}
T.eq(table.concat(big:where("t >= 3"):order("t"):col("moving_sum"), ","), "1,-4611686018427387900,2",
     "integer sums beyond 2^53 stay exact: 2^62 + 1 - 2^62 is 1 (Python's sums)")

-- Periods (issue 12): yoy compares a period with the same period a year
-- before, pop with the period before, lag and lead count periods, cagr
-- counts fractional years, whatever the spelling; rows sorted by period,
-- not as text.  (Before: yoy of '2021-12' months was NULL but in January,
-- which got a month-on-month change; '2022年10月' sorted before '2022年2月';
-- cagr from 2021-10 to 2022-02 counted a whole year.)
local function monthly(spell)
  zb.db:sql("drop table if exists monthly")
  zb.db:sql("create table monthly (m, v real)")
  for _, year in ipairs{2022, 2021} do  -- inserted out of order, later year first, December first
    for month = 12, 1, -1 do
      zb.db:sql("insert into monthly values (?, ?)", spell(year, month), (year - 2020) * 100 + month)
    end
  end
  return zb.table("monthly")
end
local spellings = {
  {"2021-12", function(y, m) return string.format("%d-%02d", y, m) end},
  {"2021年12月", function(y, m) return y .. "年" .. m .. "月" end},
  {"202112 (an integer)", function(y, m) return y * 100 + m end},
  {"2021M12", function(y, m) return y .. "M" .. m end},
}
for _, spelling in ipairs(spellings) do
  local m = monthly(spelling[2])
  local y = m:yoy{value = "v", time = "m"}:pop{value = "v", time = "m"}:lag{value = "v", time = "m", name = "before"}
  local got = {}
  for r in y:rows() do got[tostring(zb.period(r.m))] = r end
  -- 2022-03 is 203, 2021-03 103: yoy (203 / 103 - 1) × 100; pop from 2022-02 (202)
  near(got["2022-03"].yoy, (203 / 103 - 1) * 100, spelling[1] .. ": yoy compares March with March")
  near(got["2022-01"].yoy, (201 / 101 - 1) * 100, spelling[1] .. ": and January with January")
  T.eq(got["2021-06"].yoy, nil, spelling[1] .. ": a month without one a year before has none")
  near(got["2022-01"].pop, (201 / 112 - 1) * 100, spelling[1] .. ": pop compares January with the December before")
  T.eq(got["2022-01"].before, 112.0, spelling[1] .. ": lag is the period before, sorted as periods")
end

-- Quarters: every quarter compares with its own (the Chinese spellings
-- sorted 第一, 第三, 第二, 第四 as text).
zb.db:sql("create table quarterly (q text, v real)")
for _, r in ipairs{{"2022年第四季度", 140}, {"2021年第二季度", 100}, {"2022年第一季度", 110}, {"2021年第一季度", 100},
                   {"2022年第三季度", 121}, {"2021年第四季度", 100}, {"2021年第三季度", 110}, {"2022年第二季度", 150}} do
  zb.db:sql("insert into quarterly values (?, ?)", r[1], r[2])
end
local q = {}
for r in zb.table("quarterly"):yoy{value = "v", time = "q"}:pop{value = "v", time = "q"}:rows() do q[r.q] = r end
near(q["2022年第二季度"].yoy, 50.0, "quarters: Q2 on Q2")
near(q["2022年第三季度"].yoy, 10.0, "Q3 on Q3")
near(q["2022年第四季度"].yoy, 40.0, "Q4 on Q4")
near(q["2022年第一季度"].pop, 10.0, "pop: Q1 on the Q4 before")
near(q["2022年第三季度"].pop, (121 / 150 - 1) * 100, "pop: Q3 on Q2")
-- a change from 0 is no percentage (pandas' pct_change gives inf): NULL
local from_zero = zb.sql("select 2020 as y, 0.0 as v union all select 2021, 5.0 union all select 2022, 6.0")
  :yoy{value = "v", time = "y"}:order("y"):col("yoy")
T.ok(from_zero[2] == nil and math.abs(from_zero[3] - 20) < 1e-12, "yoy from a value of 0: NULL; from 5 to 6: 20%",
     zb.pretty(from_zero))

-- NBS's monthly year-to-date series: 1-2月 together, then 3月 ... A year
-- ago is 1-2月 again; a month is not compared with the two-month span.
zb.db:sql("create table ytd (m text, v real)")
for _, r in ipairs{{"2021年1-2月", 200}, {"2021年3月", 100}, {"2022年1-2月", 230}, {"2022年3月", 120}} do
  zb.db:sql("insert into ytd values (?, ?)", r[1], r[2])
end
local ytd = {}
for r in zb.table("ytd"):yoy{value = "v", time = "m"}:pop{value = "v", time = "m"}:rows() do ytd[r.m] = r end
near(ytd["2022年1-2月"].yoy, 15.0, "1-2月 on the year before's 1-2月")
near(ytd["2022年3月"].yoy, 20.0, "3月 on 3月")
T.eq(ytd["2022年3月"].pop, nil, "3月 is not compared with 1-2月 month on month")

-- cagr counts fractional years: 2021-10 to 2022-02 is a third of a year.
local frac = zb.sql("select '2021-10' as m, 100.0 as v union all select '2022-02', 110.0"):cagr{value = "v", time = "m"}:first()
near(frac.years, 1 / 3, "four months are a third of a year")
near(frac.cagr, (1.1 ^ 3 - 1) * 100, "cagr over four months, per year")
local months_int = zb.sql("select 202110 as m, 100.0 as v union all select 202202, 110.0"):cagr{value = "v", time = "m"}:first()
near(months_int.years, 1 / 3, "months written 202110 too (not 92 years)")

-- lag counts periods: with 2020 missing, 2021's lag is NULL and its lag 2 is 2019.
local gappy = zb.sql("select 2019 as y, 1.0 as v union all select 2021, 3.0 union all select 2022, 4.0")
local lagged = {}
for r in gappy:lag{value = "v", time = "y"}:lag{value = "v", time = "y", n = 2, name = "lag2"}:rows() do lagged[r.y] = r end
T.eq(lagged[2021].lag, nil, "lag: a missing period gives NULL, not the row before")
T.eq(lagged[2021].lag2, 1.0, "lag 2: the period two before, though a row is missing between")
T.eq(lagged[2022].lag, 3.0, "lag: the period before")
T.eq(gappy:moving{value = "v", time = "y", n = 2}:where{y = 2021}:col("moving_avg")[1], nil,
     "moving counts periods: 2020 missing leaves 2021's window short")

-- Days: the same day a year before.
local daily = zb.sql("select '2021-03-01' as d, 100.0 as v union all select '2022-03-01', 105.0 " ..
                     "union all select '2022-02-28', 1.0"):yoy{value = "v", time = "d"}
near(daily:where{d = "2022-03-01"}:col("yoy")[1], 5.0, "days: the same day a year before")

-- What is not one frequency of periods is an error naming the values.
T.fails(function() zb.sql("select '2021-01' as m, 1 as v union all select '2021-Q2', 2"):yoy{value = "v", time = "m"} end,
        "yoy: column \"m\" mixes frequencies: 2021-01 (a month) and 2021-Q2 (a quarter)",
        "months and quarters in one series")
T.fails(function() zb.sql("select '2021-01' as m, 1 as v union all select 'spring', 2"):yoy{value = "v", time = "m"} end,
        "yoy: column \"m\": 'spring' is not a period", "a time that is no period")

-- From a walk of issue 12: a period spelled two ways is one period (yoy
-- picked one by insert order); index's base is read as a period of the
-- column's frequency, and must be there; a month's neighbour is never
-- NBS's 1-2月 total; cagr refuses totals mixed with single periods.
T.fails(function()
  zb.sql("select '2021年第一季度' as q, 1.0 as v union all select '2021Q1', 2.0 union all select '2022Q1', 3.0")
    :yoy{value = "v", time = "q"}:to_csv()
end, "yoy: more than one row for q = 2021-Q1; one value per period is needed", "2021Q1 and 2021年第一季度 are one period")
T.fails(function()
  zb.sql("select 2021 as y, 1.0 as v union all select '2021年', 2.0"):lag{value = "v", time = "y"}:to_csv()
end, "lag: more than one row for y = 2021", "2021 and 2021年 too")
local quarters_cn = zb.sql("select '2021年第一季度' as q, 100.0 as v union all select '2021年第二季度', 110.0")
T.eq(quarters_cn:index{value = "v", time = "q", base = "2021Q1"}:col("index")[2], 110.0,
     "index: a base spelled otherwise is the same period")
T.eq(zb.sql("select 2020 as y, 100.0 as v union all select 2021, 105.0"):index{value = "v", time = "y", base = "2020年"}
       :col("index")[2], 105.0, "... a year as 2020年")
T.fails(function() quarters_cn:index{value = "v", time = "q", base = "2021-01"} end,
        "index: base 2021-01 is a month; column \"q\" holds quarters", "a base of another frequency is an error")
T.fails(function() quarters_cn:index{value = "v", time = "q", base = "abc"} end, "index: base abc is not a period",
        "a base that is no period is an error")
T.fails(function() quarters_cn:index{value = "v", time = "q", base = "2020Q1"} end,
        "index: no row for the base period 2020-Q1", "a base period that is not there is an error, not NULLs")
local nbs = zb.sql("select '2021年1-2月' as m, 200.0 as v union all select '2021年3月', 103.0 union all select '2021年4月', 105.0")
local nbs_rows = {}
for r in nbs:lag{value = "v", time = "m"}:moving{value = "v", time = "m", n = 2}:rows() do nbs_rows[r.m] = r end
T.eq(nbs_rows["2021年3月"].lag, nil, "lag of 3月 is not the 1-2月 total")
T.eq(nbs_rows["2021年4月"].lag, 103.0, "lag of 4月 is 3月")
T.eq(nbs_rows["2021年3月"].moving_avg, nil, "a moving window of months holds no 1-2月 total")
T.fails(function() nbs:cagr{value = "v", time = "m"} end, "mixes year-to-date totals (1-2月) with single periods",
        "cagr refuses totals mixed with single periods")
-- From the second walk of issue 12.  Whole numbers that are days
-- (20210101) are days, not a numbered sequence (yoy was day on day, cagr
-- 10000 years); whole numbers that are no periods (20211 for a quarter)
-- have no years, so yoy and cagr refuse them.
local days = zb.sql("select 20210101 as d, 100.0 as v union all select 20210102, 110 union all select 20220101, 120")
local dy = days:yoy{value = "v", time = "d"}:order("d"):col("yoy")
T.ok(dy[1] == nil and dy[2] == nil and dy[3] == 20, "yoy over 20210101 ...: a day against the same day a year before",
     zb.pretty(dy))
near(days:cagr{value = "v", time = "d"}:select("years"):value(), 365 / 365.2425, "... cagr over days counts their years")
local numbered = zb.sql("select 20211 as q, 100.0 as v union all select 20212, 110")
T.fails(function() return numbered:yoy{value = "v", time = "q"} end, "yoy: column \"q\" holds whole numbers that are " ..
        "neither years nor periods (20211 ...)", "yoy refuses a numbered sequence: no year before in it")
T.fails(function() return numbered:cagr{value = "v", time = "q"} end, "cagr: column \"q\" holds whole numbers",
        "... and so does cagr")
T.eq(numbered:pop{value = "v", time = "q"}:order("q"):col("pop")[2], 10, "pop takes the row before in a sequence")
-- A row without its time is in no span: cagr from 2020 (was the row of no year, 50)
local untimed = zb.sql("select 'a' k, 2020 y, 100 v union all select 'a', null, 50 union all select 'a', 2022, 121")
   :cagr{value = "v", time = "y", by = "k"}:first()
T.ok(untimed["from"] == 2020 and untimed.first == 100 and untimed.years == 2, "cagr leaves a row of no time out",
     tostring(untimed))
near(untimed.cagr, 10, "... 10% a year")
T.fails(function()
  return zb.sql("select '2021年1-2月' m, 200 v union all select '2021年1-4月', 400 union all select '2022年1-4月', 480")
    :cagr{value = "v", time = "m"}
end, "cagr: column \"m\" mixes year-to-date totals of 2 and of 4 months", "cagr refuses totals of different lengths")
local nbs = zb.sql("select '2021年1-2月' m, 200 v union all select '2021年3月', 110 union all select '2021年4月', 121")
   :index{value = "v", time = "m", base = "2021年3月"}:order("v"):col("index")
T.ok(nbs[1] == 100 and nbs[3] == nil, "index: a 1-2月 total has no index over a month's base (was 181.8)", zb.pretty(nbs))
T.eq(zb.sql("select cagr(100, 121, 1) as c"):value(), 21.0, "cagr over one year is the growth, to the last digit")
-- a REAL column's values are taken as they are (no conversion a row), and
-- text it holds that reads as no number is still refused
zb.sql("create table real_values (y integer, v real)")
zb.db:sql("insert into real_values values (2020, 1.5), (2021, 3.0), (2022, ?)", "N/A")
T.fails(function() return zb.table("real_values"):yoy{value = "v", time = "y"}:to_csv() end,
        "yoy: column v holds 'N/A' (at y = 2022), not a number", "text in a REAL column is refused")
T.eq(zb.table("real_values"):where("y < 2022"):yoy{value = "v", time = "y"}:order("y"):col("yoy")[2], 100.0,
     "... and its numbers compared")
T.done()
