#!/usr/bin/env bash
# Restore drill (SEC-3; docs/operations.md "Backups and restore"): proves that the backups of
# the PostgreSQL cluster holding every service database restore to a point in time, and
# measures RPO and RTO. In a private directory with its own ports, it
#  1. starts PostgreSQL with WAL archiving through pgBackRest (deploy/backup/pgbackrest.sh),
#     creates the stanza and takes a full backup;
#  2. starts the whole system (deploy/local/up.sh, demo data included), makes business data
#     through the gateway (deploy/backup/drill_data.py), takes a differential backup and a
#     backup of every JetStream stream (pgbackrest.sh streams-backup), makes more,
#     records the figures of every database at a target time T (finance ledger sum, contracts
#     and subscriptions by status, units by status, customers, row counts of every table), then
#     makes more data after T;
#  3. loses the host: PostgreSQL stopped at once (immediate: what the last archived WAL segment
#     does not hold is gone), every service and nats-server stopped, the data directory and the
#     JetStream store deleted; restores every database to T into a fresh data directory,
#     starts PostgreSQL and nats-server, restores the streams from their backup, starts the
#     services, and checks that the figures equal those at T (just after recovery and again
#     once the services have run), that every stream is back from its first event and holds
#     each event of the databases at T exactly once, that the data made after T is absent,
#     that every /readyz answers and that a new deal goes through;
#  4. measures RPO (the committed work a lost host takes with it: the time between the last
#     commit before the failure and the last commit in the archived WAL; bound: archive_timeout)
#     and RTO (from the start of the restore to every service ready), writes them to a results
#     file;
#  5. stops everything it started (by PID) and exits non-zero on any mismatch.
#
# Usage: restore-drill.sh [--quick]
#   --quick: less data, archive_timeout 10s, a short wait before the failure (about 1.5 min)
# Environment: SALES_DRILL_DIR (default .run/backup-drill: run directory, backup repository,
#   logs, results.txt), SALES_DRILL_PG_PORT (27532), SALES_DRILL_NATS_PORT (27322),
#   SALES_DRILL_NATS_MONITOR_PORT (27922), SALES_DRILL_HTTP_BASE (19080: gateway, then inventory,
#   contract, customer, finance, reporting, webhooks on the next six ports), SALES_DRILL_RESULTS
#   (results file), SALES_BUILD_DIR (the built services, default build/), SALES_DRILL_BUILD=1 (let
#   up.sh build first; by default the drill runs the binaries as they are: a restore does not
#   rebuild, and the drill does not wait for or compete with other builds).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

drill_dir="${SALES_DRILL_DIR:-$root/.run/backup-drill}"
results="${SALES_DRILL_RESULTS:-$drill_dir/results.txt}"
log="$drill_dir/drill.log"
real_build="${SALES_BUILD_DIR:-$root/build}"
infra="$root/deploy/local/infra.sh"
backup="$root/deploy/backup/pgbackrest.sh"

# Everything private, whatever the caller exported (scripts/test.sh exports its own run dir).
export SALES_RUN_DIR="$drill_dir/run"
export SALES_BACKUP_REPO="$drill_dir/repo"   # stands for another volume: survives the loss
export SALES_PG_PORT="${SALES_DRILL_PG_PORT:-27532}"
export SALES_NATS_PORT="${SALES_DRILL_NATS_PORT:-27322}"
export SALES_NATS_MONITOR_PORT="${SALES_DRILL_NATS_MONITOR_PORT:-27922}"
export SALES_PG_FSYNC=on
export SALES_SKIP_WEB_BUILD=1
http_base="${SALES_DRILL_HTTP_BASE:-19080}"
services=(gateway inventory contract customer finance reporting webhooks)
declare -A port
for i in "${!services[@]}"; do
  port[${services[$i]}]=$((http_base + i))
  export "SALES_${services[$i]^^}_PORT=${port[${services[$i]}]}"
done
unset SALES_TOKEN_PUBLIC_KEYS SALES_TOKEN_PRIVATE_KEY_FILE SALES_GATEWAY_ADMIN_PASSWORD_FILE SALES_NATS_URL
if [ "$quick" = 1 ]; then
  export SALES_BACKUP_ARCHIVE_TIMEOUT=10s; customers=2; deals=1; tail_s=3
else
  export SALES_BACKUP_ARCHIVE_TIMEOUT=60s; customers=6; deals=3; tail_s=20
fi
dbs=(sales_inventory sales_contract sales_customer sales_finance sales_reporting sales_webhooks sales_gateway)

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
say() { echo "drill: $*"; echo "$(date -u +%H:%M:%S) drill: $*" >>"$log"; }
failures=0
mismatch() { say "MISMATCH: $*"; failures=$((failures + 1)); }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }
sql() { "$infra" psql "$@"; }

# --- stop what an earlier drill left running (its own PID files only), start from nothing ----
if [ -d "$SALES_RUN_DIR" ]; then
  "$root/deploy/local/down.sh" >/dev/null 2>&1 || true
  "$infra" destroy >/dev/null 2>&1 || true
fi
rm -rf "$drill_dir"
mkdir -p "$drill_dir"
: >"$log"
for p in "$SALES_PG_PORT" "$SALES_NATS_PORT" "$SALES_NATS_MONITOR_PORT" "${port[@]}"; do
  port_busy "$p" && { echo "drill: port $p is in use by another program; see the SALES_DRILL_* ports" >&2; exit 1; }
done
command -v pgbackrest >/dev/null || "$root/scripts/install-deps.sh"

heartbeat_pid=""
ready_pid=""
cleanup() {
  local status=$?
  [ -n "$heartbeat_pid" ] && kill "$heartbeat_pid" 2>/dev/null && wait "$heartbeat_pid" 2>/dev/null
  [ -n "$ready_pid" ] && kill "$ready_pid" 2>/dev/null && wait "$ready_pid" 2>/dev/null
  # SIGTERM to every service's supervisor at once (each drains its service), then down.sh,
  # which waits for them and stops nats-server and PostgreSQL.
  local f
  for f in "$SALES_RUN_DIR"/pids/*.pid; do
    case "$f" in *.service.pid) continue ;; esac
    pid_alive "$f" && kill -TERM "$(cat "$f")" 2>/dev/null || true
  done
  "$root/deploy/local/down.sh" >>"$log" 2>&1 || true
  local left=""
  for f in "$SALES_RUN_DIR"/pids/*.pid "$SALES_RUN_DIR/nats/nats.pid" "$("$infra" pg-socket)/data/postmaster.pid"; do
    pid_alive "$f" && left="$left $f"
  done
  if [ -n "$left" ]; then
    echo "drill: still running after the drill:$left" >&2
    status=1
  else
    echo "drill: everything it started is stopped (logs and results in $drill_dir)"
  fi
  exit "$status"
}
trap cleanup EXIT

# up.sh with the binaries as they are: a build directory of links to them and a cmake that does
# nothing (build.sh then neither configures nor builds).
up() {
  if [ "${SALES_DRILL_BUILD:-0}" = 1 ]; then
    SALES_BUILD_DIR="$real_build" "$root/deploy/local/up.sh" >>"$log" 2>&1
    return
  fi
  local shim="$drill_dir/build" svc
  if [ ! -d "$shim" ]; then
    for svc in "${services[@]}"; do
      [ -x "$real_build/services/$svc/$svc" ] || { echo "drill: $real_build/services/$svc/$svc not built; run scripts/build.sh" >&2; exit 1; }
      mkdir -p "$shim/services/$svc"
      ln -s "$real_build/services/$svc/$svc" "$shim/services/$svc/$svc"
    done
    mkdir -p "$shim/libs/auth" "$drill_dir/bin"
    ln -s "$real_build/libs/auth/sales-token" "$shim/libs/auth/sales-token"
    : >"$shim/build.ninja"
    printf '#!/bin/sh\n# restore drill: no build (deploy/backup/restore-drill.sh)\nexit 0\n' >"$drill_dir/bin/cmake"
    chmod +x "$drill_dir/bin/cmake"
  fi
  PATH="$drill_dir/bin:$PATH" SALES_BUILD_DIR="$shim" "$root/deploy/local/up.sh" >>"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; exit 1; }
}

# The figures of every database: business figures and the row count of every table.
figures() {
  local db
  for db in "${dbs[@]}"; do
    {
      case "$db" in
        sales_inventory) echo "SELECT 'units.' || status, count(*) FROM units GROUP BY 1 ORDER BY 1;" ;;
        sales_contract) echo "SELECT 'subscriptions.' || status, count(*) FROM subscriptions GROUP BY 1 ORDER BY 1;"
                        echo "SELECT 'contracts.' || status, count(*) FROM contracts GROUP BY 1 ORDER BY 1;" ;;
        sales_customer) echo "SELECT 'customers', count(*) FROM customers;"
                        echo "SELECT 'customers.' || stage, count(*) FROM customers GROUP BY 1 ORDER BY 1;" ;;
        sales_finance) echo "SELECT 'ledger.sum_fen', coalesce(sum(amount_fen), 0) FROM ledger_entries;" ;;
        sales_reporting) echo "SELECT 'read_model.ledger.sum_fen', coalesce(sum(amount_fen), 0) FROM ledger_entries;"
                         echo "SELECT 'read_model.units.' || status, count(*) FROM units GROUP BY 1 ORDER BY 1;" ;;
      esac
      echo "SELECT 'rows.' || c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', c.relname), false, true, '')))[1]::text
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1;"
    } | sql -d "$db" | sed "s/^/$db|/"
  done
}
outbox_backlog() {
  local db total=0 n
  for db in "${dbs[@]}"; do
    n="$(sql -d "$db" -c "SELECT CASE WHEN to_regclass('public.outbox') IS NULL THEN 0 ELSE (SELECT count(*) FROM outbox WHERE sent_at IS NULL) END")"
    total=$((total + n))
  done
  echo "$total"
}
# Until the events have propagated: no unsent outbox row and the same figures a second apart.
wait_quiet() {
  local deadline=$(( $(date +%s) + 90 )) a b
  while :; do
    a="$(figures)"; sleep 1; b="$(figures)"
    [ "$a" = "$b" ] && [ "$(outbox_backlog)" = 0 ] && return
    [ "$(date +%s)" -lt "$deadline" ] || { say "the system did not settle within 90 s"; exit 1; }
  done
}
# Per stream "NAME first_seq last_seq messages", from the monitoring endpoint.
stream_states() {
  curl -fsS --max-time 2 "http://127.0.0.1:$SALES_NATS_MONITOR_PORT/jsz?streams=true" | python3 -c '
import json, sys
for account in json.load(sys.stdin).get("account_details", []):
    for s in sorted(account.get("stream_detail", []), key=lambda s: s["name"]):
        st = s["state"]
        print(s["name"], st["first_seq"], st["last_seq"], st["messages"])'
}
# Events in the outbox of every database (sent rows are kept 7 days: all of a drill's).
outbox_rows() {
  local db total=0 n
  for db in "${dbs[@]}"; do
    n="$(sql -d "$db" -c "SELECT CASE WHEN to_regclass('public.outbox') IS NULL THEN 0 ELSE (SELECT count(*) FROM outbox) END")"
    total=$((total + n))
  done
  echo "$total"
}
stream_messages() { stream_states | awk '{ n += $4 } END { print n + 0 }'; }
all_ready() {
  local svc
  for svc in "${services[@]}"; do
    curl -fsS --max-time 1 "http://127.0.0.1:${port[$svc]}/readyz" >/dev/null 2>&1 || return 1
  done
}
data_round() {  # TAG ROUND CUSTOMERS DEALS
  python3 "$root/deploy/backup/drill_data.py" "${port[gateway]}" "$SALES_RUN_DIR/demo-users.txt" "$@" \
    | tee -a "$log" | sed 's/^/drill: /'
}

drill_started=$(now)
say "$([ "$quick" = 1 ] && echo quick || echo full) drill in $drill_dir (PostgreSQL :$SALES_PG_PORT, NATS :$SALES_NATS_PORT, services :${port[gateway]}-${port[webhooks]})"

# --- 1. archiving on, stanza, full backup -------------------------------------------------------
"$infra" start >>"$log"
"$backup" setup | tee -a "$log" | sed 's/^/drill: /'
sql -d postgres -c "CREATE DATABASE backup_drill" >/dev/null
sql -d backup_drill -c "CREATE TABLE heartbeat (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(), lsn pg_lsn NOT NULL)" >/dev/null
t=$(now); "$backup" backup full | tee -a "$log" | sed 's/^/drill: /'; full_s=$(secs "$t" "$(now)")

# A commit every 0.25 s until the failure (a busy office): archive_timeout then switches WAL
# segments, and the heartbeats date the last commit before the failure and the last archived one.
( while :; do sql -d backup_drill -c "INSERT INTO heartbeat (lsn) VALUES (pg_current_wal_insert_lsn())" >/dev/null 2>&1 || true; sleep 0.25; done ) &
heartbeat_pid=$!

# --- 2. the system, data, differential backup, more data, T, data after T -------------------------
t=$(now); up; say "system up with demo data ($(secs "$t" "$(now)") s)"
data_round before-diff 1 "$customers" "$deals"
wait_quiet
t=$(now); "$backup" backup diff | tee -a "$log" | sed 's/^/drill: /'; diff_s=$(secs "$t" "$(now)")
# The streams right after the differential: every event so far, the consumers' positions.
t=$(now); "$backup" streams-backup | tee -a "$log" | sed 's/^/drill: /'; streams_backup_s=$(secs "$t" "$(now)")
stream_states >"$drill_dir/streams-at-backup.txt"
data_round before-T 2 "$customers" "$deals"
wait_quiet
while :; do
  a="$(figures)"
  target="$(sql -d postgres -c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
  b="$(figures)"
  [ "$a" = "$b" ] && break
  sleep 0.5
done
echo "$a" >"$drill_dir/figures-at-T.txt"
events_at_t="$(outbox_rows)"
say "target time T = $target: $(grep -c . "$drill_dir/figures-at-T.txt") figures recorded ($(grep -E 'ledger.sum_fen|\|customers\|' "$drill_dir/figures-at-T.txt" | cut -d'|' -f2- | paste -sd' ' -))"
sleep 0.3
data_round after-T 3 "$customers" "$deals"
wait_quiet
figures >"$drill_dir/figures-after-T.txt"
cmp -s "$drill_dir/figures-at-T.txt" "$drill_dir/figures-after-T.txt" && mismatch "the data made after T changed no figure"
# The archive must reach past the data made after T (archive_timeout switches the segment).
lsn_after_t="$(sql -d postgres -c "SELECT pg_current_wal_lsn()")"
t=$(now)
until [ "$(sql -d postgres -c "SELECT coalesce(last_archived_wal >= pg_walfile_name('$lsn_after_t'), false) FROM pg_stat_archiver")" = t ]; do
  sleep 0.5
  [ "$(secs "$t" "$(now)" | cut -d. -f1)" -lt 180 ] || { say "WAL after T not archived within 180 s"; exit 1; }
done
say "WAL up to the data after T archived $(secs "$t" "$(now)") s later (archive_timeout $SALES_BACKUP_ARCHIVE_TIMEOUT); the office goes on for $tail_s s"
sleep "$tail_s"

# --- 3. the host is lost ------------------------------------------------------------------------
kill "$heartbeat_pid"; wait "$heartbeat_pid" 2>/dev/null || true; heartbeat_pid=""
sql -d backup_drill -c "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00', pg_wal_lsn_diff(lsn, '0/0') FROM heartbeat ORDER BY id" >"$drill_dir/heartbeats.txt"
current_lsn="$(sql -d postgres -c "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')")"
pg_dir="$("$infra" pg-socket)"
# Everything dies at once, as with the host: PostgreSQL without a shutdown checkpoint or a last
# WAL switch, the services and nats-server with SIGKILL (supervisors first, so that none is
# started again); only the PIDs this drill's run directory recorded.
(cd / && if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m immediate stop; else /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m immediate stop; fi) >/dev/null
for f in "$SALES_RUN_DIR"/pids/*.pid; do
  case "$f" in *.service.pid) continue ;; esac
  pid_alive "$f" && kill -KILL "$(cat "$f")" 2>/dev/null || true
done
for f in "$SALES_RUN_DIR"/pids/*.service.pid "$SALES_RUN_DIR/nats/nats.pid"; do
  pid_alive "$f" && kill -KILL "$(cat "$f")" 2>/dev/null || true
done
sleep 0.2
"$root/deploy/local/down.sh" >>"$log" 2>&1   # nothing left to stop: clears the PID files
rm -rf "$pg_dir/data" "$SALES_RUN_DIR/nats/store"
say "host lost: PostgreSQL stopped at once (immediate), services and nats-server killed, data directory and JetStream store deleted"

# RPO: what the archive holds (the repository, after the failure) against the last commit.
archive_max="$("$backup" run --stanza=sales info --output=json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["archive"][0]["max"])')"
read -r rpo_s lost_commits last_commit last_archived_commit unarchived_bytes < <(python3 - "$drill_dir/heartbeats.txt" "$archive_max" "$current_lsn" <<'PY'
import datetime, sys
rows = [line.split("|") for line in open(sys.argv[1]) if line.strip()]
beats = [(datetime.datetime.fromisoformat(at), int(float(lsn))) for at, lsn in rows]
name = sys.argv[2]
end = int(name[8:16], 16) * 2**32 + (int(name[16:24], 16) + 1) * 2**24  # end of that segment
covered = [at for at, lsn in beats if lsn < end - 256]  # the commit record follows the row
last = beats[-1][0]
last_covered = covered[-1] if covered else beats[0][0]
lost = sum(1 for at, lsn in beats if lsn >= end - 256)
print(f"{(last - last_covered).total_seconds():.1f}", lost, last.isoformat(), last_covered.isoformat(),
      max(0, int(float(sys.argv[3])) - end))
PY
)
say "RPO: last commit before the failure $last_commit, last commit in the archived WAL ($archive_max) $last_archived_commit: $rpo_s s of committed work lost ($lost_commits heartbeat commits, $unarchived_bytes bytes of WAL not archived); bound: archive_timeout $SALES_BACKUP_ARCHIVE_TIMEOUT"

# --- 4. restore to T, PostgreSQL and the services back ---------------------------------------------
restore_started=$(now)
( while ! all_ready; do sleep 0.1; done; now >"$drill_dir/all-ready.at" ) &
ready_pid=$!
"$backup" restore --time "$target" | tee -a "$log" | sed 's/^/drill: /'
restored_at=$(now)
"$infra" start >>"$log"
# Before the services, which would declare their streams empty.
"$backup" streams-restore | tee -a "$log" | sed 's/^/drill: /'
pg_up_at=$(now)
figures >"$drill_dir/figures-restored.txt"
if diff -u "$drill_dir/figures-at-T.txt" "$drill_dir/figures-restored.txt" >"$drill_dir/figures-restored.diff"; then
  say "after recovery: all $(grep -c . "$drill_dir/figures-restored.txt") figures equal those at T"
else
  mismatch "after recovery the figures differ from those at T (see $drill_dir/figures-restored.diff)"; cat "$drill_dir/figures-restored.diff" >&2
fi
up
wait "$ready_pid" 2>/dev/null || true; ready_pid=""
ready_at="$(cat "$drill_dir/all-ready.at" 2>/dev/null || now)"
rto_s=$(secs "$restore_started" "$ready_at")
say "RTO: $rto_s s from the start of the restore to every service ready (restore and recovery $(secs "$restore_started" "$restored_at") s, PostgreSQL and nats-server start $(secs "$restored_at" "$pg_up_at") s, services $(secs "$pg_up_at" "$ready_at") s)"
for svc in "${services[@]}"; do
  curl -fsS --max-time 2 "http://127.0.0.1:${port[$svc]}/readyz" >/dev/null 2>&1 || mismatch "$svc /readyz is not ready"
done
wait_quiet   # the outbox rows sent since the stream backup published again, the consumers caught up
# Every stream back from its first event (not only the outbox's retention), and every event of
# the databases at T in the streams once: the backup's, plus those published again.
restored_states="$(stream_states)"
while read -r name first last messages; do
  read -r _ r_first r_last r_messages < <(grep "^$name " <<<"$restored_states" || echo "$name 0 0 0")
  { [ "$messages" = 0 ] || [ "$r_first" = "$first" ]; } && [ "$r_messages" -ge "$messages" ] \
    || mismatch "stream $name: backed up sequences $first-$last ($messages messages), after the restore $r_first-$r_last ($r_messages)"
done <"$drill_dir/streams-at-backup.txt"
events_in_streams="$(stream_messages)"
[ "$events_in_streams" = "$events_at_t" ] \
  || mismatch "the streams hold $events_in_streams events, the databases at T $events_at_t (lost or published twice)"
say "streams: $(wc -l <"$drill_dir/streams-at-backup.txt") restored from the stream backup with their history; $events_in_streams events in them = $events_at_t outbox events at T"
figures >"$drill_dir/figures-running.txt"
if diff -u "$drill_dir/figures-at-T.txt" "$drill_dir/figures-running.txt" >"$drill_dir/figures-running.diff"; then
  say "with the services running and the outbox published again: all figures still equal those at T"
else
  mismatch "with the services running the figures differ from those at T (see $drill_dir/figures-running.diff)"; cat "$drill_dir/figures-running.diff" >&2
fi
after_t_customers="$(sql -d sales_customer -c "SELECT count(*) FROM customers WHERE name LIKE '演练after-T-%'")"
after_t_receipts="$(sql -d sales_finance -c "SELECT count(*) FROM ledger_entries WHERE receipt_no LIKE 'BR03-%'")"
before_t_customers="$(sql -d sales_customer -c "SELECT count(*) FROM customers WHERE name LIKE '演练before-T-%'")"
[ "$after_t_customers" = 0 ] && [ "$after_t_receipts" = 0 ] || mismatch "data made after T is present ($after_t_customers customers, $after_t_receipts receipts)"
[ "$before_t_customers" = "$customers" ] || mismatch "data made before T is missing ($before_t_customers of $customers customers)"
say "data made after T absent (0 customers, 0 receipts); data made before T present ($before_t_customers customers)"
data_round after-restore 4 1 1 || mismatch "a new deal after the restore failed"

# --- 5. results ----------------------------------------------------------------------------------
total_s=$(secs "$drill_started" "$(now)")
{
  echo "# Restore drill $(date -u +%Y-%m-%dT%H:%M:%SZ) ($([ "$quick" = 1 ] && echo quick || echo full)); deploy/backup/restore-drill.sh"
  echo "result: $([ "$failures" = 0 ] && echo PASS || echo "FAIL ($failures mismatches)")"
  echo "target_time: $target"
  echo "figures_compared: $(grep -c . "$drill_dir/figures-at-T.txt")"
  echo "archive_timeout: $SALES_BACKUP_ARCHIVE_TIMEOUT"
  echo "rpo_measured_s: $rpo_s"
  echo "rpo_lost_commits: $lost_commits"
  echo "rpo_unarchived_wal_bytes: $unarchived_bytes"
  echo "last_commit_before_failure: $last_commit"
  echo "last_commit_archived: $last_archived_commit"
  echo "rto_s: $rto_s"
  echo "restore_and_recovery_s: $(secs "$restore_started" "$restored_at")"
  echo "full_backup_s: $full_s"
  echo "diff_backup_s: $diff_s"
  echo "streams_backup_s: $streams_backup_s"
  echo "events_in_streams_after_restore: $events_in_streams"
  echo "drill_total_s: $total_s"
} >"$results"
say "results in $results:"
sed 's/^/  /' "$results"
[ "$failures" = 0 ] || exit 1
