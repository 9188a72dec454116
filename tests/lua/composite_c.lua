-- The C loops of composite indices (src/bridge/composite.c: zb.core's
-- composite_minmax, composite_entropy, composite_mean, composite_ranks,
-- composite_average_ranks, composite_sensitivity and composite_pick)
-- against the formulas written again in plain Python
-- (a loop a value, in the same order), on generated columns with ties
-- (integers from a short range), negative values, missing values (nil),
-- a constant column, a column of one value and one of none.  The numbers
-- must agree to the bit: composite.lua's results did not change when
-- these loops moved to C, and each reads the same columns as zb.Vectors
-- (src/bridge/vector.c: doubles in C, as read_columns gives a composite
-- index's data) to the same bits.  (Entropy with a negative value is refused by
-- composite.lua before its sum is used: only the count, lowest and
-- highest are compared there.)  Seeded (ZB_SEED repeats a run).
local T = require("check")
if not T.have_python("json") then T.done() end
local core = require("zb.core")
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
local work = T.tmpdir()

local n = 300
local function column(kind)
  local xs = {}
  for i = 1, n do
    if kind == "constant" then xs[i] = 2.5
    elseif kind == "one" then xs[i] = i == 7 and 4 or nil
    elseif kind == "none" then xs[i] = nil
    elseif math.random() < 0.125 then xs[i] = nil
    elseif kind == "ties" then xs[i] = math.random(-3, 5)  -- integers: ties, negatives, zeros
    elseif kind == "near" then  -- a few ulps apart (a tie), or 5e-13 (a tie) or 3e-12 apart (none), of both signs
      local base, apart = math.random(-2, 3) * 12.5, ({0, 2^-52, 3 * 2^-52, -2^-51, 5e-13, 3e-12})[math.random(6)]
      xs[i] = base * (1 + apart)
    elseif kind == "positive" then xs[i] = math.random() * 100 + 0.01
    else xs[i] = (math.random() - 0.4) * 10 ^ math.random(-3, 6) end
  end
  return xs
end
local kinds = {"ties", "mixed", "positive", "constant", "one", "none", "ties", "positive", "near"}
local columns = {}
for k, kind in ipairs(kinds) do columns[k] = column(kind) end

-- The columns as JSON for Python: exact (hex floats), null for nil.
local function json_list(xs)
  local out = {}
  for i = 1, n do
    local x = xs[i]
    out[i] = x == nil and "null" or string.format('"%a"', x)
  end
  return "[" .. table.concat(out, ",") .. "]"
end
local parts = {}
for k, xs in ipairs(columns) do parts[k] = json_list(xs) end
T.write(work .. "/columns.json", "[" .. table.concat(parts, ",") .. "]")

local reference = T.python([==[
import json, math, sys
sys.path.insert(0, "tests/lib")
from competition_ranks import ranks  # the largest first, a value within 1e-12 of its tie's first sharing its rank
cols = [[None if v is None else float.fromhex(v) for v in c] for c in json.load(open(sys.argv[1]))]
out = {}
def hexes(xs): return [None if x is None else float.hex(x) for x in xs]
def minmax(xs, sign, bottom, top):
    s = [None if x is None else x * sign for x in xs]
    present = [x for x in s if x is not None]
    if not present or min(present) == max(present): return [None] * len(xs)
    lo, hi = min(present), max(present)
    return [None if x is None else bottom + (x - lo) / (hi - lo) * (top - bottom) for x in s]
out["minmax"] = [hexes(minmax(c, sign, b, t)) for c in cols for (sign, b, t) in ((1, 0, 100), (-1, 1, 10))]
def entropy(xs):
    present = [x for x in xs if x is not None]
    total = 0.0
    for x in present: total = total + x
    e = 0.0
    if present and min(present) < 0: present_e = []  # refused before its entropy is used: not compared
    else: present_e = present
    for x in present_e:
        if x > 0:
            p = x / total
            e = e - p * math.log(p)
    return [len(present), float.hex(min(present)) if present else None,
            float.hex(max(present)) if present else None, float.hex(e) if present_e is present else None]
out["entropy"] = [entropy(c) for c in cols]
# the weighted mean of the columns present in each row, taken against the
# row's first value; the last two children are aggregates with missing counts
weights = [0.125, 0.3, 0.05, 0.2, 0.1, 0.0, 0.225, 0.3, 0.15]
lost = [None] * 6 + [[i % 3 for i in range(len(cols[0]))], [i % 2 for i in range(len(cols[0]))], None]
score, missing = [], []
for i in range(len(cols[0])):
    s, w, m, first = 0.0, 0.0, 0, None
    for k, c in enumerate(cols):
        x = c[i]
        if lost[k] is not None: m += lost[k][i]
        elif x is None: m += 1
        if x is not None:
            if first is None: first = x
            s = s + weights[k] * (x - first)
            w = w + weights[k]
    score.append(float.hex(first + s / w) if w > 0 else None)
    missing.append(m)
out["mean"] = {"score": score, "missing": missing}
out["ranks"] = [ranks(c) for c in cols]
print(json.dumps(out))
]==], work .. "/columns.json")
local ok, want = pcall(zb.engine.json_decode, reference)
T.ok(ok and type(want) == "table", "the Python reference ran", reference)
if not ok then T.done() end

local function unhex(v) return v ~= nil and v ~= zb.engine.null and tonumber(v) or nil end

-- The same columns as zb.Vectors (src/bridge/vector.c), as read_columns
-- gives a composite index's data (from its fourth column on): each C
-- loop must read them to the bit as it reads lists.
local vectors = {}
do
  local names, marks, order = {}, {}, {}
  for c = 1, #columns do names[c], marks[c] = "c" .. c, "?" end
  for i = 1, n do order[i] = i end
  zb.db:sql("create temp table vector_columns (" .. table.concat(names, ", ") .. ")")
  core.insert_columns("insert into temp.vector_columns values (" .. table.concat(marks, ", ") .. ")", columns, order)
  local lists = core.read_columns("select * from temp.vector_columns", {n = 0}, n, 1)
  for c = 1, #columns do vectors[c] = lists[c] end
  T.ok(lists.n == n and type(vectors[1]) == "userdata" and #vectors[1] == n, "read_columns: numbers as vectors")
end

-- A vector read and written as a list; a column no vector holds exactly
-- (text, an infinity, an integer past 2^53) comes as a list, as read
do
  zb.db:sql([[create temp table vector_kinds as select * from (values
    ('a', 5, 2.5, 9007199254740993, 1, 1.5, -9007199254740992),
    ('b', NULL, NULL, 1, 'x', 1e999, 9007199254740992),
    ('c', -7, 0.1, 2, 3, 2, NULL))]])
  local lists, numeric = core.read_columns("select * from temp.vector_kinds", {n = 0}, 3, 2)
  local ints, reals, big, text, inf, edge = lists[2], lists[3], lists[4], lists[5], lists[6], lists[7]
  T.ok(type(lists[1]) == "table" and type(ints) == "userdata" and type(reals) == "userdata" and
       type(edge) == "userdata", "read_columns: from the column given on, numbers as vectors (±2^53 held)")
  T.ok(ints[1] == 5 and math.type(ints[1]) == "integer" and ints[2] == nil and ints[3] == -7 and
       reals[1] == 2.5 and math.type(reals[1]) == "float" and reals[3] == 0.1 and
       edge[1] == -9007199254740992 and math.type(edge[2]) == "integer" and edge[2] == 9007199254740992,
       "a vector's entries: integers as integers, reals as floats, NULL as nil")
  T.ok(type(big) == "table" and big[1] == 9007199254740993 and big[2] == 1 and numeric[4] == true,
       "an integer past 2^53 (no double holds it): the column a list, the integer exact")
  T.ok(type(text) == "table" and text[2] == "x" and text[3] == 3 and numeric[5] == false,
       "text among numbers: the column a list, its values as read, not numbers only")
  T.ok(type(inf) == "table" and inf[2] == math.huge and inf[3] == 2 and numeric[6] == false,
       "an infinity: the column a list, not numbers only")
  local seen = {}
  for i, x in ipairs(reals) do seen[i] = x end
  T.ok(#ints == 3 and ints[0] == nil and ints[4] == nil and ints.n == nil and #seen == 1 and seen[1] == 2.5,
       "#v, entries outside 1..n nil, ipairs stops at the first nil as over a list")
  ints[2], reals[1] = 9007199254740992, nil
  ints[3] = 1.25
  T.ok(ints[2] == 9007199254740992 and math.type(ints[2]) == "integer" and reals[1] == nil and ints[3] == 1.25 and
       math.type(ints[3]) == "float", "v[i] = x keeps x's type; v[i] = nil makes it missing")
  T.fails(function() ints[4] = 1 end, "has no entry 4", "a vector's size is fixed")
  T.fails(function() ints[1] = 0 / 0 end, "NaN is how a vector marks a missing value", "NaN is refused")
  T.fails(function() ints[1] = 9007199254740993 end, "an integer within 2^53", "an integer a double cannot hold is refused")
  T.fails(function() ints[1] = "5" end, "number or nil expected, got string", "text is refused, even a number's")
  zb.db:sql("create temp table vector_back (i, r, e)")
  core.insert_columns("insert into temp.vector_back values (?, ?, ?)", {ints, reals, edge}, {3, 2, 1})
  local back = zb.db:sql("select typeof(i) ti, i, typeof(r) tr, r, typeof(e) te, e from temp.vector_back order by rowid")
  T.eq(zb.pretty({back[1].ti, back[1].i, back[1].tr, back[1].r, back[2].ti, back[2].i, back[2].tr, back[3].ti,
                  back[3].i, back[3].te, back[3].e}),
       zb.pretty({"real", 1.25, "real", 0.1, "integer", 9007199254740992, "null", "integer", 5, "integer",
                  -9007199254740992}),
       "insert_columns binds a vector's entries as they are: integers, reals, NULL, in order's rows")
end

local bad
for _, form in ipairs{{"", columns}, {" (from vectors)", vectors}} do
local from, columns = form[1], form[2]  -- luacheck: ignore 421
-- minmax: each column both ways, onto {0, 100} and {1, 10}
local k = 0
bad = nil
for c, xs in ipairs(columns) do
  for _, o in ipairs{{1, 0, 100}, {-1, 1, 10}} do
    k = k + 1
    local got = core.composite_minmax(xs, n, o[1], o[2], o[3])
    for i = 1, n do
      local w = unhex(want.minmax[k][i])
      if got[i] ~= w then bad = bad or string.format("column %d (%s) sign %d row %d: %s, Python %s", c, kinds[c], o[1], i,
                                                      tostring(got[i]), tostring(w)) end
    end
  end
end
T.ok(not bad, "composite_minmax" .. from .. ": each value as Python's to the bit (ties, negatives, nil, constant, one, none)", bad)

bad = nil
for c, xs in ipairs(columns) do
  local count, lo, hi, e = core.composite_entropy(xs, n)
  local w = want.entropy[c]
  local present = count > 0
  if count ~= w[1] or (present and (lo ~= unhex(w[2]) or hi ~= unhex(w[3]))) or (lo >= 0 and e ~= unhex(w[4])) then
    bad = bad or string.format("column %d (%s): %s %s %s %s, Python %s %s %s %s", c, kinds[c], count, lo, hi, e,
                               w[1], tostring(w[2]), tostring(w[3]), w[4])
  end
end
T.ok(not bad, "composite_entropy" .. from .. ": count, lowest, highest and -sum p ln p as Python's to the bit", bad)

local lost = {false, false, false, false, false, false, {}, {}, false}
for i = 1, n do lost[7][i], lost[8][i] = (i - 1) % 3, (i - 1) % 2 end
local score, missing = core.composite_mean(columns, {0.125, 0.3, 0.05, 0.2, 0.1, 0.0, 0.225, 0.3, 0.15}, lost, n)
bad = nil
for i = 1, n do
  local w = unhex(want.mean.score[i])
  if score[i] ~= w then bad = bad or string.format("row %d: %s, Python %s", i, tostring(score[i]), tostring(w)) end
  if missing[i] ~= want.mean.missing[i] or math.type(missing[i]) ~= "integer" then
    bad = bad or string.format("row %d: missing %s, Python %s", i, tostring(missing[i]), want.mean.missing[i])
  end
end
T.ok(not bad, "composite_mean" .. from .. ": each row's weighted mean of the values present and its missing count (an integer) " ..
     "as Python's", bad)

bad = nil
for c, xs in ipairs(columns) do
  local got = core.composite_ranks(xs, n)
  for i = 1, n do
    local w = want.ranks[c][i]
    if w == zb.engine.null then w = nil end
    if got[i] ~= w or (w and math.type(got[i]) ~= "integer") then
      bad = bad or string.format("column %d (%s) row %d: %s, Python %s", c, kinds[c], i, tostring(got[i]), tostring(w))
    end
  end
end
T.ok(not bad, "composite_ranks" .. from .. ": competition ranks, the largest first, ties sharing the first's, as Python's", bad)

end

-- pick: values as they are (text, integers, floats, nil) at the rows given, from lists and from vectors
local ids, rows = {}, {}
for i = 1, n do ids[i] = "r" .. i end
for i = n, 1, -3 do rows[#rows + 1] = i end
local picked = core.composite_pick({ids, columns[1], columns[2]}, rows)
bad = nil
for j, i in ipairs(rows) do
  for c, list in ipairs{ids, columns[1], columns[2]} do
    local got, w = picked[c][j], list[i]
    if got ~= w or math.type(got) ~= math.type(w) then bad = bad or string.format("list %d at row %d", c, i) end
  end
end
T.ok(#picked == 3 and not bad, "composite_pick: each list's values at the rows given, types kept", bad)
local from_vectors = core.composite_pick({vectors[1], vectors[2]}, rows)
bad = nil
for j in ipairs(rows) do
  for c = 1, 2 do
    local got, w = from_vectors[c][j], picked[c + 1][j]
    if got ~= w or math.type(got) ~= math.type(w) then bad = bad or string.format("vector %d at %d", c, j) end
  end
end
T.ok(not bad, "composite_pick from vectors: the same values and types as from the lists", bad)

-- average ranks (R's ties.method = "average", 1 for the smallest) and the
-- sensitivity runs: a framework of two levels of aggregates over the
-- columns (A1 = x1..x3, A2 = x4..x6 and A1, top = x7..x9 and A2), runs of
-- weights each one node's down or up (some of them changing nothing
-- ranked: a weight of 0 times anything), two sets of values (the columns,
-- then each negated) in alternate runs, and a last run ranked already
local children = {{1, 2, 3}, {4, 5, 6, 10}, {7, 8, 9, 11}}
local base = {0.125, 0.3, 0.05, 0.2, 0.1, 0.0, 0.225, 0.3, 0.15, 0.4, 0.6}
local weight_runs = {base}
for node = 1, #base do
  for _, factor in ipairs{0.9, 1.25} do
    local w = {table.unpack(base)}
    w[node] = w[node] * factor
    weight_runs[#weight_runs + 1] = w
  end
end
local negated = {}
for k, xs in ipairs(columns) do
  negated[k] = {}
  for i = 1, n do negated[k][i] = xs[i] and -xs[i] end
end
local given_ranks = {}
for i = 1, n do given_ranks[i] = i % 7 ~= 0 and (i * 37) % n + 1 or nil end
local runs = 2 * #weight_runs + 1
local ps = {0.5, 0.05, 0.95, 0, 1, 1 / 3, 0.99}
local function json_rows(rows)
  local out = {}
  for k, row in ipairs(rows) do
    local cells = {}
    for i = 1, #row do cells[i] = string.format('"%a"', row[i]) end
    out[k] = "[" .. table.concat(cells, ",") .. "]"
  end
  return "[" .. table.concat(out, ",") .. "]"
end
local given_json = {}
for i = 1, n do given_json[i] = given_ranks[i] and tostring(given_ranks[i]) or "null" end
T.write(work .. "/runs.json", string.format('{"weights": %s, "ps": %s, "given": [%s]}', json_rows(weight_runs),
                                            json_rows({ps}), table.concat(given_json, ",")))
local runs_reference = T.python([==[
import json, math, sys
sys.path.insert(0, "tests/lib")
from competition_ranks import ranks  # the largest first, a value within 1e-12 of its tie's first sharing its rank
cols = [[None if v is None else float.fromhex(v) for v in c] for c in json.load(open(sys.argv[1]))]
spec = json.load(open(sys.argv[2]))
weights = [[float.fromhex(w) for w in row] for row in spec["weights"]]
ps = [float.fromhex(p) for p in spec["ps"][0]]
n = len(cols[0])
out = {}
def average_ranks(c):
    present = sorted(x for x in c if x is not None)
    first, last = {}, {}
    for place, x in enumerate(present, 1):
        first.setdefault(x, place)
        last[x] = place
    return [None if x is None else float.hex((first[x] + last[x]) / 2) for x in c], len(present)
out["average"] = [average_ranks(c) for c in cols]
children = [[0, 1, 2], [3, 4, 5, 9], [6, 7, 8, 10]]
def mean(columns, ws):  # each row's weighted mean of the values present, against its first
    score = []
    for i in range(n):
        s, w, first = 0.0, 0.0, None
        for c, weight in zip(columns, ws):
            x = c[i]
            if x is None: continue
            if first is None: first = x
            s = s + weight * (x - first)
            w = w + weight
        score.append(first + s / w if w > 0 else None)
    return score
def run(values, ws):
    nodes = list(values)
    for kids in children:
        nodes.append(mean([nodes[c] for c in kids], [ws[c] for c in kids]))
    return ranks(nodes[-1])
negated = [[None if x is None else -x for x in c] for c in cols]
all_runs = []
for ws in weights:
    all_runs.append(run(cols, ws))
    all_runs.append(run(negated, ws))
all_runs.append(spec["given"])
summary = {"nominal": [], "best": [], "worst": [], "count": [], "places": [[] for p in ps]}
for i in range(n):
    v = sorted(r[i] for r in all_runs if r[i] is not None)
    summary["nominal"].append(all_runs[0][i])
    summary["count"].append(len(v))
    summary["best"].append(v[0] if v else None)
    summary["worst"].append(v[-1] if v else None)
    for k, p in enumerate(ps):
        if not v:
            summary["places"][k].append(None)
            continue
        h = (len(v) - 1) * p  # numpy's linear (type 7) position
        below = math.floor(h)
        if below + 1 >= len(v): summary["places"][k].append([v[-1], None, None])
        else: summary["places"][k].append([v[below], v[below + 1], float.hex(h - below)])
out["summary"] = summary
print(json.dumps(out))
]==], work .. "/columns.json", work .. "/runs.json")
local ok_runs, want_runs = pcall(zb.engine.json_decode, runs_reference)
T.ok(ok_runs and type(want_runs) == "table", "the Python reference of the runs ran", runs_reference)
if not ok_runs then T.done() end
local null = zb.engine.null
local function value(v) if v ~= null then return v end end

bad = nil
for c, xs in ipairs(columns) do
  local got, count = core.composite_average_ranks(xs, n)
  local w = want_runs.average[c]
  if count ~= w[2] then bad = bad or string.format("column %d: %s ranked, Python %s", c, count, w[2]) end
  for i = 1, n do
    local expected = unhex(w[1][i])
    if got[i] ~= expected or (expected and math.type(got[i]) ~= "float") then
      bad = bad or string.format("column %d (%s) row %d: %s, Python %s", c, kinds[c], i, tostring(got[i]),
                                 tostring(expected))
    end
  end
end
T.ok(not bad, "composite_average_ranks: ranks from the smallest, ties sharing their places' average, as Python's", bad)
local huge, at = core.composite_average_ranks({1, math.tointeger(2 ^ 53), math.tointeger(2 ^ 53) + 1, 3}, 4)
T.ok(huge == nil and at == 3, "composite_average_ranks: an integer beyond 2^53 gives nil and its place, no ranks",
     tostring(huge) .. " " .. tostring(at))

local jobs = {{columns = columns, weights = weight_runs, first = 1, step = 2},
              {columns = negated, weights = weight_runs, first = 2, step = 2},
              {ranks = given_ranks, run = runs}}
local s = core.composite_sensitivity(jobs, n, runs, children, ps)
local want_s = want_runs.summary
bad = nil
for i = 1, n do
  for _, field in ipairs{"nominal", "best", "worst", "count"} do
    if s[field][i] ~= value(want_s[field][i]) then
      bad = bad or string.format("%s of row %d: %s, Python %s", field, i, tostring(s[field][i]), tostring(want_s[field][i]))
    end
  end
  for k in ipairs(ps) do
    local w, place = want_s.places[k][i], s.places[k]
    local lower, upper, fraction = place.lower[i], place.upper[i], place.fraction[i]
    if w == null then w = {} end
    if lower ~= value(w[1]) or upper ~= value(w[2]) or fraction ~= unhex(w[3]) then
      bad = bad or string.format("p %s of row %d: %s %s %s, Python %s %s %s", ps[k], i, tostring(lower), tostring(upper),
                                 tostring(fraction), tostring(w[1]), tostring(w[2]), tostring(w[3]))
    end
  end
end
T.ok(#s.places == #ps and not bad, string.format("composite_sensitivity: %d runs (two sets of values, a run ranked " ..
     "already): each region's nominal, best and worst rank, count and where each p's quantile lies, as Python's", runs),
     bad)
T.fails(function() core.composite_sensitivity(jobs, n, runs + 1, children, ps) end, "every run given",
        "composite_sensitivity: a run no job gives is refused")
T.fails(function() core.composite_sensitivity(jobs, n, runs, {{1, 2, 3}, {4, 5, 6, 12}, {7, 8, 9, 11}}, ps) end,
        "an aggregate before its parent", "composite_sensitivity: a child after its parent is refused")
T.fails(function() core.composite_sensitivity({jobs[1], jobs[1]}, n, runs, children, ps) end, "each run once",
        "composite_sensitivity: a run given twice is refused")
T.fails(function() core.composite_sensitivity(jobs, n, runs, children, {0.5, -0.1}) end, "each p a number from 0 to 1",
        "composite_sensitivity: a p below 0 is refused")
T.fails(function() core.composite_sensitivity({{columns = {}, weights = {base}, first = 1, step = 1}}, n, 1, children, ps)
        end, "a value list an indicator", "composite_sensitivity: values of no indicator are refused")

T.fails(function() core.composite_minmax(columns[1], -1, 1, 0, 100) end, "a list's size", "a negative size is refused")
T.done()
