#!/usr/bin/env bash
# Gateway overhead benchmark: a GET of a unit and a POST creating a project, each for
# --seconds at --workers concurrency, directly to inventory and then through the gateway; req/s,
# p50/p99, the throughput ratio and the added latency.
# Results: bench-results/gateway_overhead-<UTC time>.json. See docs/operations.md.
# Usage: tests/load/gateway_overhead.sh [--workers 16] [--seconds 10]
exec "$(dirname "$0")/stack_bench.sh" gateway_overhead "${BENCH_GATEWAY_PG_PORT:-27632}" \
  "${BENCH_GATEWAY_NATS_PORT:-27422}" "${BENCH_GATEWAY_NATS_MONITOR_PORT:-27722}" "$@"
