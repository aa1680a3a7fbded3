#!/usr/bin/env bash
# Builds the project and runs every test file under dist/test with node's test runner.
# Usage: scripts/run-tests.sh [path-filter-regex]
# TAP goes to stdout as the run goes. When a test fails, its details and then one line per
# failing test are printed last, so the end of a long log (often all a CI view keeps) names them.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
filter="${1:-.}"
mapfile -t files < <(find dist/test -name '*.test.js' | sort | grep -E "$filter")
if [ "${#files[@]}" -eq 0 ]; then echo "no test files match $filter" >&2; exit 1; fi
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
status=0
node --test --test-concurrency=2 \
  --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=spec --test-reporter-destination="$summary" \
  "${files[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "# ---- failing tests, in detail ----"
  sed -n '/failing tests:/,$p' "$summary" | head -c 60000
  echo "# ---- failing tests ----"
  awk '/failing tests:/ { on = 1 } on && /^test at / { at = $3 } on && /^✖ / && at { sub(/^✖ /, ""); print "# FAILED " at " — " $0; at = "" }' "$summary"
fi
exit "$status"
