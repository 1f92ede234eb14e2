#!/bin/sh
# Starts PostgreSQL for the compose deployment. On every start, before it listens on the
# network: the cluster is made when the volume is empty; each service NAME with a password file
# /run/sales/db-NAME.password gets role sales_NAME (login, no other rights) owning database
# sales_NAME, which no other role may connect to; the password is (re)set from the file.
# Over the network: SCRAM passwords only. Extra arguments go to postgres (-c name=value).
# With SALES_BACKUP_HOST set (compose: the backup container, a pgBackRest repository host), the
# WAL is archived there over TLS (archive_command `pgbackrest archive-push`; archive_timeout
# SALES_BACKUP_ARCHIVE_TIMEOUT, default 60s), and a pgBackRest TLS server on port 8432 lets that
# host, and only it (the CN of its client certificate), back this cluster up. The TLS files are
# ca.crt, tls.crt and tls.key in SALES_BACKUP_TLS_DIR (default /run/sales-tls).
set -eu
data=/var/lib/postgresql/data
secrets=/run/sales
backup_host="${SALES_BACKUP_HOST:-}"
start_options=""
if [ -n "$backup_host" ]; then
  stanza=sales
  tls="${SALES_BACKUP_TLS_DIR:-/run/sales-tls}"
  archive_timeout="${SALES_BACKUP_ARCHIVE_TIMEOUT:-60s}"
  for file in ca.crt tls.crt tls.key; do
    [ -r "$tls/$file" ] || { echo "postgres-entrypoint: $tls/$file missing or unreadable by uid $(id -u) (deploy/compose/up.sh writes it)" >&2; exit 1; }
  done
  cat >/etc/pgbackrest/pgbackrest.conf <<CONF
# Written by postgres-entrypoint at each start: the database host of stanza $stanza.
[global]
repo1-host=$backup_host
repo1-host-type=tls
repo1-host-ca-file=$tls/ca.crt
repo1-host-cert-file=$tls/tls.crt
repo1-host-key-file=$tls/tls.key
compress-type=lz4
log-path=/var/log/pgbackrest
log-level-console=warn
log-level-file=off
tls-server-address=*
tls-server-auth=$backup_host=$stanza
tls-server-ca-file=$tls/ca.crt
tls-server-cert-file=$tls/tls.crt
tls-server-key-file=$tls/tls.key

[$stanza]
pg1-path=$data
CONF
  # The entrypoint's own start keeps the WAL segments it fills (CREATE DATABASE) for the server
  # below to archive, and does not archive itself: with the repository host unreachable each
  # archive-push would retry for a minute and hold up that start's stop.
  start_options="-c archive_mode=on -c archive_command=''"
  set -- -c archive_mode=on -c "archive_command=pgbackrest --stanza=$stanza archive-push %p" \
    -c "archive_timeout=$archive_timeout" "$@"
fi
if [ ! -s "$data/PG_VERSION" ]; then
  initdb -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 --auth-local=peer \
    --auth-host=scram-sha-256 >/dev/null
  echo "postgres-entrypoint: cluster created"
fi
cat >"$data/pg_hba.conf" <<'HBA'
# TYPE  DATABASE  USER      ADDRESS     METHOD
local   all       postgres              peer
host    all       all       0.0.0.0/0   scram-sha-256
host    all       all       ::/0        scram-sha-256
HBA
pg_ctl -D "$data" -w -s -o "-c listen_addresses='' -c unix_socket_directories=/tmp $start_options" start
for file in "$secrets"/db-*.password; do
  [ -f "$file" ] || continue
  name="${file##*/db-}"; name="${name%.password}"
  case "$name" in *[!a-z0-9_]*|'') echo "postgres-entrypoint: skipping $file" >&2; continue ;; esac
  password="$(cat "$file")"
  psql -h /tmp -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt -v role="sales_$name" \
    -v db="sales_$name" -v password="$password" >/dev/null <<'SQL'
SET password_encryption = 'scram-sha-256';
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', :'role', :'password')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db')
\gexec
SQL
  psql -h /tmp -U postgres -d "sales_$name" -v ON_ERROR_STOP=1 -qAt \
    -c 'REVOKE CREATE ON SCHEMA public FROM PUBLIC' >/dev/null
done
pg_ctl -D "$data" -w -s stop
if [ -n "$backup_host" ]; then
  # Detached (started again whenever it exits): its parent is then PID 1, which with compose's
  # `init: true` is catatonit, not the postmaster; a postmaster child the postmaster does not
  # know that exits with a code above 1 makes it restart every backend.
  ( (
    while :; do
      pgbackrest server || echo "postgres-entrypoint: pgbackrest server exited with code $?; starting it again in 5 s" >&2
      sleep 5
    done
  ) & )
fi
exec postgres -D "$data" -c listen_addresses='*' -c password_encryption=scram-sha-256 "$@"
