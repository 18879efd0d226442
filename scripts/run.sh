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
if [ -z "${TMDB_API_KEY:-}" ]; then
  # No key: enrich against the bundled TMDB stand-in, which invents a film for any title.
  TMDB_FAKE_PORT=${TMDB_FAKE_PORT:-8765}
  export TMDB_API_KEY=fake-tmdb-key TMDB_API_BASE_URL="http://127.0.0.1:$TMDB_FAKE_PORT/3"
  .venv/bin/python manage.py fake_tmdb --port "$TMDB_FAKE_PORT" --invent-missing &
  printf '\n\033[1;33m%s\n%s\n%s\033[0m\n\n' \
    '*** TMDB_API_KEY is not set: enrichment uses a FAKE, local TMDB stand-in ***' \
    "*** on port $TMDB_FAKE_PORT. Its films, genres and directors are INVENTED.   ***" \
    '*** Set TMDB_API_KEY (in .env or the environment) to use the real TMDB.    ***'
fi
.venv/bin/python manage.py runserver "0.0.0.0:$PORT" &
.venv/bin/celery -A config worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" &
.venv/bin/celery -A config beat --loglevel INFO --schedule .run/celerybeat-schedule &
printf '\n\033[1mOpen http://127.0.0.1:%s/ (API docs at /api/docs/, admin at /admin/)\033[0m\n\n' "$PORT"
wait -n
