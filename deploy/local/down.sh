#!/usr/bin/env bash
# Stops exactly what up.sh started (by PID): each service's supervisor, which stops its service,
# then nats-server and PostgreSQL.
# Data stays under .run/local; `down.sh --clean` deletes it too, to start from scratch.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export SALES_RUN_DIR="${SALES_RUN_DIR:-$root/.run/local}"
pid_dir="$SALES_RUN_DIR/pids"

if [ -d "$pid_dir" ]; then
  for pid_file in "$pid_dir"/*.pid; do
    [ -e "$pid_file" ] || continue
    # <svc>.service.pid is the service under its supervisor (<svc>.pid), which stops it.
    case "$pid_file" in *.service.pid) continue ;; esac
    svc="$(basename "$pid_file" .pid)"
    pid="$(cat "$pid_file")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "down: $svc (pid $pid) did not stop within 15 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
      echo "down: $svc stopped"
    fi
    rm -f "$pid_file" "$pid_dir/$svc.service.pid"
  done
fi
if [ "${1:-}" = "--clean" ]; then
  "$root/deploy/local/infra.sh" destroy
  echo "down: local data deleted"
else
  "$root/deploy/local/infra.sh" stop
fi
