"""Fixtures shared by every app's tests."""

import celery.contrib.testing.tasks  # noqa: F401  registers celery.ping for start_worker
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery_app import app as celery_app


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker on the real Redis broker, in this process.

    The worker uses its own database connections, so tests using it need
    committed data: this fixture brings `transactional_db` along.
    """
    celery_app.control.purge()  # nothing left over from an earlier run
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=4,
        perform_ping_check=True,
        shutdown_timeout=30,
        loglevel="WARNING",
    ) as worker:
        yield worker


@pytest.fixture(autouse=True)
def fresh_api_rate_limits():
    """Each test starts with no API requests counted, whatever earlier tests sent."""
    throttle_cache = settings.CACHES["throttle"]
    client = redis.Redis.from_url(throttle_cache["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{throttle_cache['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
