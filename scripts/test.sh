#!/usr/bin/env bash
# `npm test`: install what the tests need, build, type-check, lint, then run every test.
# Unit and simulation tests run in parallel; real-peer tests (test/interop: Chromium, OpenSSL, coturn,
# ffmpeg, werift) run one file at a time so that timing-sensitive media tests do not starve for CPU.
# With arguments (`npm test -- packages/sdp`), one vitest run over just those.
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

export RTCWIRE_TEST_USE_DIST=1 # CLI tests spawn the build that tsc -b just made
if [ $# -gt 0 ]; then
  exec npx vitest run "$@"
fi

mkdir -p .tmp
status=0
npx vitest run --exclude 'test/interop/**' --reporter=default --reporter=json --outputFile=.tmp/vitest-unit.json || status=$?
npx vitest run test/interop --no-file-parallelism --reporter=default --reporter=json --outputFile=.tmp/vitest-interop.json || status=$?
node scripts/test-summary.mjs .tmp/vitest-unit.json .tmp/vitest-interop.json
exit $status
