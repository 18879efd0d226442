"""The front door as docker-compose runs it: Debian's nginx with deploy/nginx/app.conf.template in front
of gunicorn started with the Dockerfile's own command, both on loopback.
"""

import http.client
import os
import socket

import pytest
from django.db import connection

from config.tests import frontdoor
from sessions.tests.factories import SessionFactory

pytestmark = [
    pytest.mark.skipif(
        frontdoor.nginx_binary() is None, reason="nginx not installed (scripts/setup.sh installs it)"
    ),
    # Committed rows, which gunicorn reads on its own connections; and the test database made for the module.
    pytest.mark.django_db(transaction=True),
    # Its p99 with slow clients is compared with its own p99 without: another test process's load
    # in between would skew it (scripts/test.sh runs it alone).
    pytest.mark.serial,
]
STATIC_SOURCE = frontdoor.ROOT / "web/static"


@pytest.fixture(scope="module")
def app_env(django_db_setup):
    """Production's settings on the test database; only the HTTPS redirect is off, on loopback."""
    database = connection.settings_dict  # the test database's, once django_db_setup made it
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": "proxy-test-secret-key-" + "x" * 30,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        "REDIS_URL": os.environ["REDIS_URL"],
        # Every poll comes from 127.0.0.1: counted, never refused.
        "API_READ_RATE_LIMIT": f"{10**9}/60",
        "API_WRITE_RATE_LIMIT": "2/3600",  # one window for the whole module
        "NUM_PROXIES": "1",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def stack(app_env, tmp_path_factory):
    app_port, proxy_port = frontdoor.free_port(), frontdoor.free_port()
    directory = tmp_path_factory.mktemp("nginx")
    with (
        frontdoor.gunicorn(app_port, app_env, directory / "gunicorn.log"),
        frontdoor.nginx(directory, app_port, proxy_port, STATIC_SOURCE),
    ):
        yield {"app": app_port, "proxy": proxy_port}


@pytest.fixture
def status_path():
    session = SessionFactory()
    return f"/api/session/{session.pk}/status"


def raw_request(port, data):
    """Send bytes as they are (http.client would refuse to write a malformed request); the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.getheader("Content-Type"), response.read()


def test_the_image_runs_threaded_workers():
    command = frontdoor.dockerfile_command()
    assert command[command.index("--worker-class") + 1] == "gthread"


def test_fifty_slow_clients_leave_status_polls_answering_through_the_proxy(stack, status_path):
    frontdoor.poll(stack["proxy"], status_path, seconds=1)  # warm-up: imports, connections
    without = frontdoor.summary(frontdoor.poll(stack["proxy"], status_path, seconds=8))
    with frontdoor.slow_clients(stack["proxy"], 50):
        during = frontdoor.summary(frontdoor.poll(stack["proxy"], status_path, seconds=8))

    print(f"[proxy] polls without slow clients {without}; with 50 {during}; load {os.getloadavg()}")
    assert during["errors"] == 0
    assert during["p99_ms"] <= 1.5 * without["p99_ms"]


def test_nginx_refusals_answer_the_apis_json(stack):
    port = stack["proxy"]
    too_long = f"GET /api/session/{'a' * 9000} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
    duplicate_length = (
        b"POST /api/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello"
    )
    too_big = b"POST /api/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 30000000\r\n\r\n"

    for request, status in [(too_long, 414), (duplicate_length, 400), (too_big, 413)]:
        answered, content_type, body = raw_request(port, request)
        assert (answered, content_type) == (status, "application/json"), request[:40]
        assert body.startswith(b'{"detail": "'), body


def test_an_app_that_does_not_answer_is_a_json_503(tmp_path):
    closed_port, proxy_port = frontdoor.free_port(), frontdoor.free_port()
    with frontdoor.nginx(tmp_path, closed_port, proxy_port, STATIC_SOURCE, wait_path="/static/web/dom.js"):
        status, content_type, body = raw_request(
            proxy_port, b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
    assert (status, content_type) == (503, "application/json")
    assert b"try again" in body


def test_the_proxy_serves_static_files_itself(stack):
    # The app has no collected static files here (its whitenoise answers 404), so a 200 is nginx's.
    status, content_type, body = raw_request(
        stack["proxy"], b"GET /static/web/dom.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    assert status == 200
    assert content_type == "application/javascript"
    assert body == (STATIC_SOURCE / "web/dom.js").read_bytes()


def test_a_forged_x_forwarded_for_buys_no_fresh_budget_through_the_proxy(stack):
    """The app trusts the last X-Forwarded-For hop, the one nginx adds: whatever a client writes
    before it, every request of this client counts against 127.0.0.1's write budget (2 here)."""
    answers = []
    for n in range(3):
        request = (
            f"DELETE /api/session/00000000-0000-0000-0000-00000000000{n} HTTP/1.1\r\nHost: localhost\r\n"
            f"X-Forwarded-For: 10.0.0.{n}\r\nConnection: close\r\n\r\n"
        )
        answers.append(raw_request(stack["proxy"], request.encode())[0])

    assert answers == [404, 404, 429]
