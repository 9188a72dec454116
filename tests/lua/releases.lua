-- Releases (issue 14): one statistic's first release against a later,
-- revised one, per key.  Hangzhou's 2021 GDP: 18109 亿元 in the seed
-- article (the city's first release) and 18247.33 in the yearbook series.
local T = require("check")

local seed = zb.dataset("hangzhou-2021"):where{indicator = "gdp"}
               :select({city = "'杭州'"}, {year = "2021"}, {gdp = "value"})
local yearbook = zb.dataset("yangtze-delta-city-gdp")
                   :melt{id = "时间(年)", name = "city", value = "gdp", drop_null = true}:rename{year = "时间(年)"}
local r = seed:revisions{later = yearbook:where{year = 2021}, key = {"city", "year"}, value = "gdp"}
T.eq(table.concat(r.columns, ","), "city,year,earlier,later,revision,revision_pct,status", "a revision's columns")
local hz = r:where{city = "杭州"}:rows()()
T.ok(hz.earlier == 18109 and hz.later == 18247.33 and hz.status == "revised", "Hangzhou 2021: 18109 first, " ..
     "18247.33 revised", hz)
-- exact: 18247.33 - 18109 = 138.33, and 138.33 / 18109 = 0.76387431663814...%
T.ok(math.abs(hz.revision - 138.33) < 1e-9, "revised by 138.33 亿元", hz.revision)
T.ok(math.abs(hz.revision_pct - 13833 / 18109) < 1e-12, "by 0.76% (13833 / 18109 exactly)", hz.revision_pct)
T.eq(string.format("%+.2f%%", hz.revision_pct), "+0.76%", "as the README says it")
T.eq(#r:where{status = "only later"}, 25, "the other 25 cities are in the yearbook alone")

-- Each status
local a = zb.sql("select 'x' as k, 1.0 as v union all select 'y', 2 union all select 'z', 3")
local b = zb.sql("select 'x' as k, 1.0 as w union all select 'y', 2.5 union all select 'q', 4")
local seen = {}
for row in a:revisions{later = b, key = "k", value = "v", later_value = "w"}:order("k"):rows() do
  seen[#seen + 1] = row.k .. ":" .. row.status
end
T.eq(table.concat(seen, " "), "q:only later x:unchanged y:revised z:only earlier", "unchanged, revised, in one alone")

-- Refusals
T.fails(function() return seed:revisions{later = yearbook, key = "city", value = "gdp"} end,
        "revisions: 75 rows for city = 上海; one value per key in a release is needed (add the column that tells " ..
        "the rows apart to key)", "a key twice in a release")
T.fails(function() return seed:revisions{later = yearbook:where{year = 2021}:mutate{year = "'2021'"},
                                          key = {"city", "year"}, value = "gdp"} end,
        "revisions: key year holds integer in this release and text in the later one: its values would not meet",
        "a key held as a number in one release and as text in the other")
T.fails(function() return a:revisions{later = b:mutate{k = "k || '!'"}, key = "k", value = "v", later_value = "w"} end,
        "revisions: no key of this release is in the later one (k): are they written alike", "keys that never meet")
local mixed = zb.sql("select 2020 as y, 1.0 as v union all select 2021, 2.0")
T.fails(function() return mixed:revisions{later = zb.sql("select 2020 as y, 1.0 as v union all select '2021', 2.0"),
                                          key = "y", value = "v"} end,
        "key y holds integer in this release and integer and text in the later one", "a key partly of another kind")
local d1 = T.tmpdir()
local in_yi = zb.read_csv(T.file(d1, "a.csv", "m,gdp\n2021-01,1\n"), {units = {gdp = "亿元"}})
local in_wan = zb.read_csv(T.file(d1, "b.csv", "m,gdp\n2021-01,10000\n"), {units = {gdp = "万元"}})
T.fails(function() return in_yi:revisions{later = in_wan, key = "m", value = "gdp"} end,
        "revisions: gdp is in 亿元 in this release and 万元 in the later one; convert one first",
        "two units are no revision")
local c = zb.sql("select 'x' as k, NULL as v union all select 'y', 1.0")
local seen2 = {}
for row in c:revisions{later = zb.sql("select 'x' as k, 1.0 as v union all select 'y', NULL"), key = "k", value = "v"}
              :order("k"):rows() do
  seen2[#seen2 + 1] = row.k .. ":" .. row.status
end
T.eq(table.concat(seen2, " "), "x:filled y:withdrawn", "a value that appears is filled, one that goes withdrawn")
T.fails(function() return seed:revisions{later = 5, key = "city", value = "gdp"} end,
        "revisions: later must be a table", "later is a table")
T.fails(function() return seed:revisions{later = a, key = "city", value = "gdp"} end,
        "revisions: the later release has no column city (columns: k, v)", "the later release's columns")
T.fails(function() return seed:revisions{later = yearbook, key = "town", value = "gdp"} end,
        "revisions: no such column: town", "the earlier release's columns (from the registry's kinds)")
T.done()
