-- make install / uninstall: an installed zb finds its own modules from anywhere.
local T = require("check")
local q = T.shell_quote

local stage = T.tmpdir()
local elsewhere = T.tmpdir()
local make = "make -s --no-print-directory PREFIX=/opt/zb DESTDIR=" .. q(stage)
local ok = os.execute(make .. " install >/dev/null")
T.ok(ok, "make install PREFIX DESTDIR succeeds")
local bin = stage .. "/opt/zb/bin/zb"
for _, path in ipairs{bin, stage .. "/opt/zb/share/zb/lua/zb/interactive/repl.lua",
                      stage .. "/opt/zb/share/zb/lua/zb/present/pretty.lua",
                      stage .. "/opt/zb/share/zb/examples/growth.lua",
                      stage .. "/opt/zb/share/man/man1/zb.1"} do
  T.ok(T.read(path) ~= nil, "installed: " .. path:sub(#stage + 1))
end
local cmd = string.format("cd %s && %s -n -e %s 2>&1", q(elsewhere), q(bin),
  q("print(zb.pretty({1}), zb.paths.home:find('/opt/zb/', 1, true) ~= nil)"))
local p = io.popen(cmd)
local out = p:read("a")
p:close()
T.eq(out, "{1}\ttrue\n", "the installed zb loads its Lua modules from PREFIX/share/zb, from any directory")
p = io.popen(string.format("cd %s && printf '1 + 1\\n' | %s -n 2>&1", q(elsewhere), q(bin)))
out = p:read("a")
p:close()
T.eq(out, "2\n", "the installed zb's REPL works")
ok = os.execute(make .. " uninstall >/dev/null")
local left = io.popen("find " .. q(stage) .. " -type f"):read("a")
T.ok(ok and left == "", "make uninstall removes what install put there", left)
T.cleanup()
T.done()
