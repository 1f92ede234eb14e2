#!/usr/bin/env bash
# Installs the Debian packages the product needs to build, run and test. Idempotent: packages
# already present are skipped, and nothing is downloaded when all are there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libnats-dev nats-server libpqxx-dev libpq-dev nlohmann-json3-dev libsodium-dev zlib1g-dev
  libxlsxwriter-dev
  libgtest-dev libgmock-dev clang-14 libclang-rt-14-dev
  postgresql-15 postgresql-client-15 postgresql-contrib pgbackrest
  curl wrk python3 procps iproute2 lsof nodejs
  chromium fonts-noto-cjk
  podman runc conmon netavark aardvark-dns iptables catatonit debootstrap podman-compose
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: done"
fi

# npm tools, project-local (tools/node_modules, pinned by tools/package-lock.json): the OpenAPI
# linter @redocly/cli, the AsyncAPI CLI @asyncapi/cli, and ajv, ajv-formats and yaml for
# tools/asyncapi-sync.mjs. Re-installed when a tool is missing or the lock file changed; never with
# install scripts (tools/.npmrc: the AsyncAPI CLI's would edit ~/.bashrc).
if ! command -v npm >/dev/null; then
  echo "install-deps: installing npm"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
tools="$(cd "$(dirname "$0")/.." && pwd)/tools"
if [ ! -x "$tools/node_modules/.bin/redocly" ] || [ ! -x "$tools/node_modules/.bin/asyncapi" ] ||
  [ "$tools/package-lock.json" -nt "$tools/node_modules/.installed" ]; then
  echo "install-deps: npm ci in tools/"
  (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null &&
    touch node_modules/.installed)
fi

# The web console's packages (web/node_modules, pinned by web/package-lock.json). Playwright
# drives Debian's chromium (above): its own browser download cannot work here.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ -f "$web/package-lock.json" ] && { [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.installed" ]; }; then
  echo "install-deps: npm ci in web/"
  (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null && touch node_modules/.installed)
fi
