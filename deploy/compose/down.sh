#!/usr/bin/env bash
# Stops the compose deployment (each container gets SIGTERM and drains). --volumes also deletes
# its data (PostgreSQL and the JetStream stores) and secrets.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
export SALES_COMPOSE_RUN="${SALES_COMPOSE_RUN:-$root/.run/compose}"
project="${SALES_COMPOSE_PROJECT:-sales}"
cd "$root/deploy/compose"
if [ "${1:-}" = --volumes ]; then
  podman-compose -p "$project" -f compose.yaml down -v >/dev/null 2>&1 || true
  rm -rf "$SALES_COMPOSE_RUN"
else
  podman-compose -p "$project" -f compose.yaml down >/dev/null 2>&1 || true
fi
left="$(podman ps -aq --filter "label=io.podman.compose.project=$project" | wc -l)"
[ "$left" = 0 ] || { echo "compose: $left containers still exist" >&2; exit 1; }
echo "compose: stopped"
