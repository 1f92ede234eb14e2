#!/usr/bin/env bash
# Starts the compose deployment (compose.yaml) on this host and waits until every container is
# ready: installs dependencies, builds the binaries, the console and the images, writes the
# secrets once under $SALES_COMPOSE_RUN (default .run/compose; directories 700, files 600),
# starts the containers with podman-compose, and polls each one's /readyz (compose health checks
# do not run without systemd). Prints the address (127.0.0.1:$SALES_COMPOSE_PORT, default 8090).
# SALES_SKIP_BUILD=1 uses the images as they are. Stop with deploy/compose/down.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/deploy/compose"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
export SALES_COMPOSE_RUN="${SALES_COMPOSE_RUN:-$root/.run/compose}"
export SALES_COMPOSE_PORT="${SALES_COMPOSE_PORT:-8090}"
project="${SALES_COMPOSE_PROJECT:-sales}"
build="${SALES_BUILD_DIR:-$root/build}"
source "$here/lib.sh"
services=("${all_services[@]}")
started=$(date +%s)

if [ "${SALES_SKIP_BUILD:-0}" != 1 ]; then
  "$root/scripts/install-deps.sh"
  SALES_BUILD_DIR="$build" "$root/scripts/build.sh" "${services[@]}" sales-token
  [ "${SALES_SKIP_WEB_BUILD:-0}" = 1 ] || "$root/scripts/build-web.sh"
  SALES_BUILD_DIR="$build" "$root/deploy/images/build.sh"
fi

# --- secrets (made once; kept across restarts so the data stays reachable) ---------------------
# Each service reads its own directory, mounted at /run/secrets/sales: db (its conninfo),
# nats-password, token-public-keys; the gateway's also holds token-private.key. PostgreSQL
# reads db-<service>.password to make the roles; nats-server its users' passwords from nats.env.
secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
run="$SALES_COMPOSE_RUN"
umask 077
mkdir -p "$run/env" "$run/postgres-secrets"
if [ ! -s "$run/passwords" ]; then
  for name in "${services[@]}" property admin; do echo "$name $(secret)"; done >"$run/passwords.new"
  echo "gateway-admin $(secret)Aa1!" >>"$run/passwords.new"
  mv "$run/passwords.new" "$run/passwords"
fi
password() { awk -v n="$1" '$1 == n { print $2 }' "$run/passwords"; }
: >"$run/env/nats.env"
for name in "${services[@]}" property admin; do
  # nats-server reads each as a configuration value: in double quotes (deploy/local/nats.conf)
  echo "SALES_NATS_${name^^}_PASSWORD=\"$(password "$name")\"" >>"$run/env/nats.env"
done
gateway_secrets="$run/secrets/gateway"
mkdir -p "$gateway_secrets"
if [ ! -s "$gateway_secrets/token-private.key" ]; then
  "$build/libs/auth/sales-token" keygen --kid compose-1 --out-private "$gateway_secrets/token-private.key" >/dev/null
fi
# Kept when present: during a key rotation (rotate-token-key.sh) it lists two keys.
public_keys_file="$run/token-public-keys"
[ -s "$public_keys_file" ] ||
  "$build/libs/auth/sales-token" public-key --private-key "$gateway_secrets/token-private.key" >"$public_keys_file"
for svc in "${services[@]}"; do
  dir="$run/secrets/$svc"
  mkdir -p "$dir"
  [ -s "$run/postgres-secrets/db-$svc.password" ] || secret >"$run/postgres-secrets/db-$svc.password"
  echo "host=postgres port=5432 dbname=sales_$svc user=sales_$svc password=$(cat "$run/postgres-secrets/db-$svc.password") connect_timeout=5" >"$dir/db"
  password "$svc" >"$dir/nats-password"
  cp "$public_keys_file" "$dir/token-public-keys"
done
echo "SALES_GATEWAY_ADMIN_PASSWORD=$(password gateway-admin)" >"$run/env/gateway.env"
password gateway-admin >"$run/admin.password"
# Each image's user reads its own secrets: postgres (uid 100 in sales-postgres), the services
# (uid 10001); nats.env and gateway.env are read by podman itself.
chown -R 100:102 "$run/postgres-secrets"
chown -R 10001:10001 "$run/secrets"
umask 022

cd "$here"
podman-compose -p "$project" -f compose.yaml up -d >"$run/compose-up.log" 2>&1 ||
  { tail -30 "$run/compose-up.log" >&2; exit 1; }

# --- readiness -------------------------------------------------------------------------------
for n in 1 2 3; do wait_ready "${project}_nats-${n}_1" /healthz?js-enabled-only=true 8222; done
for svc in "${services[@]}"; do
  for n in 1 2; do wait_ready "${project}_${svc}_$n" /readyz "${service_port[$svc]}"; done
done
deadline=$(( $(date +%s) + 30 ))
until curl -fsS -m 2 "http://127.0.0.1:$SALES_COMPOSE_PORT/readyz" >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "compose: the load balancer does not answer" >&2; exit 1; }
  sleep 0.2
done
echo "compose: $(podman ps -q --filter "label=io.podman.compose.project=$project" | wc -l) containers ready in $(( $(date +%s) - started )) s"
echo "  console and API: http://127.0.0.1:$SALES_COMPOSE_PORT/   (administrator: admin, password in $run/admin.password)"
