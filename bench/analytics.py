"""Benchmark: GET /api/session/{id}/analytics of a 3,000-film session, all time and one year,
uncached and cached, and the share card.

Builds a session like a big real export (3,000 enriched films, 2,500 diary
entries over 2015-2024, 1,500 directors, about 8,000 actors, writers,
cinematographers, composers, tags) in a throw-away database, then times through
Django's test client, --runs times each (medians, with the spread): the
analytics answer for all time and for --year with the cache emptied before each
request (goal: at most 300 ms), the same answers from the cache (goal: at most
10 ms), the card (card.svg and card.png ?year=, their analytics cached: goal at most
200 ms, and the SVG drawing alone), and the movie list the existing frontend loads in one
call (per_page=500). Production settings (DEBUG off); the load average is
printed, as the machine may be shared. On a busy machine wall times mostly
measure waiting for a CPU, so the analytics reads also print the CPU time the
request cost this process and its PostgreSQL backend together: about the wall
time on an idle machine (the backend's share in 10 ms clock ticks; Linux only).

    .venv/bin/python bench/analytics.py [--runs 9] [--films 3000] [--diary 2500] [--year 2020]
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
GOAL_CACHED_MS = 10
GOAL_CARD_MS = 200


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def database_cpu_seconds():
    """CPU time so far of this process's PostgreSQL backend (from /proc: same machine only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    with open(f"/proc/{pid}/stat") as stat:
        user, system = stat.read().rsplit(")", 1)[1].split()[11:13]
    return (int(user) + int(system)) / CLOCK_TICKS


def timed_get(client, url, before=None, cpu=None):
    """Wall time of one GET in ms; with a list as ``cpu``, also appends the CPU time it cost this
    process and its database backend together (what it takes on an idle machine; 10 ms ticks
    for the backend)."""
    if before:
        before()
    database_before = database_cpu_seconds() if cpu is not None else 0
    process_before = time.process_time()
    started = time.perf_counter()
    response = client.get(url)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if cpu is not None:
        spent = time.process_time() - process_before + database_cpu_seconds() - database_before
        cpu.append(spent * 1000)
    assert response.status_code == 200, response.content[:200]
    return elapsed_ms


def against_goal(value, goal, unit):
    """The text after a figure, such as '  goal <= 300 ms: 0.84 of the budget (met)'; empty without a goal."""
    if not goal:
        return ""
    verdict = "met" if value <= goal else "MISSED"
    return f"  goal <= {goal} {unit}: {value / goal:.2f} of the budget ({verdict})"


def report(label, times, goal_ms=None):
    median = statistics.median(times)
    line = f"{label:44} median {median:7.1f} ms  (runs {min(times):.1f}..{max(times):.1f})"
    print(line + against_goal(median, goal_ms, "ms"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--films", type=int, default=3000)
    parser.add_argument("--diary", type=int, default=2500)
    parser.add_argument("--year", type=int, default=2020)
    args = parser.parse_args()

    settings = setup_django()
    settings.API_READ_RATE_LIMIT = (10**9, 60)  # one client sends everything: count, never refuse
    from django.core.cache import cache
    from django.test import Client

    from movies import selectors
    from movies.card import share_card_svg
    from sessions.models import Session

    with throwaway_database("bench_analytics"):
        session = create_session(films=args.films, diary_entries=args.diary)
        client = Client(HTTP_HOST="127.0.0.1")
        base = f"/api/session/{session.pk}"

        def forget():
            # The key names the session's updated_at: read it as the view will.
            current = Session.objects.get(pk=session.pk)
            cache.delete_many([selectors.analytics_cache_key(current, year) for year in (None, args.year)])

        timed_get(client, f"{base}/analytics", before=forget)  # warm-up: imports, connections
        print(f"{args.films} films, {args.diary} diary entries; load average {os.getloadavg()[0]:.2f}")
        results = []
        for label, query in (("all time", ""), (str(args.year), f"?year={args.year}")):
            url = f"{base}/analytics{query}"
            uncached_cpu, cached_cpu = [], []
            uncached = [timed_get(client, url, before=forget, cpu=uncached_cpu) for _ in range(args.runs)]
            cached = [timed_get(client, url, cpu=cached_cpu) for _ in range(args.runs)]
            results += [
                (f"analytics {label}, uncached", uncached, GOAL_UNCACHED_MS),
                ("  CPU time (app + database)", uncached_cpu, GOAL_UNCACHED_MS),
                (f"analytics {label}, cached", cached, GOAL_CACHED_MS),
                ("  CPU time (app + database)", cached_cpu, GOAL_CACHED_MS),
            ]
        card = [timed_get(client, f"{base}/card.svg?year={args.year}") for _ in range(args.runs)]
        card_png = [timed_get(client, f"{base}/card.png?year={args.year}") for _ in range(args.runs)]
        stats = selectors.session_analytics(Session.objects.get(pk=session.pk), args.year)
        drawing = []
        for _ in range(args.runs):
            started = time.perf_counter()
            share_card_svg(stats)
            drawing.append((time.perf_counter() - started) * 1000)
        movies = [timed_get(client, f"{base}/movies?per_page=500") for _ in range(args.runs)]
        forget()
        print(f"load average after: {os.getloadavg()[0]:.2f}")

    for label, times, goal in results:
        report(label, times, goal)
    report(f"card.svg?year={args.year} (analytics cached)", card, GOAL_CARD_MS)
    report(f"card.png?year={args.year} (analytics cached)", card_png, GOAL_CARD_MS)
    report("card SVG drawing alone", drawing)
    report("movies?per_page=500 (with viewings)", movies)


if __name__ == "__main__":
    main()
