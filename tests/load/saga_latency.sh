#!/usr/bin/env bash
# Saga latency benchmark (issue 4), one command: builds the services and tests/load/saga_latency
# (into build/ unless SALES_BUILD_DIR says otherwise), starts a private PostgreSQL (fsync on) and
# nats-server under .run/bench-saga, and runs the driver: --deals deals through inventory,
# contract and finance by --workers concurrent offices, reporting p50/p99 of contract.signed →
# schedule, sign response → handover eligible and last payment → eligible, with the payment POST
# as the same-run baseline. Results: bench-results/saga_latency-<UTC time>.json. Stops what it
# started, also on failure.
#
# Usage: tests/load/saga_latency.sh [--workers 8] [--deals 400]
# Environment: SALES_BUILD_DIR (build), BENCH_SAGA_PG_PORT (27532), BENCH_SAGA_NATS_PORT (27322).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

export SALES_BUILD_DIR="${SALES_BUILD_DIR:-$root/build}"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

export SALES_RUN_DIR="$root/.run/bench-saga"
export SALES_PG_PORT="${BENCH_SAGA_PG_PORT:-27532}"
export SALES_NATS_PORT="${BENCH_SAGA_NATS_PORT:-27322}"
export SALES_NATS_MONITOR_PORT="${BENCH_SAGA_NATS_MONITOR_PORT:-27922}"
export SALES_PG_FSYNC="${SALES_PG_FSYNC:-on}"  # commits cost what they cost in production

infra="$root/deploy/local/infra.sh"
"$infra" stop >/dev/null 2>&1 || true
rm -rf "$SALES_RUN_DIR"
trap '"$infra" stop' EXIT
"$infra" start

export SALES_TEST_PG_HOST=127.0.0.1
export SALES_TEST_PG_PORT="$SALES_PG_PORT"
export SALES_TEST_PG_USER=postgres
export SALES_TEST_NATS_URL="nats://127.0.0.1:$SALES_NATS_PORT"

results="${BENCH_RESULTS_DIR:-$root/bench-results}"
mkdir -p "$results"
out="$results/saga_latency-$(date -u +%Y%m%dT%H%M%SZ).json"
"$SALES_BUILD_DIR/tests/load/saga_latency" --out "$out" "$@"
echo "saga_latency: results in $out ($(nproc) hardware threads, fsync $SALES_PG_FSYNC)"
