#!/usr/bin/env bash
# Builds the project and runs every test file under dist/test with node's test runner.
# Usage: scripts/run-tests.sh [path-filter-regex]
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
filter="${1:-.}"
mapfile -t files < <(find dist/test -name '*.test.js' | sort | grep -E "$filter")
if [ "${#files[@]}" -eq 0 ]; then echo "no test files match $filter" >&2; exit 1; fi
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
exec node --test --test-concurrency=2 "${files[@]}"
