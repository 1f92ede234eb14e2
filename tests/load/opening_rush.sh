#!/usr/bin/env bash
# Opening-day benchmark, one command: builds inventory, contract and tests/load/opening_rush (into
# build-bench/ unless SALES_BUILD_DIR says otherwise), starts a private PostgreSQL 15 and
# nats-server under .run/bench (fresh each run; ports 27432 / 27222 / monitor 27822), creates the
# two databases, starts the inventory and contract services, runs the driver (N buyers rushing a
# popular subset of a released 2,000-unit project, then the oversold check against both
# databases), then pgbench on the same PostgreSQL server (UPDATE + INSERT per transaction, same
# number of clients) as the baseline, and prints the ratio. Results go to
# bench-results/opening_rush-<UTC timestamp>.json and .txt. Everything it started is stopped at
# the end, also on failure. Works as root and as a normal user.
#
# Usage: tests/load/opening_rush.sh [--buyers N] [--concurrency C] [--popular P]
#                                   [--pgbench-seconds S] [--no-build] [other driver flags...]
# Environment (defaults): SALES_BUILD_DIR (build-bench), SALES_PG_FSYNC (on),
#   BENCH_RUN_DIR (.run/bench), BENCH_PG_PORT (27432), BENCH_NATS_PORT (27222),
#   BENCH_NATS_MONITOR_PORT (27822), BENCH_INVENTORY_PORT (27081), BENCH_CONTRACT_PORT (27082),
#   BENCH_<SVC>_IO_THREADS, BENCH_<SVC>_DB_POOL, BENCH_INVENTORY_RPC_WORKERS (service settings,
#   see below), BENCH_RESULTS_DIR (bench-results).
# Exit code: 0 when the run completed with oversold_units 0 and mismatches 0; 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

buyers=20000
concurrency=64
popular=200
pgbench_seconds=20
build=1
driver_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --buyers) buyers="$2"; shift 2 ;;
    --buyers=*) buyers="${1#*=}"; shift ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --concurrency=*) concurrency="${1#*=}"; shift ;;
    --popular) popular="$2"; shift 2 ;;
    --popular=*) popular="${1#*=}"; shift ;;
    --pgbench-seconds) pgbench_seconds="$2"; shift 2 ;;
    --pgbench-seconds=*) pgbench_seconds="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) driver_args+=("$1"); shift ;;
  esac
done
for n in "$buyers" "$concurrency" "$popular" "$pgbench_seconds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "opening_rush.sh: '$n' is not a positive integer" >&2; exit 2; }
done

build_dir="${SALES_BUILD_DIR:-$root/build-bench}"
export SALES_RUN_DIR="${BENCH_RUN_DIR:-$root/.run/bench}"
export SALES_PG_PORT="${BENCH_PG_PORT:-27432}"
export SALES_NATS_PORT="${BENCH_NATS_PORT:-27222}"
export SALES_NATS_MONITOR_PORT="${BENCH_NATS_MONITOR_PORT:-27822}"
# fsync stays on by default: pgbench and the services then pay the same commit cost.
export SALES_PG_FSYNC="${SALES_PG_FSYNC:-on}"
inventory_port="${BENCH_INVENTORY_PORT:-27081}"
contract_port="${BENCH_CONTRACT_PORT:-27082}"
results_dir="${BENCH_RESULTS_DIR:-$root/bench-results}"

# Service settings. Handlers run on the HTTP I/O threads and block on PostgreSQL and (contract)
# on the inventory hold RPC, so the I/O threads bound the requests in flight: with the
# services' defaults (4 I/O threads, 4 RPC workers) contract serves 4 subscriptions at a time
# and 2 cores stay ~30% idle. The benchmark therefore runs contract with 16 I/O threads and
# inventory with 16 hold workers (per subject; they share inventory's pool with its 4 HTTP
# threads, hence 24 connections). BENCH_*=4 reproduces the services' defaults.
inventory_io="${BENCH_INVENTORY_IO_THREADS:-4}"
inventory_rpc="${BENCH_INVENTORY_RPC_WORKERS:-16}"
inventory_pool="${BENCH_INVENTORY_DB_POOL:-$((inventory_io + inventory_rpc + 4))}"
contract_io="${BENCH_CONTRACT_IO_THREADS:-16}"
contract_pool="${BENCH_CONTRACT_DB_POOL:-$((contract_io + 2))}"

log() { echo "opening_rush.sh: $*" >&2; }
# Debian installs nats-server in /usr/sbin, which a normal user's PATH lacks.
command -v nats-server >/dev/null || export PATH="$PATH:/usr/sbin:/sbin"

"$root/scripts/install-deps.sh" >&2
if [ "$build" -eq 1 ]; then
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${SALES_BUILD_TYPE:-RelWithDebInfo}" >&2
  fi
  # shellcheck disable=SC2086 # SALES_NINJA_ARGS is a list of ninja flags
  cmake --build "$build_dir" --target inventory contract opening_rush sales-token -- ${SALES_NINJA_ARGS:-} >&2
fi
for exe in services/inventory/inventory services/contract/contract tests/load/opening_rush libs/auth/sales-token; do
  [ -x "$build_dir/$exe" ] || { log "$build_dir/$exe is missing (build first or drop --no-build)"; exit 1; }
done
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)"

infra="$root/deploy/local/infra.sh"
pid_dir="$SALES_RUN_DIR/pids"
log_dir="$SALES_RUN_DIR/logs"
# The administrator, through the Unix socket (no trust over TCP; issue 11 item 9).
psql_cmd=("$infra" psql)

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_service() {
  local pid_file="$pid_dir/$1.pid"
  if pid_alive "$pid_file"; then
    local pid
    pid="$(cat "$pid_file")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}

cleanup() {
  local rc=$?
  stop_service contract
  stop_service inventory
  "$infra" stop >&2 || true
  exit "$rc"
}

# A previous run killed half-way may have left its servers behind: stop them (they are ours,
# found by the PID files under the bench run directory), then start afresh.
stop_service contract
stop_service inventory
"$infra" stop >/dev/null 2>&1 || true
rm -rf "$SALES_RUN_DIR"
mkdir -p "$pid_dir" "$log_dir" "$results_dir"
trap cleanup EXIT
trap 'exit 130' INT TERM
# The ports lie in Linux's ephemeral range (32768-60999): an outgoing connection of another
# program can hold one for a moment ("Address already in use"), so starting is retried.
for attempt in 1 2 3 4 5; do
  if "$infra" start >&2; then break; fi
  [ "$attempt" -eq 5 ] && { log "PostgreSQL or nats-server did not start (see $SALES_RUN_DIR)"; exit 1; }
  log "retrying in 2 s (attempt $attempt failed)"
  sleep 2
done

# Token keys (issue 11 item 8): the services get the public key, only the driver signs.
token_key_file="$SALES_RUN_DIR/token-private.key"
token_public_keys="$("$build_dir/libs/auth/sales-token" keygen --kid bench-1 --out-private "$token_key_file")"

# Each service connects as its own role (owner of its database only) and NATS user; the driver
# reads both databases as the administrator.
declare -A service_db
for name in inventory contract; do service_db[$name]="$("$infra" database "$name")"; done
admin_conninfo() { "$infra" admin-conninfo "$1"; }

start_service() {  # name port io_threads pool [extra VAR=value...]
  local name="$1" port="$2" io="$3" pool="$4"
  shift 4
  local upper="${name^^}"
  env "SALES_${upper}_PORT=$port" "SALES_${upper}_DB=${service_db[$name]}" \
    "SALES_NATS_USER=$name" "SALES_NATS_PASSWORD=$("$infra" nats-password "$name")" \
    "SALES_${upper}_IO_THREADS=$io" "SALES_${upper}_DB_POOL=$pool" \
    "SALES_NATS_URL=nats://127.0.0.1:$SALES_NATS_PORT" "SALES_TOKEN_PUBLIC_KEYS=$token_public_keys" \
    "SALES_LOG_LEVEL=${BENCH_LOG_LEVEL:-info}" "$@" \
    nohup "$build_dir/services/$name/$name" >>"$log_dir/$name.log" 2>&1 &
  echo $! >"$pid_dir/$name.pid"
}

wait_ready() {  # name port; fails when the process ended
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$2/readyz" >/dev/null 2>&1; then return 0; fi
    pid_alive "$pid_dir/$1.pid" || return 1
    sleep 0.1
  done
  log "$1 did not become ready within 30 s; last log lines:"
  tail -n 20 "$log_dir/$1.log" >&2
  exit 1
}

start_ready() {  # name port io_threads pool [extra VAR=value...]; retried when it exits at once
  for attempt in 1 2 3 4 5; do
    start_service "$@"
    if wait_ready "$1" "$2"; then return 0; fi
    log "$1 exited before becoming ready (attempt $attempt); last log lines:"
    tail -n 5 "$log_dir/$1.log" >&2
    sleep 2
  done
  exit 1
}

start_ready inventory "$inventory_port" "$inventory_io" "$inventory_pool" \
  "SALES_INVENTORY_RPC_WORKERS=$inventory_rpc"
start_ready contract "$contract_port" "$contract_io" "$contract_pool"
log "inventory :$inventory_port (io $inventory_io, pool $inventory_pool, rpc workers $inventory_rpc)," \
  "contract :$contract_port (io $contract_io, pool $contract_pool), fsync $SALES_PG_FSYNC"

# CPU seconds used by a process (utime + stime), and by the whole PostgreSQL server.
clk_tck="$(getconf CLK_TCK)"
cpu_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  stat="${stat##*) }"
  # shellcheck disable=SC2086 # split the fields
  set -- $stat
  echo $(( ${12} + ${13} ))
}
postgres_ticks() {
  local master total=0 pid
  master="$(head -n1 "$SALES_RUN_DIR/postgres/data/postmaster.pid")"
  for pid in "$master" $(pgrep -P "$master" || true); do total=$(( total + $(cpu_ticks "$pid") )); done
  echo "$total"
}
# CPU of every other program (a compiler, say), which would distort the figures: utime + stime
# + reaped children's times of each process that is neither this script's descendant nor
# PostgreSQL's (a child's time moves to its parent's when it is reaped, so nothing counts twice).
other_ticks() {
  local master
  master="$(head -n1 "$SALES_RUN_DIR/postgres/data/postmaster.pid")"
  for f in /proc/[0-9]*/stat; do
    local stat
    stat="$(cat "$f" 2>/dev/null)" || continue
    echo "${f//[^0-9]/} ${stat##*) }"
  done | awk -v self="$$" -v master="$master" '
    { ppid[$1] = $3; ticks[$1] = $14 + $15 + $16 + $17 }
    END {
      total = 0
      for (p in ticks) {
        ours = 0
        for (q = p; q != "" && q != 0; q = ppid[q]) if (q == self || q == master) { ours = 1; break }
        if (!ours) total += ticks[p]
      }
      print total
    }'
}
cpu_snapshot() {
  echo "$(cpu_ticks "$(cat "$pid_dir/inventory.pid")") $(cpu_ticks "$(cat "$pid_dir/contract.pid")")" \
    "$(cpu_ticks "$(cat "$SALES_RUN_DIR/nats/nats.pid")") $(postgres_ticks) $(other_ticks)" \
    "$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $8}' /proc/stat)"
}
commits() {
  "${psql_cmd[@]}" -d postgres -c \
    "SELECT coalesce(sum(xact_commit) FILTER (WHERE datname = 'sales_inventory'), 0) || ' ' ||
            coalesce(sum(xact_commit) FILTER (WHERE datname = 'sales_contract'), 0)
     FROM pg_stat_database"
}

# ---- the rush ----
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
driver_json="$SALES_RUN_DIR/driver.json"
read -r inv0 con0 nats0 pg0 other0 all0 softirq0 <<<"$(cpu_snapshot)"
read -r inv_commits0 con_commits0 <<<"$(commits)"
driver_rc=0
driver_cpu_file="$SALES_RUN_DIR/driver.cpu"
{
  TIMEFORMAT='%U %S %R'
  time "$build_dir/tests/load/opening_rush" \
    --contract "127.0.0.1:$contract_port" --inventory "127.0.0.1:$inventory_port" \
    --private-key "$token_key_file" \
    --contract-db "$(admin_conninfo sales_contract)" --inventory-db "$(admin_conninfo sales_inventory)" \
    --buyers "$buyers" --concurrency "$concurrency" --popular "$popular" \
    --out "$driver_json" "${driver_args[@]}" | tee "$SALES_RUN_DIR/driver.txt" || driver_rc=$?
} 2> >(tee "$SALES_RUN_DIR/driver.stderr" >&2)
read -r inv1 con1 nats1 pg1 other1 all1 softirq1 <<<"$(cpu_snapshot)"
# Backends publish their commit counts to pg_stat_database up to 10 s late when they go idle.
sleep 11
read -r inv_commits1 con_commits1 <<<"$(commits)"
tail -n1 "$SALES_RUN_DIR/driver.stderr" >"$driver_cpu_file" || true
curl -fsS "http://127.0.0.1:$inventory_port/metrics" >"$SALES_RUN_DIR/inventory.metrics" 2>/dev/null || true
curl -fsS "http://127.0.0.1:$contract_port/metrics" >"$SALES_RUN_DIR/contract.metrics" 2>/dev/null || true
if [ ! -s "$driver_json" ]; then
  log "the driver wrote no results (exit $driver_rc); see $SALES_RUN_DIR/driver.stderr and $log_dir"
  exit 1
fi
units="$(jq -r '.config.units' "$driver_json" 2>/dev/null || python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["units"])' "$driver_json")"

# ---- the baseline: pgbench on the same server, an UPDATE + INSERT transaction ----
"${psql_cmd[@]}" -d sales_inventory >/dev/null <<SQL
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
pgbench_other0="$(other_ticks)"
PGPASSWORD="$(cat "$SALES_RUN_DIR/secrets/postgres.password")" \
  pgbench -h 127.0.0.1 -p "$SALES_PG_PORT" -U postgres -n -f "$pgbench_script" -D "rows=$units" \
  -c "$concurrency" -j "$(( concurrency < 2 ? 1 : 2 ))" -T "$pgbench_seconds" -M prepared sales_inventory >"$pgbench_out" 2>&1 \
  || { log "pgbench failed:"; cat "$pgbench_out" >&2; exit 1; }
pgbench_other1="$(other_ticks)"
tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$pgbench_out" | head -n1)"
pg_latency="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$pgbench_out" | head -n1)"
[ -n "$tps" ] || { log "cannot read the TPS from pgbench:"; cat "$pgbench_out" >&2; exit 1; }

# ---- results ----
json_out="$results_dir/opening_rush-$stamp.json"
txt_out="$results_dir/opening_rush-$stamp.txt"
python3 - "$driver_json" "$json_out" "$txt_out" <<PY
import json, sys
driver_json, json_out, txt_out = sys.argv[1:4]
r = json.load(open(driver_json))
tck = $clk_tck
driver_cpu = "$(cat "$driver_cpu_file" 2>/dev/null)".split()
def cpu(a, b): return round((b - a) / tck, 2)
wall = r["run"]["wall_seconds"]
tps = float("$tps")
r["environment"] = {
    "hardware_threads": r["config"]["hardware_threads"],
    "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
    "build_type": "$build_type",
    "postgres_fsync": "$SALES_PG_FSYNC",
    "services": {
        "inventory": {"io_threads": $inventory_io, "db_pool": $inventory_pool, "rpc_workers": $inventory_rpc},
        "contract": {"io_threads": $contract_io, "db_pool": $contract_pool},
    },
}
# CPU seconds over the whole driver run (set-up, rush and check; the rush dominates).
r["cpu_seconds_during_driver"] = {
    "inventory": cpu($inv0, $inv1), "contract": cpu($con0, $con1), "nats": cpu($nats0, $nats1),
    "postgres": cpu($pg0, $pg1),
    "driver": round(float(driver_cpu[0]) + float(driver_cpu[1]), 2) if len(driver_cpu) == 3 else None,
    "driver_elapsed": float(driver_cpu[2]) if len(driver_cpu) == 3 else None,
    "kernel_softirq": cpu($softirq0, $softirq1),  # loopback TCP, charged to no process
    "other_processes": cpu($other0, $other1),
    "machine_busy": cpu($all0, $all1),
}
# Commits from the driver's start to 11 s after its end: set-up (~40), the rush, and the
# services' 1 s sweepers (a few per second).
r["db_commits_during_driver"] = {"sales_inventory": $inv_commits1 - $inv_commits0,
                                 "sales_contract": $con_commits1 - $con_commits0}
r["pgbench"] = {
    "transaction": "BEGIN; UPDATE bench_units (1 row by primary key); INSERT INTO bench_history; END",
    "clients": $concurrency, "threads": 2, "seconds": $pgbench_seconds, "rows": $units,
    "protocol": "prepared", "tps": tps,
    "latency_average_ms": float("${pg_latency:-0}") if "${pg_latency}" else None,
    "other_processes_cpu_seconds": cpu($pgbench_other0, $pgbench_other1),
}
r["ratio"] = {
    "subscription_requests_per_second_over_pgbench_tps": round(r["run"]["requests_per_second"] / tps, 4),
    "subscription_successes_per_second_over_pgbench_tps": round(r["run"]["successes_per_second"] / tps, 4),
}
r["driver_exit_code"] = $driver_rc
json.dump(r, open(json_out, "w"), indent=2, ensure_ascii=False)

run, lat, chk, cpu_s = r["run"], r["run"]["latency_ms"], r["check"], r["cpu_seconds_during_driver"]
lines = [
    f"opening_rush {r['started_at']}  ({r['environment']['hardware_threads']} hardware threads, "
    f"{r['environment']['cpu_model']}, {r['environment']['build_type']}, fsync {r['environment']['postgres_fsync']})",
    f"project {r['setup']['project_code']}: {r['setup']['units_released']} units released in "
    f"{r['setup']['setup_seconds']} s; contract synchronised after {r['setup']['contract_sync_seconds']} s",
    f"services: inventory io {$inventory_io} pool {$inventory_pool} rpc workers {$inventory_rpc}; "
    f"contract io {$contract_io} pool {$contract_pool}",
    f"buyers {r['config']['buyers']}, concurrency {r['config']['concurrency']}, popular units {r['config']['popular']}",
    f"requests           {run['requests']} in {run['wall_seconds']} s",
    f"requests/s         {run['requests_per_second']}",
    f"successes/s        {run['successes_per_second']}",
    f"latency ms         p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}  mean {round(lat['mean'], 3)}",
    f"  201 only         p50 {run['latency_ms_201']['p50']}  p99 {run['latency_ms_201']['p99']}",
    f"  409 only         p50 {run['latency_ms_409']['p50']}  p99 {run['latency_ms_409']['p99']}",
    "slowest            " + ", ".join(f"{x['latency_ms']} ms (sent at {x['sent_at_ms']} ms, {x['outcome']})"
                                      for x in run.get("slowest", [])[:3]),
    f"per second         {run['completed_per_second']}",
    f"201 successes      {run['successes_201']}",
    f"409 refused        {run['conflicts_409']}",
    f"other 4xx          {run['other_4xx']}",
    f"5xx                {run['server_5xx']}",
    f"transport errors   {run['transport_errors']}",
    f"outcomes           {json.dumps(run['outcomes'], ensure_ascii=False)}",
    f"oversold_units: {chk['oversold_units']}",
    f"mismatches: {chk['mismatches']}",
    f"pgbench tps        {tps} (UPDATE+INSERT, {$concurrency} clients, {$pgbench_seconds} s, prepared)",
    f"ratio req/s / tps  {r['ratio']['subscription_requests_per_second_over_pgbench_tps']}",
    f"ratio 201/s / tps  {r['ratio']['subscription_successes_per_second_over_pgbench_tps']}",
    f"cpu s (driver run) inventory {cpu_s['inventory']}  contract {cpu_s['contract']}  postgres {cpu_s['postgres']}  "
    f"nats {cpu_s['nats']}  driver {cpu_s['driver']}  softirq {cpu_s['kernel_softirq']}  "
    f"other {cpu_s['other_processes']}  machine {cpu_s['machine_busy']} of "
    f"{round((cpu_s['driver_elapsed'] or 0) * r['environment']['hardware_threads'], 1)}",
    f"db commits         inventory {r['db_commits_during_driver']['sales_inventory']}  contract {r['db_commits_during_driver']['sales_contract']}",
]
capacity = (cpu_s["driver_elapsed"] or 0) * r["environment"]["hardware_threads"]
if capacity and cpu_s["other_processes"] > 0.1 * capacity:
    lines.append(f"!!! other processes used {cpu_s['other_processes']} CPU s during the run "
                 f"({round(100 * cpu_s['other_processes'] / capacity)}% of the machine): figures are distorted")
pg_other, pg_capacity = r["pgbench"]["other_processes_cpu_seconds"], $pgbench_seconds * r["environment"]["hardware_threads"]
if pg_other > 0.1 * pg_capacity:
    lines.append(f"!!! other processes used {pg_other} CPU s during pgbench "
                 f"({round(100 * pg_other / pg_capacity)}% of the machine): its TPS is distorted")
if not chk["ok"]:
    lines.append("!!! CONSISTENCY FAILURE: " + json.dumps(chk["details"], ensure_ascii=False))
errors = run["other_4xx"] + run["server_5xx"] + run["transport_errors"] + run["other_status"]
if errors:
    lines.append(f"!!! {errors} requests ended in an error; samples: " + json.dumps(run["unexpected_samples"], ensure_ascii=False))
open(txt_out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
log "results: $json_out and $txt_out (logs under $SALES_RUN_DIR)"
exit "$driver_rc"
