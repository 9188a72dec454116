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
near(at(moving, "A", 2020, "moving_avg"), 100, "... fewer at the start")
T.fails(function() s:rank{value = "value", decs = false} end, "rank: unknown option 'decs' (options: by, desc, method, name, value)",
        "a misspelt option is an error, not ignored")
T.fails(function() s:progress{actual = "nope", target = "value"} end, "tests/lua/indicators.lua:",
        "a method's mistake is reported at the user's line")
local with_null = zb.sql("select 1 as k, 5 as v union all select 2, null union all select 3, 2")
T.eq(with_null:rank{value = "v", desc = false}:where("k = 3"):select("rank"):value(), 1, "... and the others do not count it")
T.eq(with_null:rank{value = "v", desc = false}:where("k = 2"):select("rank"):value(), nil, "... its own is NULL")
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
T.fails(function() s:yoy{value = "valu", time = "year"} end, "yoy: no such column: valu", "options are checked")
T.fails(function() s:index{value = "value", time = "year"} end, "index: base (the base period) is required", "index needs a base")
T.done()
