-- A PostgreSQL server as the session's engine (issue 18), against the test
-- run's own server (tests/lib/pg_server.sh; ZB_PG holds its connection
-- string).  Every method's case runs on both engines and their rows are
-- compared value by value, types and NULLs included; then connecting,
-- typed values, loading through COPY, streaming, and the errors.
local T = require("check")
local conninfo = os.getenv("ZB_PG")
if not conninfo or conninfo == "" then
  T.ok(false, "a PostgreSQL server to test against (ZB_PG: make test starts one, tests/lib/pg_server.sh)")
  T.done()
end
local pg = "-d " .. T.shell_quote(conninfo)
local socket_dir = conninfo:match("host=(%S+)")

-- Run script (with the shell words args after it) on SQLite and on the
-- server: each must print want, an expectation written without either.
local function prints_on_both(script, want, label, args)
  local command = T.shell_quote(script) .. (args or "")
  local lite, server = T.run(command), T.run(pg .. " " .. command)
  T.eq(lite.out, want, label .. ", on SQLite", lite.err)
  T.eq(server.out, want, "... and on the server", server.err)
end

-- Lines "case<TAB>..." of tests/lib/method_rows.lua run by a zb with args.
-- Each case's rows (text), the cases in order, T.run's result, and each
-- case's SQL.
local function method_rows(args)
  local r = T.run(args .. " tests/lib/method_rows.lua")
  local by_case, order, sql = {}, {}, {}
  for line in r.out:gmatch("[^\n]+") do
    local case, rest = line:match("^(.-)\t(.*)$")
    if rest and rest:sub(1, 2) == "=\t" then sql[case] = rest:sub(3)
    elseif case then
      if not by_case[case] then order[#order + 1] = case end
      by_case[case] = (by_case[case] and by_case[case] .. "\n" or "") .. rest
    end
  end
  return by_case, order, r, sql
end

-- Every method on both engines
do
  local sqlite, order, r = method_rows("")
  local postgres, _, _, pg_sql = method_rows(pg)
  -- The SQL each method made in PostgreSQL's dialect, as the server took it
  -- (it prepared and ran it), against tests/golden/methods_postgresql_server.lua.
  local golden = "tests/golden/methods_postgresql_server.lua"
  if os.getenv("ZB_GOLDEN") == "write" then
    local out = {}
    for _, case in ipairs(order) do out[#out + 1] = string.format("{name = %q,\n sql = %q}", case, pg_sql[case] or "") end
    T.write(golden, "-- Written by tests/lua/postgresql.lua (ZB_GOLDEN=write): the SQL of every method's case\n" ..
                    "-- (tests/lib/method_cases.lua) made on a PostgreSQL server, in its dialect.\nreturn {\n" ..
                    table.concat(out, ",\n") .. "\n}\n")
  end
  local want_sql = assert(load(T.read(golden) or "return {}"))()
  T.eq(#want_sql, #order, "the server's golden SQL has an entry for each case")
  for i, case in ipairs(order) do
    T.eq(pg_sql[case] or "", want_sql[i] and want_sql[i].sql, "golden PostgreSQL SQL (made on the server; none: refused): " .. case)
  end
  T.ok(#order >= 50, "the method cases run on SQLite", r.err)
  -- Cases PostgreSQL refuses (a Lua function given to a method runs on
  -- the server only as PL/Lua): each must fail with the server's clear
  -- message, none quietly.
  local not_yet = {["where function"] = "PostgreSQL: no such function there (a function given to a method is Lua, " ..
                                         "which runs in the server only as PL/Lua"}
  -- Deliberate differences (README, "On PostgreSQL"): a column holds one
  -- type, so melting an integer and a real column gives reals.
  local differs = {melt = {"t:A t:pop i:10", "t:A t:pop r:10"}, ["melt pattern"] = false}
  for _, case in ipairs(order) do
    local want, got = sqlite[case], postgres[case] or "(no rows printed)"
    if not_yet[case] then
      T.has(got, "PostgreSQL: ", case .. ": refused on PostgreSQL with the server's message")
      T.has(got, not_yet[case], case .. ": ... naming what the server lacks")
    elseif differs[case] then
      local d = differs[case]
      T.eq(got, (want:gsub(d[1]:gsub("%p", "%%%0"), d[2]):gsub(d[1]:gsub("A", "B"):gsub("10", "20"):gsub("%p", "%%%0"),
                                                               d[2]:gsub("A", "B"):gsub("10", "20"))),
           case .. ": the rows on PostgreSQL, but for the deliberate difference")
    else
      T.eq(got, want, case .. ": the same rows, types and NULLs on both engines")
    end
  end
end

-- Values typed as the SQLite engine gives them
do
  local r = T.run(pg .. [=[ -e "
    local row = zb.sql([[select 12::int2 as a, 3::int8 as b, true as c, 1.5::float4 as d, sum(x) as e,
      2.5::numeric as f, 'x'::text as g, null::int as h, 12345678901234567890.5::numeric as i
      from (values (1), (2)) as v(x)]]):rows()()
    for i = 1, 9 do io.write(tostring(math.type(row[i]) or type(row[i])), '=', tostring(row[i]), ' ') end"]=])
  T.eq(r.out, "integer=12 integer=3 integer=1 float=1.5 integer=3 float=2.5 string=x nil=nil float=1.2345678901235e+19 ",
       "smallint, bigint, boolean (1), real, a sum of integers (numeric), numeric, text, NULL, a numeric with a " ..
       "fraction past 64 bits", r.err)
end

-- Rows whose columns are all of types read in binary format come so: the
-- same values as their text gives
do
  local r = T.run(pg .. " -e " .. T.shell_quote([=[
    local q = [[select (-32768)::int2 as a, (-2147483648)::int4 as b, (-9223372036854775807 - 1)::int8 as c,
      false as d, 5e-324::float8 as e, '-0'::float8 as f, 0.1::float8 as g, 'infinity'::float8 as h,
      '杭州 '::text as i, ''::varchar as j, null::int8 as k, 1.7976931348623157e308::float8 as l]]
    local function show(row)
      local out = {}
      for i = 1, 12 do
        local v = row[i]
        out[i] = math.type(v) == "float" and string.format("%.17g", v) or tostring(math.type(v) or type(v)) .. ":" .. tostring(v)
      end
      return table.concat(out, " ")
    end
    print(show(zb.sql(q):rows()()))  -- in binary format (every type read so)
    print(show(zb.engine.rows(q, {n = 0})()))  -- as text]=]))
  local binary, text = r.out:match("^([^\n]*)\n([^\n]*)")
  T.eq(binary, "integer:-32768 integer:-2147483648 integer:-9223372036854775808 integer:0 4.9406564584124654e-324 " ..
       "-0 0.10000000000000001 inf string:杭州  string: nil:nil 1.7976931348623157e+308", "rows in binary format", r.err)
  T.eq(binary, text, "... the very values their text gives")
end

-- SQLite's round(x, n) of a double, which PostgreSQL lacks: the message says what both engines read
do
  local r = T.run(pg .. " -e " .. T.shell_quote([[
print(pcall(function() return zb.sql('select round(x, 2) as r from (select 2.675::float8 as x) as t'):value() end))
print(zb.sql('select round(cast(x as numeric), 2) as r from (select 2.675::float8 as x) as t'):value())]]))
  T.has(r.out, "function round(double precision, integer) does not exist (PostgreSQL rounds a double only to a whole " ..
        "number; to decimals it rounds numeric: round(CAST(x AS numeric), 2), which SQLite reads too)",
        "round(double, n) on PostgreSQL: the message says how to write it for both engines", r.err)
  T.has(r.out, "\n2.68\n", "... and that runs", r.err)
end

-- The library's aggregates over few values, as on SQLite (one value: a Gini of 0, not NULL)
do
  local script = T.file(T.tmpdir(), "few.lua", [==[
if zb.engine.name == "postgresql" then zb.install() end
for _, set in ipairs{{5.0}, {5.0, 5.0}, {0.0, 0.0}, {1.0, 2.0}, {2.0, "NULL"}, {1.0, 2.0, 7.0}} do
  local rows = {}
  for i, v in ipairs(set) do rows[i] = "select " .. (v == "NULL" and "NULL" or string.format("%.1f", v)) .. " as x" end
  local from = "(" .. table.concat(rows, " union all ") .. ") as v"
  local out = {}
  for i, f in ipairs{"gini", "theil", "theil_l", "quintile_ratio", "sd_pop", "median", "cv"} do
    local ok, r = pcall(function() return zb.sql("select " .. f .. "(x) as r from " .. from):value() end)
    -- to 15 digits: the server's sd is Youngs-Cramer's, an ulp from zb.stats' either way of the exact value
    out[i] = not ok and tostring(r):match("(" .. f .. ": [^(]*)") or r == nil and "NULL" or string.format("%.15g", r)
  end
  print(table.concat(set, ","), table.concat(out, " | "))
end
]==])
  local sqlite, postgres = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.has(sqlite.out, "5.0\t0 | ", "the Gini of one value is 0 on SQLite", sqlite.err)
  T.eq(postgres.out, sqlite.out, "the library's aggregates over one, two equal, zero, NULL and few values: SQLite's " ..
       "values and refusals on the server (a cv of zeros NULL, not a division by zero)", postgres.err)
end

-- A table printed whole and exported: the same text as SQLite's for the same
-- values (staged in the session's SQLite database, written by its writers),
-- and in constant memory
do
  local script = T.file(T.tmpdir(), "whole.lua", [==[
if zb.engine.name == "postgresql" then zb.sql("drop table if exists whole") end
zb.sql("create table whole (city text, year bigint, gdp double precision, note text)")
zb.sql("insert into whole values ('杭州市', 2021, 18109.42, NULL), ('宁波市', 2021, 14594.9, 'a \"quoted\", tab\there'), " ..
       "('温州', 2020, 0.1, ''), (NULL, NULL, -1e21, 'x')")
local t = zb.table("whole"):order("gdp")  -- no NULL: PostgreSQL sorts them last
print(t)
io.write(t:to_csv(), t:to_json(), t:to_tsv(), t:to_markdown())
]==])
  local sqlite, postgres = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.has(sqlite.out, "│ 杭州市 │ 2021 │  1.810942e+04 │ NULL", "a table printed whole on SQLite", sqlite.err)
  T.eq(postgres.out, sqlite.out, "... and on the server: the same box, CSV, JSON, TSV and markdown", postgres.err)
  if not os.getenv("ZB_SLOW") then
    local r = T.run(pg .. [[ -e "zb.sql('drop table if exists big2') zb.sql('create table big2 as select g as i, g * 0.5 as r, ]] ..
                    [[md5(g::text) as t from generate_series(1, 1000000) as g') ]] ..
                    [[zb.table('big2'):to_markdown('/dev/null') zb.table('big2'):to_csv('/dev/null') ]] ..
                    [[print(io.open('/proc/self/status'):read('a'):match('VmHWM:%s*(%d+)'))"]])
    T.ok(tonumber(r.out) and tonumber(r.out) < 65536, "a million rows written whole on the server (a box's writer and " ..
         "CSV's) in constant memory (peak " .. tostring(r.out):gsub("%s+$", "") .. " kB)", r.err)
  end
end

-- zb.install() by one role serves the others: a plain role connects and
-- uses the library; one the schema is closed to still connects
do
  local reader = "-d " .. T.shell_quote((conninfo:gsub("user=%S+", "user=zb_reader")))
  T.run(pg .. " -e " .. T.shell_quote([[zb.install() zb.sql("drop role if exists zb_reader")
zb.sql("create role zb_reader login")]]))
  local r = T.run(reader .. [[ -e "print(zb.sql('select median(x) as m, region_name(3301) as n from (select 1.0 as x ]] ..
                  [[union all select 4.0) as v'):rows()())"]])
  T.has(r.out, '{m = 2.5, n = "杭州市"}', "a plain role uses the library another role installed", r.err)
  T.run(pg .. " -e " .. T.shell_quote([[zb.sql("revoke usage on schema zb_lib from public")]]))
  r = T.run(reader .. [[ -e "print(pcall(function() return zb.sql('select median(1.0) as m'):value() end))"]])
  T.ok(r.code == 0 and r.out:find("this role may not use its schema", 1, true) ~= nil, "a role the library's schema " ..
       "is closed to connects, and its queries say why the library's functions are missing", r.out .. r.err)
  local script = T.file(T.tmpdir(), "install.lua", "local names = 1\nzb.install()\n")
  r = T.run(reader .. " " .. T.shell_quote(script))
  T.has(r.err, "zb: " .. script .. ":2: PostgreSQL: must be owner of schema zb_lib",
        "a role that may not install the library: the server's refusal at the user's line (it named zb's own file)")
  T.run(pg .. " -e " .. T.shell_quote([[zb.sql("grant usage on schema zb_lib to public") zb.sql("drop role zb_reader")]]))
end

-- Dollar-quoted text is text: a name in it is no parameter
do
  local r = T.run(pg .. " -e " .. T.shell_quote([=[
    local row = zb.sql([[select $$:x @x$$ as a, $q$ $x $q$ as b, :x as c]], {x = 7}):rows()()
    io.write(row.a, '|', row.b, '|', row.c)]=]))
  T.eq(r.out, ":x @x| $x |7", "zb.sql on PostgreSQL: names in $$...$$ and $tag$...$tag$ stay text; one outside binds", r.err)
end

-- zb.install(): the analysis library on the server, against numpy
if T.have_python("numpy") then
  local script = [=[
zb.install()
local names = table.concat(zb.install(), " ")  -- again: idempotent
zb.sql("drop table if exists s")
zb.sql("create table s(g text, x integer, y double precision)")
zb.sql("insert into s values ('a', 1, 2.5), ('a', 2, 3.5), ('a', 4, 9.25), ('a', 7, 1), ('b', 3, 1), ('b', 5, 2)")
local r = zb.table("s"):group("g"):agg{m = "median(y)", q = "quantile(y, 0.3)", sd = "sd(y)", sp = "sd_pop(y)",
  cv = "cv(y)", sl = "slope(y, x)", ic = "intercept(y, x)", r2 = "r2(y, x)"}:where{g = "a"}:rows()()
print(names)
print(string.format("%.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g", r.m, r.q, r.sd, r.sp, r.cv, r.sl, r.ic, r.r2))
local v = zb.sql("select ratio(1, 4) as r, ratio(1, 0) as z, growth(110, 100) as g, cagr(100, 121, 2) as c, " ..
                 "cagr(100, 0, 2) as d, cagr(0, 1, 2) as e"):rows()()
print(v.r, v.z, string.format("%.12g %.12g", v.g, v.c), v.d, v.e)
local ineq = zb.table("s"):group("g"):agg{gi = "gini(y)", th = "theil(y)", tl = "theil_l(y)"}:order("g"):rows()
local a, b = ineq(), ineq()
print(string.format("%.17g %.17g %.17g %.17g %.17g %.17g", a.gi, a.th, a.tl, b.gi, b.th, b.tl))
for _, q in ipairs{"select gini(x) from (values (1.0), (-2.0)) as v(x)", "select theil_l(x) from (values (1.0), (0.0)) as v(x)",
                   "select theil(x) from (values (1.0), ('Infinity'::float8)) as v(x)",
                   "select gini(x) as g from (values (5.0), (5.0), (5.0)) as v(x)"} do
  local ok, e = pcall(function() return zb.sql(q):value() end)
  print(ok and tostring(e) or (tostring(e):gsub(" %(in SQL: .*", "")):match("PostgreSQL: ([^\n(]*)"))
end
local q = zb.table("s"):group("g"):agg{qr = "quintile_ratio(y)", gg = "gini_grouped(x, y)", gp = "gini_per_head(x, y)"}
  :order("g"):rows()
local qa, qb = q(), q()
print(string.format("%.17g %.17g %.17g %.17g %.17g %.17g", qa.qr, qa.gg, qb.qr, qb.gg, qa.gp, qb.gp))
for _, q in ipairs{"select gini_grouped(p, y) from (values (0.0, 1.0)) as v(p, y)",
                   "select gini_grouped(p, y) from (values (1.0, -1.0)) as v(p, y)",
                   "select quintile_ratio(x) from (values (-1.0)) as v(x)",
                   "select quintile_ratio(x) as q from (values (0.0), (0.0), (1.0)) as v(x)"} do
  local ok, e = pcall(function() return zb.sql(q):value() end)
  print(ok and tostring(e) or (tostring(e):gsub(" %(in SQL: .*", "")):match("PostgreSQL: ([^\n(]*)"))
end
]=]
  local dir = T.tmpdir()
  T.write(dir .. "/lib.lua", script)
  local r = T.run(pg .. " " .. T.shell_quote(dir .. "/lib.lua"))
  local lines = T.lines(r.out)
  T.eq(lines[1], "ratio growth cagr median quantile sd sd_pop cv total gini theil theil_l quintile_ratio gini_grouped " ..
                "gini_per_head slope intercept r2 period period_index period_year period_position period_frequency " ..
                "product convert_unit human region_code region_name spark",
       "zb.install() defines the library in the schema zb_lib, and again (idempotent)", r.err)
  local want = T.python([[
import numpy as np
x = np.array([1, 2, 4, 7.0]); y = np.array([2.5, 3.5, 9.25, 1])
sl, ic = np.polyfit(x, y, 1)
r2 = np.corrcoef(x, y)[0, 1] ** 2
vals = [np.median(y), np.quantile(y, 0.3), y.std(ddof=1), y.std(), y.std(ddof=1) / y.mean(), sl, ic, r2]
print(" ".join(repr(float(v)) for v in vals))
]])
  local got, ref = {}, {}
  for w in (lines[2] or ""):gmatch("%S+") do got[#got + 1] = tonumber(w) end
  for w in want:gmatch("%S+") do ref[#ref + 1] = tonumber(w) end
  local names = {"median", "quantile (type 7)", "sd", "sd_pop", "cv", "slope", "intercept", "r2"}
  for i, name in ipairs(names) do
    T.ok(got[i] and math.abs(got[i] - ref[i]) <= 1e-12 * math.max(1, math.abs(ref[i])),
         name .. " on the server as numpy gives it", string.format("got %s, numpy %s", got[i], ref[i]))
  end
  T.eq(lines[3], "0.25\tnil\t10 10\t-100.0\tnil", "ratio, growth and cagr as zb.stats defines them (NULL at 0)")
  -- the inequality aggregates against numpy, and zb.stats' refusals
  local ineq = T.python([[
import numpy as np
for y in (np.array([2.5, 3.5, 9.25, 1]), np.array([1.0, 2])):
    m = y.mean(); n = len(y)
    gini = np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * m)
    print(repr(float(gini)), repr(float(np.mean(y / m * np.log(y / m)))), repr(float(np.mean(np.log(m / y)))), end=" ")
]])
  got, ref = {}, {}
  for w in (lines[4] or ""):gmatch("%S+") do got[#got + 1] = tonumber(w) end
  for w in ineq:gmatch("%S+") do ref[#ref + 1] = tonumber(w) end
  for i, name in ipairs{"gini", "theil", "theil_l", "gini (b)", "theil (b)", "theil_l (b)"} do
    T.ok(got[i] and math.abs(got[i] - ref[i]) <= 1e-12 * math.max(1, math.abs(ref[i])),
         name .. " on the server as numpy gives it", string.format("got %s, numpy %s", got[i], ref[i]))
  end
  T.eq(table.concat({lines[5], lines[6], lines[7], lines[8]}, "|"),
       "gini: values must not be negative, got -2|theil_l: values must be positive |theil: an infinite value |0.0",
       "a negative value, a zero for theil_l and Inf refused as zb.stats refuses them; equal values: 0")
  -- the quintile ratio and the Gini of grouped data (x the groups' populations, y their incomes)
  local grouped = T.python([[
import numpy as np
for x, y in ((np.array([1, 2, 4, 7.0]), np.array([2.5, 3.5, 9.25, 1])), (np.array([3, 5.0]), np.array([1.0, 2]))):
    v = np.repeat(np.sort(y), 5); n = len(y)
    m = y / x
    g = (x[:, None] * x[None, :] * np.abs(m[:, None] - m[None, :])).sum() / (2 * x.sum() * y.sum())
    print(repr(float(v[-n:].sum() / v[:n].sum())), repr(float(g)), end=" ")
for x, m in ((np.array([1, 2, 4, 7.0]), np.array([2.5, 3.5, 9.25, 1])), (np.array([3, 5.0]), np.array([1.0, 2]))):
    g = (x[:, None] * x[None, :] * np.abs(m[:, None] - m[None, :])).sum() / (2 * x.sum() * (x * m).sum())
    print(repr(float(g)), end=" ")
]])
  got, ref = {}, {}
  for w in (lines[9] or ""):gmatch("%S+") do got[#got + 1] = tonumber(w) end
  for w in grouped:gmatch("%S+") do ref[#ref + 1] = tonumber(w) end
  for i, name in ipairs{"quintile_ratio", "gini_grouped", "quintile_ratio (b)", "gini_grouped (b)", "gini_per_head",
                        "gini_per_head (b)"} do
    T.ok(got[i] and math.abs(got[i] - ref[i]) <= 1e-12 * math.max(1, math.abs(ref[i])),
         name .. " on the server as numpy gives it", string.format("got %s, numpy %s", got[i], ref[i]))
  end
  T.eq(table.concat({lines[10], lines[11], lines[12], lines[13]}, "|"),
       "gini_grouped: a group's population must be more than 0, got 0|gini_grouped: a group's income must not be " ..
       "negative, got -1|quintile_ratio: values must not be negative, got -1|nil",
       "a group without a population, a negative income or value refused as zb.stats refuses them; a bottom of 0: NULL")
  T.run(pg .. [[ -e "zb.sql('alter function zb_lib.\"zb_version ' .. zb.version .. '\"() rename to \"zb_version 0.0\"')" ]])
  T.has(T.run(pg .. [[ -e "print(zb.sql('select median(1)'))" ]]).err,
        "another zb's", "a library installed by another zb's version is not used, and the message says to install")
  T.run(pg .. [[ -e "zb.sql('drop schema zb_lib cascade')" ]])
  T.has(T.run(pg .. [[ -e "print(zb.sql('select median(1)'))" ]]).err, "zb.install() puts it there",
        "without the library, its functions' error says how to install it")
end

-- libpq is opened when a session connects, not at every zb's start-up
do
  local probe = [[ -e "for l in io.lines('/proc/self/maps') do if l:find('libpq', 1, true) then print('libpq') break end end"]]
  T.eq(T.run(probe).out, "", "a SQLite session has no libpq in its memory")
  T.eq(T.run(pg .. probe).out, "libpq\n", "a PostgreSQL session opened it")
end

-- zb.connect, .tables and .schema, statements
do
  local dir = T.tmpdir()
  T.write(dir .. "/a.csv", "region,year,value\nA,2020,1.5\nB,2021,\n")
  local script = string.format([[
zb.connect(%q)
zb.sql("drop table if exists a")
local t = zb.read_csv(%q)
print(#t, zb.sql("select count(*) as n from a"):rows()().n)
print(t:where{region = "B"}:rows()().value == nil)
]], conninfo, dir .. "/a.csv")
  T.write(dir .. "/s.lua", script)
  local r = T.run(T.shell_quote(dir .. "/s.lua"))
  T.eq(r.out, "2\t2\ntrue\n", "zb.connect makes the server the engine; read_csv loads through COPY", r.err)
  r = T.run(pg, {stdin = ".tables\n.schema a\n"})
  T.has(r.out, "a", ".tables lists the server's tables")
  T.has(r.out, '"region" text', ".schema shows the table's columns and types")
  T.has(r.out, '"year" bigint', "... an integer column of the CSV is a bigint")
  T.eq(T.run(pg .. [[ -e "zb.connect('x')" ]]).code, 1, "zb.connect after the session has tables elsewhere fails")
  T.has(T.run([[-e "pcall(zb.table, 'nothing')" -e "zb.connect('dbname=x')"]]).err, "connect first",
        "zb.connect after tables were made on SQLite says to connect first")
end

-- COPY carries every text as read: tabs, line breaks, backslashes, Chinese, NULLs
do
  local dir = T.tmpdir()
  T.write(dir .. "/e.csv", 'name,n,x\n"a\tb",1,0.1\n"two\nlines",,1e300\n"back\\slash \\N",3,\n杭州市,-4,-2.5\n')
  local script = string.format([[
if zb.engine.name == "postgresql" then zb.sql("drop table if exists e") end
for r in zb.read_csv(%q):order("name"):rows() do
  local cells = {}
  for i = 1, #r do cells[i] = r[i] == nil and "NULL" or (math.type(r[i]) or "text") .. ":" .. string.format("%%q", r[i]) end
  print(table.concat(cells, " "))
end
]], dir .. "/e.csv")
  T.write(dir .. "/e.lua", script)
  local on_sqlite, on_postgres = T.run(T.shell_quote(dir .. "/e.lua")), T.run(pg .. " " .. T.shell_quote(dir .. "/e.lua"))
  T.ok(#on_sqlite.out > 0 and on_sqlite.out:find("杭州市", 1, true), "the file loads on SQLite", on_sqlite.err)
  T.eq(on_postgres.out, on_sqlite.out, "the same values through COPY: tabs, line breaks, backslashes, NULLs, reals", on_postgres.err)
  -- a deliberate difference (README): NULL sorts last going up on PostgreSQL, first on SQLite
  local nulls = [[ -e "for r in zb.sql('select 1 as x union all select null'):order('x'):rows() do io.write(tostring(r.x), ' ') end" ]]
  T.eq(T.run(nulls).out, "nil 1 ", "SQLite sorts NULL first")
  T.eq(T.run(pg .. nulls).out, "1 nil ", "PostgreSQL sorts NULL last (NULLS FIRST asks otherwise)")
end

-- Every loader reads into the session's SQLite database and sends the rows
-- over through COPY: the same values on both engines
do
  local dir = T.tmpdir()
  T.write(dir .. "/j.json", '[{"region": "杭州", "v": 1.5, "n": 3}, {"region": "宁波", "v": null, "n": 4}]')
  local script = string.format([[
local d = zb.paths.datasets
local loads = {
  {"j", function() return zb.read_json(%q) end},
  {"xlsx", function() return zb.read_xlsx(d .. "/nbs-province-gdp-2023-2024.xlsx", {name = "xlsx"}) end},
  {"xls", function() return zb.read_xlsx(d .. "/nbs-province-gdp-2023-2024.xls", {name = "xls"}) end},
  {"sdmx", function() return zb.read_sdmx(d .. "/sdmx-oecd-g20-prices-chn-cpi.csv", {name = "sdmx", unit_mult = true}) end},
  {"jsonstat", function() return zb.read_jsonstat(d .. "/wdi-2000-2023.jsonstat.json", {name = "jsonstat"}) end},
  {"worldbank", function() return zb.read_worldbank(d .. "/wdi-gdp-api.csv", {name = "worldbank"}) end},
  {"nbs", function() return zb.read_nbs(d .. "/nbs-province-gdp-2006-2024.gbk.csv", {name = "nbs"}) end},
}
for _, l in ipairs(loads) do
  if zb.engine.name == "postgresql" then zb.sql("drop table if exists " .. zb.names.quote(l[1])) end
  local t = l[2]()
  local lines = {}
  for r in t:rows() do
    local cells = {}
    for i = 1, #r do cells[i] = r[i] == nil and "NULL" or (math.type(r[i]) or "text") .. ":" .. tostring(r[i]) end
    lines[#lines + 1] = table.concat(cells, " ")
  end
  table.sort(lines)
  print(l[1], #lines, t.meta.format or t.meta.loader, table.concat(lines, "|"):sub(1, 20000))
end
]], dir .. "/j.json")
  T.write(dir .. "/l.lua", script)
  local on_sqlite, on_postgres = T.run(T.shell_quote(dir .. "/l.lua")), T.run(pg .. " " .. T.shell_quote(dir .. "/l.lua"))
  local a, b = {}, {}
  for line in on_sqlite.out:gmatch("[^\n]+") do if line:match("^%a+\t%d+\t") then a[#a + 1] = line end end
  for line in on_postgres.out:gmatch("[^\n]+") do if line:match("^%a+\t%d+\t") then b[#b + 1] = line end end
  T.eq(#a, 7, "every loader loads on SQLite", on_sqlite.err)
  for i, line in ipairs(a) do
    T.eq(b[i], line, "on PostgreSQL as on SQLite: " .. line:match("^%S+"), on_postgres.err)
  end
end

-- read_csv streams its rows into COPY (binary): every kind of value
-- arrives as SQLite keeps it, and a large file is never resident whole
do
  local dir = T.tmpdir()
  T.write(dir .. "/v.csv", table.concat({
    "region,code,n,x,mixed,pct,period,note,",
    '杭州市,0571,9223372036854775807,0.1,1,"18,109",2020年,"tab\there",',
    '"宁""波",0574,-9223372036854775807,1e-310,2.5,27.1%,2021年,"line\nbreak",',
    "温州,0577,,1.7976931348623157e308,,N/A,N/A,back\\slash,",
    "NA,,0,-0.0,123456789012345678,-3.5%,2022年,,",
    "…,0579,-1,-2.2250738585072014e-308,-7,0,2023年,\"quoted\",",
  }, "\n") .. "\n")
  local script = string.format([[
if zb.engine.name == "postgresql" then zb.sql("drop table if exists v") end
local t = zb.read_csv(%q, {numbers = "loose"})
for r in t:rows() do print(require("typed_cells").row(r, #t.columns)) end
print(table.concat(t.columns, ","))
]], dir .. "/v.csv")
  T.write(dir .. "/v.lua", script)
  local on_sqlite, on_postgres = T.run(T.shell_quote(dir .. "/v.lua")), T.run(pg .. " " .. T.shell_quote(dir .. "/v.lua"))
  T.ok(#on_sqlite.out > 200, "a CSV of every kind of value loads on SQLite", on_sqlite.err)
  T.eq(on_postgres.out, on_sqlite.out, "... and on PostgreSQL (through COPY, binary) the very values, types and NULLs",
       on_postgres.err)
  -- 900,000 rows (47 MB): the file is read a few megabytes at a time (the
  -- fingerprint too), never resident whole
  if not os.getenv("ZB_SLOW") then
    local f = assert(io.open(dir .. "/big.csv", "w"))
    f:write("region,year,indicator,value,unit\n")
    for _ = 1, 9 do f:write(string.rep("杭州市,2020,gdp_per_head,18109.42,亿元\n", 100000)) end
    f:close()
    local r = T.run(pg .. [[ -e "zb.sql('drop table if exists big') local t = zb.read_csv(']] .. dir ..
                    [[/big.csv') print(t:count(), io.open('/proc/self/status'):read('a'):match('VmHWM:%s*(%d+)'))" ]])
    local n, kb = r.out:match("^(%d+)\t(%d+)")
    T.eq(n, "900000", "a large CSV loads on PostgreSQL", r.err)
    T.ok(tonumber(kb or "0") > 0 and tonumber(kb) < 40960, "... in memory well under its 47 MB (peak " ..
         tostring(kb) .. " kB)")
  end
end

-- A long file goes to the server in one pass: the table is made from its
-- first 1,000 rows' types and rows are sent as they are read; a later row
-- that widens a column undoes that table and the rows go again, as typed by
-- all of them.  Each file's expected rows are written here, from how it was
-- made, and SQLite's load must give them too.
do
  local dir = T.tmpdir()
  local function file(name, header, n, row, tail)
    local lines = {header}
    for i = 1, n do lines[#lines + 1] = row(i) end
    T.write(dir .. "/" .. name .. ".csv", table.concat(lines, "\n") .. "\n" .. (tail or ""))
  end
  local cell = require("typed_cells").cell
  -- widened: x integers then reals (row 1500); y numbers then "12a" (row
  -- 2500); p periods, N/A (NULL among periods) on row 10, then "abc" (row
  -- 2000): p is text, and its N/A the text N/A
  file("widened", "region,n,x,y,p", 3000, function(i)
    return string.format("R%d,%d,%s,%s,%s", i, i, i <= 1500 and i or i .. ".5", i == 2500 and "12a" or i,
                         i == 10 and "N/A" or i == 2000 and "abc" or "2020年")
  end)
  local want = {"region,n,x,y,p"}
  for i = 1, 3000 do
    want[#want + 1] = table.concat({cell("R" .. i), cell(i), cell(i <= 1500 and i + 0.0 or i + 0.5),
                                    cell(i == 2500 and "12a" or tostring(i)),
                                    cell(i == 10 and "N/A" or i == 2000 and "abc" or "2020年")}, " ")
  end
  -- held: nothing widens after the guess; blank lines, a record over two
  -- lines and a note under the table come after it
  file("held", "region,n,x", 2500, function(i)
    local row = string.format("R%d,%d,%s", i, i, i % 7 == 0 and "" or i / 4)
    if i == 1200 or i == 2000 then row = "\n" .. row end
    if i == 1800 then row = string.format('"R%d\nline two",%d,%s', i, i, i / 4) end
    return row
  end, "注：数据来源，测试\n")
  -- last: an empty last field on each line (and the header) until row 1500 fills it
  file("last", "a,b,", 1600, function(i) return string.format("%d,x,%s", i, i == 1501 and "z" or "") end)
  local script = [[
local dir, engine = ...
for _, name in ipairs{"widened", "held", "last"} do
  local t = zb.read_csv(dir .. "/" .. name .. ".csv", {replace = true})
  local out = assert(io.open(dir .. "/" .. name .. "." .. engine, "w"))
  out:write(table.concat(t.columns, ","), "\n")
  for r in t:order(t.columns[1] == "a" and "a" or "n"):rows() do
    out:write(require("typed_cells").row(r, #t.columns), "\n")
  end
  out:close()
  print(name, t:count(), table.concat(zb.engine.json_decode(zb.engine.catalog_lines(name, "main")), " "),
        table.concat(t.meta.notes or {}, "|"))
end
]]
  T.write(dir .. "/guess.lua", script)
  local lite = T.run(T.shell_quote(dir .. "/guess.lua") .. " " .. T.shell_quote(dir) .. " sqlite")
  local server = T.run(pg .. " " .. T.shell_quote(dir .. "/guess.lua") .. " " .. T.shell_quote(dir) .. " postgresql")
  local widened = table.concat(want, "\n") .. "\n"
  T.eq(T.read(dir .. "/widened.postgresql"), widened,
       "a column widened after the first 1,000 rows: the server's table has every row once, typed by all of them",
       server.err)
  T.eq(T.read(dir .. "/widened.sqlite"), widened, "... as on SQLite", lite.err)
  T.has(server.out, "widened\t3000\t1 2\t\n", "... 3,000 rows, placed from line 2")
  local held = {"region,n,x"}
  for i = 1, 2500 do
    held[#held + 1] = table.concat({cell(i == 1800 and "R1800\nline two" or "R" .. i), cell(i),
                                    cell(i % 7 ~= 0 and i / 4 or nil)}, " ")
  end
  T.eq(T.read(dir .. "/held.postgresql"), table.concat(held, "\n") .. "\n",
       "a file whose types hold after the first 1,000 rows loads its rows as read", server.err)
  T.has(server.out, "held\t2500\t1 2 1200 1202 1801 1804 2000 2004\t注：数据来源，测试\n",
        "... where each row is in the file (blank lines, a record over two lines) and the note under it kept")
  T.eq(T.read(dir .. "/held.sqlite"), T.read(dir .. "/held.postgresql"), "... as on SQLite", lite.err)
  local last = {"a,b,c3"}
  for i = 1, 1600 do last[#last + 1] = string.format("integer:%d text:x %s", i, i == 1501 and "text:z" or "NULL") end
  T.eq(T.read(dir .. "/last.postgresql"), table.concat(last, "\n") .. "\n",
       "a last field empty on the first 1,000 rows and filled later is a column", server.err)
  T.eq(T.read(dir .. "/last.sqlite"), T.read(dir .. "/last.postgresql"), "... as on SQLite", lite.err)
  -- a malformed row after the guess: the tentative table goes, an older one of that name stays
  file("broken", "region,year", 3000, function(i) return i == 2000 and '"R2000,2020' or "R" .. i .. ",2020" end)
  local r = T.run(pg .. " -e " .. T.shell_quote(string.format([[
zb.sql("drop table if exists broken") zb.sql("create table broken (x int)") zb.sql("insert into broken values (7)")
print(pcall(zb.read_csv, %q, {replace = true}))
print(zb.sql("select string_agg(x::text, ',') as x from broken")[1].x)
local m = zb.read_csv(%q, {name = "after", replace = true})
print(m:count())]], dir .. "/broken.csv", dir .. "/held.csv")))
  T.has(r.out, "broken.csv:2001", "a malformed row after the guess is refused at its line", r.err)
  T.has(r.out, "\n7\n2500\n", "... the table it would replace is kept, and the session loads on")
end

-- ... and on random long files (ZB_SEED repeats a run): columns of
-- integers, reals, text, periods and missing marks, with a row that widens
-- one, blank lines, quoted lines and notes, before or after row 1,000; the
-- server's rows are the two-pass reader's (SQLite's load of the file), and
-- SQLite's are those Python's csv module reads, typed by README's rule
-- (tests/lib/csv_expected.py: restated for what these files hold)
do
  local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
  math.randomseed(seed)
  local dir = T.tmpdir()
  local kinds = {
    function(i) return tostring(i * 7 - 3000) end,
    function(i) return string.format("%.3f", i / 7) end,
    function(i) return "地区" .. i end,
    function(i) return (2000 + i % 20) .. "年" end,
    function(i) return i % 5 == 0 and "N/A" or tostring(i) end,
    function(i) return i % 3 == 0 and "" or string.format("%d.5", i) end,
  }
  local odd = {"12a", "3.25", "abc", "N/A", "", "-", "2020Q1", '"x\ny"', "9223372036854775808"}
  local files = {}
  for f = 1, 6 do
    local n, ncols = math.random(1001, 2600), math.random(2, 6)
    local cols = {}
    for c = 1, ncols do cols[c] = kinds[math.random(#kinds)] end
    local event_row, event_col, event = math.random(2, n), math.random(ncols), odd[math.random(#odd)]
    local blank, quoted = math.random(n), math.random(n)
    local lines = {}
    for c = 1, ncols do lines[#lines + 1] = "c" .. c end
    lines = {table.concat(lines, ",")}
    for i = 1, n do
      local cells = {}
      for c = 1, ncols do cells[c] = cols[c](i) end
      if i == event_row then cells[event_col] = event end
      if i == quoted then cells[1] = '"' .. cells[1] .. '\n续"' end
      if i == blank then lines[#lines + 1] = "" end
      lines[#lines + 1] = table.concat(cells, ",")
    end
    if f % 2 == 0 then lines[#lines + 1] = "注：随机文件 " .. f end
    files[f] = string.format("r%d (%d rows; row %d column %d is '%s')", f, n, event_row, event_col,
                             (event:gsub("\n", "\\n")))
    T.write(dir .. "/r" .. f .. ".csv", table.concat(lines, "\n") .. "\n")
  end
  T.write(dir .. "/random.lua", [[
local dir, engine = ...
for f = 1, 6 do
  local ok, t = pcall(zb.read_csv, dir .. "/r" .. f .. ".csv", {replace = true})
  local out = {}
  if ok then
    out[1] = table.concat(t.columns, ",") .. " " .. t:count() .. " " ..
             table.concat(zb.engine.json_decode(zb.engine.catalog_lines("r" .. f, "main")), " ")
    for r in t:rows() do out[#out + 1] = require("typed_cells").row(r, #t.columns) end
  else
    out[1] = "refused: " .. tostring(t):gsub("^.-: ", "")
  end
  for i, line in ipairs(out) do out[i] = line:gsub("\n", "\\n") end  -- a line a row
  table.sort(out)
  print("== " .. f)
  print(table.concat(out, "\n"))
end
]])
  local lite = T.run(T.shell_quote(dir .. "/random.lua") .. " " .. T.shell_quote(dir) .. " sqlite")
  local server = T.run(pg .. " " .. T.shell_quote(dir .. "/random.lua") .. " " .. T.shell_quote(dir) .. " postgresql")
  T.ok(#lite.out > 1000, "random long files load on SQLite (seed " .. seed .. ")", lite.err)
  T.eq(server.out, lite.out, "... and on the server, row for row, as the two-pass reader loads them: " ..
       table.concat(files, "; "), server.err)
  -- each file's lines, as a count of each (an order of lines that Lua's
  -- and Python's sorts agree on is not needed)
  local function by_file(text)
    local found, current = {}, nil
    for line in text:gmatch("[^\n]+") do
      local f = line:match("^== (%d+)$")
      if f then
        current = {n = 0, lines = {}}
        found[tonumber(f)] = current
      elseif current then
        current.n = current.n + 1
        current.lines[line] = (current.lines[line] or 0) + 1
        current.first = current.first or line
      end
    end
    return found
  end
  local paths = {}
  for f = 1, 6 do paths[f] = dir .. "/r" .. f .. ".csv" end
  local python, sqlite = by_file(T.python(T.read("tests/lib/csv_expected.py"), table.unpack(paths))), by_file(lite.out)
  for f = 1, 6 do
    local want, got = python[f] or {n = 0, lines = {}}, sqlite[f] or {n = 0, lines = {}}
    if want.first == "refused" then
      T.ok(got.n == 1 and got.first:match("^refused: ") ~= nil, "r" .. f .. ": refused on SQLite, as README's rule " ..
           "refuses a row below a blank line that makes a column of numbers text: " .. files[f], got.first)
    else
      local differ = {}
      for line, n in pairs(want.lines) do
        if got.lines[line] ~= n and #differ < 3 then differ[#differ + 1] = "want: " .. line end
      end
      for line, n in pairs(got.lines) do
        if want.lines[line] ~= n and #differ < 6 then differ[#differ + 1] = "got:  " .. line end
      end
      T.ok(want.n > 1000 and got.n == want.n and #differ == 0, "r" .. f .. ": SQLite's columns, lines and rows (typed) " ..
           "are those Python's csv module reads, typed by README's rule: " .. files[f], table.concat(differ, "\n"))
    end
  end
end

-- zb.table reads a table's record with the CREATE statement made from
-- its own check of the table (no catalog query for it): the same text as
-- the server's, for every type, so the record (units) is the table's, and
-- not once the table is made again otherwise
do
  local r = T.run(pg .. " -e " .. T.shell_quote([[
zb.sql("drop table if exists typed")
zb.sql([=[create table typed (b boolean, i8 bigint, i2 smallint, i4 integer, t text, r real, d double precision,
  v varchar(10), n numeric(10,2), dt date, ts timestamp, tz timestamptz, by bytea, j jsonb, iv interval,
  "a""b c" text, "单位" text)]=])
require("zb.relation.catalog").record("typed", {d = {unit = "亿元"}}, {})
local columns, _, _, _, _, types = zb.engine.check('SELECT * FROM "typed"')
print(select(3, zb.engine.catalog_read("typed", "main", {columns = columns, types = types})) ==
      zb.engine.table_sql("typed", "main"), zb.table("typed").units.d)
zb.sql("drop table typed")
zb.sql("create table typed (b boolean, d double precision)")
print(next(zb.table("typed").units or {}))]]))
  T.eq(r.out, "true\t亿元\nnil\n", "a table's CREATE statement made from zb.table's check is the server's, for every " ..
       "type: its record's units are kept, and not once it is made again", r.err)
end

-- zb.table reads the current schema's catalog without first asking whether
-- it is there when the session began with it: a search path changed since,
-- or the catalog dropped since, must not lend a table another's record
-- (units the table's numbers are not in).  In a database of its own.
do
  local db = "zb_catalog_cache"
  local other = conninfo:gsub("dbname=%S+", "dbname=" .. db)
  T.run(pg .. " -e " .. T.shell_quote("zb.sql('drop database if exists " .. db .. "') zb.sql('create database " .. db .. "')"))
  local made = T.run("-d " .. T.shell_quote(other) .. " -e " .. T.shell_quote([[
zb.sql("create table gdp (city text, value double precision)")
require("zb.relation.catalog").record("gdp", {value = {unit = "亿元"}}, {})
zb.sql("create schema elsewhere")
zb.sql("create table elsewhere.gdp (like public.gdp)")  -- the same CREATE text, no record]]))
  local r = T.run("-d " .. T.shell_quote(other) .. " -e " .. T.shell_quote([[
print(zb.table("gdp").units.value)
zb.sql("set search_path = elsewhere, public")
print(next(zb.table("gdp").units or {}))
zb.sql("set search_path = public")
print(zb.table("gdp").units.value)
zb.sql("drop table zb_catalog")
print(next(zb.table("gdp").units or {}))]]))
  T.eq(r.out, "亿元\nnil\n亿元\nnil\n", "a session begun with a catalog: the record is the current schema's, after " ..
       "the search path changes and after the catalog is dropped", made.err .. r.err)
  -- a session begun in a schema whose relation named zb_catalog is a view
  -- (the session's first query finds it by name alone): no record
  T.run("-d " .. T.shell_quote(other) .. " -e " .. T.shell_quote([[
zb.sql("create schema viewed")
zb.sql("create view viewed.zb_catalog as select 1 as x")
zb.sql("create table viewed.gdp as select 'a'::text as city, 2.5::float8 as value")]]))
  r = T.run("-d " .. T.shell_quote(other .. " options='-c search_path=viewed'") .. " -e " .. T.shell_quote([[
local t = zb.table("gdp")
print(next(t.units or {}), t:count(), zb.sql("select current_schema() as s"):value())]]))
  T.eq(r.out, "nil\t1\tviewed\n", "a session begun where zb_catalog is a view: the table opens, with no record", r.err)
  T.run(pg .. " -e " .. T.shell_quote("zb.sql('drop database " .. db .. "')"))
end

-- A load is one transaction: a bad file leaves nothing on the server
do
  local dir = T.tmpdir()
  T.write(dir .. "/bad.csv", 'region,year\nA,2020\n"B,2021\n')
  local script = string.format([[
zb.sql("drop table if exists bad")
print(pcall(zb.read_csv, %q))
print(#zb.sql("select * from information_schema.tables where table_name = 'bad'"))
zb.sql("create table bad(x int)")
local ok, e = pcall(zb.read_csv, %q)
print(ok, tostring(e):match("already exists") ~= nil)
]], dir .. "/bad.csv", dir .. "/bad.csv")
  T.write(dir .. "/s.lua", script)
  local r = T.run(pg .. " " .. T.shell_quote(dir .. "/s.lua"))
  T.has(r.out, "false", "a malformed CSV is refused", r.err)
  T.has(r.out, "\n0\n", "... and nothing of it is left on the server")
end

-- Rows stream; a loop left early cancels the rest, and the session goes on
do
  -- constant memory: 2e6 rows (whole, some 150 MB in libpq) pass through a zb of a few MB
  -- (not under valgrind or the sanitizers, whose own memory is the peak)
  if not os.getenv("ZB_SLOW") then
    local peak = T.run(pg .. [[ -e "local n = 0 for r in zb.sql('select g, g * 0.5 as h, \'x\' || g as t from ]] ..
                       [[generate_series(1, 2000000) as g'):rows() do n = n + 1 end ]] ..
                       [[print(n, io.open('/proc/self/status'):read('a'):match('VmHWM:%s*(%d+)'))" ]])
    local n, kb = peak.out:match("^(%d+)\t(%d+)")
    T.eq(n, "2000000", "every row read", peak.err)
    T.ok(tonumber(kb or "0") > 0 and tonumber(kb) < 65536, "... in constant memory (peak " .. tostring(kb) .. " kB)")
  end
  local r = T.run(pg .. [[ -e "
    local n = 0
    for _ in zb.sql('select g from generate_series(1, 10000000) as g'):rows() do n = n + 1; if n == 3 then break end end
    print(n, #zb.sql('select 1 as one union all select 2'))"]])
  T.eq(r.out, "3\t2\n", "a loop that stops early ends the query on the server; the next one runs", r.err)
  r = T.run(pg .. [[ -e "for r in zb.sql('select g from generate_series(1, 3) as g'):rows() do zb.sql('select 1 as x'):rows()() end" ]])
  T.has(r.err, "cut off by another query", "a loop whose query another query ended is an error, not a quiet end")
  r = T.run(pg .. [[ -e "for r in zb.sql('select 1/(3 - g) as x from generate_series(1, 5) as g'):rows() do end" ]])
  T.has(r.err, "PostgreSQL: division by zero", "an error mid-stream is the server's, at the user's line")
end

-- A timeout and Ctrl-C cancel the query on the server (PQcancel); the session goes on
do
  local sleeping = [[print(#zb.sql("select pid from pg_stat_activity where query like '%pg_sleep(30)%' ]] ..
                   [[and pid <> pg_backend_pid()"):to_lua())]]
  local r = T.run(pg, {stdin = "zb.timeout(1); x = zb.sql('select pg_sleep(30)'):to_lua()\n" .. sleeping .. "\n"})
  T.has(r.err, "timed out", "a timeout stops a query running on the server")
  T.eq(r.out, "0\n", "... which the server cancelled; the REPL's next line runs", r.err)
  local _, _, code = os.execute(string.format("%s %s -e \"zb.sql('select pg_sleep(30)'):to_lua()\" 2>/dev/null & " ..
                                              "sleep 0.5; kill -INT $!; wait $!; exit $?", T.zb, pg))
  T.eq(code, 130, "Ctrl-C stops a script waiting on the server: status 130")
  T.eq(T.run(pg .. " -e " .. T.shell_quote(sleeping)).out, "0\n", "... and the server's query is cancelled")
end

-- A safe session on the server (--safe -d): as a role that can run no
-- program, touch none of the server's files and make no extension, which
-- the server then holds the script to; the script opens no connection of
-- its own; Ctrl-C (the sandbox makes no socket for a cancel request) shuts
-- the connection and the server ends the query
do
  T.run(pg .. " -e " .. T.shell_quote([[zb.sql("drop schema if exists zb_script cascade")
zb.sql("drop role if exists zb_script"); zb.sql("create role zb_script login")
zb.sql("create schema zb_script authorization zb_script")]]))  -- its tables in its own schema, first on its search path
  local script_pg = "-d " .. T.shell_quote((conninfo:gsub("user=%S+", "user=zb_script")))
  local r = T.run("--safe " .. pg .. " -e 'print(1)'")
  T.eq(r.code .. "|" .. r.out, "1|", "--safe as a superuser: refused before the script runs", r.err)
  T.has(r.err, "the role zb has superuser, which would let the script run programs, touch the server's files or make " ..
        "extensions: connect a safe session as a role without them", "... naming the role and what it may do")
  local function safely(code)
    local run = T.run("--safe " .. script_pg .. " -e " .. T.shell_quote(code))
    return run.out .. run.err
  end
  T.eq(safely([[zb.sql("create table safe_t (a integer)"); zb.sql("insert into safe_t values (1), (2)")
print(zb.table("safe_t"):count())]]), "2\n", "--safe as a role without those: tables made, filled and read on the server")
  -- a metric defined by a role that may not make the session's schema: zb's still, and a query says why
  local metric = safely([[zb.metric("twice", function(x) return x * 2 end) print(zb.metrics.twice(4))
print(select(2, pcall(function() return zb.sql("select twice(3) as a"):value() end)))]])
  T.has(metric, "8\n", "... a metric defined by a role that may not make schemas: the script goes on, the metric zb's")
  T.ok(metric:find("the server would not make a schema of the session's for it", 1, true) or
       metric:find("this server cannot run PL/Lua: permission denied to create extension", 1, true),
       "... and a query that calls it says why (no schema of its own, or no PL/Lua where the role may not make it)",
       metric)
  local refused = {
    {"zb.sql([=[copy safe_t to program 'id']=])", "must be superuser or have privileges of the pg_execute_server_program"},
    {"zb.sql([=[copy safe_t to '/tmp/zb-safe-copy']=])", "must be superuser or have privileges of the pg_write_server_files"},
    {"zb.sql([=[copy safe_t from '/etc/passwd']=])", "must be superuser or have privileges of the pg_read_server_files"},
    {"zb.sql([=[select lo_import('/etc/passwd') as x]=]):value()", "permission denied for function lo_import"},
    {"zb.sql([=[select pg_read_file('/etc/passwd') as x]=]):value()", "permission denied for function pg_read_file"},
    {"zb.sql('create extension hstore')", 'permission denied to create extension "hstore"'},
    {"zb.sql('create schema elsewhere')", "permission denied for database"},
    {"zb.connect('host=/tmp dbname=postgres')", "cannot connect to PostgreSQL from a safe session's script"},
    {"require('zb.engine.postgresql').connect('host=/tmp dbname=postgres')",
     "cannot connect to PostgreSQL from a safe session's script"},
  }
  for _, case in ipairs(refused) do T.has(safely(case[1]), case[2], "--safe on the server refuses " .. case[1]) end
  T.ok(not io.open("/tmp/zb-safe-copy"), "... nothing written on the server's disk")
  local started = os.time()
  local _, _, code = os.execute(string.format("%s --safe %s -e \"zb.sql('select pg_sleep(30)'):to_lua()\" 2>/dev/null & "
                                              .. "sleep 0.5; kill -INT $!; wait $!; exit $?", T.zb, script_pg))
  T.eq(code, 130, "Ctrl-C stops a safe script waiting on the server: status 130")
  T.ok(os.time() - started < 10, "... at once, not after the query's 30 seconds")
  os.execute("sleep 1.5")  -- the server looks for its client every second (client_connection_check_interval)
  T.eq(T.run(pg .. " -e " .. T.shell_quote([[print(#zb.sql("select pid from pg_stat_activity where query like " ..
       "'%pg_sleep(30)%' and pid <> pg_backend_pid()"):to_lua())]])).out, "0\n", "... and the server's query is ended")
  T.run(pg .. " -e " .. T.shell_quote([[zb.sql("drop schema zb_script cascade"); zb.sql("drop role zb_script")]]))
end

-- Bad connection strings, unreachable servers and bad credentials
do
  local r = T.run([[-d 'postgresql://zb:secret@/nosuchdb?host=]] .. socket_dir .. [[' -e 'print(1)']])
  T.eq(r.code, 1, "a database that does not exist: status 1")
  T.has(r.err, 'database "nosuchdb" does not exist', "... the server's reason")
  T.hasnt(r.err, "secret", "... and never the password of the URI")
  T.has(r.err, "user=zb password=*** dbname=nosuchdb", "... which is masked where the string is shown (as libpq read it)")
  -- a URI libpq cannot read: its reason quotes the URI, or the password alone
  for _, uri in ipairs{"postgresql://zb:s3cret@[::1", "postgresql://zb:s3%cret@localhost/db",
                       "postgresql://zb@localhost/db?password=s3%zz"} do
    r = T.run("-d " .. T.shell_quote(uri) .. " -e 'print(1)'")
    T.ok(r.code == 1 and r.err:find("zb.connect", 1, true) and not r.err:find("s3", 1, true),
         "a URI libpq refuses (" .. uri:gsub("s3[%%%w]*", "...") .. "): its reason without the password", r.err)
  end
  r = T.run([[-d 'host=/nonexistent/zb dbname=x' -e 'print(1)']])
  T.has(r.err, "/nonexistent/zb/.s.PGSQL", "an unreachable server: where libpq looked")
  r = T.run("-d " .. T.shell_quote("host=" .. socket_dir .. " dbname=postgres user=zb_password password=wrong") ..
            " -e 'print(1)'")
  T.has(r.err, 'password authentication failed for user "zb_password"', "bad credentials: the server's words")
  T.hasnt(r.err, "wrong", "... never the password")
  -- a password as libpq reads a key=value one: a backslash escapes a space, a quoted one holds \' and spaces
  for _, given in ipairs{[[password=top\ SECRET]], [[password='a\'b SECRET']], [[password = 'SECRET']]} do
    r = T.run("-d " .. T.shell_quote("host=" .. socket_dir .. " dbname=nodb user=zb_password " .. given) ..
              " -e 'print(1)'")
    T.ok(r.err:find("password=***", 1, true) or r.err:find("password = ***", 1, true),
         "a password shown masked: " .. given, r.err)
    T.hasnt(r.err, "SECRET", "... no part of it printed: " .. given)
  end
  r = T.run("-d " .. T.shell_quote("host=" .. socket_dir .. " dbname=postgres user=zb_password") .. " -e 'print(1)'",
            {env = "PGPASSWORD=right"})
  T.eq(r.out, "1\n", "a password from PGPASSWORD (libpq's own)", r.err)
  local again = [[ -e "print(pcall(function() return zb.sql('select 1 as x'):to_lua() end))" ]]
  r = T.run(pg .. [[ -e "print(pcall(function() return zb.sql('select pg_terminate_backend(pg_backend_pid())'):to_lua() end))" ]] ..
            again .. again)
  T.has(r.out, "false\t(command line):1: PostgreSQL: terminating connection due to administrator command (the " ..
        "connection to the server was lost; zb connected again, in a new session", "a connection the server drops " ..
        "mid-query: the server's words, and that zb connected again")
  T.has(r.out, "\ntrue\ttable: ", "... and the next query runs")
  -- A server restart between two queries: the first says so, the next runs,
  -- with the library's search path set again
  local script = T.tmpdir() .. "/restart.lua"
  T.write(script, string.format([[
zb.sql("drop table if exists restarted")
zb.sql("create table restarted (x int)")
zb.sql("insert into restarted values (1), (2)")
zb.install()
os.execute(%q)
print(pcall(function() return zb.table("restarted"):count() end))
print(zb.table("restarted"):count(), zb.sql("select growth(3, 2) as g"):value())
zb.sql("drop table restarted")
]], "sh tests/lib/pg_server.sh restart " .. T.shell_quote(socket_dir)))
  r = T.run(pg .. " " .. T.shell_quote(script), {cwd = os.getenv("PWD")})
  T.has(r.out, "false\t", "a server restart: the query that meets it fails ...", r.err)
  T.has(r.out, "zb connected again, in a new session", "... saying the connection was lost and made again")
  T.has(r.out, "\n2\t50.0\n", "... the next query runs, the library's functions found on the search path again")
  -- The session's connection ended from outside between two queries: the
  -- next zb.sql says so at its line (its check of the query meets the loss:
  -- never read as the query's own problem, which would have run it as a
  -- statement and returned its rows as a list)
  local psql = io.popen("ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1"):read("l") .. "/psql"
  T.write(script, string.format([[
local pid = zb.sql("select pg_backend_pid() as p"):value()
os.execute(%q .. " -X -q -c 'select pg_terminate_backend(" .. pid .. ")' >/dev/null")
print(pcall(function() return zb.sql("select 1 as x"):value() end))
print(zb.sql("select 2 as x"):value())
]], psql .. " " .. T.shell_quote(conninfo)))
  r = T.run(pg .. " " .. T.shell_quote(script))
  T.has(r.out, "false\t" .. script .. ":3: PostgreSQL: terminating connection due to administrator command (the " ..
        "connection to the server was lost; zb connected again", "a connection ended between two queries: the next " ..
        "zb.sql says so, at its line", r.err)
  T.has(r.out, "\n2\n", "... and the one after runs", r.err)
  -- ended in the middle of a query (its FATAL error comes before libpq sees
  -- the connection close): that query says the connection was lost and made
  -- again, and the next runs
  T.write(script, string.format([[
local pid = zb.sql("select pg_backend_pid() as p"):value()
os.execute(string.format("(sleep 0.5; %%s -X -q -c 'select pg_terminate_backend(%%d)' >/dev/null) &", %q, pid))
print(pcall(function() return zb.sql("select pg_sleep(5) as s"):first() end))
print(zb.sql("select 2 as x"):value())
]], psql .. " " .. T.shell_quote(conninfo)))
  r = T.run(pg .. " " .. T.shell_quote(script))
  T.has(r.out, "false\t" .. script .. ":3: PostgreSQL: terminating connection due to administrator command (the " ..
        "connection to the server was lost; zb connected again", "a connection ended mid-query: that query says so, " ..
        "at its line", r.err)
  T.has(r.out, "\n2\n", "... and the next runs", r.err)
  -- ended while a load sends its rows: the load says the connection was
  -- lost and made again, leaves no table, and the next query runs
  local big = T.tmpdir() .. "/big.csv"
  local f = assert(io.open(big, "w"))
  f:write("region,year,value\n")
  for i = 1, 600000 do f:write("r", i % 97, ",", 2000 + i % 20, ",", i, ".5\n") end
  f:close()
  -- (ended from the server as soon as its COPY shows, at most 10 s on: the
  -- rows still being sent, whatever the machine's speed)
  local watch = T.tmpdir() .. "/watch.sql"
  T.write(script, string.format([[
local pid = zb.sql("select pg_backend_pid() as p"):value()
local f = assert(io.open(%q, "w"))
f:write(string.format("do $$ begin for i in 1 .. 10000 loop perform pg_stat_clear_snapshot(); exit when exists " ..
  "(select from pg_stat_activity where pid = %%d and query like 'COPY%%%%'); perform pg_sleep(0.001); end loop; " ..
  "perform pg_terminate_backend(%%d); end $$;", pid, pid))
f:close()
os.execute(string.format("(%%s -X -q -f %%s >/dev/null) &", %q, %q))
print(pcall(zb.read_csv, %q, {name = "cut_off", replace = true}))
print(zb.sql("select 2 as x"):value(), zb.engine.has_table("cut_off"))
]], watch, psql .. " " .. T.shell_quote(conninfo), watch, big))
  r = T.run(pg .. " " .. T.shell_quote(script))
  T.ok(r.out:find("PostgreSQL: the rows could not be sent: [^(]+ %(the connection to the server was lost; zb " ..
                  "connected again"), "a connection ended during a load: the load says so, with libpq's reason",
       r.err .. r.out)
  T.has(r.out, "\n2\tfalse\n", "... leaves no table, and the next query runs", r.err)
  r = T.run("--safe -d " .. T.shell_quote(conninfo) .. " -e 'print(1)'")
  T.eq(r.code, 1, "a safe session keeps to a SQLite file: -d with a server is refused")
end

-- convert_unit on the server: zb.units.convert's results, bit for bit, and its refusals
do
  local script = T.tmpdir() .. "/units.lua"
  T.write(script, [==[
local cases = {{18109, "亿元", "万亿元"}, {27.1, "%", "‰"}, {3.7, "‰", "%"}, {1193.6, "万人", "人"}, {7, "倍", "%"},
               {1, "%", "百分点"}, {1, "元", "人"}, {1, "x", "人"}, {1, "元", "y"}}
for _, c in ipairs(cases) do
  local ok, v = pcall(function() return zb.sql("select convert_unit(?, ?, ?) as v", c[1], c[2], c[3]):value() end)
  print(ok and string.format("%.17g", v) or (tostring(v):match("[^:]*: ([^(]*)") or tostring(v)):gsub("%s+$", ""))
end
]==])
  local sqlite, postgres = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.ok(sqlite.out:find("1.8109", 1, true), "convert_unit's cases run on SQLite", sqlite.err)
  T.eq(postgres.out:gsub("PostgreSQL: ", ""), sqlite.out:gsub("metric 'convert_unit': ", ""),
       "convert_unit on the server: the same doubles and the same refusals as zb.units.convert")
  -- and the doubles within an ulp of the exact conversion (Python's Fraction)
  local exact = T.python([==[
from fractions import Fraction as F
for x, a, b in (("18109", "1e8", "1e12"), ("27.1", "1e-2", "1e-3"), ("3.7", "1e-3", "1e-2"), ("1193.6", "1e4", "1"),
                ("7", "1", "1e-2")):
    print(repr(float(F(x) * F(a) / F(b))))
]==])
  local got, ref, close = T.lines(postgres.out), T.lines(exact), true
  for i = 1, 5 do
    local a, b = tonumber(got[i]), tonumber(ref[i])
    close = close and a ~= nil and math.abs(a - b) <= math.abs(b) * 0x1p-52
  end
  T.ok(close and tonumber(ref[5]) ~= nil, "convert_unit's doubles within an ulp of the exact conversion", postgres.out .. "\n" .. exact)
end

-- human on the server: zb.units.human's text for reals and integers of
-- every size, ties and nines that carry (8.715, 999.5, 99999999), whole
-- reals past 2^53 and subnormals (where PostgreSQL's shortest text is not
-- the decimal zb reads), both zeros, the values that are no numbers, in
-- every unit of the catalog, none and one outside it
do
  local script = T.file(T.tmpdir(), "human.lua", [==[
math.randomseed(20261204)
local values = {8.715, 999.5, 99999999, 99950000, 0.0000009995, 0.00000099949, 1e21, 9.995e20, 1.8109e12, 87150,
                0.125, 2.5, -2.5, 1e300, 5e-324, 2.2250738585072014e-308, 123456789012345678, -0.0, 0.0, 0 / 0,
                1 / 0, -1 / 0, 0, 7, -12345, 9007199254740993, math.mininteger, math.maxinteger,
                1.7976931348623157e308, -1.7976931348623157e308, 1.7976931348623155e308}  -- (no shorter decimal reads back)
for _ = 1, 400 do
  values[#values + 1] = (math.random() - 0.3) * 10.0 ^ math.random(-12, 24)
  values[#values + 1] = math.floor(math.random() * 10 ^ math.random(1, 9) + 0.5) / 10 ^ math.random(0, 4)
  values[#values + 1] = math.random(-10 ^ 12, 10 ^ 12)
  values[#values + 1] = math.random(1, 2 ^ 53) * 2.0 ^ math.random(1, 12)  -- whole reals past 2^53
  values[#values + 1] = math.random() * 2.0 ^ -1060  -- subnormal
end
local units = {"元", "万元", "亿元", "万亿元", "人", "万人", "件", "个", "%", "‰", "倍", "百分点", "年"}
local rows = {}
for i, x in ipairs(values) do
  local real = x ~= x and "'NaN'" or x == 1 / 0 and "'Infinity'" or x == -1 / 0 and "'-Infinity'"
               or string.format("'%.17g'", x)
  rows[i] = math.type(x) == "integer" and string.format("(%d, '%d'::bigint, NULL::float8)", i, x)
            or string.format("(%d, NULL::bigint, %s::float8)", i, real)
end
local sql = "select coalesce(human(xi, u), human(xr, u)) as h from (values " .. table.concat(rows, ", ") ..
            ") as v(i, xi, xr) " ..
            "cross join (select unnest(?::text[] || ARRAY[NULL::text]) as u, generate_series(0, ?) as k) as w order by i, k"
local got = zb.sql(sql, "{" .. table.concat(units, ",") .. "}", #units):col("h")
local n, differ = 0, {}
for i, x in ipairs(values) do
  for k, u in ipairs(units) do
    n = n + 1
    local want = zb.units.human(x, u)
    if got[n] ~= want and #differ < 5 then differ[#differ + 1] = string.format("%.17g %s: %s, not %s", x, u, got[n], want) end
  end
  n = n + 1  -- no unit
  if got[n] ~= zb.units.human(x) then differ[#differ + 1] = string.format("%.17g: %s", x, got[n]) end
end
print(n, table.concat(differ, "; "))
]==])
  local r = T.run(pg .. " " .. T.shell_quote(script))
  local n, differ = r.out:match("^(%d+)\t(.-)\n$")
  T.ok(tonumber(n) == 2031 * 14 and differ == "", "human on the server writes what zb.units.human writes, " ..
       "for 2,031 numbers in each unit of the catalog, none and one outside it", r.out .. r.err)
  r = T.run(pg .. [[ -e "print(zb.sql('select human(1.8109e12::float8) as a, human(87150) as b'):to_csv())"]])
  T.eq(r.out, "a,b\n" .. zb.units.human(1.8109e12) .. "," .. zb.units.human(87150) .. "\n\n",
       "human(x) of one argument, as on SQLite", r.err)
  -- the largest doubles, by hand: 1.7976931348623157e308 元 is 1.80e296 万亿元 (10^12 元 each), three digits
  r = T.run(pg .. " -e " .. T.shell_quote([[
print(zb.sql("select human(1.7976931348623157e308::float8, '元') as a, human(-1.7976931348623157e308::float8) as b")
        :to_csv())]]))
  T.eq(r.out, "a,b\n1.8e+296万亿元,-1.8e+308\n\n", "human of the largest doubles on the server, as written by hand", r.err)
  -- text: what reads as a decimal number counts, as on SQLite; hexadecimal,
  -- Inf and NaN spelt out are refused as there (not PostgreSQL's casts)
  local texts = T.file(T.tmpdir(), "texts.lua", [==[
for _, v in ipairs{"16", " 16 ", "1e3", "-2.5", "1.", ".5", "+7", "0016", "9007199254740993", "9223372036854775807",
                   "-9223372036854775808", "9223372036854775808", "99999999999999999999", "inf", "NaN", "abc", "0x10",
                   "", "1,000", "1e", "--1"} do
  local ok, h = pcall(function() return zb.sql("select human(?, '元') as h, human(?) as g", v, v):rows()() end)
  print(string.format("%q", v), ok and h.h .. " " .. h.g or tostring(h):match("human: .*$"):gsub(" %(in SQL.*", ""))
end
]==])
  local sqlite, postgres = T.run(T.shell_quote(texts)), T.run(pg .. " " .. T.shell_quote(texts))
  T.has(sqlite.out, '"0x10"\thuman: expected a number, got the text \'0x10\' (hexadecimal', "human of text on SQLite",
        sqlite.err)
  T.eq(postgres.out, sqlite.out, "human of text on the server as on SQLite: decimal numbers read, the rest refused " ..
       "in the same words", postgres.err)
end

-- region_code and region_name on the server: zb.regions.find's place, or
-- its refusal in its words, for every place of the lists (its official
-- name and short form, its code in 6, 4 and 2 digits as an integer and as
-- text), with no level and each level, a sample within others (a name,
-- an integer, digits, a name of several places, of none), and names
-- padded or of no place; in each form of 1, 2 and 3 arguments
do
  local script = T.file(T.tmpdir(), "places.lua", [==[
zb.install()
local cases = {}  -- {name, level, within}; an integer sent as bigint, the rest as text
local function add(name, level, within) cases[#cases + 1] = {name, level, within} end
local places = zb.regions.places()
for i, p in ipairs(places) do
  local names = {p.name, p.code, tostring(p.code)}
  for _, shorter in ipairs{100, 10000} do
    if p.code % shorter == 0 then
      names[#names + 1] = p.code // shorter
      names[#names + 1] = tostring(p.code // shorter)
    end
  end
  names[#names + 1] = p.short
  for _, name in ipairs(names) do
    for _, level in ipairs{false, "province", "city", "county"} do add(name, level or nil) end
  end
  if i % 7 == 0 then
    local province, city = p.province or p, p.city
    add(p.name, nil, province.short or province.name)
    add(p.short or p.name, p.level, province.code // 10000)
    add(p.name, nil, city and city.code or "3301")
    add(p.name, "county", city and tostring(city.code // 100) or "33")
    add(p.name, nil, "海南")
    add(p.name, nil, "无此地")
    add(p.code, "city", places[(i * 31) % #places + 1].name)
  end
end
for _, c in ipairs{{" 杭州 "}, {"\t3301\n"}, {"杭州\u{3000}"}, {""}, {"0"}, {"0033"}, {"330"}, {"33010000"},
                   {-330100}, {0}, {7}, {"市辖区"}, {"海南"}, {"朝阳区", nil, "北京"}, {"朝阳区", nil, "长春"},
                   {"吉林", "province"}, {"杭州", "town"}, {"杭州", ""}, {"北京", nil, "北京"}, {"北京", "city", 11},
                   {"仙桃", "city", "湖北"}, {"东莞"}, {"东莞", "city"}, {"441900"}, {"杭州", nil, ""}, {"杭州", nil, -33}} do
  add(c[1], c[2], c[3])
end
-- columns as text, fields split at \31, \30 for NULL
local function column(f)
  local out = {}
  for i, c in ipairs(cases) do out[i] = f(c) == nil and "\30" or tostring(f(c)) end
  return table.concat(out, "\31")
end
local function text(v) return math.type(v) ~= "integer" and v or nil end
local function integer(v) return math.type(v) == "integer" and v or nil end
zb.sql([[create function pg_temp.try(nt text, ni bigint, l text, wt text, wi bigint) returns text language plpgsql as $$
declare c bigint; n text;
begin
  if wt is not null or wi is not null then
    if ni is null and wi is null then c := region_code(nt, l, wt); n := region_name(nt, l, wt);
    elsif ni is null then c := region_code(nt, l, wi); n := region_name(nt, l, wi);
    elsif wi is null then c := region_code(ni, l, wt); n := region_name(ni, l, wt);
    else c := region_code(ni, l, wi); n := region_name(ni, l, wi); end if;
  elsif l is not null then
    if ni is null then c := region_code(nt, l); n := region_name(nt, l);
    else c := region_code(ni, l); n := region_name(ni, l); end if;
  elsif ni is null then c := region_code(nt); n := region_name(nt);
  else c := region_code(ni); n := region_name(ni); end if;
  return c || ' ' || n;
exception when others then return 'error ' || sqlerrm;
end $$]])
local got = zb.sql("select pg_temp.try(nt, ni, l, wt, wi) as r from unnest(string_to_array(?, chr(31), chr(30)), " ..
                   "string_to_array(?, chr(31), chr(30))::bigint[], string_to_array(?, chr(31), chr(30)), " ..
                   "string_to_array(?, chr(31), chr(30)), string_to_array(?, chr(31), chr(30))::bigint[]) " ..
                   "with ordinality as c(nt, ni, l, wt, wi, k) order by k",
                   column(function(c) return text(c[1]) end), column(function(c) return integer(c[1]) end),
                   column(function(c) return c[2] end), column(function(c) return text(c[3]) end),
                   column(function(c) return integer(c[3]) end)):col("r")
local found, refused, differ = 0, 0, {}
for i, c in ipairs(cases) do
  local ok, p = pcall(zb.regions.find, c[1], {level = c[2], within = c[3]})
  local want = ok and p.code .. " " .. p.name or "error " .. tostring(p):match("regions: .*$")
  if ok then found = found + 1 else refused = refused + 1 end
  if got[i] ~= want and #differ < 5 then
    differ[#differ + 1] = string.format("%q %s %s: %s, not %s", c[1], c[2], c[3], got[i], want)
  end
end
print(#cases, #got, found, refused, table.concat(differ, "; "))
print(zb.sql("select region_code(NULL) as a, region_name(NULL, 'town') as b, region_code(NULL::bigint, 'city', 33) as c, " ..
             "region_code('杭州', NULL) as d, region_name('杭州', NULL, NULL) as e, region_code(3301, NULL, NULL::bigint) as f, " ..
             "region_name(330100, 'city', NULL) as g"):to_csv())
]==])
  local r = T.run(pg .. " " .. T.shell_quote(script))
  local lines = T.lines(r.out)
  local n, got, found, refused, differ = (lines[1] or ""):match("^(%d+)\t(%d+)\t(%d+)\t(%d+)\t(.*)$")
  T.ok(n and n == got and tonumber(n) > 50000 and tonumber(found) > 10000 and tonumber(refused) > 10000 and differ == "",
       string.format("region_code and region_name on the server give zb.regions' place, or its refusal in its words, " ..
                     "for every place of the lists by name, short form and code, at each level and within others " ..
                     "(%s cases: %s found, %s refused)", n, found, refused), r.out .. r.err)
  T.eq(table.concat(lines, "\n", 2), "a,b,c,d,e,f,g\n,,,330100,杭州市,330100,杭州市\n\n",
       "region_code and region_name: NULL for a NULL name (the level not checked), no level or within for NULL", r.err)
end

-- The README's tour, replayed unchanged against the server (its metric a
-- PL/Lua function there): what it prints is what README shows
do
  local tour = T.readme_sessions(T.read("README.md"))[1]
  T.run(pg .. [[ -e "zb.sql('drop table if exists income')"]])
  local r = T.run("-n " .. pg, {stdin = table.concat(tour.input, "\n") .. "\n"})
  T.eq(r.out, table.concat(tour.output, "\n") .. "\n", "README's tour on PostgreSQL prints what README shows", r.err)
  T.run(pg .. [[ -e "zb.sql('drop table if exists income')"]])
end

-- A Lua NaN bound is NULL on the server as on SQLite (a NaN there would be
-- counted, summed and greater than every number); a share of integers is
-- the double arithmetic's (100.0 was PostgreSQL's numeric: the 16th digit
-- apart), checked against Lua's own doubles
do
  local script = T.file(T.tmpdir(), "nan_share.lua", [==[
if zb.engine.name == "postgresql" then zb.sql("drop table if exists nn") zb.sql("drop table if exists pops") end
zb.sql("create table nn (v double precision)")
zb.sql("insert into nn values (?), (2)", 0/0)
print(zb.sql("select count(v) as c, sum(v) as s from nn"):to_csv(), zb.table("nn"):where("v > ?", 1):count())
zb.sql("create table pops (city text, pop bigint)")
zb.sql("insert into pops values ('丽江市', 1253878), ('昆明市', 8460088), ('大理', 3337559), ('x', 34158287)")
local total = 1253878 + 8460088 + 3337559 + 34158287
for r in zb.table("pops"):share{value = "pop"}:order("city"):rows() do
  local pop = ({["丽江市"] = 1253878, ["昆明市"] = 8460088, ["大理"] = 3337559, x = 34158287})[r.city]
  print(r.city, string.format("%.17g", r.share), r.share == 100.0 * pop / total)
end
-- a group whose total is 0: NULL shares on both engines (was the server's division by zero)
print(zb.sql("select 'a' as g, 0 as v union all select 'a', 0 union all select 'b', 5"):share{value = "v", by = "g"}
      :order("g"):to_csv())]==])
  local lite, server = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.has(lite.out, "c,s\n1,2.0\n\t1\n", "a NaN bound is NULL on SQLite", lite.err)
  T.eq(server.out, lite.out, "... and on the server (counted, summed, compared as NULL); shares of integers the same " ..
       "doubles", server.err)
  T.ok(not server.out:find("false", 1, true), "... each share Lua's own double 100.0 * pop / total", server.out)
end

-- to_xlsx on the server: a loaded table with its notes, and two sheets
-- (each sheet's rows read when it is written: a connection reads one query
-- at a time), read back by openpyxl as SQLite's workbook is
do
  local dir = T.tmpdir()
  local script = T.file(dir, "xlsx.lua", [==[
local out = ...
local c = zb.read_csv("datasets/census-cities-2010-2020.csv", {name = "census_x", replace = true})
zb.to_xlsx(out, {all = c, zhejiang = c:where{province = "浙江省"}:select("city", "popu_2020"):order("city")})]==])
  local lite = T.run(T.shell_quote(script) .. " " .. T.shell_quote(dir .. "/lite.xlsx"))
  local server = T.run(pg .. " " .. T.shell_quote(script) .. " " .. T.shell_quote(dir .. "/server.xlsx"))
  T.eq(server.code, 0, "to_xlsx of a loaded table and a second sheet runs on the server", server.err)
  if T.have_python("openpyxl") then
    local read = [[
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    print([[c for c in r] for ws in wb for r in ws.iter_rows(values_only=True)] == [[c for c in r] for ws in openpyxl.load_workbook(sys.argv[1]) for r in ws.iter_rows(values_only=True)], [(ws.title, ws.max_row) for ws in wb])
]]
    T.eq(T.python(read, dir .. "/lite.xlsx", dir .. "/server.xlsx"),
         "True [('all', 372), ('zhejiang', 14)]\nTrue [('all', 372), ('zhejiang', 14)]\n",
         "... every cell of both sheets as SQLite's workbook has it", lite.err)
  end
end

-- A sorted table's count on the server: count(*) over it took the row
-- numbers' ORDER BY that keeps a sort through a projection, and the server
-- refused it (zb_row_number must appear in the GROUP BY clause)
do
  local r = T.run(pg .. " -e " .. T.shell_quote([[
local sorted = zb.sql("select 2 as a, 'x' as b union all select 1, 'y' union all select 3, 'z'"):order("a")
print(sorted:count(), #sorted, sorted:select("b"):count(), table.concat(sorted:select("b"):col("b"), ""))]]))
  T.eq(r.out, "3\t3\t3\tyxz\n", "a sorted table counted on the server, and through a projection, its order kept", r.err)
end

-- A join on region names written two ways is refused on the server too;
-- a key that is no text column there (a column holds its one type) names
-- no region, and is not looked through
do
  local r = T.run(pg .. " -e " .. T.shell_quote([[
local a = zb.sql("select '杭州' as city, 18109 as gdp, 2021 as year union all select '宁波', 14595, 2021")
local b = zb.sql("select '杭州市' as city, 1220 as pop, 2021 as year union all select '宁波市', 954, 2021")
print(pcall(function() return a:join(b, "city") end))
print(a:join(b, "year"):count())]]))
  T.has(r.out, "join: 宁波 / 宁波市, 杭州 / 杭州市 name the same regions but are written differently",
        "a join on region names written two ways is refused on the server", r.err)
  T.has(r.out, "\n4\n", "... a join on an integer key runs (2 x 2 rows)")
  -- group's keys that are the table's columns go unchecked when the server
  -- groups their type; a json column, which it cannot, is still group's error
  r = T.run(pg .. " -e " .. T.shell_quote([[
zb.sql("drop table if exists keyed; create table keyed (a text, j json, n bigint)")
zb.sql("insert into keyed values ('x', '{}', 1), ('x', '[]', 2), ('y', '{}', 3)")
print(pcall(function() return zb.table("keyed"):group("j") end))
print(zb.table("keyed"):group("a"):agg{n = "sum(n)"}:order("a"):to_csv())
zb.sql("drop table keyed")]]))
  T.has(r.out, "false\t(command line):3: group: PostgreSQL: could not identify an equality operator for type json",
        "group by a json column: refused at group, naming it", r.err)
  T.has(r.out, "a,n\nx,3\ny,3\n", "... by a text column: grouped", r.err)
end

-- A sort kept through the methods after it, on both engines, in the order
-- written here by hand: a sort by a column the chain made or replaced
-- (the server's window read the table's own "value", or found no "v"),
-- and distinct rows of sorted ones in the order each first came (SQLite's
-- DISTINCT gave an order of its own; the server refused it); a sort by a
-- column a window made (rank's, share's, a mutate's row_number()), which
-- the server's row numbers cannot hold in their own window; a sort through
-- share, melt and a window over it (SQLite gave the join's order, or the
-- window's partitions')
do
  local script = T.file(T.tmpdir(), "sorted.lua", [==[
zb.sql("drop table if exists sorted_src")
zb.sql("create table sorted_src (name text, value bigint, unit text)")
zb.sql("insert into sorted_src values ('a', 3, 'x'), ('b', 1, 'y'), ('c', 5, 'x'), ('d', 2, 'z'), ('e', 4, 'y')")
local t = zb.table("sorted_src")
local function show(r) print((r:to_csv():gsub("\n", " "))) end
show(t:mutate{value = "-value"}:order("value"):select("name", "value"))
show(t:rename{v = "value"}:order("v desc"):select("v"))
show(t:mutate{v = "value * 2"}:order("v"):drop("unit"))
show(t:group("unit"):agg{total = "sum(value)"}:order("total desc"):select("unit"))
show(t:order("value desc"):select("unit"):distinct())
show(t:order("value"):select("unit"):distinct():select("unit"):limit(2))
show(t:rank{value = "value"}:order("rank"):select("name", "rank"))
show(t:share{value = "value"}:order("share desc"):drop("value", "unit", "share"))
show(t:mutate{r = "row_number() over (order by value)"}:order("r"):select("name"))
local sorted = t:order("value desc")
show(sorted:share{value = "value", by = "unit"}:select("name"))
show(sorted:mutate{v2 = "value * 10"}:melt{id = "name", cols = {"value", "v2"}, name = "col"}:select("name", "col"))
show(sorted:mutate{r = "rank() over (partition by unit order by value)"}:select("name", "r"))
show(sorted:mutate{w = "value * 2"}:mutate{r = "rank() over (partition by unit order by w)"}:select("name", "r"))
]==])
  local want = "name,value c,-5 e,-4 a,-3 d,-2 b,-1 \n" ..
               "v 5 4 3 2 1 \n" ..
               "name,value,v b,1,2 d,2,4 a,3,6 e,4,8 c,5,10 \n" ..
               "unit x y z \n" ..
               "unit x y z \n" ..
               "unit y z \n" ..
               "name,rank c,1 e,2 a,3 d,4 b,5 \n" ..
               "name c e a d b \n" ..
               "name b d a e c \n" ..
               "name c e a d b \n" ..
               "name,col c,value c,v2 e,value e,v2 a,value a,v2 d,value d,v2 b,value b,v2 \n" ..
               "name,r c,2 e,2 a,1 d,1 b,1 \n" ..
               "name,r c,2 e,2 a,1 d,1 b,1 \n"
  prints_on_both(script, want, "a sort through select, mutate, drop, rename, group and distinct after it, " ..
                 "by a window's column, and through share, melt and a window")
end

-- spark(x [, order]) on the server: zb.present.spark's sparklines, in
-- order's order (numbers; periods in time's order, then other text by its
-- bytes, then NULL; ties as the rows came), NULL a gap, values that
-- overflow hi - lo drawn by halves, NaN and the infinities refused
do
  local script = T.file(T.tmpdir(), "spark.lua", [==[
math.randomseed(tonumber(os.getenv("ZB_SEED") or "") or 20261204)
local periods = {"2021年", "2019-Q1", "2020-Q4", "2020年1月", "abc", "Abc", "2020", "2019年", "甲", "2021-S1"}
local rows = {}
for i = 1, 600 do
  local x = math.random() < 0.1 and "NULL" or string.format("%.17g", (math.random(-20, 20) / 4) * 10.0 ^ math.random(0, 3))
  local k = math.random() < 0.1 and "NULL" or tostring(math.random(1, 12))
  local p = math.random() < 0.1 and "NULL" or "'" .. periods[math.random(#periods)] .. "'"
  rows[i] = string.format("(%d, %d, %s, %s, %s)", i, i % 7, x, k, p)
end
local float8 = zb.engine.name == "postgresql" and "double precision" or "real"
zb.sql("drop table if exists sparks")
zb.sql("create table sparks (i integer, g integer, x " .. float8 .. ", k bigint, p text)")
zb.sql("insert into sparks values " .. table.concat(rows, ", "))
local t = zb.table("sparks"):order("i"):save("sparks_ordered", {replace = true})
print(t:group("g"):agg{s = "spark(x)", k = "spark(x, k)", p = "spark(x, p)", f = "spark(x, i * 1.5)"}:order("g"):to_csv())
zb.sql("drop table if exists wide_span")
zb.sql("create table wide_span (x " .. float8 .. ", k bigint)")
zb.sql("insert into wide_span values (1, 2), (3, 1), (NULL, 0), (1e308, 5), (-1e308, 4)")
print(zb.sql("select spark(x) as s, spark(x, k) as t from wide_span"):to_csv())
zb.sql("delete from wide_span")  -- a level's edge: 2.4999999999999996 of 0 to 7 is level 3, where 2.5 is 4
zb.sql("insert into wide_span values (0, 1), (7, 2), (2.4999999999999996, 3)")
print(zb.sql("select spark(x) as s, spark(x, k) as t, spark(x, k * 1.0) as f from wide_span"):to_csv())
local server = zb.engine.name == "postgresql"
for _, bad in ipairs{server and "'Infinity'::float8" or "9e999", server and "'-Infinity'::float8" or "-9e999"} do
  local ok, e = pcall(function() return zb.sql("select spark(x) as s from (select " .. bad .. " as x) as v"):value() end)
  print(ok, tostring(e):match("spark: %S+ cannot be drawn"))
end
if server then  -- (SQLite stores no NaN)
  print(select(2, pcall(function() return zb.sql("select spark(x) as s from (select 'NaN'::float8 as x) as v"):value() end))
        :match("spark: [^(]*") == select(2, pcall(zb.spark, {0 / 0})):match("spark: .*") .. " ")
end
]==])
  T.run(pg .. " -e 'zb.install()'")
  local lite, server = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.ok(lite.code == 0 and #lite.out > 500, "spark of random groups on SQLite", lite.err)
  T.eq(server.out, lite.out .. "true\n", "spark on the server draws what it draws on SQLite, in every order's order, " ..
       "and refuses what it refuses (NaN: the server's alone)", server.err)
  T.has(server.out, 's,t\n▅▅ █▁," ▅▅▁█"\n', "... values whose span overflows drawn by halves (by hand: 1 and 3 at " ..
        "(x + 1e308) / 2e308 * 7 + 0.5 = 4, level 5)", server.err)
  T.has(server.out, "s,t,f\n▁█▃,▁█▃,▁█▃\n", "... a value at a level's edge drawn from its every digit, whatever " ..
        "the order's type (by hand, as Python's floats give it)", server.err)
end

-- The examples, run twice on the server (datasets kept from the first
-- run): what SQLite prints
do
  local dir = T.tmpdir()
  local actuals = T.file(dir, "actuals.csv", "indicator,value\nnursery_places_per_1000,3.1\nnew_schools_kindergartens,72\n")
  T.run(pg .. " -e 'zb.install()'")
  for _, example in ipairs{"composite-index.lua", "targets-2022.lua", "targets-2022.lua " .. T.shell_quote(actuals),
                           "yangtze-inequality.lua " .. T.shell_quote(dir)} do
    local lite = T.run("lua/examples/" .. example)
    local first = T.run(pg .. " lua/examples/" .. example)
    local again = T.run(pg .. " lua/examples/" .. example)
    T.ok(lite.code == 0 and #lite.out > 200, "lua/examples/" .. example .. " runs on SQLite", lite.err)
    T.eq(first.out, lite.out, "... and on PostgreSQL prints the same", first.err)
    T.eq(again.out, lite.out, "... and again, on the tables its first run left", again.err)
  end
end

-- Every spelling of a period read on the server (PL/pgSQL) as period.c
-- reads it on SQLite and in Lua: the canonical text and the index, or
-- refused
do
  local spellings = {"2021", "2021年", "2021H1", "2021-S2", "2021年下半年", "2021Q1", "2021 - Q3", "2021年第一季度",
                     "2021年三季度", "2021年4季度", "202101", "2021-1", "2021/01", "2021M1", "2021-M01", "2021年1月",
                     "2021年12月份", "20211231", "2021-12-31", "2021/12/31", "2021年2月29日", "2024年2月29日",
                     "2021年1-2月", "2021年1-2月份", "2021年1-3季度", "2021年第一至三季度", "2021年前三季度", "2021-01~02",
                     "2021-Q1~Q3", " 2021—Q1 ", "2021-02-30", "2021Q5", "2021年第1月", "abc", "20211", "2021-13",
                     "2021年前一季度", "2021年2-3月"}
  local script = T.tmpdir() .. "/spellings.lua"
  local lines = {"local ok, r"}
  for _, x in ipairs(spellings) do
    lines[#lines + 1] = string.format("ok, r = pcall(function() return zb.sql('select period(?) as p, period_index(?) " ..
                                      "as i', %q, %q)[1] end); print(ok and r.p .. ' ' .. r.i or 'no')", x, x)
  end
  T.write(script, "zb.install()\n" .. table.concat(lines, "\n") .. "\n")
  local want = {}
  for _, x in ipairs(spellings) do
    local ok, p = pcall(zb.period, x)
    want[#want + 1] = ok and (tostring(p) .. " " .. p:index()) or "no"
  end
  local r = T.run(pg .. " " .. T.shell_quote(script))
  T.eq(r.out, table.concat(want, "\n") .. "\n", "every spelling of a period read on the server as period.c reads it", r.err)
end

-- growth on the server, of integers and of reals, and yoy over quarters
-- written in Chinese: against Python's exact Fraction, correctly rounded
do
  local script = T.tmpdir() .. "/growth.lua"
  T.write(script, [==[
zb.install()
for _, pair in ipairs{{4, 3}, {10000000000001, 10000000000000}, {7, 3}, {1, 7}} do
  print(string.format("%.17g %.17g", zb.sql("select growth(?, ?) as g", pair[1], pair[2]):value(),
                      zb.sql("select growth(?, ?) as g", pair[1] + 0.0, pair[2] + 0.0):value()))
end
zb.sql("drop table if exists qs")
zb.sql("create table qs (q text, v bigint)")
zb.sql("insert into qs values ('2023年第一季度', 3), ('2023年第二季度', 7), ('2024年第一季度', 4), ('2024年第二季度', 10)")
for r in zb.table("qs"):yoy{value = "v", time = "q"}:order("q"):rows() do
  if r.yoy then print(string.format("%.17g", r.yoy)) end
end
zb.sql("drop table qs")
]==])
  local got = T.run(pg .. " " .. T.shell_quote(script))
  T.eq(got.out, T.python([==[
from fractions import Fraction
for a, b in [(4, 3), (10000000000001, 10000000000000), (7, 3), (1, 7)]:
    exact = float(Fraction(a - b) * 100 / b)
    reals = (float(a) - float(b)) / float(b) * 100  # as zb.stats takes two reals: the change, divided, times 100
    print("%.17g %.17g" % (exact, reals))
for now, before in [(4, 3), (10, 7)]:
    print("%.17g" % float(Fraction(now - before) * 100 / before))
]==]), "growth of integers on the server correctly rounded (Fraction), of reals as zb.stats takes them; " ..
       "yoy over 2024年第一季度 on the server as Fraction", got.err)
end

-- The period methods on the server: a period twice in a series stops the
-- query with the method's own message (zb_refuse there), as on SQLite;
-- months written as numbers are months
do
  local script = T.tmpdir() .. "/periods.lua"
  T.write(script, [==[
zb.install()
zb.sql("drop table if exists ser")
zb.sql("create table ser (region text, year bigint, value double precision)")
zb.sql("insert into ser values ('A', 2020, 100), ('A', 2021, 110), ('A', 2021, 111), ('B', 2020, 50)")
print(select(2, pcall(function() return zb.table("ser"):yoy{value = "value", time = "year", by = "region"}:to_lua() end)))
zb.sql("drop table if exists mon")
zb.sql("create table mon (month bigint, value double precision)")
zb.sql("insert into mon values (202101, 1), (202102, 2), (202201, 3), (202202, 4)")
for r in zb.table("mon"):yoy{value = "value", time = "month"}:order("month"):rows() do
  print(r.month, r.yoy)
end
zb.sql("drop table ser")
zb.sql("drop table mon")
]==])
  local r = T.run(pg .. " " .. T.shell_quote(script))
  T.has(r.out, "periods.lua:5: PostgreSQL: yoy: more than one row for region = A, year = 2021; one value per period is " ..
        "needed", "a year twice in a series: the method's own refusal, from the server", r.err)
  T.has(r.out, "202101\tnil\n202102\tnil\n202201\t200.0\n202202\t100.0\n",
        "months written as numbers (202101) read as months on the server (period.c's spellings in PL/pgSQL): " ..
        "each month on the month a year before", r.err)
end

-- zb.metric on the server: a PL/Lua function made from the metric's own
-- source, run where the data are; on both engines the values the metrics'
-- definitions give for the rows the script makes (worked out here by Lua)
do
  local dir = T.tmpdir()
  local script = dir .. "/metrics.lua"
  T.write(script, [==[
zb.sql("drop table if exists mt")
zb.sql("create table mt (i bigint, r double precision, s text)")
zb.sql("insert into mt values (9007199254740993, 2.5, '杭州'), (-7, 0.1, ''), (null, null, null)")
zb.metric("per_capita", function(yi, people) return yi and yi * 1e8 / people end, {doc = "an amount in 亿元 per person"})
zb.metric("kind", function(x) return math.type(x) or type(x) end, {returns = "text", deterministic = true})
zb.metric("label", function(name, value)
  if name == nil then return nil end
  return string.format("%s:%s", name, value)
end, {returns = "text"})
zb.metric("half", function(n) return n and n // 2 end, {returns = "integer"})
for r in zb.sql([[select per_capita(r, 3) as p, kind(i) as ki, kind(r) as kr, kind(s) as ks, label(s, i) as l,
                         half(i) as h from mt order by i nulls first]]):rows() do
  print(r.p and string.format("%.17g", r.p), r.ki, r.kr, r.ks, r.l, r.h)
end
zb.metric("half", function(n) return n and n // 4 end, {returns = "integer"})
print("redefined", zb.sql("select half(i) as h from mt where i = -7"):value())
-- an integer column or literal (int4 on the server) arrives as an integer
zb.metric("quarter", function(q, n) return "Q" .. q .. "/" .. math.type(n) end, {returns = "text"})
print(zb.sql("select quarter(3, 2) as a, quarter(cast(i as integer), 2.5) as b from mt where i = -7"):to_csv())
-- an error in a metric or an aggregate's step names the user's line
zb.metric("checked", function(x)
  if x > 1 then
    error("too big: " .. x)
  end
  return x
end)
zb.aggregate("tally", {init = 0, final = function(acc) return acc end, step = function(acc, x)
  if x > 1 then error("step: too big") end
  return acc + x
end})
for _, q in ipairs{"select checked(i) as c from mt", "select tally(i) as t from mt"} do
  local ok, e = pcall(function() return zb.sql(q):to_csv() end)
  print(ok, (tostring(e):gsub("^.-: PostgreSQL: pllua: ", ""):gsub("^[^:]*:%d+: ", ""):gsub(" %(in SQL.*", "")))
end
]==])
  local sqlite = T.run(T.shell_quote(script))
  local postgres = T.run(pg .. " " .. T.shell_quote(script))
  -- the line of the script where text is
  local function line_of(text)
    local before = T.read(script):sub(1, T.read(script):find(text, 1, true))
    return select(2, before:gsub("\n", "")) + 1
  end
  -- the rows NULLs first: per_capita, label and half give nil for NULL,
  -- kind the type of nil; then -7 and 2^53 + 1; the first row read (2^53
  -- + 1, inserted first) stops checked and tally
  local want = table.concat({
    "nil\tnil\tnil\tnil\tnil\tnil",
    string.format("%.17g\tinteger\tfloat\tstring\t%s:%d\t%d", 0.1 * 1e8 / 3, "", -7, -7 // 2),
    string.format("%.17g\tinteger\tfloat\tstring\t%s:%d\t%d", 2.5 * 1e8 / 3, "杭州", 9007199254740993,
                  9007199254740993 // 2),
    "redefined\t" .. -7 // 4,
    "a,b", "Q" .. 3 .. "/" .. math.type(2) .. ",Q" .. -7 .. "/" .. math.type(2.5), "",
    string.format("false\tmetric 'checked': %s:%d: too big: %d", script, line_of('error("too big: "'), 9007199254740993),
    string.format("false\taggregate 'tally': %s:%d: step: too big", script, line_of('error("step: too big")')),
  }, "\n") .. "\n"
  T.eq(sqlite.out, want, "Lua metrics on SQLite: the values their definitions give (a bigint an integer, a double a " ..
       "float, text, NULL as nil; a metric redefined replaced; errors at the user's line)", sqlite.err)
  T.eq(postgres.out, want, "... and on the server", postgres.err)
  local refused = dir .. "/refused.lua"
  T.write(refused, [[
local k = 10
zb.metric("upvalued", function(x) return x * k end)
zb.metric("newer", function(x) local y <const> = 2; return x * y end)
zb.metric("many", function(a, b, c, d) return a end)
zb.metric("broken", function(x) error("no such region: " .. x) end)
zb.aggregate("newest", {init = 0, step = function(s, x) return s + x end, final = function(s)
  local y <const> = s
  return y
end})
for _, q in ipairs{"select upvalued(1)", "select newer(1)", "select many(1, 2, 3, 4)", "select broken(1)",
                   "select kind(true)", "select newest(1)"} do
  print((tostring(select(2, pcall(function() return zb.sql(q):value() end))):gsub(" %(in SQL.*", "")))
end
]])
  local r = T.run(pg .. " -e " .. T.shell_quote('zb.metric("kind", function(x) return type(x) end, {returns = "text"})') ..
                  " " .. T.shell_quote(refused))
  T.has(r.out, "the metric upvalued is Lua, which runs in the server only as PL/Lua, and zb could not make it one: " ..
        "it uses k from outside its body", "a metric that uses a local from outside is not sent, and a query says why", r.err)
  T.has(r.out, "zb could not make it one: the server's PL/Lua (Lua 5.3) does not take it: " .. refused ..
        ":3: unexpected symbol near '<'", "a metric in Lua 5.4's own syntax is refused by the server's Lua 5.3, and " ..
        "said so at the user's line", r.err)
  T.has(r.out, "the server's PL/Lua (Lua 5.3) does not take it: " .. refused .. ":7: unexpected symbol near '<'",
        "... an aggregate's final at its line too", r.err)
  T.has(r.out, "it takes 4 arguments; on the server a metric takes 3 at most", "a metric of four arguments")
  T.has(r.out, "no such region: 1", "a metric's own error, raised on the server, is the query's")
  T.has(r.out, "the metric kind is made on the server for arguments of bigint, integer, double precision and text",
        "an argument of another type says which the server's function takes (a metric given with -e)")
  -- typed at the REPL (its chunks kept: they have no file), and gone with the session
  r = T.run(pg, {stdin = 'zb.metric("tri", function(x)\n  return x * 3\nend)\nprint(zb.sql("select tri(5) as x"):value())\n'})
  T.eq(r.out, "15.0\n", "a metric typed over several lines at the REPL runs on the server", r.err)
  r = T.run(pg .. [[ -e "print(zb.sql([=[select count(*) as n from pg_namespace where nspname like 'zb_session%']=]):value())"]])
  T.eq(r.out, "0\n", "the session's schema of metrics is dropped when it ends", r.err)
end

-- median and quantile on the server: SQLite's doubles, to the bit, grouped
-- and over window frames (percentile_cont's midpoint was ulps off)
do
  local script = T.file(T.tmpdir(), "medians.lua", [==[
math.randomseed(7)
zb.sql("drop table if exists mq")
zb.sql("create table mq(id bigint, g bigint, v double precision)")
local rows = {}
for i = 1, 300 do rows[i] = string.format("(%d, %d, %.17g)", i, i % 7, math.random() * 10 ^ math.random(-3, 6)) end
zb.sql("insert into mq values " .. table.concat(rows, ", "))
for r in zb.sql([[select g, median(v) as m, quantile(v, 0.3) as q from mq group by g order by g]]):rows() do
  print(string.format("%d %.17g %.17g", r.g, r.m, r.q))
end
for r in zb.sql([[select median(v) over (order by id rows between 1 preceding and current row) as m,
                         quantile(v, 0.9) over (order by id rows between 3 preceding and current row) as q
                  from mq order by id]]):rows() do
  print(string.format("%.17g %.17g", r.m, r.q))
end]==])
  local sqlite, postgres = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.ok(select(2, sqlite.out:gsub("\n", "")) == 307, "the medians' cases run on SQLite", sqlite.err)
  T.eq(postgres.out, sqlite.out, "median and quantile on the server: SQLite's doubles, grouped and over window frames",
       postgres.err)
end

-- zb.aggregate on the server as PL/Lua: grouped, over no rows, with a
-- table state, two arguments, NULLs, as a window over a moving frame and
-- over a growing one, an error in step; the same values as on SQLite.
-- Their states (a table of PL/Lua's globals) go with a plain aggregate's
-- final call, and a window's with the next statement's first.
do
  local dir = T.tmpdir()
  local defs = T.file(dir, "aggregates.lua", [==[
zb.sql("drop table if exists w")
zb.sql("create table w(id bigint, g text, x double precision, k bigint)")
zb.sql("insert into w values (1, 'a', 2, 1), (2, 'a', 3, 2), (3, 'a', NULL, 3), (4, 'b', 7, NULL), (5, 'b', 1.5, 2)")
zb.aggregate("prod", {init = 1, step = function(p, x) return x and p * x or p end, final = function(p) return p end})
zb.aggregate("collect", {init = function() return {} end,
  step = function(s, x) s[#s + 1] = tostring(x) end, final = function(s) return table.concat(s, " ") end},
  {returns = "text"})
zb.aggregate("spread", {init = function() return {} end,
  step = function(s, x, k) if x then s[#s + 1] = x * (k or 10) end end,
  final = function(s) table.sort(s) return #s > 0 and s[#s] - s[1] or nil end})
zb.aggregate("running", {init = 0, step = function(s, x) return s + (x or 0) end, final = function(s) return s end,
  inverse = function(s, x) return s - (x or 0) end})
zb.aggregate("failing", {init = 0, step = function(_, x) if x > 2 then error("too big") end return x end,
  final = function(s) return s end})]==])
  local script = T.file(dir, "queries.lua", "dofile(" .. string.format("%q", defs) .. ")\n" .. [==[
local function show(sql)
  local t = zb.sql(sql)
  local n = #t.columns
  for r in t:rows() do
    local out = {}
    for i = 1, n do
      local v = r[i]
      out[i] = type(v) == "number" and string.format("%.17g", v) or tostring(v)
    end
    print(table.concat(out, "\t"))
  end
end
show("select g, prod(x) as p, collect(k) as c, spread(x, k) as s from w group by g order by g")
show("select prod(x) as p, spread(x, k) as s from w where x > 100")
show("select id, running(x) over (order by id rows between 1 preceding and current row) as r from w order by id")
show("select id, running(x) over (partition by g order by id) as r from w order by id")
print(pcall(function() return zb.sql("select failing(x) as f from w"):value() end))
show("select failing(x) as f from w where x < 3")]==])
  local sqlite, postgres = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.ok(sqlite.code == 0 and #T.lines(sqlite.out) == 16, "the aggregates' cases run on SQLite", sqlite.out .. sqlite.err)
  local function values(out)  -- the rows, and the error's own words
    return (out:gsub("false\t[^\n]*too big[^\n]*", "false\ttoo big"))
  end
  T.eq(values(postgres.out), values(sqlite.out), "zb.aggregate on the server: SQLite's values, grouped, over no rows, " ..
       "with a table state, two arguments, NULLs, over a moving and a growing window frame", postgres.err)
  local states = [[create or replace function pg_temp.zb_states() returns bigint language pllua as $$
    local n = 0 for _ in pairs(_G.zb_aggregate_states or {}) do n = n + 1 end return n $$]]
  local r = T.run(pg .. " -e " .. T.shell_quote(string.format("dofile(%q)", defs) ..
    " zb.sql([=[" .. states .. "]=]) local n = function() return zb.sql('select pg_temp.zb_states() as n'):value() end " ..
    "zb.sql('select g, prod(x) from w group by g'):to_lua() io.write(n(), ' ') " ..
    "zb.sql('select running(x) over (partition by g order by id) from w'):to_lua() io.write(n(), ' ') " ..
    "zb.sql('select running(x) over (order by id) from w'):to_lua() print(n())"))
  T.ok(r.out:match("([^\n]*)\n$") == "0 2 1", "the states go: a plain aggregate's at its final call, a window's at " ..
       "the next statement's first state", r.out .. r.err)
  r = T.run(pg .. [[ -e "local k = 2 zb.aggregate('scaled', {init = 0, step = function(s, x) return s + x * k end,
    final = function(s) return s end}) zb.aggregate('kept', {init = {}, step = function(s) return s end,
    final = function() return 1 end}) zb.aggregate('wide', {init = 0, step = function(s, a, b, c, d) return s + a end,
    final = function(s) return s end}) for _, f in ipairs{'scaled', 'kept', 'wide'} do
    print(pcall(function() return zb.sql('select ' .. f .. '(x) from (select 1.0 as x) as t'):value() end)) end"]])
  T.has(r.out, "zb could not make it one: its step uses k from outside its body", "an aggregate whose step uses a " ..
        "local from outside is not sent, and a query says why", r.err)
  T.has(r.out, "its init is a table, which the server cannot be sent: give a function that makes it",
        "... nor one whose init is a table", r.err)
  T.has(r.out, "its step takes 5 arguments; on the server it takes the state and 3 values at most",
        "... nor one whose step takes four values, said as a step's limit", r.err)
  -- a result the server's type cannot hold: the function named, and what it gave
  r = T.run(pg .. " -e " .. T.shell_quote([[
zb.aggregate('halfsum', {init = 0, step = function(s, x) return s + x end, final = function(s) return s / 2 end},
             {returns = 'integer'})
zb.aggregate('listed', {init = 0, step = function(s, x) return s + x end, final = function(s) return {s} end})
zb.metric('named', function(x) return 'n' .. x end)
zb.metric('wholly', function(x) return x * 2 end, {returns = 'integer'})
for _, f in ipairs{'halfsum(x)', 'listed(x)', 'named(x)', 'wholly(x)'} do
  local from = f:find('^wholly') and '(select 1.5 as x) as t' or '(select 1.5 as x union all select 1.5) as t'
  print(pcall(function() return zb.sql('select ' .. f .. ' as v from ' .. from):value() end))
end]]))
  T.has(r.out, [[aggregate 'halfsum' returned 1.5, not an integer (returns = "integer")]],
        "an aggregate's fractional result where it returns integers: named, with the value", r.err)
  T.has(r.out, "aggregate 'listed' returned a table (expected a number, string, boolean or nil)",
        "... a table: named, as on SQLite", r.err)
  T.has(r.out, [[metric 'named' returned the text 'n1.5', where its result is a number (returns = "text" makes it text)]],
        "... a metric's text where its result is a number: named, and what to say", r.err)
  T.has(r.out, "true\t3\n", "... an integral real where it returns integers is that integer", r.err)
end

-- Composite indices on the server: each step's results (stored in the
-- session's temporary schema there, through COPY) as on SQLite, on a wide
-- table with missing values, ties, a constant indicator, and periods
do
  local dir = T.tmpdir()
  local script = T.file(dir, "composite.lua", [[
zb.sql("drop table if exists wide")
zb.sql("create table wide(city text, year bigint, x1 double precision, x2 double precision, x3 double precision, " ..
       "x4 double precision)")
local rows = {}
for y = 2020, 2021 do
  for i = 1, 12 do
    local x3 = i % 5 == 0 and "NULL" or string.format("%.3f", (i * 7919 % 101) / 3 + y - 2020)
    rows[#rows + 1] = string.format("('城市%d', %d, %d, %.2f, %s, 5)", i, y, (i * 37) % 11, i / 7 + y % 2, x3)
  end
end
zb.sql("insert into wide values " .. table.concat(rows, ", "))
local fw = zb.framework{
  {iCode = "index"}, {iCode = "d1", Parent = "index", Weight = 2}, {iCode = "d2", Parent = "index", Weight = 1},
  {iCode = "x1", Parent = "d1", Direction = 1, Weight = 1}, {iCode = "x2", Parent = "d1", Direction = -1, Weight = 2},
  {iCode = "x3", Parent = "d2", Direction = 1, Weight = 1}, {iCode = "x4", Parent = "d2", Direction = 1, Weight = 1}}
local t = zb.table("wide")
local one = t:where("year = 2021"):drop("year")
local show = function(name, r) print(name) print(zb.render(r, {all = true, precision = 17})) end
show("entropy", one:composite{framework = fw, id = "city", weights = "entropy"})
show("critic zscore geometric", one:composite{framework = fw, id = "city", weights = "critic", normalise = "rank",
                                              aggregate = "geometric", impute = "mean"})
show("periods fixed", t:composite{framework = fw, id = "city", period = "year", fixed = true, weights = "cv"})
show("sensitivity", one:sensitivity{framework = fw, id = "city", weights = {"equal", "entropy"},
                                    normalise = {"minmax", "percentile"}, vary = 0.2})
local scores = one:composite{framework = fw, id = "city"}
show("correlations", scores:correlations{framework = fw, id = "city"})
show("rank changes", scores:rank_changes{with = one:composite{framework = fw, id = "city", weights = "entropy"},
                                         id = "city"})
show("normalise", one:normalise{framework = fw, id = "city", method = "goalposts",
                                goalposts = {x1 = {0, 10}, x2 = {0, 3}, x3 = {0, 40}, x4 = {0, 10}}})
for _, r in ipairs(zb.tables()) do if r.name:find("^zb_result") then print("listed", r.name) end end]])
  local sqlite, postgres = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  T.ok(sqlite.code == 0 and #sqlite.out > 2000, "the composite steps run on SQLite", sqlite.err)
  T.eq(postgres.out, sqlite.out, "composite, sensitivity, correlations, rank changes and normalise give SQLite's " ..
       "rows on the server, to 17 digits", postgres.err)
end

-- Integers bound as parameters: an integer when it fits in 32 bits, else a
-- bigint (the server widens an integer where a bigint is wanted, never
-- narrows a bigint: substr(unknown, bigint, bigint) did not exist), each
-- back exactly as the integer given; what zb makes of them stays 64-bit
do
  local script = T.file(T.tmpdir(), "bound.lua", [==[
zb.install()
print(zb.sql("select substr('abcdef', ?, ?) as s, repeat('x', ?) as r, left('abc', ?) as l, " ..
             "round(CAST(1.23456 AS numeric), ?)::text as n", 2, 3, 3, 2, 2):to_lua()[1].s)
for _, v in ipairs{0, -1, 2147483647, -2147483648, 2147483648, -2147483649, 9007199254740993,
                   math.maxinteger, math.mininteger} do
  local r = zb.sql("select v, pg_typeof(v)::text as t from (select ? as v) s", v):to_lua()[1]
  print(string.format("%d", v), string.format("%d", r.v), math.type(r.v), r.t)
end
local r = zb.sql("select substr('abcdef', ?, ?) as s, repeat('x', ?) as r, left('abc', ?) as l, " ..
                 "round(CAST(1.23456 AS numeric), ?)::text as n", 2, 3, 3, 2, 2):to_lua()[1]
print(r.s, r.r, r.l, r.n)
-- a metric and the library's integer functions take a bound integer as an integer
zb.metric("kind", function(x) return math.type(x) or type(x) end, {returns = "text"})
r = zb.sql("select kind(?) as a, kind(7) as b, kind(?) as c, kind(?) as d", 5, 1 << 40, 2.0):to_lua()[1]
print(r.a, r.b, r.c, r.d)
print(string.format("%.17g %.17g", zb.sql("select growth(?, ?) as g", 3, 7):value(),
                    zb.sql("select growth(3, 7) as g"):value()))
-- melt's integer labels and period_year are bigints: times a bound integer, past 2^31
zb.sql("drop table if exists wide_years")
zb.sql("create table wide_years (city text, \"2019\" double precision, \"2020\" double precision)")
zb.sql("insert into wide_years values ('a', 1.5, 2.5)")
local long = zb.table("wide_years"):melt{id = "city", name = "year", value = "v"}
for row in long:where("year * ? > ?", 10000000, 2 ^ 31 // 1):order("year"):rows() do
  print(row.year, math.type(row.year))
end
print(string.format("%d", zb.sql("select period_year(?) * ? as y", "2020-03", 10000000):value()))
-- (as README says: two small bound integers multiply as 32-bit integers there; a cast makes them 64-bit)
local ok, e = pcall(function() return zb.sql("select ? * ? as p", 100000, 100000):value() end)
print(zb.sql("select ?::bigint * ? as p", 100000, 100000):value(), ok or tostring(e):match("integer out of range"))]==])
  local r = T.run(pg .. " " .. T.shell_quote(script))
  local want = {"bcd"}
  for _, v in ipairs{{"0", "integer"}, {"-1", "integer"}, {"2147483647", "integer"}, {"-2147483648", "integer"},
                     {"2147483648", "bigint"}, {"-2147483649", "bigint"}, {"9007199254740993", "bigint"},
                     {"9223372036854775807", "bigint"}, {"-9223372036854775808", "bigint"}} do
    want[#want + 1] = string.format("%s\t%s\tinteger\t%s", v[1], v[1], v[2])
  end
  -- the growth of integers as zb.stats works it (the change times 100 first): -400/7 in doubles, as Python gives it
  local py = io.popen("python3 -c 'print(repr(-400/7))'")
  local growth = py:read("l")
  py:close()
  for _, line in ipairs{"bcd\txxx\tab\t1.23", "integer\tinteger\tinteger\tfloat",
                        growth .. " " .. growth, "2019\tinteger", "2020\tinteger", "20200000000",
                        "10000000000\tinteger out of range"} do
    want[#want + 1] = line
  end
  T.eq(r.out, table.concat(want, "\n") .. "\n", "integer parameters: an integer or a bigint by size, back exactly " ..
       "(2^31 and the 64-bit bounds), taken by substr, repeat, left and round; a metric and growth take them as " ..
       "integers; melt's labels and period_year stay bigints past 2^31", r.err)
  -- a query of bound values alone (nothing to type them by) is checked with
  -- their types, as it runs: a table, not the rows of a statement run instead
  r = T.run(pg .. " -e " .. T.shell_quote([[
local t = zb.sql("select ? + ? as x, ? / ? as q", 7, 2, 7, 2)
print(zb.table.is_table(t), t:first().x, t:first().q, math.type(t:first().q))]]))
  T.eq(r.out, "true\t9\t3\tinteger\n", "zb.sql('select ? + ?', 7, 2): a table of 9 (and 7 / 2 integer division, " ..
       "as SQLite's)", r.err)
  -- a boolean bound alone: 1 or 0 of no type, which takes its place's type
  -- (README, What differs): the rows SQLite finds by a boolean, an integer
  -- and a text column; alone, text on the server, and a cast the integer on both
  local script = [[
zb.sql("create table flags (flag boolean, n integer, s text)")
zb.sql("insert into flags values (true, 1, 'a'), (false, 0, 'b'), (null, 2, '1')")
local f = zb.table("flags")
local alone, cast = zb.sql("select ? as x", true):value(), zb.sql("select CAST(? AS INTEGER) as x", true):value()
print(f:where{flag = true}:first().s, f:where{flag = false}:first().s, f:where("n = ?", true):first().s,
      f:where("n = ?", false):first().s, f:where("s = ?", true):first().n, #f:where("flag = ?", true))
print(alone, math.type(alone) or type(alone), cast, math.type(cast))]]
  for engine, want in pairs{SQLite = {"", "1\tinteger"}, PostgreSQL = {pg, "1\tstring"}} do
    r = T.run(want[1] .. " -e " .. T.shell_quote(script))
    T.eq(r.out, "a\tb\ta\tb\t2\t1\n" .. want[2] .. "\t1\tinteger\n", "a boolean bound on " .. engine ..
         ": compared with a boolean, an integer and a text column as on SQLite; alone, as README says; cast, " ..
         "the integer 1", r.err)
  end
  -- a sum of bigints past 64 bits (numeric on the server) is an error, as
  -- SQLite's integer overflow is, not a real rounded from it
  r = T.run(pg .. " -e " .. T.shell_quote([[
local sum = "select sum(x) as s from (values (9223372036854775807::bigint), (?::bigint)) as q(x)"
print(pcall(function() return zb.sql(sum, 2):value() end))
print(zb.sql(sum, -1):value())]]))
  T.has(r.out, "false\t(command line):2: PostgreSQL: column s holds 9223372036854775809, a whole number past 64 " ..
        "bits", "a whole number past 64 bits is refused, naming the column and the number", r.err)
  T.has(r.out, "\n9223372036854775806\n", "... one within them read exactly", r.err)
  -- a period method over a text column: its own words, not the server's growth(text, text) under mutate
  r = T.run(pg .. " -e " .. T.shell_quote([[
print(pcall(function() return zb.dataset("hangzhou-2021"):yoy{value = "unit", time = "period", by = "indicator"} end))]]))
  T.has(r.out, "yoy: column unit is text, not numbers (a PostgreSQL column holds one type): cast it first, " ..
        't:mutate{unit = "unit::numeric"}', "yoy of a text column on the server: named, with what to write", r.err)
  r = T.run(pg .. " -e " .. T.shell_quote([[
print(pcall(function() return zb.dataset("hangzhou-2021"):melt{id = "indicator", cols = {"value", "unit"}} end))]]))
  T.has(r.out, "melt: columns of numbers and of text melt into one value column, which holds one type on PostgreSQL: " ..
        "value (real), unit (text)", "melt of a number and a text column on the server: each named, with its kind", r.err)
end

-- pivot of a text column (hangzhou-2021's unit): sum, avg and total refused
-- alike on both engines, naming pivot, the column, its type and what to
-- write (SQLite summed the text as 0, the server said sum(text) does not
-- exist); max and count of text the same on both, as Python's csv and max
-- read the file (code points: the server's C.UTF-8 collation is the same)
do
  local script = [[
local h = zb.dataset("hangzhou-2021")
for _, fn in ipairs{"sum", "AVG", "total"} do
  print(select(2, pcall(function() return h:pivot{rows = "section", cols = "kind", values = "unit", fn = fn} end)))
end
for _, fn in ipairs{"max", "count"} do
  for r in h:where("section IS NOT NULL"):pivot{rows = "section", cols = "kind", values = "unit", fn = fn}:order("section"):rows() do
    print(fn, r[1], r[2], r[3])
  end
end]]
  local python = T.python([==[
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["section"] != ""]
def cell(f, section, kind):
    units = [r["unit"] for r in rows if r["section"] == section and r["kind"] == kind and r["unit"] != ""]
    return f(units)
for name, f in (("max", lambda u: max(u) if u else "nil"), ("count", len)):
    for section in sorted({r["section"] for r in rows}, key=lambda s: s.encode()):
        print(name, section, cell(f, section, "actual"), cell(f, section, "target"), sep="	")
]==], "datasets/hangzhou-2021.csv")
  local want = {}
  for _, fn in ipairs{"sum", "AVG", "total"} do
    want[#want + 1] = string.format("%%s: pivot: column unit is %%s, not numbers, and %s needs numbers: give fn = " ..
                                    '"max", "min" or "count", or make it numbers first: t:mutate{unit = "CAST(unit AS %%s)"}', fn)
  end
  for engine, args in pairs{SQLite = {"", "TEXT", "REAL"}, PostgreSQL = {pg, "text", "double precision"}} do
    local r = T.run(args[1] .. " -e " .. T.shell_quote(script))
    local lines = {}
    for i, w in ipairs(want) do lines[i] = w:format("(command line):3", args[2], args[3]) end
    T.eq(r.out, table.concat(lines, "\n") .. "\n" .. python, "pivot of a text column on " .. engine .. ": sum, avg " ..
         "and total refused naming the column, its type and what to write; max and count as Python reads the file", r.err)
  end
end

-- A database without zb's library: a period method's own query (zb_periods,
-- its rows read one at a time) fails with the message that says to install
-- it, as a checked query and exec do
do
  local admin = T.run(pg .. [[ -e "zb.sql('drop database if exists zb_nolib') zb.sql('create database zb_nolib')"]])
  T.eq(admin.code, 0, "a database without the library made", admin.err)
  local nolib = "-d " .. T.shell_quote(conninfo:gsub("dbname=%S+", "dbname=zb_nolib"))
  local r = T.run(nolib .. [[ -e "zb.sql('create table s (year bigint, v double precision)')
zb.sql('insert into s values (2020, 1), (2021, 2)')
for _, f in ipairs{function() return zb.table('s'):lag{value = 'v', time = 'year'}:to_lua() end,
                   function() print(zb.table('s'):yoy{value = 'v', time = 'year'}) end,
                   function() return zb.engine.exec('select median(v) from s') end} do
  print(select(2, pcall(f)))
end"]])
  local lines = {}
  for line in r.out:gmatch("[^\n]+") do lines[#lines + 1] = line end
  T.eq(#lines, 3, "three failures", r.out .. r.err)
  for i, what in ipairs{"lag", "yoy printed", "exec"} do
    T.has(lines[i] or "", "(zb's analysis library is not on this server: zb.install() puts it there)",
          "without the library: " .. what .. " says to install it")
  end
  T.has(lines[1] or "", "function zb_periods(bigint) does not exist", "... the server's message first")
  T.run(pg .. [[ -e "zb.sql('drop database zb_nolib')"]])
end

-- A query's error while its rows are read, printed (streamed whole, or
-- rendered), exported: the same message on each path, at the user's line,
-- naming the SQL, on both engines (a metric's error on its second row, and
-- the server's own: a division by zero)
do
  local script = T.file(T.tmpdir(), "failing.lua", [==[
zb.sql("drop table if exists tt")
zb.sql("create table tt (x bigint)")
zb.sql("insert into tt values (1), (2)")
zb.metric("boom", function(x) if x == 2 then error("bad row " .. x) end return x end)
local queries = {"select boom(x) as y from tt"}
if zb.engine.name == "postgresql" then queries[2] = "select 1 / (x - 2) as y from tt" end
for _, q in ipairs(queries) do
  local t = zb.sql(q)
  for name, f in pairs{rows = function() for _ in t:rows() do end end, print = function() print(t) end,
                       render = function() return zb.render(t) end, to_lua = function() return t:to_lua() end,
                       to_csv = function() return t:to_csv(os.tmpname()) end} do
    print(name, select(2, pcall(f)))
  end
end]==])
  for _, engine in ipairs{{"SQLite", ""}, {"PostgreSQL", pg .. " "}} do
    local r = T.run(engine[2] .. T.shell_quote(script))
    local n, messages = 0, {}
    for line in r.out:gmatch("[^\n]+") do
      n = n + 1
      local name, where, message = line:match("^(%S+)\t(.-):%d+: (.*)$")
      message = message and message:gsub(" %(%S+ was not written%)$", "")
      local sql = message and message:match("%(in SQL: (.-)%)$")
      T.ok(where and where:find("failing.lua$") and sql and (sql:find("boom", 1, true) or sql:find("1 / ", 1, true)),
           engine[1] .. ": " .. tostring(name) .. "'s error at the user's line, naming the query's SQL", line)
      local key = sql or line
      messages[key] = messages[key] or message
      T.eq(message, messages[key], engine[1] .. ": " .. tostring(name) .. "'s error as rows' (the same message)")
    end
    T.eq(n, engine[1] == "SQLite" and 5 or 10, engine[1] .. ": each path failed", r.err)
  end
end

-- README's "What differs": what it says of median, a metric's result and
-- cagr, as the two engines give them
do
  local script = T.file(T.tmpdir(), "differs.lua", [==[
if zb.engine.name == "postgresql" then zb.install() end
zb.sql("drop table if exists mi")
zb.sql("create table mi (v bigint)")
zb.sql("insert into mi values (3), (4), (5)")
zb.metric("twice", function(x) return x * 2 end)
zb.metric("twice_int", function(x) return x * 2 end, {returns = "integer"})
local r = zb.sql("select twice(v) as t, twice_int(v) as i from mi where v = 3"):rows()()
print(zb.sql("select median(v) as m from mi"):value(), r.t, r.i, math.type(r.i),
      string.format("%.17g", zb.sql("select cagr(100, 250, 7) as c"):value()))]==])
  local readme = T.read("README.md"):gsub("\n%s*", " ")
  local sqlite, server = T.run(T.shell_quote(script)), T.run(pg .. " " .. T.shell_quote(script))
  local s, p = {}, {}
  for w in sqlite.out:gmatch("[^\t\n]+") do s[#s + 1] = w end
  for w in server.out:gmatch("[^\t\n]+") do p[#p + 1] = w end
  T.eq(table.concat(s, " ", 1, 4), "4 6 6 integer", "SQLite: median, a metric's and an integer metric's results", sqlite.err)
  T.eq(table.concat(p, " ", 1, 4), "4.0 6.0 6 integer", "the server: a float median and metric result, an integer " ..
       "where returns says integer", server.err)
  T.has(readme, "`median(v)` of 3, 4, 5 is 4.0 there, 4 on SQLite", "README says so of median")
  T.has(readme, "arrives as a float (6.0) where SQLite keeps the integer (6)", "... and of a metric's result")
  local exact = T.python("from decimal import Decimal, getcontext\ngetcontext().prec = 30\n" ..
                         "print(((Decimal(250) / 100).ln() / 7).exp() * 100 - 100)")
  T.ok(math.abs(tonumber(s[5]) - tonumber(exact)) <= 2e-15 * tonumber(exact) and
       math.abs(tonumber(p[5]) - tonumber(exact)) <= 2e-14 * tonumber(exact), "cagr on both engines near the exact " ..
       "value (Decimal), the server's within the 15th digit", s[5] .. " " .. tostring(p[5]) .. " " .. exact)
  T.has(readme, "13.985228104759672 on SQLite, 13.985228104759685 on the server; the exact value is " ..
        exact:sub(1, 19), "README gives cagr's digits on each engine as they are", s[5] .. " " .. tostring(p[5]))
  T.ok(readme:find(s[5], 1, true) and readme:find(tostring(p[5]), 1, true), "... these digits")
end

-- A name longer than the server keeps (63 bytes: 21 Chinese characters)
-- is refused at the user's line, naming it: the server cut it short
-- without an error, so that a loaded column lost its name's end and a
-- pivot's two columns became one name; a table name that fits is saved
-- (its staging table's name too long: one made of its hash)
do
  local dir = T.tmpdir()
  local long = "规模以上工业企业主营业务收入比上年增长（百分比）"
  T.write(dir .. "/long.csv", "地区," .. long .. "\n杭州,1.5\n")
  local script = T.file(dir, "long_names.lua", [==[
local long = "规模以上工业企业主营业务收入比上年增长（百分比）"
print(select(2, pcall(zb.read_csv, arg[1] .. "/long.csv", {replace = true})))
local p = zb.sql("select '杭州' as r, ? as k, 1 as v union all select '杭州', ?, 2", long .. "甲", long .. "乙")
print(select(2, pcall(function() return p:pivot{rows = "r", cols = "k", values = "v"} end)))
print(#zb.sql("select 1 as v"):save(string.rep("a", 57), {replace = true}))
]==])
  local r = T.run(pg .. " " .. T.shell_quote(script) .. " " .. T.shell_quote(dir))
  T.eq(r.out, script .. ":2: the name " .. long .. " is 72 bytes, and PostgreSQL keeps 63 of a name (it would be " ..
       "规模以上工业企业主营业务收入比上年增长（百, which another may be too): give it a shorter one\n" ..
       script .. ":4: the name " .. long .. "乙 is 75 bytes, and PostgreSQL keeps 63 of a name (it would be " ..
       "规模以上工业企业主营业务收入比上年增长（百, which another may be too): give it a shorter one\n1\n",
       "a name past 63 bytes refused on the server, at the user's line; a 57-byte table name saved", r.err)
  local lite = T.run(T.shell_quote(script) .. " " .. T.shell_quote(dir))
  T.has(lite.out, "│ 地区 │ " .. long .. " │", "... SQLite keeps every name whole", lite.err)
end

-- zb.sql on the server: a WITH that changes data runs once, at the call,
-- and returns its rows (it was a table, run again at each read: a DELETE
-- not done, an INSERT done each time it was printed); a query after a
-- comment is a table, as on SQLite (it came back a plain list)
do
  local script = T.file(T.tmpdir(), "with_writes.lua", [==[
zb.sql("drop table if exists with_writes")
zb.sql("create table with_writes (a integer)")
zb.sql("insert into with_writes values (1), (2), (3)")
local deleted = zb.sql("with d as (delete from with_writes where a = 1 returning a) select a from d")
print(zb.pretty(deleted), zb.sql("select count(*) as n from with_writes"):value())
local inserted = zb.sql("with x as (select 10 as v) insert into with_writes select v from x returning a")
print(zb.pretty(inserted), zb.sql("select count(*) as n from with_writes"):value())
local q = zb.sql("-- a note\nselect a from with_writes order by a")
print(zb.table.is_table(q), q:to_csv():gsub("\n", " "))
zb.sql("drop table with_writes")
]==])
  local r = T.run(pg .. " " .. T.shell_quote(script))
  T.eq(r.out, "{{a = 1}}\t2\n{{a = 10}}\t3\ntrue\ta 2 3 10 \t4\n",
       "a WITH that deletes or inserts runs once, at the call; a query after a comment is a table", r.err)
end

-- A loaded column of periods is one on the server too, through the
-- methods over it (the server tells each column's table and column, as
-- SQLite does): order() sorts it as time and where{} reads a value as a
-- period (the server sorted 2021年10月 before 2021年3月 as text, and found
-- no 2021-03, without an error); the rows written here by hand
do
  local dir = T.tmpdir()
  T.write(dir .. "/months.csv", "month,value\n2021年3月,3\n2020年12月,-1\n2021年10月,10\n")
  local script = T.file(dir, "periods_kept.lua", [==[
local m = zb.read_csv(arg[1] .. "/months.csv", {replace = true})
print(m.meta.columns.month and m.meta.columns.month.frequency)
io.write(m:order("month"):to_csv():gsub("\n", " "), "| ")
io.write(m:where("value > 0"):select("month"):order("month desc"):to_csv():gsub("\n", " "), "| ")
io.write(m:where{month = "2021-03"}:to_csv():gsub("\n", " "), "\n")
zb.sql("drop table months")
]==])
  local want = "M\nmonth,value 2020年12月,-1 2021年3月,3 2021年10月,10 | month 2021年10月 2021年3月 | month,value 2021年3月,3 \n"
  prints_on_both(script, want, "a loaded column of periods sorts as time and finds a period however spelled, " ..
                 "through the methods over it", " " .. T.shell_quote(dir))
end

-- moving's fn = "total" and total() on the server as on SQLite (a sum as a
-- double, 0.0 over no values; the server had no total: an error naming
-- mutate), the values written here by hand
do
  local script = T.file(T.tmpdir(), "total.lua", [==[
zb.sql("drop table if exists totals")
zb.sql("create table totals (r text, y integer, n bigint)")
zb.sql("insert into totals values ('a', 2019, 1), ('a', 2020, NULL), ('a', 2021, 3), ('b', 2020, -2), ('b', 2021, 7)")
local t = zb.table("totals")
io.write(t:moving{value = "n", time = "y", by = "r", n = 2, fn = "total", partial = true}:order("r", "y"):select("moving_total")
          :to_csv():gsub("\n", " "), "| ")
io.write(t:group("r"):agg{s = "total(n)"}:order("r"):to_csv():gsub("\n", " "), "| ")
io.write(t:where("n > 10"):agg{s = "total(n)"}:to_csv():gsub("\n", " "), "\n")
zb.sql("drop table totals")
]==])
  local want = "moving_total 1.0 1.0 3.0 -2.0 5.0 | r,s a,4.0 b,5.0 | s 0.0 \n"
  prints_on_both(script, want, "moving's total and total(): a sum as a double, 0.0 over none")
end

-- The period methods over a column of text with no rows give no rows on
-- both engines (the server refused the years' arithmetic it was read as:
-- "operator does not exist: text - text", naming mutate), and a method that
-- needs periods says there are none (SQLite said the column held years)
do
  local script = T.file(T.tmpdir(), "empty_periods.lua", [==[
zb.sql("drop table if exists empty_periods")
zb.sql("create table empty_periods (region text, month text, value double precision)")
local e = zb.table("empty_periods")
local function show(m) io.write(e[m](e, {value = "value", time = "month", by = "region"}):to_csv():gsub("\n", " "), "| ") end
for _, m in ipairs{"yoy", "pop", "lag", "moving", "cagr"} do show(m) end
print(select(2, pcall(e.to_ytd, e, {value = "value", time = "month"})))
zb.sql("drop table empty_periods")
]==])
  local want = "region,month,value,yoy | region,month,value,pop | region,month,value,lag | " ..
               "region,month,value,moving_avg | region,from,to,first,last,years,cagr | " ..
               script .. ":6: to_ytd: column month holds no periods; year-to-date values are months' or quarters'\n"
  prints_on_both(script, want, "the period methods over an empty column of text: no rows")
end

-- where{col = number} on a column of text (or another type with no "="
-- with a number): the server's "operator does not exist: text = bigint"
-- named neither; zb says which method, column, type and value, from the
-- table's description (no query more).  A number column and text that
-- reads as a number compare as the server reads it.
do
  local script = T.tmpdir() .. "/where.lua"
  T.write(script, [==[
zb.sql("drop table if exists where_typed")
zb.sql([[create table where_typed (city text, code bigint, "Name X" varchar(10), day date, n numeric)]])
zb.sql("insert into where_typed values ('330100', 330100, '1', '2021-01-01', 2.5), ('0330100', 330200, '2', NULL, 3)")
local t = zb.table("where_typed")
for _, c in ipairs{{"city = 330100", {city = 330100}}, {"city = {'330100', 330100}", {city = {"330100", 330100}}},
                   {'"Name X" = 1.5', {["Name X"] = 1.5}}, {"day = 2021", {day = 2021}},
                   {"city = '330100'", {city = "330100"}}, {"code = '330200'", {code = "330200"}},
                   {"code = 330100", {code = 330100}}, {"n = 2.5", {n = 2.5}}} do
  local ok, e = pcall(function() return t:where(c[2]):count() end)
  print(c[1], ok, e)
end
zb.sql("drop table where_typed")
]==])
  local r = T.run(pg .. " " .. T.shell_quote(script))
  local said = {}
  for line in r.out:gmatch("[^\n]+") do
    local case, result = line:match("^(.-)\t(.*)$")
    if case then said[case] = result end
  end
  T.eq(said["city = 330100"], "false\t" .. script .. ":9: where: city is text, 330100 is a number: write '330100' or " ..
       "compare city::bigint", "a number for a text column: the method, column, types, and what to write", r.err)
  T.eq(said["city = {'330100', 330100}"], said["city = 330100"], "... a list's number alike")
  T.eq(said['"Name X" = 1.5'], "false\t" .. script .. ":9: where: Name X is character varying, 1.5 is a number: " ..
       [[write '1.5' or compare "Name X"::double precision]], "... a varchar column, a real, a name quoted in SQL")
  T.eq(said["day = 2021"], "false\t" .. script .. ":9: where: day is date, 2021 is a number: write the date as text",
       "... a date column")
  T.eq(said["city = '330100'"], "true\t1", "text for a text column: its row (not '0330100')")
  T.eq(said["code = '330200'"], "true\t1", "text for a bigint column: read as the server reads it")
  T.eq(said["code = 330100"], "true\t1", "a number for a bigint column")
  T.eq(said["n = 2.5"], "true\t1", "a real for a numeric column")
  T.hasnt(r.out .. r.err, "operator does not exist", "never the server's words")
end

-- where{col = number} with an integer column and a whole float, or a
-- double column and an integer, compares them exactly on both engines, as
-- SQLite does (the server compared them as doubles: 9007199254740993 =
-- 9007199254740992.0 held, and 2^63 found the largest bigint); the rows
-- written here by hand
do
  local script = T.file(T.tmpdir(), "where_exact.lua", [==[
zb.sql("drop table if exists where_exact")
zb.sql("create table where_exact (name text, n bigint, x double precision, i integer)")
zb.sql("insert into where_exact values ('a', 9007199254740993, 9007199254740992, 2021), " ..
       "('b', 9223372036854775807, 1e19, 3), ('c', 10, 0.5, -1)")
local t = zb.table("where_exact")
local function show(r) io.write(r:select("name"):to_csv():gsub("\n", " "), "| ") end
show(t:where{n = 9007199254740992.0})
show(t:where{n = {9007199254740992.0, 10.0}})
show(t:where{n = 2^63})
show(t:where{x = 9007199254740993})
show(t:where{x = {9007199254740992, 9007199254740993}})
show(t:where{i = 2021.0})
show(t:where{i = {2021.5, 3.0}})
show(t:where{x = 0.5, n = 10})
zb.sql("drop table where_exact")
]==])
  local want = "name | name c | name | name | name a | name a | name b | name c | "
  prints_on_both(script, want, "where{} of an integer column and a whole float, a double column and an integer: exact")
end

-- Every loader into a table name taken on the server: said with the two
-- ways out, from the engine's look at its tables (tests/lib/name_taken.lua
-- puts the server's messages in German first)
do
  local r = T.run(pg .. " tests/lib/name_taken.lua")
  local _, refused = r.out:gsub('\tfalse\t[^\n]*table "taken" already exists %(replace = true loads the file in its place; ' ..
                                "name = another table's name%)", "")
  T.eq(refused, 8, "every loader on the server: the name taken said, whatever the server's words", r.out .. r.err)
  T.has(r.out, "\nleft\t7\n", "... and the server's table left as it was")
end

T.cleanup()
T.done()
