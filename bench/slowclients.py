"""Benchmark: status polls while slow clients trickle upload bodies, with and without the proxy.

Starts gunicorn as the Dockerfile's CMD runs it (production settings; only SECURE_SSL_REDIRECT off,
on loopback) on a throw-away database, and Debian's nginx with deploy/nginx/app.conf.template in
front (config/tests/frontdoor.py, which the tests share). A slow client sends an upload's headers
with its real Content-Length, then the body at 100 bytes/s, and reconnects when cut off. For each
front (gunicorn alone, then nginx in front) it polls GET /api/session/<id>/status every 0.1 s, a new
connection each time, 5 s timeout, first with no slow client, then with each --slow count, and
prints polls, p50/p99 (ms), failed polls and the load average. --sync adds the image's old command
(2 sync workers) for comparison. The goal: with the proxy, 50 slow clients leave the p99 within
1.5x of the run without them, and no poll fails.

    .venv/bin/python bench/slowclients.py [--seconds 15] [--slow 10 50] [--sync]
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apibench import ROOT, create_session, setup_django, throwaway_database
from config.tests import frontdoor

OLD_SYNC_COMMAND = ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
OLD_SYNC_COMMAND += ["--access-logfile", "-"]


def measure(port, path, seconds, slow_counts):
    frontdoor.poll(port, path, seconds=1)  # warm-up
    rows = [(0, frontdoor.summary(frontdoor.poll(port, path, seconds)), os.getloadavg()[0])]
    for count in slow_counts:
        with frontdoor.slow_clients(port, count):
            rows.append((count, frontdoor.summary(frontdoor.poll(port, path, seconds)), os.getloadavg()[0]))
    return rows


def report(front, rows):
    base = rows[0][1]["p99_ms"]
    for count, figures, load in rows:
        print(
            f"{front:<34} {count:>4} {figures['polls']:>5} {figures['p50_ms']:>8.1f} "
            f"{figures['p99_ms']:>8.1f} "
            f"{figures['p99_ms'] / base:>6.2f} {figures['errors']:>6} {load:>7.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--slow", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--sync", action="store_true", help="also measure the old 2 sync workers")
    args = parser.parse_args()
    if frontdoor.nginx_binary() is None:
        sys.exit("bench/slowclients.py needs nginx: apt-get install nginx (scripts/setup.sh does)")

    settings = setup_django()
    with throwaway_database("bench_slowclients") as database_url:
        session = create_session(films=50, diary_entries=40)
        path = f"/api/session/{session.pk}/status"
        env = {
            "DATABASE_URL": database_url,
            "API_READ_RATE_LIMIT": f"{10**9}/60",  # one address polls: counted, never refused
            "NUM_PROXIES": "1",
            "REDIS_URL": settings.REDIS_URL,
        }
        print(f"gunicorn: {' '.join(frontdoor.dockerfile_command())}")
        print(f"polls of {path} every 0.1 s for {args.seconds} s per row; slow clients at 100 B/s")
        print(
            f"{'front':<34} {'slow':>4} {'polls':>5} {'p50 ms':>8} {'p99 ms':>8} {'x p99':>6} "
            f"{'failed':>6} {'load 1m':>7}"
        )
        with tempfile.TemporaryDirectory() as directory:
            app_port, proxy_port = frontdoor.free_port(), frontdoor.free_port()
            with frontdoor.gunicorn(app_port, env, Path(directory) / "gunicorn.log"):
                report("gunicorn alone (Dockerfile CMD)", measure(app_port, path, args.seconds, args.slow))
                with frontdoor.nginx(directory, app_port, proxy_port, ROOT / "staticfiles"):
                    report(
                        "nginx in front (app.conf.template)",
                        measure(proxy_port, path, args.seconds, args.slow),
                    )
            if args.sync:
                with frontdoor.gunicorn(
                    app_port, env, Path(directory) / "sync.log", command=OLD_SYNC_COMMAND
                ):
                    report("gunicorn alone (old: 2 sync)", measure(app_port, path, args.seconds, args.slow))


if __name__ == "__main__":
    main()
