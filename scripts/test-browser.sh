#!/usr/bin/env bash
# The web console's browser tests (web/e2e, Playwright driving Debian's chromium): starts the
# whole system with its demo data through deploy/local/up.sh under .run/e2e (fresh each run, own
# ports), runs the tests through the gateway and stops everything. Screenshots of every main
# screen end up in web/test-results/screens/, the HTML report in web/playwright-report/.
# Extra arguments go to `playwright test` (e.g. a file name, --grep).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

export SALES_RUN_DIR="${SALES_E2E_RUN_DIR:-$root/.run/e2e}"
export SALES_PG_PORT="${SALES_E2E_PG_PORT:-28432}"
export SALES_NATS_PORT="${SALES_E2E_NATS_PORT:-28322}"
export SALES_NATS_MONITOR_PORT="${SALES_E2E_NATS_MONITOR_PORT:-28922}"
export SALES_GATEWAY_PORT="${SALES_E2E_GATEWAY_PORT:-18080}"
export SALES_INVENTORY_PORT=18081 SALES_CONTRACT_PORT=18082 SALES_CUSTOMER_PORT=18083 SALES_FINANCE_PORT=18084 SALES_REPORTING_PORT=18085 SALES_WEBHOOKS_PORT=18086
export SALES_PG_FSYNC=off
# Every test logs in its own users from 127.0.0.1: the per-address login limits of a real
# office (docs/operations.md "Login protection") would throttle the suite.
export SALES_GATEWAY_LOGIN_ADDRESS_PER_MINUTE=100000 SALES_GATEWAY_LOGIN_PER_SECOND=1000
export SALES_GATEWAY_LOGIN_USER_ADDRESS_PER_MINUTE=1000
# Two browsers log in at once in the live-board test while the API helpers log in users: more
# password workers than the default 1 (with 8 queued).
export SALES_GATEWAY_LOGIN_WORKERS=2
export SALES_GATEWAY_RATE_IP_BURST=100000 SALES_GATEWAY_RATE_IP_PER_SECOND=100000
export SALES_GATEWAY_RATE_USER_BURST=100000 SALES_GATEWAY_RATE_USER_PER_SECOND=100000

"$root/deploy/local/down.sh" --clean >/dev/null 2>&1 || true
trap '"$root/deploy/local/down.sh" >/dev/null 2>&1 || true' EXIT
mkdir -p "$SALES_RUN_DIR"
if ! "$root/deploy/local/up.sh" >"$SALES_RUN_DIR/up.log" 2>&1; then
  tail -n 40 "$SALES_RUN_DIR/up.log" >&2
  exit 1
fi
echo "test-browser: system up at http://127.0.0.1:$SALES_GATEWAY_PORT"

# Supervision (deploy/local/supervise.sh): a service killed with SIGKILL is started again and
# ready within 5 s, with a log line saying so.
victim_pid="$(cat "$SALES_RUN_DIR/pids/customer.service.pid")"
killed_at=$(date +%s%N)
kill -KILL "$victim_pid"
back=""
for _ in $(seq 1 100); do
  pid_now="$(cat "$SALES_RUN_DIR/pids/customer.service.pid" 2>/dev/null || true)"
  if [ -n "$pid_now" ] && [ "$pid_now" != "$victim_pid" ] &&
    curl -fsS "http://127.0.0.1:$SALES_CUSTOMER_PORT/readyz" >/dev/null 2>&1; then
    back=1
    break
  fi
  sleep 0.05
done
ready_ms=$(( ($(date +%s%N) - killed_at) / 1000000 ))
if [ -z "$back" ] || [ "$ready_ms" -gt 5000 ] ||
  ! grep -q '"msg":"service exited; starting it again"' "$SALES_RUN_DIR/logs/customer.log"; then
  echo "test-browser: customer killed with SIGKILL was not back and ready within 5 s (${ready_ms} ms)" >&2
  exit 1
fi
echo "test-browser: customer killed with SIGKILL was ready again after ${ready_ms} ms"

cd "$root/web"
SALES_CONSOLE_URL="http://127.0.0.1:$SALES_GATEWAY_PORT" \
  SALES_ADMIN_PASSWORD_FILE="$SALES_RUN_DIR/admin.password" \
  SALES_DEMO_PASSWORD_FILE="$SALES_RUN_DIR/demo-users.txt" \
  npx playwright test "$@"
