import pytest
from django.db import connections

from core.health import check_database

pytestmark = pytest.mark.django_db

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize("path", ["/api/health", "/api/health/"])
def test_health_reports_every_service_up(client, path):
    response = client.get(path)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "redis": True,
        "broker": True,
    }


def test_health_is_503_naming_a_stopped_redis(client, settings):
    settings.REDIS_URL = CLOSED_PORT_URL

    response = client.get("/api/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["detail"] == "Unavailable: redis."
    assert body["checks"]["redis"]["ok"] is False
    assert "Connection" in body["checks"]["redis"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_health_is_503_naming_a_stopped_broker(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT_URL

    response = client.get("/api/health")

    assert response.status_code == 503
    assert response.json()["detail"] == "Unavailable: broker."


def test_database_check_fails_when_postgres_is_unreachable():
    default = connections["default"]
    stopped = default.__class__({**default.settings_dict, "PORT": "1"}, alias="stopped")
    try:
        with pytest.raises(Exception, match="connection"):
            check_database(stopped)
    finally:
        stopped.close()


@pytest.fixture
def full_redis(tmp_path):
    """A private redis-server at its maxmemory with noeviction: it answers PING but refuses writes."""
    import socket
    import subprocess
    import time

    import redis

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--maxmemory", "2mb", "--maxmemory-policy", "noeviction", "--dir", str(tmp_path)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        with pytest.raises(redis.exceptions.OutOfMemoryError):  # filled until it refuses
            for index in range(10_000):
                client.set(f"filler:{index}", "x" * 10_000)
        assert client.ping()
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


def test_health_is_503_naming_a_redis_that_refuses_writes(client, settings, full_redis):
    settings.REDIS_URL = full_redis

    response = client.get("/api/health")

    assert response.status_code == 503
    body = response.json()
    assert body["detail"] == "Unavailable: redis."
    assert "OutOfMemoryError" in body["checks"]["redis"]["error"]


def test_the_tmdb_status_says_enrichment_is_paused_while_redis_refuses_writes(client, settings, full_redis):
    assert client.get("/tmdb-status.json").json()["enrichment_paused"] is False
    settings.REDIS_URL = full_redis

    assert client.get("/tmdb-status.json").json()["enrichment_paused"] is True
