-- group + agg through zb_group (src/bridge/group.c), the hash aggregate for the
-- plain verbs: its results must be SQLite's own GROUP BY's, value for
-- value, type for type, row for row.
local T = require("check")

-- The same grouping through the table methods and as SQL text.
local aggs = {c = "count(*)", n = "count(v)", s = "sum(v)", t = "total(v)", a = "avg(v)", lo = "min(v)", hi = "max(v)"}
-- In the order agg gives them (by name): with a collation that is not
-- binary, the key SQLite shows for a group comes from the row of the last
-- min or max.
local agg_sql = "avg(v) as a, count(*) as c, max(v) as hi, min(v) as lo, count(v) as n, sum(v) as s, total(v) as t"

local function same(tbl, keys, name, where, ...)
  local t = zb.table(tbl)
  if where then t = t:where(where, ...) end
  local hashed = t:group(table.unpack(keys)):agg(aggs)
  local cols = {}
  for i, k in ipairs(keys) do cols[i] = '"' .. k .. '"' end
  local order = {"a", "c", "hi", "lo", "n", "s", "t"}
  local sql = string.format("select %s, %s from %s %s group by %s", table.concat(cols, ", "), agg_sql, tbl,
                            where and "where " .. where or "", table.concat(cols, ", "))
  local want = {}
  for r in zb.sql(sql, ...):rows() do want[#want + 1] = r end
  local got = {}
  for r in hashed:rows() do got[#got + 1] = r end
  local function cell(v)  -- telling 1, 1.0, '1' and x'31' apart
    return v == nil and "NULL" or math.type(v) == "float" and string.format("%.17g.f", v)
        or math.type(v) == "integer" and tostring(v) or string.format("%q", v)
  end
  local function line(r)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = cell(r[k]) end
    for _, c in ipairs(order) do parts[#parts + 1] = cell(r[c]) end
    return table.concat(parts, "|")
  end
  local a, b = {}, {}
  for i, r in ipairs(got) do a[i] = line(r) end
  for i, r in ipairs(want) do b[i] = line(r) end
  T.eq(table.concat(a, "\n"), table.concat(b, "\n"), name)
  return hashed
end

-- Kinds of values a column of a spreadsheet holds.
local pools = {
  keys = {"'杭州市'", "'宁波市'", "''", "NULL", "1", "2", "-3", "'1'", "x'31'", "x''", "'a'", "'A'", "9223372036854775807"},
  ints = {"1", "2", "-5", "0", "NULL", "100000", "-9007199254740993"},
  reals = {"1.5", "0.1", "0.2", "-2.25", "NULL", "1e300", "3"},
  texts = {"'b'", "'a'", "'中'", "''", "NULL", "'B'"},
}

math.randomseed(20221129)
local function fill(name, nrows, keypool, valpool)
  zb.db:sql(string.format('create table "%s" (k, j, v)', name))
  for _ = 1, nrows do
    zb.db:sql(string.format('insert into "%s" values (%s, %s, %s)', name, keypool[math.random(#keypool)],
                            keypool[math.random(#keypool)], valpool[math.random(#valpool)]))
  end
end

for round = 1, 12 do
  local name = "r" .. round
  fill(name, math.random(0, 60), pools.keys, round % 3 == 0 and pools.reals or round % 3 == 1 and pools.ints or pools.texts)
  same(name, {"k"}, "random table " .. round .. ": one key")
  same(name, {"k", "j"}, "random table " .. round .. ": two keys")
end

-- The hash path itself, and the cases it hands to SQLite, all as SQLite gives them.
zb.db:sql("create table ind (region text, year integer, indicator text, value real, unit text)")
for i = 1, 400 do
  zb.db:sql("insert into ind values (?, ?, ?, ?, '亿元')", ({"杭州市", "宁波市", "温州市"})[i % 3 + 1], 2015 + i % 7,
            ({"gdp", "income_urban", "retail_sales"})[i % 3 + 1], (i * 7919 % 1000) / 10)
end
zb.db:sql("alter table ind add column v real")
zb.db:sql("update ind set v = value")
local t = same("ind", {"indicator", "year"}, "indicator tables: hashed")
T.has(t:sql(), "zb_group(", "... through zb_group")
same("ind", {"region", "year"}, "with a where and its parameters", "year >= ? and region <> ?", 2017, "温州市")
T.eq(zb.table("ind"):group("region"):agg{n = "count(*)"}:order("region"):col("n")[1], 134, "then other methods over it")

-- Tables of the cases the hash path hands to SQLite, and the empty one.
local cases = {
  {"reals", "k real, j, v", "(1.0, 1, 1), (1, 1, 2), (2.5, 1, 3)", "a real key (1.0 and 1 are one group): SQLite's GROUP BY"},
  {"texts", "k, j, v", "(1, 1, '12'), (1, 1, 'x'), (2, 1, 3)", "text in a sum: SQLite's conversion"},
  {"mixed", "k, j, v", "(1, 1, 2), (1, 1, 1.5), (1, 1, 'z'), (2, 1, x'00')", "min and max over integers, reals, text and blobs"},
  {"nocase", "k text collate nocase, j, v", "('a', 1, 1), ('A', 1, 2), ('b', 1, 3)", "a key declared with another collation"},
  {"empty", "k, j, v", nil, "no rows: no groups"},
}
for _, c in ipairs(cases) do
  zb.db:sql(string.format("create table %s (%s)", c[1], c[2]))
  if c[3] then zb.db:sql(string.format("insert into %s values %s", c[1], c[3])) end
  same(c[1], {"k"}, c[4])
end
zb.db:sql("create table huge (k, j, v)")
zb.db:sql("insert into huge values (1, 1, 9223372036854775807), (1, 1, 1)")
T.fails(function() zb.table("huge"):group("k"):agg{s = "sum(v)"}:first() end, "integer overflow",
        "an integer overflow in sum is SQLite's error")
T.eq(zb.table("huge"):group("k"):agg{s = "total(v)"}:select("s"):value(), 9223372036854775808.0, "total goes on as a real")

-- From a review: parameters past SQLite's sixteenth constraint, collations
-- carried by expressions and compounds, zb_group inside its own scan.
zb.db:sql("create table many (k, v)")
for i = 1, 20 do zb.db:sql("insert into many values (?, ?)", i % 3, i) end
for _, n in ipairs{14, 15, 16} do
  local marks, values = {}, {}
  for i = 1, n do marks[i], values[i] = "?", i end
  local g = zb.table("many"):where("v in (" .. table.concat(marks, ",") .. ")", table.unpack(values)):group("k"):agg{n = "count(*)"}
  T.eq(table.concat(g:where("k >= 0"):col("n"), ","), n == 14 and "4,5,5" or n == 15 and "5,5,5" or "5,6,5",
       n .. " parameters, and a where over the result")
end
zb.db:sql("create table plain_names (k text, j, v)")
zb.db:sql("insert into plain_names values ('a', 1, 1), ('A', 1, 2), ('b', 1, 3)")
T.eq(zb.table("nocase"):mutate{k = "+k"}:group("k"):agg{n = "count(*)"}:to_csv(),
     zb.sql("select +k as k, count(*) as n from nocase group by 1"):to_csv(), "a collation carried through an expression")
T.eq(zb.table("nocase"):union(zb.table("plain_names"), "all"):group("k"):agg{n = "count(*)"}:to_csv(),
     zb.sql("select k, count(*) as n from (select * from nocase union all select * from plain_names) group by k"):to_csv(),
     "... and through a compound")
T.fails(function() zb.sql("select * from zb_group(?1, '1:sum', ?1, '1:sum')", "select k0, a0 as v0 from zb_group(?1, ?2, ?1, ?2)"):first() end,
        "zb_group: nested more than 8 deep", "zb_group inside its own scan stops with an error")
T.fails(function() zb.sql("select * from zb_group('select 1 as k0; select 2', '1:count*')"):first() end,
        "one statement that only reads", "a scan of two statements is refused")

-- What is not a plain verb over a column stays SQL.
local exprs = zb.table("ind"):group("indicator"):agg{s = "sum(value * 2)", m = "median(value)"}
T.hasnt(exprs:sql(), "zb_group", "expressions and the library's aggregates: SQLite's GROUP BY")
T.eq(#exprs, 3, "... with the same answers")
T.hasnt(zb.table("ind"):group{r = "substr(region, 1, 1)"}:agg{n = "count(*)"}:sql(), "zb_group", "a key that is an expression")

-- Types hold through grouping (issue 12): a key out of zb_group compares
-- and joins as its source column does, on both grouping paths.  A year
-- given as text (a script's arg[1]) found no row on the hashed path, an
-- index's base period gave NULL, and a join to a TEXT year lost every row.
zb.db:sql("create table gdp_typed (region text, year integer, value integer)")
zb.db:sql("insert into gdp_typed values ('杭州', 2020, 100), ('杭州', 2021, 110), ('宁波', 2021, 90)")
zb.db:sql("create table years_text (year text, label text)")
zb.db:sql("insert into years_text values ('2020', 'a'), ('2021', 'b')")
local typed = zb.table("gdp_typed")
for _, verb in ipairs{"sum(value)", "median(value)"} do
  local g = typed:group("year", "region"):agg{v = verb}
  local path = g:sql():find("zb_group", 1, true) and "zb_group" or "GROUP BY"
  T.eq(#g:where{year = "2021"}, 2, path .. ": a key compared with text that reads as a number, as its INTEGER source")
  T.eq(#g:join(zb.table("years_text"), "year"), 3, path .. ": a key joined to a TEXT column, as its source")
  T.eq(g:where{region = "杭州"}:index{value = "v", time = "year", base = "2020"}:col("index")[2], 110.0,
       path .. ": index with a base period given as text")
  T.eq(#typed:group("region"):agg{n = "count(*)"}:where{region = "杭州"}, 1, path .. ": a TEXT key as before")
end
zb.db:sql("create table codes (code text, v integer)")
zb.db:sql("insert into codes values ('0571', 1), ('0571', 2), ('571', 4)")
T.eq(#zb.table("codes"):group("code"):agg{s = "sum(v)"}:where{code = "0571"}, 1, "a TEXT key keeps its leading zero")

-- A join to a hashed grouping: the same rows as a join to SQLite's GROUP BY,
-- on either side and for every kind, and the groups read once into a
-- temporary table SQLite indexes, not the other side indexed for them
-- (a million rows joined to 120 groups took 5.2 s that way, 0.6 s this).
do
  zb.db:sql("create table facts (region text, year integer, v real)")
  zb.db:sql([[insert into facts with recursive n(i) as (select 1 union all select i + 1 from n where i < 300)
              select char(0x676D + i % 7), 2000 + i % 11, case when i % 13 = 0 then null else i * 1.5 end from n]])
  local facts = zb.table("facts")
  local hashed = facts:where("year < 2009"):group("region", "year"):agg{total = "sum(v)", n = "count(*)"}
  T.has(hashed:sql(), "zb_group", "the grouping joined is hashed")
  local plain = [[(select region, year, sum(v) as total, count(*) as n from facts where year < 2009 group by region, year)]]
  local function lines(t)
    local out = {}
    for r in t:rows() do
      out[#out + 1] = string.format("%s|%s|%s|%s|%s", r.region, r.year, tostring(r.v), tostring(r.total), tostring(r.n))
    end
    table.sort(out)
    return table.concat(out, "\n")
  end
  for _, how in ipairs{"inner", "left", "right", "full"} do
    local want = zb.sql(string.format([[select coalesce(l.region, r.region) as region, coalesce(l.year, r.year) as year,
      l.v, r.total, r.n from facts as l %s join %s as r on l.region = r.region and l.year = r.year]],
      how == "inner" and "" or how, plain))
    T.eq(lines(facts:join(hashed, {"region", "year"}, how)), lines(want), how .. " join to a hashed grouping: GROUP BY's rows")
  end
  local sql, params = facts:join(hashed, {"region", "year"}):sql()
  local plan = {}
  for _, r in ipairs(zb.sql("explain query plan " .. sql, table.unpack(params))) do plan[#plan + 1] = r.detail end
  plan = table.concat(plan, "\n")
  T.has(plan, "MATERIALIZE", "the groups are read once into a temporary table")
  T.hasnt(plan, "SEARCH facts USING AUTOMATIC", "... and the other side is not indexed for them")
end

-- share over the hashed totals: each row's share of its group's sum as
-- SQLite's sum() OVER (PARTITION BY) gives it, NULL keys a group of their
-- own, a NULL value or a group summing to 0 NULL; a column that may hold
-- text stays on the window.
do
  zb.db:sql("create table shares (region text, year integer, v real, t text)")
  zb.db:sql([[insert into shares with recursive n(i) as (select 1 union all select i + 1 from n where i < 200)
              select case when i % 17 = 0 then null else char(0x676D + i % 5) end, 2000 + i % 4,
                     case when i % 11 = 0 then null when i % 40 = 3 then 0 else (i % 9 - 3) * 1.25 end, i % 7 from n]])
  local shares = zb.table("shares")
  local function lines(t, col)
    local out = {}
    for r in t:rows() do out[#out + 1] = string.format("%s|%s|%s|%.17g", r.region, r.year, tostring(r.v), r[col] or 0 / 0) end
    table.sort(out)
    return table.concat(out, "\n")
  end
  local fast = shares:share{value = "v", by = {"region", "year"}}
  T.has(fast:sql(), "zb_group", "share of a REAL column: the hashed totals")
  T.eq(lines(fast, "share"), lines(zb.sql([[select *, 100.0 * v / sum(v) over (partition by region, year) as share
    from shares]]), "share"), "... each row's share as the window gives it, NULL keys a group")
  T.eq(table.concat(fast.columns, ","), "region,year,v,t,share", "... the table's columns and share")
  local text = shares:share{value = "t", by = "year", name = "s"}
  T.hasnt(text:sql(), "zb_group", "a TEXT column's share: the window")
  T.eq(lines(text, "s"), lines(zb.sql([[select *, 100.0 * cast(t as numeric) / sum(cast(t as numeric))
    over (partition by year) as s from shares]]), "s"), "... the same shares")
end

-- zb_group is zb's: only the read-only scan it is given, and not from a file's schema.
T.fails(function() zb.sql("select * from zb_group('delete from ind', '1:count*')"):first() end,
        "the scan must be one statement that only reads", "a scan that writes is refused")
T.fails(function() zb.sql("select * from zb_group('select 1 as k0', 'nonsense')"):first() end,
        "expected a scan and a spec", "a spec it cannot read")
T.done()
