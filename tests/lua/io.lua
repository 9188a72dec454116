-- I/O faults: a file that shrinks while it is read, and a disk that fills
-- (a file-size limit, ulimit -f) under an export and under a -d database.
-- Each gives a clear error; nothing is half-loaded; no good file is lost.
local T = require("check")
local work = T.tmpdir()
local q = T.shell_quote

-- A CSV cut short while zb reads it (the mapping's pages past the new end).
-- Not under valgrind, whose own handling of SIGBUS and mappings differs.
local valgrind = T.zb:find("valgrind", 1, true)
local big = work .. "/big.csv"
local f = assert(io.open(big, "wb"))
f:write("region,year,value\n")
local line = string.rep("杭州市,2021,18109.5\n", 1000)
for _ = 1, os.getenv("ZB_SLOW") and 500 or 3000 do f:write(line) end
f:close()
local out = work .. "/shrink.txt"
if valgrind then print("# a file cut short mid-read: skipped under valgrind") else
os.execute(string.format("(%s -e %s > %s 2>&1 & pid=$!; sleep 0.2; truncate -s 100000 %s; wait $pid; echo \"exit $?\" >> %s)",
  T.zb, q("local ok, e = pcall(zb.read_csv, " .. string.format("%q", big) .. ") print(ok, e) print('tables', #zb.tables())"),
  q(out), q(big), q(out)))
local said = T.read(out)
T.has(said, "the file changed while it was read (it became shorter); nothing was loaded", "a file cut short mid-read: a clear error, not SIGBUS")
T.has(said, "tables\t0", "... and no table")
T.has(said, "exit 0", "... and the session goes on")
end

-- A full disk, as a file-size limit (the shell ignores SIGXFSZ, so writes fail with EFBIG).
local good = work .. "/export.csv"
T.write(good, "the good file\n")
local r = T.run("-e " .. q([[
local t = zb.sql("with recursive c(x) as (select 1 union all select x + 1 from c limit 200000) select x, 'row ' || x as s from c")
print(pcall(t.to_csv, t, ]] .. string.format("%q", good) .. [[))]]), {env = "trap '' XFSZ; ulimit -f 100; "})
T.has(r.out, "cannot write " .. good .. ": File too large", "an export on a full disk: a clear error")
T.eq(T.read(good), "the good file\n", "... and the file it would have replaced is as it was")
local leftovers = io.popen("ls " .. q(work) .. " | grep -c zb-")
T.eq(leftovers:read("a"), "0\n", "... and no temporary file is left")
leftovers:close()

-- The REPL's .once writes a result whole or not at all; .output says when
-- the disk is full and sends results to the screen again.
local once, stream = work .. "/once.txt", work .. "/stream.txt"
T.write(once, "the good file\n")
local long = 'zb.sql("with recursive c(x) as (select 1 union all select x + 1 from c limit 200000) select x from c")'
r = T.run("", {stdin = ".once " .. once .. "\n" .. long .. "\nprint('after')\n.output " .. stream .. "\n" .. long ..
                      "\n1 + 1\n", env = "trap '' XFSZ; ulimit -f 50; "})
T.has(r.err, "cannot write " .. once .. ": File too large", ".once on a full disk: a clear error")
T.eq(T.read(once), "the good file\n", "... and the file it would have replaced is as it was")
T.has(r.err, "cannot write " .. stream .. ": File too large (results go to the screen again)", ".output too")
T.has(r.out, "after\n2\n", "... and the session goes on, on the screen")
T.eq(r.code, 1, "... failing as a line that fails does")

local db = work .. "/full.db"
T.run("-d " .. q(db) .. " -e " .. q("zb.db:sql('create table kept (x)') zb.db:sql('insert into kept values (42)')"))
r = T.run("-d " .. q(db) .. " -e " .. q([[
print(pcall(function() zb.db:sql("create table big as with recursive c(x) as (select 1 union all select x + 1 from c limit 300000) select x, randomblob(100) as b from c") end))]]),
  {env = "trap '' XFSZ; ulimit -f 200; "})
T.has(r.out, "false", "a -d database on a full disk: the statement fails ...")
T.has(r.out, "disk I/O error: File too large", "... saying what the system said")
r = T.run("-d " .. q(db) .. " -e " .. q("print(zb.db:sql('pragma integrity_check')[1].integrity_check, zb.sql('select x from kept'):value(), #zb.tables())"))
T.eq(r.out, "ok\t42\t1\n", "... and the database is intact, with what it had")

-- A real full disk: a 2 MB tmpfs, when the tests may mount one (root).
local small = work .. "/small"
os.execute("mkdir -p " .. q(small))
if os.execute("mount -t tmpfs -o size=2m tmpfs " .. q(small) .. " 2>/dev/null") then
  T.write(small .. "/export.csv", "the good file\n")
  r = T.run("-e " .. q(string.format([[
local t = zb.sql("with recursive c(x) as (select 1 union all select x + 1 from c limit 300000) select x, 'row ' || x as s from c")
print(pcall(t.to_csv, t, %q))]], small .. "/export.csv")))
  T.has(r.out, "cannot write " .. small .. "/export.csv: No space left on device", "an export on a full tmpfs: a clear error")
  T.eq(T.read(small .. "/export.csv"), "the good file\n", "... the old file is as it was")
  local tdb = small .. "/full.db"
  T.run("-d " .. q(tdb) .. " -e " .. q("zb.db:sql('create table kept (x)') zb.db:sql('insert into kept values (42)')"))
  r = T.run("-d " .. q(tdb) .. " -e " .. q([[
print(pcall(function() zb.db:sql("create table big as with recursive c(x) as (select 1 union all select x + 1 from c limit 100000) select x, randomblob(100) as b from c") end))]]))
  T.has(r.out, "database or disk is full", "a -d database on a full tmpfs: SQLite says the disk is full")
  r = T.run("-d " .. q(tdb) .. " -e " .. q("print(zb.db:sql('pragma integrity_check')[1].integrity_check, zb.sql('select x from kept'):value())"))
  T.eq(r.out, "ok\t42\n", "... and the database is intact")
  os.execute("umount " .. q(small))
else
  print("# a full tmpfs: skipped (cannot mount here); the file-size limit above stands in")
end

-- A read-only directory: as root every write succeeds, so the check runs
-- as nobody (setpriv) when the tests run as root.
local whoami = io.popen("id -u"):read("l")
local as_user = valgrind and nil or whoami ~= "0" and "" or
  (os.execute("command -v setpriv >/dev/null 2>&1") and "setpriv --reuid=65534 --regid=65534 --clear-groups " or nil)
if as_user then
  local ro = work .. "/readonly"
  os.execute("mkdir -p " .. q(ro) .. " && chmod 755 " .. q(work) .. " && echo good > " .. q(ro .. "/f.csv") .. " && chmod 555 " .. q(ro))
  local cmd = string.format("cd %s && %senv HOME=%s %s -e %s 2>&1", q(work), as_user, q(work), T.zb, q(string.format([[
print(pcall(function() return zb.sql("select 1 as a"):to_csv(%q) end))
print(pcall(function() return zb.sql("select 1 as a"):to_csv(%q) end))]], ro .. "/f.csv", ro .. "/new.csv")))
  local pipe = io.popen(cmd)
  local said = pipe:read("a")
  pipe:close()
  T.has(said, "(command line):1: cannot write " .. ro .. "/f.csv: Permission denied", "an export over a file in a read-only directory: a clear error")
  T.has(said, "cannot write " .. ro .. "/new.csv: Permission denied", "... and into it")
  T.eq(T.read(ro .. "/f.csv"), "good\n", "... the file there is as it was")
  pipe = io.popen(string.format("%senv HOME=%s %s -d %s -e 1 2>&1; echo \"exit $?\"", as_user, q(work), T.zb, q(ro .. "/x.db")))
  said = pipe:read("a")
  pipe:close()
  T.has(said, "cannot open database '" .. ro .. "/x.db'", "a -d database in a read-only directory: a clear error")
  T.has(said, "exit 1", "... and exit status 1")
else
  print("# read-only directories: skipped (root without setpriv, or under valgrind, which cannot write its log as nobody)")
end
T.done()
