#!/bin/sh
# make bench: the PostgreSQL engine (issue 18).  1 million and 10 million
# rows (PG_ROWS: the sizes) loaded through zb (read_csv: the file
# read as on SQLite, the rows sent through COPY) against psql's \copy of
# the same file into the same columns; then the group, join, window and
# rows cases, each zb's table method with its rows read through Lua against
# psql running the very SQL zb sent (t:sql(), made on the server; psql's
# rows unaligned, to a discarded output).  Targets: the load at most 1.1x
# psql's, the queries at most 1.05x.  Then, at the first size, the table
# partitioned by region and the plans of zb's SQL by region over it (the
# path to Citus, SCALING.md).  Whole processes, interleaved; a server of
# the bench's own (tests/lib/pg_server.sh: a Unix socket, fsync off; no
# autovacuum, whose work on the table just loaded overlapped the next run
# and made the loads at 10^7 vary by a third), stopped at the end.
set -e
cd "$(dirname "$0")/.."
sizes=${PG_ROWS:-1000000 10000000}
runs=${RUNS_PG:-3}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
dir=$(mktemp -d)
if ! conninfo=$(PG_SERVER_OPTIONS="-c autovacuum=off" sh tests/lib/pg_server.sh start "$dir"); then
  echo "  skipped: no PostgreSQL server to start (Debian's postgresql-15)"
  exit 0
fi
trap 'sh tests/lib/pg_server.sh stop "$dir"; rm -rf "$dir"' EXIT
uri="postgresql:///postgres?host=$dir&user=zb"
psql="$bin/psql -q -X -A -t"
columns="region text, year bigint, indicator text, value double precision, unit text"

for size in $sizes; do
ROWS=$size . bench/data.sh >/dev/null

# The load: zb's read_csv against psql's \copy, each making its table anew.
cat > build/bench-pg-load.sh <<SH
$psql "$conninfo" -c "drop table if exists m_psql; create table m_psql ($columns)" -c "\\copy m_psql from '$file' csv header"
SH
cat > build/bench-pg-load.lua <<LUA
zb.read_csv("$file", {name = "m", replace = true})
LUA
echo "Load $rows rows into PostgreSQL: $runs runs each, interleaved; ratio = zb's median / psql's (target <= 1.1)"
build/timecmd "$runs" "./zb -d $uri build/bench-pg-load.lua" "sh build/bench-pg-load.sh"
./zb -d "$uri" -e "zb.sql('analyze m')"

# The queries: each case's SQL as zb makes it on the server, run by psql.
cat > build/bench-pg-cases.lua <<'LUA'
local m = zb.table("m")
return {  -- each made only when its case runs
  group = function() return m:group("indicator", "year"):agg{total = "sum(value)", n = "count(*)"} end,
  join = function() return m:join(m:group("indicator", "year"):agg{mean = "avg(value)"}, {"indicator", "year"}) end,
  window = function() return m:rank{value = "value", by = {"indicator", "year"}} end,
  rows = function() return m end,
}
LUA
echo "Queries over $rows rows on PostgreSQL: $runs runs each, interleaved; ratio = zb's median / psql's (target <= 1.05)"
for case in group join window rows; do
  cat > build/bench-pg-$case.lua <<LUA
local t = dofile("build/bench-pg-cases.lua").$case()
for _ in t:rows() do end
LUA
  ./zb -d "$uri" -e "print((dofile('build/bench-pg-cases.lua').$case():sql()))" > build/bench-pg-$case.sql
  echo "  $case: $(cut -c1-110 build/bench-pg-$case.sql)"
  $psql "$uri" -f build/bench-pg-$case.sql > /dev/null  # the table's pages in the server's cache for both
  build/timecmd "$runs" "./zb -d $uri build/bench-pg-$case.lua" "$psql $uri -f build/bench-pg-$case.sql"
done

# The multi-machine path, as far as one server shows it (SCALING.md): the
# table partitioned by region, as Citus shards a table by its distribution
# column, and zb's SQL for the operations by region, whose plans
# PostgreSQL makes partition by partition (what Citus runs shard by shard,
# each on its machine) and with parallel workers.  At the first size only.
if [ "$size" = "$(echo $sizes | cut -d' ' -f1)" ]; then
  $psql "$uri" -c "drop table if exists m_parts" -c "create table m_parts ($columns) partition by hash (region)" \
    -c "create table m_parts_0 partition of m_parts for values with (modulus 4, remainder 0)" \
    -c "create table m_parts_1 partition of m_parts for values with (modulus 4, remainder 1)" \
    -c "create table m_parts_2 partition of m_parts for values with (modulus 4, remainder 2)" \
    -c "create table m_parts_3 partition of m_parts for values with (modulus 4, remainder 3)" \
    -c "insert into m_parts select * from m" -c "analyze m_parts" >/dev/null
  cat > build/bench-pg-parts.lua <<'LUA'
local p = zb.table("m_parts")
return {
  ["group by region"] = function() return p:group("region", "year"):agg{total = "sum(value)", n = "count(*)"} end,
  ["window by region"] = function() return p:rank{value = "value", by = {"region", "indicator"}} end,
  ["join on region"] = function()
    return p:join(p:group("region", "indicator"):agg{mean = "avg(value)"}, {"region", "indicator"})
  end,
  ["group across regions"] = function() return p:group("indicator", "year"):agg{total = "sum(value)"} end,
}
LUA
  export PGOPTIONS="-c enable_partitionwise_aggregate=on -c enable_partitionwise_join=on"
  echo "The table partitioned by region (hash, 4 partitions), partition-wise plans on: each case's plan (nodes)"
  for case in "group by region" "window by region" "join on region" "group across regions"; do
    ./zb -d "$uri" -e "print((dofile('build/bench-pg-parts.lua')['$case']():sql()))" > build/bench-pg-parts.sql
    # the plan's nodes, in order; a node or a pair of them repeated is counted
    # ((HashAggregate > Seq Scan) x4: one a partition)
    echo "  $case: $($psql "$uri" -c "explain (costs off) $(cat build/bench-pg-parts.sql)" | \
      sed -n 's/^ *\(->  \)\{0,1\}//; /^Workers Planned/p; /:/d; s/ on .*//; s/  .*//; /./p' | \
      awk '{ node[++n] = $0 }
           END { i = 1; out = ""
                 while (i <= n) {
                   k = 1; while (i + k <= n && node[i + k] == node[i]) k++
                   if (k > 1) { item = node[i] " x" k; i += k }
                   else {
                     k = 1; while (i + 2 * k + 1 <= n && node[i + 2 * k] == node[i] && node[i + 2 * k + 1] == node[i + 1]) k++
                     if (k > 1) { item = "(" node[i] " > " node[i + 1] ") x" k; i += 2 * k } else { item = node[i]; i++ }
                   }
                   out = out (out == "" ? "" : " > ") item
                 }
                 print out }')"
    cat > build/bench-pg-parts-case.lua <<LUA
for _ in dofile("build/bench-pg-parts.lua")["$case"]():rows() do end
LUA
    build/timecmd "$runs" "./zb -d $uri build/bench-pg-parts-case.lua" "$psql $uri -f build/bench-pg-parts.sql"
  done
  unset PGOPTIONS
fi
done
