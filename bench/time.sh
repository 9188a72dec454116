#!/bin/sh
# make bench: statistical time over 1 million rows of series (a region and
# an indicator each, every period once).  Targets (issue 12): recognising a
# column of periods costs at most 10% of CSV ingest (the monthly file
# against the same file with each period prefixed "p", which no longer
# reads as one: the same bytes, nothing recognised), and the period-aware
# yoy method (which also refuses a repeated period or a value that is no
# number) at most 1.2x the yoy zb had before periods (growth over lag()
# where the years differ by 1: right only for whole years, unchecked),
# both in one zb, best of runs.  pandas' groupby pct_change (the frame in
# memory; it compares with the row before, whatever its period) for scale.
set -e
. "$(dirname "$0")/data.sh"
runs=${RUNS_TIME:-5}
py=/usr/bin/python3
[ -x $py ] || py=python3-not-installed
for kind in annual monthly plain; do
  [ -f build/bench-$kind-$rows.csv ] || ./zb bench/gen_series.lua "$rows" build/bench-$kind-$rows.csv $kind
done
echo "Recognising periods at load, $rows rows: $runs runs each, interleaved; ratio = with periods / without"
build/timecmd "$runs" "./zb -e zb.read_csv('build/bench-monthly-$rows.csv')" "./zb -e zb.read_csv('build/bench-plain-$rows.csv')"
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
if command -v valgrind >/dev/null 2>&1; then  # noise-free: the first 100 thousand rows of each
  head -100001 build/bench-monthly-$rows.csv > build/bench-monthly-100k.csv
  head -100001 build/bench-plain-$rows.csv > build/bench-plain-100k.csv
  with=$(count ./zb -e "zb.read_csv('build/bench-monthly-100k.csv')")
  without=$(count ./zb -e "zb.read_csv('build/bench-plain-100k.csv')")
  awk -v w="$with" -v o="$without" 'BEGIN {
    printf "  callgrind, 100 thousand rows: with periods %.0f, without %.0f instructions a row (ratio %.3f; target <= 1.10)\n",
      w / 1e5, o / 1e5, w / o }'
fi

cat > build/bench-time.lua <<'LUA'
local kind, runs = ...
local timer = dofile("bench/best.lua")
local function best(fn) return timer(runs, fn) end
local m = zb.table("m")
local old = best(function()
  for _ in zb.sql("select *, CASE WHEN period - lag(period) OVER w = 1 THEN growth(value, lag(value) OVER w) END AS yoy " ..
                  "from m WINDOW w AS (PARTITION BY region, indicator ORDER BY period)"):rows() do end
end)
local new = best(function() for _ in m:yoy{value = "value", time = "period", by = {"region", "indicator"}}:rows() do end end)
print(string.format("  %-8s yoy, best of %d: period-aware %.0f ms, before periods %.0f ms: ratio %.2f%s", kind, runs,
                    new * 1e3, old * 1e3, new / old, kind == "annual" and " (target <= 1.2)" or ""))
LUA
echo "yoy by region and indicator, $rows rows, inside zb (the table loaded):"
for kind in annual monthly; do
  ./zb -e "zb.read_csv('build/bench-$kind-$rows.csv', {name = 'm'})" -e "assert(loadfile('build/bench-time.lua'))('$kind', $runs)"
done
if [ -x $py ] && $py -c 'import pandas' 2>/dev/null; then
  best=$(for i in $(seq "$runs"); do $py bench/peers.py yoy-pandas build/bench-annual-$rows.csv; done | sort -n | head -1)
  echo "  pandas groupby pct_change alone (annual, the frame already read and sorted), best of $runs: $(awk "BEGIN { printf \"%.0f\", $best * 1000 }") ms"
else
  echo "  pandas: skipped (python3-pandas not installed)"
fi
# Noise-free: instructions of the two yoys over 96 thousand rows (4,000
# series of 24 years), each over the same loaded table, less the load.
if command -v valgrind >/dev/null 2>&1; then
  head -96001 build/bench-annual-$rows.csv > build/bench-annual-96k.csv
  rm -f build/bench-annual-96k.db
  ./zb -d build/bench-annual-96k.db -e "zb.read_csv('build/bench-annual-96k.csv', {name = 'm'})"
  echo 'zb.table("m")' > build/bench-yoy-none.lua
  echo 'for _ in zb.sql("select *, CASE WHEN period - lag(period) OVER w = 1 THEN growth(value, lag(value) OVER w) END AS yoy from m WINDOW w AS (PARTITION BY region, indicator ORDER BY period)"):rows() do end' > build/bench-yoy-old.lua
  echo 'for _ in zb.table("m"):yoy{value = "value", time = "period", by = {"region", "indicator"}}:rows() do end' > build/bench-yoy-new.lua
  none=$(count ./zb -d build/bench-annual-96k.db build/bench-yoy-none.lua)
  old=$(count ./zb -d build/bench-annual-96k.db build/bench-yoy-old.lua)
  new=$(count ./zb -d build/bench-annual-96k.db build/bench-yoy-new.lua)
  awk -v n="$none" -v o="$old" -v w="$new" 'BEGIN {
    printf "  callgrind, annual yoy over 96 thousand rows: period-aware %.0f, before periods %.0f instructions a row (ratio %.2f; target <= 1.2)\n",
      (w - n) / 96000, (o - n) / 96000, (w - n) / (o - n) }'
fi
