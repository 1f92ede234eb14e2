#!/usr/bin/env bash
# Saga latency benchmark: --deals deals through inventory, contract and finance by --workers
# concurrent offices starting --rate deals per second (0: back to back); p50/p99 of
# contract.signed → schedule, sign response → handover eligible and last payment → eligible,
# with the payment POST as the same-run baseline.
# Results: bench-results/saga_latency-<UTC time>.json. See docs/operations.md.
# Usage: tests/load/saga_latency.sh [--workers 8] [--deals 400] [--rate 10]
exec "$(dirname "$0")/stack_bench.sh" saga_latency "${BENCH_SAGA_PG_PORT:-27532}" \
  "${BENCH_SAGA_NATS_PORT:-27322}" "${BENCH_SAGA_NATS_MONITOR_PORT:-27922}" "$@"
