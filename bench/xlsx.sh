#!/bin/sh
# make bench: Excel in and out over a workbook of 100 thousand rows and 10
# columns (two of text, two of integers, six of reals), written from the
# same CSV by Python's xlsxwriter (shared strings, as Excel writes them).
# zb.read_xlsx against pandas.read_excel (openpyxl); t:to_xlsx against
# pandas' to_excel (xlsxwriter, pandas' choice when it is installed, and
# openpyxl), each from the CSV.  Targets (issue 15): reading at least 3x
# faster with a peak no higher than pandas', writing at least 2x faster.
# Then callgrind's share of each library in zb's read and write.
set -e
cd "$(dirname "$0")/.."
runs=${RUNS_XLSX:-3}
n=${XLSX_ROWS:-100000}
py=/usr/bin/python3
csv=build/bench-sheet-$n.csv
book=build/bench-sheet-$n.xlsx
mkdir -p build
[ -x build/timecmd ] && [ build/timecmd -nt bench/timecmd.c ] || cc -O2 -o build/timecmd bench/timecmd.c
[ -f "$csv" ] || awk -v n="$n" 'BEGIN {
  print "region,city,year,month,gdp,population,cpi,share,growth,index"
  for (i = 0; i < n; i++)
    printf "省%02d,市%03d,%d,%d,%.1f,%.2f,%.3f,%.4f,%.1f,%.6f\n", i % 31, i % 300, 2000 + i % 25, 1 + i % 12,
      (i * 7919) % 100000 / 10, (i * 104729) % 1000000 / 100, 100 + (i % 997) / 100, (i % 9973) / 10000,
      (i % 211) / 10 - 10, (i * 31) % 100003 / 1000
}' > "$csv"
[ -f "$book" ] || $py bench/peers.py make-workbook "$csv" "$book"
echo "read_xlsx, $n rows x 10 columns ($(du -h "$book" | cut -f1)): $runs runs each, interleaved; ratio = zb's median / the peer's"
build/timecmd "$runs" "./zb -e zb.read_xlsx('$book')" "$py bench/peers.py read-excel $book"
echo "to_xlsx of the same table, read from the CSV first by each:"
build/timecmd "$runs" "./zb -e zb.read_csv('$csv'):to_xlsx('build/bench-out-zb.xlsx')" \
  "$py bench/peers.py write-excel $csv build/bench-out-pd.xlsx xlsxwriter" \
  "$py bench/peers.py write-excel $csv build/bench-out-op.xlsx openpyxl" \
  "./zb -e zb.read_csv('$csv')"
# Noise-free: instructions by library (callgrind), for 20 thousand rows
if command -v valgrind >/dev/null 2>&1; then
  small=build/bench-sheet-20000.xlsx
  head -20001 "$csv" > build/bench-sheet-20000.csv
  [ -f "$small" ] || $py bench/peers.py make-workbook build/bench-sheet-20000.csv "$small"
  share() {
    out=build/bench-xlsx.callgrind
    valgrind --tool=callgrind --callgrind-out-file=$out "$@" >/dev/null 2>&1
    callgrind_annotate --threshold=100 $out 2>/dev/null | awk -v what="$1 $3" '
      /^ *[0-9,]+ .*\[/ { n = $1; gsub(",", "", n); lib = $NF; sub(/.*\//, "", lib); sub(/\]$/, "", lib)
        sub(/\.so.*/, "", lib); by[lib] += n; total += n }
      END { printf "  %s: %.0f instructions a row;", what, total / 20000
            for (l in by) if (by[l] / total >= 0.02) printf " %s %.0f%%", l, 100 * by[l] / total; print "" }'
  }
  share ./zb -e "zb.read_xlsx('$small')"
  share ./zb -e "zb.read_csv('build/bench-sheet-20000.csv'):to_xlsx('build/bench-out-small.xlsx')"
fi
