-- zb --safe: an untrusted script tries real ways out, and each is refused
-- with a clear error; what it may do still works.  And an untrusted
-- database file cannot run zb's Lua through its schema.
local T = require("check")
local work = T.tmpdir()
local own, out = work .. "/own", work .. "/out"
os.execute("mkdir -p " .. T.shell_quote(own) .. " " .. T.shell_quote(out))
T.write(own .. "/data.csv", "region,value\n杭州市,18109\n")
T.write(work .. "/secret.txt", "secret\n")
os.execute("ln -s " .. T.shell_quote(work .. "/secret.txt") .. " " .. T.shell_quote(out .. "/link"))
for _, name in ipairs{"dangling", "dangling.db"} do  -- links to files not yet there, outside
  os.execute("ln -s " .. T.shell_quote(work .. "/made-" .. name) .. " " .. T.shell_quote(out .. "/" .. name))
end

-- Each attempt runs in the sandboxed script; its outcome is printed as a line.
local attempts = {
  {"os.execute", [[os.execute("touch ]] .. work .. [[/pwned")]], "os.execute is not allowed in a safe session"},
  {"io.popen", [[io.popen("id")]], "io.popen is not allowed"},
  {"io.tmpfile (a file outside)", [[io.tmpfile()]], "io.tmpfile is not allowed"},
  {"os.getenv", [[assert(os.getenv("ZB_SECRET_TOKEN"), "no token to read")]], "no token to read"},
  {"io.open outside", [[assert(io.open("]] .. work .. [[/secret.txt"))]], "secret.txt is outside the directories this safe session may read"},
  {"io.lines outside", [[for l in io.lines("/etc/passwd") do end]], "/etc/passwd is outside"},
  {"write beside the script", [[assert(io.open("]] .. own .. [[/x.txt", "w"))]], "may write"},
  {"a link out of an allowed directory", [[assert(io.open("]] .. out .. [[/link"))]], "link is outside"},
  {"os.remove outside", [[assert(os.remove("]] .. work .. [[/secret.txt"))]], "may write"},
  {"dofile outside", [[dofile("]] .. work .. [[/secret.txt")]], "is outside"},
  {"package.loadlib", [[package.loadlib("libc.so.6", "system")]], "package.loadlib is not allowed"},
  {"a C module", [[require("lpeg")]], "module 'lpeg' not found"},
  {"a binary chunk", [[assert(load(string.dump(function() end)))]], "attempt to load a binary chunk"},
  {"debug.sethook (to lift the timeout)", [[debug.sethook(print, "c")]], "attempt to call a nil value (field 'sethook')"},
  {"debug.getupvalue (to reach io.open's original)", [[debug.getupvalue(io.open, 1)]], "field 'getupvalue'"},
  {"ATTACH", [[zb.db:sql("attach ']] .. work .. [[/evil.db' as e")]], "not authorized: " .. work .. "/evil.db is outside"},
  {"VACUUM INTO", [[zb.db:sql("vacuum into ']] .. work .. [[/copy.db'")]], "not authorized"},
  {"fts3_tokenizer (it takes a pointer)", [[zb.db:sql("select fts3_tokenizer('evil', x'4141414141414141')")]],
   "not authorized to use function: fts3_tokenizer"},
  {"fts3_tokenizer (it gives one)", [[zb.db:sql("select hex(fts3_tokenizer('simple'))")]],
   "not authorized to use function: fts3_tokenizer"},
  {"zb.core.file_kind (whether a file exists)", [[require("zb.core").file_kind("]] .. work .. [[/secret.txt")]],
   "secret.txt is outside"},
  {"zb.read_csv outside", [[zb.read_csv("/etc/passwd")]], "cannot open /etc/passwd: outside the directories"},
  {"zb.core.read_csv", [[require("zb.core").read_csv("/etc/passwd")]], "outside the directories"},
  {"an export outside", [[zb.sql("select 1 as a"):to_csv("]] .. work .. [[/leak.csv")]], "cannot write " .. work .. "/leak.csv: outside"},
  {"zb.attach outside", [[zb.attach("]] .. work .. [[/secret.txt")]], "is outside"},
  -- From a review: the sandbox may not trust what the script can change.
  {"replacing type", [[local t = type; type = function() return "no" end; local ok, e = pcall(io.open, "]] .. work .. [[/secret.txt"); type = t; assert(ok, e)]], "secret.txt is outside"},
  {"replacing error", [[local e0 = error; error = function() end; local f = io.open("]] .. work .. [[/secret.txt"); error = e0; assert(not f, "read it")]], "secret.txt is outside"},
  {"replacing zb.core.allowed", [[require("zb.core").allowed = function() return true end; assert(io.open("]] .. work .. [[/secret.txt"))]], "secret.txt is outside"},
  {"replacing string.find", [[local f0 = string.find; string.find = function() end; local ok, e = pcall(io.open, "]] .. own .. [[/y.txt", "w"); string.find = f0; assert(ok, e)]], "y.txt is outside"},
  {"ATTACH of an expression", [[zb.db:sql("attach ']] .. work .. [[/' || 'evil2.db' as e2")]], "not authorized: a file named by an expression"},
  {"ATTACH with two modes", [[zb.db:sql("attach 'file:]] .. own .. [[/evil3.db?mode=rwc&a=mode=ro' as e3")]], "not authorized"},
  {"ATTACH with a # (SQLite ends the URI there)", [[zb.db:sql("attach 'file:]] .. own .. [[/hash.db#?mode=ro' as h")]], "not authorized"},
  {"ATTACH with modeof= (it reads another file)", [[zb.db:sql("attach 'file:]] .. out .. [[/m.db?modeof=/etc/passwd' as m")]], "not authorized"},
  {"PRAGMA trusted_schema", [[zb.db:sql("pragma trusted_schema = 1")]], "PRAGMA trusted_schema is not allowed"},
  {"PRAGMA temp_store (temporary tables on disk, unbounded)", [[zb.db:sql("pragma temp_store = file")]], "PRAGMA temp_store is not allowed"},
  {"a number as a path", [[assert(io.open(12345, "w"))]], "12345 is outside"},
  {"lifting the timeout", [[zb.timeout()]], "a safe session may shorten its time, not lengthen or lift it"},
  {"lengthening the timeout", [[zb.timeout(1e6)]], "not lengthen"},
  {"require of a binary chunk (package.searchpath replaced)", [[local f = io.open("]] .. out .. [[/x.luac", "wb") f:write(string.dump(function() return 1 end)) f:close() local s0 = package.searchpath package.searchpath = function() return "]] .. out .. [[/x.luac" end local ok, e = pcall(require, "zb.x") package.searchpath = s0 assert(ok, e)]], "module 'zb.x' not found"},
  {"require of a path out of zb's directory", [[require("zb./../../../../../../etc/passwd")]], "not found"},
  {"writing through a link to nothing", [[assert(io.open("]] .. out .. [[/dangling", "w"))]], "dangling is outside"},
  {"VACUUM INTO a link to nothing", [[zb.db:sql("vacuum into ']] .. out .. [[/dangling.db'")]], "not authorized"},
  {"searching other directories", [[assert(false, "found: " .. tostring(package.searchpath("secret", "]] .. work .. [[/?.txt")))]], "found: nil"},
}
local lines = {}
for i, a in ipairs(attempts) do
  lines[#lines + 1] = string.format("local ok%d, e%d = pcall(function() %s end) print(%q, ok%d and 'ALLOWED' or e%d)",
                                    i, i, a[2], a[1], i, i)
end
lines[#lines + 1] = [[print("own csv", #zb.read_csv("]] .. own .. [[/data.csv"))]]
lines[#lines + 1] = [[print("export allowed", zb.sql("select 1 as a"):to_csv("]] .. out .. [[/ok.csv"))]]
lines[#lines + 1] = [[print("dataset", #zb.dataset("hangzhou-2021"))]]
lines[#lines + 1] = [[print("load", load("return 6 * 7")())]]
lines[#lines + 1] = [[print("metric", (function() zb.metric("twice", function(x) return 2 * x end) return zb.sql("select twice(21)"):value() end)())]]
lines[#lines + 1] = [[zb.sql("select 7 as x"):save("kept") zb.db:sql("vacuum into ']] .. out .. [[/kept.db'")]]
lines[#lines + 1] = [[print("attach allowed", zb.attach("]] .. out .. [[/kept.db", "k"), zb.sql("select x from k.kept"):value())]]
T.write(own .. "/untrusted.lua", table.concat(lines, "\n") .. "\n")
local r = T.run("--safe --allow " .. T.shell_quote(out) .. " " .. T.shell_quote(own .. "/untrusted.lua"),
                {env = "ZB_SECRET_TOKEN=s3cret "})
T.eq(r.code, 0, "the untrusted script runs to its end", r.err)
for _, a in ipairs(attempts) do
  local line = r.out:match(a[1]:gsub("%p", "%%%0") .. "\t([^\n]*)") or "(no line)"
  T.has(line, a[3], "refused: " .. a[1])
end
T.ok(not io.open(work .. "/pwned"), "nothing ran")
T.ok(not io.open(work .. "/made-dangling") and not io.open(work .. "/made-dangling.db"), "no file made through a link")
T.ok(not io.open(work .. "/evil.db") and not io.open(work .. "/copy.db") and not io.open(work .. "/leak.csv"),
     "nothing was written outside")
T.eq(T.read(work .. "/secret.txt"), "secret\n", "nothing was removed")
T.has(r.out, "own csv\t1", "its own directory can be read")
T.has(r.out, "export allowed\t" .. out .. "/ok.csv", "an --allow directory can be written")
T.has(r.out, "dataset\t36", "zb's datasets can be read")
T.has(r.out, "metric\t42", "metrics work")
T.has(r.out, "attach allowed\tk\t7", "zb.attach reaches a file in an --allow directory")
T.has(r.out, "load\t42", "load of text sees the globals")
T.ok(not io.open(own .. "/hash.db") and not io.open(out .. "/m.db"), "no file made through a URI's # or modeof=")
T.ok(not io.open(work .. "/evil2.db") and not io.open(own .. "/evil3.db") and not io.open(own .. "/12345"),
     "the reviewed ways out wrote nothing")

-- Bounded memory and time.
r = T.run("--safe --max-memory 40 -e " .. T.shell_quote("local t = {} for i = 1, 1e8 do t[i] = i end"))
T.eq(r.code, 1, "a script that eats memory stops ...")
T.has(r.err, "not enough memory", "... with a clear error")
r = T.run("--safe --max-memory 40 -e " .. T.shell_quote([[print(pcall(function() return zb.sql("with recursive c(x) as (select 1 union all select x + 1 from c limit 3000000) select length(group_concat(x)) from c"):value() end))]]))
T.has(r.out, "false", "SQLite's memory is bounded too")
r = T.run("--max-memory 40 -e " .. T.shell_quote([[
zb.db:sql("create table big as with recursive c(x) as (select 1 union all select x + 1 from c limit 1500000) select x from c")
print(pcall(function() local n = 0 for _ in zb.table("big"):group("x"):agg{n = "count(*)"}:rows() do n = n + 1 end return n end))]]))
T.has(r.out, "false\t", "and zb_group's, grouping in C")
r = T.run("--max-memory 40 -e " .. T.shell_quote([[
zb.db:sql("create table big as with recursive c(x) as (select 1 union all select x + 1 from c limit 1500000) select x, x % 7 as g from c")
print(pcall(function() local n = 0 for _ in zb.table("big"):rank{value = "x", by = "g"}:rows() do n = n + 1 end return n end))
print(zb.table("big"):where("x <= 3"):rank{value = "x"}:col("rank")[1])]]))
T.has(r.out, "false\t", "and zb_rank's, ranking in C")
T.has(r.out, "out of memory (in SQL", "... with a clear error")
T.has(r.out, "\n3\n", "... and the session goes on")
local commas = work .. "/commas.csv"
local cf = assert(io.open(commas, "wb"))
cf:write("a\n")
local comma_chunk = string.rep(",", 1000000)
for _ = 1, 40 do cf:write(comma_chunk) end
cf:write("\n")
cf:close()
r = T.run("--max-memory 50 -e " .. T.shell_quote("print(pcall(zb.read_csv, " .. string.format("%q", commas) .. "))"))
T.ok(r.out:find("^false\t[^\n]-not enough memory") ~= nil, "and the CSV reader's, on a line of 40 million fields", r.out)
T.ok(r.out:find("out of memory", 1, true) or r.out:find("not enough memory", 1, true), "... saying so", r.out)
r = T.run("--safe --timeout 0.3 -e " .. T.shell_quote("while true do pcall(error) end"))
T.eq(r.code, 124, "a runaway safe script is stopped")
r = T.run("--safe --timeout 0.3 -e " .. T.shell_quote([[
setmetatable({}, {__gc = function() while true do end end}) print("the script ends")]]))
T.eq(r.code, 124, "so is a finalizer that runs forever as the script ends")
T.has(r.err, "zb: timed out (a finalizer, while the session closed)", "saying so")
T.has(r.out, "the script ends", "what the script printed is kept")
r = T.run("--safe --timeout 0.3 -e " .. T.shell_quote([[
setmetatable({}, {__gc = function() while true do end end}) os.exit(0)]]))
T.eq(r.code, 124, "and after os.exit")
r = T.run("--safe -e " .. T.shell_quote([[
setmetatable({}, {__gc = function() print("finalized") end}) os.exit(3)]]))
T.eq(r.code, 3, "a finalizer that ends keeps the exit status")
T.has(r.out, "finalized", "and runs")
r = T.run("--safe", {stdin = ".help\n"})
T.has(r.out, "This is a --safe session", "the REPL's .help says when a session is safe")
T.hasnt(T.run("", {stdin = ".help\n"}).out, "--safe session", "and only then")
r = T.run("--safe", {stdin = ".read /etc/passwd\n"})
T.has(r.err, ".read: cannot open /etc/passwd: outside the directories", "the REPL's .read is held too")
T.eq(T.run("--safe --allow /no/such/dir -e 1").code, 1, "--allow needs a directory that exists")
r = T.run("--allow " .. T.shell_quote(out) .. " -e 1")
T.eq(r.code, 2, "--allow without --safe is a usage error, not ignored")
T.has(r.err, "--allow needs '--safe'", "... saying so")

-- The five breaks of an outside review (issue 19), each a case that must
-- stay stopped.
-- 1. debug.getinfo with a thread first handed out the functions on the
-- stack; from a load reader that was Lua's own load, which takes binary
-- chunks (and a forged one runs any C function linked into zb).
T.write(own .. "/stack.lua", [[
local co, seen = coroutine.running(), {}
local function look()
  for level = 0, 8 do
    for _, args in ipairs{{co, level, "f"}, {co, level, "fL"}, {co, level, "flnSrtu"}, {level, "f"}, {level, "L"},
                          {co, level}, {level}, {co, tostring(level), "f"}} do
      local ok, info = pcall(debug.getinfo, table.unpack(args))
      for k, v in pairs(ok and type(info) == "table" and info or {}) do
        if type(v) == "function" or type(v) == "table" then seen[#seen + 1] = k end
      end
    end
  end
end
look()
print("reader", load(function() look() return nil end))
load(function() print("reader's stack", (debug.traceback():gsub("\n", " "))) return nil end)
coroutine.wrap(look)()
print("functions seen", #seen, table.concat(seen, " "))
print("name kept", debug.getinfo(1, "S").short_src:match("stack.lua"))
]])
r = T.run("--safe " .. T.shell_quote(own .. "/stack.lua"))
T.has(r.out, "functions seen\t0\t\n", "debug.getinfo returns no function in any call form, from a load reader either", r.err)
T.has(r.out, "name kept\tstack.lua", "what it may tell, it still tells")
T.has(r.out, "reader's stack\t", "a load reader runs ...", r.err)
T.ok(not r.out:match("reader's stack[^\n]*%[C%]: in %a+ 'load'"), "... before Lua's own load, which is on no stack the script can see", r.out)
local chunk_file = own .. "/compiled.lua"
local compiled = assert(io.open(chunk_file, "wb"))
compiled:write(string.dump(load("print('binary ran')")))
compiled:close()
r = T.run("--safe " .. T.shell_quote(chunk_file))
T.hasnt(r.out, "binary ran", "a script that is a binary chunk does not run in --safe")
T.has(r.err, "attempt to load a binary chunk", "... saying why")

-- 2. os.exit from a finalizer while the session closed began the closing,
-- and its time, anew: each of these finalizers got a fresh --timeout.
r = T.run("--safe --timeout 1 -e " .. T.shell_quote([[
for i = 1, 4 do
  setmetatable({}, {__gc = function()
    print("finalizer") local t = os.clock() while os.clock() - t < 0.4 do end os.exit(7)
  end})
end]]))
T.eq(select(2, r.out:gsub("finalizer", "")), 1, "os.exit while the session closes ends zb at once", r.out)
T.eq(r.code, 7, "with the status it asked for")

-- 3. ATTACH's path was checked as the statement was prepared, and opened
-- as it was stepped; script code between (a metric in AS) renamed
-- directories so that the approved path led outside.
local swap = out .. "/swap"
os.execute("mkdir -p " .. T.shell_quote(swap .. "/near/inner") .. " " .. T.shell_quote(swap .. "/far") .. " " ..
           T.shell_quote(work .. "/beyond"))
os.execute("ln -s " .. T.shell_quote(swap .. "/near/inner") .. " " .. T.shell_quote(swap .. "/near/l") .. " && ln -s " ..
           T.shell_quote(work .. "/beyond") .. " " .. T.shell_quote(swap .. "/far/l"))
r = T.run("-d " .. T.shell_quote(work .. "/beyond/secret.db") .. " -e " ..
          T.shell_quote([[zb.db:sql("create table s(x)") zb.db:sql("insert into s values ('the secret')")]]))
T.eq(r.code, 0, "a database outside", r.err)
T.write(own .. "/swap.lua", [[
local swap = ]] .. string.format("%q", swap) .. [[
zb.metric("swap", function(name)
  assert(os.rename(swap .. "/near", swap .. "/was-near"))
  assert(os.rename(swap .. "/far", swap .. "/near"))
  return name
end)
print("write", pcall(zb.db.sql, zb.db, "attach '" .. swap .. "/near/l/made.db' as (swap('w'))"))
assert(os.rename(swap .. "/near", swap .. "/far"))
assert(os.rename(swap .. "/was-near", swap .. "/near"))
print("read", pcall(function()
  zb.db:sql("attach 'file:" .. swap .. "/near/l/secret.db?mode=ro' as (swap('r'))")
  return zb.sql("select x from r.s"):value()
end))
]])
r = T.run("--safe --allow " .. T.shell_quote(out) .. " " .. T.shell_quote(own .. "/swap.lua"))
T.has(r.out, "write\tfalse\tnot authorized: " .. work .. "/beyond/made.db is outside the directories this safe session may write",
      "a file SQLite opens is checked as it opens, its path resolved then", r.err)
T.has(r.out, "read\tfalse\tnot authorized: " .. work .. "/beyond/secret.db is outside the directories this safe session may read",
      "so is a file opened to read")
T.ok(not io.open(work .. "/beyond/made.db"), "no database was made outside")

-- 4. What a safe session showed of the environment and the home directory,
-- and what package.searchpath told of files anywhere.
os.execute("mkdir -p " .. T.shell_quote(work .. "/x"))
T.write(work .. "/x/secret.lua", "return 1\n")
T.write(own .. "/leaks.lua", [[
print(package.path, package.cpath, zb.paths.config, zb.paths.state, os.getenv("HOME"), os.getenv("XDG_CONFIG_HOME"))
print("found", package.searchpath("../x/secret", ]] .. string.format("%q", own .. "/?.lua") .. [[, "", ""))
print("found", package.searchpath("x.secret", ]] .. string.format("%q", work .. "/?.lua") .. [[))
print("own", package.searchpath("zb.interactive.repl", package.path) ~= nil)
]])
r = T.run("--safe " .. T.shell_quote(own .. "/leaks.lua"), {env = "ZB_PATH=/zb-path-private LUA_PATH='/lua-path-private/?.lua' " ..
          "LUA_CPATH='/lua-cpath-private/?.so' XDG_CONFIG_HOME=/xdg-private XDG_STATE_HOME=/xdg-private HOME=/home-private "})
T.eq(r.code, 0, "a script reads its search paths and zb.paths", r.err)
T.hasnt(r.out, "private", "they show nothing of ZB_PATH, LUA_PATH, LUA_CPATH, the XDG directories or HOME")
T.hasnt(r.out, "found\t" .. work, "package.searchpath finds no file the script may not read, in any argument form")
T.has(r.out, "own\ttrue", "and still finds zb's own modules")

-- 5. Open files held C buffers outside --max-memory: 20,000 took 95 MB.
r = T.run("--safe --max-memory 8 -e " .. T.shell_quote([[
local files = {}
print(pcall(function() for i = 1, 20000 do files[i] = assert(io.open("/dev/null")) end end))
print("opened", #files)]]))
T.has(r.out, "Too many open files", "a safe script's open files are limited")
T.ok((tonumber(r.out:match("opened\t(%d+)")) or 1e9) < 300, "to a few hundred", r.out)
local two_hundred = [[
local files = {}
print(pcall(function() for i = 1, 200 do files[i] = assert(io.open("/dev/null")) end end))
print("opened", #files)]]
r = T.run("--safe --max-memory 1 -e " .. T.shell_quote(two_hundred))
T.has(r.out, "false\tnot enough memory", "each open file counts against --max-memory (200 do not fit in 1 MB)", r.err)
T.ok((tonumber(r.out:match("opened\t(%d+)")) or 0) > 20, "though a few do", r.out)
r = T.run("--safe --max-memory 4 -e " .. T.shell_quote(two_hundred))
T.has(r.out, "opened\t200", "and 200 fit in 4 MB", r.err)

-- The -d database of a safe session: a path or a file: URI with one mode=;
-- a WAL database outside --allow cannot be attached, even read-only
-- (SQLite would make its -wal file beside it), and the refusal says why.
r = T.run("--safe -d " .. T.shell_quote("file:" .. out .. "/by-uri.db?mode=rwc") .. " -e " ..
          T.shell_quote([[zb.db:sql("create table t(x)") zb.db:sql("insert into t values (6)") print("uri", zb.sql("select x * 7 from t"):value())]]))
T.has(r.out, "uri\t42", "--safe -d takes a file: URI", r.err)
r = T.run("--safe -d " .. T.shell_quote("file:" .. out .. "/by-uri.db?vfs=unix") .. " -e 1")
T.eq(r.code, 1, "but not one with other parameters")
T.has(r.err, "a safe session takes a file name or a file: URI with one mode= at most", "saying so")
r = T.run("-d " .. T.shell_quote(own .. "/shipped.db") .. " -e " .. T.shell_quote([[zb.db:sql("create table t(x)")]]))
T.eq(r.code, 0, "a WAL database beside the script", r.err)
T.write(own .. "/attach-shipped.lua", [[print(pcall(zb.db.sql, zb.db, "attach 'file:]] .. own .. [[/shipped.db?mode=ro' as s"))]])
r = T.run("--safe " .. T.shell_quote(own .. "/attach-shipped.lua"))
T.has(r.out, "shipped.db-wal is outside the directories this safe session may write (SQLite makes it beside a " ..
      "database it opens: copy the database under an --allow directory)", "cannot be attached, saying why", r.err)

-- From a review of the fixes: a finalizer runs wherever Lua allocates,
-- and one that swaps directories between io.open's check and the open
-- made the checked path lead out (the kernel refused it; zb must not
-- need it to).
local race = out .. "/race"
os.execute("mkdir -p " .. T.shell_quote(race .. "/A") .. " " .. T.shell_quote(race .. "/B") ..
           " && ln -s " .. T.shell_quote(work .. "/secret.txt") .. " " .. T.shell_quote(race .. "/B/f"))
T.write(race .. "/A/f", "innocent\n")
T.write(own .. "/race.lua", [[
local race, swapped, armed = ]] .. string.format("%q", race) .. [[, false, false
local function swap()
  if swapped or not armed then return end
  swapped = true
  os.rename(race .. "/A", race .. "/C") os.rename(race .. "/B", race .. "/A")
end
local function unswap()
  if not swapped then return end
  swapped = false
  os.rename(race .. "/A", race .. "/B") os.rename(race .. "/C", race .. "/A")
end
local outcomes = {}
for try = 1, 1500 do
  unswap()
  armed = false
  for _ = 1, 20 do setmetatable({}, {__gc = swap}) end
  armed = true
  for _, open in ipairs{function() return io.open(race .. "/A/f") end,
                        function() return io.lines(race .. "/A/f") end,
                        function() return loadfile(race .. "/A/f") end} do
    local ok, f, why = pcall(open)
    armed = false
    local what = not ok and (tostring(f):match("Permission denied") and "the kernel refused" or "zb refused")
                 or f == nil and (tostring(why):match("Permission denied") and "the kernel refused" or "failed")
                 or io.type(f) == "file" and (f:read("a") == "innocent\n" and "read" or "read the secret")
                 or "opened"
    if io.type(f) == "file" then f:close() end
    outcomes[what] = (outcomes[what] or 0) + 1
    armed = true
  end
end
unswap()
for what, n in pairs(outcomes) do print(what, n) end
]])
r = T.run("--safe --allow " .. T.shell_quote(out) .. " " .. T.shell_quote(own .. "/race.lua"))
T.eq(r.code, 0, "a script races finalizers against io.open, io.lines and loadfile", r.err)
T.hasnt(r.out, "the kernel refused", "zb's check and the open are one step: no finalizer runs between", r.out)
T.hasnt(r.out, "read the secret", "nothing outside was read", r.out)
T.has(r.out, "read\t", "the file inside was read", r.out)

-- os.remove and os.rename act on a name, not on where a link there leads:
-- a link outside to /dev/null (writable) or to a file under --allow passed
-- the check, and the link itself was removed or replaced.
os.execute("ln -s /dev/null " .. T.shell_quote(work .. "/masked") .. " && ln -s " .. T.shell_quote(out .. "/payload") ..
           " " .. T.shell_quote(own .. "/to-payload") .. " && mkdir -p " .. T.shell_quote(work .. "/empty-allowed"))
T.write(out .. "/payload", "attacker's\n")
r = T.run("--safe --allow " .. T.shell_quote(out) .. " --allow " .. T.shell_quote(work .. "/empty-allowed") .. " -e " .. T.shell_quote([[
print("rename", pcall(os.rename, "]] .. out .. [[/payload", "]] .. work .. [[/masked"))
print("remove", pcall(os.remove, "]] .. work .. [[/masked"))
print("remove link", pcall(os.remove, "]] .. own .. [[/to-payload"))
print("remove allowed", pcall(os.remove, "]] .. work .. [[/empty-allowed"))
print("rename inside", os.rename("]] .. out .. [[/payload", "]] .. out .. [[/payload2"))]]))
T.has(r.out, "rename\tfalse\t" .. work .. "/masked is outside the directories this safe session may write",
      "os.rename may not replace a link outside that leads to /dev/null", r.err)
T.has(r.out, "remove\tfalse\t" .. work .. "/masked is outside", "nor os.remove remove it")
T.has(r.out, "remove link\tfalse\t" .. own .. "/to-payload is outside",
      "nor a link in the script's read-only directory that leads under --allow")
T.has(r.out, "remove allowed\tfalse\t" .. work .. "/empty-allowed is outside",
      "nor an --allow directory itself")
T.has(r.out, "rename inside\ttrue", "renaming under --allow still works")
T.ok(os.execute("test -L " .. T.shell_quote(work .. "/masked")), "the link outside is still a link")

-- A pipe or a device in the script's directory is not a file to read (a
-- FIFO never opens; a device such as /dev/kmsg reads the kernel's log).
os.execute("mkfifo " .. T.shell_quote(own .. "/fifo"))
local has_device = os.execute("mknod " .. T.shell_quote(own .. "/zero") .. " c 1 5 2>/dev/null")
r = T.run("--safe --timeout 5 -e " .. T.shell_quote([[
print("fifo", pcall(io.open, "]] .. own .. [[/fifo"))
print("device", pcall(io.open, "]] .. own .. [[/zero"))
print("null", io.open("/dev/null", "w") ~= nil)]]))
T.has(r.out, "fifo\tfalse\t" .. own .. "/fifo is a device, a pipe or a socket, not a file this safe session may open",
      "a FIFO in the script's directory is refused at once", r.err)
if has_device then
  T.has(r.out, "device\tfalse\t" .. own .. "/zero is a device", "so is a device node")
end
T.has(r.out, "null\ttrue", "/dev/null stays usable")

-- The kernel's half: a test build without zb's Lua sandbox (make's
-- zb-kernel-only), where the script calls the real os.execute and io.open
-- and loads C: Landlock and seccomp still stop it.
local kernel_only = os.getenv("ZB_KERNEL_ONLY")
if kernel_only then
  local probe = own .. "/probe.so"
  os.execute("cp build/probe.so " .. T.shell_quote(probe))
  T.write(own .. "/unsandboxed.lua", [[
print("exec", os.execute("touch ]] .. work .. [[/kernel-pwned"))
print("popen", pcall(function() local p = io.popen("touch ]] .. work .. [[/kernel-pwned2") return p and p:close() end))
print("write outside", io.open("]] .. work .. [[/kernel-written", "w"))
print("read outside", io.open("]] .. work .. [[/secret.txt"))
print("read /etc", io.open("/etc/passwd"))
local f = assert(io.open("]] .. out .. [[/kernel-ok.txt", "w")) f:write("ok") f:close()
print("write allowed", io.open("]] .. out .. [[/kernel-ok.txt"):read("a"))
local probe = assert(package.loadlib("]] .. probe .. [[", "luaopen_probe"))()
print("socket", probe.socket())
print("fork", probe.fork())
print("tiocsti", probe.type_into_terminal())
print("chmod", probe.chmod("]] .. work .. [[/secret.txt"))
print("renice", probe.renice_parent())
print("renice group", probe.renice_group())
print("date", os.date("!%Y") == os.date("%Y"))
print("zb", zb.sql("select 6 * 7"):value(), #zb.dataset("hangzhou-2021"))
]])
  local saved = T.zb
  T.zb = kernel_only
  r = T.run("--safe --allow " .. T.shell_quote(out) .. " " .. T.shell_quote(own .. "/unsandboxed.lua"))
  T.zb = saved
  T.eq(r.code, 0, "the kernel-only build runs an unsandboxed script", r.err)
  local refused = {  -- what the script printed, and what that shows
    {"exec\tnil\tOperation not permitted", "the kernel refuses the real os.execute"},
    {"write outside\tnil\t" .. work .. "/kernel-written: Permission denied", "nor lets it write outside --allow"},
    {"read outside\tnil\t" .. work .. "/secret.txt: Permission denied", "nor read outside"},
    {"read /etc\tnil\t/etc/passwd: Permission denied", "nor read /etc"},
    {"socket\tnil\tOperation not permitted", "C code cannot open a socket"},
    {"fork\tnil\tOperation not permitted", "nor make a process"},
    {"tiocsti\tnil\tOperation not permitted", "nor type into the terminal zb was started from"},
    {"chmod\tnil\tOperation not permitted", "nor change a file's mode"},
    {"renice\tnil\tOperation not permitted", "nor change another process"},
    {"renice group\tnil\tOperation not permitted", "nor its process group"},
  }
  for _, case in ipairs(refused) do T.has(r.out, case[1], case[2]) end
  T.ok(not io.open(work .. "/kernel-pwned") and not io.open(work .. "/kernel-pwned2"), "no program ran")
  T.ok(not io.open(work .. "/kernel-written"), "nothing was written")
  T.has(r.out, "write allowed\tok", "an --allow directory stays writable")
  T.has(r.out, "zb\t42\t36", "zb itself works: SQL, its datasets")
else
  T.ok(false, "ZB_KERNEL_ONLY names the kernel-only test build (make test sets it)")
end
r = T.run("-v")
T.has(r.out, "kernel sandbox for --safe: Landlock ABI", "zb -v says what kernel sandbox --safe gets")
-- A kernel without Landlock (its calls made to answer ENOSYS, as an old
-- kernel does): --safe says so and goes on; --require-kernel-sandbox does not.
local probe_lib = package.loadlib("build/probe.so", "luaopen_probe")  -- the suites run from the top
if probe_lib then
  local probe = probe_lib()
  local function run_without_landlock(args)
    local dir = T.tmpdir()
    local code = probe.without_landlock(string.format("%s %s >%s/out 2>%s/err </dev/null", T.zb, args, dir, dir))
    return {code = code, out = T.read(dir .. "/out"), err = T.read(dir .. "/err")}
  end
  r = run_without_landlock("--safe -e " .. T.shell_quote("print(6 * 7)"))
  T.eq(r.code, 0, "without Landlock, --safe still runs", r.err)
  T.has(r.out, "42", "... the script")
  T.has(r.err, "zb: --safe: the kernel's sandbox is only partly on (Landlock: not offered by this kernel); " ..
        "zb's own checks still hold the script", "... saying so on stderr")
  r = run_without_landlock("--safe --require-kernel-sandbox -e " .. T.shell_quote("print(6 * 7)"))
  T.eq(r.code, 1, "--require-kernel-sandbox refuses to run without it")
  T.hasnt(r.out, "42", "... and runs nothing")
  T.has(r.err, "zb: --require-kernel-sandbox: the kernel's sandbox is only partly on (Landlock: not offered by this kernel)",
        "... saying why")
  r = run_without_landlock("-v")
  T.has(r.out, "kernel sandbox for --safe: seccomp; no Landlock", "zb -v says what is missing")
else
  T.ok(false, "build/probe.so beside zb (make test builds it)")
end
r = T.run("--safe --require-kernel-sandbox -e " .. T.shell_quote("print(6 * 7)"))
T.eq(r.code, 0, "--require-kernel-sandbox runs where the kernel has both", r.err)
T.eq(r.err, "", "... saying nothing")
r = T.run("--require-kernel-sandbox -e 1")
T.eq(r.code, 2, "--require-kernel-sandbox without --safe is a usage error")

-- An untrusted database: its views and triggers cannot call zb's Lua.
local evil = work .. "/evil-schema.db"
r = T.run("-d " .. T.shell_quote(evil) .. " -e " .. T.shell_quote([[
zb.metric("leak", function() os.execute("touch ]] .. work .. [[/schema-pwned") return 1 end)
zb.db:sql("create table t(x)")
zb.db:sql("create view v as select leak() as y, zb_lua(1) as z from t")
zb.db:sql("create table log(x)")
zb.db:sql("create trigger tr after insert on t begin insert into log select leak(); end")]]))
T.eq(r.code, 0, "a crafted database with views and triggers calling functions", r.err)
r = T.run("-d " .. T.shell_quote(evil) .. " -e " .. T.shell_quote([[
zb.metric("leak", function() os.execute("touch ]] .. work .. [[/schema-pwned") return 1 end)
print(pcall(function() return zb.sql("select * from v"):first() end))
print(pcall(function() return zb.db:sql("insert into t values (1)") end))]]))
T.has(r.out, "unsafe use of leak()", "a view cannot call a metric")
T.has(r.out:match("[^\n]*\n([^\n]*)") or "", "unsafe use of leak()", "nor a trigger")
T.ok(not io.open(work .. "/schema-pwned"), "nothing ran")

-- CHECK constraints, generated columns and expression and partial indexes
-- run on the rows written or read, and SQLite 3.40 refuses zb's functions
-- there only when they are deterministic and known as it reads the schema.
-- The crafted files are made with SQLite's own functions and their text
-- patched to call lek(), zb_lua() and ratio() (zb.library's), as an
-- attacker's tool would write them: no SQLite would create them so.
local function crafted_db(file, sqls, ...)
  local path = work .. "/" .. file
  local made = T.run("-d " .. T.shell_quote(path) .. " -e " ..
                     T.shell_quote("for _, sql in ipairs{" .. sqls .. "} do zb.db:sql(sql) end"))
  T.eq(made.code, 0, "the database for " .. file, made.err)
  local bytes = T.read(path)
  for i = 1, select("#", ...), 2 do  -- patterns and their replacements, each of its length
    local from, to = select(i, ...)
    local patched, n = bytes:gsub(from, to)
    T.ok(n > 0 and #patched == #bytes, "its schema patched: " .. to, n)
    bytes = patched
  end
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
  return path
end
local crafted = crafted_db("crafted.db", [["create table c(x check (hex(x) <> ''))",
  "create table g(x, y as (hex(x)))", "create table s(x, y as (hex(x)) stored)",
  "create table i(x)", "create index i_x on i(hex(x))", "create table p(x)",
  "create index p_x on p(x) where hex(x) <> ''", "insert into i values (1)"]], "hex%(", "lek(")
local crafted_index = crafted_db("crafted-index.db", [["create table t(x)", "create index t_x on t(HEX(x))"]],
                                 "HEX%(", "LEK(")
local crafted_lua = crafted_db("crafted-lua.db", [["create table c(x check (printf(9, 'from the file', x) <> ''))"]],
                               "printf%(", "zb_lua(")
-- SQLite loads a row whose type is TABLE as a table; and it reads only the
-- first statement of a row's text (the rest once made t, so that t's own
-- row, IF NOT EXISTS, replayed as nothing).
local crafted_case = crafted_db("crafted-case.db", [["create table zz(x check (hex(x) <> ''))"]],
                                "tablezzzz", "TABLEzzzz", "hex%(", "lek(")
local crafted_tail = crafted_db("crafted-tail.db", [["create table a(x /*;create table t(y)--lek*/)",
  "create table t /*.........*/(x check (hex(x) <> ''))"]], "x /%*;", "x  );", "%*/%)", "  )",
  "t /%*%.........%*/", "if not exists t", "hex%(", "lek(")
local crafted_library = crafted_db("crafted-library.db", [["create table c(x check (upper(x) <> ''))"]],
                                   "upper%(", "ratio(")

local marker = work .. "/crafted-pwned"
local function lek(opts)
  -- a call from a schema passes a value; the session's own, below, none
  return [[zb.metric("lek", function(x) if x then io.open("]] .. marker .. [[", "w"):close() end return 1 end]] ..
         (opts and ", " .. opts or "") .. ")\n"
end
local rule = "zb's functions (metrics, aggregates) may not run from a file's schema"
for _, opts in ipairs{false, "{deterministic = true}"} do
  local kind = opts and "a deterministic metric" or "a metric"
  r = T.run("-d " .. T.shell_quote(crafted) .. " -e " .. T.shell_quote([[
print(pcall(function() ]] .. lek(opts) .. [[ end))
for _, t in ipairs{"c", "g", "s", "i", "p"} do
  print(t, pcall(function() zb.db:sql("insert into " .. t .. "(x) values (2)") end))
end
print("g", pcall(function() return zb.sql("select y from g"):value() end))
print("i", zb.sql("select count(*) from i"):value())
print(pcall(zb.aggregate, "lek", {step = function() end, final = function() return 1 end}))]]))
  T.eq(r.code, 0, "a session on the crafted file goes on", r.err)
  T.has(r.out, "cannot define lek: table c of " .. crafted .. " calls it; " .. rule,
        kind .. " the file's CHECK constraint calls is refused, saying why")
  T.has(r.out:match("([^\n]*)\n$") or "", "cannot define lek: table c of", "so is an aggregate")
  for _, t in ipairs{"c", "g", "s", "i", "p"} do
    T.has(r.out, t .. "\tfalse\t(command line):4: unknown function: lek()",
          "inserting into the table with a crafted " .. t .. " calls nothing")
  end
  T.has(r.out, "g\tfalse\t(command line):6: unknown function: lek()", "nor does reading a generated column")
  T.has(r.out, "i\t1\n", "the file's data stay readable")

  r = T.run("-e " .. T.shell_quote(lek(opts) .. [[
print(pcall(zb.attach, "]] .. crafted .. [[", {write = true}))
print(pcall(function() zb.db:sql("attach ']] .. crafted .. [[' as e") end))
print(#zb.sql("select * from pragma_database_list"), zb.sql("select lek() as v"):value())]]))
  T.has(r.out, "cannot attach " .. crafted .. ": ", "a file whose schema calls " .. kind .. " of the session " ..
        "does not attach")
  T.has(r.out, rule, "saying why")
  T.has(r.out:match("[^\n]*\n([^\n]*)") or "", rule, "nor through SQL's ATTACH")
  T.has(r.out, "\n1\t1\n", "it is not left attached, and the session's metric still works")
end
for _, path in ipairs{crafted_case, crafted_tail} do
  r = T.run("-d " .. T.shell_quote(path) .. " -e " .. T.shell_quote([[
print(pcall(function() ]] .. lek() .. [[ end))
print(pcall(zb.db.sql, zb.db, "insert into ]] .. (path == crafted_case and "zz" or "t") .. [[ values (1)"))]]))
  T.has(r.out, "cannot define lek: table " .. (path == crafted_case and "zz" or "t") .. " of " .. path .. " calls it",
        "lek is refused for " .. path:match("[^/]*$"))
end
r = T.run("-e " .. T.shell_quote([[
zb.attach("]] .. crafted_index .. [[")
print(pcall(function() ]] .. lek() .. [[ end))]]))
T.has(r.out, "cannot define lek: index t_x of " .. crafted_index .. " calls it", "an index calling LEK() refuses lek")

-- A function SQLite knows already (FTS5's snippet) names itself to the
-- replay only through its authorizer; a file SQLite itself made calls it.
local fts_named = work .. "/fts-named.db"
r = T.run("-d " .. T.shell_quote(fts_named) .. " -e " .. T.shell_quote([[zb.db:sql("create table c(x check (snippet(x) <> 'zz'))")]]))
T.eq(r.code, 0, "a file whose CHECK constraint calls snippet()", r.err)
r = T.run("-d " .. T.shell_quote(fts_named) .. " -e " .. T.shell_quote([[
print(pcall(zb.metric, "snippet", function(x) io.open("]] .. marker .. [[", "w"):close() return 1 end))
print(pcall(zb.db.sql, zb.db, "insert into c values (1)"))]]))
T.has(r.out, "cannot define snippet: table c of " .. fts_named .. " calls it", "a metric named as FTS5's snippet is refused")
-- an ATTACH run through any path zb steps SQL on is checked
r = T.run("-e " .. T.shell_quote(lek() .. [[
print(pcall(function() for _ in require("zb.core").rows("attach ']] .. crafted_case .. [[' as e", {}) do end end))
print(#zb.sql("select * from pragma_database_list"))]]))
T.has(r.out, "table zz of " .. crafted_case .. " calls lek()", "ATTACH through zb.core.rows is checked too")
T.has(r.out, "\n1\n", "... and the file is not left attached")

-- FTS4 calls the functions its compress= and uncompress= options name, as
-- top-level SQL (DIRECTONLY does not hold them back).
local crafted_fts = crafted_db("crafted-fts.db", [["create virtual table ft using fts4(body, compress=lower, uncompress=upper)",
  "insert into ft values ('hello')"]], "uncompress=upper", "uncompress=lekup")
r = T.run("-e " .. T.shell_quote([[
print(pcall(zb.metric, "lekup", function(x) io.open("]] .. marker .. [[", "w"):close() return x end))
print(pcall(zb.attach, "]] .. crafted_fts .. [["))
print(pcall(function() return zb.sql("select body from ft"):value() end))]]))
T.has(r.out, "cannot attach " .. crafted_fts .. ": table ft of " .. crafted_fts .. " calls lekup()",
      "an FTS4 table whose uncompress= names a metric does not attach")
r = T.run("-d " .. T.shell_quote(crafted_fts) .. " -e " .. T.shell_quote([[
print(pcall(zb.metric, "lekup", function(x) io.open("]] .. marker .. [[", "w"):close() return x end))
print(pcall(function() return zb.sql("select body from ft"):value() end))]]))
T.has(r.out, "cannot define lekup: table ft of " .. crafted_fts .. " calls it", "... nor can its metric be defined")

r = T.run("-d " .. T.shell_quote(crafted_lua) .. " -e " .. T.shell_quote("print(1)"))
T.eq(r.code, 1, "a file whose CHECK constraint calls zb_lua() does not open")
T.has(r.err, "table c of " .. crafted_lua .. " calls zb_lua(); " .. rule, "saying why")
r = T.run("-e " .. T.shell_quote([[
zb.metric("innocent", function(...) io.open("]] .. marker .. [[", "w"):close() return 1 end)
local t = zb.sql("select 1 as x"):where(function(r) return true end)
print(#t, pcall(zb.attach, "]] .. crafted_lua .. [[", {write = true}))]]))
T.has(r.out, "1\tfalse\t(command line):3: cannot attach " .. crafted_lua, "nor does it attach (at the user's line)")

r = T.run("-d " .. T.shell_quote(crafted_library) .. " -e " .. T.shell_quote("print(zb.sql('select 1'):value())"))
T.eq(r.code, 1, "a file whose schema calls one of zb.library's functions does not open")
T.has(r.err, "zb: cannot open database '" .. crafted_library .. "': table c of " .. crafted_library ..
      " calls ratio(); " .. rule, "saying why")
T.ok(not io.open(marker), "none of zb's functions ran from a crafted schema")
T.done()