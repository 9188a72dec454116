-- The SQL every table method compiles to in SQLite's dialect, against
-- tests/golden/methods.lua: a change to the compiler, the dialect or a
-- method shows here as text to read.  Each query also runs, so a golden
-- text is one SQLite takes.  ZB_GOLDEN=write rewrites the file (read the
-- diff before committing it).
local T = require("check")

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
}

-- A description's fields that make its SQL (the compiler reads no other).
local clauses = {"from", "where", "group", "cols", "distinct", "order", "limit", "offset", "query"}

-- v (a description, a fragment, a list of them, a value) as Lua source.
local function lua_of(v, indent)
  if type(v) ~= "table" then
    if type(v) == "string" or type(v) == "number" then return string.format("%q", v) end
    assert(type(v) == "boolean", "a description holds a " .. type(v))
    return tostring(v)
  end
  local inner, keys = indent .. "  ", {}
  if v.from or v.query then  -- a description
    for _, k in ipairs(clauses) do keys[#keys + 1] = v[k] ~= nil and k or nil end
  elseif v.expr then keys = {"name", "expr"}  -- a column
  else
    for k in pairs(v) do keys[#keys + 1] = math.type(k) ~= "integer" and k or nil end
    table.sort(keys)
  end
  local out = {}
  for i = 1, v.n or #v do out[#out + 1] = lua_of(v[i], inner) end
  for _, k in ipairs(keys) do out[#out + 1] = k .. " = " .. lua_of(v[k], inner) end
  return "{" .. (#out > 0 and "\n" .. inner .. table.concat(out, ",\n" .. inner) .. "\n" .. indent or "") .. "}"
end

-- Each case as Lua source: its name, the SQL the table runs with its
-- values, and the description the SQL is compiled from.
local path = "tests/golden/methods.lua"
local got = {}
for i, case in ipairs(cases) do
  local tbl = case[2]()
  local sql, params = tbl:sql()
  params = params or {}
  params.n = #params
  got[i] = string.format("{name = %q,\n sql = %q,\n params = %s,\n description = %s}", case[1], sql, lua_of(params, " "),
                         lua_of(require("zb.core").description(tbl), " "))
  -- a Lua function's number counts the session's registrations: not the method's
  got[i] = got[i]:gsub("zb_lua%(%d+,", "zb_lua(N,")
  T.ok(pcall(tbl.count, tbl), "the SQL of " .. case[1] .. " runs")
end
if os.getenv("ZB_GOLDEN") == "write" then
  T.write(path, "-- Written by tests/lua/golden.lua (ZB_GOLDEN=write): every method's SQL in SQLite's dialect, and the\n" ..
                "-- description it is compiled from, which tests/unit/compiler.lua compiles without a database.\n" ..
                "return {\n" .. table.concat(got, ",\n") .. "\n}\n")
end

local want = assert(load(T.read(path) or "return {}"))()
for i, case in ipairs(cases) do
  local w = want[i] or {}
  T.eq(got[i], string.format("{name = %q,\n sql = %q,\n params = %s,\n description = %s}", w.name or "", w.sql or "",
                             lua_of(w.params or {}, " "), lua_of(w.description or {}, " ")), "golden SQL: " .. case[1])
end
T.eq(#want, #cases, "the golden file has an entry for each case")
T.cleanup()
T.done()
