#!/usr/bin/env bash
# Stops the compose deployment (each container gets SIGTERM and drains). --volumes also deletes
# its data (PostgreSQL, the JetStream stores, the backup repository (volume backup-repo) and the
# stream backups (volume stream-backups)) and
# its secrets; without it every volume is kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
export SALES_COMPOSE_RUN="${SALES_COMPOSE_RUN:-$root/.run/compose}"
project="${SALES_COMPOSE_PROJECT:-sales}"
cd "$root/deploy/compose"
source lib.sh
# podman-compose down stops each container with `podman stop -t 1` (SIGKILL after a second), so
# they are stopped here first, up to 30 s each, in parallel within a step: the load balancer, the
# services (they drain: requests in flight end, the current event is acknowledged), then
# PostgreSQL and the backup container, then NATS. Scaled-up replicas (scale.sh) are removed too.
stop_group() {
  local ids=() svc
  for svc in "$@"; do mapfile -t -O "${#ids[@]}" ids < <(replicas_of "$svc"); done
  [ ${#ids[@]} -eq 0 ] || podman stop -t 30 "${ids[@]}" >/dev/null 2>&1 || true
}
stop_group lb
stop_group "${all_services[@]}" stream-backups
stop_group postgres
stop_group backup
stop_group nats-1 nats-2 nats-3
if [ "${1:-}" = --volumes ]; then
  podman-compose -p "$project" -f compose.yaml down -v >/dev/null 2>&1 || true
  rm -rf "$SALES_COMPOSE_RUN"
else
  podman-compose -p "$project" -f compose.yaml down >/dev/null 2>&1 || true
fi
# Replicas beyond compose.yaml's (scale.sh) are not podman-compose's to remove.
podman ps -aq --filter "label=io.podman.compose.project=$project" | xargs -r podman rm -f >/dev/null
if [ "${1:-}" = --volumes ]; then
  podman volume ls -q --filter "label=io.podman.compose.project=$project" | xargs -r podman volume rm -f >/dev/null
fi
left="$(podman ps -aq --filter "label=io.podman.compose.project=$project" | wc -l)"
[ "$left" = 0 ] || { echo "compose: $left containers still exist" >&2; exit 1; }
echo "compose: stopped"
