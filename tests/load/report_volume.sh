#!/usr/bin/env bash
# Report volume benchmark: the reporting read model filled with --contracts contracts and
# --entries ledger entries, each report's first page and each summary timed through HTTP against
# GET /readyz of the same run. Results: bench-results/report_volume-<UTC time>.json. See
# docs/operations.md "Benchmark (report volume)".
# Usage: tests/load/report_volume.sh [--contracts 100000] [--entries 1000000] [--runs 5]
exec "$(dirname "$0")/stack_bench.sh" report_volume "${BENCH_REPORT_PG_PORT:-27632}" \
  "${BENCH_REPORT_NATS_PORT:-27422}" "${BENCH_REPORT_NATS_MONITOR_PORT:-28022}" "$@"
