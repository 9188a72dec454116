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
T.done()
