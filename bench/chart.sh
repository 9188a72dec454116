#!/bin/sh
# make bench: charts.  A line chart of 10 series of 10 thousand points (a
# CSV of 10 thousand rows, x and a column a series) saved as an 800 x 500
# PNG and as an SVG, whole processes from the CSV: zb (chart:save, cairo and
# pango), gnuplot (its pngcairo and svg terminals) and matplotlib (pandas'
# plot, the Agg backend).  Targets (issue 16): zb no slower than gnuplot,
# at least 5x faster than matplotlib.  Then, inside one zb, a terminal
# chart of a million points drawn against print of a 10 thousand row box
# (target: under 0.2x of it), best of runs.
set -e
cd "$(dirname "$0")/.."
runs=${RUNS_CHART:-5}
py=/usr/bin/python3
csv=build/bench-chart.csv
mkdir -p build
[ -x build/timecmd ] && [ build/timecmd -nt bench/timecmd.c ] || cc -O2 -o build/timecmd bench/timecmd.c
[ -f "$csv" ] || awk 'BEGIN { srand(7); printf "x"; for (s = 0; s < 10; s++) printf ",s%d", s; print ""
  for (s = 0; s < 10; s++) v[s] = 100 * (s + 1)
  for (i = 1; i <= 10000; i++) { printf "%d", i; for (s = 0; s < 10; s++) { v[s] += rand() - 0.5; printf ",%.3f", v[s] }
    print "" } }' > "$csv"
ys="{'s0','s1','s2','s3','s4','s5','s6','s7','s8','s9'}"
for format in png svg; do
  case $format in png) terminal="pngcairo size 800,500" ;; svg) terminal="svg size 800,500" ;; esac
  cat > build/bench-chart-$format.gp <<GP
set terminal $terminal
set output 'build/bench-chart-gp.$format'
set datafile separator ','
set key autotitle columnhead
plot for [i=2:11] '$csv' using 1:i with lines
GP
  echo "A line chart of 10 series x 10 thousand points to $format: $runs runs each, interleaved; ratio = zb's median / the peer's"
  build/timecmd "$runs" "./zb -e zb.read_csv('$csv'):plot{x='x',y=$ys}:save('build/bench-chart-zb.$format')" \
    "gnuplot build/bench-chart-$format.gp" "$py bench/peers.py chart-matplotlib $csv build/bench-chart-mp.$format"
done

echo "In one zb, best of $runs: a terminal chart of a million points against print of a 10 thousand row box"
./zb -e "
local best = dofile('bench/best.lua')
local n = 1000000
zb.sql('create table million as with recursive s(i) as (select 1 union all select i + 1 from s where i < ' .. n ..
       ') select i as x, sin(i / 5000.0) * 100 + (i % 97) as y from s')
local million, box = zb.table('million'), zb.table('million'):where('x <= 10000')
local devnull = io.open('/dev/null', 'w')
local chart = best($runs, function() devnull:write(million:plot{x = 'x', y = 'y'}:draw{width = 100, height = 30}) end)
local printed = best($runs, function() devnull:write(zb.render(box, {all = true})) end)
print(string.format('  chart of %d points %.3f s; print of a %d-row box %.3f s; ratio %.2f (target < 0.2)',
                    n, chart, 10000, printed, chart / printed))"
