"""What a chaos stack is made of: a private PostgreSQL server, and services in their own process group."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[3]  # the repository root, above enrichment/tests/faults/
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60


def _wait(ready, what, process=None, timeout=STARTUP_SECONDS):
    deadline = time.monotonic() + timeout
    while not ready():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout} s")
        time.sleep(0.2)


class PrivatePostgres:
    """A PostgreSQL server of our own: initdb into a temporary directory, pg_ctl to start and stop."""

    def __init__(self, port, directory):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.port = port
        self.directory = Path(directory)
        self.data = self.directory / "pgdata"
        # initdb refuses to run as root: the server runs as the postgres user then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{port}/chaos"

    def _run(self, *command):
        result = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr)

    def create(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        self.start()
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "chaos"
        )

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        options += " -c max_connections=60 -c fsync=off"
        log = str(self.directory / "postgres.log")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode="fast"):
        """`immediate` is a crash: no shutdown checkpoint, connections cut."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def connect(self):
        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="chaos", connect_timeout=3
        )


class Service:
    """A long-running subprocess in its own process group, so that a kill takes its children too."""

    def __init__(self, name, command, env, ready, log_dir):
        self.name, self.command, self.env, self.ready = name, command, env, ready
        self.log_path = Path(log_dir) / f"{name}.log"
        self.process = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115  kept open by the child
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        _wait(self.ready, self.name, self.process)

    def kill(self):
        """kill -9 of the process and all its children, as a crash or an OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, characters=3000):
        return self.log_path.read_text(errors="replace")[-characters:] if self.log_path.exists() else ""


def children_of(pid):
    """The ids of the processes whose parent is `pid` (from /proc)."""
    children = []
    for path in glob.glob("/proc/[0-9]*/stat"):
        try:
            stat = Path(path).read_text()
        except OSError:
            continue  # the process ended meanwhile
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # the field after the name is the state, then ppid
            children.append(int(stat.split()[0]))
    return children


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def answers_http(url):
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False
