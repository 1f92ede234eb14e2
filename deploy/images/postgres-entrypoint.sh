#!/bin/sh
# Starts PostgreSQL for the compose deployment. On every start, before it listens on the
# network: the cluster is made when the volume is empty; each service NAME with a password file
# /run/sales/db-NAME.password gets role sales_NAME (login, no other rights) owning database
# sales_NAME, which no other role may connect to; the password is (re)set from the file.
# Over the network: SCRAM passwords only. Extra arguments go to postgres (-c name=value).
set -eu
data=/var/lib/postgresql/data
secrets=/run/sales
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
pg_ctl -D "$data" -w -s -o "-c listen_addresses='' -c unix_socket_directories=/tmp" start
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
exec postgres -D "$data" -c listen_addresses='*' -c password_encryption=scram-sha-256 "$@"
