"""The front door as deployed, on loopback: gunicorn run as the Dockerfile runs it, Debian's nginx with
the project's proxy config (deploy/nginx/app.conf.template) in front, slow clients and a status poller.

Shared by config/tests/test_proxy.py (asserts what a user would notice) and bench/slowclients.py
(prints the figures).
"""

import contextlib
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROXY_TEMPLATE = ROOT / "deploy/nginx/app.conf.template"
# Debian's nginx: the mime types its package and the official image both ship.
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_binary():
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def dockerfile_command():
    """The app image's CMD: the JSON-array CMD of the Dockerfile's `app` stage."""
    stage = re.search(r"^FROM \S+ AS app\n(.*?)(?=^FROM |\Z)", (ROOT / "Dockerfile").read_text(), re.M | re.S)
    return json.loads(re.search(r"^CMD (\[.*\])$", stage[1], re.M)[1])


def rebind(command, address):
    """The command with its --bind address replaced (the image binds 0.0.0.0:8000)."""
    command = list(command)
    command[command.index("--bind") + 1] = address
    return command


@contextmanager
def gunicorn(port, env, log_path, command=None):
    """gunicorn as the image starts it (or `command`), on 127.0.0.1:port, until /api/health answers."""
    command = rebind(command or dockerfile_command(), f"127.0.0.1:{port}")
    command[0] = str(ROOT / ".venv/bin" / command[0])
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        try:
            wait_for(f"http://127.0.0.1:{port}/api/health", server)
        except RuntimeError as error:
            raise RuntimeError(f"{error}; gunicorn's log: {Path(log_path).read_text()[-2000:]}") from None
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def render_proxy_config(app_port, proxy_port, static_root):
    """The template with its variables filled in, as the official image's envsubst step does."""
    values = {
        "APP_UPSTREAM": f"127.0.0.1:{app_port}",
        "PROXY_PORT": str(proxy_port),
        "STATIC_ROOT": static_root,
    }
    return re.sub(
        r"\$\{(APP_UPSTREAM|PROXY_PORT|STATIC_ROOT)\}", lambda m: values[m[1]], PROXY_TEMPLATE.read_text()
    )


@contextmanager
def nginx(directory, app_port, proxy_port, static_root, wait_path="/api/health"):
    """Debian's nginx, unprivileged paths under `directory`, with the project's server config."""
    directory = Path(directory)
    (directory / "app.conf").write_text(render_proxy_config(app_port, proxy_port, f"{static_root}/"))
    # The official image's nginx.conf adds nothing the proxy relies on but these (its http block
    # includes conf.d/*.conf, where the rendered template goes).
    # Started as root, nginx's worker would drop to "nobody", which cannot read a checkout in a
    # private directory (a clone under `mktemp -d`, mode 0700): here it keeps the tests' own user.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (directory / "nginx.conf").write_text(
        f"daemon off;\n{user}worker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n  include {MIME_TYPES};\n  default_type application/octet-stream;\n  access_log off;\n"
        f"  client_body_temp_path {directory}/body;\n  proxy_temp_path {directory}/proxy;\n"
        f"  fastcgi_temp_path {directory}/fastcgi;\n  uwsgi_temp_path {directory}/uwsgi;\n"
        f"  scgi_temp_path {directory}/scgi;\n  include {directory}/app.conf;\n}}\n"
    )
    server = subprocess.Popen(
        [
            nginx_binary(),
            "-e",
            str(directory / "error.log"),
            "-p",
            str(directory),
            "-c",
            str(directory / "nginx.conf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(f"http://127.0.0.1:{proxy_port}{wait_path}", server)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url, process, seconds=30):
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}) before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as error:
            last = f"{error.code} {error.read()[:500]!r}"
        except OSError as error:
            last = repr(error)
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {seconds} s: {last}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _trickle(port, count, bytes_per_second, head, stop, opened):
    """The slow clients' loop, in a process of its own: its work never delays the poller's."""

    def connect():
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(head)
        with opened.get_lock():
            opened.value += 1
        return sock

    sockets = [connect() for _ in range(count)]
    chunk = b"x" * max(1, bytes_per_second // 10)
    while not stop.wait(0.1):
        for index, sock in enumerate(sockets):
            try:
                sock.sendall(chunk)
            except OSError:
                sock.close()
                with contextlib.suppress(OSError):
                    sockets[index] = connect()
    for sock in sockets:
        sock.close()


@contextmanager
def slow_clients(port, count, bytes_per_second=100, body_bytes=200_000):
    """`count` uploads sending their headers (with the real Content-Length) at once, then the body at
    `bytes_per_second`; a connection the server closes is opened again, as the attack renews them.
    Yields how many connections were opened (renewals included)."""
    # spawn, not fork: a forked copy of a test process shares its open Redis and broker connections.
    context = multiprocessing.get_context("spawn")
    stop, opened = context.Event(), context.Value("i", 0)
    head = (
        f"POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: multipart/form-data; boundary=slowslowslow\r\n"
        f"Content-Length: {body_bytes}\r\n\r\n"
    ).encode()
    process = context.Process(target=_trickle, args=(port, count, bytes_per_second, head, stop, opened))
    process.start()
    deadline = time.monotonic() + 10
    while opened.value < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # every one of them is sending its body by now
    try:
        yield opened
    finally:
        stop.set()
        process.join(timeout=30)


def poll(port, path, seconds, interval=0.1, timeout=5.0):
    """GET `path` every `interval` for `seconds`, a new connection each time, as a page polls.
    Returns each poll's (seconds taken, status or the error's name)."""
    results = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            outcome = response.status
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
        finally:
            connection.close()
        results.append((time.monotonic() - started, outcome))
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return results


def summary(results):
    """p50 and p99 in ms, and the polls not answered 200."""
    seconds = sorted(taken for taken, _ in results)
    p99_index = min(len(seconds) - 1, int(round(0.99 * (len(seconds) - 1))))
    return {
        "polls": len(results),
        "p50_ms": statistics.median(seconds) * 1000,
        "p99_ms": seconds[p99_index] * 1000,
        "errors": sum(1 for _, outcome in results if outcome != 200),
    }
