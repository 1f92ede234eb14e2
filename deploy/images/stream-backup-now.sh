#!/bin/sh
# A backup of every JetStream stream into /backups/streams/<UTC time> with sales-streams; keeps
# the newest $SALES_STREAM_BACKUPS_KEEP (48) and removes snapshots cut short an hour ago or more.
#   stream-backup-now            one now (deploy/compose/backup.sh streams-now)
#   stream-backup-now --every    one every $SALES_STREAM_BACKUP_INTERVAL seconds (3600), for ever
#                                (the compose deployment's stream-backups container)
set -u
keep="${SALES_STREAM_BACKUPS_KEEP:-48}"
interval="${SALES_STREAM_BACKUP_INTERVAL:-3600}"
once() {
  started=$(date +%s)
  dir="/backups/streams/$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p /backups/streams || return 1
  summary="$(/opt/sales/bin/sales-streams snapshot "$dir" 2>&1 | tail -n 1)"
  if [ ! -f "$dir/manifest.json" ]; then
    echo "stream-backups: failed: $summary"
    return 1
  fi
  find /backups/streams -mindepth 1 -maxdepth 1 -type d -name '*Z' | sort | head -n -"$keep" | xargs -r rm -rf
  find /backups/streams -mindepth 1 -maxdepth 1 -type d -name '*.partial' -mmin +60 | xargs -r rm -rf
  echo "stream-backups: $summary ($(( $(date +%s) - started )) s; $(find /backups/streams -mindepth 1 -maxdepth 1 -type d -name '*Z' | wc -l) kept)"
}
if [ "${1:-}" != --every ]; then
  once
  exit
fi
trap 'exit 0' TERM INT
while :; do
  sleep "$interval" &
  wait $!
  once || echo "stream-backups: next try in $interval s"
done
