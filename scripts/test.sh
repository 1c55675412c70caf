#!/usr/bin/env bash
# `npm test`: install what the tests need, build, lint, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

# npm dependencies: install from the lock when node_modules is missing or older than the lock.
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "rtcwire: npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

npx tsc -b
npx tsc -p tsconfig.tests.json
npm run --silent lint
npx vitest run "$@"
