"""Benchmark: GET /api/session/{id}/status under gunicorn, hammered by 64 concurrent clients.

Starts gunicorn as production does (2 sync workers, access log on, DEBUG off;
only SECURE_SSL_REDIRECT is off, on loopback) on a throw-away database, then runs
`wrk` (64 connections, 2 threads) against one session's status for --seconds,
--runs times, after a short warm-up. Prints each run's requests/s, latency
percentiles and the machine's load average (which counts the benchmark's own
gunicorn workers and wrk, about 3, so more means others share the machine), then the
medians, their spread, and their ratios to the goals: at least 800 requests/s
and a p99 of at most 50 ms.

The per-client read limit is raised for the run (every request comes from
127.0.0.1), so the limiter still counts each request in Redis but refuses none;
any non-2xx answer is reported. wrk is installed with apt-get when missing.

    .venv/bin/python bench/poll.py [--runs 3] [--seconds 20] [--connections 64] [--port 8731] [--threads 1]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apibench import ROOT, create_session, setup_django, throwaway_database

GOAL_REQUESTS_PER_SECOND = 800
GOAL_P99_MS = 50
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("bench/poll.py needs wrk: install it (apt-get install wrk) and run again.")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)


def start_gunicorn(database_url, port, threads):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Counted, never refused: one client address sends everything here.
        "API_READ_RATE_LIMIT": f"{10**9}/60",
    }
    server = subprocess.Popen(
        [ROOT / ".venv/bin/gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--access-logfile", "-"]
        + (["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /api/health within 30 s")


def run_wrk(url, seconds, connections):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentile = {
        int(match[1]): float(match[2]) * UNIT_MS[match[3]]
        for match in re.finditer(r"^\s+(50|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50_ms": percentile[50],
        "p90_ms": percentile[90],
        "p99_ms": percentile[99],
        "non_2xx": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "none",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (gthread); 1 = sync workers, as deployed"
    )
    args = parser.parse_args()

    ensure_wrk()
    setup_django()
    with throwaway_database("bench_poll") as database_url:
        session = create_session(films=50, diary_entries=40)
        server = start_gunicorn(database_url, args.port, args.threads)
        try:
            url = f"http://127.0.0.1:{args.port}/api/session/{session.pk}/status"
            run_wrk(url, 3, args.connections)  # warm-up: connections, imports, caches
            workers = f"2 gthread workers of {args.threads} threads" if args.threads > 1 else "2 sync workers"
            print(f"GET /api/session/<id>/status, gunicorn {workers}, {args.connections} connections")
            print(
                f"{'run':>3} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'non-2xx':>7} "
                f"{'load 1m':>7}  socket errors"
            )
            runs = []
            for number in range(1, args.runs + 1):
                result = run_wrk(url, args.seconds, args.connections)
                runs.append(result)
                print(
                    f"{number:>3} {result['requests_per_second']:>8.0f} {result['p50_ms']:>7.1f} "
                    f"{result['p90_ms']:>7.1f} {result['p99_ms']:>7.1f} {result['non_2xx']:>7} "
                    f"{os.getloadavg()[0]:>7.2f}  "
                    f"{result['socket_errors']}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)

    rates = [run["requests_per_second"] for run in runs]
    p99s = [run["p99_ms"] for run in runs]
    rate, p99 = statistics.median(rates), statistics.median(p99s)
    print(
        f"median {rate:.0f} req/s (runs {min(rates):.0f}..{max(rates):.0f}), "
        f"p50 {statistics.median(run['p50_ms'] for run in runs):.1f} ms, "
        f"p99 {p99:.1f} ms (runs {min(p99s):.1f}..{max(p99s):.1f})"
    )
    print(
        f"goal >= {GOAL_REQUESTS_PER_SECOND} req/s: {rate / GOAL_REQUESTS_PER_SECOND:.2f}x"
        f" ({'met' if rate >= GOAL_REQUESTS_PER_SECOND else 'MISSED'}); "
        f"goal p99 <= {GOAL_P99_MS} ms: {p99 / GOAL_P99_MS:.2f} of the budget"
        f" ({'met' if p99 <= GOAL_P99_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
