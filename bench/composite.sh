#!/bin/sh
# make bench: composite indices (issue 20).  A framework of 60 indicators
# in 6 dimensions (every fifth indicator negative) over 3,000 regions and
# 20 years (about 2% of values missing): t:composite with each year
# normalised (min-max) and weighted (entropy) alone, aggregated (means of
# the values present, weights renormalised) and ranked; then over 1,000
# runs of t:sensitivity over one year (3 normalisations x 3 weightings x
# the nominal weights and each of the 66 nodes' 10% down and up, one at a
# time: 1,197 runs).  The
# same steps in pandas (numpy), by peers.py.  Targets: the build under a
# second, the runs under a minute, each at least 3x faster than pandas.
# Inside each process, the data loaded first, best of runs (CPU time).
set -e
cd "$(dirname "$0")/.."
mkdir -p build
runs=${RUNS_COMPOSITE:-3}
py=/usr/bin/python3
[ -x $py ] || py=python3-not-installed
data=build/bench-composite.csv
[ -f $data ] || ./zb bench/gen_composite.lua 3000 20 60 $data
cat > build/bench-composite.lua <<'LUA'
local data, runs = ...
local timer = dofile("bench/best.lua")
local rows = {{iCode = "index"}}
for d = 1, 6 do rows[#rows + 1] = {iCode = "d" .. d, Parent = "index"} end
for k = 1, 60 do rows[#rows + 1] = {iCode = "x" .. k, Parent = "d" .. ((k - 1) % 6 + 1), Direction = k % 5 == 0 and -1 or 1} end
local fw = zb.framework(rows)
local t = zb.read_csv(data)
local build = timer(runs, function()
  t:composite{framework = fw, id = "region", period = "year", weights = "entropy"}:count()
end)
local year = t:where{year = 2001}
local sensitivity = timer(1, function()
  year:sensitivity{framework = fw, id = "region", normalise = {"minmax", "rank", "percentile"},
                   weights = {"equal", "entropy", "cv"}, vary = 0.1}:count()
end)
print(string.format("  zb: the index over 20 years %.2f s (best of %d; target < 1 s); 1,197 sensitivity runs %.1f s " ..
                    "(target < 60 s)", build, runs, sensitivity))
return build, sensitivity
LUA
echo "Composite index, 60 indicators x 3,000 regions x 20 years, inside each process (the data loaded first):"
zb_out=$(./zb -e "print(table.concat({assert(loadfile('build/bench-composite.lua'))('$data', $runs)}, ' '))")
echo "$zb_out" | sed '$d'
zb_times=$(echo "$zb_out" | tail -1)
if [ -x $py ] && $py -c 'import pandas' 2>/dev/null; then
  pd_times=$($py bench/peers.py composite-pandas $data "$runs")
  echo "$zb_times $pd_times" | awk '{
    printf "  pandas: the index %.2f s, 1,197 sensitivity runs %.1f s\n", $3, $4
    printf "  ratio zb / pandas: the index %.2f, the sensitivity runs %.2f (target <= 0.33 each)\n", $1 / $3, $2 / $4 }'
else
  echo "  pandas: skipped (python3-pandas not installed)"
fi
