#!/usr/bin/env bash
# Starts the compose deployment (compose.yaml) on this host and waits until every container is
# ready: installs dependencies, builds the binaries, the console and the images, writes the
# secrets once under $SALES_COMPOSE_RUN (default .run/compose; directories 700, files 600),
# starts the containers with podman-compose, and polls each one's /readyz (compose health checks
# do not run without systemd) and the backup container until its first full backup is there.
# Prints the address (127.0.0.1:$SALES_COMPOSE_PORT, default 8090).
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
  SALES_BUILD_DIR="$build" "$root/scripts/build.sh" "${services[@]}" sales-token sales-streams
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
mkdir -p "$run/secrets/stream-backups"
password admin >"$run/secrets/stream-backups/nats-password"  # NATS's admin: every stream's API
echo "SALES_GATEWAY_ADMIN_PASSWORD=$(password gateway-admin)" >"$run/env/gateway.env"
password gateway-admin >"$run/admin.password"
# pgBackRest's TLS between the postgres and backup containers: a CA of this deployment (its key
# stays in backup-tls/) signs one certificate per host, CN and DNS name postgres or backup,
# both its TLS server's and its client certificate towards the other (each server lets in
# only the other's CN). backup-tls/<host> (ca.crt, tls.crt, tls.key) is mounted read-only at
# /run/sales-tls. A host certificate is made again when missing, not signed by the CA, or
# expiring within 30 days (then restart both containers).
tls="$run/backup-tls"
tls_fail() { echo "compose: openssl could not make $1 in $tls; remove $tls to start over" >&2; exit 1; }
mkdir -p "$tls"
if [ ! -s "$tls/ca.crt" ]; then
  openssl req -x509 -new -noenc -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -days 3650 \
    -subj /CN=sales-backup-ca -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null || tls_fail "the CA"
fi
for host in postgres backup; do
  mkdir -p "$tls/$host"
  if ! openssl verify -CAfile "$tls/ca.crt" "$tls/$host/tls.crt" >/dev/null 2>&1 ||
     ! openssl x509 -checkend $((30 * 86400)) -noout -in "$tls/$host/tls.crt" >/dev/null; then
    { openssl req -new -noenc -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=$host" \
        -keyout "$tls/$host/tls.key" -out "$tls/$host.csr" &&
      openssl x509 -req -in "$tls/$host.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -set_serial "0x$(secret)" \
        -days 825 -sha256 -out "$tls/$host/tls.crt" -extfile <(printf '%s\n' "subjectAltName=DNS:$host" \
          basicConstraints=CA:FALSE keyUsage=digitalSignature extendedKeyUsage=serverAuth,clientAuth)
    } 2>/dev/null || tls_fail "the certificate of $host"
    rm -f "$tls/$host.csr"
  fi
  cp "$tls/ca.crt" "$tls/$host/ca.crt"
done
# Each image's user reads its own secrets: postgres (uid 100 in sales-postgres, also in the
# backup container), the services (uid 10001); nats.env and gateway.env are read by podman itself.
chown -R 100:102 "$run/postgres-secrets" "$tls/postgres" "$tls/backup"
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
# The backup container is ready once the stanza exists, `pgbackrest check` passed (WAL archiving
# works) and the repository holds a full backup (SALES_BACKUP_READY_TIMEOUT, 180 s).
services_ready=$(date +%s%N)
deadline=$(( $(date +%s) + ${SALES_BACKUP_READY_TIMEOUT:-180} ))
until podman exec "${project}_backup_1" test -e /tmp/backup.ready 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "compose: ${project}_backup_1 has no full backup yet; its last log lines:" >&2
    podman logs --tail 20 "${project}_backup_1" >&2 || true
    exit 1
  fi
  sleep 0.5
done
full="$(podman logs "${project}_backup_1" 2>&1 | grep -o 'full [0-9F-]* in [0-9.]* s' | tail -1 || true)"
echo "compose: backup ready (${full:-a full backup in the repository}), $(( ($(date +%s%N) - services_ready) / 1000000 )) ms after the services"
echo "compose: $(podman ps -q --filter "label=io.podman.compose.project=$project" | wc -l) containers ready in $(( $(date +%s) - started )) s"
echo "  console and API: http://127.0.0.1:$SALES_COMPOSE_PORT/   (administrator: admin, password in $run/admin.password)"
