#!/usr/bin/env bash
# Lint the pages' scripts (web/static/web) and the browser tests' Node tools with ESLint, pinned in
# web/tests/node/package.json and installed by scripts/setup.sh (npm ci there).
set -euo pipefail
cd "$(dirname "$0")/.."
node_tools=web/tests/node
eslint=$node_tools/node_modules/.bin/eslint
if [ ! -x "$eslint" ]; then
  printf '\033[31mERROR: %s is missing: run scripts/setup.sh (npm ci in %s)\033[0m\n' "$eslint" "$node_tools" >&2
  exit 1
fi
exec "$eslint" --config "$node_tools/eslint.config.mjs" --max-warnings 0 web/static/web "$node_tools"
