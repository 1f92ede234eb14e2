#!/usr/bin/env bash
# Builds the OCI images with podman: localhost/sales-<service>:latest (and :<git commit>) for
# every service, on localhost/sales-runtime:bookworm (Containerfile.runtime) on the base from
# base.sh. Each holds its stripped binary and SQL; the gateway's also the console (web/dist), the
# API document and sales-token. The binaries come from the host build (scripts/build.sh, same
# Debian release as the images), so no image carries a compiler. The compose deployment's
# PostgreSQL, nats-server and HAProxy images (Containerfile.postgres, .nats, .lb) are
# localhost/sales-postgres, -nats and -lb.
#   deploy/images/build.sh [image ...]     # default: all; e.g. gateway, postgres
# Prints each image's size and writes them to $SALES_BUILD_DIR/image-sizes.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/deploy/images"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
build="${SALES_BUILD_DIR:-$root/build}"
all=(inventory contract customer finance reporting webhooks gateway)
infra=(postgres nats lb)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${all[@]}" "${infra[@]}")
declare -A port=([gateway]=8080 [inventory]=8081 [contract]=8082 [customer]=8083 [finance]=8084 [reporting]=8085 [webhooks]=8086)

"$here/base.sh"
# The runtime layer is remade only when its Containerfile changes (its hash is a label).
runtime_hash="$(sha256sum "$here/Containerfile.runtime" | cut -c1-16)"
if [ "$(podman image inspect localhost/sales-runtime:bookworm --format '{{index .Labels "sales.containerfile"}}' 2>/dev/null)" != "$runtime_hash" ]; then
  podman build -q --label "sales.containerfile=$runtime_hash" -t localhost/sales-runtime:bookworm \
    -f "$here/Containerfile.runtime" "$here" >/dev/null
  echo "images: localhost/sales-runtime:bookworm built"
fi

commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo dev)"
stage_root="$(mktemp -d /var/tmp/sales-image-stage.XXXXXX)"
trap 'rm -rf "$stage_root"' EXIT
sizes="$build/image-sizes.txt"
touch "$sizes"
report_size() {  # prints the image's size and replaces its line in $sizes
  local size line
  size="$(podman image inspect "localhost/sales-$1:latest" --format '{{.Size}}')"
  line="$(awk -v s="$1" -v b="$size" 'BEGIN { printf "%-10s %6.1f MB\n", s, b / 1000000 }')"
  echo "$line"
  { grep -v "^$1 " "$sizes" || true; echo "$line"; } >"$sizes.new"
  mv "$sizes.new" "$sizes"
}
for svc in "${wanted[@]}"; do
  if [[ " ${infra[*]} " == *" $svc "* ]]; then
    podman build -q -t "localhost/sales-$svc:latest" -f "$here/Containerfile.$svc" "$here" >/dev/null
    report_size "$svc"
    continue
  fi
  [ -n "${port[$svc]:-}" ] || { echo "images: unknown image $svc (one of ${all[*]} ${infra[*]})" >&2; exit 2; }
  binary="$build/services/$svc/$svc"
  [ -x "$binary" ] || { echo "images: $binary missing: run scripts/build.sh first" >&2; exit 1; }
  context="$stage_root/$svc"
  stage="$context/stage"
  mkdir -p "$stage/bin" "$stage/migrations"
  strip --strip-unneeded -o "$stage/bin/service" "$binary"
  cp -r "$root/libs/bus/migrations" "$stage/migrations/bus"
  cp -r "$root/libs/runtime/migrations" "$stage/migrations/runtime"
  cp -r "$root/services/$svc/migrations" "$stage/migrations/$svc"
  if [ "$svc" = gateway ]; then
    [ -f "$root/web/dist/index.html" ] || { echo "images: web/dist missing: run scripts/build-web.sh first" >&2; exit 1; }
    cp -r "$root/web/dist" "$stage/web"
    cp "$root/docs/openapi.yaml" "$stage/openapi.yaml"
    strip --strip-unneeded -o "$stage/bin/sales-token" "$build/libs/auth/sales-token"
    strip --strip-unneeded -o "$stage/bin/sales-streams" "$build/libs/bus/sales-streams"
    install -m 755 "$here/stream-backup-now.sh" "$stage/bin/stream-backup-now"
  fi
  chmod -R a+rX,go-w "$stage"
  cp "$here/Containerfile" "$context/"
  podman build -q --build-arg "SERVICE=$svc" --build-arg "PORT=${port[$svc]}" \
    -t "localhost/sales-$svc:latest" -t "localhost/sales-$svc:$commit" "$context" >/dev/null
  report_size "$svc"
done
