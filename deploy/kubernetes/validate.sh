#!/usr/bin/env bash
# Validates the Kubernetes manifests offline (docs/operations.md "Kubernetes"), in seconds:
#  - renders base, overlays/dev and overlays/prod with `kubectl kustomize` (any kubectl from 1.20
#    on: the kustomizations use only what kubectl 1.20's kustomize v2.0.3 understands);
#  - validate.mjs checks every rendered object against the vendored JSON schemas (Kubernetes 1.34
#    and the CloudNativePG / Barman Cloud CRDs, strict) and the rules of this deployment
#    (security settings, probes, resources, references between objects);
#  - the NATS users and permissions are the same file as deploy/local/nats.conf, and nats-server
#    accepts the rendered configuration (when nats-server is installed);
#  - self-test: the broken overlay tests/broken must be refused with exactly the problems listed
#    in tests/broken/expected.txt, so a validator that passes everything fails the run.
# Needs node with tools/node_modules (scripts/install-deps.sh) and kubectl; without kubectl on
# PATH (or $SALES_KUBECTL), Debian's kubernetes-client package is unpacked under .run/kubectl
# (apt-get download: no root, and no clash with another kubectl package).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
started=$(date +%s%N)

kubectl="${SALES_KUBECTL:-}"
if [ -z "$kubectl" ]; then
  kubectl="$(command -v kubectl || true)"
fi
if [ -z "$kubectl" ]; then
  cache="$root/.run/kubectl"
  kubectl="$cache/usr/bin/kubectl"
  if [ ! -x "$kubectl" ]; then
    echo "validate: no kubectl; unpacking Debian's kubernetes-client into $cache"
    mkdir -p "$cache"
    (cd "$cache" && rm -f kubernetes-client_*.deb && apt-get download -q kubernetes-client >/dev/null &&
      dpkg-deb -x kubernetes-client_*.deb . && rm -f kubernetes-client_*.deb)
  fi
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

render() {
  # kustomize's deprecation notes (bases, patchesStrategicMerge) go to stderr: kept out of the
  # log unless rendering fails.
  if ! "$kubectl" kustomize "$here/$1" >"$out/$2.yaml" 2>"$out/$2.err"; then
    echo "validate: kubectl kustomize $1 failed:" >&2
    cat "$out/$2.err" >&2
    exit 1
  fi
}
render base base
render overlays/dev dev
render overlays/prod prod
render tests/broken broken

node "$here/validate.mjs" "base=$out/base.yaml" "dev=$out/dev.yaml" "prod=$out/prod.yaml"

# The self-test: the broken overlay fails, with the expected problems and no others.
if node "$here/validate.mjs" "broken=$out/broken.yaml" >"$out/broken.txt"; then
  echo "validate: the broken overlay tests/broken passed validation; the validator is not working" >&2
  exit 1
fi
if ! diff <(tail -n +2 "$out/broken.txt" | sed 's/^  //') "$here/tests/broken/expected.txt" >"$out/broken.diff"; then
  echo "validate: tests/broken was refused, but not with tests/broken/expected.txt's problems:" >&2
  cat "$out/broken.diff" >&2
  exit 1
fi
echo "kubernetes: broken overlay refused as expected ($(wc -l <"$here/tests/broken/expected.txt") problems)"

# NATS: the same users and permissions as the local stack, and a configuration nats-server takes.
if ! cmp -s "$here/base/nats/auth.conf" "$root/deploy/local/nats.conf"; then
  echo "validate: deploy/kubernetes/base/nats/auth.conf differs from deploy/local/nats.conf;" \
    "copy it (cp deploy/local/nats.conf deploy/kubernetes/base/nats/auth.conf)" >&2
  exit 1
fi
nats_server="$(command -v nats-server || true)"
[ -n "$nats_server" ] || [ ! -x /usr/sbin/nats-server ] || nats_server=/usr/sbin/nats-server
if [ -n "$nats_server" ]; then
  mkdir -p "$out/nats"
  node -e '
    const fs = require("fs");
    const YAML = require(process.argv[1]);
    const cm = YAML.parseAllDocuments(fs.readFileSync(process.argv[2], "utf8")).map((d) => d.toJS())
      .find((o) => o && o.kind === "ConfigMap" && o.metadata.name.startsWith("nats-config"));
    for (const [file, text] of Object.entries(cm.data)) fs.writeFileSync(process.argv[3] + "/" + file, text);
  ' "$root/tools/node_modules/yaml" "$out/prod.yaml" "$out/nats"
  passwords=(NATS_SERVER_NAME=nats-0)
  for user in inventory contract customer finance reporting webhooks gateway property admin; do
    passwords+=("SALES_NATS_${user^^}_PASSWORD=\"placeholder\"")
  done
  if ! (cd "$out/nats" && env "${passwords[@]}" "$nats_server" -c "$out/nats/nats.conf" -t >"$out/nats.log" 2>&1); then
    echo "validate: nats-server refuses the rendered nats.conf:" >&2
    cat "$out/nats.log" >&2
    exit 1
  fi
  echo "kubernetes: nats-server accepts the rendered nats.conf"
fi

version="$("$kubectl" version --client -o json 2>/dev/null | grep -o '"gitVersion": *"[^"]*"' | head -n1 | cut -d'"' -f4)"
echo "kubernetes: manifests valid (kubectl $version; $(( ($(date +%s%N) - started) / 1000000 )) ms)"
