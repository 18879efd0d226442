"""Benchmark: what each user path and each periodic job costs in a big deployment against a small one.

Two databases of their own next to DATABASE_URL's, kept between runs (``--rebuild`` drops them):
``<name>_scale_big`` with --sessions sessions (default 3,000: --templates real uploads of the
1,603-film sample export through ``POST /api/upload``, the rest SQL copies; see
bench/scale_build.py) and ``<name>_scale_small`` with 2 uploads. The same work is timed in both,
alternately, --runs times (medians; a run of a short path or job is itself the median of a few
calls): the probe session is an upload of the same export in each.

User paths: the status poll, an upload of the 1,603-film export, a page of the film list, the
session page's first visit (page, status, analytics uncached), a worker's per-film step on a
cached film (cache reads and the movie's writes), and one year's analytics uncached. Periodic
jobs: the hourly cleanup (10 % of the big database's sessions expired; per 1,000 movies deleted,
with its longest batch), the enrichment start's cache pass (a 1,603-film session the cache
knows), the reconciler's beat (with --enriching sessions enriching in each database, and its
query count with 1 and with all of them; the broker and the workers' inspection are answered
without Redis: they do not touch PostgreSQL), a round's film selection and refresh_estimates.
For every statement of the big run whose plan scans in full a table that grows with the
deployment (and holds at least MIN_ROWS rows), the plan's scan lines are printed. The cleanup
runs once per database (it deletes); the big one gets as many copies back afterwards.

The last line is ``scale: worst_ratio=R job=NAME``. Goal: R <= 1.3 at 3,000 sessions and no
cleanup batch over 200 ms. Needs the sample at /work/shared/samples/ (read at run time).

    REDIS_URL=redis://127.0.0.1:6379/<db> .venv/bin/python bench/scale.py [--sessions 3000] [--runs 5]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apibench import setup_django

GOAL_RATIO, GOAL_BATCH_MS = 1.3, 200
# A full scan of a table this small costs nothing yet (an empty table is always scanned in full).
MIN_ROWS = 10_000
REPEAT = 5  # calls of a short job per run (its median is the run's figure)
os.environ.setdefault("API_READ_RATE_LIMIT", "1000000/60")
os.environ.setdefault("API_WRITE_RATE_LIMIT", "1000000/60")


class Side:
    """One of the two databases and its probe session."""

    def __init__(self, label, database, templates):
        self.label, self.database, self.templates = label, database, templates
        self.probe = templates[0]
        self.enriching = []


class Recorder:
    """Keeps the statements a block runs (for their plans afterwards)."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if not many and sql.lstrip().split(None, 1)[0].upper() in ("SELECT", "UPDATE", "DELETE", "WITH"):
            self.statements.append((sql, params))
        return execute(sql, params, many, context)


def full_scans(statements):
    """[(statement, scan lines)] of the statements whose plan scans a growing table in full."""
    from django.db import connection

    from bench.scale_build import sizes

    big_enough = {table for table, rows in sizes().items() if rows >= MIN_ROWS}
    found, seen = [], set()
    for sql, params in statements:
        if sql in seen:
            continue
        seen.add(sql)
        with connection.cursor() as cursor:
            try:
                cursor.execute(f"EXPLAIN {sql}", params)
            except Exception:  # a statement of a temporary table or a rolled-back savepoint
                connection.rollback() if not connection.in_atomic_block else None
                continue
            lines = [line for (line,) in cursor.fetchall()]
        scans = [line.strip() for line in lines if "Seq Scan on" in line and _table(line) in big_enough]
        if scans:
            found.append((" ".join(sql.split())[:160], scans))
    return found


def _table(line):
    return line.split("Seq Scan on", 1)[1].split()[0]


def timed(operation):
    started = time.perf_counter()
    operation()
    return time.perf_counter() - started


def median_of(times, operation):
    """A short operation's median over ``times`` calls: one load spike does not make a run."""
    return statistics.median(timed(operation) for _ in range(times))


def paired(sides, runs, measure, explain):
    """{side label: median seconds} of ``measure(side)`` (seconds), alternating the sides; the big
    side's statements recorded in an extra untimed first run, planned when ``explain``."""
    from django.db import connection

    from bench.scale_build import use_database

    results = {side.label: [] for side in sides}
    scans = []
    for run in range(runs + 1):
        for side in sides:
            use_database(side.database)
            if run == 0:  # warm-up: connection, caches; the big side's plans
                recorder = Recorder()
                with connection.execute_wrapper(recorder):
                    measure(side)
                if explain and side.label == "big":
                    scans = full_scans(recorder.statements)
                continue
            results[side.label].append(measure(side))
    return {label: statistics.median(values) for label, values in results.items()}, scans


# --- user paths -------------------------------------------------------------------------------


def status_poll(client):
    def measure(side):
        return median_of(20, lambda: _ok(client.get(f"/api/session/{side.probe}/status")))

    return measure


def upload(client):
    from bench.scale_build import purge_broker, upload_sample
    from movies.services.deleting import delete_session
    from sessions.models import Session

    def measure(side):
        holder = {}
        seconds = timed(lambda: holder.update(session=upload_sample(client)))
        delete_session(Session.objects.get(pk=holder["session"]))
        purge_broker()
        return seconds

    return measure


def film_list(client):
    def measure(side):
        url = f"/api/session/{side.probe}/movies/?per_page=100&page=3&sort=-rating"
        return median_of(REPEAT, lambda: _ok(client.get(url)))

    return measure


def uncached(operation, times=3):
    """The median of ``times`` calls of ``operation``, each after the statistics cache was emptied."""
    from django.core.cache import cache

    seconds = []
    for _ in range(times):
        cache.clear()
        seconds.append(timed(operation))
    return statistics.median(seconds)


def first_visit(client):
    def measure(side):
        def visit():
            _ok(client.get(f"/s/{side.probe}/"))
            _ok(client.get(f"/api/session/{side.probe}/status"))
            _ok(client.get(f"/api/session/{side.probe}/analytics"))

        return uncached(visit)

    return measure


def year_analytics(client):
    return lambda side: uncached(lambda: _ok(client.get(f"/api/session/{side.probe}/analytics?year=2023")))


def film_step():
    """A worker's step for one film the cache knows: its reads (URI link, film) and its writes."""
    from bench.scale_build import clone_session
    from enrichment.services.enriching import enrich_movie
    from movies.models import Movie
    from movies.services.deleting import delete_session

    def measure(side):
        session = clone_session(side.probe, status="enriching")
        movies = list(Movie.objects.filter(session=session).order_by("pk").values_list("pk", flat=True)[:20])
        seconds = statistics.median(
            timed(lambda movie_id=movie_id: enrich_movie(movie_id)) for movie_id in movies
        )
        delete_session(session)
        return seconds

    return measure


def _ok(response):
    assert response.status_code == 200, (response.status_code, response.content[:300])


# --- periodic jobs ----------------------------------------------------------------------------


def cache_pass():
    from bench.scale_build import clone_session, purge_broker
    from enrichment.queueing.scheduling import dispatch_enrichment
    from movies.services.deleting import delete_session

    def measure(side):
        session = clone_session(side.probe, status="processing")
        seconds = timed(lambda: dispatch_enrichment(session.pk))
        session.refresh_from_db()
        assert session.status == "completed", session.status  # the cache knew every film
        delete_session(session)
        purge_broker()
        return seconds

    return measure


def reconciler_beat():
    from django.core.cache import cache

    from enrichment.queueing import recovery

    def beat():
        cache.delete(recovery.MISSING_KEY)
        recovery.reconcile_sessions()

    return lambda side: median_of(REPEAT, beat)


def round_selection():
    from django.db import transaction

    from enrichment.queueing.scheduling import send_rounds

    def measure(side):
        with transaction.atomic():  # rolled back: nothing is sent, the cursor stays
            seconds = median_of(REPEAT, lambda: send_rounds(side.enriching[0], 1))
            transaction.set_rollback(True)
        return seconds

    return measure


def refresh():
    from enrichment.queueing.scheduling import refresh_estimates

    return lambda side: median_of(REPEAT, refresh_estimates)


def start_enriching(side, count):
    """``count`` cold sessions (films the cache does not know) enriching, two rounds in flight,
    and the broker reads answering that every film in flight is queued (nothing lost). Returns
    the queries of a reconciler beat with the first of them enriching, and with all."""
    from django.db.models import F

    from bench.scale_build import clone_session
    from enrichment.queueing import recovery
    from movies.models import Movie
    from sessions.models import Session

    recovery.movies_in_broker = lambda: set(HELD)
    recovery.movies_held_by_workers = set
    queries = []
    for number in range(count):
        session = clone_session(side.probe, status="enriching", cold=True)
        in_flight = Movie.objects.filter(session=session).order_by("pk").values_list("pk", flat=True)[:16]
        Session.objects.filter(pk=session.pk).update(round_cursor=max(in_flight))
        side.enriching.append(session.pk)
        HELD.update(
            Movie.objects.filter(
                session__in=side.enriching, enrichment_status="pending", pk__lte=F("session__round_cursor")
            ).values_list("pk", flat=True)
        )
        if number == 0:
            queries.append(beat_queries())
    return [*queries, beat_queries()]


def beat_queries():
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enrichment.queueing import recovery

    cache.delete(recovery.MISSING_KEY)
    with CaptureQueriesContext(connection) as queries:
        recovery.reconcile_sessions()
    return len(queries)


HELD = set()  # the films in flight of both sides (ids of one database never match the other's)


def stop_enriching(sides):
    from bench.scale_build import use_database
    from movies.services.deleting import delete_session
    from sessions.models import Session

    for side in sides:
        use_database(side.database)
        for session in Session.objects.filter(pk__in=side.enriching):
            delete_session(session)


class BatchTimer:
    """Times each cleanup batch from its locking SELECT to the next one (so with its commit, where
    PostgreSQL runs the deferred foreign-key checks), and keeps the batch's statements."""

    def __init__(self):
        self.starts, self.statements = [], []

    def __call__(self, execute, sql, params, many, context):
        if "FOR UPDATE SKIP LOCKED" in sql:
            self.starts.append(time.perf_counter())
        elif sql.startswith(("DELETE", "SELECT")):
            self.statements.append((sql, params))
        return execute(sql, params, many, context)

    @property
    def batches(self):
        return [end - start for start, end in zip(self.starts, self.starts[1:], strict=False)]


def cleanup(side, expire):
    """Expire ``expire`` sessions (copies made for it in the small database, the oldest copies in
    the big one), delete them as the hourly job does, and copy as many back."""
    from django.db import connection
    from django.utils import timezone

    from bench.scale_build import add_copies
    from movies.models import Movie
    from movies.services.deleting import delete_expired_sessions
    from sessions.models import Session

    past = timezone.now() - timedelta(days=1)
    if side.label == "small":
        add_copies(expire, expires_at=past, cache=False)  # the small cache stays small
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE upload_sessions_session SET expires_at = %s WHERE id IN"
                " (SELECT c.session_id FROM bench_scale_copy c JOIN upload_sessions_session s"
                " ON s.id = c.session_id ORDER BY c.n LIMIT %s)",
                [past, expire],
            )
    movies = Movie.objects.filter(session__expires_at__lte=timezone.now()).count()
    expired = Session.objects.filter(expires_at__lte=timezone.now()).count()
    timer = BatchTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        deleted = delete_expired_sessions()
        seconds = time.perf_counter() - started
    assert deleted == expired, (deleted, expired)
    scans = full_scans(timer.statements) if side.label == "big" else []
    if side.label == "big":
        add_copies(deleted)  # back to the size asked for
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assert Session.objects.filter(expires_at__lte=timezone.now()).count() == 0
    return {
        "per_1000": seconds / movies * 1000,
        "seconds": seconds,
        "movies": movies,
        "batches": len(timer.batches),
        "longest": max(timer.batches, default=seconds),
        "scans": scans,
    }


def row(name, medians, unit_ms=True):
    small, big = medians["small"], medians["big"]
    ratio = big / small if small else float("inf")
    scale = 1000 if unit_ms else 1
    print(f"{name:44} {small * scale:10.2f} {big * scale:10.2f} {ratio:7.2f}")
    return ratio


def print_scans(scans):
    for statement, lines in scans:
        print(f"    full scan in: {statement}")
        for line in lines:
            print(f"      {line}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3000, help="sessions of the big database")
    parser.add_argument("--templates", type=int, default=24, help="of them real uploads (the rest copies)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per path; medians are printed")
    parser.add_argument("--enriching", type=int, default=30, help="sessions enriching in the big database")
    parser.add_argument("--only", default="", help="measure only the paths and jobs whose name has this")
    parser.add_argument("--rebuild", action="store_true", help="drop and build both databases again")
    args = parser.parse_args()

    settings = setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench import scale_build

    setup_test_environment()  # the test client's response details
    base = settings.DATABASES["default"]["NAME"]
    build_started = time.perf_counter()
    sides = [
        Side(
            "small",
            f"{base}_scale_small",
            scale_build.build(f"{base}_scale_small", 2, 2, rebuild=args.rebuild),
        ),
        Side(
            "big",
            f"{base}_scale_big",
            scale_build.build(f"{base}_scale_big", args.sessions, args.templates, rebuild=args.rebuild),
        ),
    ]
    print(f"built or checked in {time.perf_counter() - build_started:.0f} s; load average {os.getloadavg()}")
    for side in sides:
        scale_build.use_database(side.database)
        sizes = ", ".join(f"{table} {rows:,}" for table, rows in scale_build.sizes().items() if rows > 0)
        print(f"{side.label}: {side.database}: {sizes}")

    client = Client()
    counts = {}
    for side in sides:
        scale_build.use_database(side.database)
        counts[side.label] = start_enriching(side, args.enriching)
    ratios = {}
    print(f"\nmedians of {args.runs} runs, ms{'':23} {'small':>10} {'big':>10} {'ratio':>7}")
    try:
        for name, measure in [
            ("user: status poll", status_poll(client)),
            ("user: upload of the 1,603-film export", upload(client)),
            ("user: film list (a page of 100)", film_list(client)),
            ("user: session page, first visit", first_visit(client)),
            ("user: per-film step (cache read, writes)", film_step()),
            ("user: year analytics, uncached", year_analytics(client)),
            ("job: enrichment start, cache pass", cache_pass()),
            (f"job: reconciler beat ({args.enriching} enriching)", reconciler_beat()),
            ("job: a round's film selection", round_selection()),
            ("job: refresh_estimates", refresh()),
        ]:
            if args.only not in name:
                continue
            medians, scans = paired(sides, args.runs, measure, explain=True)
            ratios[name] = row(name, medians)
            print_scans(scans)
        for label, (one, all_of_them) in counts.items():
            print(
                f"    {label}: a reconciler beat's queries with 1 enriching: {one}, with all: {all_of_them}"
            )
    finally:
        stop_enriching(sides)

    expire = max(1, args.sessions // 10)
    results = {}
    for side in sides if args.only in "job: cleanup" else ():
        scale_build.use_database(side.database)
        results[side.label] = cleanup(side, expire)
    name = f"job: cleanup, per 1,000 movies ({expire} sessions)"
    if results:
        ratios[name] = row(name, {label: result["per_1000"] for label, result in results.items()})
        print_scans(results["big"]["scans"])
    for label, result in results.items():
        print(
            f"    {label}: {result['movies']:,} movies in {result['seconds']:.2f} s,"
            f" {result['batches']} batches,"
            f" longest {result['longest'] * 1000:.0f} ms (goal <= {GOAL_BATCH_MS})"
        )
    print(f"load average {os.getloadavg()}")
    worst = max(ratios, key=ratios.get)
    print(f"scale: worst_ratio={ratios[worst]:.2f} job={worst}")


if __name__ == "__main__":
    main()
