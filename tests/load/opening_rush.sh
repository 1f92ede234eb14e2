#!/usr/bin/env bash
# Opening-day benchmark through the gateway, on the product's default configuration, one command.
# Builds the five services, sales-token and tests/load/opening_rush (scripts/build.sh into
# $SALES_BUILD_DIR, default build/); starts the whole product with deploy/local/up.sh, fresh, under
# .run/bench (own PostgreSQL 15 with fsync on, nats-server, gateway, inventory, contract, customer,
# finance with no setting but ports; up.sh's demo data included); then the driver, through the
# gateway only: the administrator creates and releases a 2,000-unit project and the sales reps'
# accounts, each rep logs in once and records a few customers, then phase 1 "rush" (N buyers
# rushing a popular subset, every request with its rep's token, all from 127.0.0.1) and phase 2
# "refusals only" (requests for units phase 1 sold), each with CPU per request of every process
# and commits per request of every service database; then the oversold check against the
# inventory and contract databases; then pgbench on the same server (UPDATE + INSERT per
# transaction, same number of clients) as the baseline, and the ratio req/s ÷ TPS. Results go to
# bench-results/opening_rush-<UTC timestamp>.json and .txt. Everything it started is stopped at
# the end (deploy/local/down.sh), also on failure; logs stay in .run/bench until the next run.
#
# Usage: tests/load/opening_rush.sh [--buyers N] [--concurrency C] [--popular P] [--reps R]
#                                   [--refusals M] [--pgbench-seconds S] [--no-build]
#                                   [other driver flags, see build/tests/load/opening_rush --help]
# Environment (defaults): SALES_BUILD_DIR (build), SALES_PG_FSYNC (on), BENCH_RUN_DIR
#   (.run/bench), BENCH_PG_PORT (27432), BENCH_NATS_PORT (27222), BENCH_NATS_MONITOR_PORT (27822),
#   BENCH_GATEWAY_PORT (27080; inventory, contract, customer, finance on the next four),
#   BENCH_RESULTS_DIR (bench-results). Every other SALES_* variable of the caller is dropped, so
#   the services run on their defaults.
# Exit code: 0 when the run completed with oversold_units 0 and mismatches 0; 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

buyers=20000
concurrency=64
popular=200
reps=64
refusals=""
pgbench_seconds=20
build=1
driver_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --buyers|--concurrency|--popular|--reps|--refusals|--pgbench-seconds)
      [ $# -ge 2 ] || { echo "opening_rush.sh: $1 needs a value" >&2; exit 2; }
      name="${1#--}"; printf -v "${name//-/_}" '%s' "$2"; shift 2 ;;
    --buyers=*|--concurrency=*|--popular=*|--reps=*|--refusals=*|--pgbench-seconds=*)
      name="${1%%=*}"; name="${name#--}"; printf -v "${name//-/_}" '%s' "${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) driver_args+=("$1"); shift ;;
  esac
done
for n in "$buyers" "$concurrency" "$popular" "$reps" "$pgbench_seconds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "opening_rush.sh: '$n' is not a positive integer" >&2; exit 2; }
done
[[ "$refusals" =~ ^[0-9]*$ ]] || { echo "opening_rush.sh: --refusals '$refusals' is not an integer" >&2; exit 2; }
[ -n "$refusals" ] || refusals=$(( buyers / 10 > 1000 ? buyers / 10 : 1000 ))

# The product's defaults: no thread, pool or rate-limit setting of the caller reaches a service.
for var in $(compgen -e); do
  case "$var" in
    SALES_BUILD_DIR|SALES_BUILD_TYPE|SALES_NINJA_ARGS|SALES_PG_BIN|SALES_PG_FSYNC) ;;
    SALES_*) unset "$var" ;;
  esac
done
export SALES_BUILD_DIR="${SALES_BUILD_DIR:-$root/build}"
build_dir="$SALES_BUILD_DIR"
export SALES_RUN_DIR="${BENCH_RUN_DIR:-$root/.run/bench}"
export SALES_PG_PORT="${BENCH_PG_PORT:-27432}"
export SALES_NATS_PORT="${BENCH_NATS_PORT:-27222}"
export SALES_NATS_MONITOR_PORT="${BENCH_NATS_MONITOR_PORT:-27822}"
# fsync stays on by default: pgbench and the services then pay the same commit cost.
export SALES_PG_FSYNC="${SALES_PG_FSYNC:-on}"
gateway_port="${BENCH_GATEWAY_PORT:-27080}"
export SALES_GATEWAY_PORT="$gateway_port" SALES_INVENTORY_PORT=$((gateway_port + 1)) \
  SALES_CONTRACT_PORT=$((gateway_port + 2)) SALES_CUSTOMER_PORT=$((gateway_port + 3)) \
  SALES_FINANCE_PORT=$((gateway_port + 4)) SALES_REPORTING_PORT=$((gateway_port + 5)) \
  SALES_WEBHOOKS_PORT=$((gateway_port + 6))
export SALES_SKIP_WEB_BUILD=1  # the console is not part of the measurement
results_dir="${BENCH_RESULTS_DIR:-$root/bench-results}"
services=(gateway inventory contract customer finance reporting webhooks)

log() { echo "opening_rush.sh: $*" >&2; }
# Debian installs nats-server in /usr/sbin, which a normal user's PATH lacks.
command -v nats-server >/dev/null || export PATH="$PATH:/usr/sbin:/sbin"

if [ "$build" -eq 1 ]; then
  "$root/scripts/install-deps.sh" >&2
  "$root/scripts/build.sh" "${services[@]}" sales-token opening_rush >&2
fi
[ -x "$build_dir/tests/load/opening_rush" ] || { log "$build_dir/tests/load/opening_rush is missing (build first or drop --no-build)"; exit 1; }
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)"

infra="$root/deploy/local/infra.sh"
down="$root/deploy/local/down.sh"
pid_dir="$SALES_RUN_DIR/pids"

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local rc=$?
  "$down" >&2 || true
  exit "$rc"
}

# A previous run killed half-way may have left its processes behind: down.sh stops exactly those
# (by the PID files under the bench run directory); destroy deletes its data.
"$down" >/dev/null 2>&1 || true
"$infra" destroy >/dev/null 2>&1 || true
mkdir -p "$results_dir" "$SALES_RUN_DIR"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "starting the product with deploy/local/up.sh (run directory $SALES_RUN_DIR, fsync $SALES_PG_FSYNC)"
"$root/deploy/local/up.sh" >"$SALES_RUN_DIR/up.log" 2>&1 || {
  log "deploy/local/up.sh failed:"; tail -n 30 "$SALES_RUN_DIR/up.log" >&2; exit 1; }

pg_master="$(head -n1 "$("$infra" pg-socket)/data/postmaster.pid")"
nats_pid="$(cat "$SALES_RUN_DIR/nats/nats.pid")"
process_args=(--process "postgres=postgres:$pg_master" --process "nats=$nats_pid")
measured_pids="$pg_master $nats_pid"
for svc in "${services[@]}"; do
  # The service itself (up.sh runs it under a supervisor whose PID is <svc>.pid).
  pid="$(cat "$pid_dir/$svc.service.pid")"
  process_args+=(--process "$svc=$pid")
  measured_pids="$measured_pids $pid"
done

# How much of the machine other programs (a compiler, say) took, which distorts the figures:
# the machine's busy time (/proc/stat: user, nice, system, steal; interrupts and softirq, which
# are charged to no process and here mostly carry the loopback traffic, apart) less the time of
# our processes: this script and its descendants, the product's processes and PostgreSQL's
# backends, each with its reaped children (a child's time moves to its parent when it is reaped,
# so nothing counts twice). Prints "busy ours interrupts" in clock ticks.
cpu_snapshot() {
  local ours
  # One line per process (one that ends meanwhile is skipped by cat). The command name, in
  # parentheses, may hold spaces: fields are counted after its last ") ".
  ours="$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v ours="$$ $measured_pids" '
      BEGIN { n = split(ours, list, " "); for (i = 1; i <= n; i++) mine[list[i]] = 1 }
      {
        pid = $1; rest = $0
        while ((k = index(rest, ") ")) > 0) rest = substr(rest, k + 2)
        split(rest, f, " ")
        ppid[pid] = f[2]; ticks[pid] = f[12] + f[13] + f[14] + f[15]
      }
      END {
        total = 0
        for (p in ticks)
          for (q = p; q != "" && q != 0; q = ppid[q]) if (q in mine) { total += ticks[p]; break }
        print total
      }')"
  awk -v ours="$ours" '/^cpu /{print $2 + $3 + $4 + $9, ours, $7 + $8}' /proc/stat
}

# ---- the driver: set-up, rush, refusals, check ----
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
driver_json="$SALES_RUN_DIR/driver.json"
cpu0="$(cpu_snapshot)"; load0="$(cut -d' ' -f1-3 /proc/loadavg)"
driver_start="$(date +%s.%N)"
driver_rc=0
"$build_dir/tests/load/opening_rush" \
  --gateway "127.0.0.1:$gateway_port" --admin-password-file "$SALES_RUN_DIR/admin.password" \
  --contract-db "$("$infra" admin-conninfo sales_contract)" \
  --inventory-db "$("$infra" admin-conninfo sales_inventory)" \
  --stats-db "$("$infra" admin-conninfo postgres)" "${process_args[@]}" \
  --buyers "$buyers" --refusals "$refusals" --concurrency "$concurrency" --popular "$popular" \
  --reps "$reps" --out "$driver_json" "${driver_args[@]}" \
  > >(tee "$SALES_RUN_DIR/driver.txt") 2> >(tee "$SALES_RUN_DIR/driver.stderr" >&2) || driver_rc=$?
driver_seconds="$(awk -v a="$driver_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
cpu1="$(cpu_snapshot)"; load1="$(cut -d' ' -f1-3 /proc/loadavg)"
for svc in "${services[@]}"; do
  curl -fsS "http://127.0.0.1:$(v="SALES_${svc^^}_PORT"; echo "${!v}")/metrics" \
    >"$SALES_RUN_DIR/$svc.metrics" 2>/dev/null || true
done
if [ ! -s "$driver_json" ]; then
  log "the driver wrote no results (exit $driver_rc); see $SALES_RUN_DIR/driver.stderr and $SALES_RUN_DIR/logs"
  exit 1
fi
units="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["units"])' "$driver_json")"

# ---- the baseline: pgbench on the same server, an UPDATE + INSERT transaction ----
"$infra" psql -d sales_inventory >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_history;
DROP TABLE IF EXISTS bench_units;
CREATE TABLE bench_units (id integer PRIMARY KEY, status text NOT NULL, holder uuid NULL,
                          version bigint NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE bench_history (id bigserial PRIMARY KEY, unit_id integer NOT NULL,
                            action text NOT NULL, actor text NOT NULL,
                            at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_units SELECT g, 'available', NULL, 1, now() FROM generate_series(1, $units) g;
VACUUM ANALYZE bench_units;
SQL
pgbench_script="$SALES_RUN_DIR/pgbench_update_insert.sql"
cat >"$pgbench_script" <<'SQL'
\set id random(1, :rows)
BEGIN;
UPDATE bench_units SET status = 'held', holder = gen_random_uuid(), version = version + 1, updated_at = now() WHERE id = :id;
INSERT INTO bench_history (unit_id, action, actor) VALUES (:id, 'hold', 'pgbench');
END;
SQL
log "pgbench: $concurrency clients, ${pgbench_seconds} s, $units rows"
pgbench_out="$SALES_RUN_DIR/pgbench.txt"
pgbench_cpu0="$(cpu_snapshot)"
PGPASSWORD="$(cat "$SALES_RUN_DIR/secrets/postgres.password")" \
  pgbench -h 127.0.0.1 -p "$SALES_PG_PORT" -U postgres -n -f "$pgbench_script" -D "rows=$units" \
  -c "$concurrency" -j "$(( concurrency < 2 ? 1 : 2 ))" -T "$pgbench_seconds" -M prepared sales_inventory >"$pgbench_out" 2>&1 \
  || { log "pgbench failed:"; cat "$pgbench_out" >&2; exit 1; }
pgbench_cpu1="$(cpu_snapshot)"
tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$pgbench_out" | head -n1)"
pg_latency="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$pgbench_out" | head -n1)"
[ -n "$tps" ] || { log "cannot read the TPS from pgbench:"; cat "$pgbench_out" >&2; exit 1; }

# ---- results ----
json_out="$results_dir/opening_rush-$stamp.json"
txt_out="$results_dir/opening_rush-$stamp.txt"
BENCH_TPS="$tps" BENCH_PG_LATENCY="${pg_latency:-}" BENCH_BUILD_TYPE="$build_type" \
BENCH_CLK_TCK="$(getconf CLK_TCK)" BENCH_DRIVER_SECONDS="$driver_seconds" \
BENCH_CPU="$cpu0|$cpu1" BENCH_PGBENCH_CPU="$pgbench_cpu0|$pgbench_cpu1" BENCH_LOAD="$load0|$load1" \
BENCH_CLIENTS="$concurrency" BENCH_PGBENCH_SECONDS="$pgbench_seconds" BENCH_DRIVER_RC="$driver_rc" \
  python3 "$root/tests/load/opening_rush_report.py" "$driver_json" "$json_out" "$txt_out"
log "results: $json_out and $txt_out (logs under $SALES_RUN_DIR)"
exit "$driver_rc"
