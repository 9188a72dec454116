-- Writing a module: the README's example module works as README says.
local T = require("check")
local q = T.shell_quote

local example = T.read("lua/examples/growth.lua")
local readme = T.read("README.md")
T.ok(example and readme and readme:find(example, 1, true), "README shows lua/examples/growth.lua verbatim")

local env = "ZB_PATH=" .. q(os.getenv("PWD") .. "/lua/examples") .. " "
local r = T.run("-e " .. q([[
local growth = require("growth")
print(string.format("%.2f %.2f %.1f", zb.growth.previous(74700, 8.8),
  growth.rate(74700, 68658.09), growth.cagr(100, 121, 2)))]]), {env = env})
T.eq(r.out, "68658.09 8.80 10.0\n", "require through ZB_PATH; the module extends zb")
r = T.run("-l growth", {env = env, stdin = ".growth 42692 10.3\n.help growth\n.growth x y\n"})
T.has(r.out, "38705.35\n", "a REPL command added by the module runs")
T.has(r.out, ".growth NOW PCT", ".help lists it")
T.has(r.err, "usage: .growth NOW PCT (two numbers)", "its errors are reported")
T.done()
