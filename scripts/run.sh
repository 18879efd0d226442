#!/usr/bin/env bash
# Set everything up, then run the web server, a Celery worker and celery beat
# in the foreground. Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/load-env.sh
PORT=${PORT:-8000}
mkdir -p .run

trap 'trap - EXIT INT TERM; kill 0 2>/dev/null; wait' EXIT INT TERM
.venv/bin/python manage.py runserver "0.0.0.0:$PORT" &
.venv/bin/celery -A config worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" &
.venv/bin/celery -A config beat --loglevel INFO --schedule .run/celerybeat-schedule &
printf '\n\033[1mServing http://127.0.0.1:%s/api/health (admin at /admin/, API docs at /api/docs/)\033[0m\n\n' "$PORT"
wait -n
