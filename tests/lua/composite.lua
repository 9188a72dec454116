-- Composite indices (issue 20): zb.framework, t:normalise, t:weights,
-- t:aggregate and t:composite against an independent implementation
-- written from the formulas in Python (numpy and pandas: nanmin, std
-- with ddof 1, Series.rank, DataFrame.corr over pairwise-complete rows),
-- on generated data with ties, a constant indicator, missing and
-- negative values, in a framework of three levels read from a CSV with
-- COINr's columns.  Then a published worked example of the entropy
-- method, and the errors that name what is wrong.  Seeded (ZB_SEED
-- repeats a run).
local T = require("check")
if not T.have_python("pandas") then T.done() end
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
local work = T.tmpdir()

-- The framework: index > econ (> growth, wealth), soc, env; indicators
-- under each, directions of both signs (one written 逆向), given weights.
local fw_lines = {"iCode,iName,Level,Parent,Direction,Weight,Type",
  "index,指数,4,,,,Aggregate",
  "econ,经济,3,index,,2,Aggregate", "soc,社会,2,index,,1,Aggregate", "env,环境,2,index,,1.5,Aggregate",
  "growth,增长,2,econ,,1,Aggregate", "wealth,富裕,2,econ,,3,Aggregate",
  "gdp_growth,GDP增速,1,growth,1,1,Indicator", "invest,投资,1,growth,1,2,Indicator",
  "income,收入,1,wealth,1,1,Indicator", "gap,城乡差距,1,wealth,逆向,1,Indicator", "flat,常数,1,wealth,1,0.5,Indicator",
  "doctors,医生,1,soc,1,1,Indicator", "schools,学校,1,soc,1,1,Indicator",
  "pm25,PM2.5,1,env,-1,2,Indicator", "green,绿化,1,env,1,1,Indicator"}
T.write(work .. "/framework.csv", table.concat(fw_lines, "\n") .. "\n")
local indicators = {"gdp_growth", "invest", "income", "gap", "flat", "doctors", "schools", "pm25", "green"}

-- Data: integers from a short range (ties), negatives, about one value
-- in eight missing (never a whole column), flat constant; positive = true:
-- every value above 0 (for the ratio to the best).
local function data(path, n, positive, complete)
  local lines = {"region," .. table.concat(indicators, ",")}
  for i = 1, n do
    local cells = {"r" .. i}
    for k, code in ipairs(indicators) do
      local v
      if code == "flat" then v = 0.7  -- its mean may miss 0.7 by a rounding: a constant all the same
      elseif i > 3 and not complete and math.random() < 0.125 then v = nil
      elseif positive then v = math.random(1, 40) * (k % 2 == 0 and 1 or 0.5)
      else v = math.random(-20, 30) * (k % 3 == 0 and 1.5 or 1) end
      cells[#cells + 1] = v and tostring(v) or ""
    end
    lines[#lines + 1] = table.concat(cells, ",")
  end
  T.write(path, table.concat(lines, "\n") .. "\n")
end
local n = math.random(8, 40)
data(work .. "/mixed.csv", n)
data(work .. "/positive.csv", n, true)
data(work .. "/complete.csv", n, false, true)
local fw_table = zb.read_csv(work .. "/framework.csv")
local fw = zb.framework(fw_table)
local mixed, positive = zb.read_csv(work .. "/mixed.csv"), zb.read_csv(work .. "/positive.csv")

local goalposts = {}
for _, code in ipairs(indicators) do goalposts[code] = {math.random(-10, 0), math.random(15, 35)} end

-- The runs: data, normalisation, weights, aggregation, range.
local runs = {
  {"mixed", "minmax", "equal", "mean"}, {"mixed", "minmax", "given", "mean"}, {"mixed", "minmax", "entropy", "mean"},
  {"mixed", "minmax", "critic", "mean"}, {"positive", "minmax", "cv", "mean"}, {"mixed", "zscore", "equal", "mean"},
  {"mixed", "zscore", "critic", "mean"}, {"mixed", "rank", "entropy", "geometric"},
  {"mixed", "percentile", "critic", "mean"}, {"positive", "best", "cv", "harmonic"},
  {"positive", "best", "entropy", "geometric"}, {"mixed", "goalposts", "given", "geometric", {1, 100}},
  {"mixed", "minmax", "entropy", "harmonic", {1, 100}}, {"positive", "minmax", "cv", "mean", {-1, 1}},
  {"positive", "best", "given", {[2] = "geometric", [3] = "harmonic", [4] = "mean"}},
  {"positive", "reference", "entropy", "mean"}, {"positive", "reference", "equal", "geometric", {0, 1}},
  {"mixed", "minmax", "pca", "mean"}, {"mixed", "zscore", "pca", "mean"}, {"mixed", "minmax", "equal", "copeland"},
  {"mixed", "rank", "given", {[2] = "copeland", [3] = "mean", [4] = "copeland"}},
}
-- Every combination t:sensitivity runs below, last among the runs
local sensitivity_from = #runs + 1
for _, method in ipairs{"rank", "best"} do
  for _, weights in ipairs{"equal", "given", "cv"} do
    for _, mean in ipairs{"mean", "geometric", "harmonic"} do runs[#runs + 1] = {"positive", method, weights, mean} end
  end
end
-- A run's means as JSON and as words: one name, or one by level.
local function means_json(m)
  if type(m) == "string" then return '"' .. m .. '"' end
  return string.format('{"2": "%s", "3": "%s", "4": "%s"}', m[2], m[3], m[4])
end
local function means_words(m)
  return type(m) == "string" and m or string.format("%s/%s/%s by level", m[2], m[3], m[4])
end

local reference = T.python([==[
import json, sys, warnings
import numpy as np, pandas as pd
sys.path.insert(0, "tests/lib")
from objective_weights import degree
warnings.simplefilter("ignore")  # a node with nothing present: nan, as intended
fw = pd.read_csv(sys.argv[1], dtype={"Direction": str})
sets = {"mixed": pd.read_csv(sys.argv[2]), "positive": pd.read_csv(sys.argv[3])}
runs, goalposts = json.loads(sys.argv[4]), json.loads(sys.argv[5])
direction = {"1": 1, "-1": -1, "正向": 1, "逆向": -1}
top = fw.loc[fw.Parent.isna(), "iCode"].iloc[0]
children = {c: list(fw.loc[fw.Parent == c, "iCode"]) for c in fw.iCode}
is_ind = dict(zip(fw.iCode, fw.Type == "Indicator"))
level = dict(zip(fw.iCode, fw.Level))
given = dict(zip(fw.iCode, fw.Weight))
inds = [c for c in fw.iCode if is_ind[c]]
order = []  # aggregates, children before parents
def post(c):
    for k in children[c]:
        post(k)
    if not is_ind[c]:
        order.append(c)
post(top)

up = dict(zip(fw.iCode, fw.Parent))
def corr(a, b):  # over the rows both have; none when either is constant there (pandas gives a rounding's residue)
    both = ~np.isnan(a) & ~np.isnan(b)
    if both.sum() < 2 or np.unique(a[both]).size < 2 or np.unique(b[both]).size < 2:
        return None
    return float(pd.Series(a[both]).corr(pd.Series(b[both])))

def normalise(x, method, d, lo_hi, gp):
    lo, hi = lo_hi
    if method == "best":
        return (x / np.nanmax(x) if d > 0 else np.nanmin(x) / x) * hi
    if method == "reference":  # region r2, never missing
        return (x / x[1] if d > 0 else x[1] / x) * hi
    if method == "goalposts":
        a, b = gp
        f = (x - a) / (b - a) if d > 0 else (b - x) / (b - a)
        return lo + np.clip(f, 0, 1) * (hi - lo)
    x = x * d
    if method == "minmax":
        mn, mx = np.nanmin(x), np.nanmax(x)
        return np.full(len(x), np.nan) if mx == mn else lo + (x - mn) / (mx - mn) * (hi - lo)
    if method == "zscore":
        sd = np.nanstd(x, ddof=1)
        return np.full(len(x), np.nan) if np.nanmax(x) == np.nanmin(x) else (x - np.nanmean(x)) / sd
    r = pd.Series(x).rank(method="average").to_numpy()
    if method == "rank":
        return r
    return (r - 1) / (np.sum(~np.isnan(x)) - 1)

def objective(method, df, raw):
    d = {}
    for c in inds:
        if method in ("entropy", "cv"):
            d[c] = degree((raw if method == "cv" else df)[c], method)
        elif df[c].nunique() < 2:  # pca's and critic's: a constant indicator's 0, the others' below
            d[c] = 0.0
    if method == "pca":  # numpy's eigh of pandas' pairwise correlations: the largest eigenvalue's vector, squared
        live = [c for c in inds if df[c].nunique() > 1]
        vals, vecs = np.linalg.eigh(df[live].corr().to_numpy())
        for k, c in enumerate(live):
            d[c] = vecs[k, np.argmax(vals)] ** 2
    if method == "critic":
        live = [c for c in inds if df[c].nunique() > 1]
        r = df[live].corr()
        for c in live:
            d[c] = df[c].std(ddof=1) * sum(1 - r.loc[c, k] for k in live if k != c)
    total = sum(d.values())
    w = {c: d[c] / total for c in inds}
    for a in order:
        w[a] = sum(w[k] for k in children[a])
    return w

def relative(w):
    rel = {top: 1.0}
    for a in order:
        s = sum(w[k] for k in children[a])
        for k in children[a]:
            rel[k] = w[k] / s if s > 0 else 0.0
    return rel

out = {}
for i, run in enumerate(runs):
    name, method, weights, mean = run[:4]
    lo_hi = run[4] if len(run) > 4 else [0, 100]
    raw = sets[name]
    df = pd.DataFrame({c: normalise(raw[c].to_numpy(dtype=float), method,
                                    direction[str(fw.loc[fw.iCode == c, "Direction"].iloc[0])], lo_hi, goalposts.get(c))
                       for c in inds})
    if weights == "equal":
        rel = relative({c: 1.0 for c in fw.iCode})
    elif weights == "given":
        rel = relative({c: (given[c] if not np.isnan(given[c]) else 1.0) for c in fw.iCode})
    else:
        rel = relative(objective(weights, df, raw))
    score = {c: df[c].to_numpy() for c in inds}
    missing = {c: (np.isnan(df[c].to_numpy())).astype(int) for c in inds}
    means = mean
    for a in order:
        mean = means if isinstance(means, str) else means[str(level[a])]
        xs = np.array([score[k] for k in children[a]])
        ws = np.array([rel[k] for k in children[a]])[:, None] * ~np.isnan(xs)
        x0 = np.nan_to_num(xs, nan=1.0)
        if mean == "copeland":  # wins less losses: the weights where one is higher against the other's
            m = len(xs[0])
            s = np.zeros(m)
            for p in range(m):
                for q in range(m):
                    both = ~np.isnan(xs[:, p]) & ~np.isnan(xs[:, q])
                    scale = np.nanmax(np.abs(xs), axis=1, initial=0)[both]  # equal within 1e-12 of a child's largest
                    d = xs[both, p] - xs[both, q]
                    margin = np.sum(ws[both, p] * np.sign(d) * (np.abs(d) > 1e-12 * scale))
                    s[p] += 1 if margin > 1e-12 else -1 if margin < -1e-12 else 0
        elif mean == "mean":
            s = np.sum(ws * np.nan_to_num(xs), axis=0) / np.sum(ws, axis=0)
        elif mean == "geometric":
            s = np.exp(np.sum(ws * np.log(x0), axis=0) / np.sum(ws, axis=0))
        else:
            s = np.sum(ws, axis=0) / np.sum(ws / x0, axis=0)
        s[np.sum(ws, axis=0) == 0] = np.nan
        score[a] = s
        missing[a] = np.sum([missing[k] for k in children[a]], axis=0)
    rank = pd.Series(score[top]).rank(method="min", ascending=False)
    out[str(i + 1)] = {"score": {c: [None if np.isnan(v) else float(v) for v in s] for c, s in score.items()},
                       "missing": {a: [int(v) for v in missing[a]] for a in order},
                       "rank": [None if np.isnan(v) else int(v) for v in rank], "weights": rel,
                       "corr": {c: [corr(score[c], score[up[c]]), corr(score[c], score[top])]
                                for c in fw.iCode if c != top}}
first = int(sys.argv[6])
R = np.array([[np.nan if v is None else v for v in out[str(i)]["rank"]] for i in range(first, len(runs) + 1)])
S = np.array([out[str(i)]["score"][top] for i in range(first, len(runs) + 1)], dtype=float)
alone = [bool(all(np.sum(np.isclose(S[k], S[k][j], rtol=1e-9, atol=0)) == 1 for k in range(len(S))))
         for j in range(R.shape[1])]
out["sensitivity"] = {"nominal": list(R[0]), "median": list(np.median(R, axis=0)),
                      "p5": list(np.percentile(R, 5, axis=0)), "p95": list(np.percentile(R, 95, axis=0)),
                      "best": list(R.min(axis=0)), "worst": list(R.max(axis=0)), "alone": alone}
print(json.dumps(out, default=float))  # numpy's scalars as numbers
]==], work .. "/framework.csv", work .. "/mixed.csv", work .. "/positive.csv",
   (function()
     local parts = {}
     for i, run in ipairs(runs) do
       parts[i] = string.format('["%s", "%s", "%s", %s%s]', run[1], run[2], run[3], means_json(run[4]),
                                run[5] and string.format(", [%d, %d]", run[5][1], run[5][2]) or "")
     end
     return "[" .. table.concat(parts, ", ") .. "]"
   end)(),
   (function()
     local parts = {}
     for code, g in pairs(goalposts) do parts[#parts + 1] = string.format('"%s": [%d, %d]', code, g[1], g[2]) end
     return "{" .. table.concat(parts, ", ") .. "}"
   end)(), tostring(sensitivity_from))
local ok, ref = pcall(function() return zb.engine.json_decode(reference) end)
T.ok(ok and type(ref) == "table", "the Python reference ran", reference)
if not ok then T.done() end

-- Whether a and b (numbers or nil) agree to 1e-9 relative.
local function near(a, b)
  if a == nil or b == nil then return a == b end
  return math.abs(a - b) <= 1e-9 * math.max(1, math.abs(a), math.abs(b))
end

local codes = {}
for _, node in ipairs(fw.nodes) do codes[#codes + 1] = node.code end
for i, run in ipairs(runs) do
  local t = run[1] == "mixed" and mixed or positive
  local label = table.concat({run[1], run[2], run[3], means_words(run[4])}, " ") .. (run[5] and " range " .. run[5][1] .. ".." .. run[5][2] or "")
  local got = t:composite{framework = fw, id = "region", normalise = run[2], weights = run[3], aggregate = run[4],
                          range = run[5], goalposts = run[2] == "goalposts" and goalposts or nil,
                          reference = run[2] == "reference" and "r2" or nil}
  local want = ref[tostring(i)]
  local bad, rows, index = nil, 0, {}
  for r in got:rows() do index[tonumber(r.region:sub(2))] = r.index end
  for r in got:rows() do
    rows = rows + 1
    local k = tonumber(r.region:sub(2))
    for _, code in ipairs(codes) do
      local w = want.score[code][k]
      if not near(r[code], w) then bad = bad or string.format("%s at %s: %s, Python %s", code, r.region, r[code], w) end
    end
    for a, counts in pairs(want.missing) do
      if r["missing_" .. a] ~= counts[k] then bad = bad or string.format("missing_%s at %s", a, r.region) end
    end
    -- ranks where every other score within 1e-9 is an exact tie in both
    -- (a tie the two computations round apart, or a near-tie, may fall either way)
    local alone = true
    for j, s in ipairs(want.score.index) do
      if j ~= k and near(s, want.score.index[k]) and (s ~= want.score.index[k] or index[j] ~= index[k]) then
        alone = false
      end
    end
    if alone and r.rank ~= want.rank[k] then bad = bad or string.format("rank at %s: %s, Python %s", r.region, r.rank, want.rank[k]) end
  end
  T.ok(rows == n and not bad, "composite " .. label .. ": every node's score, missing counts and rank as numpy's", bad)
  local off
  for r in got:correlations{framework = fw, id = "region"}:rows() do
    local c = want.corr[r.code]
    if not (near(r.r_parent, c[1]) and near(r.r_index, c[2])) then
      off = off or string.format("%s: %s %s, pandas %s %s", r.code, r.r_parent, r.r_index, c[1], c[2])
    end
  end
  T.ok(not off, "correlations " .. label .. ": each node's r with its parent and the index as pandas'", off)
  -- the steps alone give the same: normalise, then weights from the normalised values (cv: the raw)
  if run[2] ~= "goalposts" and not run[5] then
    local normalised = t:normalise{framework = fw, id = "region", method = run[2],
                                   reference = run[2] == "reference" and "r2" or nil}
    local w = (run[3] == "cv" and t or normalised):weights{framework = fw, id = "region", method = run[3]}
    local wrong
    for r in w:rows() do
      if not near(r.weight, want.weights[r.code]) then wrong = wrong or string.format("%s: %s, Python %s", r.code, r.weight, want.weights[r.code]) end
    end
    T.ok(not wrong, "weights " .. label .. ": each node's weight within its parent as numpy's", wrong)
    local steps = normalised:aggregate{framework = fw, id = "region", weights = w, method = run[4]}
    local same = true
    for r in steps:rows() do
      local k = tonumber(r.region:sub(2))
      local want_index = want.score.index[k]
      same = same and near(r.index, want_index)
    end
    T.ok(same, "normalise, weights and aggregate one by one give " .. label .. "'s index")
  end
end

-- Rank changes between two methods (runs 1 and 3: equal and entropy
-- weights) against the reference's ranks, where neither index ties
do
  local function alone(run, k)
    local scores = ref[tostring(run)].score.index
    for j, v in ipairs(scores) do
      if j ~= k and near(v, scores[k]) then return false end
    end
    return scores[k] ~= nil
  end
  local equal = mixed:composite{framework = fw, id = "region", weights = "equal"}
  local entropy = mixed:composite{framework = fw, id = "region", weights = "entropy"}
  local bad, compared = nil, 0
  for r in equal:rank_changes{with = entropy, id = "region"}:rows() do
    local k = tonumber(r.region:sub(2))
    if alone(1, k) and alone(3, k) then
      compared = compared + 1
      local want = ref["3"].rank[k] - ref["1"].rank[k]
      if r.diff ~= want or r.abs_diff ~= math.abs(want) then
        bad = bad or string.format("%s: %s, numpy %s", r.region, r.diff, want)
      end
    end
  end
  T.ok(compared > 0 and not bad, "rank_changes from equal to entropy weights: each region's as numpy's ranks give", bad)
  T.fails(function() return equal:rank_changes{with = mixed, id = "region"} end, "with needs columns region and rank",
          "rank_changes of a table that is not scores")
end

-- Sensitivity: each region's rank over the 18 combinations, against numpy's
-- median and percentiles (linear, R's type 7) of the reference's ranks,
-- for the regions whose index ties with no other's in any run
do
  local sens = ref.sensitivity
  local wrong, compared = nil, 0
  for r in positive:sensitivity{framework = fw, id = "region", normalise = {"rank", "best"},
                                weights = {"equal", "given", "cv"}, aggregate = {"mean", "geometric", "harmonic"}}:rows() do
    local k = tonumber(r.region:sub(2))
    if sens.alone[k] then
      compared = compared + 1
      for _, col in ipairs{"nominal", "median", "p5", "p95", "best", "worst"} do
        if not near(r[col], sens[col][k]) then
          wrong = wrong or string.format("%s at %s: %s, numpy %s", col, r.region, r[col], sens[col][k])
        end
      end
      if r.runs ~= 18 then wrong = wrong or "runs at " .. r.region .. ": " .. r.runs end
    end
  end
  T.ok(compared > 0 and not wrong, string.format("sensitivity over 18 runs: nominal, median, p5, p95, best and worst " ..
       "rank as numpy's (%d regions without a near-tie)", compared), wrong)
end

-- A constant indicator: weight 0 and a note, never a division by zero
local normalised = mixed:normalise{framework = fw, id = "region"}
for _, method in ipairs{"entropy", "critic", "cv", "pca"} do
  local flat = positive:weights{framework = fw, id = "region", method = method}:where{code = "flat"}:rows()()
  T.ok(flat.weight == 0 and flat.note == "constant: weight 0", method .. ": the constant indicator gets 0 and a note")
  flat = normalised:weights{framework = fw, id = "region", method = method}:where{code = "flat"}:rows()()
  T.ok(flat.weight == 0 and flat.note:find("no values %(a constant"), method .. ": normalised to NULL, 0 and a note")
end
T.ok(normalised:select("flat"):where("flat IS NOT NULL"):count() == 0, "minmax of a constant indicator is NULL")

-- Directions written 正向 / 逆向 are 1 / -1; zb's own lower-case names are COINr's
local function framework_with(gap_direction, pm_direction)
  local rows = {}
  for r in fw_table:rows() do
    rows[#rows + 1] = {code = r.iCode, parent = r.Parent, weight = r.Weight, type = r.Type,
                       direction = r.iCode == "gap" and gap_direction or r.iCode == "pm25" and pm_direction
                                   or r.Direction}
  end
  return zb.framework(rows)
end
local a = mixed:composite{framework = framework_with(-1, "逆向"), id = "region", weights = "entropy"}
local b = mixed:composite{framework = framework_with("逆向", -1), id = "region", weights = "entropy"}
T.eq(zb.render(a, {mode = "csv"}), zb.render(b, {mode = "csv"}), "逆向 is -1, in a Lua framework of lower-case names")

-- A framework's faults, each an error naming it
local function framework_error(rows, text, name, opts)
  T.fails(function() return zb.framework(rows, opts) end, text, name)
end
local base = {{iCode = "index"}, {iCode = "d1", Parent = "index", Weight = 1}, {iCode = "x", Parent = "d1", Direction = 1, Weight = 0.6},
              {iCode = "y", Parent = "d1", Direction = -1, Weight = 0.4}}
local function with(extra, drop)
  local rows = {}
  for _, r in ipairs(base) do
    if r.iCode ~= drop then rows[#rows + 1] = r end
  end
  for _, r in ipairs(extra) do rows[#rows + 1] = r end
  return rows
end
framework_error(with({{iCode = "z", Parent = "d9", Direction = 1}}), "the parent d9 of z is not a code", "an unknown parent")
framework_error(with({{iCode = "p", Parent = "q"}, {iCode = "q", Parent = "p"}}), "a cycle: p → q → p", "a cycle")
framework_error(with({{iCode = "d2", Parent = "index", Type = "Aggregate"}}), "the dimension d2 is empty", "an empty dimension")
framework_error(with({{iCode = "z", Parent = "d1"}}), "the indicator z has no direction", "a missing direction")
framework_error(with({{iCode = "z", Parent = "d1", Direction = "适度"}}), "the indicator z is 适度 (a target band): give " ..
                "TargetLow and TargetHigh", "a band without its bounds")
framework_error(with({{iCode = "z", Parent = "d1", Direction = "适度", TargetLow = 3, TargetHigh = 2}}),
                "give TargetLow and TargetHigh, low <= high (got 3 and 2)", "a band upside down")
framework_error(with({{iCode = "z", Parent = "d1", Direction = 1, TargetLow = 3}}),
                "the indicator z has TargetLow or TargetHigh but direction 1", "a band's bounds on a positive indicator")
framework_error(with({{iCode = "z", Parent = "d1", Direction = "up"}}), "the indicator z has direction up; give 1",
                "an unknown direction")
framework_error(with({{iCode = "top2"}}), "2 top nodes (index, top2)", "two tops")
framework_error(with({{iCode = "x", Parent = "d1", Direction = 1}}), "the code x is there twice", "a code twice")
framework_error(with({{iCode = "z", Parent = "d1", Direction = 1, Weight = 0.1}}), "the weights under d1 sum to 1.1, not 1",
                "weights that do not sum as stated", {sum = 1})
framework_error(with({{iCode = "z", Parent = "d1", Direction = 1, Weight = -1}}), "the weight of z is -1", "a negative weight")
framework_error(with({{iCode = "z", Parent = "d1", Direction = 1, Level = 2, Type = "Indicator"}}), "z has Level 2", "a level out of place")
framework_error(with({{iCode = "z", Parent = "d1", Direction = 1, Level = 1.5}}),
                "z has Level 1.5; a level is a whole number, 1 for an indicator",
                "a level not whole named as such (it said 'the dimension z is empty')")
framework_error(with({{iCode = "d1", Parent = "index", Direction = -1}}, "d1"), "the dimension d1 has direction -1",
                "a direction on a dimension")
T.ok(pcall(zb.framework, base, {sum = 1}), "weights that sum as stated pass")

-- The data's faults
local small = zb.framework(base)
local t = zb.sql("select 'a' as region, 1 as x, 2 as y union all select 'b', 3, 0 union all select 'c', 2, 1")
T.fails(function() return t:composite{framework = zb.framework(with({{iCode = "z", Parent = "d1", Direction = 1}})),
                                      id = "region"} end, "the framework's indicator z is not a column", "an indicator not in the data")
T.fails(function() return t:union(t:where{region = "a"}, "all"):composite{framework = small, id = "region"} end,
        "region = a is there twice", "a region twice")
T.fails(function() return t:mutate{x = "'n/a'"}:composite{framework = small, id = "region"} end,
        "column x holds n/a (at region = a), not a number", "text among the numbers")
T.fails(function() return t:composite{framework = small, id = "region", aggregate = "geometric"} end,
        "x of region = a is 0; the geometric mean needs positive values", "a geometric mean of 0, region and indicator named")
do  -- the first value refused, by the children's order and then the rows': b's -1 in row 3, not c's -5 in row 1
  local signs = zb.sql([[select 'p' as region, 1 as a, 2 as b, -5 as c union all select 'q', 2, 3, 1
                         union all select 'r', 3, -1, 1]])
  T.fails(function() return signs:aggregate{columns = {"a", "b", "c"}, id = "region", method = "harmonic"} end,
          "b of region = r is -1; the harmonic mean needs positive values",
          "a harmonic mean of a negative value: the first child's, then the first row's, named")
end
T.fails(function() return t:composite{framework = small, id = "region", normalise = "zscore", weights = "entropy"} end,
        "the entropy method needs values of 0 or more", "entropy over negative values")
T.fails(function() return t:composite{framework = small, id = "region", weights = {x = 1, y = 1, d1 = 1, w = 2}} end,
        "weights has w, not a code of the framework", "a weight for an indicator that does not exist")
T.fails(function() return t:composite{framework = small, id = "region", ranks = "every"} end,
        "composite: ranks must be \"top\" | \"all\" (the index's, or every dimension's too), got every",
        "ranks other than top or all refused")
do  -- t:aggregate{ranks = "all"}: each dimension's competition rank, against exact fractions (ties on purpose)
  local cells = {}
  for i = 1, 40 do
    cells[i] = string.format("('r%d', %d, %d, %d)", i, math.random(0, 4), math.random(0, 4), math.random(0, 4))
  end
  local normalised = zb.sql("select column1 as region, column2 as x, column3 as y, column4 as z from (values " ..
                            table.concat(cells, ", ") .. ")")
  local two = zb.framework{{iCode = "index"}, {iCode = "p", Parent = "index", Weight = 1},
    {iCode = "q", Parent = "index", Weight = 2}, {iCode = "x", Parent = "p", Direction = 1, Weight = 1},
    {iCode = "y", Parent = "p", Direction = 1, Weight = 3}, {iCode = "z", Parent = "q", Direction = 1, Weight = 1}}
  local lines = {}
  for r in normalised:rows() do lines[#lines + 1] = table.concat({r.region, r.x, r.y, r.z}, ",") end
  local exact = zb.engine.json_decode(T.python([==[
import json, sys
from fractions import Fraction as F
rows = [r.split(",") for r in sys.argv[1].split(";")]
p = {r[0]: (F(r[1]) * 1 + F(r[2]) * 3) / 4 for r in rows}
q = {r[0]: F(r[3]) for r in rows}
rank = lambda s, k: 1 + sum(1 for v in s.values() if v > s[k])
print(json.dumps({r[0]: {"rank_p": rank(p, r[0]), "rank_q": rank(q, r[0])} for r in rows}))
]==], table.concat(lines, ";")))
  local bad, rows = nil, 0
  for r in normalised:aggregate{framework = two, id = "region", weights = "given", ranks = "all"}:rows() do
    rows = rows + 1
    for _, c in ipairs{"rank_p", "rank_q"} do
      if r[c] ~= exact[r.region][c] then bad = bad or string.format("%s of %s: %s, exactly %s", c, r.region, r[c],
                                                                     exact[r.region][c]) end
    end
  end
  T.ok(rows == 40 and not bad, "t:aggregate{ranks = \"all\"}: each dimension's rank as exact fractions rank it " ..
       "(ties sharing the better rank)", bad)
end
T.fails(function() return t:composite{framework = small, id = "region", weights = {x = 0 / 0, y = 1, d1 = 1}} end,
        "the weight of x is NaN; weights are finite numbers, 0 or more",
        "a NaN weight given refused, named (the message's number failed, an internal error)")
T.fails(function() return t:composite{framework = small, id = "region", weights = {x = math.huge, y = 1, d1 = 1}} end,
        "the weight of x is inf; weights are finite numbers, 0 or more", "an infinite weight given refused")
T.fails(function() return zb.framework{{iCode = "i"}, {iCode = "x", Parent = "i", Direction = 1, Weight = 0 / 0}} end,
        "framework: the weight of x is NaN; weights are finite numbers, 0 or more",
        "a framework's NaN weight named as NaN (it printed -nan)")
T.fails(function() return t:composite{framework = small, id = "region", weights = {x = 0, y = 0, d1 = 1}} end,
        "the weights under d1 are all 0 (x 0, y 0): it would have no score", "weights all 0 under a node: no NULL index")
do
  local zeros = zb.framework{{iCode = "i"}, {iCode = "x", Parent = "i", Direction = 1, Weight = 0},
                             {iCode = "y", Parent = "i", Direction = 1, Weight = 0}}
  T.fails(function() return t:composite{framework = zeros, id = "region", weights = "given"} end,
          "the weights under i are all 0 (x 0, y 0)", "the framework's weights all 0 under a node")
  T.eq(t:composite{framework = zeros, id = "region"}:where("i IS NULL"):count(), 0,
       "the framework's zero weights unused by equal weights")
end
do  -- CRITIC's degree sd × Σ(1 - r) is 0 for indicators that vary, when each r is +1 or one varies alone
  local pair = zb.framework{{iCode = "i"}, {iCode = "x", Parent = "i", Direction = 1}, {iCode = "y", Parent = "i", Direction = 1}}
  local lines = zb.sql("select 'a' as region, 1 as x, 2 as y union all select 'b', 3, 6 union all select 'c', 4, 8")
  T.fails(function() return lines:weights{framework = pair, id = "region", method = "critic"} end,
          "weights: critic gives every indicator weight 0: x, y vary but are correlated +1 with each other",
          "critic over indicators correlated +1: not said to be constant")
  T.fails(function() return lines:mutate{y = "5"}:weights{framework = pair, id = "region", method = "critic"} end,
          "critic gives every indicator weight 0: x varies, every other indicator is constant",
          "critic over one indicator that varies: not said to be constant")
  T.fails(function() return lines:mutate{x = "1", y = "5"}:weights{framework = pair, id = "region", method = "critic"} end,
          "weights: every indicator is constant: critic gives no weights", "critic over constant indicators")
end
T.fails(function() return mixed:composite{framework = fw, id = "region", weights = "cv"} end,
        "has values of both signs", "cv over values of both signs")
T.fails(function() return t:composite{framework = small, id = "region", normalise = "log"} end,
        "unknown normalisation method log (methods: minmax", "an unknown method")
T.fails(function() return t:composite{framework = zb.framework(with({{iCode = "y", Parent = "d1", Direction = -1}}, "y")),
                                      id = "region", weights = "given"} end,
        "y has no weight in the framework", "given weights missing")
T.fails(function() return t:mutate{rank = "x"}:composite{framework = zb.framework{{iCode = "i"},
          {iCode = "rank", Parent = "i", Direction = 1}}, id = "region"} end,
        "composite: the column rank would be there twice in the result", "a code that is also a column of the result, " ..
        "the method named")
T.fails(function() return t:mutate{rank = "x"}:topsis{columns = {"x"}, id = "rank"} end,
        "topsis: the column rank would be there twice in the result", "an id that is a column of TOPSIS' result")
T.fails(function() return t:composite{framework = zb.framework{{iCode = "i"}, {iCode = "X", Parent = "i"},
          {iCode = "x", Parent = "X", Direction = 1}, {iCode = "y", Parent = "i", Direction = 1}}, id = "region"} end,
        "composite: the column x would be there twice in the result (as X: SQL's names ignore case)",
        "codes X and x, one column in SQL, named (was an internal error: duplicate column name)")
T.fails(function() return t:composite{framework = small, id = "region", aggregate = {"mean", "geometric"}} end,
        "the means are one name for all or {[level] = name, ...}, got a list (mean, geometric): a list of choices is " ..
        "t:sensitivity's", "a list of means to t:composite (it said: level 1, where the framework has no dimension)")
T.fails(function() return t:composite{framework = small, id = "region", weights = {"equal", "entropy"}} end,
        "weights is a method's name, t:weights' table or {code = weight, ...}, got a list (equal, entropy)",
        "a list of weights to t:composite (it said: weights has 1, not a code of the framework)")
T.fails(function() return t:normalise{columns = {"x"}, id = "region", period = "x"} end,
        "normalise: the column x would be there twice in the result", "a period that is also an indicator")
T.fails(function() return t:normalise{framework = small, id = "region", method = "reference", reference = "z"} end,
        "the reference region = z is not a row of the data", "a reference region not there")
T.fails(function() return t:normalise{framework = small, id = "region", method = "reference"} end,
        "method reference needs reference = the region to compare with (a value of region)",
        "the reference method without one")
do  -- a spec's mistake is named before any period's work, not as the first period's
  local years = zb.sql([[select 'a' as region, 2001 as year, 1 as x union all select 'b', 2001, 2
                         union all select 'a', 2002, 3 union all select 'b', 2002, 5]])
  T.fails(function() return years:composite{columns = {"x"}, id = "region", period = "year", range = {5, 1}} end,
          ": composite: range must be {low, high} with low < high, got {5, 1}", "a reversed range, no period named")
  T.fails(function() return years:normalise{columns = {"x"}, id = "region", period = "year", method = "goalposts",
                                            goalposts = {x = {3, 1}}} end,
          ": normalise: the goalposts of x must be {low, high}", "reversed goalposts, no period named")
  T.fails(function() return years:normalise{columns = {"x"}, id = "region", method = "goalposts",
                                            goalposts = {x = {1, 5}, gdp = {0, 1}}} end,
          ": normalise: goalposts names gdp, not an indicator of the framework", "goalposts for a code not there")
  T.fails(function() return years:where{year = 2001}:sensitivity{columns = {"x"}, id = "region",
                                                                 normalise = {"minmax", "goalposts"}} end,
          ": sensitivity: goalposts = {code = {low, high}, ...} is needed", "goalposts missing in a sensitivity's choices")
end
T.fails(function() return t:normalise{framework = small, id = "region", method = "best"} end,
        "y of region = b is 0; the ratio to the best needs positive values", "the ratio to the best of 0")
for _, method in ipairs{"rank", "percentile"} do  -- 2^53 + 1 and 2^53 are one double: no rank tells them apart
  T.fails(function()
    return zb.sql("select column1 as region, column2 as x from (values ('a', 1), ('b', 9007199254740993), " ..
                  "('c', 9007199254740992))"):normalise{columns = {"x"}, id = "region", method = method}
  end, "x of region = b is 9007199254740993, beyond 2^53: it cannot be ranked exactly",
  "an integer beyond 2^53 under " .. method .. " normalisation, named")
end

-- Near-ties at 0: min-max onto {-1, 1} of 0..10 makes each of A, B, C and
-- D's three values sum to 0 in exact arithmetic (C: -0.6 + 0.4 + 0.2, which
-- is -1.1e-16 in binary), so the four share rank 2 under hi; relative to
-- the two scores alone, C's -1.1e-16 and the others' 0 would rank apart
do
  local tri = zb.framework{{iCode = "i"}, {iCode = "x", Parent = "i", Direction = 1},
                           {iCode = "y", Parent = "i", Direction = 1}, {iCode = "z", Parent = "i", Direction = 1}}
  local zero = zb.sql([[select column1 as region, column2 as x, column3 as y, column4 as z from (values
    ('A', 1, 6, 8), ('B', 5, 5, 5), ('lo', 0, 0, 0), ('hi', 10, 10, 10), ('C', 2, 7, 6), ('D', 3, 4, 8))]])
  local got = {}
  for r in zero:composite{framework = tri, id = "region", range = {-1, 1}}:order("region"):rows() do
    got[#got + 1] = r.region .. " " .. r.rank
  end
  T.eq(table.concat(got, ", "), "A 2, B 2, C 2, D 2, hi 1, lo 6", "scores equal at 0 but for their last bits share a rank")
end

-- Near-ties: scores equal but for the order of their sums' operations
-- (0.1 + 0.2 against 0.3: a, b and c are 1/2, d is 1, e is 0 in exact
-- arithmetic) differ in their last bits; they share a rank, as Python's
-- fractions rank them (a score within 1e-12 of its tie's first is tied)
do
  local rows = {{"a", 3, 0, 0}, {"b", 1, 1, 0}, {"c", 0, 0, 1}, {"d", 0, 0, 2}, {"e", 0, 0, 0}}
  local values = {}
  local lines = {}
  for i, r in ipairs(rows) do
    values[i], lines[i] = string.format("('%s', %d, %d, %d)", table.unpack(r)), table.concat(r, ",")
  end
  local near = zb.sql("select column1 as region, column2 as x, column3 as y, column4 as z from (values " ..
                      table.concat(values, ", ") .. ")")
  local weights = {x = "0.1", y = "0.2", z = "0.3"}
  local exact = zb.engine.json_decode(T.python([==[
import json, sys
from fractions import Fraction as F
rows = [r.split(",") for r in sys.argv[1].split(";")]
w = dict(zip("xyz", map(F, sys.argv[2:5])))  # the weights as written: decimal fractions
score = {r[0]: (F(r[1]) * w["x"] + F(r[2]) * w["y"] + F(r[3]) * w["z"]) / (w["x"] + w["y"] + w["z"]) for r in rows}
print(json.dumps({k: {"score": str(v), "rank": 1 + sum(1 for u in score.values() if u > v)} for k, v in score.items()}))
]==], table.concat(lines, ";"), weights.x, weights.y, weights.z))
  local fw3 = zb.framework{{iCode = "index"}, {iCode = "x", Parent = "index", Direction = 1},
    {iCode = "y", Parent = "index", Direction = 1}, {iCode = "z", Parent = "index", Direction = 1}}
  local got = near:aggregate{framework = fw3, id = "region",
                             weights = {index = 1, x = tonumber(weights.x), y = tonumber(weights.y), z = tonumber(weights.z)}}
  local score, bad = {}, nil
  for r in got:rows() do
    score[r.region] = r.index
    if r.rank ~= exact[r.region].rank then
      bad = bad or string.format("%s: rank %s (score %a), exactly %s: rank %s", r.region, r.rank, r.index,
                                 exact[r.region].score, exact[r.region].rank)
    end
  end
  T.ok(exact.a.score == "1/2" and exact.b.score == "1/2" and exact.c.score == "1/2" and
       score.a ~= score.b and score.b ~= score.c and score.a ~= score.c,
       "the near-tie is there: a, b and c are 1/2 exactly, three doubles apart in zb's sums",
       string.format("%a %a %a", score.a, score.b, score.c))
  T.ok(not bad, "scores a few ulps apart share a rank, as their exact values do", bad)
end

-- TOPSIS: the indicators vector-normalised, weighted by their share of
-- the index, distances to the best and worst on each by direction
local complete = zb.read_csv(work .. "/complete.csv")
local topsis_ref = T.python([==[
import json, sys
import numpy as np, pandas as pd
fw = pd.read_csv(sys.argv[1], dtype={"Direction": str})
df = pd.read_csv(sys.argv[2])
sign = {"1": 1, "-1": -1, "正向": 1, "逆向": -1}
parent = dict(zip(fw.iCode, fw.Parent))
given = dict(zip(fw.iCode, fw.Weight))
inds = list(fw.loc[fw.Type == "Indicator", "iCode"])
out = {}
for method in ["equal", "given"]:
    w = {}
    for c in inds:  # the product of the weights relative to the siblings', up to the top
        share, node = 1.0, c
        while isinstance(parent[node], str):
            sibs = fw.loc[fw.Parent == parent[node], "iCode"]
            own = {k: (1.0 if method == "equal" else given[k]) for k in sibs}
            share *= own[node] / sum(own.values())
            node = parent[node]
        w[c] = share
    x = df[inds].to_numpy(dtype=float)
    norm = np.sqrt((x ** 2).sum(axis=0))
    r = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    d = np.array([sign[str(fw.loc[fw.iCode == c, "Direction"].iloc[0])] for c in inds])
    v = r * np.array([w[c] for c in inds]) * d
    dp = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    dm = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    out[method] = {"closeness": list(dm / (dp + dm)), "d_best": list(dp), "d_worst": list(dm)}
print(json.dumps(out))
]==], work .. "/framework.csv", work .. "/complete.csv")
local tref = zb.engine.json_decode(topsis_ref)
for _, method in ipairs{"equal", "given"} do
  local wrong
  for r in complete:topsis{framework = fw, id = "region", weights = method}:rows() do
    local k = tonumber(r.region:sub(2))
    for _, col in ipairs{"closeness", "d_best", "d_worst"} do
      if not near(r[col], tref[method][col][k]) then
        wrong = wrong or string.format("%s at %s: %s, Python %s", col, r.region, r[col], tref[method][col][k])
      end
    end
  end
  T.ok(not wrong, "topsis " .. method .. ": closeness and both distances as numpy's", wrong)
end
T.fails(function() return mixed:topsis{framework = fw, id = "region"} end, "TOPSIS needs every value",
        "TOPSIS refuses a missing value, naming it")

-- Published worked examples.  The figures are the papers' as the tests of
-- energyinpython/distance-metrics-for-mcda (tests/test_weights.py) quote
-- them, to the digits printed there; we have not seen the papers' tables
-- ourselves.  Entropy weights on the values as they are (p = x / sum x):
--   Xu, X. (2004). A note on the subjective and objective integrated
--   approach to determine attribute weights. European Journal of
--   Operational Research, 156(2), 530-532.
--   Zavadskas, E. K., & Podvezko, V. (2016). Integrated determination of
--   objective criteria weights in MCDM. International Journal of
--   Information Technology & Decision Making, 15(02), 267-283.
-- CRITIC on the values min-max normalised (each criterion taken as more
-- is better, as that test computes them):
--   Tuş, A., & Aytaç Adalı, E. (2019). The new combination with CRITIC
--   and WASPAS methods for the time and attendance software selection
--   problem. Opsearch, 56(2), 528-538.
local function published(matrix, method, want, digits, normalise, name)
  local cols, rows = {}, {}
  for j = 1, #matrix[1] do cols[j] = "c" .. j end
  for i, row in ipairs(matrix) do
    local cells = {"'a" .. i .. "'"}
    for j, v in ipairs(row) do cells[j + 1] = string.format("%.17g", v) end
    rows[i] = "(" .. table.concat(cells, ", ") .. ")"
  end
  local picks = {"column1 AS alt"}
  for j, c in ipairs(cols) do picks[j + 1] = "column" .. (j + 1) .. " AS " .. c end
  local t = zb.sql("SELECT " .. table.concat(picks, ", ") .. " FROM (VALUES " .. table.concat(rows, ", ") .. ")")
  if normalise then t = t:normalise{columns = cols, id = "alt", range = {0, 1}} end
  local got, scale = {}, 10 ^ digits
  for r in t:weights{columns = cols, id = "alt", method = method}:where("type = 'Indicator'"):rows() do
    got[#got + 1] = string.format("%." .. digits .. "f", math.floor(r.weight * scale + 0.5) / scale)
  end
  local shown = {}
  for j, w in ipairs(want) do shown[j] = string.format("%." .. digits .. "f", w) end
  T.eq(table.concat(got, " "), table.concat(shown, " "), name)
end
published({{30, 30, 38, 29}, {19, 54, 86, 29}, {19, 15, 85, 28.9}, {68, 70, 60, 29}}, "entropy",
          {0.4630, 0.3992, 0.1378, 0.0000}, 4, false, "entropy weights of Xu (2004)")
published({{3.0, 100, 10, 7}, {2.5, 80, 8, 5}, {1.8, 50, 20, 11}, {2.2, 70, 12, 9}}, "entropy",
          {0.1146, 0.1981, 0.4185, 0.2689}, 4, false, "entropy weights of Zavadskas and Podvezko (2016)")
published({{5000, 3, 3, 4, 3, 2}, {680, 5, 3, 2, 2, 1}, {2000, 3, 2, 3, 4, 3}, {600, 4, 3, 1, 2, 2}, {800, 2, 4, 3, 3, 4}},
          "critic", {0.157, 0.249, 0.168, 0.121, 0.154, 0.151}, 3, true, "CRITIC weights of Tuş and Aytaç Adalı (2019)")

-- CRITIC needs each pair's correlation over the regions both have
local gaps = zb.sql([[select column1 as region, column2 as x, column3 as y from (values
  ('a', 1, NULL), ('b', 2, 5), ('c', 3, 5), ('d', NULL, 7))]])
T.fails(function() return gaps:weights{columns = {"x", "y"}, id = "region", method = "critic"} end,
        "x and y have no correlation over the regions both have", "CRITIC without a correlation, the pair named")

-- A framework read back from fw:table() is the same framework: COINr's columns both ways
local again = zb.framework(fw:table())
T.eq(zb.render(again:table(), {mode = "csv"}), zb.render(fw:table(), {mode = "csv"}), "fw:table() reads back as itself")
T.eq(zb.render(mixed:composite{framework = again, id = "region", weights = "given"}, {mode = "csv"}),
     zb.render(mixed:composite{framework = fw, id = "region", weights = "given"}, {mode = "csv"}),
     "and gives the same index")

-- README's "Composite indices" example, run as written, prints what
-- README shows (the numbers agree with pandas' entropy weights and means
-- over the six cities, checked when this test was written; the block
-- showed 100 and 0 for 100.0 and 0.0)
do
  local section = T.read("README.md"):match("\n## Composite indices\n(.-)\n## ")
  local code, shown = section:match("\n(    local fw = zb%.framework{.-)\n\n(    ┌.-┘)\n")
  T.ok(code and shown, "README's composite example and its output found")
  local path = work .. "/readme_composite.lua"
  T.write(path, (code or ""):gsub("\n    ", "\n"):gsub("^    ", "") .. "\n")
  local r = T.run(T.shell_quote(path))
  T.eq(r.out, ((shown or ""):gsub("\n    ", "\n"):gsub("^    ", "")) .. "\n", "README's composite example prints what " ..
       "README shows", r.err)
end

-- lua/examples/composite-index.lua, against pandas reading the shipped
-- files itself: each city's equal-weight index (to the 0.1 printed) and
-- the entropy-weighted ranks
local example = T.run("lua/examples/composite-index.lua")
T.eq(example.code, 0, "composite-index.lua runs", example.err)
local printed = {}
for city, equal, rank_equal, entropy, rank_entropy in
    example.out:match("^(.-)The entropy weights"):gmatch("│ (%S+) │%s+([%d.]+) │%s+(%d+) │%s+%d+ │%s+([%d.]+) │%s+(%d+) │") do
  printed[city] = {tonumber(equal), tonumber(rank_equal), tonumber(entropy), tonumber(rank_entropy)}
end
local from_pandas = T.python([==[
import json, sys
import numpy as np, pandas as pd
sys.path.insert(0, "tests/lib")
from objective_weights import degree
c = pd.read_csv(sys.argv[1])
c = c[c.province == "浙江省"].set_index("city")
g = pd.read_csv(sys.argv[2]).set_index("时间(年)").loc[2020]
g.index = [k + "市" for k in g.index]
x = pd.DataFrame({"gdp_per_head": g.reindex(c.index) * 1e8 / c.popu_2020,
                  "growth": (c.popu_2020 - c.popu_2010) * 100 / c.popu_2010,
                  "urban": c.popu_urban_2020 * 100 / c.popu_2020, "aged": -c.age_65_2020})
n = (x - x.min()) / (x.max() - x.min()) * 100
def index(w):
    def dim(cols):
        ws = pd.DataFrame({k: n[k].notna() * w[k] for k in cols})
        return (n[cols].fillna(0) * ws).sum(axis=1) / ws.sum(axis=1)
    return (dim(["gdp_per_head", "growth"]) * w["wealth"] + dim(["urban", "aged"]) * w["society"]) / (w["wealth"] + w["society"])
equal = index({k: 1.0 for k in ["gdp_per_head", "growth", "urban", "aged", "wealth", "society"]})
d = {k: degree(n[k], "entropy") for k in n}
d["wealth"], d["society"] = d["gdp_per_head"] + d["growth"], d["urban"] + d["aged"]
entropy = index(d)
print(json.dumps({k: [round(equal[k], 1), int(equal.rank(ascending=False, method="min")[k]),
                      round(entropy[k], 1), int(entropy.rank(ascending=False, method="min")[k])] for k in c.index}))
]==], "datasets/census-cities-2010-2020.csv", "datasets/yangtze-delta-city-gdp.csv")
local expected = zb.engine.json_decode(from_pandas)
local cities, differ = 0, nil
for city, want in pairs(expected) do
  cities = cities + 1
  local got = printed[city]
  for k = 1, 4 do
    if not got or math.abs(got[k] - want[k]) > 1e-9 then
      differ = differ or string.format("%s: %s, pandas %s", city, got and table.concat(got, " ") or "not printed",
                                       table.concat(want, " "))
    end
  end
end
T.ok(cities == 11 and not differ, "the example's 11 cities: both indices and ranks as pandas gets them from the files",
     differ)
T.has(example.out, "│ gdp_per_head │ wealth  │", "the example prints the entropy weights")
T.ok(select(2, example.out:gsub("│%s+52 │\n", "")) == 11, "the example prints each city's ranks over 52 runs",
     example.out)
T.fails(function() return mixed:composite{framework = fw, id = "region", aggregate = {[2] = "mean", [3] = "mean"}} end,
        "no mean for level 4 (index is there)", "a level of dimensions without a mean")
T.fails(function() return mixed:composite{framework = fw, id = "region", aggregate = {[2] = "mean", [3] = "mean",
                                                                                       [4] = "mean", [7] = "mean"}} end,
        "the means by level name level 7", "a level the framework does not have")

-- AHP: random reciprocal matrices of 1 to 10 rows, near-consistent and not,
-- against numpy's eigen decomposition and Saaty's random index table
-- (Saaty, The Analytic Hierarchy Process, 1980: 0, 0, 0.58, 0.90, 1.12,
-- 1.24, 1.32, 1.41, 1.45, 1.49), typed into the reference separately
local matrices = {}
for m = 1, 24 do
  local size, noise = (m - 1) % 10 + 1, m <= 12 and 0.05 or 2
  local w, a = {}, {}
  for i = 1, size do w[i] = math.random(1, 9) end
  for i = 1, size do
    a[i] = {}
    for j = 1, size do
      if i == j then a[i][j] = 1
      elseif j < i then a[i][j] = 1 / a[j][i]
      else a[i][j] = w[i] / w[j] * math.exp((math.random() * 2 - 1) * noise) end
    end
  end
  matrices[m] = a
end
local function json_matrix(a)
  local rows = {}
  for i, row in ipairs(a) do
    local cells = {}
    for j, v in ipairs(row) do cells[j] = string.format("%.17g", v) end
    rows[i] = "[" .. table.concat(cells, ", ") .. "]"
  end
  return "[" .. table.concat(rows, ", ") .. "]"
end
local all = {}
for m, a in ipairs(matrices) do all[m] = json_matrix(a) end
local ahp_ref = zb.engine.json_decode(T.python([==[
import json, sys
import numpy as np
RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
out = []
for a in json.loads(sys.argv[1]):
    a = np.array(a)
    n = len(a)
    vals, vecs = np.linalg.eig(a)
    k = np.argmax(vals.real)
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    lam = vals[k].real
    ci = max(0.0, (lam - n) / (n - 1)) if n > 2 else 0.0
    cr = ci / RI[n] if RI[n] > 0 else 0.0
    out.append({"w": list(w), "cr": cr})
print(json.dumps(out))
]==], "[" .. table.concat(all, ", ") .. "]"))
local ahp_bad, refused, accepted = nil, 0, 0
for m, a in ipairs(matrices) do
  local codes = {}
  for i = 1, #a do codes[i] = "c" .. i end
  local want = ahp_ref[m]
  local ok_, w, c = pcall(zb.ahp, a, codes)
  if want.cr > 0.1 then
    refused = refused + 1
    if ok_ or not tostring(w):find("above 0.1") then ahp_bad = ahp_bad or "matrix " .. m .. " not refused" end
    ok_, w, c = pcall(zb.ahp, a, codes, {inconsistent = true})
  else accepted = accepted + 1 end
  if not ok_ then ahp_bad = ahp_bad or "matrix " .. m .. ": " .. tostring(w)
  else
    if math.abs(c.cr - want.cr) > 1e-9 then ahp_bad = ahp_bad or string.format("CR of %d: %s, numpy %s", m, c.cr, want.cr) end
    local i = 0
    for r in w:rows() do
      i = i + 1
      if math.abs(r.weight - want.w[i]) > 1e-9 then
        ahp_bad = ahp_bad or string.format("weight %d of matrix %d: %s, numpy %s", i, m, r.weight, want.w[i])
      end
    end
  end
end
T.ok(not ahp_bad and refused > 0 and accepted > 0, string.format("ahp: weights and consistency ratios as numpy's " ..
     "(%d accepted, %d above 0.1 refused, then taken with inconsistent = true)", accepted, refused), ahp_bad)
-- A published worked example: Saaty, T. L. (2008). Decision making with
-- the analytic hierarchy process. International Journal of Services
-- Sciences, 1(1), 83-98: the table "Which drink is consumed more in the
-- U.S.?", its judgments and its derived scale, to the three decimals
-- printed there (.177 .019 .042 .116 .190 .129 .327); the consistency
-- ratio 0.022 is AHPy's (an independent implementation) for that matrix.
do
  local drinks = {{1, 9, 5, 2, 1, 1, 1 / 2}, {1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9},
                  {1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9}, {1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3},
                  {1, 9, 4, 2, 1, 2, 1 / 2}, {1, 9, 3, 1, 1 / 2, 1, 1 / 3}, {2, 9, 9, 3, 2, 3, 1}}
  local w, c = zb.ahp(drinks, {"coffee", "wine", "tea", "beer", "sodas", "milk", "water"})
  local got = {}
  for r in w:rows() do got[#got + 1] = string.format("%.3f", r.weight) end
  T.eq(table.concat(got, " "), "0.177 0.019 0.042 0.116 0.190 0.129 0.327", "ahp: Saaty's (2008) drinks, the derived scale")
  T.eq(string.format("%.3f", c.cr), "0.022", "ahp: Saaty's (2008) drinks, consistency ratio 0.022 against RI 1.32")
end
T.fails(function() return zb.ahp({{1, 3}, {0.3, 1}}, {"a", "b"}) end, "a with b (3) and back (0.3) are not reciprocal",
        "ahp: comparisons that are not reciprocal")
T.fails(function() return zb.ahp({{1, -2}, {-0.5, 1}}, {"a", "b"}) end, "the comparison of a with b is -2",
        "ahp: a comparison not positive")
T.fails(function() return zb.ahp({{1, 3}, {1/3, 1}}, {"a", "a"}) end, "ahp: the code a is there twice (rows 1 and 2)",
        "ahp: a code twice")
-- A region at the best on every indicator it has scores the best to the bit
-- and shares the first rank, whichever mean (the exact mean of equal values:
-- Σ(w·x)/Σw of three 100s weighted 0.2 was 99.999999999999986, ranked 2nd)
do
  local t = zb.sql[[select 'P' as id, 10.0 as a, 10.0 as b, 10.0 as c, 10.0 as d, 10.0 as e
    union all select 'Q', 10.0, 10.0, 10.0, NULL, NULL union all select 'Z', 0.0, 0.0, 0.0, 0.0, 0.0]]
  for _, mean in ipairs{"mean", "geometric", "harmonic"} do
    local spec = {columns = {"a", "b", "c", "d", "e"}, id = "id", aggregate = mean}
    if mean ~= "mean" then spec.range = {1, 100} end
    local got = {}
    for _, r in ipairs(t:composite(spec):order("id"):to_lua()) do got[#got + 1] = r.id .. " " .. r.score .. " " .. r.rank end
    T.eq(table.concat(got, ", "), "P 100.0 1, Q 100.0 1, Z " .. (mean == "mean" and "0.0" or "1.0") .. " 3",
         mean .. ": values at the best score the best exactly and share the first rank")
  end
end

-- Copeland compares a child's values as ranks compare scores: equal in
-- exact arithmetic is equal.  env, the geometric mean of f and g, is
-- sqrt(13.375 * 100) for P and sqrt(100 * 13.375) for V, a bit apart in
-- doubles; P won env (weight 2/3) by that bit and so beat V, which is
-- higher on a.  The reference compares env by f * g in exact fractions
-- (equal weights: the geometric mean is monotone in the product).
do
  local fw = zb.framework{{iCode = "idx"}, {iCode = "a", Parent = "idx", Direction = 1, Weight = 1},
    {iCode = "env", Parent = "idx", Weight = 2}, {iCode = "f", Parent = "env", Direction = 1, Weight = 1},
    {iCode = "g", Parent = "env", Direction = 1, Weight = 1}}
  local rows = {{"P", 1, 13.375, 100}, {"Q", 3, 50.5, 25.75}, {"S", 4, 62.875, 62.875}, {"U", 7, 1, 1},
                {"V", 2, 100, 13.375}, {"W", 9, 25.75, 38.125}}
  local values, lines = {}, {}
  for k, r in ipairs(rows) do
    values[k] = string.format("('%s', %s, %s, %s)", r[1], r[2], r[3], r[4])
    lines[k] = string.format('["%s", "%s", "%s", "%s"]', r[1], r[2], r[3], r[4])
  end
  local t = zb.sql("select column1 as id, column2 as a, column3 as f, column4 as g from (values " ..
                   table.concat(values, ", ") .. ")")
  local want = T.python([==[
import json, sys
from fractions import Fraction as F
rows = json.loads(sys.argv[1])
key = {r[0]: (F(r[1]), F(r[2]) * F(r[3])) for r in rows}
w = (F(1, 3), F(2, 3))
out = []
for p in key:
    s = 0
    for q in key:
        m = sum(wk * ((key[p][k] > key[q][k]) - (key[p][k] < key[q][k])) for k, wk in enumerate(w))
        s += (m > 0) - (m < 0)
    out.append("%s %d" % (p, s))
print(", ".join(out))
]==], "[" .. table.concat(lines, ", ") .. "]")
  local got = {}
  for _, r in ipairs(t:aggregate{framework = fw, id = "id", weights = "given",
                                 method = {[2] = "geometric", [3] = "copeland"}}:order("id"):to_lua()) do
    got[#got + 1] = r.id .. " " .. r.idx
  end
  T.eq(table.concat(got, ", ") .. "\n", want, "copeland: a child's values equal but for the last bit are equal " ..
       "(geometric means of the same values in another order), as exact fractions compare them")
end

T.cleanup()
T.done()
