#!/bin/sh
# A PostgreSQL server of the test run's own: pg_server.sh start DIR | restart DIR | stop DIR.
# The cluster lives in DIR (made by initdb), listens only on a Unix socket in
# DIR (no TCP port), trusts local connections but for the role zb_password
# (scram, password "right"), and writes nothing to disk it need not keep
# (fsync off: a test cluster is thrown away).  Run as root, it runs as the
# unprivileged user nobody, as PostgreSQL requires.  start prints the libpq
# connection string; it prints nothing and exits 1 when there is no server
# to be had (the PostgreSQL tests then say so and skip).  PG_SERVER_OPTIONS:
# more settings for the server (-c name=value ...).
set -e
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || exit 1
if [ "$(id -u)" -eq 0 ]; then
  as() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
else
  as() { "$@"; }
fi
case $action in
start)
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
  as "$bin/initdb" -D "$dir/data" -U zb --auth-local=trust --auth-host=reject -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1
  { printf 'local all zb_password scram-sha-256\n'; cat "$dir/data/pg_hba.conf"; } >"$dir/hba"
  cp "$dir/hba" "$dir/data/pg_hba.conf"
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=20 -c shared_buffers=16MB ${PG_SERVER_OPTIONS:-}" \
    start >/dev/null
  conninfo="host=$dir dbname=postgres user=zb"
  "$bin/psql" -q -X "$conninfo" -c "create role zb_password login password 'right'" >/dev/null
  printf '%s\n' "$conninfo"
  ;;
restart)
  as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null
  ;;
stop)
  [ -d "$dir/data" ] || exit 0
  as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
esac
