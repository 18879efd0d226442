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
# Most tests wait (on a Celery worker, the TMDB stand-in, PostgreSQL, a subprocess), so two processes
# (pytest-xdist) overlap well even on 2 cores. Each has its own test database (pytest-django adds
# _gw0, _gw1) and its own Redis database (config/redis_claim.py): neither purges the other's broker.
.venv/bin/pytest -n "${TEST_PROCESSES:-2}" --dist loadgroup -m "not chaos and not browser and not serial"
# Alone, after them: the browsers (Chromium and Firefox with a live server and a worker each, the
# heaviest on 2 cores, with 15 s waits for what a page shows) and the tests that compare a timing
# against the same measurement without load (the proxy's p99), which another process's load would skew.
.venv/bin/pytest -m "browser or serial"
# The fault tests (enrichment/tests/faults/): each breaks a private PostgreSQL, Redis or worker; a few minutes.
.venv/bin/pytest -m chaos enrichment/tests/faults
