"""Benchmark: delete expired sessions holding 100,000 movies with their viewings.

Prints, for each scenario, the median over several runs of the wall time, the
peak Python memory of the run (tracemalloc), the longest single batch (one
transaction: its SELECT, three DELETEs and the commit), the largest growth of the
process's peak RSS over the runs ("RSS+"), then the peak memory of 100,000
movies against 10,000 and against Django's ORM cascade on the same 100,000.
The batched service's memory is bounded by a batch's session ids (at most 200),
not by the number of movies.

It works in its own throw-away database (``<DATABASE_URL name>_bench_cleanup``),
created, migrated and dropped here, because the service deletes every expired
session it finds.

    .venv/bin/python bench/cleanup.py [--runs 3]
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from movies.models import Movie, Watch  # noqa: E402
from movies.services.deleting import delete_expired_sessions  # noqa: E402
from movies.tests.seeding import insert_movies  # noqa: E402
from sessions.models import Session  # noqa: E402
from sessions.tests.factories import SessionFactory  # noqa: E402


def batched_service():
    return delete_expired_sessions()


def orm_cascade():
    """What the service replaces: Django's cascade, which loads every movie first (one transaction)."""
    return Session.objects.filter(expires_at__lte=timezone.now()).delete()[1].get(Session._meta.label, 0)


# (name, sessions, films per session, deletion): 100,000 movies shaped three ways, a tenth
# of it to compare memory against, and the ORM's cascade for contrast.
SCENARIOS = [
    ("10,000 movies in 5 sessions of 2,000", 5, 2000, batched_service),
    ("100,000 movies in 50 sessions of 2,000", 50, 2000, batched_service),
    ("100,000 movies in 1,000 sessions of 100", 1000, 100, batched_service),
    ("100,000 movies in 34 sessions of 3,000 (one 2,000)", 34, 3000, batched_service),
    ("ORM cascade: 100,000 movies in 50 sessions of 2,000", 50, 2000, orm_cascade),
]
ALIVE_SESSIONS = 3  # not expired: must survive every run


def insert_viewings(session_ids):
    watch = Watch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {watch} (movie_id, letterboxd_uri, watched_date, rewatch, tags, review) "
            f"SELECT m.id, '', CURRENT_DATE - (m.id %% 3000)::int, g > 1, '{{}}', '' "
            f"FROM {Movie._meta.db_table} m CROSS JOIN generate_series(1, 2) g "
            f"WHERE m.session_id = ANY(%s::uuid[]) AND (g = 1 OR m.id %% 2 = 0)",
            [[str(pk) for pk in session_ids]],
        )


def populate(sessions, films_per_session, total_movies):
    """Expired sessions holding total_movies films (the last takes the remainder), plus a few alive."""
    sizes = [films_per_session] * (sessions - 1) + [total_movies - films_per_session * (sessions - 1)]
    expired_at = timezone.now() - timedelta(days=1)
    expired = [SessionFactory(expires_at=expired_at, total_movies=size).pk for size in sizes]
    insert_movies(expired[:-1], films_per_session)
    insert_movies(expired[-1:], sizes[-1])
    alive = [SessionFactory(total_movies=10).pk for _ in range(ALIVE_SESSIONS)]
    insert_movies(alive, 10)
    insert_viewings(expired + alive)
    return len(expired)


class BatchTimer:
    """Times each batch: from its locking SELECT to the next one, so the commit (where
    PostgreSQL runs the deferred foreign-key checks of every deleted row) is included."""

    def __init__(self):
        self.starts = []

    def __call__(self, execute, sql, params, many, context):
        if "FOR UPDATE SKIP LOCKED" in sql:
            self.starts.append(time.perf_counter())
        return execute(sql, params, many, context)

    @property
    def batches(self):
        # The last SELECT found nothing: it ends the last batch.
        return [end - start for start, end in zip(self.starts, self.starts[1:], strict=False)]


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(sessions, films_per_session, delete):
    total_movies = min(100_000, sessions * films_per_session)
    expired = populate(sessions, films_per_session, total_movies)
    expired_movies = Movie.objects.filter(session__expires_at__lte=timezone.now())
    movies = expired_movies.count()
    viewings = Watch.objects.filter(movie__in=expired_movies).count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    timer = BatchTimer()
    rss_before = peak_rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        deleted = delete()
    elapsed = time.perf_counter() - started
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # The run deleted exactly the expired sessions, and everything else is still there.
    assert (deleted, movies) == (expired, total_movies), (deleted, movies)
    assert Session.objects.count() == ALIVE_SESSIONS
    assert Movie.objects.count() == 10 * ALIVE_SESSIONS
    Session.objects.all().delete()
    return {
        "viewings": viewings,
        "seconds": elapsed,
        "peak_kib": peak_bytes / 1024,
        "rss_growth_mib": peak_rss_mib() - rss_before,
        # The ORM's cascade runs in one transaction.
        "batches": len(timer.batches) or 1,
        "longest_batch": max(timer.batches, default=elapsed),
    }


@contextmanager
def throwaway_database():
    name = f"{settings.DATABASES['default']['NAME']}_bench_cleanup"
    settings.DATABASES["default"]["TEST"]["NAME"] = name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario; medians are printed")
    args = parser.parse_args()

    with throwaway_database() as name:
        print(f"database {name}, {args.runs} runs per scenario, medians\n")
        print(
            f"{'scenario':52} {'viewings':>8} {'time s':>7} {'peak KiB':>9} {'RSS+ MiB':>8} {'batches':>7} "
            f"{'longest batch s':>15}"
        )
        peaks = []
        for name, sessions, films, delete in SCENARIOS:
            runs = [measure(sessions, films, delete) for _ in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            # The process's peak RSS only ever grows: only the first run that raises it shows growth.
            median["rss_growth_mib"] = max(run["rss_growth_mib"] for run in runs)
            peaks.append(median["peak_kib"])
            print(
                f"{name:52} {median['viewings']:>8.0f} {median['seconds']:>7.2f} {median['peak_kib']:>9.0f} "
                f"{median['rss_growth_mib']:>8.1f} {median['batches']:>7.0f} {median['longest_batch']:>15.2f}"
            )
        print(
            f"\npeak Python memory of the batched service, 100,000 vs 10,000 movies: {peaks[1]:.0f} vs "
            f"{peaks[0]:.0f} KiB ({peaks[1] / peaks[0]:.1f}x for 10x the movies: bounded by the batch's "
            f"session ids, not the movies); the ORM's cascade on the same 100,000: "
            f"{peaks[4] / peaks[1]:.0f}x more"
        )


if __name__ == "__main__":
    main()
