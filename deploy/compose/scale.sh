#!/usr/bin/env bash
# Sets the number of running replicas of services of the compose deployment.
#   scale.sh SERVICE=N...        e.g. scale.sh contract=3 gateway=3
# Up: each new replica is a clone of replica 1 (same image, settings, secrets and network
# aliases, so the gateways, HAProxy (8 gateway slots) and the services' DNS lookups find it) and
# must be ready before the next step. Down: the highest-numbered replicas get SIGTERM (they
# drain: requests in flight finish, the current event is finished and acknowledged) and are
# removed; replica 1 stays. Periodic jobs and consumers are safe with any number of replicas
# (docs/operations.md "Replicas"); per-process limits are multiplied (same section).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
project="${SALES_COMPOSE_PROJECT:-sales}"
source "$root/deploy/compose/lib.sh"
max="${SALES_COMPOSE_MAX_REPLICAS:-8}"
[ $# -gt 0 ] || { echo "usage: $0 SERVICE=N... (1 <= N <= $max)" >&2; exit 2; }
for arg in "$@"; do
  svc="${arg%%=*}" n="${arg#*=}"
  [ -n "${service_port[$svc]:-}" ] || { echo "scale: unknown service $svc (one of ${all_services[*]})" >&2; exit 2; }
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$max" ] \
    || { echo "scale: $arg: the number of replicas must be 1 to $max" >&2; exit 2; }
done

for arg in "$@"; do
  svc="${arg%%=*}" n="${arg#*=}"
  started=$(date +%s%N)
  mapfile -t containers < <(replicas_of "$svc")
  [ ${#containers[@]} -gt 0 ] || { echo "scale: no containers of $svc in project $project; start it with up.sh" >&2; exit 1; }
  first="${project}_${svc}_1"
  have=${#containers[@]}
  if [ "$n" -gt "$have" ]; then
    for ((k = 1; k <= n; k++)); do
      c="${project}_${svc}_$k"
      podman container exists "$c" && continue
      podman container clone "$first" "$c" >/dev/null
      podman start "$c" >/dev/null
      wait_ready "$c" /readyz "${service_port[$svc]}"
      echo "scale: $c started and ready"
    done
  elif [ "$n" -lt "$have" ]; then
    for c in $(printf '%s\n' "${containers[@]}" | sort -t_ -k3 -n | tail -n "$((have - n))" | sort -r); do
      [ "$c" = "$first" ] && continue
      podman stop -t 30 "$c" >/dev/null
      podman rm "$c" >/dev/null
      echo "scale: $c drained and removed"
    done
  fi
  echo "scale: $svc has $(replicas_of "$svc" | wc -l) replicas ($(( ($(date +%s%N) - started) / 1000000 )) ms)"
done
