#!/usr/bin/env bash
# Configures (once) and builds with CMake + Ninja + ccache into build/ (or $SALES_BUILD_DIR).
# Arguments are build targets (default: everything). Concurrent calls on one build directory
# wait for each other (the machine has two cores; two builds at once only slow both down).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SALES_BUILD_DIR:-$root/build}"
mkdir -p "$build"
exec 9>"$build/.build.lock"
flock 9
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${SALES_BUILD_TYPE:-RelWithDebInfo}"
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build" "${targets[@]}" -- ${SALES_NINJA_ARGS:-}
