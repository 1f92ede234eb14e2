#!/usr/bin/env bash
# The cluster test, one command: starts the compose deployment (deploy/compose; a fresh one
# under .run/cluster, project "salescluster", port 8190), seeds the demo office, runs
# tests/cluster/cluster_test.py (the one-unit race; the saga under load while a NATS node and
# one replica of every service are SIGKILLed; the books checked afterwards) and stops and deletes
# the deployment, also on failure. Results: bench-results/cluster-<UTC time>.json.
# Usage: tests/cluster/cluster_test.sh [--deals 40] [--workers 4] [--racers 16]
# SALES_SKIP_BUILD=1 reuses the images as they are (e.g. right after deploy/images/build.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
export SALES_COMPOSE_RUN="${SALES_CLUSTER_RUN:-$root/.run/cluster}"
export SALES_COMPOSE_PORT="${SALES_CLUSTER_PORT:-8190}"
export SALES_COMPOSE_PROJECT=salescluster
build="${SALES_BUILD_DIR:-$root/build}"

"$root/deploy/compose/down.sh" --volumes >/dev/null
[ "${SALES_CLUSTER_KEEP:-0}" = 1 ] || trap '"$root/deploy/compose/down.sh" --volumes' EXIT
"$root/deploy/compose/up.sh"

token="$("$build/libs/auth/sales-token" mint --private-key "$SALES_COMPOSE_RUN/secrets/gateway/token-private.key" \
  --user cluster-admin --roles admin --projects '*' --ttl 3600)"
python3 "$root/deploy/local/demo_data.py" "$token" "$SALES_COMPOSE_PORT" --gateway "$SALES_COMPOSE_PORT" \
  --admin-password-file "$SALES_COMPOSE_RUN/admin.password" --users-file "$SALES_COMPOSE_RUN/demo-users.txt"

results="${BENCH_RESULTS_DIR:-$root/bench-results}"
mkdir -p "$results"
python3 "$root/tests/cluster/cluster_test.py" --port "$SALES_COMPOSE_PORT" --project "$SALES_COMPOSE_PROJECT" \
  --users-file "$SALES_COMPOSE_RUN/demo-users.txt" --out "$results/cluster-$(date -u +%Y%m%dT%H%M%SZ).json" "$@"
