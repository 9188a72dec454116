-- Out of memory at every stage: ZB_FAIL_ALLOC=N makes the Nth allocation
-- (Lua's or SQLite's) and all after it fail.  Swept over N through a
-- script that loads, defines a metric, groups, renders and exports, zb
-- must end with "not enough memory" or finish, never crash (the sanitizer
-- run also checks that nothing leaks), and never leave half an export.
local T = require("check")
local work = T.tmpdir()
local csv, out = work .. "/data.csv", work .. "/out.csv"
local rows = {"region,year,value"}
for i = 1, 200 do rows[#rows + 1] = string.format("%s,%d,%d.5", ({"杭州市", "宁波市", "温州市"})[i % 3 + 1], 2000 + i % 20, i) end
T.write(csv, table.concat(rows, "\n") .. "\n")
T.write(work .. "/script.lua", string.format([[
local t = zb.read_csv(%q)
zb.metric("twice", function(x) return x * 2 end)
local g = t:group("region"):agg{s = "sum(value)", m = "median(value)", n = "count(*)"}
local text = zb.render(g, {mode = "box"}) .. zb.render(t:mutate{v = "twice(value)"}:limit(50), {mode = "json"})
g:order("region"):to_csv(%q)
print("finished", #text > 0)
]], csv, out))

local function run(n, only)
  os.remove(out)
  return T.run(T.shell_quote(work .. "/script.lua"),
               {env = "ZB_FAIL_ALLOC=" .. n .. (only and " ZB_FAIL_ALLOC_ONLY=" .. only or "") .. " "})
end
local whole = T.run(T.shell_quote(work .. "/script.lua"))
T.eq(whole.out, "finished\ttrue\n", "the script runs whole without injection")
local expected = T.read(out)

-- Where it first finishes, by doubling; then points spread below it.  For
-- both allocators together, and for each alone.
for _, only in ipairs{false, "lua", "sqlite"} do
  local who = only or "Lua and SQLite"
  local n, finished = 16, nil
  while n < 1e8 do
    if run(n, only).code == 0 then finished = n break end
    n = n * 2
  end
  T.ok(finished, who .. ": with enough allocations the script finishes", n)
  local points = {}
  for i = 1, (os.getenv("ZB_SLOW") and 15 or 50) do points[#points + 1] = math.floor((finished or 0) * i / 51) + 1 end
  local bad = {}
  for _, p in ipairs(points) do
    local r = run(p, only)
    local ok = (r.code == 0 and r.out == "finished\ttrue\n") or
               (r.code == 1 and (r.err:find("not enough memory", 1, true) or r.err:find("out of memory", 1, true)))
    local file = io.open(out, "rb")
    if file then
      ok = ok and file:read("a") == expected  -- an export is whole or not there
      file:close()
    end
    if not ok then bad[#bad + 1] = string.format("N=%d: exit %s, %s", p, tostring(r.code), (r.err:match("[^\n]*") or "")) end
  end
  T.eq(table.concat(bad, "; "), "", who .. ": " .. #points .. " points of failure up to " .. tostring(finished) ..
       " allocations, a clear error each time")
end

-- The REPL's own work (evaluating lines, printing tables at the prompt,
-- dot commands, help), its lines from a pipe, under allocations that fail
-- for a while (ZB_FAIL_ALLOC_COUNT) and then succeed again: the line that
-- meets the failure reports it, and the session goes on to its end.  Out
-- of memory while zb starts is an error too, and ends it.
local lines = table.concat({
  string.format("t = zb.read_csv(%q)", csv),
  't:group("region"):agg{s = "sum(value)", m = "median(value)", n = "count(*)"}',
  ".mode markdown", "t:limit(5)", ".mode box",
  'zb.metric("twice", function(x) return x * 2 end)',
  't:mutate{v = "twice(value)"}:order("value desc"):limit(3)',
  ".tables", ".help zb.sql", "zb.sql('select region, sum(value) as s from data group by region')",
  'print("finished", #zb.sql("select 1"))', 'print("finished", #zb.sql("select 1"))', ""}, "\n")
local function repl(n, count)
  return T.run("", {stdin = lines, env = n and string.format("ZB_FAIL_ALLOC=%d ZB_FAIL_ALLOC_COUNT=%d ", n, count) or ""})
end
local clean = repl(nil)
T.eq(clean.code, 0, "the REPL's lines run whole without injection")
T.has(clean.out, "finished", "to the end")
-- enough allocations for the whole session: a session that never ends
-- cleanly (a broken REPL command) is a failure, not a loop
local total = 16
while total < 2 ^ 30 and repl(total, 1e9).code ~= 0 do total = total * 2 end
T.ok(total < 2 ^ 30, "the REPL's lines end cleanly once allocations fail late enough")
for _, count in ipairs{1, 4} do
  local bad, startup = {}, 0
  for i = 1, (os.getenv("ZB_SLOW") and 10 or 40) do
    local p = math.floor(total * i / 41) + 1
    local r = repl(p, count)
    local first = r.err:match("^[^\n]*\n?[^\n]*")  -- the first error (a module's runs to a second line)
    local memory = first:find("not enough memory", 1, true) or first:find("out of memory", 1, true)
    local ok
    if r.out == "" then  -- zb could not start
      ok = r.code == 1 and memory
      startup = startup + 1
    else
      ok = (r.code == 0 or (r.code == 1 and memory)) and r.out:find("finished", 1, true)
    end
    if not ok then bad[#bad + 1] = string.format("N=%d: exit %s, %s", p, tostring(r.code), first) end
  end
  T.eq(table.concat(bad, "; "), "", string.format("the REPL: %d failed allocations at points up to %d " ..
       "(%d while starting): the error says so and the session goes on", count, total, startup))
end
T.done()