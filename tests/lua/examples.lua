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
T.has(done.out, "│ 新建竣工中小学、幼儿园   │     70 │ 所   │     72 │      102.9 │         0 │", "a target passed")
T.done()
