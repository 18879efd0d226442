"""Benchmark: GET /api/session/{id}/compare/{token} of two 3,000-film sessions, uncached (nothing of
the comparison is cached), server time through Django's test client.

Two sessions like big real exports (bench/apibench.py's generator: 3,000 enriched films each, 80 %
rated, 5 actors a film), half of the friend's films made different films (other TMDB ids and URIs)
so that 1,500 are in common, and a 2,500-film watchlist each, half of it shared. Prints the median of
--runs reads with its spread, the CPU time the request cost this process and its PostgreSQL backend
together (about the wall time on an idle machine), the load average, and the goal (at most 300 ms).

    .venv/bin/python bench/compare.py [--runs 9] [--films 3000] [--watchlist 2500]
"""

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.analytics import report, timed_get
from bench.apibench import create_session, setup_django, throwaway_database

GOAL_MS = 300


def add_watchlist(session, entries, shared_from):
    """`entries` watchlist films; those from `shared_from` on are the same films in both sessions."""
    from movies.models import WatchlistEntry

    own = session.pk.hex[:6]
    WatchlistEntry.objects.bulk_create(
        [
            WatchlistEntry(
                session=session,
                title=f"Wanted {n if n >= shared_from else f'{own} {n}'}",
                year=2000 + n % 25,
                letterboxd_uri=f"https://boxd.it/want{n if n >= shared_from else f'{own}{n}'}",
                added_on=date(2015, 1, 1) + timedelta(days=n % 3000),
            )
            for n in range(entries)
        ],
        batch_size=1000,
    )


def make_other_films(friend, films):
    """The first `films` of the friend's session become other films (other TMDB ids and URIs)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from movies.models import Movie

    Movie.objects.filter(session=friend, tmdb_id__lt=100_000 + films).update(
        tmdb_id=F("tmdb_id") + 1_000_000,
        letterboxd_uri=Concat(F("letterboxd_uri"), Value("x")),
        key=Concat(F("key"), Value("x")),
    )


def two_members(args):
    """Your session and the token of a friend's, half their films and watchlists in common."""
    from movies.services.sharing import create_share_link

    you = create_session(films=args.films, diary_entries=0, seed=1)
    friend = create_session(films=args.films, diary_entries=0, seed=2)
    make_other_films(friend, args.films // 2)
    for session in (you, friend):
        add_watchlist(session, args.watchlist, shared_from=args.watchlist // 2)
    return you, create_share_link(friend).token


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option, default in (("--runs", 9), ("--films", 3000), ("--watchlist", 2500)):
        parser.add_argument(option, type=int, default=default)
    args = parser.parse_args()
    # One client sends everything: count, never refuse.
    setup_django().API_READ_RATE_LIMIT = (10**9, 60)
    from django.test import Client

    with throwaway_database("bench_compare"):
        you, token = two_members(args)
        client = Client(HTTP_HOST="127.0.0.1")
        url = f"/api/session/{you.pk}/compare/{token}"
        body = client.get(url).json()  # warm-up: imports, connections
        print(
            f"{args.films} films each, {body['compatibility']['films_in_common']} in common, "
            f"{body['watch_together']['both_watchlists_count']} on both watchlists; "
            f"load average {os.getloadavg()[0]:.2f} "
            f"(/proc/loadavg: {Path('/proc/loadavg').read_text().strip()})"
        )
        cpu = []
        times = [timed_get(client, url, cpu=cpu) for _ in range(args.runs)]
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    report("compare, uncached (server time)", times, GOAL_MS)
    report("  CPU time (app + database)", cpu, GOAL_MS)


if __name__ == "__main__":
    main()
