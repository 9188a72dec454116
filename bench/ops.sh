#!/bin/sh
# make bench: every user-facing operation at 10^5, 10^6 and 10^7 rows
# (OPS_ROWS), zb against the sqlite3 shell and pandas (issue 17), time and
# peak memory, whole processes:
#   zb       ./zb -d DB bench/ops.lua OP: the operation over the database
#            file, its whole result written as CSV to /dev/null (print and
#            the exports: their own mode), start and all
#   sqlite3  the shell running the same operation in plain SQL (a window,
#            a GROUP BY, a join, FILTER columns for pivot, UNION ALL for
#            melt, the built-in value * 2 for the Lua metric) with -csv to
#            /dev/null; none for rows (the shell has no row loop)
#   pandas   bench/peers.py ops-pandas: the time of the operation alone,
#            on the frame already in memory (the loads: the reading), and
#            the whole process's peak memory (reading the CSV and all)
# Ratios are zb's median over the peer's.  Then, where a ratio to the shell
# at 10^6 rows is close (0.85 to 1.15), callgrind's instruction counts of
# both at 10^5 rows.  OPS_RUNS runs each (3; 1 at 10^7 rows), interleaved;
# a command taking over OPS_LIMIT seconds (300) is stopped and shown as -;
# OPS: the operations (all of them).
set -e
cd "$(dirname "$0")/.."
sizes=${OPS_ROWS:-100000 1000000 10000000}
limit=${OPS_LIMIT:-300}
py=/usr/bin/python3
ops=${OPS:-load-csv load-json print csv tsv json markdown where group join pivot melt yoy rank moving metric rows}
out=build/bench-ops.txt
sqldir=build/bench-ops-sql
mkdir -p $sqldir
: > $out
years=$(seq 2000 2023)
pandas=yes
$py -c 'import pandas' 2>/dev/null || pandas=
$py -c 'import tabulate' 2>/dev/null || echo "  (pandas' to_markdown needs python3-tabulate: its markdown case fails without it)"

# The shell's SQL for OP over the tables ops.lua reads (load-*: FILE).
shell_sql() {
  case $1 in
    load-csv) printf '%s\n' "create table m(region text, year integer, indicator text, value real, unit text);" \
                            ".import --csv --skip 1 $2 m" ;;
    load-json) echo "create table m as select value->>'region' as region, value->>'year' as year," \
                    "value->>'indicator' as indicator, value->>'value' as value, value->>'unit' as unit" \
                    "from json_each(readfile('$2'));" ;;
    where) echo "select * from m where value > 10000;" ;;
    group) echo "select indicator, year, sum(value) as total, count(*) as n from m group by indicator, year;" ;;
    join) echo "select m.*, g.mean from m join (select indicator, year, avg(value) as mean from m" \
               "group by indicator, year) as g using (indicator, year);" ;;
    pivot) printf 'select region, indicator'
           for y in $years; do printf ', sum(value) filter (where period = %s) as "%s"' $y $y; done
           echo " from s group by region, indicator;" ;;
    melt) first=1
          for y in $years; do
            [ $first ] || printf ' union all '
            printf 'select region, indicator, %s as year, "%s" as value from w' $y $y
            first=
          done
          echo ";" ;;
    yoy) echo "select *, 100.0 * (value - lag(value) over p) / lag(value) over p as yoy from s" \
              "window p as (partition by region, indicator order by period);" ;;
    rank) echo "select *, rank() over (partition by indicator, year order by value desc) as rank from m;" ;;
    moving) echo "select *, case when count(value) over p = 3 then avg(value) over p end as moving from s" \
                 "window p as (partition by region, indicator order by period rows 2 preceding);" ;;
    metric) echo "select *, value * 2 as doubled from m;" ;;
  esac
}

# "ms MB" for each command timecmd ran, in order ("- -": failed or stopped).
measure() {
  build/timecmd "$@" | awk 'NR > 1 { ms = "-"; mb = "-"
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^[0-9.]+ms$/ && ms == "-") ms = $i + 0
      if ($i ~ /^[0-9.]+MB$/) mb = $i + 0
    }
    print ms, mb }'
}

for n in $sizes; do
  ROWS=$n . bench/data.sh >/dev/null
  runs=${OPS_RUNS:-3}
  [ "$n" -ge 10000000 ] && runs=${OPS_RUNS:-1}
  series=build/bench-annual-$n.csv ops_db=build/bench-ops-$n.db json=build/bench-ops-$n.json
  [ -f $series ] || ./zb bench/gen_series.lua "$n" $series annual
  [ -f $ops_db ] || ./zb -d $ops_db -e "zb.read_csv('$file', {name = 'm'}) zb.read_csv('$series', {name = 's'})
                                        zb.read_csv('$wide', {name = 'w'})"
  [ -f $json ] || ./zb -d $ops_db -e "zb.table('m'):to_json('$json')"
  echo "Every operation, $n rows: medians of $runs runs, interleaved; ms and peak MB, ratio = zb / the peer"
  printf '  %-9s %16s %24s %24s\n' operation "zb" "sqlite3 shell" "pandas (op alone; MB whole)"
  for op in $ops; do
    case $op in
      load-csv) zb="./zb bench/ops.lua load-csv $file"; src=$file ;;
      load-json) zb="./zb bench/ops.lua load-json $json"; src=$json ;;
      *) zb="./zb -d $ops_db bench/ops.lua $op"; src= ;;
    esac
    case $op in
      load-*) shell_sql $op $src > $sqldir/$op-$n.sql; shell="sqlite3 :memory: '.read $sqldir/$op-$n.sql'" ;;
      print) shell="sqlite3 -box $ops_db select*from(m)" ;;
      csv|json|markdown) shell="sqlite3 -$op $ops_db select*from(m)" ;;
      tsv) shell="sqlite3 -tabs $ops_db select*from(m)" ;;  # which escapes no tab, as zb's TSV does
      rows) shell= ;;
      *) shell_sql $op > $sqldir/$op.sql; shell="sqlite3 -csv $ops_db '.read $sqldir/$op.sql'" ;;
    esac
    times=build/bench-ops-pandas.times
    : > $times
    set -- "timeout $limit $zb"
    [ -n "$shell" ] && set -- "$@" "timeout $limit $shell"
    [ $pandas ] && set -- "$@" "timeout $limit $py bench/peers.py ops-pandas $op $file $series $wide $json"
    figures=$(OPS_TIMES=$times measure "$runs" "$@" | tr '\n' ' ')
    set -- $figures
    zb_ms=$1 zb_mb=$2
    shift 2
    sh_ms=- sh_mb=-
    if [ -n "$shell" ]; then sh_ms=$1 sh_mb=$2; shift 2; fi
    pd_mb=${2:--}
    pd_ms=$(sort -n $times | awk '{ t[NR] = $1 } END { if (NR) printf "%.2f", t[int((NR + 1) / 2)] * 1000; else print "-" }')
    [ "$pd_mb" = - ] && pd_ms=-
    echo "$n $op $zb_ms $zb_mb $sh_ms $sh_mb $pd_ms $pd_mb" >> $out
    awk -v op=$op -v z=$zb_ms -v zm=$zb_mb -v s=$sh_ms -v sm=$sh_mb -v p=$pd_ms -v pm=$pd_mb '
      function cell(ms, mb, base) {
        if (ms == "-") return sprintf("%24s", "-")
        return sprintf("%9.0f %5.1f %8s", ms, mb, base == "-" ? "" : sprintf("%.2f", base / ms))
      }
      BEGIN { printf "  %-9s %9.0f ms %5.1f MB %s %s\n", op, z, zm, cell(s, sm, z), cell(p, pm, z) }'
  done
done

# zb's peak memory as the rows grow (flat: constant memory)
printf '  zb peak MB at'
for n in $sizes; do printf ' %s' $n; done
echo ' rows:'
for op in $ops; do
  printf '    %-9s' $op
  for n in $sizes; do awk -v n=$n -v op=$op '$1 == n && $2 == op { printf " %6s", $4 }' $out; done
  echo
done
# callgrind where a ratio to the shell at 10^6 rows is close
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null </dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
small=build/bench-ops-100000.db
if command -v valgrind >/dev/null && [ -f $small ]; then
  for op in $(awk '$1 == 1000000 && $5 != "-" && $3 / $5 >= 0.85 && $3 / $5 <= 1.15 { print $2 }' $out); do
    case $op in
      load-*) continue ;;  # the 10^5 files are other files
      print) si=$(count sqlite3 -box $small "select * from m") ;;
      csv|json|markdown) si=$(count sqlite3 -$op $small "select * from m") ;;
      tsv) si=$(count sqlite3 -tabs $small "select * from m") ;;
      *) si=$(count sqlite3 -csv $small ".read $sqldir/$op.sql") ;;
    esac
    zi=$(count ./zb -d $small bench/ops.lua $op)
    awk -v op=$op -v z="$zi" -v s="$si" \
      'BEGIN { printf "  callgrind, %s at 10^5 rows: zb %.0f, sqlite3 %.0f instructions (%.2f)\n", op, z, s, z / s }'
  done
fi
