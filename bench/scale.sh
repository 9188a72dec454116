#!/bin/sh
# make bench: how costs grow, 100 thousand to 10 million rows (SCALE_ROWS).
# For each size: loading the CSV (zb.read_csv; the sqlite3 shell's .import),
# grouping (zb's table methods; the shell's GROUP BY), iterating five fields
# a row (t:rows()), each RUNS_SCALE times interleaved, with peak memory;
# then the exponent b of time ~ rows^b, fitted over the sizes (1 is linear).
set -e
cd "$(dirname "$0")/.."
sizes=${SCALE_ROWS:-100000 1000000 10000000}
runs=${RUNS_SCALE:-5}
out=build/bench-scale.txt
: > $out
echo "Scaling: $runs runs each, interleaved; medians (ms) and peak memory (MB)"
printf '  %10s %22s %22s %22s %22s %22s\n' rows "zb load" "sqlite3 .import" "zb group" "sqlite3 group" "zb rows"
for n in $sizes; do
  (ROWS=$n . bench/data.sh >/dev/null)
  file=build/bench-indicators-$n.csv db=build/bench-indicators-$n.db
  cat > build/bench-scale-import.sql <<SQL
create table m(region text, year integer, indicator text, value real, unit text);
.import --csv --skip 1 $file m
SQL
  build/timecmd "$runs" "./zb -e zb.read_csv('$file')" "sqlite3 :memory: '.read build/bench-scale-import.sql'" \
    "./zb -d $db build/bench-group.lua" \
    "sqlite3 $db 'select indicator, year, sum(value), count(*) from m group by indicator, year'" \
    "./zb -d $db build/bench-rows5.lua" |
  awk -v n="$n" -v out="$out" '
    /ms/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+ms$/) { t[++k] = $i + 0; break }
           for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+MB$/) { m[k] = $i + 0 } }
    END {
      printf "  %10d", n
      for (i = 1; i <= k; i++) printf " %14.0f ms %6.1f MB", t[i], m[i]
      printf "\n"
      printf "%d", n >> out
      for (i = 1; i <= k; i++) printf " %f", t[i] >> out
      printf "\n" >> out
    }'
done
# Least squares of log(time) on log(rows), for each column.
awk '{ x = log($1); for (i = 2; i <= NF; i++) { sx[i] += x; sy[i] += log($i); sxx[i] += x * x; sxy[i] += x * log($i) } n++; cols = NF }
  END {
    if (n < 2) exit
    split("zb load,sqlite3 .import,zb group,sqlite3 group,zb rows", names, ",")
    printf "  exponent b (time ~ rows^b):"
    for (i = 2; i <= cols; i++) printf " %s %.2f;", names[i - 1], (n * sxy[i] - sx[i] * sy[i]) / (n * sxx[i] - sx[i] * sx[i])
    printf "\n"
  }' $out
