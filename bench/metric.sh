#!/bin/sh
# make bench: a Lua metric per row.  The same query, select sum(f(value))
# from m over 1 million rows, with f as a zb metric, through a bare C
# trampoline (the limit: lua_call, and lua_pcall, the least a tool may do
# when an error must not longjmp across SQLite's frames), in Python's
# sqlite3 create_function, and as the built-in expression value * 2 (the
# plain scan); each cost is reported over the plain scan, per row.
set -e
. "$(dirname "$0")/data.sh"
runs=${RUNS_METRIC:-5}
# Linked as zb is: Lua and SQLite static.
cc -O2 -o build/trampoline bench/trampoline.c $(pkg-config --cflags lua5.4 sqlite3) \
  -Wl,-Bstatic $(pkg-config --libs lua5.4 sqlite3) -Wl,-Bdynamic -lm -ldl -lpthread

cat > build/bench-metric.lua <<'LUA'
zb.metric("f", function(x) return x * 2 end)
zb.db:sql("select sum(f(value)) from m")
LUA
cat > build/bench-plain.lua <<'LUA'
zb.db:sql("select sum(value * 2) from m")
LUA
cat > build/bench-metric.py <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.create_function("f", 1, lambda x: x * 2, deterministic=True)
con.execute(sys.argv[2]).fetchall()
PY
metric="select sum(f(value)) from m"
plain="select sum(value * 2) from m"
lua="return function(x) return x * 2 end"
if [ -x /usr/bin/python3 ]; then python="/usr/bin/python3 build/bench-metric.py $db"
else python="python3-not-installed"; fi

echo "A metric per row, $rows rows: $runs runs each, interleaved; each tool with f, then with the built-in expression"
build/timecmd "$runs" "./zb -d $db build/bench-metric.lua" "./zb -d $db build/bench-plain.lua" \
  "build/trampoline $db '$lua' '$metric'" "build/trampoline $db '$lua' '$plain'" \
  "$python '$metric'" "$python '$plain'" \
  "build/trampoline $db '$lua' '$metric' protected" \
  "build/trampoline $db '$lua' '$metric' native" | tee build/bench-metric.txt
# The cost per row over each tool's own plain scan: (median - plain median) / rows.
awk -v rows="$rows" '
  / ms| [0-9.]+ms/ {
    for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+ms$/) { m[++n] = $i + 0; break }
  }
  END {
    if (n < 8) exit
    zb = (m[1] - m[2]) * 1e6 / rows; c = (m[3] - m[4]) * 1e6 / rows; py = (m[5] - m[6]) * 1e6 / rows
    cp = (m[7] - m[4]) * 1e6 / rows; native = (m[8] - m[4]) * 1e6 / rows
    printf "  per row over the plain scan: zb metric %.0f ns, C trampoline %.0f ns (protected %.0f), native C %.0f ns, python %.0f ns\n", zb, c, cp, native, py
    printf "  zb / trampoline %.2f, zb / protected trampoline %.2f (target <= 1.3); zb / python %.2f (target <= 0.6)\n", zb / c, zb / cp, zb / py
  }' build/bench-metric.txt

# Noise-free: instructions a row over the plain scan, on 100 thousand rows.
if command -v valgrind >/dev/null 2>&1; then
  few="(select value from m limit 100000)"
  printf 'zb.metric("f", function(x) return x * 2 end)\nzb.db:sql("select sum(f(value)) from %s")\n' "$few" > build/bench-metric-few.lua
  printf 'zb.metric("f", function(x) return x * 2 end)\nzb.db:sql("select sum(value * 2) from %s")\n' "$few" > build/bench-plain-few.lua
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
  zm=$(count ./zb -d "$db" build/bench-metric-few.lua); zp=$(count ./zb -d "$db" build/bench-plain-few.lua)
  tm=$(count build/trampoline "$db" "$lua" "select sum(f(value)) from $few")
  tp=$(count build/trampoline "$db" "$lua" "select sum(value * 2) from $few")
  pm=$(count build/trampoline "$db" "$lua" "select sum(f(value)) from $few" protected)
  awk -v zm="$zm" -v zp="$zp" -v tm="$tm" -v tp="$tp" -v pm="$pm" 'BEGIN {
    printf "  callgrind, instructions a row over the plain scan: zb %.0f, C trampoline %.0f, protected %.0f\n",
      (zm - zp) / 1e5, (tm - tp) / 1e5, (pm - tp) / 1e5
    printf "  zb / trampoline %.2f; zb / protected trampoline %.2f (target <= 1.3)\n", (zm - zp) / (tm - tp), (zm - zp) / (pm - tp) }'
else
  echo "  callgrind: skipped (valgrind not installed)"
fi
