#!/usr/bin/env bash
# The backup container of the compose deployment: the pgBackRest repository host of stanza
# `sales` (SEC-3; docs/operations.md "Backups and restore"), the repository in /var/lib/pgbackrest
# (its own volume). It runs a pgBackRest TLS server on port 8432, to which the postgres container
# archives its WAL (only the CN of the database host's certificate is let in), and the schedule:
#  - the stanza is created when the repository has none, then `pgbackrest check` (retried until
#    the database host answers and archiving works);
#  - a full backup when the repository holds none; then /tmp/backup.ready exists (up.sh waits
#    for it);
#  - a differential SALES_BACKUP_DIFF_INTERVAL seconds (3600) after the last backup, a full
#    SALES_BACKUP_FULL_INTERVAL seconds (604800) after the last full. Counted from the backups in
#    the repository, so a restart or a backup taken by hand moves the schedule on; after a failed
#    backup the next attempt is SALES_BACKUP_RETRY_INTERVAL seconds (300) later.
# One line per backup: type, label, duration, sizes, the archived WAL's end.
#   backup-entrypoint               the above (the container's entrypoint)
#   backup-entrypoint backup TYPE   one backup now: full, diff or incr (deploy/compose/backup.sh)
#   backup-entrypoint info          pgbackrest info of the stanza
# Environment: SALES_BACKUP_PG_HOST (postgres: the database host, also the CN of its
# certificate), SALES_BACKUP_RETENTION_FULL (2: full backups kept, with their differentials and
# WAL), SALES_BACKUP_TLS_DIR (/run/sales-tls: ca.crt, tls.crt, tls.key).
set -euo pipefail
stanza=sales
repo=/var/lib/pgbackrest
ready=/tmp/backup.ready
pg_host="${SALES_BACKUP_PG_HOST:-postgres}"
tls="${SALES_BACKUP_TLS_DIR:-/run/sales-tls}"
retention_full="${SALES_BACKUP_RETENTION_FULL:-2}"
diff_interval="${SALES_BACKUP_DIFF_INTERVAL:-3600}"
full_interval="${SALES_BACKUP_FULL_INTERVAL:-604800}"
retry_interval="${SALES_BACKUP_RETRY_INTERVAL:-300}"

log() { echo "$(date -u +%FT%TZ) backup: $*"; }
fail() { echo "backup-entrypoint: $*" >&2; exit 1; }
oneline() { tr '\n' ' ' <<<"$1" | sed 's/  */ /g; s/ $//' | cut -c1-400; }

child=""
run_child() {  # COMMAND...: in the background, so that a stop signal is handled at once
  "$@" & child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  return "$rc"
}
pause() { run_child sleep "$1" || true; }

# status code (0 ok, 1/3 no stanza, 2 no backup yet), start of the last full backup, start of
# the last backup (Unix seconds, 0 when none)
state() {
  pgbackrest --stanza="$stanza" info --output=json | perl -MJSON::PP -e '
    my $s = decode_json(join "", <STDIN>)->[0];
    my @b = @{$s->{backup} || []};
    my @f = grep { $_->{type} eq "full" } @b;
    printf "%d %d %d\n", $s->{status}{code}, @f ? $f[-1]{timestamp}{start} : 0,
      @b ? $b[-1]{timestamp}{start} : 0;'
}

backup() {  # TYPE
  local type="$1" started rc=0 ms
  [[ "$type" =~ ^(full|diff|incr)$ ]] || fail "backup type must be full, diff or incr, not '$type'"
  started=$(date +%s%N)
  run_child pgbackrest --stanza="$stanza" --type="$type" backup || rc=$?
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  if [ "$rc" != 0 ]; then
    log "$type backup failed after $ms ms (exit code $rc); details in /var/log/pgbackrest/$stanza-backup.log of this container"
    return 1
  fi
  pgbackrest --stanza="$stanza" info --output=json | MS="$ms" NOW="$(date -u +%FT%TZ)" perl -MJSON::PP -e '
    my $s = decode_json(join "", <STDIN>)->[0];
    my $b = $s->{backup}[-1];
    printf "%s backup: %s %s in %.1f s (database %.1f MB, added to the repository %.1f MB); WAL archived up to %s\n",
      $ENV{NOW}, $b->{type}, $b->{label}, $ENV{MS} / 1000, $b->{info}{size} / 1e6,
      $b->{info}{repository}{delta} / 1e6, $s->{archive}[-1]{max} // "-";'
}

write_config() {
  local file
  for file in ca.crt tls.crt tls.key; do
    [ -r "$tls/$file" ] || fail "$tls/$file missing or unreadable by uid $(id -u) (deploy/compose/up.sh writes it)"
  done
  [ -w "$repo" ] || fail "$repo (the repository volume) is not writable by uid $(id -u)"
  cat >/etc/pgbackrest/pgbackrest.conf.new <<CONF
# Written by backup-entrypoint at each start: the repository host of stanza $stanza.
[global]
repo1-path=$repo
repo1-retention-full=$retention_full
compress-type=lz4
# Backups start with an immediate checkpoint instead of waiting for the next one.
start-fast=y
process-max=2
log-path=/var/log/pgbackrest
log-level-console=warn
log-level-file=info
tls-server-address=*
tls-server-auth=$pg_host=$stanza
tls-server-ca-file=$tls/ca.crt
tls-server-cert-file=$tls/tls.crt
tls-server-key-file=$tls/tls.key

[$stanza]
pg1-host=$pg_host
pg1-host-type=tls
pg1-host-ca-file=$tls/ca.crt
pg1-host-cert-file=$tls/tls.crt
pg1-host-key-file=$tls/tls.key
pg1-path=/var/lib/postgresql/data
pg1-socket-path=/var/run/postgresql
CONF
  mv /etc/pgbackrest/pgbackrest.conf.new /etc/pgbackrest/pgbackrest.conf
}

case "${1:-}" in
  backup) backup "${2:-}"; exit ;;
  info) exec pgbackrest --stanza="$stanza" info ;;
  "") ;;
  *) fail "usage: backup-entrypoint [backup full|diff|incr | info]" ;;
esac

for value in "$retention_full" "$diff_interval" "$full_interval" "$retry_interval"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || fail "SALES_BACKUP_RETENTION_FULL and the SALES_BACKUP_*_INTERVAL settings are whole numbers above 0, not '$value'"
done
rm -f "$ready"
write_config
trap '[ -z "$child" ] || { kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; }; exit 0' INT TERM
(
  while :; do
    pgbackrest server || echo "backup-entrypoint: pgbackrest server exited with code $?; starting it again in 5 s" >&2
    sleep 5
  done
) &
log "repository host of stanza $stanza in $repo (database host $pg_host): differential every $diff_interval s, full every $full_interval s, $retention_full full backups kept"

started=$(date +%s%N)
# Polled here: pgBackRest retries a refused connection itself, but with pauses growing as a
# Fibonacci sequence (its check passed 20 s after the database host had come up).
waited=0
until pg_isready -q -h "$pg_host" -t 2 && timeout 2 bash -c "</dev/tcp/$pg_host/8432" 2>/dev/null; do
  [ $(( waited++ )) != 20 ] || log "waiting for the database host $pg_host (PostgreSQL on 5432, pgBackRest on 8432)"
  pause 0.5
done
read -r code _ _ <<<"$(state)"
if [ "$code" = 1 ] || [ "$code" = 3 ]; then
  until out="$(pgbackrest --stanza="$stanza" stanza-create 2>&1)"; do
    log "stanza-create: $(oneline "$out"); again in 2 s"
    pause 2
  done
  log "stanza $stanza created"
fi
until out="$(pgbackrest --stanza="$stanza" check 2>&1)"; do
  log "check: $(oneline "$out"); again in 5 s"
  pause 5
done
log "check passed after $(( ($(date +%s%N) - started) / 1000000 )) ms: WAL archiving into this repository works"

while :; do
  if ! current="$(state)"; then
    log "pgbackrest info failed; again in $retry_interval s"
    pause "$retry_interval"
    continue
  fi
  read -r code last_full last_any <<<"$current"
  now=$(date +%s)
  if [ "$last_full" = 0 ] || [ "$now" -ge $(( last_full + full_interval )) ]; then
    type=full
  elif [ "$now" -ge $(( last_any + diff_interval )) ]; then
    type=diff
  else
    [ -e "$ready" ] || echo "$last_full" >"$ready"
    next=$(( last_full + full_interval ))
    [ $(( last_any + diff_interval )) -ge "$next" ] || next=$(( last_any + diff_interval ))
    pause $(( next - now ))
    continue
  fi
  backup "$type" || pause "$retry_interval"
done
