#!/bin/sh
# make bench: printing and exporting every row of the indicators table
# (5 columns) against the sqlite3 shell in the same mode, whole processes
# from the same database file, at 100 thousand and 1 million rows: print(t)
# in a script (box, markdown) and t:to_csv, to_tsv, to_json, all to
# standard output as the shell writes.
# Targets (issue 17): time at most 1.0x the shell's, peak memory at most
# 1.2x the shell's at a million rows and flat as the rows grow.
set -e
cd "$(dirname "$0")/.."
runs=${RUNS_OUTPUT:-3}
for rows in 100000 1000000; do
  ROWS=$rows . bench/data.sh
  echo "Every row of $rows, $runs runs each, interleaved; ratio = zb's median / the shell's"
  build/timecmd "$runs" "./zb -d $db -e print(zb.table('m'))" "sqlite3 -box $db select*from(m)" | tail -2
  build/timecmd "$runs" "./zb -d $db --markdown -e print(zb.table('m'))" "sqlite3 -markdown $db select*from(m)" | tail -2
  for mode in csv tsv json; do
    shell=$mode
    [ $mode = tsv ] && shell=tabs
    build/timecmd "$runs" "./zb -d $db -e zb.table('m'):to_$mode('/dev/stdout')" \
      "sqlite3 -$shell $db select*from(m)" | tail -2
  done
done
