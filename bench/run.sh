#!/bin/sh
# make bench: every case, side by side with its peers, then bench/RESULTS.md:
# the machine, the versions, every figure of this run, and bench/ANALYSIS.md
# (what dominates each cost, what was tried).  With --report, only writes
# RESULTS.md again from the last run's figures (after editing ANALYSIS.md).
set -e
cd "$(dirname "$0")/.."
mkdir -p build
report=build/bench-report.txt
if [ "$1" != --report ]; then
  : > $report
  for case in startup ingest group rows metric time window scale xlsx composite chart ops postgresql; do
    echo "## $case" >> $report
    sh bench/$case.sh 2>&1 | tee -a $report
  done
fi
version() { "$@" 2>&1 | head -1; }
{
  echo "# zb benchmarks: results of \`make bench\`"
  echo
  echo "Written by bench/run.sh on $(date -u -r $report +%Y-%m-%d); every figure below is from that one run."
  echo
  echo "- machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory, $(uname -sr)"
  echo "- zb: $(./zb -v 2>&1 | tr '\n' ' ')"
  echo "- peers: sqlite3 $(version sqlite3 --version | cut -d' ' -f1); $(version lua5.4 -v);" \
       "luasql-sqlite3 $(dpkg-query -W -f '${Version}' lua-sql-sqlite3 2>/dev/null || echo 'not installed');" \
       "$(version /usr/bin/python3 --version); pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)' 2>/dev/null || echo 'not installed')"
  echo "- valgrind: $(version valgrind --version)"
  echo
  echo "Ratios are zb's median over the peer's (below 1: zb is faster). Times are"
  echo "wall clock, medians of interleaved runs; this machine is shared and noisy,"
  echo "so where a figure is close it is backed by callgrind's instruction counts."
  echo
  awk '/^## / { if (open) print "```"; print ""; print "## " substr($0, 4); print ""; print "```"; open = 1; next }
       { print } END { if (open) print "```" }' $report
  echo
  cat bench/ANALYSIS.md
} > bench/RESULTS.md
echo "wrote bench/RESULTS.md"
