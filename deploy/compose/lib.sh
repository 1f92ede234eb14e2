# Shared by the compose scripts (sourced): the project's containers, their addresses and
# readiness. Needs $project set.
declare -A service_port=([gateway]=8080 [inventory]=8081 [contract]=8082 [customer]=8083 [finance]=8084 [reporting]=8085 [webhooks]=8086)
all_services=(inventory contract customer finance reporting webhooks gateway)

address_of() {
  podman inspect "$1" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' 2>/dev/null
}

# wait_ready CONTAINER PATH PORT: polls http://<its address>:PORT/PATH until 200
# (SALES_COMPOSE_READY_TIMEOUT, 120 s); on timeout prints its last log lines and fails.
wait_ready() {
  local deadline=$(( $(date +%s) + ${SALES_COMPOSE_READY_TIMEOUT:-120} )) ip
  while [ "$(date +%s)" -lt "$deadline" ]; do
    ip="$(address_of "$1")"
    if [ -n "$ip" ] && curl -fsS -m 2 "http://$ip:$3$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "compose: $1 not ready; its last log lines:" >&2
  podman logs --tail 20 "$1" >&2 || true
  return 1
}

replicas_of() {  # SERVICE: its containers, replica 1 first
  podman ps -a --filter "label=io.podman.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | sort
}
