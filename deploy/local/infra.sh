#!/usr/bin/env bash
# Starts and stops the local PostgreSQL 15 and nats-server (JetStream) for the dev stack and the
# tests. Each keeps its data and PID under $SALES_RUN_DIR. Works as root (via runuser) and as a
# normal user.
#
# Least privilege (issue 11 item 9; docs/operations.md "Database roles and NATS users"):
#  - PostgreSQL: over TCP only with a SCRAM password; the administrator (postgres, superuser)
#    also through the Unix socket in its private directory (mode 0700). `infra.sh database NAME`
#    makes the role sales_NAME (no superuser, no CREATEDB/CREATEROLE) owning the database
#    sales_NAME, which no other role may connect to, and prints the service's conninfo.
#  - NATS: the users and permissions of deploy/local/nats.conf (or $SALES_NATS_CONFIG); a
#    connection without a user and password is refused.
#  - Generated passwords live in $SALES_RUN_DIR/secrets (directory 0700, files 0600).
#
# Usage: infra.sh start|stop|destroy|status|restart-postgres|start-nats|stop-nats
#        infra.sh database NAME         creates/updates role + database, prints their conninfo
#        infra.sh admin-conninfo [DB]   the administrator's conninfo (Unix socket)
#        infra.sh pg-socket             the directory of that Unix socket
#        infra.sh psql [ARGS...]        psql as the administrator (Unix socket)
#        infra.sh nats-password USER    a NATS user's password (e.g. admin)
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
nats_config="${SALES_NATS_CONFIG:-$root/deploy/local/nats.conf}"
# The users of nats.conf; each reads its password from SALES_NATS_<USER>_PASSWORD.
nats_users=(inventory contract customer finance reporting webhooks gateway property admin)
secrets="$run_dir/secrets"
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

# The secret in $secrets/$1, generated (32 hex digits) on first use.
secret() {
  local file="$secrets/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && mkdir -p "$secrets" && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$file")
  fi
  chmod 700 "$secrets"
  chmod 600 "$file"
  cat "$file"
}

pg_options() {
  echo "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" \
    "-c fsync=${SALES_PG_FSYNC:-on} -c password_encryption=scram-sha-256" \
    "-c unix_socket_permissions=0700"
}

# TCP: SCRAM passwords only. The Unix socket (in pg_dir, reachable by its owner only): the
# administrator without a password, every other role with its password.
write_pg_hba() {
  as_pg tee "$pg_dir/data/pg_hba.conf" >/dev/null <<'HBA'
# Written by deploy/local/infra.sh at every start (docs/operations.md "Database roles and NATS
# users"): no trust over TCP; the administrator through the private Unix socket only.
# TYPE  DATABASE  USER      ADDRESS         METHOD
local   all       postgres                  trust
local   all       all                       scram-sha-256
host    all       all       127.0.0.1/32    scram-sha-256
host    all       all       ::1/128         scram-sha-256
HBA
}

admin_psql() {
  as_pg_client "$pg_bin/psql" -h "$pg_dir" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

# psql runs as the invoking user; as root it reaches the socket directory of the postgres user.
as_pg_client() { (cd / && "$@"); }

# The administrator's password (for TCP: tools that cannot use the socket), set at each start.
set_admin_password() {
  local password
  password="$(secret postgres.password)"
  admin_psql -d postgres >/dev/null <<SQL
SET password_encryption = 'scram-sha-256';
ALTER ROLE postgres PASSWORD '$password';
SQL
}

# Role sales_NAME owning database sales_NAME (made, or brought in line when they exist: an older
# local stack whose tables the superuser created gets them handed to the role).
ensure_database() {
  local name="$1"
  [[ "$name" =~ ^[a-z][a-z0-9_]*$ ]] || fail "database name '$name': lower-case letters, digits and _ only"
  local role="sales_$name" db="sales_$name" password
  password="$(secret "db-$name.password")"
  pid_alive "$pg_dir/data/postmaster.pid" || fail "postgres is not running; run infra.sh start"
  admin_psql -d postgres >/dev/null <<SQL
SET password_encryption = 'scram-sha-256';
SELECT 'CREATE ROLE $role' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role')
\gexec
ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '$password';
SELECT 'CREATE DATABASE $db OWNER $role' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db')
\gexec
ALTER DATABASE $db OWNER TO $role;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
SQL
  admin_psql -d "$db" >/dev/null <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO \$\$
DECLARE
  item record;
BEGIN
  FOR item IN
    SELECT format('ALTER TABLE %s OWNER TO $role', c.oid::regclass) AS command
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       AND pg_get_userbyid(c.relowner) <> '$role'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                        AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO $role', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '$role'
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO $role', t.oid::regtype)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
       AND pg_get_userbyid(t.typowner) <> '$role'
  LOOP
    EXECUTE item.command;
  END LOOP;
END
\$\$;
SQL
  echo "host=127.0.0.1 port=$pg_port user=$role password=$password dbname=$db"
}

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
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
      || fail "initdb failed; see $pg_dir/initdb.log"
  fi
  chmod 700 "$pg_dir"
  write_pg_hba
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 30 -o "$(pg_options)" \
    start >/dev/null || fail "postgres did not start; see $pg_dir/postgres.log"
  set_admin_password
  echo "infra: postgres on 127.0.0.1:$pg_port (data $pg_dir/data; SCRAM over TCP, administrator via socket $pg_dir)"
}

stop_postgres() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    echo "infra: postgres stopped"
  fi
}

restart_postgres() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -m fast -w -t 30 restart \
    -o "$(pg_options)" >/dev/null \
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
  [ -r "$nats_config" ] || fail "NATS configuration $nats_config not found"
  mkdir -p "$nats_dir/store"
  # nats-server parses each variable as a configuration value: quoted, so that a password such
  # as "8e12..." stays a string.
  local passwords=() user
  for user in "${nats_users[@]}"; do
    passwords+=("SALES_NATS_${user^^}_PASSWORD=\"$(secret "nats-$user.password")\"")
  done
  nohup env "${passwords[@]}" "$nats_bin" -c "$nats_config" -a 127.0.0.1 -p "$nats_port" \
    -m "$nats_monitor_port" -js -sd "$nats_dir/store" >"$nats_dir/nats.log" 2>&1 &
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
  database)
    [ $# -eq 2 ] || fail "usage: infra.sh database NAME"
    ensure_database "$2"
    ;;
  admin-conninfo) echo "host=$pg_dir port=$pg_port user=postgres dbname=${2:-postgres}" ;;
  pg-socket) echo "$pg_dir" ;;
  psql) shift; admin_psql "$@" ;;
  nats-password)
    [ $# -eq 2 ] && [[ " ${nats_users[*]} " == *" $2 "* ]] || fail "usage: infra.sh nats-password inventory|contract|customer|finance|reporting|webhooks|gateway|property|admin"
    secret "nats-$2.password"
    echo
    ;;
  *) echo "usage: $0 start|stop|destroy|status|restart-postgres|start-nats|stop-nats|database NAME|admin-conninfo [DB]|pg-socket|psql [ARGS]|nats-password USER" >&2; exit 2 ;;
esac
