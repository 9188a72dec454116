# Sourced by the bench scripts: the deterministic indicator files for ROWS
# rows (default 1 million): $file (long layout), $wide (a column a year)
# and $db, the database loaded from $file (table m).
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
file=build/bench-indicators-$rows.csv
wide=build/bench-wide-$rows.csv
db=build/bench-indicators-$rows.db
mkdir -p build
[ -x build/timecmd ] && [ build/timecmd -nt bench/timecmd.c ] || cc -O2 -o build/timecmd bench/timecmd.c
[ -f "$file" ] || ./zb bench/gen_indicators.lua "$rows" "$file"
[ -f "$wide" ] || ./zb bench/gen_indicators.lua "$rows" "$wide" wide
[ -f "$db" ] || ./zb -d "$db" -e "zb.read_csv('$file', {name = 'm'})"
