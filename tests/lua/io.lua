-- I/O faults: a file that shrinks while it is read, and a disk that fills
-- (a file-size limit, ulimit -f) under an export and under a -d database.
-- Each gives a clear error; nothing is half-loaded; no good file is lost.
local T = require("check")
local work = T.tmpdir()
local q = T.shell_quote

-- A CSV cut short while zb reads it (the mapping's pages past the new end).
local big = work .. "/big.csv"
local f = assert(io.open(big, "wb"))
f:write("region,year,value\n")
local line = string.rep("杭州市,2021,18109.5\n", 1000)
for _ = 1, os.getenv("ZB_SLOW") and 500 or 3000 do f:write(line) end
f:close()
local out = work .. "/shrink.txt"
os.execute(string.format("(%s -e %s > %s 2>&1 & pid=$!; sleep 0.2; truncate -s 100000 %s; wait $pid; echo \"exit $?\" >> %s)",
  T.zb, q("local ok, e = pcall(zb.read_csv, " .. string.format("%q", big) .. ") print(ok, e) print('tables', #zb.tables())"),
  q(out), q(big), q(out)))
local said = T.read(out)
T.has(said, "the file changed while it was read (it became shorter); nothing was loaded", "a file cut short mid-read: a clear error, not SIGBUS")
T.has(said, "tables\t0", "... and no table")
T.has(said, "exit 0", "... and the session goes on")

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

local db = work .. "/full.db"
T.run("-d " .. q(db) .. " -e " .. q("zb.db:sql('create table kept (x)') zb.db:sql('insert into kept values (42)')"))
r = T.run("-d " .. q(db) .. " -e " .. q([[
print(pcall(function() zb.db:sql("create table big as with recursive c(x) as (select 1 union all select x + 1 from c limit 300000) select x, randomblob(100) as b from c") end))]]),
  {env = "trap '' XFSZ; ulimit -f 200; "})
T.has(r.out, "false", "a -d database on a full disk: the statement fails ...")
T.has(r.out, "disk I/O error: File too large", "... saying what the system said")
r = T.run("-d " .. q(db) .. " -e " .. q("print(zb.db:sql('pragma integrity_check')[1].integrity_check, zb.sql('select x from kept'):value(), #zb.tables())"))
T.eq(r.out, "ok\t42\t1\n", "... and the database is intact, with what it had")
T.done()
