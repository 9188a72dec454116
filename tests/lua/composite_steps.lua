-- Composite indices (issue 20), the steps around normalisation: band
-- (适度) indicators, denomination, screening, imputation, outlier
-- treatment, and indices over time, each against an independent
-- implementation written from the formulas in Python (numpy, pandas) on
-- generated data with ties, missing and negative values.  Seeded (ZB_SEED
-- repeats a run).
local T = require("check")
if not T.have_python("pandas") then T.done() end
local seed = tonumber(os.getenv("ZB_SEED")) or os.time()
math.randomseed(seed)
print("# seed " .. seed .. " (ZB_SEED=" .. seed .. " repeats this run)")
local work = T.tmpdir()

-- Whether a and b (numbers or nil) agree to 1e-9 relative.
local function near(a, b)
  if a == nil or b == nil then return a == b end
  return math.abs(a - b) <= 1e-9 * math.max(1, math.abs(a), math.abs(b))
end

-- Generated data: n regions (r1..rn) in groups g1..g3, over years
-- (2001..), integers from a short range (ties) of both signs, about one in
-- eight missing; pop, a positive denominator.
local n, years = math.random(12, 30), 3
local lines = {"region,grp,year,pop,a,b,c,d"}
for year = 2001, 2000 + years do
  for i = 1, n do
    local cells = {"r" .. i, "g" .. (i % 3 + 1), year, math.random(1, 9) * 10}
    for k = 1, 4 do
      local v = math.random(-10, 25) * (k == 2 and 1.5 or 1)
      if k == 4 and i % 5 == 0 then v = v * 40 end  -- d: a few far out, for the outlier treatment
      cells[#cells + 1] = (i > 2 and math.random() < 0.125) and "" or tostring(v)
    end
    lines[#lines + 1] = table.concat(cells, ",")
  end
end
T.write(work .. "/data.csv", table.concat(lines, "\n") .. "\n")
local data = zb.read_csv(work .. "/data.csv")
local first = data:where{year = 2001}

-- The framework: a band indicator (c, best from 0 to 8) beside a positive
-- and a negative one
local fw = zb.framework{{iCode = "index"}, {iCode = "p", Parent = "index", Weight = 2}, {iCode = "q", Parent = "index", Weight = 1},
  {iCode = "a", Parent = "p", Direction = 1, Weight = 1}, {iCode = "b", Parent = "p", Direction = "逆向", Weight = 2},
  {iCode = "c", Parent = "q", Direction = "适度", TargetLow = 0, TargetHigh = 8, Weight = 1},
  {iCode = "d", Parent = "q", Direction = 1, Weight = 1}}

-- Python's index: the band's distance, the directions, normalisation,
-- weighted means of what is present, ranks (min for ties).
local python_index = [==[
import json, sys
import numpy as np, pandas as pd
sys.path.insert(0, "tests/lib")
from objective_weights import degree
def band(x, lo, hi):
    return np.where(np.isnan(x), np.nan, np.where(x < lo, lo - x, np.where(x > hi, x - hi, 0.0)))
def normalise(x, method):
    if method == "minmax":
        return (x - x.min()) / (x.max() - x.min()) * 100
    if method == "zscore":
        return (x - x.mean()) / x.std(ddof=1)
    return x.rank(method="average")
def index(df, method, w={"a": 1, "b": 2, "c": 1, "d": 1, "p": 2, "q": 1}):
    x = pd.DataFrame({"a": df.a, "b": -df.b, "c": -band(df.c, 0, 8), "d": df.d})
    n = x.apply(lambda col: normalise(col, method))
    def dim(cols):
        ws = pd.DataFrame({k: n[k].notna() * w[k] for k in cols})
        return (n[cols].fillna(0) * ws).sum(axis=1) / ws.sum(axis=1)
    p, q = dim(["a", "b"]), dim(["c", "d"])
    ws = pd.DataFrame({"p": p.notna() * w["p"], "q": q.notna() * w["q"]})
    i = (pd.DataFrame({"p": p, "q": q}).fillna(0) * ws).sum(axis=1) / ws.sum(axis=1)
    return n, i
]==]

-- Compare scores (a zb table keyed by region) with Python's (JSON: by
-- region, each code's value); the first difference, or nil.
local function differs(got, want, codes)
  local bad, rows = nil, 0
  for r in got:rows() do
    rows = rows + 1
    local w = want[r.region]
    for _, code in ipairs(codes) do
      if not w or not near(r[code], w[code]) then
        bad = bad or string.format("%s at %s: %s, Python %s", code, r.region, r[code], w and w[code])
      end
    end
  end
  local count = 0
  for _ in pairs(want) do count = count + 1 end
  if rows ~= count then bad = bad or string.format("%d rows, Python %d", rows, count) end
  return bad
end

-- Band indicators: the distance to the band, negative, then normalised
do
  local ref = zb.engine.json_decode(T.python(python_index .. [==[
df = pd.read_csv(sys.argv[1]).query("year == 2001").set_index("region")
out = {}
for method in ["minmax", "zscore", "rank"]:
    n, i = index(df, method)
    out[method] = {r: {"index": None if np.isnan(i[r]) else i[r], **{k: None if np.isnan(n[k][r]) else n[k][r] for k in n}}
                   for r in df.index}
print(json.dumps(out))
]==], work .. "/data.csv"))
  for _, method in ipairs{"minmax", "zscore", "rank"} do
    local got = first:composite{framework = fw, id = "region", weights = "given", normalise = method}
    local bad = differs(got, ref[method], {"index", "a", "b", "c", "d"})
    T.ok(not bad, "a band (适度) indicator " .. method .. ": its distance to the band as a negative indicator, as " ..
         "pandas'", bad)
  end
  local again = zb.framework(fw:table())
  T.eq(zb.render(again:table(), {mode = "csv"}), zb.render(fw:table(), {mode = "csv"}),
       "a band reads back from fw:table() (Direction 适度, TargetLow, TargetHigh)")
end


-- The steps before normalisation, and indices over time: each
-- configuration run by zb and by pandas from the formulas
local configs = {
  {name = "denominated per head, screened at 3/4", spec = {denominate = {a = "pop"}, screen = 0.75}},
  {name = "imputed by the mean", spec = {impute = "mean"}},
  {name = "imputed by the group mean", spec = {impute = "group", group = "grp"}},
  {name = "winsorised (|skew| > 2, kurtosis > 3.5, 5 at most)", spec = {treat = "winsorise"}},
  {name = "winsorised (|skew| > 0.5, kurtosis > 0, 3 at most)", spec = {treat = "winsorise", skew = 0.5, kurtosis = 0,
                                                                        winmax = 3}},
  {name = "winsorised (|skew| > 0.3, kurtosis > 0, 1 at most), then COINr's log_CT where still outlying (most seeds; " ..
          "fixed data below always)",
   spec = {treat = "winsorise", skew = 0.3, kurtosis = 0, winmax = 1}},
  {name = "logs of outlying indicators", spec = {treat = "log", skew = 0.5, kurtosis = 0}, positive = true},
  {name = "over time, each year normalised alone, entropy weights", spec = {period = "year"}, weights = "entropy"},
  {name = "over time, bounds fixed across years, entropy weights", spec = {period = "year", fixed = true},
   weights = "entropy"},
  {name = "over time, imputed from the previous year", spec = {period = "year", impute = "previous"}},
  {name = "over time, each year's z-scores, cv weights of its raw values", spec = {period = "year", normalise = "zscore"},
   weights = "cv", positive = true},
  {name = "over time, each year's ranks, entropy weights", spec = {period = "year", normalise = "rank"},
   weights = "entropy"},
  {name = "over time, every dimension's rank beside its score (ranks = \"all\"), bounds fixed",
   spec = {period = "year", fixed = true, ranks = "all"}},
}
local function json_of(v)
  if type(v) == "table" then
    local parts = {}
    for k, x in pairs(v) do parts[#parts + 1] = string.format("%q: %s", k, json_of(x)) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return type(v) == "string" and string.format("%q", v) or tostring(v)
end
local specs = {}
for k, c in ipairs(configs) do
  local spec = {weights = c.weights or "given", positive = c.positive or false}
  for key, v in pairs(c.spec) do spec[key] = v end
  specs[k] = json_of(spec)
end
local steps_program = [==[
inds = ["a", "b", "c", "d"]
def winsorise(x, o, treated):
    # COINr's winsorise: its count (nwin) is the points at the extreme the
    # last time round, which holds every value winsorised before; still
    # outlying at winmax, its log_CT of the values as they came
    before, high, low = x.copy(), 0, 0
    while True:
        v = x.dropna()
        if len(v) < 4 or v.nunique() < 2:
            break
        s, k = v.skew(), v.kurt()
        if not (abs(s) > o.get("skew", 2) and k > o.get("kurtosis", 3.5)):
            break
        if high + low >= o.get("winmax", 5):
            lo, hi = before.min(), before.max()
            x[:] = np.log(before - lo + 0.01 * (hi - lo))
            treated[:] = treated + before.notna().astype(int)
            return
        far = v.max() if s > 0 else v.min()
        nxt = v[v < far].max() if s > 0 else v[v > far].min()
        hit = x == far
        x[hit] = nxt
        high, low = (int(hit.sum()), low) if s > 0 else (high, int(hit.sum()))
    treated[:] = treated + (x.notna() & (x != before)).astype(int)

def objective(n, method):
    d = {c: degree(n[c], method) for c in inds}
    return {**d, "p": d["a"] + d["b"], "q": d["c"] + d["d"]}

def run(df, o):
    df = df.copy()
    if o.get("positive"):
        df[inds] = df[inds].abs() + 1
    if not o.get("period"):
        df = df[df.year == 2001]
    for code, col in o.get("denominate", {}).items():
        df[code] = df[code] / df[col]
    if "screen" in o:
        df = df[df[inds].notna().mean(axis=1) >= o["screen"] - 1e-12]
    df = df.sort_values("year", kind="stable")
    before = df[inds].isna()
    imp = o.get("impute")
    for c in inds:
        if imp == "mean":
            df[c] = df.groupby("year")[c].transform(lambda s: s.fillna(s.mean()))
        elif imp == "group":
            df[c] = df.groupby(["year", "grp"])[c].transform(lambda s: s.fillna(s.mean()))
        elif imp == "previous":
            df[c] = df.groupby("region")[c].ffill()
    imputed = (before & df[inds].notna()).sum(axis=1)
    blocks = [df.index] if o.get("fixed") or not o.get("period") else [g.index for _, g in df.groupby("year")]
    treated = pd.Series(0, index=df.index)
    for rows in blocks:
        for c in inds:
            x = df.loc[rows, c].copy()
            if o.get("treat") == "winsorise":
                t = pd.Series(0, index=rows)
                winsorise(x, o, t)
                treated[rows] += t
            elif o.get("treat") == "log":
                v = x.dropna()
                if len(v) >= 4 and v.nunique() > 1 and abs(v.skew()) > o["skew"] and v.kurt() > o["kurtosis"]:
                    x = np.log(x)
                    treated[rows] += x.notna().astype(int)
            df.loc[rows, c] = x
    parts = []
    for rows in blocks:
        sub = df.loc[rows]
        x = pd.DataFrame({"a": sub.a, "b": -sub.b, "c": -band(sub.c.to_numpy(dtype=float), 0, 8), "d": sub.d},
                         index=rows)
        n = x.apply(lambda col: normalise(col, o.get("normalise", "minmax")))
        raw = pd.DataFrame({"a": sub.a, "b": sub.b, "c": band(sub.c.to_numpy(dtype=float), 0, 8), "d": sub.d},
                           index=rows)
        w = {"a": 1, "b": 2, "c": 1, "d": 1, "p": 2, "q": 1} if o["weights"] == "given" else \
            objective(raw if o["weights"] == "cv" else n, o["weights"])
        w = {**w, **o.get("w", {})}
        def dim(cols, n=n, w=w):
            ws = pd.DataFrame({k: n[k].notna() * w[k] for k in cols})
            return (n[cols].fillna(0) * ws).sum(axis=1) / ws.sum(axis=1)
        n["p"], n["q"] = dim(["a", "b"]), dim(["c", "d"])
        n["index"] = dim(["p", "q"])
        parts.append(n)
    out = pd.concat(parts)
    out["missing_index"] = out[inds].isna().sum(axis=1)  # a constant indicator normalises to NaN: missing
    out["imputed"], out["treated"] = imputed, treated
    out["region"], out["year"] = df.region, df.year
    out["rank"] = out.groupby("year")["index"].rank(method="min", ascending=False)
    out["alone"] = out.groupby("year")["index"].transform(
        lambda s: s.apply(lambda v: int(np.isclose(s, v, rtol=1e-9, atol=0).sum()) == 1))
    for d in ["p", "q"]:  # each dimension's rank (ranks = "all")
        out["rank_" + d] = out.groupby("year")[d].rank(method="min", ascending=False)
        out["alone_" + d] = out.groupby("year")[d].transform(
            lambda s: s.apply(lambda v: int(np.isclose(s, v, rtol=1e-9, atol=0).sum()) == 1))
    prev = out[["region", "year", "index", "rank", "alone"]].copy()
    prev["year"] = prev.year + 1
    out = out.merge(prev, on=["region", "year"], how="left", suffixes=("", "_before"))
    out["change"] = out["index"] - out.index_before
    out["rank_change"] = out.rank_before - out["rank"]
    return {f"{r.region}|{r.year}": {k: (None if pd.isna(getattr(r, k)) else float(getattr(r, k)))
                                      for k in ["index", "p", "q", "a", "b", "c", "d", "rank", "missing_index", "imputed",
                                                "treated", "change", "rank_change", "alone", "alone_before",
                                                "rank_p", "rank_q", "alone_p", "alone_q"]}
            for r in out.itertuples()}

data = pd.read_csv(sys.argv[1])
if sys.argv[2] == "sensitivity":
    given = {"a": 1, "b": 2, "c": 1, "d": 1, "p": 2, "q": 1}
    runs = []
    for imp in ["none", "mean"]:
        ws = [{}] + [{k: given[k] * f} for k in ["p", "a", "b", "q", "c", "d"] for f in [0.8, 1.2]]
        runs += [run(data, {"weights": "given", "impute": imp, "w": w}) for w in ws]
    keys = list(runs[0])
    # a region left without a score in some run (no value of an indicator
    # and no imputation) is not compared
    ranked = [all(r[k]["rank"] is not None for r in runs) for k in keys]
    R = np.array([[r[k]["rank"] if r[k]["rank"] is not None else np.nan for k in keys] for r in runs], dtype=float)
    alone = [ranked[j] and all(r[k]["alone"] for r in runs) for j, k in enumerate(keys)]
    print(json.dumps({k.split("|")[0]: ({"nominal": R[0, j], "median": np.median(R[:, j]),
                      "p5": np.percentile(R[:, j], 5), "p95": np.percentile(R[:, j], 95), "best": R[:, j].min(),
                      "worst": R[:, j].max(), "runs": len(runs), "alone": alone[j]} if ranked[j] else {"alone": False})
                      for j, k in enumerate(keys)}))
else:
    print(json.dumps([run(data, json.loads(o)) for o in sys.argv[2:]]))
]==]
local steps_ref = zb.engine.json_decode(T.python(python_index .. steps_program, work .. "/data.csv", table.unpack(specs)))
for k, c in ipairs(configs) do
  local spec = {framework = fw, id = "region", weights = c.weights or "given"}
  for key, v in pairs(c.spec) do spec[key] = v end
  local t = c.spec.period and data or first
  if c.positive then t = t:mutate{a = "abs(a) + 1", b = "abs(b) + 1", c = "abs(c) + 1", d = "abs(d) + 1"} end
  local got = t:composite(spec)
  local want, bad, rows = steps_ref[k], nil, 0
  local columns = {"index", "p", "q", "a", "b", "c", "d", "missing_index"}
  if c.spec.impute then columns[#columns + 1] = "imputed" end
  if c.spec.treat then columns[#columns + 1] = "treated" end
  for r in got:rows() do
    rows = rows + 1
    local year = c.spec.period and r.year or 2001
    local w = want[r.region .. "|" .. year]
    local check = {table.unpack(columns)}
    if w and w.alone == 1 then check[#check + 1] = "rank" end
    if c.spec.period then check[#check + 1] = "change" end
    for _, d in ipairs(c.spec.ranks and {"p", "q"} or {}) do
      if w and w["alone_" .. d] == 1 then check[#check + 1] = "rank_" .. d end
    end
    if c.spec.period and w and w.alone == 1 and w.alone_before == 1 then check[#check + 1] = "rank_change" end
    for _, col in ipairs(check) do
      if not w or not near(r[col], w[col]) then
        bad = bad or string.format("%s at %s %s: %s, pandas %s", col, r.region, year, r[col], w and w[col])
      end
    end
  end
  local count = 0
  for _ in pairs(want) do count = count + 1 end
  T.ok(rows == count and not bad, "composite " .. c.name .. ": every score, rank and count as pandas'",
       bad or string.format("%d rows, pandas %d", rows, count))
  if c.spec.treat then  -- t:sensitivity takes the thresholds too (skew, kurtosis, winmax were unknown options)
    local one, sbad = {framework = fw, id = "region", weights = {"given"}}, nil
    for key, v in pairs(c.spec) do one[key] = v end
    for r in t:sensitivity(one):rows() do
      local w = want[r.region .. "|2001"]
      if w and w.alone == 1 and r.nominal ~= w.rank then
        sbad = sbad or string.format("%s: nominal %s, pandas %s", r.region, r.nominal, w.rank)
      end
    end
    T.ok(not sbad, "sensitivity " .. c.name .. ": the nominal ranks as pandas'", sbad)
  end
end

-- Sensitivity: imputation none and mean, each weight 20% down and up
-- (a node at a time, in the framework's order), against pandas' ranks
do
  local want = zb.engine.json_decode(T.python(python_index .. steps_program, work .. "/data.csv", "sensitivity"))
  local bad, compared = nil, 0
  for r in first:sensitivity{framework = fw, id = "region", weights = {"given"}, impute = {"none", "mean"},
                             vary = 0.2}:rows() do
    local w = want[r.region]
    if w.alone then
      compared = compared + 1
      for _, col in ipairs{"nominal", "median", "p5", "p95", "best", "worst", "runs"} do
        if not near(r[col], w[col]) then bad = bad or string.format("%s at %s: %s, numpy %s", col, r.region, r[col], w[col]) end
      end
    end
  end
  T.ok(compared > 0 and not bad, string.format("sensitivity over imputations and weights ±20%%: 26 runs, ranks as " ..
       "numpy's (%d regions without a near-tie)", compared), bad)
  T.fails(function() return first:sensitivity{framework = fw, id = "region", vary = 2} end,
          "vary must be a share between 0 and 1", "vary out of range")
  T.fails(function() return first:sensitivity{framework = fw, id = "region", impute = {"none", "previous"}} end,
          "sensitivity: impute = \"previous\" takes a region's value from an earlier period, and t:sensitivity ranks " ..
          "one period's rows (it takes no period =)",
          "impute = \"previous\" in a sensitivity refused for what it is (it said: give period =, an option it lacks)")
  T.fails(function() return first:sensitivity{framework = fw, id = "region", vary = 0 / 0} end,
          "vary must be a share between 0 and 1 (0.2: each weight 20% down and up), got NaN", "a NaN vary refused")
end

-- t:normalise and t:weights over time: each year's rows alone, or every
-- year's together with fixed = true (as t:composite's), against numpy
-- written from the formulas: min-max, z-score (ddof 1), percentile ranks
-- (ties averaged); entropy and CRITIC of what t:normalise gives, cv of
-- positive raw values
do
  local want = zb.engine.json_decode(T.python(python_index .. [==[
df = pd.read_csv(sys.argv[1])
inds = ["a", "b", "c", "d"]
def norm(x, method):  # x: a block's values (nan missing), the direction and band applied
    v = x[~np.isnan(x)]
    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    if method == "minmax" and v.max() > v.min():
        out[ok] = (v - v.min()) / (v.max() - v.min()) * 100
    elif method == "zscore" and v.max() > v.min():
        out[ok] = (v - v.mean()) / v.std(ddof=1)
    elif method == "percentile" and len(v) > 1:
        out[ok] = (pd.Series(v).rank(method="average").to_numpy() - 1) / (len(v) - 1)
    return out
def signed(sub):
    return {"a": sub.a.to_numpy(float), "b": -sub.b.to_numpy(float), "c": -band(sub.c.to_numpy(float), 0, 8),
            "d": sub.d.to_numpy(float)}
def objective(sub, method):
    d = {}
    for c in inds:
        x = sub[c].to_numpy(float)
        v = x[~np.isnan(x)]
        if method in ("entropy", "cv"):
            d[c] = degree(x, method)
        elif len(v) < 2 or v.max() == v.min():
            d[c] = 0.0
        else:  # critic: sd times the sum of 1 - r with each other spread indicator, over the rows both have
            conflict = 0.0
            for k in inds:
                y = sub[k].to_numpy(float)
                w = y[~np.isnan(y)]
                if k == c or len(w) < 2 or w.max() == w.min():
                    continue
                both = ~np.isnan(x) & ~np.isnan(y)
                conflict += 1 - np.corrcoef(x[both], y[both])[0, 1]
            d[c] = v.std(ddof=1) * conflict
    total = sum(d.values())
    g = {c: d[c] / total for c in inds}
    g["p"], g["q"] = g["a"] + g["b"], g["c"] + g["d"]
    rel = {"index": 1.0, "p": g["p"], "q": g["q"], "a": g["a"] / g["p"], "b": g["b"] / g["p"],
           "c": g["c"] / g["q"], "d": g["d"] / g["q"]}
    return {k: {"weight": rel[k], "global": g.get(k, 1.0)} for k in rel}
out = {}
for fixed in [False, True]:
    blocks = [df] if fixed else [g for _, g in df.groupby("year")]
    for method in ["minmax", "zscore", "percentile"]:
        got = {}
        for sub in blocks:
            s = signed(sub)
            n = {c: norm(s[c], method) for c in inds}
            for j, (r, y) in enumerate(zip(sub.region, sub.year)):
                got[f"{r}|{y}"] = {c: None if np.isnan(n[c][j]) else n[c][j] for c in inds}
        out[f"{method} {str(fixed).lower()}"] = got
    mm = {}  # minmax, then entropy and critic weights of it, by year (the same in each when fixed)
    for sub in blocks:
        s = signed(sub)
        mm[id(sub)] = pd.DataFrame({c: norm(s[c], "minmax") for c in inds})
    for method in ["entropy", "critic", "cv"]:
        got = {}
        for sub in blocks:
            w = objective(sub[inds].abs() + 1 if method == "cv" else mm[id(sub)], method)
            for y in sorted(sub.year.unique()):
                for k, v in w.items():
                    got[f"{y}|{k}"] = v
        out[f"{method} {str(fixed).lower()}"] = got
print(json.dumps(out))
]==], work .. "/data.csv"))
  local positive = data:mutate{a = "abs(a) + 1", b = "abs(b) + 1", c = "abs(c) + 1", d = "abs(d) + 1"}
  for _, fixed in ipairs{false, true} do
    local words = fixed and "every year together (fixed = true)" or "each year alone"
    for _, method in ipairs{"minmax", "zscore", "percentile"} do
      local got = data:normalise{framework = fw, id = "region", period = "year", fixed = fixed or nil, method = method}
      local w, bad, rows = want[method .. " " .. tostring(fixed)], nil, 0
      for r in got:rows() do
        rows = rows + 1
        local v = w[r.region .. "|" .. r.year]
        for _, c in ipairs{"a", "b", "c", "d"} do
          if not v or not near(r[c], v[c]) then
            bad = bad or string.format("%s at %s %s: %s, numpy %s", c, r.region, r.year, r[c], v and v[c])
          end
        end
      end
      T.ok(rows == n * years and not bad, "t:normalise{period =} " .. method .. ", " .. words .. ": as numpy's",
           bad or string.format("%d rows, not %d", rows, n * years))
    end
    local normalised = data:normalise{framework = fw, id = "region", period = "year", fixed = fixed or nil}
    for _, method in ipairs{"entropy", "critic", "cv"} do
      local got = (method == "cv" and positive or normalised):weights{framework = fw, id = "region", period = "year",
                                                                     fixed = fixed or nil, method = method}
      local w, bad, rows = want[method .. " " .. tostring(fixed)], nil, 0
      for r in got:rows() do
        rows = rows + 1
        local v = w[r.year .. "|" .. r.code]
        for _, c in ipairs{"weight", "global"} do
          if not v or not near(r[c], v[c]) then
            bad = bad or string.format("%s of %s in %s: %s, numpy %s", c, r.code, r.year, r[c], v and v[c])
          end
        end
      end
      T.ok(rows == 7 * years and not bad, "t:weights{period =} " .. method .. ", " .. words .. ": as numpy's",
           bad or string.format("%d rows, not %d", rows, 7 * years))
    end
  end
  T.fails(function() return data:normalise{framework = fw, id = "region", fixed = true} end,
          "normalise: fixed = true needs period = a column", "fixed without period =")
  local twice = data:union(data:where{region = "r1", year = 2001}, "all")
  T.fails(function() return twice:weights{framework = fw, id = "region", period = "year"} end,
          "weights: region = r1 is there twice in year 2001", "t:weights with period =: a region once a period")
  T.fails(function() return positive:normalise{framework = fw, id = "region", period = "year", fixed = true,
                                                method = "reference", reference = "r1"} end,
          "the reference region = r1 has a row in each period normalised together", "a reference with fixed = true")
end

-- The steps as table methods: the values as each leaves them, against pandas'
do
  local want = zb.engine.json_decode(T.python(python_index .. steps_program:gsub("\ndata = pd.read_csv.*$", "") .. [==[
df = pd.read_csv(sys.argv[1]).query("year == 2001").set_index("region")
out = {"impute": {}, "treat": {}}
for c in inds:
    out["impute"][c] = df.groupby("grp")[c].transform(lambda s: s.fillna(s.mean())).to_dict()
    x, t = df[c].copy(), pd.Series(0, index=df.index)
    winsorise(x, {}, t)
    out["treat"][c] = x.to_dict()
print(json.dumps(out).replace("NaN", "null"))
]==], work .. "/data.csv"))
  for _, step in ipairs{{"impute", {method = "group", group = "grp"}}, {"treat", {method = "winsorise"}}} do
    local spec = step[2]
    spec.framework, spec.id = fw, "region"
    local bad, rows = nil, 0
    for r in first[step[1]](first, spec):rows() do
      rows = rows + 1
      for _, c in ipairs{"a", "b", "c", "d"} do
        if not near(r[c], want[step[1]][c][r.region]) then
          bad = bad or string.format("%s at %s: %s, pandas %s", c, r.region, r[c], want[step[1]][c][r.region])
        end
      end
    end
    T.ok(rows == n and not bad, "t:" .. step[1] .. ": each value as pandas leaves it", bad)
  end
  local kept = first:screen{framework = fw, id = "region", min = 1}
  T.eq(kept:where("available < 1"):count(), 0, "t:screen{min = 1}: only the regions with every indicator")
  T.eq(kept:count(), first:where("a IS NOT NULL AND b IS NOT NULL AND c IS NOT NULL AND d IS NOT NULL"):count(),
       "t:screen{min = 1}: every region with all four")
end

-- The steps chain, as the Handbook orders them, each keeping the table's
-- other columns (grp, pop, year): screened at 3/4, then imputed by the
-- mean of the group within each year, against pandas doing the same
do
  local want = zb.engine.json_decode(T.python([==[
import json, sys
import pandas as pd
inds = ["a", "b", "c", "d"]
df = pd.read_csv(sys.argv[1])
df = df[df[inds].notna().mean(axis=1) >= 0.75 - 1e-12].copy()
avail = df[inds].notna().mean(axis=1)
for c in inds:
    df[c] = df.groupby(["year", "grp"])[c].transform(lambda s: s.fillna(s.mean()))
print(json.dumps({f"{r.region}|{r.year}": {**{c: (None if pd.isna(getattr(r, c)) else getattr(r, c)) for c in inds},
                                           "grp": r.grp, "pop": r.pop, "available": avail[i]}
                  for i, r in zip(df.index, df.itertuples())}))
]==], work .. "/data.csv"))
  local chained = data:screen{framework = fw, id = "region", period = "year", min = 0.75}
                      :impute{framework = fw, id = "region", period = "year", method = "group", group = "grp"}
  T.eq(table.concat(chained.columns, ","), "region,grp,year,pop,a,b,c,d,available,imputed",
       "a step keeps the table's other columns in their places, its count last (t:screen's available kept by t:impute)")
  local bad, rows, count = nil, 0, 0
  for r in chained:rows() do
    rows = rows + 1
    local w = want[r.region .. "|" .. r.year]
    for _, c in ipairs{"a", "b", "c", "d", "pop", "available"} do
      if not w or not near(r[c], w[c]) then bad = bad or string.format("%s at %s %s: %s, pandas %s", c, r.region, r.year,
                                                                       r[c], w and w[c]) end
    end
    if w and r.grp ~= w.grp then bad = bad or string.format("grp at %s: %s, pandas %s", r.region, r.grp, w.grp) end
  end
  for _ in pairs(want) do count = count + 1 end
  T.ok(rows == count and not bad, string.format("t:screen{min = 0.75}:impute{method = \"group\", group = \"grp\"} over " ..
       "years: %d rows, each value as pandas' screening and group means leave it", count), bad or (rows .. " rows"))
end

-- winmax counts values, not changes: 1..60 and seven far out, 1000..7000,
-- stay outlying until all seven are winsorised (pandas: skew 2.63,
-- kurtosis 5.11 after six rounds, -0.09 and -1.28 after seven), so as
-- COINr winmax = 7 makes each 60, one value changed each, though the
-- highest is changed in each of the seven rounds (counted by changes, the
-- count passes 7 in the fourth round).  With winmax = 5 the indicator is
-- still outlying, and COINr's second treatment (log_CT) takes the values as
-- they came: log(a - 1 + 1% of 6999).
do
  local cells = {}
  for i = 1, 67 do cells[i] = string.format("('r%02d', %d)", i, i <= 60 and i or (i - 60) * 1000) end
  local far = zb.sql("select column1 as region, column2 as a from (values " .. table.concat(cells, ", ") .. ")")
  local one = zb.framework{{iCode = "index"}, {iCode = "a", Parent = "index", Direction = 1}}
  local got = {}
  for r in far:treat{framework = one, id = "region", method = "winsorise", winmax = 7}:where("a >= 60"):order("region"):rows() do
    got[#got + 1] = r.a .. "/" .. r.treated
  end
  T.eq(table.concat(got, " "), "60/0 60/1 60/1 60/1 60/1 60/1 60/1 60/1",
       "t:treat winsorise: winmax = 7 values winsorised (not 7 changes), treated 1 for each")
  local bad, rows = nil, 0
  local logged = far:treat{framework = one, id = "region", method = "winsorise"}:join(far:rename{raw = "a"}, "region")
  for r in logged:rows() do
    rows = rows + 1
    local want = math.log(r.raw - 1 + 0.01 * 6999)
    if not near(r.a, want) or r.treated ~= 1 then
      bad = bad or string.format("%s: %s treated %s, log_CT %s treated 1", r.region, r.a, r.treated, want)
    end
  end
  T.ok(rows == 67 and not bad, "t:treat winsorise: still outlying after winmax = 5 values, every value logged as " ..
       "COINr's log_CT (log(x - min + 1% of the range)) of the values as they came, treated 1 each", bad)
end

-- Results live in temporary tables that zb.tables() leaves out, and are
-- made in a --safe session too
do
  local before = zb.tables():count()
  local scores = first:composite{framework = fw, id = "region"}
  T.eq(zb.tables():count(), before, "a composite result is not among zb.tables()")
  T.eq(scores:count(), first:count(), "and reads as a table")
  T.write(work .. "/safe.lua", [[
local fw = zb.framework{{iCode = "i"}, {iCode = "x", Parent = "i", Direction = 1}, {iCode = "y", Parent = "i", Direction = -1}}
local t = zb.sql("select column1 as r, column2 as x, column3 as y from (values ('a', 1, 2), ('b', 3, 1), ('c', 2, 2))")
print(t:composite{framework = fw, id = "r"}:order("rank"):col("r")[1])
]])
  local repl = T.run("", {stdin = "t = zb.read_csv(" .. string.format("%q", work .. "/data.csv") .. ")\n" ..
                             "s = t:where{year = 2001}:composite{columns = {'a', 'b'}, id = 'region'}\n.tables\n"})
  T.ok(repl.code == 0 and repl.out:find("data", 1, true) and not repl.out:find("zb_result", 1, true),
       "nor among the REPL's .tables", repl.err .. repl.out)
  local safe = T.run("--safe " .. T.shell_quote(work .. "/safe.lua"))
  T.ok(safe.code == 0 and safe.out == "b\n", "t:composite in a --safe session", safe.err .. safe.out)
end

-- The steps' faults, each an error naming what is wrong
local function fails(spec, text, name, t)
  spec.framework, spec.id = fw, "region"
  T.fails(function() return (t or first):composite(spec) end, text, name)
end
fails({denominate = {a = "pop"}}, "pop of region = r1 is 0: a cannot be divided by it", "a denominator of 0, the region named",
      first:mutate{pop = "CASE WHEN region = 'r1' THEN 0 ELSE pop END", a = "coalesce(a, 1)"})
fails({denominate = {a = "people"}}, "denominate's people is not a column of the table", "a denominator not there")
fails({denominate = {p = "pop"}}, "denominate names p, not an indicator of the framework", "a denominated dimension")
fails({screen = 1.5}, "screen must be the share of indicators a region needs, 0 to 1", "a screen above 1")
T.fails(function() return first:screen{framework = fw, id = "region", min = 1.5} end,
        "screen: min must be the share of indicators a region needs, 0 to 1, got 1.5", "t:screen: its option min named")
fails({impute = "median"}, "unknown imputation median (none, mean, group, previous)", "an unknown imputation")
fails({impute = "previous"}, "impute = \"previous\" needs period = a column", "previous without periods")
fails({impute = "group"}, "impute = \"group\" needs group = a column", "group without a column")
fails({impute = "group", group = "grp"}, "grp of region = r2 is NULL: no group to impute from", "a region without a group",
      first:mutate{grp = "CASE WHEN region = 'r2' THEN NULL ELSE grp END"})
fails({treat = "trim"}, "unknown treatment trim (winsorise, log)", "an unknown treatment")
fails({treat = "winsorise", winmax = -1}, "winmax must be a number, 0 or more", "a negative winmax")
fails({treat = "winsorise", winmax = 0 / 0}, "winmax must be a number, 0 or more, got NaN",
      "a NaN winmax refused (it compared false: nothing winsorised, without a word)")
fails({treat = "winsorise", skew = 0 / 0}, "skew must be a number, 0 or more, got NaN", "a NaN skew threshold refused")
fails({screen = 0 / 0}, "screen must be the share of indicators a region needs, 0 to 1, got NaN", "a NaN screen refused")
fails({}, "region = r1 is there twice; one row a region is needed", "periods without period =", data)
fails({period = "year"}, "region = r1 is there twice in year 2001", "a region twice in a period",
      data:union(data:where{region = "r1", year = 2001}, "all"))
fails({period = "year"}, "region = r1 is there twice in year 2001.0", "a region twice in a period written 2001 and " ..
      "2001.0 (one period: it was taken twice, counted twice in the bounds, without a word)",
      data:union(data:where{region = "r1", year = 2001}:mutate{year = "year + 0.0"}, "all"))
do  -- 1 and 1.0 are one region to SQL's =, as to Lua's keys: twice, not two regions (a step's join doubled them)
  local twice = zb.sql("select 1 as region, 2001 as year, 1.0 as a, 2.0 as b, 3 as c, 4 as d union all " ..
                       "select 1.0, 2001.0, 3, 4, 5, 6 union all select 2, 2001, 5, 6, 7, 8")
  fails({period = "year"}, "region = 1.0 is there twice in year 2001", "a region twice in a period as 1 and 1.0", twice)
  T.fails(function() return twice:screen{framework = fw, id = "region", period = "year", min = 0} end,
          "screen: region = 1.0 is there twice in year 2001", "... and for a step, before its join")
end
do  -- nine 0s and a 100: winsorising the 100 leaves ten 0s, which normalise to nothing
  local mostly = {}
  for i = 1, 10 do mostly[i] = string.format("select 'r%d' as region, %d as a, %d as b, 1 as c, %d as d", i,
                                             i == 10 and 100 or 0, i, i % 3) end
  local flat = zb.sql(table.concat(mostly, " union all "))
  fails({treat = "winsorise"}, "composite: winsorising a leaves every value the same: a constant has nothing to " ..
        "normalise and a would drop out of the index (COINr leaves it untreated); winmax = 0 takes COINr's log_CT at once",
        "winsorising to a constant refused (its scores were NULL, the indicator gone without a word)", flat)
  T.eq(flat:treat{framework = fw, id = "region", method = "winsorise", winmax = 0}:where("a IS NULL OR treated <> 1"):count(), 0,
       "... and winmax = 0 logs it at once (log_CT), every value treated once")
end
do  -- a step's rows in the periods' order, then the table's, as its result's (the join's own order was the table's)
  local got = {}
  for r in data:order("region desc"):screen{framework = fw, id = "region", period = "year", min = 0}:rows() do
    got[#got + 1] = r.year .. "/" .. r.region
  end
  local want = {}
  for year = 2001, 2000 + years do
    local names = {}
    for i = 1, n do names[i] = "r" .. i end
    table.sort(names, function(x, y) return x > y end)
    for _, name in ipairs(names) do want[#want + 1] = year .. "/" .. name end
  end
  T.eq(table.concat(got, " "), table.concat(want, " "), "t:screen over years: each year's rows together, in the table's order")
end

-- An error raised inside one period names it (the method, the period
-- column and its value); over every period together (fixed = true) none
do
  zb.sql("create table by_year (region text, year integer, a real, b real, g text)")
  zb.sql([[insert into by_year values ('r1', 2004, 1, 2, 'x'), ('r2', 2004, 3, 1, 'x'), ('r3', 2004, 2, 5, 'y'),
    ('r4', 2004, 4, 3, 'y'), ('r5', 2004, 5, 4, 'y'),
    ('r1', 2005, 0, 2, 'x'), ('r2', 2005, 1, 1, 'x'), ('r3', 2005, 1, 5, NULL), ('r4', 2005, 1, 3, 'y'),
    ('r5', 2005, 60, 4, 'y'),
    ('r2', 2006, 3, 1, 'x'), ('r3', 2006, 2, 5, 'x'), ('r4', 2006, 4, 3, 'y'), ('r5', 2006, 5, 4, 'y')]])
  local t = zb.table("by_year")
  local ab = zb.framework{{iCode = "i"}, {iCode = "a", Parent = "i", Direction = 1}, {iCode = "b", Parent = "i", Direction = 1}}
  local function spec(more)
    local s = {framework = ab, id = "region", period = "year"}
    for k, v in pairs(more) do s[k] = v end
    return s
  end
  T.fails(function() return t:where("year <> 2005"):normalise(spec{method = "reference", reference = "r1"}) end,
          "normalise: year 2006: the reference region = r1 is not a row of the data", "normalise: the period without the reference named")
  T.fails(function() return t:where("year <> 2005"):composite(spec{normalise = "reference", reference = "r1"}) end,
          "composite: year 2006: the reference region = r1 is not a row of the data", "composite: ... named too")
  T.fails(function() return t:composite(spec{impute = "group", group = "g"}) end,
          "composite: year 2005: g of region = r3 is NULL: no group to impute from", "impute: the period of a row without its group")
  T.fails(function() return t:composite(spec{treat = "log"}) end,
          "composite: year 2005: a of region = r1 is 0; its log (treat = \"log\") needs positive values",
          "treat: the period whose outlying indicator holds 0 (0, 1, 1, 1, 60: skew 2.2, kurtosis 5.0 by pandas)")
  T.fails(function() return t:where("year <> 2004 or b = 1"):weights(spec{method = "entropy"}) end,
          "weights: year 2004: every indicator is constant: entropy gives no weights", "weights: the period of one row")
  T.fails(function() return t:where("year = 2006"):composite(spec{normalise = "reference", reference = "r1"}) end,
          "composite: year 2006: the reference", "one period alone: named too")
  T.fails(function() return t:where("region = 'r2' and year <> 2005"):weights(spec{method = "entropy", fixed = true}) end,
          "weights: every indicator is constant: entropy gives no weights", "every period together: no period named")
end

-- Weights as t:weights{period =} gives them, a row per period and node:
-- different in each period, they were read one after the other and the
-- last period's were taken for every period, without a word; now that is
-- an error naming the node.  With fixed = true they are the same in each
-- period, and taken: the index as numpy's, entropy from every period's
-- min-max values together.
do
  local ab = zb.framework{{iCode = "i"}, {iCode = "a", Parent = "i", Direction = 1},
                          {iCode = "b", Parent = "i", Direction = -1}}
  local t = zb.sql[[select column1 as region, column2 as year, column3 as a, column4 as b from (values
    ('p', 2018, 1, 5), ('q', 2018, 2, 4), ('s', 2018, 3, 3), ('p', 2019, 4, NULL), ('q', 2019, 2, 2),
    ('s', 2019, NULL, 1), ('p', 2021, 5, 2), ('q', 2021, 6, 2), ('u', 2021, 1, 9))]]
  local spec = {framework = ab, id = "region", period = "year"}
  local each = t:normalise(spec):weights{framework = ab, id = "region", period = "year", method = "entropy"}
  T.fails(function() return t:composite{framework = ab, id = "region", period = "year", weights = each} end,
          "weights has a twice, weighing 0.5 and 0.50378502276535", "per-period weights refused, the node and its " ..
          "weights named (the last period's were taken for all)")
  local fixed = t:normalise{framework = ab, id = "region", period = "year", fixed = true}
    :weights{framework = ab, id = "region", period = "year", fixed = true, method = "entropy"}
  local got = {}
  for _, r in ipairs(t:composite{framework = ab, id = "region", period = "year", fixed = true, weights = fixed}
                       :to_lua()) do
    got[#got + 1] = string.format("%s %d %.12g", r.region, r.year, r.i)
  end
  local want = T.python([==[
import numpy as np
a = np.array([1, 2, 3, 4, 2, np.nan, 5, 6, 1]); b = -np.array([5, 4, 3, np.nan, 2, 1, 2, 2, 9])
na, nb = [(x - np.nanmin(x)) / (np.nanmax(x) - np.nanmin(x)) * 100 for x in (a, b)]
def d(x):
    x = x[~np.isnan(x)]; p = x / x.sum(); q = p[p > 0]
    return 1 + np.sum(q * np.log(q)) / np.log(len(x))
wa, wb = d(na) / (d(na) + d(nb)), d(nb) / (d(na) + d(nb))
ids = ["p 2018", "q 2018", "s 2018", "p 2019", "q 2019", "s 2019", "p 2021", "q 2021", "u 2021"]
out = []
for k, key in enumerate(ids):
    xs = [(na[k], wa), (nb[k], wb)]
    xs = [(x, w) for x, w in xs if not np.isnan(x)]
    out.append("%s %.12g" % (key, sum(x * w for x, w in xs) / sum(w for _, w in xs)))
print(", ".join(out))
]==])
  T.eq(table.concat(got, ", ") .. "\n", want, "fixed = true: t:weights' rows, the same in each period, taken; the " ..
       "index as numpy's")
end

T.done()
