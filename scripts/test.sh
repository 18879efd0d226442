#!/usr/bin/env bash
# Set everything up, then lint and run the whole test suite against the real
# PostgreSQL and Redis. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run -v 0
exec .venv/bin/pytest "$@"
