#!/bin/sh
# make bench: the window and join methods over the million-row long table
# (issue 17: each at most 1.5x pandas with its frame already in memory).
# zb's time is the method's rows read through Lua, the table loaded; pandas'
# is the operation alone on the frame read from the same CSV.  Both CPU
# time, best of runs (this machine is shared).
set -e
. "$(dirname "$0")/data.sh"
runs=${RUNS_WINDOW:-3}
py=/usr/bin/python3
series=build/bench-annual-$rows.csv  # each period once a series, as moving needs
[ -f $series ] || ./zb bench/gen_series.lua "$rows" $series annual
cat > build/bench-window.lua <<'LUA'
local runs, series = ...
local timer = dofile("bench/best.lua")
local m = zb.table("m")
local s = zb.read_csv(series, {replace = true})
local grouped = m:group("indicator", "year"):agg{mean = "avg(value)"}
local cases = {
  {"rank", function() return m:rank{value = "value", by = {"indicator", "year"}} end},
  {"join", function() return m:join(grouped, {"indicator", "year"}) end},
  {"share", function() return m:share{value = "value", by = {"indicator", "year"}} end},
  {"moving", function() return s:moving{value = "value", time = "period", by = {"region", "indicator"}, n = 3} end},
  {"yoy", function() return s:yoy{value = "value", time = "period", by = {"region", "indicator"}} end},
}
for _, case in ipairs(cases) do
  local t = case[2]()
  local s = timer(runs, function() for _ in t:rows() do end end)
  print(string.format("%s %.6f", case[1], s))
end
LUA
echo "Window and join methods, $rows rows: best of $runs; ratio = zb / pandas (the frame in memory)"
zb_times=$(./zb -d "$db" -e "assert(loadfile('build/bench-window.lua'))($runs, '$series')")
if [ -x $py ] && $py -c 'import pandas' 2>/dev/null; then
  pd_times=$($py bench/peers.py window-pandas "$file" "$series" "$runs")
else
  pd_times=""
  echo "  pandas: skipped (python3-pandas not installed)"
fi
printf '%s\n' "$zb_times" | while read -r name z; do
  p=$(printf '%s\n' "$pd_times" | awk -v n="$name" '$1 == n { print $2 }')
  if [ -n "$p" ]; then
    awk -v n="$name" -v z="$z" -v p="$p" 'BEGIN { printf "  %-6s zb %6.0f ms   pandas %6.0f ms   ratio %.2f (target <= 1.5)\n", n, z * 1e3, p * 1e3, z / p }'
  else
    awk -v n="$name" -v z="$z" 'BEGIN { printf "  %-6s zb %6.0f ms\n", n, z * 1e3 }'
  fi
done
