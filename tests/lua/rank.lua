-- t:rank through zb_rank (src/bridge/window.c), which hashes the partitions
-- instead of sorting every row: each row's rank must be the one SQLite's
-- own rank() / dense_rank() OVER (PARTITION BY ... ORDER BY ...) gives,
-- written here as SQL text, for every kind of key and value.
local T = require("check")

-- Kinds of values a column holds: numbers of both types (equal ones among
-- them, integers a double cannot hold), text that sorts after numbers,
-- blobs after text, NULL.
local pools = {
  keys = {"'杭州市'", "'宁波市'", "''", "NULL", "1", "2", "-3", "'1'", "x'31'", "'a'", "'A'"},
  real_keys = {"1", "1.0", "2.5", "NULL", "'1'"},
  ints = {"1", "2", "-5", "0", "NULL", "100000", "-9007199254740993", "9007199254740993", "9007199254740992"},
  reals = {"1.5", "0.1", "0.2", "-2.25", "NULL", "1e300", "3", "3.0", "-0.0", "0", "9007199254740992.0"},
  texts = {"'b'", "'a'", "'中'", "''", "NULL", "'B'", "1", "2.5", "x'00'", "x'ff'"},
}

local function cell(v)  -- telling 1, 1.0, '1' and x'31' apart
  return v == nil and "NULL" or math.type(v) == "float" and string.format("%.17g.f", v)
      or math.type(v) == "integer" and tostring(v) or string.format("%q", v)
end

-- The ranks of t's rows by id, as "id=rank" lines.
local function ranks(rows, column)
  local out = {}
  for r in rows do out[#out + 1] = r.id .. "=" .. cell(r[column]) end
  table.sort(out)
  return table.concat(out, "\n")
end

-- zb's rank of table name against SQLite's window, for keys (none or
-- more), both directions and both methods; returns the last zb table.
local function same(name, keys, label, where, ...)
  local t = zb.table(name)
  if where then t = t:where(where, ...) end
  local got
  for _, desc in ipairs{true, false} do
    for _, method in ipairs{"competition", "dense"} do
      got = t:rank{value = "v", by = #keys > 0 and keys or nil, desc = desc, method = method}
      local quoted = {}
      for i, k in ipairs(keys) do quoted[i] = '"' .. k .. '"' end
      local sql = string.format("select id, case when v is null then null else %s() over (%sorder by v%s%s) end as rank " ..
                                "from %s %s", method == "dense" and "dense_rank" or "rank",
                                #keys > 0 and "partition by " .. table.concat(quoted, ", ") .. " " or "",
                                desc and " desc" or "", desc and "" or " nulls last", name,
                                where and "where " .. where or "")
      T.eq(ranks(got:rows(), "rank"), ranks(zb.sql(sql, ...):rows(), "rank"),
           string.format("%s: %s, %s", label, desc and "descending" or "ascending", method))
    end
  end
  return got
end

math.randomseed(20261204)
local function fill(name, nrows, keypool, valpool, collation)
  zb.db:sql(string.format('create table "%s" (id integer primary key, k %s, j, v)', name,
                          collation and "collate " .. collation or ""))
  for _ = 1, nrows do
    zb.db:sql(string.format('insert into "%s" (k, j, v) values (%s, %s, %s)', name, keypool[math.random(#keypool)],
                            keypool[math.random(#keypool)], valpool[math.random(#valpool)]))
  end
end

local values = {pools.ints, pools.reals, pools.texts}
for round = 1, 12 do
  local name = "r" .. round
  fill(name, math.random(0, 80), pools.keys, values[round % 3 + 1])
  same(name, {}, "random table " .. round .. ": no partition")
  same(name, {"k"}, "random table " .. round .. ": one key")
  same(name, {"k", "j"}, "random table " .. round .. ": two keys")
end
-- What the hash path hands to SQLite's own rank(): a real key (1 and 1.0
-- are one partition), a key of another collation ('a' and 'A' are one).
fill("reals", 60, pools.real_keys, pools.ints)
same("reals", {"k"}, "a real in a key")
fill("nocase", 60, pools.keys, pools.texts, "nocase")
same("nocase", {"k"}, "a key that compares without case")
fill("nocase_values", 0, pools.keys, pools.texts)
zb.db:sql("create table nocase_v (id integer primary key, k, j, v collate nocase)")
for i = 1, 40 do zb.db:sql("insert into nocase_v (k, j, v) values (?, 0, ?)", i % 3, ({"a", "A", "b", "B", "c"})[i % 5 + 1]) end
same("nocase_v", {"k"}, "values that compare without case")

-- A table of indicators: hashed, parameters in its scan, the rows in t's
-- order, a where after the rank (the query then skips rows of the scan).
zb.db:sql("create table ind (id integer primary key, region text, year integer, indicator text, v real)")
for i = 1, 600 do
  zb.db:sql("insert into ind (region, year, indicator, v) values (?, ?, ?, ?)", ({"杭州市", "宁波市", "温州市", "湖州市"})[i % 4 + 1],
            2015 + i % 7, ({"gdp", "income_urban", "retail_sales"})[i % 3 + 1], i % 17 == 0 and nil or (i * 7919 % 1000) / 10)
end
local ranked = same("ind", {"indicator", "year"}, "indicator tables")
T.has(ranked:sql(), "zb_rank(", "... through zb_rank")
same("ind", {"indicator", "year"}, "a where with parameters", "year > ? and region <> ?", 2016, "温州市")
local ids = zb.table("ind"):order("v desc", "id"):rank{value = "v", by = "indicator"}:col("id")
T.eq(table.concat(ids, ","), table.concat(zb.sql("select id from ind order by v desc nulls last, id"):col("id"), ","),
     "the rows stay in the table's order")
local top = zb.table("ind"):rank{value = "v", by = {"indicator", "year"}}:where("rank <= 2"):order("id")
T.eq(ranks(top:rows(), "rank"),
     ranks(zb.sql([[select * from (select id, rank() over (partition by indicator, year order by v desc) as rank
                    from ind where v is not null) where rank <= 2]]):rows(), "rank"),
     "a where on the rank, the query reading only some rows of the scan")
local named = zb.table("ind"):rank{value = "v", by = "indicator", name = "v"}
T.eq(table.concat(named.columns, ","), "id,region,year,indicator,v", "a rank named as the value column replaces it")

-- A query whose rows differ between the scan and the query: an error, never a rank.
T.fails(function() zb.table("ind"):mutate{v = "random()"}:rank{value = "v"}:rows()() end,
        "rank: the rows changed between the two reads rank makes of them", "random values are refused")
T.fails(function() zb.sql("select zb_rank(?1, ?2, ?1, ?2, 1) as v", "select zb_rank(?1, ?2, ?1, ?2, 1) as v",
                          "0:2:desc:competition"):value() end,
        "zb_rank: nested more than 8 deep", "zb_rank inside its own scan stops with an error")
T.fails(function() zb.sql("select zb_rank('delete from ind', '0:0:desc:competition', 1)"):value() end,
        "zb_rank: the scan must be one statement that only reads", "a scan that writes is refused")
T.fails(function() zb.sql("select zb_rank('select 1 as v', '0:0:sideways:competition', 1)"):value() end,
        "zb_rank: expected a scan, a spec", "a spec it cannot read")
T.eq(zb.sql("select count(*) as n from ind"):value(), 600, "nothing was written")

T.done()
