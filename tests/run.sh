#!/bin/sh
# Run every test suite: C unit tests, Lua unit tests of modules that need
# no zb (a plain lua5.4), Lua tests run by zb itself (the command
# line and REPL suites among them).  Each suite prints TAP lines; this counts
# them and ends with "N passed, N failed".
#
#   ZB         the zb command under test (default ./zb; may be "valgrind ... ./zb")
#   UNIT_BINS  the C unit test programs
#   ZB_SLOW    set when zb runs slowly (valgrind, sanitizers): longer waits
#   ZB_REPORTS where valgrind and the sanitizers write reports: each one fails

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
ZB=${ZB:-$top/zb}
export ZB

# Isolate the suites from the user's own configuration, history and modules.
sandbox=$(mktemp -d)
# A PostgreSQL server of the run's own for tests/lua/postgresql.lua (ZB_PG:
# its connection string), stopped however the run ends, Ctrl-C included.
pgdir="$top/build/pg"
trap 'sh "$top/tests/lib/pg_server.sh" stop "$pgdir"; rm -rf "$sandbox"' EXIT
trap 'exit 130' INT TERM
ZB_PG=$(sh tests/lib/pg_server.sh start "$pgdir") || ZB_PG=
export ZB_PG
export HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_STATE_HOME="$sandbox/state"
mkdir -p "$HOME"
unset XDG_DATA_HOME LUA_PATH LUA_PATH_5_4 LUA_CPATH LUA_CPATH_5_4 LUA_INIT LUA_INIT_5_4
export ZB_PATH="$top/tests/lib:$top/build"

passed=0
failed=0
if [ -n "$ZB_REPORTS" ]; then
  rm -rf "$ZB_REPORTS"
  mkdir -p "$ZB_REPORTS"
fi

# run_suite NAME COMMAND...: count its TAP lines; a suite that exits non-zero
# without reporting a failure, or reports no check at all, fails once more.
run_suite() {
  name=$1
  shift
  out=$("$@" 2>&1)
  status=$?
  p=$(printf '%s\n' "$out" | grep -c '^ok ')
  f=$(printf '%s\n' "$out" | grep -c '^not ok ')
  if [ "$f" -eq 0 ] && { [ "$status" -ne 0 ] || [ "$p" -eq 0 ]; }; then
    f=1
    out="$out
not ok - $name exited with status $status after $p checks"
  fi
  if [ "$f" -gt 0 ]; then
    printf '%s\n' "$out" | grep -v '^ok ' | sed "s|^|$name: |"
  fi
  printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
  passed=$((passed + p))
  failed=$((failed + f))
}

for bin in $UNIT_BINS; do
  run_suite "$(basename "$bin")" "$bin"
done
# Lua unit tests of zb's modules that need no zb: a plain Lua interpreter
for suite in tests/unit/*.lua; do
  run_suite "$(basename "$suite" .lua)" lua5.4 "$suite"
done
for suite in tests/lua/*.lua; do
  # shellcheck disable=SC2086 # ZB may hold a command with its options
  run_suite "$(basename "$suite" .lua)" $ZB -n "$suite"
done

# Each non-empty report is an error or a leak that a check did not see.
if [ -n "$ZB_REPORTS" ]; then
  reports=0
  for report in "$ZB_REPORTS"/*; do
    [ -s "$report" ] || continue
    # valgrind's notes on ioctls it does not model (the pty tests) are not errors
    grep -qv -e 'unhandled ioctl' -e 'spurious value errors' -e 'README_MISSING_SYSCALL' "$report" ||
      continue
    reports=$((reports + 1))
    sed "s|^|$(basename "$report"): |" "$report" | head -40
  done
  printf '%-28s %4d passed, %d failed\n' "memory and UB reports" 0 "$reports"
  failed=$((failed + reports))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
