#!/bin/bash
# Import throughput before and after a change, back to back for each database in one run:
#   bash bench/import/compare.sh <checkout of the code before> [rows]
# (a checkout made with `git archive <commit> | tar -x -C <dir>` and this repository's node_modules
# linked into it). Set BENCH_DATABASE_PREFIX and BENCH_PGLITE_DIR to keep apart from others.
set -euo pipefail
before=${1:?usage: compare.sh <checkout before> [rows]}
rows=${2:-50000}
after=$(cd "$(dirname "$0")/../.." && pwd)
for driver in postgres pglite; do
  for side in before after; do
    root=$before
    [ "$side" = after ] && root=$after
    echo "== $side $driver $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$root" && nice -n 10 node --import tsx bench/import/throughput.ts --rows "$rows" --drivers "$driver" \
      --file "/tmp/tiaki-bench-import-$side.csv" 2>&1 | grep -a "file \|imported in\|steps")
  done
done
echo "== end $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
