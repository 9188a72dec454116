-- share, index, chain, deflate and progress on random tables (integers
-- and reals; ties, zeros in denominators, NULLs, negative values), every
-- value against Python's exact arithmetic (tests/lib/indicators_exact.py:
-- each formula in fractions.Fraction): to the bit where the formula is one
-- correctly rounded step from values held exactly (100 * v / total over
-- integers, or over reals that are multiples of 1/8), else within the
-- documented 1e-12 of the exact value.  On SQLite, and on the test run's
-- PostgreSQL server when ZB_PG names one.  Seeded (ZB_SEED repeats a run).
local T = require("check")

local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
if not T.have_python("fractions") then T.done() end

local function pick(list) return list[math.random(#list)] end
local function maybe(p) return math.random() < p end

-- Tables as lines "name<TAB>column:type,...<TAB>cells", the cells as SQL
-- literals (NULL, numbers): what the runner inserts and Python reads.
local data = {}
local function add_table(name, columns, rows)
  local spec = {}
  for i, c in ipairs(columns) do spec[i] = c[1] .. ":" .. c[2] end
  for _, row in ipairs(rows) do
    local cells = {}
    for i, c in ipairs(columns) do cells[i] = row[c[1]] == nil and "NULL" or tostring(row[c[1]]) end
    data[#data + 1] = name .. "\t" .. table.concat(spec, ",") .. "\t" .. table.concat(cells, "\t")
  end
end

-- An integer: NULL, 0, a tie from a few, or any size to 10^6 (10^12 at times), either sign.
local function integer()
  if maybe(0.1) then return nil end
  if maybe(0.1) then return 0 end
  if maybe(0.15) then return pick{7, -7, 100, 1} end
  return math.random(-1000000, 1000000) * (maybe(0.05) and 1000000 or 1)
end
-- A real that is a multiple of 1/8, written so (held exactly by any engine).
local function eighths()
  if maybe(0.1) then return nil end
  if maybe(0.1) then return "0.0" end
  if maybe(0.15) then return pick{"0.125", "-0.125", "2.5"} end
  return string.format("%.3f", math.random(-8000000, 8000000) / 8)
end
-- A decimal of three places, 0 or above (its sum well conditioned).
local function decimal(low, high)
  if maybe(0.1) then return nil end
  if maybe(0.05) then return "0.0" end
  return string.format("%.3f", low + math.random() * (high - low))
end

-- share and progress: groups A to D, a group of NULL, and a group Z whose
-- values cancel (a total of 0: NULL)
do
  local rows = {}
  for id = 1, 300 do
    local g = pick{"'A'", "'B'", "'C'", "'D'", "NULL"}
    rows[id] = {id = id, g = g ~= "NULL" and g or nil, vi = integer(), vr = eighths(), vd = decimal(0, 10 ^ 5),
                a = integer(), t = integer(), ar = eighths(), tr = eighths()}
  end
  for id = 301, 310, 2 do
    local i, r = math.random(-1000, 1000), math.random(-8000, 8000) / 8
    rows[id] = {id = id, g = "'Z'", vi = i, vr = string.format("%.3f", r), vd = "0.0", a = 5, t = 0, ar = "1.5", tr = "0.0"}
    rows[id + 1] = {id = id + 1, g = "'Z'", vi = -i, vr = string.format("%.3f", -r), vd = "0.0", a = -5, t = 0}
  end
  add_table("exact_shares", {{"id", "integer"}, {"g", "text"}, {"vi", "integer"}, {"vr", "real"}, {"vd", "real"},
                             {"a", "integer"}, {"t", "integer"}, {"ar", "real"}, {"tr", "real"}}, rows)
end

-- index: series A to E over 2000-2011 with years missing; A's base value
-- is 0, B's NULL, C has no base year
do
  local rows = {}
  for _, g in ipairs{"A", "B", "C", "D", "E"} do
    for year = 2000, 2011 do
      if maybe(0.8) and not (g == "C" and year == 2005) then
        local r = {id = #rows + 1, g = "'" .. g .. "'", year = year, vi = integer(), vr = eighths(), vd = decimal(0, 10 ^ 4)}
        if year == 2005 and g == "A" then r.vi, r.vr, r.vd = 0, "0.0", "0.0" end
        if year == 2005 and g == "B" then r.vi, r.vr, r.vd = nil, nil, nil end
        if year == 2005 and g ~= "A" and g ~= "B" then  -- a base to divide by
          r.vi, r.vr, r.vd = r.vi or 3, r.vr or "0.5", r.vd or "1.5"
        end
        rows[#rows + 1] = r
      end
    end
  end
  add_table("exact_index", {{"id", "integer"}, {"g", "text"}, {"year", "integer"}, {"vi", "integer"}, {"vr", "real"},
                            {"vd", "real"}}, rows)
end

-- chain and deflate: unbroken series of % changes (c: reals, ci:
-- integers; each series has one below 50), indices with the year before
-- = 100 (q), a price index (p) and the value to deflate (v, with NULLs)
do
  local rows = {}
  for _, g in ipairs{"A", "B", "C", "D"} do
    local from = 2000 + math.random(0, 3)
    for year = from, from + math.random(8, 25) do
      rows[#rows + 1] = {id = #rows + 1, g = "'" .. g .. "'", year = year,
                         c = maybe(0.1) and "0.0" or string.format("%.1f", math.random(-300, 400) / 10),
                         ci = math.random(-20, 30), q = string.format("%.1f", math.random(700, 1400) / 10)}
    end
  end
  add_table("exact_chain", {{"id", "integer"}, {"g", "text"}, {"year", "integer"}, {"c", "real"}, {"ci", "integer"},
                            {"q", "real"}}, rows)
  rows = {}
  for _, g in ipairs{"A", "B", "C"} do
    for year = 2001, 2020 do
      rows[#rows + 1] = {id = #rows + 1, g = "'" .. g .. "'", year = year, v = maybe(0.1) and "NULL" or decimal(-10 ^ 4, 10 ^ 5),
                         vi = integer(), p = string.format("%.1f", math.random(500, 2000) / 10),
                         pc = string.format("%.1f", math.random(-50, 100) / 10)}
      if rows[#rows].v == "NULL" then rows[#rows].v = nil end
    end
  end
  add_table("exact_deflate", {{"id", "integer"}, {"g", "text"}, {"year", "integer"}, {"v", "real"}, {"vi", "integer"},
                              {"p", "real"}, {"pc", "real"}}, rows)
end

-- The cases: name, method, options (table =, and the method's own; by's
-- columns joined by +).  "remaining" is progress's other column.
local cases = {
  {"share of integers", "share", "table=exact_shares;value=vi"},
  {"share of integers by g", "share", "table=exact_shares;value=vi;by=g"},
  {"share of eighths by g", "share", "table=exact_shares;value=vr;by=g"},
  {"share of decimals by g", "share", "table=exact_shares;value=vd;by=g"},
  {"share of eighths by g and a", "share", "table=exact_shares;value=vr;by=g+a"},
  {"index of integers", "index", "table=exact_index;value=vi;time=year;base=2005;by=g"},
  {"index of eighths", "index", "table=exact_index;value=vr;time=year;base=2005;by=g"},
  {"index of decimals", "index", "table=exact_index;value=vd;time=year;base=2005;by=g"},
  {"chain of changes", "chain", "table=exact_chain;value=c;time=year;by=g"},
  {"chain of integer changes", "chain", "table=exact_chain;value=ci;time=year;by=g"},
  {"chain of changes, base 2008", "chain", "table=exact_chain;value=c;time=year;by=g;base=2008"},
  {"chain of indices (previous)", "chain", "table=exact_chain;value=q;time=year;by=g;kind=previous"},
  {"deflate by an index", "deflate", "table=exact_deflate;value=v;price=p;time=year;by=g"},
  {"deflate integers by an index, base 2010", "deflate", "table=exact_deflate;value=vi;price=p;time=year;by=g;base=2010"},
  {"deflate by changes", "deflate", "table=exact_deflate;value=v;price=pc;time=year;by=g;kind=change"},
  {"progress of integers", "progress", "table=exact_shares;actual=a;target=t"},
  {"progress of eighths", "progress", "table=exact_shares;actual=ar;target=tr"},
  {"remaining of integers", "remaining", "table=exact_shares;actual=a;target=t"},
  {"remaining of eighths", "remaining", "table=exact_shares;actual=ar;target=tr;real=1"},
}

local dir = T.tmpdir()
T.write(dir .. "/data.tsv", table.concat(data, "\n") .. "\n")
local case_lines = {}
for i, c in ipairs(cases) do case_lines[i] = table.concat(c, "\t") end
T.write(dir .. "/cases.tsv", table.concat(case_lines, "\n") .. "\n")

-- The runner, in a zb of each engine: the tables made, each case's rows
-- printed as "case<TAB>id<TAB>cell", or "case<TAB>!<TAB>error".
T.write(dir .. "/run.lua", [=[
local dir = ...
local cell = require("typed_cells").cell
local server = zb.engine.name == "postgresql"
if server then zb.install() end
local types = {integer = server and "bigint" or "integer", real = server and "double precision" or "real", text = "text"}
local made = {}
for line in io.lines(dir .. "/data.tsv") do
  local name, spec, cells = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  if not made[name] then
    local columns = {}
    for c, kind in spec:gmatch("(%w+):(%w+)") do columns[#columns + 1] = c .. " " .. types[kind] end
    zb.sql("drop table if exists " .. name)
    zb.sql("create table " .. name .. " (" .. table.concat(columns, ", ") .. ")")
    made[name] = true
  end
  zb.sql("insert into " .. name .. " values (" .. cells:gsub("\t", ", ") .. ")")
end
local default = {share = "share", index = "index", chain = "index", deflate = "real", progress = "progress",
                 remaining = "remaining"}
for line in io.lines(dir .. "/cases.tsv") do
  local case, method, opts = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  local spec, name = {}, nil
  for k, v in opts:gmatch("(%w+)=([^;]*)") do
    if k == "by" then
      spec.by = {}
      for c in v:gmatch("[^+]+") do spec.by[#spec.by + 1] = c end
    elseif k == "base" then spec.base = tonumber(v)
    elseif k == "table" then name = v
    elseif k ~= "real" then spec[k] = v end
  end
  local ok, err = pcall(function()
    local t = zb.table(name)
    local made = t[method == "remaining" and "progress" or method](t, spec)
    for r in made:select("id", default[method]):rows() do print(case .. "\t" .. r.id .. "\t" .. cell(r[2])) end
  end)
  if not ok then print(case .. "\t!\t" .. tostring(err):gsub("\n", " ")) end
end
]=])

-- Python's: "case<TAB>id<TAB>mode<TAB>value"
local want = {}
local reference = T.python(T.read("tests/lib/indicators_exact.py"), dir .. "/data.tsv", dir .. "/cases.tsv")
for line in reference:gmatch("[^\n]+") do
  local case, id, mode, value = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  want[case] = want[case] or {mode = mode, rows = {}, n = 0}
  want[case].rows[tonumber(id)] = value
  want[case].n = want[case].n + 1
end
T.ok(want["share of integers"] and want["share of integers"].n == 310, "Python's exact values for every row",
     reference:sub(1, 400))

-- Whether got (a typed cell) is want: the same NULL or integer; a real
-- the same double when exact (but for a zero's sign: 0 / -3 is -0.0 in
-- IEEE arithmetic, 0 in exact), else within 1e-12 of the nearest double to
-- the exact value.
local function meets(got, wanted, mode)
  local g, w = tonumber(got:match("^float:(.*)")), tonumber(wanted:match("^float:(.*)"))
  if not (g and w) then return got == wanted end
  return g == w or mode ~= "exact" and math.abs(g - w) <= 1e-12 * math.abs(w)
end

local function compare(engine, out, err)
  local got = {}
  for line in out:gmatch("[^\n]+") do
    local case, id, value = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    if case then
      got[case] = got[case] or {}
      if id == "!" then got[case].error = value else got[case][tonumber(id)] = value end
    end
  end
  for _, c in ipairs(cases) do
    local case, w, g = c[1], want[c[1]] or {rows = {}, n = 0}, got[c[1]] or {}
    local wrong, checked, nulls = {}, 0, 0
    for id, wanted in pairs(w.rows) do
      checked = checked + 1
      if wanted == "NULL" then nulls = nulls + 1 end
      if not meets(g[id] or "(no row)", wanted, w.mode) and #wrong < 5 then
        wrong[#wrong + 1] = string.format("id %d: got %s, want %s", id, g[id] or "(no row)", wanted)
      end
    end
    T.ok(not g.error and checked > 0 and #wrong == 0,
         string.format("%s on %s: %d rows (%d NULL) %s Python's exact value", case, engine, checked, nulls,
                       w.mode == "exact" and "the nearest double to" or "within 1e-12 of"),
         (g.error and g.error .. "\n" or "") .. table.concat(wrong, "\n") .. "\n" .. (err or ""))
  end
end

local lite = T.run(T.shell_quote(dir .. "/run.lua") .. " " .. T.shell_quote(dir))
compare("SQLite", lite.out or "", lite.err)
local conninfo = os.getenv("ZB_PG")
if conninfo and conninfo ~= "" then
  local server = T.run("-d " .. T.shell_quote(conninfo) .. " " .. T.shell_quote(dir .. "/run.lua") .. " " .. T.shell_quote(dir))
  compare("PostgreSQL", server.out or "", server.err)
end
T.cleanup()
T.done()
