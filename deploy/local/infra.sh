#!/usr/bin/env bash
# Starts and stops the local PostgreSQL 15 and nats-server (JetStream) for the dev stack and the
# tests. Each keeps its data and PID under $SALES_RUN_DIR. Works as root (via runuser) and as a
# normal user. Usage: infra.sh start|stop|destroy|status|restart-postgres|stop-nats|start-nats
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
run_dir="${SALES_RUN_DIR:-$root/.run/local}"
# Default ports sit below the kernel's ephemeral range (32768+): a busy machine's outgoing
# connections can otherwise occupy them and make a start fail with "address already in use".
pg_port="${SALES_PG_PORT:-25432}"
nats_port="${SALES_NATS_PORT:-24222}"
nats_monitor_port="${SALES_NATS_MONITOR_PORT:-28222}"
pg_bin="${SALES_PG_BIN:-/usr/lib/postgresql/15/bin}"

nats_dir="$run_dir/nats"
mkdir -p "$run_dir"

# As root, PostgreSQL runs as the postgres user, which must be able to reach its data directory.
# A clone under a home of mode 700 (root's own, where a newcomer clones first) is out of its
# reach: then the data lives under /var/tmp, named after the run directory, and
# $run_dir/postgres.location says where.
pg_dir="$run_dir/postgres"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$run_dir" 2>/dev/null; then
  pg_dir="/var/tmp/sales-postgres-$(printf '%s' "$run_dir" | md5sum | cut -c1-12)"
  echo "$pg_dir" >"$run_dir/postgres.location"
fi

as_pg() {
  # From /: the postgres user may not be allowed into the current directory.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() {
  [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null
}

fail() { echo "infra: $*" >&2; exit 1; }

start_postgres() {
  if pid_alive "$pg_dir/data/postmaster.pid"; then
    echo "infra: postgres already running on 127.0.0.1:$pg_port"
    return
  fi
  port_busy "$pg_port" && fail "port $pg_port is in use by another program; set SALES_PG_PORT to a free port"
  [ -x "$pg_bin/initdb" ] || fail "PostgreSQL 15 not found in $pg_bin; run scripts/install-deps.sh"
  mkdir -p "$pg_dir"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$pg_dir"; fi
  [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -w "$pg_dir" \
    || fail "the postgres user cannot write to $pg_dir; put the clone where it can, or run as a normal user"
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
      || fail "initdb failed; see $pg_dir/initdb.log"
  fi
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 30 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${SALES_PG_FSYNC:-on}" \
    start >/dev/null || fail "postgres did not start; see $pg_dir/postgres.log"
  echo "infra: postgres on 127.0.0.1:$pg_port (data $pg_dir/data)"
}

stop_postgres() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    echo "infra: postgres stopped"
  fi
}

restart_postgres() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -m fast -w -t 30 restart \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${SALES_PG_FSYNC:-on}" >/dev/null \
    || fail "postgres did not restart; see $pg_dir/postgres.log"
}

start_nats() {
  if pid_alive "$nats_dir/nats.pid"; then
    echo "infra: nats-server already running on 127.0.0.1:$nats_port"
    return
  fi
  port_busy "$nats_port" && fail "port $nats_port is in use by another program; set SALES_NATS_PORT to a free port"
  port_busy "$nats_monitor_port" && fail "port $nats_monitor_port is in use; set SALES_NATS_MONITOR_PORT to a free port"
  # Debian installs nats-server in /usr/sbin, which a normal user's PATH often lacks.
  local nats_bin
  nats_bin="$(command -v nats-server || true)"
  [ -n "$nats_bin" ] || nats_bin=/usr/sbin/nats-server
  [ -x "$nats_bin" ] || fail "nats-server not found; run scripts/install-deps.sh"
  mkdir -p "$nats_dir/store"
  nohup "$nats_bin" -a 127.0.0.1 -p "$nats_port" -m "$nats_monitor_port" -js -sd "$nats_dir/store" \
    >"$nats_dir/nats.log" 2>&1 &
  echo $! >"$nats_dir/nats.pid"
  for _ in $(seq 1 100); do
    port_busy "$nats_port" && { echo "infra: nats-server on 127.0.0.1:$nats_port (monitor :$nats_monitor_port)"; return; }
    pid_alive "$nats_dir/nats.pid" || fail "nats-server exited; see $nats_dir/nats.log"
    sleep 0.1
  done
  fail "nats-server did not listen on $nats_port within 10 s; see $nats_dir/nats.log"
}

stop_nats() {
  if pid_alive "$nats_dir/nats.pid"; then
    pid="$(cat "$nats_dir/nats.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "infra: nats-server stopped"
  fi
  rm -f "$nats_dir/nats.pid"
}

case "${1:-}" in
  start) start_postgres; start_nats ;;
  stop) stop_nats; stop_postgres ;;
  # Stops both and deletes their data (and the run directory): the tests start from nothing.
  destroy) stop_nats; stop_postgres; rm -rf "$pg_dir" "$run_dir" ;;
  restart-postgres) restart_postgres ;;
  start-nats) start_nats ;;
  stop-nats) stop_nats ;;
  status)
    pid_alive "$pg_dir/data/postmaster.pid" && echo "postgres: running on $pg_port" || echo "postgres: stopped"
    pid_alive "$nats_dir/nats.pid" && echo "nats: running on $nats_port" || echo "nats: stopped"
    ;;
  *) echo "usage: $0 start|stop|destroy|status|restart-postgres|start-nats|stop-nats" >&2; exit 2 ;;
esac
