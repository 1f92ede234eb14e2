#!/usr/bin/env bash
# Configures (once) and builds everything with CMake + Ninja + ccache into build/ (or $SALES_BUILD_DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SALES_BUILD_DIR:-$root/build}"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${SALES_BUILD_TYPE:-RelWithDebInfo}"
fi
cmake --build "$build" -- ${SALES_NINJA_ARGS:-}
