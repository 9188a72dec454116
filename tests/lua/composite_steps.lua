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

T.done()
