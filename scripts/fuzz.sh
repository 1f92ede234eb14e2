#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang (AddressSanitizer + UBSan) and runs
# each for SECONDS (default 60) against its committed seed corpus, one after the other.
# New interesting inputs go to $SALES_FUZZ_DIR/corpus/<harness> (not into the repository);
# crashes to $SALES_FUZZ_DIR/crashes/<harness>/. Prints executions and crashes per harness and
# writes them to $SALES_FUZZ_DIR/results.txt; exits 1 if any harness crashed.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
dir="${SALES_FUZZ_DIR:-$root/build-fuzz}"
clang="${SALES_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}"
if [ -z "$clang" ]; then
  echo "fuzz: clang++ not found (Debian: apt-get install clang-14)" >&2
  exit 2
fi
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(fuzz_http_request fuzz_request_body fuzz_event_envelope fuzz_phone fuzz_dates)
fi
mkdir -p "$dir"
if [ ! -f "$dir/build/build.ninja" ]; then
  cmake -S "$root/tests/fuzz" -B "$dir/build" -G Ninja -DCMAKE_CXX_COMPILER="$clang" \
    -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null
fi
cmake --build "$dir/build" --target "${harnesses[@]}"

export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"  # static servers live until exit
: >"$dir/results.txt"
failed=0
for h in "${harnesses[@]}"; do
  mkdir -p "$dir/corpus/$h" "$dir/crashes/$h"
  log="$dir/$h.log"
  status=0
  "$dir/build/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$dir/crashes/$h/" -print_final_stats=1 \
    "$dir/corpus/$h" "$root/tests/fuzz/corpus/$h" >"$log" 2>&1 || status=$?
  execs="$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)"
  crashes="$(find "$dir/crashes/$h" -type f | wc -l)"
  line="$h: ${seconds}s, $execs executions, $crashes crash files, exit $status"
  echo "$line" | tee -a "$dir/results.txt"
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    tail -40 "$log" >&2
  fi
done
exit "$failed"
