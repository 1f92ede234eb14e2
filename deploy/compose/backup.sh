#!/usr/bin/env bash
# The backups of the compose deployment, in the backup container (the pgBackRest repository
# host; docs/operations.md "Backups and restore"):
#   backup.sh info             the backups and the archived WAL range of stanza sales
#   backup.sh now full|diff    a backup now, with its duration and sizes; the schedule goes on
#                              from it (the next differential is due an interval after it)
#   backup.sh streams-now      a backup of every JetStream stream now, in the stream-backups
#                              container's volume
#   backup.sh streams          the stream backups kept
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
project="${SALES_COMPOSE_PROJECT:-sales}"
container="${project}_backup_1"
case "${1:-}" in streams-now | streams) container="${project}_stream-backups_1" ;; esac
[ "$(podman inspect "$container" --format '{{.State.Running}}' 2>/dev/null)" = true ] ||
  { echo "backup: $container is not running; start the deployment with deploy/compose/up.sh" >&2; exit 1; }

case "${1:-}" in
  info) podman exec "$container" backup-entrypoint info ;;
  now)
    [[ "${2:-}" =~ ^(full|diff)$ ]] || { echo "usage: $0 now full|diff" >&2; exit 2; }
    podman exec "$container" backup-entrypoint backup "$2" ||
      { echo "backup: no backup taken: see the error above (\"unable to acquire lock\": another backup is running; podman logs $container)" >&2; exit 1; }
    ;;
  streams-now) podman exec "$container" /opt/sales/bin/stream-backup-now ;;
  streams) podman exec "$container" sh -c 'for d in $(ls -1d /backups/streams/*Z 2>/dev/null); do echo "$d: $(/opt/sales/bin/sales-streams show "$d" | head -n 1)"; done' ;;
  *) echo "usage: $0 info | now full|diff | streams-now | streams" >&2; exit 2 ;;
esac
