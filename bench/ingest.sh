#!/bin/sh
# make bench: loading a 1-million-row indicator CSV, zb.read_csv against the
# sqlite3 shell's .import into a typed table, side by side; and peak memory.
set -e
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
runs=${RUNS_INGEST:-5}
file=build/bench-indicators-$rows.csv
[ -f "$file" ] || ./zb bench/gen_indicators.lua "$rows" "$file"
cat > build/bench-import.sql <<SQL
create table m(region text, year integer, indicator text, value real, unit text);
.import --csv --skip 1 $file m
SQL
echo "CSV ingest, $rows rows ($(du -h "$file" | cut -f1)): $runs runs each, interleaved; ratio = zb's median / the peer's"
build/timecmd "$runs" "./zb -e zb.read_csv('$file')" "sqlite3 :memory: '.read build/bench-import.sql'"
zb_kb=$(/usr/bin/time -f %M ./zb -e "zb.read_csv('$file')" 2>&1 >/dev/null | tail -1)
sqlite_kb=$(/usr/bin/time -f %M sqlite3 :memory: ".read build/bench-import.sql" 2>&1 >/dev/null | tail -1)
echo "  peak memory: zb $zb_kb KB, sqlite3 $sqlite_kb KB (zb/sqlite3 $(awk "BEGIN { printf \"%.2f\", $zb_kb / $sqlite_kb }"))"
