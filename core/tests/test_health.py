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
