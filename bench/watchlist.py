"""Benchmark: GET /api/session/{id}/watchlist (figures, a page of entries and watch next) of a 3,000-film
session with a 2,500-film watchlist, every entry looked up, uncached (nothing of it is cached), server
time through Django's test client.

The session is bench/apibench.py's big export (3,000 enriched films, 80 % rated, 5 actors a film); its
watchlist films are cached TMDB films drawn from the same directors, actors, genres and years, so every
part of the watch-next score finds ratings to rest on. Prints the median of --runs reads with its
spread, the CPU time of the request (this process and its PostgreSQL backend), the load average and the
goal (at most 300 ms), with and without the runtime filter.

    .venv/bin/python bench/watchlist.py [--runs 9] [--films 3000] [--watchlist 2500]
"""

import argparse
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.analytics import report, timed_get
from bench.apibench import GENRES, create_session, setup_django, throwaway_database

GOAL_MS = 300


def add_looked_up_watchlist(session, entries, films):
    """`entries` watchlist films, each found on TMDB: a cached Film of its own."""
    from movies.models import Film, WatchlistEntry

    rng = random.Random(3)
    Film.objects.bulk_create(
        [
            Film(
                tmdb_id=900_000 + n,
                title=f"Wanted {n}",
                genres=rng.sample(GENRES, rng.randint(1, 3)),
                directors=[f"Director {rng.randint(1, films // 2)}"],
                cast=[f"Actor {rng.randint(1, films * 3)}" for _ in range(5)],
                runtime=rng.randint(70, 200),
                vote_average=round(rng.uniform(4, 9), 1),
                vote_count=rng.randint(1, 30_000),
                release_date=date(rng.randint(1920, 2025), 6, 1),
                production_countries=["France"],
            )
            for n in range(entries)
        ],
        batch_size=1000,
    )
    WatchlistEntry.objects.bulk_create(
        [
            WatchlistEntry(
                session=session,
                title=f"Wanted {n}",
                year=2000 + n % 25,
                letterboxd_uri=f"https://boxd.it/want{n}",
                added_on=date(2015, 1, 1) + timedelta(days=n % 3000),
                film_id=900_000 + n,
                lookup_status=WatchlistEntry.LookupStatus.ENRICHED,
            )
            for n in range(entries)
        ],
        batch_size=1000,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option, default in (("--runs", 9), ("--films", 3000), ("--watchlist", 2500)):
        parser.add_argument(option, type=int, default=default)
    args = parser.parse_args()
    setup_django().API_READ_RATE_LIMIT = (10**9, 60)  # one client sends everything: count, never refuse
    from django.test import Client

    with throwaway_database("bench_watchlist"):
        session = create_session(films=args.films, diary_entries=0, seed=1)
        add_looked_up_watchlist(session, args.watchlist, args.films)
        client = Client(HTTP_HOST="127.0.0.1")
        results = []
        for label, query in (("all", ""), ("under 100 minutes", "?max_runtime=99")):
            url = f"/api/session/{session.pk}/watchlist{query}"
            body = client.get(url).json()  # warm-up: imports, connections
            cpu = []
            times = [timed_get(client, url, cpu=cpu) for _ in range(args.runs)]
            results.append((label, times, cpu, len(body["watch_next"]["films"])))
        loadavg = Path("/proc/loadavg").read_text().strip()
        print(
            f"{args.films} films ({body['watch_next']['rated_films']} rated), {body['total']} watchlist "
            f"films; load average {os.getloadavg()[0]:.2f} (/proc/loadavg: {loadavg})"
        )
    for label, times, cpu, suggested in results:
        report(f"watchlist, {label} ({suggested} suggested), uncached", times, GOAL_MS)
        report("  CPU time (app + database)", cpu, GOAL_MS)


if __name__ == "__main__":
    main()
