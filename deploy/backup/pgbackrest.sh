#!/usr/bin/env bash
# pgBackRest for the PostgreSQL cluster of deploy/local/infra.sh, which holds every service
# database (SEC-3; docs/operations.md "Backups and restore"): WAL archiving, full and
# differential backups into a repository outside the cluster's directories, and point-in-time
# restore. Takes the same SALES_RUN_DIR and SALES_PG_PORT as infra.sh.
#
# Usage: pgbackrest.sh setup           config + WAL archiving on (restarts PostgreSQL when
#                                      archive_mode was off) + stanza + check; idempotent
#        pgbackrest.sh backup full|diff|incr
#        pgbackrest.sh info            the backups and the archived WAL range
#        pgbackrest.sh check           archiving works end to end (switches a WAL segment)
#        pgbackrest.sh streams-backup  snapshots of every JetStream stream (messages, consumer
#                                      positions) into <repository>/streams/<UTC time>, with
#                                      sales-streams; keeps the newest SALES_BACKUP_STREAMS_KEEP
#        pgbackrest.sh restore [--time 'YYYY-MM-DD HH:MM:SS[.ffffff]+00']
#                                      PostgreSQL stopped and its data directory gone (moved
#                                      away or lost): restores the backup set that precedes the
#                                      target, recovers to it (default: to the end of the
#                                      archived WAL) and promotes, picks the newest stream
#                                      backup taken before the target and queues the outbox rows
#                                      sent since it to be published again (all retained rows
#                                      when there is none: JetStream then starts empty), and
#                                      stops the cluster, ready for infra.sh start
#        pgbackrest.sh streams-restore [DIR]
#                                      with nats-server started on an empty store and before the
#                                      services: restores the stream backup the restore picked
#                                      (or DIR)
#        pgbackrest.sh conf            path of the generated pgbackrest.conf
#        pgbackrest.sh run ARGS...     pgbackrest ARGS with that config, as the cluster's owner
#
# Environment:
#   SALES_BACKUP_REPO             repository path (default: next to the run directory,
#                                 "<run dir>-backup", so `down.sh --clean` does not delete it);
#                                 in production a different volume or host (or repo1-type=s3)
#   SALES_BACKUP_ARCHIVE_TIMEOUT  archive_timeout: a WAL segment is archived at least this
#                                 often while anything is written; the bound of the data a lost
#                                 host can take with it (RPO). Default 60s
#   SALES_BACKUP_RETENTION_FULL   full backups kept (default 2; their differentials and WAL too)
#   SALES_BACKUP_STANZA           stanza name (default sales)
#   SALES_BACKUP_STREAMS_KEEP     stream backups kept (default 14)
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
infra="$root/deploy/local/infra.sh"
export SALES_RUN_DIR="${SALES_RUN_DIR:-$root/.run/local}"
run_dir="$SALES_RUN_DIR"
pg_port="${SALES_PG_PORT:-25432}"
pg_bin="${SALES_PG_BIN:-/usr/lib/postgresql/15/bin}"
stanza="${SALES_BACKUP_STANZA:-sales}"
archive_timeout="${SALES_BACKUP_ARCHIVE_TIMEOUT:-60s}"
retention_full="${SALES_BACKUP_RETENTION_FULL:-2}"

fail() { echo "pgbackrest.sh: $*" >&2; exit 1; }
streams_keep="${SALES_BACKUP_STREAMS_KEEP:-14}"
streams_bin="${SALES_BUILD_DIR:-$root/build}/libs/bus/sales-streams"

mkdir -p "$run_dir"
pg_dir="$("$infra" pg-socket)"   # infra.sh's PostgreSQL directory (socket, data/, log)
data="$pg_dir/data"
# pgBackRest runs as the cluster's owner (archive_command runs inside PostgreSQL): its config,
# lock, log and spool directories and the repository must be reachable by that user. Beside
# the PostgreSQL directory when infra.sh had to move it out of a private home.
if [ "$pg_dir" = "$run_dir/postgres" ]; then
  state="$run_dir/pgbackrest"
  default_repo="${run_dir%/}-backup"
else
  state="$pg_dir.pgbackrest"
  default_repo="$pg_dir.backup"
fi
repo="${SALES_BACKUP_REPO:-$default_repo}"
conf="$state/pgbackrest.conf"
case "$repo" in
  "$pg_dir"|"$pg_dir"/*|"$data"|"$data"/*) fail "SALES_BACKUP_REPO ($repo) must be outside the PostgreSQL directory $pg_dir" ;;
esac

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}
pgbr() { as_owner pgbackrest --config="$conf" --stanza="$stanza" "$@"; }
admin_psql() { "$infra" psql "$@"; }
pg_running() { [ -f "$data/postmaster.pid" ] && as_owner "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

write_config() {
  command -v pgbackrest >/dev/null || fail "pgbackrest not installed; run scripts/install-deps.sh"
  mkdir -p "$state/log" "$state/lock" "$state/spool" "$repo"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$state" "$repo"; fi
  chmod 750 "$repo"
  local tmp="$state/pgbackrest.conf.new"
  cat >"$tmp" <<CONF
# Written by deploy/backup/pgbackrest.sh (docs/operations.md "Backups and restore").
[global]
repo1-path=$repo
repo1-retention-full=$retention_full
compress-type=lz4
# Backups start with an immediate checkpoint instead of waiting for the next one.
start-fast=y
process-max=2
log-path=$state/log
lock-path=$state/lock
spool-path=$state/spool
log-level-console=warn
log-level-file=info

[$stanza]
pg1-path=$data
pg1-port=$pg_port
pg1-socket-path=$pg_dir
pg1-user=postgres
CONF
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$tmp"; fi
  chmod 640 "$tmp"
  mv "$tmp" "$conf"
}

setup() {
  write_config
  pg_running || fail "PostgreSQL is not running; run deploy/local/infra.sh start first"
  # In postgresql.auto.conf (ALTER SYSTEM): a property of the cluster, kept by every later
  # start of infra.sh and carried into a restored data directory.
  local before
  before="$(admin_psql -d postgres -c "SHOW archive_mode")"
  admin_psql -d postgres >/dev/null <<SQL
ALTER SYSTEM SET wal_level = 'replica';
ALTER SYSTEM SET archive_mode = 'on';
ALTER SYSTEM SET archive_command = 'pgbackrest --config=$conf --stanza=$stanza archive-push %p';
ALTER SYSTEM SET archive_timeout = '$archive_timeout';
SELECT pg_reload_conf();
SQL
  if [ "$before" != on ]; then
    "$infra" restart-postgres   # archive_mode takes effect at a start only
    echo "pgbackrest.sh: PostgreSQL restarted with archive_mode=on"
  fi
  pgbr --log-level-console=warn stanza-create
  pgbr --log-level-console=warn check
  echo "pgbackrest.sh: stanza '$stanza' ready: WAL archived by pgbackrest (archive_timeout $archive_timeout) into $repo"
}

backup() {
  local type="${1:-}"
  [[ "$type" =~ ^(full|diff|incr)$ ]] || fail "usage: pgbackrest.sh backup full|diff|incr"
  [ -f "$conf" ] || fail "no $conf; run pgbackrest.sh setup first"
  pgbr --type="$type" backup
  pgbr info --output=json | python3 -c '
import json, sys
backups = json.load(sys.stdin)[0]["backup"]
b = backups[-1]
print("pgbackrest.sh: %s backup %s: %d s, database %.1f MB, in the repository %.1f MB" % (
    b["type"], b["label"], b["timestamp"]["stop"] - b["timestamp"]["start"],
    b["info"]["size"] / 1e6, b["info"]["repository"]["delta"] / 1e6))'
}

# sales-streams against infra.sh's nats-server, as its administrator.
sales_streams() {
  [ -x "$streams_bin" ] || fail "$streams_bin missing: run scripts/build.sh first"
  SALES_NATS_URL="nats://127.0.0.1:${SALES_NATS_PORT:-24222}" SALES_NATS_USER=admin \
    SALES_NATS_PASSWORD="$("$infra" nats-password admin)" "$streams_bin" "$@"
}
streams_backup() {
  local dir
  dir="$repo/streams/$(date -u +%Y%m%dT%H%M%S.%3NZ)"
  mkdir -p "$repo/streams"
  sales_streams snapshot "$dir" | sed 's/^/pgbackrest.sh: streams: /'
  # Whole backups only (a cut-short one is "<time>.partial"), oldest first.
  find "$repo/streams" -mindepth 1 -maxdepth 1 -type d -name '*Z' | sort | head -n -"$streams_keep" \
    | xargs -r rm -rf
}
# The newest stream backup taken at or before $1 (any timestamptz text; empty: the newest).
stream_backup_before() {
  local dir taken
  for dir in $(find "$repo/streams" -mindepth 1 -maxdepth 1 -type d -name '*Z' 2>/dev/null | sort -r); do
    taken="$(sed -n 's/^ *"taken_at": *"\(.*\)",*$/\1/p' "$dir/manifest.json" 2>/dev/null)"
    [[ "$taken" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$ ]] || continue
    if [ -z "$1" ] || [ "$(echo "SELECT :'taken'::timestamptz <= :'target'::timestamptz" \
                             | admin_psql -d postgres -v taken="$taken" -v target="$1")" = t ]; then
      echo "$dir|$taken"
      return
    fi
  done
}
streams_restore() {
  local dir="${1:-}"
  if [ -z "$dir" ]; then
    [ -f "$state/streams-restore" ] || fail "no stream backup picked by a restore; name one: pgbackrest.sh streams-restore $repo/streams/<time>"
    dir="$(cat "$state/streams-restore")"
  fi
  sales_streams restore "$dir" | sed 's/^/pgbackrest.sh: streams: /'
  rm -f "$state/streams-restore"
}

restore() {
  local target=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --time) target="${2:-}"; shift 2 ;;
      *) fail "usage: pgbackrest.sh restore [--time 'YYYY-MM-DD HH:MM:SS+00']" ;;
    esac
  done
  [ -f "$conf" ] || write_config
  pg_running && fail "PostgreSQL is running on $data; stop it first (deploy/local/down.sh)"
  if [ -d "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
    fail "$data is not empty: move it away first (mv $data $data.lost-\$(date +%s)); the restore writes a fresh data directory"
  fi
  mkdir -p "$pg_dir" "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_dir" "$data"; fi
  chmod 700 "$pg_dir" "$data"
  local options=(--log-level-console=info)
  if [ -n "$target" ]; then
    options+=(--type=time "--target=$target" --target-action=promote)
  fi
  pgbr "${options[@]}" restore | grep -E "restore backup set|restore size" | sed 's/^.*INFO: /pgbackrest: /' || true

  # Recovery: replays the archived WAL up to the target and promotes (new timeline). On the
  # private socket only, so that no service connects to a half-recovered cluster; pg_ctl -w
  # would return as soon as the cluster is consistent, long before the end of recovery.
  # syncfs: the start after a restore syncs the data directory (pgBackRest wrote it) with one
  # call per file system instead of an fsync per file (4,000 files: 7.5 s here).
  # Recovery refuses settings below the primary's (infra.sh runs with max_connections=300):
  # the ones it checks, as the backup's pg_control recorded them.
  local wait_s="${SALES_BACKUP_RECOVERY_TIMEOUT_S:-3600}" limits log_from
  log_from=$(( $(cat "$pg_dir/postgres.log" 2>/dev/null | wc -l) + 1 ))
  limits="$(as_owner "$pg_bin/pg_controldata" -D "$data" | awk -F': *' '
    /^max_connections setting/      { printf "-c max_connections=%s ", $2 }
    /^max_worker_processes setting/ { printf "-c max_worker_processes=%s ", $2 }
    /^max_wal_senders setting/      { printf "-c max_wal_senders=%s ", $2 }
    /^max_prepared_xacts setting/   { printf "-c max_prepared_transactions=%s ", $2 }
    /^max_locks_per_xact setting/   { printf "-c max_locks_per_transaction=%s ", $2 }')"
  as_owner "$pg_bin/pg_ctl" -D "$data" -l "$pg_dir/postgres.log" -w -t "$wait_s" \
    -o "-p $pg_port -k $pg_dir -c listen_addresses= -c unix_socket_permissions=0700 -c recovery_init_sync_method=syncfs $limits" start >/dev/null \
    || fail "PostgreSQL did not start on the restored data directory; see $pg_dir/postgres.log"
  local deadline=$(( $(date +%s) + wait_s ))
  until [ "$(admin_psql -d postgres -c "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ]; do
    pg_running || fail "PostgreSQL stopped during recovery; see $pg_dir/postgres.log"
    [ "$(date +%s)" -lt "$deadline" ] || fail "recovery not finished in time; see $pg_dir/postgres.log"
    sleep 0.1
  done
  # The recovery settings pgBackRest wrote have done their work.
  admin_psql -d postgres >/dev/null <<'SQL'
ALTER SYSTEM RESET restore_command;
ALTER SYSTEM RESET recovery_target_time;
ALTER SYSTEM RESET recovery_target_action;
SQL
  # The streams (docs/operations.md "Backups and restore"): a stream backup taken at S before
  # the target holds every event published before S and consumer positions no further than
  # what the databases had applied by S; the outbox rows sent since S are published again on
  # top of it. Without one, every retained outbox row (sent rows are kept 7 days) is published
  # into new, empty streams. Consumers apply each event once (inbox) either way.
  local db queued total=0 picked since="" streams_note
  picked="$(stream_backup_before "$target")"
  rm -f "$state/streams-restore"
  if [ -n "$picked" ]; then
    since="${picked#*|}"
    echo "${picked%%|*}" >"$state/streams-restore"
    streams_note="stream backup ${picked%%|*} (taken $since) to restore with pgbackrest.sh streams-restore once nats-server runs, before the services"
  else
    streams_note="no stream backup before the target: JetStream starts empty"
  fi
  for db in $(admin_psql -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'sales\_%' ORDER BY 1"); do
    if [ "$(admin_psql -d "$db" -c "SELECT to_regclass('public.outbox') IS NOT NULL")" = t ]; then
      queued="$(echo "WITH q AS (UPDATE outbox SET sent_at = NULL WHERE sent_at >= :'since'::timestamptz RETURNING 1) SELECT count(*) FROM q" \
        | admin_psql -d "$db" -v since="${since:-epoch}")"
      total=$((total + queued))
    fi
  done
  local reached
  reached="$(tail -n +"$log_from" "$pg_dir/postgres.log" | grep -E "recovery stopping|last completed transaction" \
    | sed 's/^.*LOG: *//' | paste -sd ';' - | sed 's/;/; /')"
  as_owner "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  echo "pgbackrest.sh: restored and recovered${target:+ to $target} ($reached); $total outbox events queued to be published again${since:+ (sent since $since)}; $streams_note"
  if [ -n "$picked" ]; then
    echo "pgbackrest.sh: next: deploy/local/infra.sh start (JetStream with an empty store), pgbackrest.sh streams-restore, deploy/local/up.sh"
  else
    echo "pgbackrest.sh: next: deploy/local/infra.sh start (JetStream with an empty store) or deploy/local/up.sh"
  fi
}

case "${1:-}" in
  setup) setup ;;
  backup) shift; backup "$@" ;;
  info) pgbr info ;;
  check) pgbr check ;;
  restore) shift; restore "$@" ;;
  streams-backup) streams_backup ;;
  streams-restore) shift; streams_restore "$@" ;;
  conf) echo "$conf" ;;
  run) shift; as_owner pgbackrest --config="$conf" "$@" ;;
  *) echo "usage: $0 setup|backup full|diff|incr|info|check|streams-backup|restore [--time T]|streams-restore [DIR]|conf|run ARGS" >&2; exit 2 ;;
esac
