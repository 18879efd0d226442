"""Two worker "hosts" on one PostgreSQL and one Redis: two `celery worker` processes with names of their
own (so connection pools, limiter clients and TMDB sessions of their own), sharing the TMDB budget
and the sessions' turns through Redis alone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.celery_app import app as celery_app
from enrichment.standin.server import DEFAULT_API_KEY
from enrichment.task_names import ENRICH_MOVIE
from enrichment.tests.conftest import RATE
from enrichment.tests.test_scheduling import films, fresh, uploaded
from enrichment.tests.test_worker import wait_for, wait_until_settled
from sessions.models import Session

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent.parent
CELERY = Path(sys.executable).with_name("celery")
HOSTS = ("host-a", "host-b")


@pytest.fixture
def two_hosts(shared_rate, tmp_path):
    """Two worker processes on the test database, the run's Redis and the stand-in, both at RATE/s."""
    database = connection.settings_dict
    env = {
        **os.environ,  # carries the run's Redis database (config/redis_claim.py)
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        "TEST_TMDB_API_BASE_URL": shared_rate.base_url,
        "TMDB_API_KEY": DEFAULT_API_KEY,
        "TMDB_RATE_LIMIT": f"{RATE}/1",
    }
    celery_app.control.purge()
    workers = []
    for host in HOSTS:
        log = (tmp_path / f"{host}.log").open("w")
        command = [str(CELERY), "-A", "config", "worker", "-n", f"{host}@%h", "--pool", "threads",
                   "--concurrency", "4", "--loglevel", "WARNING", "--without-gossip",
                   "--without-mingle"]  # fmt: skip
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    try:
        wait_for(lambda: len(celery_app.control.ping(timeout=0.5)) == len(HOSTS), timeout=60)
        yield workers
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        celery_app.control.purge()


def films_done_by_host():
    stats = celery_app.control.inspect(timeout=2).stats() or {}
    return {node.partition("@")[0]: info["total"].get(ENRICH_MOVIE, 0) for node, info in stats.items()}


def test_two_worker_hosts_hold_the_limit_and_share_it_between_sessions(two_hosts, shared_rate):
    first = uploaded(films(shared_rate, 0, 50))
    second = uploaded(films(shared_rate, 100, 50))

    # Both sessions have films done while both are still enriching: fair turns across the hosts.
    wait_for(
        lambda: all(
            fresh(s).processed_count >= 5 and fresh(s).status == Session.Status.ENRICHING
            for s in (first, second)
        ),
        timeout=60,
    )
    assert wait_until_settled(first, timeout=120).enriched_count == 50
    assert wait_until_settled(second, timeout=120).enriched_count == 50

    done = films_done_by_host()
    assert set(done) == set(HOSTS) and all(done.values()), done  # both hosts looked films up
    stats = shared_rate.stats()
    print(f"[hosts] films looked up per host {done}; stand-in: {stats}")
    assert stats.get("violations", 0) == 0
    assert stats["max_in_window"] <= RATE
