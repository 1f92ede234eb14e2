#!/usr/bin/env bash
# Runs a benchmark driver that starts its own services through tests/integration/stack.hpp:
# builds the driver and the services it starts (into build/ unless SALES_BUILD_DIR says
# otherwise), starts a private PostgreSQL (fsync on unless SALES_PG_FSYNC=off) and nats-server
# under .run/bench-<driver> on the given ports, runs
# build/tests/load/<driver> --out bench-results/<driver>-<UTC time>.json [args], and stops the
# servers at the end, also on failure.
# Usage: stack_bench.sh DRIVER PG_PORT NATS_PORT NATS_MONITOR_PORT [driver args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
driver="$1"; pg_port="$2"; nats_port="$3"; monitor_port="$4"; shift 4

export SALES_BUILD_DIR="${SALES_BUILD_DIR:-$root/build}"
"$root/scripts/install-deps.sh"
# Only the driver: its CMake target depends on the services it starts (tests/load/CMakeLists.txt).
"$root/scripts/build.sh" "$driver"

export SALES_RUN_DIR="$root/.run/bench-$driver"
export SALES_PG_PORT="$pg_port" SALES_NATS_PORT="$nats_port" SALES_NATS_MONITOR_PORT="$monitor_port"
export SALES_PG_FSYNC="${SALES_PG_FSYNC:-on}"  # commits cost what they cost in production
export PATH="$PATH:/usr/sbin"                  # nats-server, for a normal user too

infra="$root/deploy/local/infra.sh"
"$infra" stop >/dev/null 2>&1 || true
rm -rf "$SALES_RUN_DIR"
trap '"$infra" stop' EXIT
"$infra" start

# The driver's services connect with their own roles and NATS users (tests/support/stack.cpp);
# the driver itself is the administrator, through the Unix socket.
export SALES_TEST_PG_HOST=127.0.0.1 SALES_TEST_PG_PORT="$pg_port" SALES_TEST_PG_USER=postgres
SALES_TEST_PG_SOCKET="$("$infra" pg-socket)"
nats_admin_password="$("$infra" nats-password admin)"
export SALES_TEST_PG_SOCKET SALES_TEST_NATS_URL="nats://admin:$nats_admin_password@127.0.0.1:$nats_port"

results="${BENCH_RESULTS_DIR:-$root/bench-results}"
mkdir -p "$results"
out="$results/$driver-$(date -u +%Y%m%dT%H%M%SZ).json"
"$SALES_BUILD_DIR/tests/load/$driver" --out "$out" "$@"
echo "$driver: results in $out ($(nproc) hardware threads, fsync $SALES_PG_FSYNC)"
