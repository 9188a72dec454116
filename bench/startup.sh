#!/bin/sh
# make bench: zb's startup against its peers, side by side in one run.
# Targets (issue 2): zb -e '' within 2x of lua5.4 -e '', no slower than
# sqlite3 :memory: .quit.  Ratios are zb's median over the peer's: below 1 is faster.
set -e
cd "$(dirname "$0")/.."
runs=${RUNS:-200}
mkdir -p build
cc -O2 -o build/timecmd bench/timecmd.c
echo "startup: $runs runs each, interleaved; ratio = zb's median / the peer's"
build/timecmd "$runs" "./zb -e \"\"" "lua5.4 -e \"\"" "sqlite3 :memory: .quit" \
  "/usr/bin/python3 -c 'import sqlite3'"
# A script on standard input (issue 17: within 1.5x of lua5.4 -): whole, as
# `zb -` reads it, and a statement at a time, as the REPL reads it (-n).
script=build/bench-stdin.lua
seq 1 100000 | awk '{ print "x = (x or 0) + " $1 }' > $script
echo "a 100,000-line script on standard input: ${RUNS_STDIN:-5} runs each; ratio = zb's median / lua5.4 -'s"
for zb in "./zb -" "./zb -n"; do
  build/timecmd "${RUNS_STDIN:-5}" "sh -c '$zb < $script'" "sh -c 'lua5.4 - < $script'"
done
if command -v valgrind >/dev/null; then
  echo "instructions (callgrind, noise-free):"
  for cmd in "./zb -e ''" "lua5.4 -e ''" "sqlite3 :memory: .quit"; do
    n=$(sh -c "valgrind --tool=callgrind --callgrind-out-file=/dev/null $cmd" 2>&1 </dev/null |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
    printf '  %-34s %12s\n' "$cmd" "$n"
  done
fi
