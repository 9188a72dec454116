-- The analysis scripts that ship in lua/examples/, run as a user runs them.
local T = require("check")
local dir = T.tmpdir()

local cp = T.run("lua/examples/common-prosperity.lua")
T.eq(cp.code, 0, "common-prosperity.lua runs")
T.has(cp.out, "urban / rural per-capita disposable income   1.75", "the urban/rural income ratio, 1.75")
T.has(cp.out, "digital-economy core industries / GDP        27.1%  (stated: 27.1%)",
      "the digital-economy share recomputed from 4905 and 18109")
T.has(cp.out, "tax / general public budget revenue          93.6%", "tax as a share of budget revenue (2234 / 2387)")
T.has(cp.out, "budget revenue / GDP                         13.2%", "budget revenue as a share of GDP")
T.has(cp.out, "retail sales / GDP                           37.2%", "retail sales as a share of GDP")
T.has(cp.out, "gdp                        1.81万亿元   +8.5%  2020: 1.67万亿元 comparable",
      "last year's GDP implied by its growth")
T.has(cp.out, "income_rural                 4.27万元  +10.3%  2020:   3.87万元 nominal", "... and rural income's")
T.has(cp.out, "comparable prices", "the caveat about GDP growth is printed")
T.has(cp.out, "城镇居民 █████████████████████████████████████ 7.47万元\n农村居民 █████████████████████▏                4.27万元",
      "the urban and rural incomes drawn as bars (42692 / 74700 of the width)")

local env = "ZB_PATH=" .. T.shell_quote(os.getenv("PWD") .. "/lua/examples") .. " "
local pr = T.run("lua/examples/per-resident.lua", {env = env})
T.eq(pr.code, 0, "per-resident.lua runs, requiring mymetrics through ZB_PATH")
T.has(pr.out, "over 11936010 residents (2020 census): 151717 元 a resident", "a metric from the module, in SQL")
T.has(pr.out, "the same from Lua: 151717", "... and from Lua")
T.has(pr.out, "Zhejiang's GDP grew 7.59% a year on average", "the module's aggregate (a geometric mean)")
T.ok(T.run("lua/examples/per-resident.lua").code ~= 0, "without ZB_PATH the module is not found")

local open = T.run("lua/examples/targets-2022.lua")
T.eq(open.code, 0, "targets-2022.lua runs without actuals")
T.has(open.out, "│ 每千人拥有婴幼儿托位数   │    3.5 │ 个   │ NULL   │", "the targets, progress left open")
local actuals = T.file(dir, "actuals.csv", "indicator,value\nnursery_places_per_1000,3.1\nnew_schools_kindergartens,72\n")
local done = T.run("lua/examples/targets-2022.lua " .. T.shell_quote(actuals))
T.has(done.out, "│ 每千人拥有婴幼儿托位数   │    3.5 │ 个   │    3.1 │       88.6 │       0.4 │",
      "progress against a target, and what is left")
T.has(done.out, "│ 新建竣工中小学、幼儿园   │   70.0 │ 所   │   72.0 │      102.9 │       0.0 │",
      "a target passed (reals in a column of 3.5 and 3.0 shown with one decimal, as pandas does; nothing left: 0.0)")

-- The Yangtze Delta's inequality: each year's Gini and CV of GDP per
-- registered resident, against numpy reading the shipped files itself
local yi = T.run("lua/examples/yangtze-inequality.lua " .. T.shell_quote(T.tmpdir()))
T.eq(yi.code, 0, "yangtze-inequality.lua runs", yi.err)
T.has(yi.out, "Left out: 铜陵 2015 (7220.9 亿元", "it says what it leaves out")
if T.have_python("pandas") then
  local reference = T.python([==[
import sys
import numpy as np, pandas as pd
gdp = pd.read_csv(sys.argv[1]).melt(id_vars="时间(年)", var_name="city", value_name="gdp")
pop = pd.read_csv(sys.argv[2]).melt(id_vars="时间(年)", var_name="city", value_name="pop")
df = gdp.merge(pop, on=["时间(年)", "city"]).dropna()
df = df[(df["时间(年)"] >= 2000) & (df["时间(年)"] <= 2021) & ~((df.city == "铜陵") & (df["时间(年)"] == 2015))]
df["yuan"] = df.gdp * 1e8 / (df["pop"] * 1e4)
rows, ginis = [], []
for year, g in df.groupby("时间(年)"):
    x = np.sort(g.yuan.to_numpy()); n = len(x)
    gini = np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean())
    cv = x.std(ddof=1) / x.mean()
    rows.append((year, n, round(gini, 3), round(cv, 3))); ginis.append((year, gini))
# each column of reals as pandas shows it (zb prints them so)
shown = pd.DataFrame(rows, columns=["year", "n", "gini", "cv"])
gini_text = [s.strip() for s in shown.gini.to_string(index=False).split("\n")]
cv_text = [s.strip() for s in shown.cv.to_string(index=False).split("\n")]
for (year, n, _, _), g_text, c_text in zip(rows, gini_text, cv_text):
    print(f"│ {year} │ {n:6d} │ {g_text:>5} │ {c_text:>5} │")
years = np.array([y for y, _ in ginis]); values = np.array([v for _, v in ginis])
slope = np.polyfit(years, values, 1)[0]
print(f"gini trend ({slope:+.4f} a year)")
]==], zb.paths.datasets .. "/yangtze-delta-city-gdp.csv", zb.paths.datasets .. "/yangtze-delta-city-hukou-population.csv")
  for line in reference:gmatch("[^\n]+") do T.has(yi.out, line, "as numpy has it: " .. line) end
end
T.done()
