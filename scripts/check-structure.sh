#!/usr/bin/env bash
# Checks the layout rules of ARCHITECTURE.md ("One way to do each thing") that a compiler does not:
# - no source file under services/*/src longer than 600 lines (split by use case);
# - SQL lives in the stores (src/adapters/*_store.*, *_queries.*), never in src/app or src/domain;
# - routes go through the runtime's route helper: no service adds to the router itself;
# - errors are sales::Failure: no service defines its own exception class.
# Prints every violation and exits 1 if there is any.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
problems=0
report() { echo "check-structure: $*" >&2; problems=$((problems + 1)); }

while IFS= read -r file; do
  [ -f "$file" ] || continue
  lines=$(wc -l <"$file")
  [ "$lines" -le 600 ] || report "$file has $lines lines (at most 600): split it by use case"
done < <(git ls-files -co --exclude-standard 'services/*/src/*.cpp' 'services/*/src/*.hpp')

sql='"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b'
while IFS= read -r hit; do
  report "SQL outside a store: $hit"
done < <(grep -rnE "$sql" services/*/src/app services/*/src/domain 2>/dev/null)

while IFS= read -r hit; do
  report "route added around the runtime's helper: $hit"
done < <(grep -rnE 'router\(\)\.add|\.router\(\)\.(get|post|put|patch|del)\(' services/*/src 2>/dev/null)

while IFS= read -r hit; do
  report "own error class (use sales::Failure): $hit"
done < <(grep -rnE 'class [A-Za-z]+ *: *public std::(runtime_error|exception|logic_error)' services/*/src 2>/dev/null)

if [ "$problems" -gt 0 ]; then
  echo "check-structure: $problems problem(s)" >&2
  exit 1
fi
echo "check-structure: ok"
