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
-- zb's own modules as the build's bytecode (FILE.luac beside FILE.lua):
-- taken when newer than the source and named by its path, else the source.
local function zb_at(bin, code, flags)
  local p = io.popen(string.format("cd %s && %s -n %s -e %s 2>&1", q(elsewhere), q(bin), flags or "", q(code)))
  local text = p:read("a")
  p:close()
  return text
end
local from = "print((select(2, require('zb.analysis.composite'))))"
T.has(T.run("-n -e " .. q(from)).out, "/lua/zb/analysis/composite.luac\n", "the built tree's zb loads its modules' bytecode")
T.has(zb_at(bin, from), "/opt/zb/share/zb/lua/zb/analysis/composite.lua\n",
      "a staged install (its chunks named for /opt/zb) loads the sources")
ok = os.execute(make .. " uninstall >/dev/null")
local left = io.popen("find " .. q(stage) .. " -type f"):read("a")
T.ok(ok and left == "", "make uninstall removes what install put there", left)
local prefix = T.tmpdir() .. "/zb"
ok = os.execute("make -s --no-print-directory PREFIX=" .. q(prefix) .. " install >/dev/null")
T.ok(ok, "make install PREFIX")
bin = prefix .. "/bin/zb"
local lua_dir = prefix .. "/share/zb/lua/zb/"
T.eq(zb_at(bin, from), lua_dir .. "analysis/composite.luac\n", "an installed zb loads its modules' bytecode")
T.eq(zb_at(bin, from, "--safe"), lua_dir .. "analysis/composite.lua\n", "... never in --safe")
local bad = "zb.options.check('load', {n = 1.5}, {n = 'integer'})"
local compiled = zb_at(bin, "print(select(2, xpcall(function() " .. bad .. " end, debug.traceback)))")
T.has(compiled, lua_dir .. "host/options.lua:", "a compiled module's traceback names its source file")
os.remove(lua_dir .. "host/options.luac")
T.eq(compiled, zb_at(bin, "print(select(2, xpcall(function() " .. bad .. " end, debug.traceback)))"),
     "... and the lines its source's own load gives")
local source = T.read(lua_dir .. "analysis/composite.lua")
T.write(lua_dir .. "analysis/composite.luac", "\27Lua")  -- truncated, and newer than its source
T.eq(zb_at(bin, from), lua_dir .. "analysis/composite.lua\n", "a truncated bytecode file: the source is loaded")
os.execute("sleep 0.01")
T.write(lua_dir .. "analysis/composite.lua", "EDITED = true\n" .. source)
T.eq(zb_at(bin, "require('zb.analysis.composite') print(EDITED)"), "true\n",
     "a source edited after the build is loaded, not its stale bytecode")
os.execute("make -s --no-print-directory PREFIX=" .. q(prefix) .. " uninstall >/dev/null")
T.cleanup()
T.done()
