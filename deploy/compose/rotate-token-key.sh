#!/usr/bin/env bash
# Rotates the token signing key of the compose deployment (docs/operations.md "Token keys"),
# without any valid token being refused early:
#   rotate-token-key.sh start NEW_KID   new key pair; every service accepts both keys (rolling
#                                       restart of all); then the gateways sign with the new one
#   rotate-token-key.sh finish          after the longest access-token lifetime: the old public
#                                       key is dropped everywhere (rolling restart) and deleted
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/deploy/images/containers.conf}"
run="${SALES_COMPOSE_RUN:-$root/.run/compose}"
build="${SALES_BUILD_DIR:-$root/build}"
token="$build/libs/auth/sales-token"
source "$root/deploy/compose/lib.sh"
keys="$run/token-public-keys"
gateway_key="$run/secrets/gateway/token-private.key"

publish_public_keys() {  # copies $keys into every service's secrets
  for svc in "${all_services[@]}"; do
    install -m 600 -o 10001 -g 10001 "$keys" "$run/secrets/$svc/token-public-keys"
  done
}

case "${1:-}" in
  start)
    kid="${2:?usage: $0 start NEW_KID}"
    [ ! -s "$run/token-private.key.next" ] || { echo "rotate: a rotation is under way; finish it first" >&2; exit 1; }
    "$token" keygen --kid "$kid" --out-private "$run/token-private.key.next" >/dev/null
    old_public="$("$token" public-key --private-key "$gateway_key")"
    new_public="$("$token" public-key --private-key "$run/token-private.key.next")"
    (umask 077 && echo "$old_public,$new_public" >"$keys")
    publish_public_keys
    "$root/deploy/compose/rolling.sh" all
    cp "$gateway_key" "$run/token-private.key.previous"
    install -m 600 -o 10001 -g 10001 "$run/token-private.key.next" "$gateway_key"
    rm -f "$run/token-private.key.next"
    "$root/deploy/compose/rolling.sh" gateway
    echo "rotate: every service accepts ${old_public%%:*} and $kid; the gateways sign with $kid."
    echo "rotate: after the longest access-token lifetime, run: $0 finish"
    ;;
  finish)
    [ -s "$run/token-private.key.previous" ] || { echo "rotate: no rotation under way" >&2; exit 1; }
    (umask 077 && "$token" public-key --private-key "$gateway_key" >"$keys")
    publish_public_keys
    "$root/deploy/compose/rolling.sh" all
    shred -u "$run/token-private.key.previous" 2>/dev/null || rm -f "$run/token-private.key.previous"
    echo "rotate: only $(cut -d: -f1 "$keys") is accepted now; the old private key is deleted."
    ;;
  *) echo "usage: $0 start NEW_KID | finish" >&2; exit 2 ;;
esac
