#!/usr/bin/env bash
# Make this checkout ready to run or test: virtualenv, packages, PostgreSQL,
# Redis, database, migrations. Safe to run again; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# A development .env on first run, with a fresh secret key.
if [ ! -f .env ]; then
  say "Writing .env from .env.example (development settings)"
  secret=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
  sed "s/^SECRET_KEY=.*/SECRET_KEY=$secret/" .env.example > .env
fi
# Settings the scripts need (Django reads the rest itself).
. scripts/load-env.sh
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/letterboxd}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

# --- Python ------------------------------------------------------------------
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || die "python3 (3.11 or newer) is not installed: apt-get install python3 python3-venv"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "Python 3.11 or newer is needed; $("$PYTHON" --version) found"
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtualenv in .venv"
  "$PYTHON" -m venv .venv 2>/dev/null || {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$PYTHON" -m venv .venv
    else
      die "python3 -m venv failed: install python3-venv"
    fi
  }
fi
# requirements-dev.txt: requirements.txt (what production runs) plus the tests' and benches' tools.
stamp=.venv/.requirements.sha
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  say "Installing requirements-dev.txt (requirements.txt and the development tools)"
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi

# --- Services ----------------------------------------------------------------
url_part() { .venv/bin/python -c "import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(getattr(p, sys.argv[2]) or sys.argv[3])" "$@"; }
PG_HOST=$(url_part "$DATABASE_URL" hostname 127.0.0.1)
PG_PORT=$(url_part "$DATABASE_URL" port 5432)
REDIS_HOST=$(url_part "$REDIS_URL" hostname 127.0.0.1)
REDIS_PORT=$(url_part "$REDIS_URL" port 6379)
is_local() { case "$1" in 127.0.0.1|localhost|::1) return 0;; *) return 1;; esac; }
can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }

pg_up() { .venv/bin/python - "$DATABASE_URL" <<'PY'
import sys, psycopg2, urllib.parse as u
p = u.urlsplit(sys.argv[1])
try:
    psycopg2.connect(host=p.hostname or "127.0.0.1", port=p.port or 5432, user=u.unquote(p.username or "postgres"),
                     password=u.unquote(p.password or "") or None, dbname="postgres", connect_timeout=2).close()
except psycopg2.OperationalError as exc:
    sys.exit(str(exc).strip().splitlines()[0])
PY
}
start_postgres() {
  local version; version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  [ -n "$version" ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
}
trust_local_postgres() {
  # A PostgreSQL we installed ourselves: let local TCP connections in without a password.
  local hba; hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -1)
  sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  local version; version=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
}
if ! pg_up >/dev/null 2>&1; then
  is_local "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT is not reachable: $(pg_up 2>&1 || true)"
  if ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "Starting PostgreSQL"
    start_postgres
  elif can_install; then
    say "Installing PostgreSQL (apt-get)"
    apt_install postgresql
    start_postgres
    trust_local_postgres
  else
    die "PostgreSQL is not running and not installed: run 'sudo apt-get install postgresql' (or set DATABASE_URL)"
  fi
  for _ in $(seq 30); do pg_up >/dev/null 2>&1 && break; sleep 1; done
  pg_up >/dev/null 2>&1 || die "PostgreSQL did not come up at $PG_HOST:$PG_PORT: $(pg_up 2>&1 || true)"
fi

redis_up() { .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()" "$REDIS_URL" 2>/dev/null; }
if ! redis_up; then
  is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT is not reachable"
  if ! command -v redis-server >/dev/null; then
    can_install || die "Redis is not running and not installed: run 'sudo apt-get install redis-server' (or set REDIS_URL)"
    say "Installing Redis (apt-get)"
    apt_install redis-server
  fi
  say "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  for _ in $(seq 20); do redis_up && break; sleep 0.5; done
  redis_up || die "Redis did not come up at $REDIS_HOST:$REDIS_PORT"
fi

# --- Browser for the page tests -------------------------------------------------
# Debian's chromium, driven by Playwright in web/tests (Playwright never downloads a browser here).
if ! command -v chromium >/dev/null; then
  if can_install; then
    say "Installing Chromium for the browser tests (apt-get)"
    apt_install chromium fonts-dejavu-core
  else
    printf 'Chromium is missing: the browser tests (web/tests/test_browser.py) need it: sudo apt-get install chromium\n' >&2
  fi
fi

# Debian's Firefox ESR, driven over WebDriver BiDi by Puppeteer in web/tests/test_firefox.py: the pages'
# second engine. The Node tools (Puppeteer, axe-core; ESLint for scripts/lint-js.sh) are pinned in
# web/tests/node.
if ! command -v firefox-esr >/dev/null || ! command -v npm >/dev/null; then
  if can_install; then
    say "Installing Firefox ESR and Node.js for the Firefox test (apt-get)"
    missing=()
    command -v firefox-esr >/dev/null || missing+=(firefox-esr)
    command -v npm >/dev/null || missing+=(nodejs npm)
    apt_install "${missing[@]}"
  else
    printf 'Firefox or npm is missing: the browser tests need them: sudo apt-get install firefox-esr nodejs npm\n' >&2
  fi
fi
node_tools=web/tests/node
if command -v npm >/dev/null && [ "$(cat "$node_tools/node_modules/.lock.sha" 2>/dev/null)" != "$(sha256sum "$node_tools/package-lock.json" | cut -d' ' -f1)" ]; then
  say "Installing the browser tests' and the JS lint's Node tools (npm ci in $node_tools)"
  # puppeteer-core never downloads a browser: the Firefox test drives Debian's firefox-esr.
  (cd "$node_tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  sha256sum "$node_tools/package-lock.json" | cut -d' ' -f1 > "$node_tools/node_modules/.lock.sha"
fi

# --- Share card PNG: CairoSVG needs the cairo library and a font -----------------
has_font() { [ -n "$(find /usr/share/fonts -name '*.ttf' -print -quit 2>/dev/null)" ]; }
if ! .venv/bin/python -c "import cairosvg" >/dev/null 2>&1 || ! has_font; then
  if can_install; then
    say "Installing libcairo2 and a font for the share card's PNG (apt-get)"
    apt_install libcairo2 fonts-dejavu-core
  else
    say "card.png will answer 503 until 'sudo apt-get install libcairo2 fonts-dejavu-core' (card.svg works)"
  fi
fi

# --- Tools the tests use --------------------------------------------------------
# docker-compose validates docker-compose.yml (no engine runs here); the fault tests (-m chaos)
# start their own PostgreSQL (initdb, pg_ctl) and redis-server; config/tests/test_proxy.py and
# bench/slowclients.py run Debian's nginx with the deployment's proxy config (never as a service);
# bench/enrich.py --busy saturates the cores with stress-ng.
if can_install; then
  missing=()
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
  command -v stress-ng >/dev/null || missing+=(stress-ng)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]} (apt-get)"
    apt_install "${missing[@]}"
  fi
fi

# --- Database ----------------------------------------------------------------
.venv/bin/python - "$DATABASE_URL" <<'PY'
import sys, psycopg2, urllib.parse as u
from psycopg2 import sql
p = u.urlsplit(sys.argv[1])
name = u.unquote(p.path.lstrip("/")) or "letterboxd"
conn = psycopg2.connect(host=p.hostname or "127.0.0.1", port=p.port or 5432, user=u.unquote(p.username or "postgres"),
                        password=u.unquote(p.password or "") or None, dbname="postgres")
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if not cur.fetchone():
        print(f"==> Creating database {name}")
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
conn.close()
PY
.venv/bin/python manage.py migrate --noinput -v 0
say "Ready: PostgreSQL $PG_HOST:$PG_PORT, Redis $REDIS_HOST:$REDIS_PORT"
