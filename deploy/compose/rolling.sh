#!/usr/bin/env bash
# Restarts services of the compose deployment one replica at a time: each replica gets SIGTERM
# (it drains), starts again and must be ready before the next one goes, so the other replica
# serves meanwhile. A restart takes up rotated secret files (rotate-token-key.sh).
#   rolling.sh [--image] SERVICE...   (all: every service)
#   --image  recreate each replica from localhost/sales-<service>:latest as built now by
#            deploy/images/build.sh, with the same settings (an upgrade; see docs/operations.md
#            "Upgrades" for migrations while two versions run)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
project="${SALES_COMPOSE_PROJECT:-sales}"
source "$root/deploy/compose/lib.sh"
image=0
[ "${1:-}" = --image ] && { image=1; shift; }
[ $# -gt 0 ] || { echo "usage: $0 [--image] SERVICE... | all" >&2; exit 2; }
targets=("$@")
[ "$1" = all ] && targets=("${all_services[@]}")

for svc in "${targets[@]}"; do
  [ -n "${service_port[$svc]:-}" ] || { echo "rolling: unknown service $svc" >&2; exit 2; }
  mapfile -t containers < <(replicas_of "$svc")
  [ ${#containers[@]} -gt 0 ] || { echo "rolling: no containers of $svc in project $project" >&2; exit 1; }
  for c in "${containers[@]}"; do
    started=$(date +%s%N)
    if [ "$image" = 1 ]; then
      podman rm -f "$c-next" >/dev/null 2>&1 || true
      podman container clone "$c" "$c-next" "localhost/sales-$svc:latest" >/dev/null
      podman stop -t 30 "$c" >/dev/null
      if ! podman start "$c-next" >/dev/null ||
        ! SALES_COMPOSE_READY_TIMEOUT="${SALES_ROLLING_READY_TIMEOUT:-60}" \
          wait_ready "$c-next" /readyz "${service_port[$svc]}"; then
        # Rolled back: the replica runs its previous image again, and the update stops here.
        podman rm -f "$c-next" >/dev/null
        podman start "$c" >/dev/null
        wait_ready "$c" /readyz "${service_port[$svc]}" || true
        echo "rolling: $c: the new image did not become ready; $c runs its previous image again" >&2
        exit 1
      fi
      podman rm "$c" >/dev/null
      podman rename "$c-next" "$c"
    else
      podman restart -t 30 "$c" >/dev/null
      wait_ready "$c" /readyz "${service_port[$svc]}"
    fi
    # The load balancer and the gateways' connection pools find the replica again (HAProxy
    # checks every 500 ms) before its twin goes down.
    sleep "${SALES_ROLLING_SETTLE:-2}"
    echo "rolling: $c $([ "$image" = 1 ] && echo "now runs $(podman inspect "$c" --format '{{.ImageName}}' | head -c 60)" || echo restarted), ready after $(( ($(date +%s%N) - started) / 1000000 )) ms"
  done
done
