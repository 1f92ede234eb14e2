#!/usr/bin/env bash
# Installs the Debian packages the product needs to build, run and test. Idempotent: packages
# already present are skipped, and nothing is downloaded when all are there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libnats-dev nats-server libpqxx-dev libpq-dev nlohmann-json3-dev libsodium-dev
  libjwt-dev libgtest-dev libgmock-dev
  postgresql-15 postgresql-client-15 postgresql-contrib
  curl wrk python3 procps iproute2 lsof
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
