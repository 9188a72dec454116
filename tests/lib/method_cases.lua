-- Every table method's case, on tables made here in the session's engine:
-- tests/lua/golden.lua records their SQL, tests/lua/postgresql.lua runs
-- them on both engines and compares the rows.  A function of the test
-- harness (check.lua) returning {name, function making the table} each.
return function(T)
  zb.sql("create table t(region text, year integer, value real, unit text)")
  zb.sql([[insert into t values ('A', 2020, 100, '亿元'), ('A', 2021, 110, '亿元'), ('B', 2020, 50, '万元'),
                                ('B', 2021, 60, '万元')]])
  zb.sql("create table u(region text, pop integer, \"2021年\" real)")
  zb.sql("insert into u values ('A', 10, 1.5), ('B', 20, 2.5)")
  -- loaded, so that month is known to hold periods (t.meta)
  local dir = T.tmpdir()
  T.write(dir .. "/m.csv", "month,value\n2021-01,1\n2021-02,2\n2022-01,3\n2022-02,4\n")
  local m = zb.read_csv(dir .. "/m.csv")
  local t, u = zb.table("t"), zb.table("u")

  local cases = {
    {"table", function() return t end},
    {"where sql", function() return t:where("year > ? and region = ?", 2020, "A") end},
    {"where values", function() return t:where{region = {"A", "B"}, year = 2021} end},
    {"where none", function() return t:where{region = {}} end},
    {"where untyped", function() return t:mutate{y = "year + 0"}:where{y = "2021"} end},
    {"where function", function() return t:where(function(r) return r.value > 55 end) end},
    {"where where", function() return t:where("year = 2021"):where("value > 1") end},
    {"select", function() return t:select("region", {v = "value * 2"}) end},
    {"select where", function() return t:select("region", "value"):where("value > 1") end},
    {"mutate", function() return t:mutate{value = "value / 10", double = "value * 2"} end},
    {"rename", function() return t:rename{place = "region"} end},
    {"drop", function() return t:drop("unit", "value") end},
    {"distinct", function() return t:select("region"):distinct() end},
    {"order", function() return t:order("year desc", "region") end},
    {"order expression", function() return t:order("value * -1") end},
    {"order periods", function() return m:select("month", "value"):order("month desc") end},
    {"limit", function() return t:limit(2, 1) end},
    {"limit limit", function() return t:limit(3):limit(1) end},
    {"order limit", function() return t:order("value"):limit(1) end},
    {"agg", function() return t:agg({n = "count(*)"}, {total = "sum(value)"}) end},
    {"group agg hashed", function() return t:group("region"):agg{n = "count(*)", total = "sum(value)"} end},
    {"group agg", function() return t:group("region"):agg{spread = "max(value) - min(value)"} end},
    {"group expression", function() return t:group({decade = "year / 10"}):agg{n = "count(*)"} end},
    {"join", function() return t:join(u, "region") end},
    {"join left", function() return t:join(u, {"region"}, "left") end},
    {"join full", function() return t:join(u, "region", "full") end},
    {"join sql", function() return t:join(u, "l.region = r.region and r.pop > 10") end},
    {"union", function() return t:where{year = 2020}:union(t:where{year = 2021}) end},
    {"union all", function() return t:select("region"):union(u:select("region"), "all") end},
    {"pivot", function() return t:pivot{rows = "region", cols = "year", values = "value"} end},
    {"melt", function() return u:melt{id = "region", cols = {"pop", "2021年"}} end},
    {"melt pattern", function() return u:melt{id = "region", cols = "^(%d+)年$", name = "year", drop_null = true} end},
    {"ratio", function() return t:ratio{num = "value", den = "year"} end},
    {"share", function() return t:share{value = "value", by = "year"} end},
    {"yoy", function() return t:yoy{value = "value", time = "year", by = "region"} end},
    {"yoy months", function() return m:yoy{value = "value", time = "month"} end},
    {"pop", function() return m:pop{value = "value", time = "month"} end},
    {"lag", function() return t:lag{value = "value", time = "year", by = "region"} end},
    {"lead 2", function() return t:lead{value = "value", time = "year", by = "region", n = 2} end},
    {"index", function() return t:index{value = "value", time = "year", base = 2020, by = "region"} end},
    {"rank", function() return t:rank{value = "value", by = "year"} end},
    {"moving", function() return t:moving{value = "value", time = "year", by = "region", n = 2} end},
    {"cagr", function() return t:cagr{value = "value", time = "year", by = "region"} end},
    {"gap", function() return t:gap{key = "region", a = "A", b = "B", value = "value", by = "year"} end},
    {"convert", function() return t:convert{value = "万元"} end},
    {"progress", function() return t:progress{actual = "value", target = "year"} end},
    {"chain", function() return t:chain{value = "value", time = "year", by = "region", kind = "previous"} end},
    {"deflate", function() return t:deflate{value = "value", price = "value", time = "year", by = "region", base = 2020} end},
    {"deflate changes", function() return t:mutate{c = "value / 100.0"}:deflate{value = "value", price = "c", time = "year",
                                                                                 by = "region", kind = "change"} end},
    {"from_ytd", function() return m:from_ytd{value = "value", time = "month"} end},
    {"to_ytd", function() return m:to_ytd{value = "value", time = "month"} end},
    {"resample", function() return m:resample{time = "month", to = "year", sum = "value"} end},
    {"revisions", function() return t:revisions{later = t:where{year = 2021}, key = {"region", "year"}, value = "value"} end},
    {"save", function() return t:where("year > ? and region = ?", 2020, "A"):save("saved") end},
  }
  return cases
end
