#!/bin/sh
# make bench: group and aggregate (GROUP BY indicator, year: sum and count)
# over the freshly loaded 1-million-row table.  zb's table methods (which
# hash in C: zb_group) against the same SQL in the sqlite3 shell and in
# Python's sqlite3, and pandas' groupby.  Target (issue 5): at most 0.3x the
# shell's time.  The whole processes are timed (each opens the database and
# reads its pages from the OS's cache); then, inside one zb, the method
# chain against SQLite's own GROUP BY of the same SQL text, and pandas'
# groupby on its own, with instruction counts for the two in zb.
set -e
. "$(dirname "$0")/data.sh"
runs=${RUNS_GROUP:-5}
py=/usr/bin/python3
[ -x $py ] || py=python3-not-installed
sql="select indicator, year, sum(value) as total, count(*) as n from m group by indicator, year"
cat > build/bench-group.lua <<'LUA'
for _ in zb.table("m"):group("indicator", "year"):agg{total = "sum(value)", n = "count(*)"}:rows() do end
LUA
cat > build/bench-group-sql.lua <<LUA
for _ in zb.sql("$sql"):rows() do end
LUA
echo "Group and aggregate, $rows rows, 120 groups: $runs runs each, interleaved; ratio = zb's median / the peer's"
build/timecmd "$runs" "./zb -d $db build/bench-group.lua" "sqlite3 $db '$sql'" \
  "$py bench/peers.py group-sqlite $db" "./zb -d $db build/bench-group-sql.lua"

# Inside one process: the query alone, best of runs.
cat > build/bench-group-inside.lua <<LUA
local runs = ...
local timer = dofile("bench/best.lua")
local function best(fn) return timer(runs, fn) end
local chain = best(function() for _ in zb.table("m"):group("indicator", "year"):agg{total = "sum(value)", n = "count(*)"}:rows() do end end)
local sqlite = best(function() for _ in zb.sql("$sql"):rows() do end end)
print(string.format("  inside zb, best of %d: table methods (zb_group) %.0f ms, SQLite's GROUP BY %.0f ms: ratio %.2f (target <= 0.3)",
                    runs, chain * 1e3, sqlite * 1e3, chain / sqlite))
LUA
./zb -d "$db" build/bench-group-inside.lua "$runs"
if [ -x $py ] && $py -c 'import pandas' 2>/dev/null; then
  best=$(for i in $(seq "$runs"); do $py bench/peers.py group-pandas "$file"; done | sort -n | head -1)
  echo "  pandas groupby alone (the frame already read), best of $runs: $(awk "BEGIN { printf \"%.0f\", $best * 1000 }") ms"
else
  echo "  pandas: skipped (python3-pandas not installed)"
fi
if command -v valgrind >/dev/null 2>&1; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
  echo 'zb.sql("select 1"):value()' > build/bench-empty.lua
  base=$(count ./zb -d "$db" build/bench-empty.lua)
  zc=$(count ./zb -d "$db" build/bench-group.lua); zs=$(count ./zb -d "$db" build/bench-group-sql.lua)
  awk -v b="$base" -v c="$zc" -v s="$zs" -v rows="$rows" 'BEGIN {
    printf "  callgrind, instructions a row: table methods %.0f, SQLite'"'"'s GROUP BY %.0f (ratio %.2f)\n",
      (c - b) / rows, (s - b) / rows, (c - b) / (s - b) }'
fi
