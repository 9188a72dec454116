-- Crash consistency: kill -9 at random points while a script writes to a
-- -d database (WAL mode).  Each time the database must open, pass
-- PRAGMA integrity_check, and hold every table the script had reported
-- committed before it died.
local T = require("check")
local work = T.tmpdir()
local db = work .. "/crash.db"
T.write(work .. "/writer.lua", [[
local i = 0
while true do
  i = i + 1
  zb.read_csv(arg[1], {name = "t" .. i})       -- one committed load
  zb.db:sql("insert into log values (?)", i)   -- and a committed row
  io.stdout:write("committed ", i, "\n")
  io.stdout:flush()
end
]])
local rows = {"region,value"}
for i = 1, 3000 do rows[#rows + 1] = "杭州市," .. i end
T.write(work .. "/data.csv", table.concat(rows, "\n") .. "\n")

math.randomseed(42)
local rounds = os.getenv("ZB_SLOW") and 4 or 12
local problems, committed = {}, 0
for round = 1, rounds do
  os.remove(db)
  os.remove(db .. "-wal")
  os.remove(db .. "-shm")
  local init = T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote("zb.db:sql('create table log (i)')"))
  if init.code ~= 0 then problems[#problems + 1] = "setup: " .. init.err break end
  local delay = (os.getenv("ZB_SLOW") and 3 or 0.05) + math.random() * (os.getenv("ZB_SLOW") and 4 or 0.4)
  local cmd = string.format("(%s -d %s %s %s > %s/out.txt 2>&1 & pid=$!; sleep %.3f; kill -9 $pid; wait $pid) 2>/dev/null",
                            T.zb, T.shell_quote(db), T.shell_quote(work .. "/writer.lua"), T.shell_quote(work .. "/data.csv"),
                            T.shell_quote(work), delay)
  os.execute(cmd)
  local last = 0
  for n in T.read(work .. "/out.txt"):gmatch("committed (%d+)") do last = tonumber(n) end
  committed = committed + last
  local check = T.run("-d " .. T.shell_quote(db) .. " -e " .. T.shell_quote([[
print(zb.db:sql("pragma integrity_check")[1].integrity_check)
local n = zb.sql("select coalesce(max(i), 0) from log"):value()
local missing = 0
for i = 1, n do
  if zb.sql("select count(*) from sqlite_schema where name = ?", "t" .. i):value() ~= 1 or #zb.table("t" .. i) ~= 3000 then missing = missing + 1 end
end
print(n, missing)]]))
  local integrity, logged, missing = check.out:match("^(%S+)\n(%d+)\t(%d+)")
  if integrity ~= "ok" or not logged or tonumber(logged) < last or missing ~= "0" then
    problems[#problems + 1] = string.format("round %d (killed after %.2f s, %d committed): %s %s", round, delay, last,
                                            check.out:gsub("\n", " "), check.err)
  end
end
T.ok(committed > rounds, "the writer got work committed before each kill", committed)
T.eq(table.concat(problems, "; "), "", rounds .. " kills mid-write: the database opens, is intact, and holds every committed table")
T.done()
