"""A whole deployment on private processes, to break on purpose: fault tests and bench/chaos.py.

`Stack` starts its own PostgreSQL (a throw-away data directory, initdb/pg_ctl), its own
redis-server (nothing kept on disk, as in production), the TMDB stand-in, gunicorn, celery beat
and a prefork Celery worker, all on ports of its own, never the shared PostgreSQL and Redis.
`Run` uploads an export over HTTP, polls its status the way the SPA does (counting every
non-2xx answer), and can inject a fault: kill the worker, restart Redis, restart PostgreSQL.
"""

import contextlib
import csv
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from enrichment.tests.faults.processes import (
    BIN,
    ROOT,
    PrivatePostgres,
    Service,
    answers_http,
    children_of,
    port_open,
)


class Stack:
    """PostgreSQL, Redis, the TMDB stand-in, gunicorn, beat and a worker on ports base_port .. base_port+3."""

    def __init__(
        self, base_port, worker_processes=4, tmdb_limit="40/10", tmdb_size=3000, tmdb_error_rate=0.0
    ):
        self.pg_port, self.redis_port, self.tmdb_port, self.web_port = range(base_port, base_port + 4)
        self.worker_processes = worker_processes
        self.tmdb_limit, self.tmdb_size = tmdb_limit, tmdb_size
        self.directory = Path(tempfile.mkdtemp(prefix=f"chaos-{base_port}-"))
        self.directory.chmod(0o755)  # PostgreSQL's own user reaches its data directory inside
        self.postgres = PrivatePostgres(self.pg_port, self.directory / "postgres")
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.env = self._environment()
        self.redis = self._service(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            lambda: port_open(self.redis_port),
        )
        requests_per, seconds = self.tmdb_limit.split("/")
        self.tmdb = self._service(
            "tmdb",
            [
                str(BIN / "python"),
                "manage.py",
                "fake_tmdb",
                "--port",
                str(self.tmdb_port),
                "--size",
                str(tmdb_size),
            ]
            + ["--limit", requests_per, "--window", seconds, "--error-rate", str(tmdb_error_rate)],
            lambda: answers_http(f"http://127.0.0.1:{self.tmdb_port}/__stats"),
        )
        self.web = self._service(
            "web",
            [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}"]
            + ["--workers", "2", "--threads", "4", "--timeout", "30"],
            lambda: answers_http(f"{self.web_url}/api/health"),
        )
        self.worker = self._service(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "--pool", "prefork", "-c", str(worker_processes)]
            + ["--loglevel", "INFO", "-n", f"chaos{base_port}@%h"],
            self._worker_answers,
        )
        self.beat = self._service(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO"]
            + ["--schedule", str(self.directory / "beat-schedule")],
            lambda: True,
        )

    def _environment(self):
        from enrichment.standin.server import DEFAULT_API_KEY

        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DJANGO_ENV_FILE="",  # the environment only: never a developer's .env
            DEBUG="false",
            SECRET_KEY="chaos-only-secret-key",
            SECURE_SSL_REDIRECT="false",
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=self.postgres.url,
            REDIS_URL=redis_url,
            CELERY_BROKER_URL=redis_url,
            CELERY_RESULT_BACKEND=redis_url,
            TMDB_API_BASE_URL=f"http://127.0.0.1:{self.tmdb_port}/3",
            TMDB_API_KEY=DEFAULT_API_KEY,
            TMDB_RATE_LIMIT=self.tmdb_limit,
            API_READ_RATE_LIMIT="100000/60",
            LOG_LEVEL="INFO",
        )
        return env

    def _service(self, name, command, ready):
        return Service(name, command, self.env, ready, self.directory)

    def _worker_answers(self):
        result = subprocess.run(
            [str(BIN / "celery"), "-A", "config", "inspect", "ping", "--timeout", "2"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=30,
        )
        return result.returncode == 0

    def start(self):
        self.postgres.create()
        self.redis.start()
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
            timeout=300,
        )
        for service in (self.tmdb, self.web, self.worker, self.beat):
            service.start()
        return self

    def stop(self):
        for service in (self.beat, self.worker, self.web, self.tmdb, self.redis):
            service.stop()
        with contextlib.suppress(subprocess.CalledProcessError):  # already down
            self.postgres.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    # --- Faults: each returns when the broken part is back -------------------------

    def kill_worker(self, down_seconds):
        self.worker.kill()
        time.sleep(down_seconds)
        self.worker.start()

    def kill_worker_child(self, down_seconds=0):
        """kill -9 of one pool process: the worker's main process starts another at once."""
        os.kill(children_of(self.worker.process.pid)[0], signal.SIGKILL)
        time.sleep(down_seconds)

    def restart_redis(self, down_seconds):
        self.redis.kill()  # keeps nothing on disk: the queue and results are gone
        time.sleep(down_seconds)
        self.redis.start()

    def restart_postgres(self, down_seconds):
        self.postgres.stop(mode="immediate")
        time.sleep(down_seconds)
        self.postgres.start()

    def catalog_export(self, films, first=0):
        """watched.csv naming `films` catalog films of the stand-in, from the `first`-th on."""
        from enrichment.standin.catalog import generate_catalog, letterboxd_row

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["Date", "Name", "Year", "Letterboxd URI"])
        for index, film in enumerate(generate_catalog(7, self.tmdb_size)[first : first + films]):
            title, year = letterboxd_row(film)
            writer.writerow(["2024-01-01", title, year, f"https://boxd.it/chaos{first + index}"])
        return buffer.getvalue().encode()


@dataclass
class Sample:
    at: float  # seconds since the upload
    code: int | None  # None: no answer (connection refused, timeout)
    processed: int | None
    status: str | None


@dataclass
class Run:
    """One session of `films` catalog films, from upload to completion, polled every `interval` s."""

    stack: Stack
    films: int
    first: int = 0
    interval: float = 0.5
    samples: list = field(default_factory=list)
    session_id: str = ""
    fault_at: float | None = None
    back_at: float | None = None

    def upload(self):
        response = requests.post(
            f"{self.stack.web_url}/api/upload",
            files={"files": ("watched.csv", self.stack.catalog_export(self.films, self.first), "text/csv")},
            timeout=60,
        )
        response.raise_for_status()
        self.session_id = response.json()["session_id"]
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, daemon=True)
        self._poller.start()
        return self

    def _poll(self):
        url = f"{self.stack.web_url}/api/session/{self.session_id}/status"
        while not self._stop.is_set():
            at = self.elapsed()
            try:
                response = requests.get(url, timeout=10)
            except requests.RequestException:
                self.samples.append(Sample(at, None, None, None))
            else:
                body = response.json() if response.ok else {}
                self.samples.append(
                    Sample(at, response.status_code, body.get("processed_count"), body.get("status"))
                )
            self._stop.wait(self.interval)

    def elapsed(self):
        return time.monotonic() - self.started

    def processed(self):
        known = [sample.processed for sample in self.samples if sample.processed is not None]
        return known[-1] if known else 0

    def wait_for_progress(self, at_least, timeout):
        deadline = time.monotonic() + timeout
        while self.processed() < at_least and time.monotonic() < deadline:
            time.sleep(0.2)
        return self.processed() >= at_least

    def inject(self, fault, down_seconds):
        """Break a part (Stack.kill_worker, restart_redis, restart_postgres) and bring it back."""
        self.fault_at = self.elapsed()
        fault(down_seconds)
        self.back_at = self.elapsed()
        # From the database, not the last poll: films finished just before the fault are no progress.
        self.processed_when_back = sum(self.stored()["counters"].values())

    def recovery_seconds(self):
        """From the fault to the first poll, once the part is back, showing progress; None if never."""
        for sample in self.samples:
            if sample.at > self.back_at and (sample.processed or 0) > self.processed_when_back:
                return sample.at - self.fault_at
        return None

    def wait_until_completed(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.samples and self.samples[-1].status == "completed":
                break
            time.sleep(0.2)
        self._stop.set()
        self._poller.join(timeout=15)
        completed = bool(self.samples) and self.samples[-1].status == "completed"
        return self.samples[-1].at if completed else None

    def answers(self):
        """How often each answer came: {200: 170, 503: 12, None: 3} (None: no answer at all)."""
        counts = {}
        for sample in self.samples:
            counts[sample.code] = counts.get(sample.code, 0) + 1
        return counts

    def stored(self):
        """What PostgreSQL holds for the session: its counters, and its movies counted by outcome."""
        with self.stack.postgres.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, total_movies, enriched_count, not_found_count, failed_count"
                " FROM upload_sessions_session WHERE id = %s",
                [self.session_id],
            )
            status, total, enriched, not_found, failed = cursor.fetchone()
            cursor.execute(
                "SELECT enrichment_status, count(*), count(DISTINCT key) FROM movies_movie"
                " WHERE session_id = %s GROUP BY enrichment_status",
                [self.session_id],
            )
            rows = {outcome: (count, distinct) for outcome, count, distinct in cursor.fetchall()}
        connection.close()
        return {
            "status": status,
            "total_movies": total,
            "counters": {"enriched": enriched, "not_found": not_found, "failed": failed},
            "rows": {outcome: count for outcome, (count, _) in rows.items()},
            "distinct_keys": sum(distinct for _, distinct in rows.values()),
        }
