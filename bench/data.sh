# Sourced by the bench scripts: the deterministic 1-million-row indicator
# file ($file, ROWS rows) and the database loaded from it ($db, table m).
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
file=build/bench-indicators-$rows.csv
db=build/bench-indicators-$rows.db
[ -f "$file" ] || ./zb bench/gen_indicators.lua "$rows" "$file"
[ -f "$db" ] || ./zb -d "$db" -e "zb.read_csv('$file', {name = 'm'})"
