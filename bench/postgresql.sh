#!/bin/sh
# make bench: the PostgreSQL engine (issue 18).  1 million and 10 million
# rows (PG_ROWS: the sizes) loaded through zb (read_csv: the file
# read as on SQLite, the rows sent through COPY) against psql's \copy of
# the same file into the same columns; then the group, join, window and
# rows cases, each zb's table method with its rows read through Lua against
# psql running the very SQL zb sent (t:sql(), made on the server; psql's
# rows unaligned, to a discarded output).  Targets: the load at most 1.1x
# psql's, the queries at most 1.05x.  Whole processes, interleaved; a server
# of the bench's own (tests/lib/pg_server.sh: a Unix socket, fsync off),
# stopped at the end.
set -e
cd "$(dirname "$0")/.."
sizes=${PG_ROWS:-1000000 10000000}
runs=${RUNS_PG:-3}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
dir=$(mktemp -d)
if ! conninfo=$(sh tests/lib/pg_server.sh start "$dir"); then
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
done
