#!/usr/bin/env bash
# Starts the whole system locally with demo data: installs dependencies, builds, starts
# PostgreSQL 15 and nats-server (JetStream) under .run/local, creates one database and role per
# service (each service connects only as its own role and NATS user), starts every service that
# exists (each runs its own migrations), waits for /readyz and prints the URLs. Safe to run
# twice: what is already running is left alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

export SALES_RUN_DIR="${SALES_RUN_DIR:-$root/.run/local}"
export SALES_PG_PORT="${SALES_PG_PORT:-25432}"
export SALES_NATS_PORT="${SALES_NATS_PORT:-24222}"
build="${SALES_BUILD_DIR:-$root/build}"
pid_dir="$SALES_RUN_DIR/pids"
log_dir="$SALES_RUN_DIR/logs"
mkdir -p "$pid_dir" "$log_dir"

"$root/scripts/install-deps.sh"
# Only what runs here: the services and the token tool (the tests build in scripts/test.sh).
SALES_BUILD_DIR="$build" "$root/scripts/build.sh" inventory contract customer finance reporting webhooks gateway sales-token
# The web console the gateway serves at / (skipped with SALES_SKIP_WEB_BUILD=1 when web/dist is
# current, e.g. right after scripts/test.sh built it).
[ "${SALES_SKIP_WEB_BUILD:-0}" = 1 ] || "$root/scripts/build-web.sh"
infra="$root/deploy/local/infra.sh"
"$infra" start

# Token keys (docs/operations.md "Token keys"), made once and kept out of the repository: every
# service gets the public key, only the gateway (and sales-token below) the private key file.
token_key_file="${SALES_TOKEN_PRIVATE_KEY_FILE:-$SALES_RUN_DIR/token-private.key}"
if [ ! -s "$token_key_file" ]; then
  "$build/libs/auth/sales-token" keygen --kid local-1 --out-private "$token_key_file" >/dev/null
fi
export SALES_TOKEN_PUBLIC_KEYS="${SALES_TOKEN_PUBLIC_KEYS:-$("$build/libs/auth/sales-token" public-key --private-key "$token_key_file")}"
export SALES_NATS_URL="nats://127.0.0.1:$SALES_NATS_PORT"

declare -A default_port=([gateway]=8080 [inventory]=8081 [contract]=8082 [customer]=8083 [finance]=8084 [reporting]=8085 [webhooks]=8086)
services=()
for svc in inventory contract customer finance reporting webhooks gateway; do
  [ -x "$build/services/$svc/$svc" ] && services+=("$svc")
done

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

for svc in "${services[@]}"; do
  upper="${svc^^}"
  port_var="SALES_${upper}_PORT"
  port="${!port_var:-${default_port[$svc]}}"
  export "$port_var=$port"
  only_this_service=()
  if [ "$svc" = gateway ]; then
    only_this_service=("SALES_TOKEN_PRIVATE_KEY_FILE=$token_key_file")
    # The gateway fronts the others (started before it in this loop) and writes the generated
    # password of its first administrator ("admin") to this file on its first start.
    for up in inventory contract customer finance reporting webhooks; do
      up_port_var="SALES_${up^^}_PORT"
      export "SALES_GATEWAY_${up^^}_URL=http://127.0.0.1:${!up_port_var:-${default_port[$up]}}"
    done
    export SALES_GATEWAY_ADMIN_PASSWORD_FILE="${SALES_GATEWAY_ADMIN_PASSWORD_FILE:-$SALES_RUN_DIR/admin.password}"
  fi
  # Its own database role (sales_<svc>, owner of database sales_<svc> only) and NATS user
  # (deploy/local/nats.conf), given to this service alone (docs/operations.md "Database roles
  # and NATS users").
  only_this_service+=("SALES_${upper}_DB=$("$infra" database "$svc")" "SALES_NATS_USER=$svc"
                      "SALES_NATS_PASSWORD=$("$infra" nats-password "$svc")")
  if pid_alive "$pid_dir/$svc.pid"; then
    echo "up: $svc already running (pid $(cat "$pid_dir/$svc.pid"))"
    continue
  fi
  if port_busy "$port"; then
    echo "up: port $port for $svc is in use by another program; set $port_var to a free port" >&2
    exit 1
  fi
  # Supervised (deploy/local/supervise.sh): a crashed service is started again within a
  # fraction of a second; <svc>.pid is the supervisor (down.sh stops it, and it the service),
  # <svc>.service.pid the service itself while it runs.
  nohup "$root/deploy/local/supervise.sh" "$svc" "$log_dir/$svc.log" "$pid_dir/$svc.service.pid" \
    env "${only_this_service[@]}" "$build/services/$svc/$svc" >/dev/null 2>&1 &
  echo $! >"$pid_dir/$svc.pid"
done

for svc in "${services[@]}"; do
  port_var="SALES_${svc^^}_PORT"
  port="${!port_var}"
  ready=""
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    pid_alive "$pid_dir/$svc.pid" || break
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "up: $svc did not become ready; last log lines:" >&2
    tail -n 20 "$log_dir/$svc.log" >&2
    exit 1
  fi
done

token="$("$build/libs/auth/sales-token" mint --private-key "$token_key_file" --user demo-admin --roles admin --projects '*' --ttl 3600)"
echo "$token" >"$SALES_RUN_DIR/demo-admin.token"

# Demo data (first run only): project HX01 and one demo user per role, who then do the office's
# work through the gateway (customers, subscriptions, contracts in audit, receipts...); with a
# service missing, only HX01's buildings, a few subscriptions and customers.
demo_users_file="$SALES_RUN_DIR/demo-users.txt"
if [[ " ${services[*]} " == *" inventory contract customer finance "*" gateway "* ]]; then
  python3 "$root/deploy/local/demo_data.py" "$token" "$SALES_INVENTORY_PORT" \
    --gateway "$SALES_GATEWAY_PORT" --admin-password-file "$SALES_GATEWAY_ADMIN_PASSWORD_FILE" \
    --users-file "$demo_users_file"
elif [[ " ${services[*]} " == *" inventory "* ]]; then
  contract_port=""
  customer_port=""
  [[ " ${services[*]} " == *" contract "* ]] && contract_port="$SALES_CONTRACT_PORT"
  [[ -n "$contract_port" && " ${services[*]} " == *" customer "* ]] && customer_port="$SALES_CUSTOMER_PORT"
  python3 "$root/deploy/local/demo_data.py" "$token" "$SALES_INVENTORY_PORT" $contract_port $customer_port
fi

echo
echo "Sales office back office is up:"
for svc in "${services[@]}"; do
  port_var="SALES_${svc^^}_PORT"
  printf '  %-10s http://127.0.0.1:%s   (log %s)\n' "$svc" "${!port_var}" "$log_dir/$svc.log"
done
echo "  postgres   127.0.0.1:$SALES_PG_PORT (role sales_<service> per service; administrator: $infra psql)"
echo "  nats       $SALES_NATS_URL (a user per service; monitoring http://127.0.0.1:${SALES_NATS_MONITOR_PORT:-28222}/jsz)"
echo "  passwords  $SALES_RUN_DIR/secrets (mode 600)"
echo "A demo admin token (1 h; run up.sh again for a new one) is in $SALES_RUN_DIR/demo-admin.token, e.g.:"
echo "  curl -H \"Authorization: Bearer \$(cat $SALES_RUN_DIR/demo-admin.token)\" http://127.0.0.1:${SALES_INVENTORY_PORT:-8081}/api/v1/projects"
if [[ " ${services[*]} " == *" gateway "* ]]; then
  echo "Gateway (use this): http://127.0.0.1:$SALES_GATEWAY_PORT   API docs http://127.0.0.1:$SALES_GATEWAY_PORT/docs"
  echo "  first administrator: user admin, password in $SALES_GATEWAY_ADMIN_PASSWORD_FILE (written on the"
  echo "  gateway's first start; empty database only). Log in with:"
  echo "  curl -d \"{\\\"username\\\":\\\"admin\\\",\\\"password\\\":\\\"\$(cat $SALES_GATEWAY_ADMIN_PASSWORD_FILE)\\\"}\" -H 'Content-Type: application/json' http://127.0.0.1:$SALES_GATEWAY_PORT/api/v1/auth/login"
fi
if [[ " ${services[*]} " == *" gateway "* ]]; then
  echo
  echo "================================================================================"
  echo "  Console: http://127.0.0.1:$SALES_GATEWAY_PORT/"
  if [ -s "$demo_users_file" ]; then
    echo "  demo users: $demo_users_file (username, password, roles, name; one per role), e.g."
    while IFS=$'\t' read -r user _password roles name; do
      case "$roles" in
        sales_rep|sales_control)
          if [[ " ${shown_roles:-} " != *" $roles "* ]]; then
            printf '    %-14s %-14s (%s)\n' "$roles" "$user" "$name"
            shown_roles="${shown_roles:-} $roles"
          fi ;;
      esac
    done <"$demo_users_file"
  fi
  echo "================================================================================"
fi
echo "Stop everything with deploy/local/down.sh"
