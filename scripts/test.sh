#!/usr/bin/env bash
# Every test of the platform, as `npm test` runs it on a fresh machine:
#   1. type check, lint, module boundaries and import cycles;  2. unit and API tests on an embedded PostgreSQL server started for the run;
#   3. the API tests again on PostgreSQL when TEST_DATABASE_URL is set;  4. browser journeys in headless Chromium.
# Ends with one line "Tests: N passed, N failed" summing every suite.
set -uo pipefail
cd "$(dirname "$0")/.."
results_dir=$(mktemp -d)
failed_steps=()

step() { echo; echo "━━ $1"; }

step "Type check (tsc --noEmit)"
npx tsc --noEmit || failed_steps+=("typecheck")

step "Lint and format (biome)"
npx biome check . || failed_steps+=("lint")

step "Module boundaries and import cycles (dependency-cruiser: .dependency-cruiser.cjs, .dependency-cruiser-web.cjs)"
{ npx depcruise src --config .dependency-cruiser.cjs --output-type err \
    && npx depcruise src --config .dependency-cruiser-web.cjs --output-type err; } || failed_steps+=("module boundaries")

step "Unit and API tests — embedded PostgreSQL server"
env -u TEST_DATABASE_URL npx vitest run --reporter=default --reporter=json --outputFile.json="$results_dir/embedded.json" \
  || failed_steps+=("vitest (embedded)")

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "API tests — PostgreSQL ($TEST_DATABASE_URL)"
  npx vitest run tests/api --reporter=default --reporter=json --outputFile.json="$results_dir/postgres.json" \
    || failed_steps+=("vitest (postgres)")
else
  echo; echo "(TEST_DATABASE_URL not set: the API suite ran on the embedded database only)"
fi

step "Browser journeys (headless Chromium)"
npx tsx tests/e2e/ensure-chromium.ts && npm run -s test:e2e -- --reporter=default --reporter=json --outputFile.json="$results_dir/e2e.json" \
  || failed_steps+=("browser tests")

node -e '
  const fs = require("fs"); const dir = process.argv[1];
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(dir)) {
    const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests;
  }
  console.log(`\nTests: ${passed} passed, ${failed} failed`);
' "$results_dir"
rm -rf "$results_dir"

if ((${#failed_steps[@]})); then
  echo "FAILED: ${failed_steps[*]}"
  exit 1
fi
echo "All checks passed."
