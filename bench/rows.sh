#!/bin/sh
# make bench: reading rows.  t:rows() against luasql-sqlite3's cursor:fetch
# into a new table each row (five fields, then one), and a table method
# chain against running its SQL text, on the same 1-million-row database.
set -e
. "$(dirname "$0")/data.sh"
runs=${RUNS_ROWS:-5}

cat > build/bench-rows5.lua <<'LUA'
local n = 0
for r in zb.table("m"):rows() do
  local _, _, _, _, _ = r.region, r.year, r.indicator, r.value, r.unit
  n = n + 1
end
LUA
cat > build/bench-rows1.lua <<'LUA'
local sum = 0
for r in zb.table("m"):select("value"):rows() do sum = sum + r.value end
LUA
cat > build/bench-luasql.lua <<'LUA'
local db, fields = ...
local env = require("luasql.sqlite3").sqlite3()
local con = assert(env:connect(db))
if fields == "5" then
  local cur = assert(con:execute("select region, year, indicator, value, unit from m"))
  local row = cur:fetch({}, "a")
  while row do
    local _, _, _, _, _ = row.region, row.year, row.indicator, row.value, row.unit
    row = cur:fetch({}, "a")
  end
else
  local cur = assert(con:execute("select value from m"))
  local sum, row = 0, cur:fetch({}, "a")
  while row do
    sum = sum + row.value
    row = cur:fetch({}, "a")
  end
end
con:close()
env:close()
LUA
cat > build/bench-chain.lua <<'LUA'
for r in zb.table("m"):where("year >= ?", 2015):group("indicator"):agg{total = "sum(value)", n = "count(*)"}:rows() do end
LUA
# The SQL text the chain compiles to, run through zb.sql: what the methods cost.
./zb -d "$db" -e '
local sql, params = zb.table("m"):where("year >= ?", 2015):group("indicator"):agg{total = "sum(value)", n = "count(*)"}:sql()
local f = assert(io.open("build/bench-chain-sql.lua", "w"))
local args = {string.format("%q", sql)}
for _, v in ipairs(params or {}) do args[#args + 1] = string.format(math.type(v) == "integer" and "%d" or "%q", v) end
f:write("for r in zb.sql(" .. table.concat(args, ", ") .. "):rows() do end\n")
f:close()'

if lua5.4 -e 'require("luasql.sqlite3")' 2>/dev/null; then luasql="lua5.4 build/bench-luasql.lua $db"
else luasql="luasql-sqlite3-not-installed"; fi
py=/usr/bin/python3
[ -x $py ] || py=python3-not-installed
echo "t:rows(), $rows rows: $runs runs each, interleaved; ratio = zb's median / the peer's"
echo " five fields a row:"
build/timecmd "$runs" "./zb -d $db build/bench-rows5.lua" "$luasql 5" "$py bench/peers.py rows $db 5"
echo " one field a row:"
build/timecmd "$runs" "./zb -d $db build/bench-rows1.lua" "$luasql 1" "$py bench/peers.py rows $db 1"
echo "A method chain (where, group, agg) against the SQL text it compiles to, through zb.sql:"
build/timecmd "$runs" "./zb -d $db build/bench-chain.lua" "./zb -d $db build/bench-chain-sql.lua"

# Noise-free: instructions a row on the first 100 thousand rows, over each tool's start.
if command -v valgrind >/dev/null 2>&1 && [ "$luasql" != luasql-sqlite3-not-installed ]; then
  few=build/bench-indicators-100k.db
  [ -f $few ] || sqlite3 "$db" "attach '$few' as few; create table few.m as select * from m limit 100000;"
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
  echo 'zb.sql("select 1"):value()' > build/bench-empty.lua
  echo 'local env = require("luasql.sqlite3").sqlite3(); local con = env:connect(...); con:close(); env:close()' > build/bench-luasql-empty.lua
  zr=$(count ./zb -d $few build/bench-rows5.lua); ze=$(count ./zb -d $few build/bench-empty.lua)
  lr=$(count lua5.4 build/bench-luasql.lua $few 5); le=$(count lua5.4 build/bench-luasql-empty.lua $few)
  awk -v zr="$zr" -v ze="$ze" -v lr="$lr" -v le="$le" 'BEGIN {
    printf "  callgrind, instructions a row, five fields: zb %.0f, luasql-sqlite3 %.0f (ratio %.3f; target <= 0.67)\n",
      (zr - ze) / 1e5, (lr - le) / 1e5, (zr - ze) / (lr - le) }'
fi
