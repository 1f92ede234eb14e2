#!/usr/bin/env bash
# Builds the web console into web/dist (the gateway serves it): generates the API types from
# docs/openapi.yaml, type-checks (vue-tsc, strict) and bundles with Vite, then writes a gzip copy
# of each text asset beside it (the gateway sends those to browsers that accept gzip).
set -euo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)/web"
cd "$web"
npm run --silent build
find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \) \
  -exec gzip -9 -k -f {} \;
echo "build-web: $(find dist/assets -name '*.js' | wc -l) scripts in web/dist"
