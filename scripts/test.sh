#!/usr/bin/env bash
# Runs every test: installs dependencies, builds, starts a private PostgreSQL and nats-server on
# loopback (under .run/test, or $SALES_TEST_RUN_DIR; fresh each run), runs ctest (unit +
# integration) and stops them; then the web console's unit tests and its browser tests against
# the whole system (scripts/test-browser.sh), and a short run of every fuzz harness.
# Extra arguments go to ctest (e.g. -L unit, -R EventProof).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

run_started=$(date +%s)
phase_started=$run_started
phase_done() {  # prints how long the phase since the previous call took
  local now
  now=$(date +%s)
  echo "test: $1 took $((now - phase_started)) s (run so far $((now - run_started)) s)"
  phase_started=$now
}
# Work that needs neither the test databases nor the test ports runs at the lowest priority in
# the background while ctest runs: the integration tests wait on PostgreSQL, NATS and child
# services most of the time (about 45% of both cores idle), and nice 19 leaves them the CPU
# whenever they want it. Each job's output is shown when it is collected.
declare -A background_pid background_log
in_background() {
  local name="$1"
  shift
  background_log[$name]="$(mktemp "/tmp/sales-test-$name.XXXXXX")"
  # setsid: its own process group, to stop it whole
  setsid nice -n 19 bash -c 'started=$(date +%s); status=0; "$@" || status=$?
    echo "took $(($(date +%s) - started)) s in the background, exit $status"; exit "$status"' \
    "$name" "$@" >"${background_log[$name]}" 2>&1 &
  background_pid[$name]=$!
}
collect_background() {  # waits for the job, shows its output, fails the run if it failed
  local name="$1" status=0
  wait "${background_pid[$name]}" || status=$?
  unset "background_pid[$name]"
  sed "s/^/test: $name: /" "${background_log[$name]}"
  rm -f "${background_log[$name]}"
  return "$status"
}
stop_infra_on_exit=0
on_exit() {  # a failed step ends the run: stop what it started
  local pid
  for pid in "${background_pid[@]}"; do
    kill -- "-$pid" 2>/dev/null || true
  done
  if [ "$stop_infra_on_exit" = 1 ]; then "$infra" stop; fi
}
trap on_exit EXIT

"$root/scripts/install-deps.sh"
"$root/scripts/check-structure.sh"
"$root/scripts/build.sh"
# The console: API types generated from docs/openapi.yaml, strict type check, bundle.
"$root/scripts/build-web.sh"
phase_done build
(cd "$root/web" && npm run --silent test:unit)

# The API document must pass the OpenAPI linter (rules: redocly.yaml); errors fail the run.
"$root/tools/node_modules/.bin/redocly" lint "$root/docs/openapi.yaml" --config "$root/redocly.yaml" \
  --format=stylish

# The event contract must pass the AsyncAPI CLI, warnings included (docs/asyncapi.yaml stays on
# AsyncAPI 3.0.0: the CLI's hint to move to 3.1.0 is suppressed), and name exactly the event types
# the services publish, with schemas that compile (tools/asyncapi-sync.mjs). The CLI runs offline:
# no usage metrics (tools/asyncapi-analytics.json), no update check, no node-config warnings.
ASYNCAPI_METRICS_CONFIG_PATH="$root/tools/asyncapi-analytics.json" ASYNCAPI_SKIP_NEW_VERSION_CHECK=true \
  SUPPRESS_NO_CONFIG_WARNING=1 SUPPRESS_STRICTNESS_CHECK=1 \
  "$root/tools/node_modules/.bin/asyncapi" validate "$root/docs/asyncapi.yaml" --fail-severity=warn \
  --suppressWarnings=asyncapi-latest-version
node "$root/tools/asyncapi-sync.mjs"

# The Kubernetes manifests (base and overlays) render and match the vendored schemas, offline.
"$root/deploy/kubernetes/validate.sh"
phase_done "console unit tests and document checks"

# In the background during ctest: the images (for the cluster test below), and the fuzz
# harnesses, which must keep building and their seed corpus keep passing (a short run each;
# scripts/fuzz.sh with a longer time is the real fuzzing, docs/operations.md "Fuzzing").
in_background images "$root/deploy/images/build.sh"
in_background fuzz env SALES_FUZZ_DIR="$root/build-fuzz" "$root/scripts/fuzz.sh" "${SALES_TEST_FUZZ_SECONDS:-5}"

export SALES_RUN_DIR="${SALES_TEST_RUN_DIR:-$root/.run/test}"
export SALES_PG_PORT="${SALES_TEST_PG_PORT:-26432}"
export SALES_NATS_PORT="${SALES_TEST_NATS_PORT:-26222}"
export SALES_NATS_MONITOR_PORT="${SALES_TEST_NATS_MONITOR_PORT:-26822}"
export SALES_PG_FSYNC=off  # test data is thrown away; durability is not under test here

infra="$root/deploy/local/infra.sh"
"$infra" destroy >/dev/null 2>&1 || true
stop_infra_on_exit=1
"$infra" start

# Debian installs nats-server in /usr/sbin; tests start private ones through PATH.
export PATH="$PATH:/usr/sbin"
# Services under test connect over TCP with their own roles and passwords; the tests' own
# administrator connection goes through the private Unix socket (no trust over TCP). The shared
# nats-server takes the "admin" user (deploy/local/nats.conf).
export SALES_TEST_PG_HOST=127.0.0.1
export SALES_TEST_PG_PORT="$SALES_PG_PORT"
export SALES_TEST_PG_USER=postgres
SALES_TEST_PG_SOCKET="$("$infra" pg-socket)"
nats_admin_password="$("$infra" nats-password admin)"
export SALES_TEST_PG_SOCKET SALES_TEST_NATS_URL="nats://admin:$nats_admin_password@127.0.0.1:$SALES_NATS_PORT"
export SALES_TEST_PG_RESTART_CMD="$infra restart-postgres"
export SALES_BUILD_DIR="${SALES_BUILD_DIR:-$root/build}"

ctest --test-dir "$SALES_BUILD_DIR" --output-on-failure -j2 "$@"
stop_infra_on_exit=0
"$infra" stop
phase_done ctest

# SEC-3: back up with pgBackRest, lose the database host, restore every database to a point in
# time and check the figures through the services (reduced drill; docs/operations.md).
"$root/deploy/backup/restore-drill.sh" --quick
phase_done "restore drill"

# Images, the compose deployment (3 NATS nodes, 2 replicas of every service) and the cluster
# test: the one-unit race and the saga through the load balancer while a NATS node and one
# replica of each service are SIGKILLed, then the books (reduced: 20 deals; docs/operations.md).
collect_background images
SALES_SKIP_BUILD=1 "$root/tests/cluster/cluster_test.sh" --deals "${SALES_TEST_CLUSTER_DEALS:-20}"
phase_done "images and cluster test"

SALES_SKIP_WEB_BUILD=1 "$root/scripts/test-browser.sh"
phase_done "browser tests"

collect_background fuzz
phase_done "fuzz (collected)"
