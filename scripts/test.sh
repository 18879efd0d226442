#!/usr/bin/env bash
# Set everything up, then lint and run the whole test suite against the real
# PostgreSQL and Redis. Extra arguments go to pytest (and skip the fault tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
# The import contract (.importlinter): one direction between the apps; models never import views or tasks.
.venv/bin/lint-imports --no-cache
scripts/lint-js.sh
.venv/bin/python manage.py makemigrations --check --dry-run -v 0
if [ $# -gt 0 ]; then
  exec .venv/bin/pytest "$@"
fi
.venv/bin/pytest
# The fault tests (enrichment/tests/faults/): each breaks a private PostgreSQL, Redis or worker; a few minutes.
.venv/bin/pytest -m chaos enrichment/tests/faults
