"""Benchmark: GET /api/session/{id}/analytics of a 3,000-film session, uncached and cached.

Builds a session like a big real export (3,000 enriched films, 2,500 diary
entries, 1,500 directors, about 8,000 actors) in a throw-away database, then
times through Django's test client, --runs times each (medians, with the
spread): the analytics answer with the cache emptied before each request (the
goal: at most 300 ms), the same answer from the cache, and the movie list the
existing frontend loads in one call (per_page=500). Production settings (DEBUG
off); the load average is printed, as the machine may be shared.

    .venv/bin/python bench/analytics.py [--runs 9] [--films 3000] [--diary 2500]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apibench import create_session, setup_django, throwaway_database

GOAL_UNCACHED_MS = 300


def timed_get(client, url, before=None):
    if before:
        before()
    started = time.perf_counter()
    response = client.get(url)
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content[:200]
    return elapsed_ms


def report(label, times, goal_ms=None):
    median = statistics.median(times)
    line = f"{label:44} median {median:7.1f} ms  (runs {min(times):.1f}..{max(times):.1f})"
    if goal_ms:
        verdict = "met" if median <= goal_ms else "MISSED"
        line += f"  goal <= {goal_ms} ms: {median / goal_ms:.2f} of the budget ({verdict})"
    print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--films", type=int, default=3000)
    parser.add_argument("--diary", type=int, default=2500)
    args = parser.parse_args()

    settings = setup_django()
    settings.API_READ_RATE_LIMIT = (10**9, 60)  # one client sends everything: count, never refuse
    from django.core.cache import cache
    from django.test import Client

    from movies.selectors import analytics_cache_key

    with throwaway_database("bench_analytics"):
        session = create_session(films=args.films, diary_entries=args.diary)
        client = Client(HTTP_HOST="127.0.0.1")
        analytics_url = f"/api/session/{session.pk}/analytics"

        def forget():
            cache.delete(analytics_cache_key(session))

        timed_get(client, analytics_url, before=forget)  # warm-up: imports, connections
        print(f"{args.films} films, {args.diary} diary entries; load average {os.getloadavg()[0]:.2f}")
        uncached = [timed_get(client, analytics_url, before=forget) for _ in range(args.runs)]
        cached = [timed_get(client, analytics_url) for _ in range(args.runs)]
        movies_url = f"/api/session/{session.pk}/movies?per_page=500"
        movies = [timed_get(client, movies_url) for _ in range(args.runs)]
        forget()
        print(f"load average after: {os.getloadavg()[0]:.2f}")

    report("analytics, uncached", uncached, GOAL_UNCACHED_MS)
    report("analytics, cached", cached)
    report("movies?per_page=500 (with viewings)", movies)


if __name__ == "__main__":
    main()
