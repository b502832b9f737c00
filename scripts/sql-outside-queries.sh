#!/usr/bin/env bash
# Counts SQL written outside queries.ts in each server module: Kysely query building
# (.selectFrom/.insertInto/.updateTable/.deleteFrom and the like) and sql`…` templates (sql`, sql<T>`).
# Tests, queries.ts files and a module's queries/ folder (its queries.ts split by subject) are not counted. `bash scripts/sql-outside-queries.sh [-v]`.
set -euo pipefail
cd "$(dirname "$0")/../apps/server/src/modules"
pattern='\.(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^`]*>)?`'
total=0
for m in */; do
  m=${m%/}
  n=$( (grep -rEo --include='*.ts' --exclude='*.test.ts' --exclude='queries.ts' --exclude-dir=queries "$pattern" "$m" || true) | wc -l)
  total=$((total + n))
  printf '%-16s %4d\n' "$m" "$n"
done | sort -k2 -nr
total=$( (grep -rEo --include='*.ts' --exclude='*.test.ts' --exclude='queries.ts' --exclude-dir=queries "$pattern" . || true) | wc -l)
printf '%-16s %4d\n' total "$total"
if [ "${1:-}" = -v ]; then
  grep -rEn --include='*.ts' --exclude='*.test.ts' --exclude='queries.ts' --exclude-dir=queries "$pattern" . | cut -c1-160
fi
