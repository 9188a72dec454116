#!/bin/sh
# make bench: loading the long indicator CSV (1 million rows) and the wide
# one (a column a year), zb.read_csv against the sqlite3 shell's .import into
# a typed table, Python's csv + executemany and pandas.read_csv, side by
# side, with each one's peak memory.  Targets (issue 5): at least 1.2x the
# shell's rows a second (a ratio of 0.83 or less), peak memory at most 1.5x.
set -e
. "$(dirname "$0")/data.sh"
runs=${RUNS_INGEST:-5}
py=/usr/bin/python3
[ -x $py ] || py=python3-not-installed
cat > build/bench-import.sql <<SQL
create table m(region text, year integer, indicator text, value real, unit text);
.import --csv --skip 1 $file m
SQL
echo "CSV ingest, long layout, $rows rows ($(du -h "$file" | cut -f1)): $runs runs each, interleaved; ratio = zb's median / the peer's"
build/timecmd "$runs" "./zb -e zb.read_csv('$file')" "sqlite3 :memory: '.read build/bench-import.sql'" \
  "$py bench/peers.py ingest-csv $file" "$py bench/peers.py ingest-pandas $file"

# The wide layout: a region and an indicator a row, a column a year.
cols=$(awk -F, 'NR == 1 { for (i = 3; i <= NF; i++) printf ", \"%s\" real", $i; exit }' "$wide")
cat > build/bench-import-wide.sql <<SQL
create table w(region text, indicator text$cols);
.import --csv --skip 1 $wide w
SQL
echo "CSV ingest, wide layout ($(du -h "$wide" | cut -f1), $(awk -F, 'NR == 1 { print NF; exit }' "$wide") columns):"
build/timecmd "$runs" "./zb -e zb.read_csv('$wide')" "sqlite3 :memory: '.read build/bench-import-wide.sql'" \
  "$py bench/peers.py ingest-pandas $wide"

# Noise-free: instructions for the first 100 thousand rows of the long file.
if command -v valgrind >/dev/null 2>&1; then
  head -100001 "$file" > build/bench-indicators-100k.csv
  sed "s|$file|build/bench-indicators-100k.csv|" build/bench-import.sql > build/bench-import-100k.sql
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
  zi=$(count ./zb -e "zb.read_csv('build/bench-indicators-100k.csv')")
  si=$(count sqlite3 :memory: ".read build/bench-import-100k.sql")
  awk -v z="$zi" -v s="$si" 'BEGIN {
    printf "  callgrind, 100 thousand rows: zb %.0f, sqlite3 .import %.0f instructions a row (ratio %.2f; target <= 0.83)\n",
      z / 1e5, s / 1e5, z / s }'
fi
