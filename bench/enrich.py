"""Enrichment benchmark: a cold session against the TMDB stand-in at the real 40 requests / 10 s,
then warm sessions served by the cross-session cache.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/enrich.py [--films 300] [--runs 3]

Starts the stand-in (``manage.py fake_tmdb``) and ``celery -A config worker -c 4`` as subprocesses,
creates sessions with the ORM and dispatches them as an upload does. Uses the database and Redis
of DATABASE_URL and REDIS_URL (migrating the database); deletes its own sessions and the cached
films of the stand-in's catalog. Prints, per cold run and as medians:

- requests: TMDB requests the stand-in received
- wall: seconds from dispatch to the session's completion
- efficiency = (requests / 4 per s) / wall: 1.0 is the physical limit; goal >= 0.97
- violations: requests past 40 in a sliding 10 s (the stand-in answers them 429); goal 0,
  and the shortest time in which 41 requests were accepted (above 10 s = the margin kept)
- requests per film on the realistic mix of enrichment/standin/catalog.py (86 % exact year, 5 % a
  year off, 5 % absent, 4 % with a more popular same-title film in another year): goal <= 2.05

With ``--error-rate 0.1`` the stand-in answers that share of requests 500/503 at random; the
efficiency (every request, answered or not, uses a slot) has the goal >= 0.90: a failed request
retries at the next free slot instead of idling the budget. Also printed: the efficiency of the
answered requests alone, and the films that ended failed.

then the warm re-run of the same films as a new session, and a warm session of --warm-films
films (goal: 1,600 films in <= 15 s with 0 TMDB requests).

With ``--busy`` the cold runs happen on a saturated host: ``stress-ng --cpu 4`` runs meanwhile and
the worker has 8 processes (unless --processes says otherwise); the warm runs are skipped. Each
run then also prints the delays from a slot to its request's arrival at the stand-in (p50, p99,
max), which enrichment/tmdb/arrival.py settles so that violations stay 0 (the goal).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RATE = 40 / 10  # TMDB's limit in requests per second: the physical ceiling of a cold run
EFFICIENCY_GOAL = 0.97
ERROR_EFFICIENCY_GOAL = 0.90
WARM_FILMS_GOAL, WARM_SECONDS_GOAL = 1600, 15.0


def configure(port, rate_limit="40/10"):
    from enrichment.standin.server import DEFAULT_API_KEY

    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_ENV_FILE="",  # the environment only: no developer .env in the measurement
        TMDB_API_BASE_URL=f"http://127.0.0.1:{port}/3",
        TMDB_API_KEY=DEFAULT_API_KEY,
        TMDB_RATE_LIMIT=rate_limit,
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    import django

    django.setup()


def start(command, ready, what):
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"{what} did not start: {process.stderr.read()[-2000:]}")
        time.sleep(0.2)
    return process


def start_stand_in_and_worker(args, catalog_size, name, error_rate=0.0):
    """The stand-in at 40 / 10 s on ``args.port`` and a worker of ``args.processes`` processes, with
    the queues purged; returns (StandIn, stand-in process, worker process)."""
    from config.celery_app import app

    stand_in = StandIn(args.port)
    python = sys.executable
    fake = start(
        [python, "manage.py", "fake_tmdb", "--port", str(args.port), "--seed", str(args.seed),
         "--size", str(catalog_size), "--error-rate", str(error_rate)],
        stand_in.is_up,
        "the TMDB stand-in",
    )  # fmt: skip
    app.control.purge()
    worker = start(
        [str(Path(python).with_name("celery")), "-A", "config", "worker", "-c", str(args.processes),
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", f"{name}-{os.getpid()}@%h"],
        lambda: bool(app.control.ping(timeout=0.5)),
        "the Celery worker",
    )  # fmt: skip
    return stand_in, fake, worker


def stand_in_options(parser, port):
    """Add the options of a bench that starts the stand-in and a worker: --processes, --port, --seed."""
    parser.add_argument("--processes", type=int, default=4, help="worker processes")
    parser.add_argument("--port", type=int, default=port, help="the stand-in's port")
    parser.add_argument("--seed", type=int, default=7)


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def stop_group(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


class StandIn:
    def __init__(self, port):
        self.url = f"http://127.0.0.1:{port}"

    def stats(self):
        with urllib.request.urlopen(self.url + "/__stats", timeout=2) as response:
            return json.load(response)

    def reset(self):
        request = urllib.request.Request(self.url + "/__reset", method="POST")
        urllib.request.urlopen(request, timeout=2).close()

    def is_up(self):
        try:
            self.stats()
        except OSError:
            return False
        return True


def catalog_rows(seed, size, count):
    """``count`` Letterboxd rows of the stand-in's catalog in a real export's mix, and the catalog."""
    from enrichment.standin.catalog import build_catalog, realistic_mix

    catalog = build_catalog(seed, size)
    return realistic_mix(catalog, count, seed), catalog


def forget_cached(rows, catalog):
    from enrichment.matching.rules import fold_title
    from enrichment.models import LetterboxdLink
    from movies.models import Film, FilmLookup

    LetterboxdLink.objects.filter(uri__in=[row.uri for row in rows]).delete()
    FilmLookup.objects.filter(normalized_title__in={fold_title(row.title) for row in rows}).delete()
    Film.objects.filter(tmdb_id__in=[film["id"] for film in catalog.films]).delete()


def movies_of(session, rows):
    """The session's movies for catalog ``rows``, as an upload stores them."""
    from movies.models import Movie

    return [
        Movie(
            session=session, key=f"{row.uri}#{index}", title=row.title, year=row.year, letterboxd_uri=row.uri
        )
        for index, row in enumerate(rows)
    ]


def run_session(rows, label):
    """Create a session of ``rows`` as an upload would, enrich it, and return (seconds, session)."""
    from django.db import transaction

    from enrichment.queueing.scheduling import dispatch_enrichment
    from movies.models import Movie
    from sessions.models import Session

    with transaction.atomic():
        session = Session.objects.create(total_movies=len(rows), upload_metadata={"bench": label})
        Movie.objects.bulk_create(movies_of(session, rows))
    started = time.time()
    dispatch_enrichment(session.pk)
    while True:
        session.refresh_from_db()
        if session.status != Session.Status.ENRICHING:
            break
        time.sleep(0.05)
    finished = time.time()  # when a polling client sees it: at most one poll late
    if session.status != Session.Status.COMPLETED:
        raise SystemExit(f"the {label} session ended {session.status}: {session.error_message}")
    return finished - started, session


def cold_run(rows, catalog, stand_in):
    from enrichment.tmdb import ratelimit

    forget_cached(rows, catalog)
    ratelimit.reset()
    time.sleep(10.5)  # let the stand-in's window empty of the previous run's requests
    stand_in.reset()
    wall, session = run_session(rows, "cold")
    stats = stand_in.stats()
    requests = stats.get("requests", 0)
    errors = sum(count for name, count in stats.items() if name.startswith("status_5"))
    return {
        "requests": requests,
        "errors": errors,
        "wall": wall,
        "efficiency": (requests / RATE) / wall,
        "answered_efficiency": ((requests - errors) / RATE) / wall,
        "violations": stats.get("violations", 0),
        "max_in_window": stats.get("max_in_window", 0),
        "tightest_span": stats.get("tightest_span"),
        "slot_delays": stats.get("slot_delays"),
        "per_film": requests / len(rows),
        "outcome": (session.enriched_count, session.not_found_count, session.failed_count),
    }


def delays_text(delays):
    """Grant-to-arrival delays as the stand-in measured them."""
    if not delays:
        return "no slot delays measured"
    return "slot-to-arrival ms p50 {:.0f} / p99 {:.0f} / max {:.0f} ({} requests)".format(
        *(1000 * delays[key] for key in ("p50", "p99", "max")), delays["count"]
    )


def load(all_three=False):
    averages = os.getloadavg()
    return " ".join(f"{value:.2f}" for value in averages) if all_three else f"{averages[0]:.2f}"


def saturate_cores():
    """stress-ng --cpu 4 (two cores' worth twice over) until stopped."""
    try:
        # Its own process group: stopping it stops every stressor it forked.
        return subprocess.Popen(
            ["stress-ng", "--cpu", "4", "--quiet"], stdout=subprocess.DEVNULL, start_new_session=True
        )
    except FileNotFoundError:
        raise SystemExit("--busy needs stress-ng: apt-get install stress-ng (scripts/setup.sh)") from None


def warm_run(rows, stand_in, label):
    stand_in.reset()
    wall, session = run_session(rows, label)
    return wall, stand_in.stats().get("requests", 0), session


def span_text(span):
    if span is None:
        return "never 41 requests"
    return f"41 requests in no less than {span:.3f} s"


def prefill_cache(rows, catalog):
    """Cache rows as enrichment stores them, without spending the bench's TMDB budget on them."""
    from enrichment.matching.resolving import Resolution, remember_lookup
    from enrichment.matching.searching import store_film
    from enrichment.tmdb.client import film_fields
    from movies.models import Movie

    films = {film["id"]: film for film in catalog.films}
    for row in rows:
        film = store_film(film_fields(films[row.tmdb_id])) if row.tmdb_id else None
        status = Movie.EnrichmentStatus.ENRICHED if film else Movie.EnrichmentStatus.NOT_FOUND
        remember_lookup(row.title, row.year, Resolution(status, film))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--films", type=int, default=300, help="films in the cold session")
    parser.add_argument("--runs", type=int, default=3, help="cold runs (each takes >= films/2 seconds)")
    parser.add_argument("--warm-films", type=int, default=WARM_FILMS_GOAL)
    parser.add_argument("--processes", type=int, help="worker processes (4; 8 with --busy)")
    parser.add_argument("--port", type=int, default=8721, help="the stand-in's port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of TMDB answers that are a 5xx")
    parser.add_argument("--busy", action="store_true", help="saturate the cores during the cold runs")
    args = parser.parse_args()
    args.processes = args.processes or (8 if args.busy else 4)
    configure(args.port)

    from django.core.management import call_command

    from sessions.models import Session

    call_command("migrate", verbosity=0)
    catalog_size = max(3000, args.warm_films)
    rows, catalog = catalog_rows(args.seed, catalog_size, max(args.films, args.warm_films))
    stand_in, fake, worker = start_stand_in_and_worker(args, catalog_size, "bench", args.error_rate)
    stress = None
    try:
        print(f"load average at start: {os.getloadavg()[0]:.2f} (the machine is shared: expect noise)")
        if args.busy:
            stress = saturate_cores()
            print("busy host: stress-ng --cpu 4 runs during the cold runs")
        print(f"cold: {args.films} films, {args.processes} worker processes, stand-in at 40 requests / 10 s")
        cold = []
        for run in range(1, args.runs + 1):
            result = cold_run(rows[: args.films], catalog, stand_in)
            cold.append(result)
            print(
                f"  run {run}: requests {result['requests']}, wall {result['wall']:.1f} s, "
                f"efficiency {result['efficiency']:.3f}, violations {result['violations']}, "
                f"max in any 10 s {result['max_in_window']}, {span_text(result['tightest_span'])}, "
                f"requests/film {result['per_film']:.2f}, "
                f"enriched/not found/failed {result['outcome']}, {delays_text(result['slot_delays'])}, "
                f"load {load()}"
                + (f", 5xx {result['errors']}, answered efficiency {result['answered_efficiency']:.3f}"
                   if args.error_rate else "")
            )  # fmt: skip
        efficiency = statistics.median(result["efficiency"] for result in cold)
        print(
            f"cold median: requests {statistics.median(r['requests'] for r in cold):.0f}, "
            f"wall {statistics.median(r['wall'] for r in cold):.1f} s, "
            f"efficiency {efficiency:.3f} ({efficiency / EFFICIENCY_GOAL:.3f} x goal {EFFICIENCY_GOAL}), "
            f"violations {max(r['violations'] for r in cold)} max (goal 0), "
            f"requests/film on the realistic mix {statistics.median(r['per_film'] for r in cold):.3f} "
            "(goal <= 2.05)"
        )
        if stress is not None:
            stop_group(stress)
            stress = None
            print(f"load average (1, 5, 15 min) after the busy runs: {load(all_three=True)}; no warm runs")
            return
        if args.error_rate:
            answered = statistics.median(result["answered_efficiency"] for result in cold)
            print(
                f"with {args.error_rate:.0%} of answers a 5xx: efficiency {efficiency:.3f} "
                f"(goal >= {ERROR_EFFICIENCY_GOAL}), answered efficiency {answered:.3f}, "
                f"failed films {max(r['outcome'][2] for r in cold)} max"
            )

        wall, requests, _ = warm_run(rows[: args.films], stand_in, "warm re-run")
        print(
            f"warm re-run of the same {args.films} films as a new session: "
            f"{wall:.2f} s, {requests} TMDB requests"
        )

        prefill_cache(rows[args.films : args.warm_films], catalog)
        warm = [warm_run(rows[: args.warm_films], stand_in, "warm") for _ in range(3)]
        wall = statistics.median(run[0] for run in warm)
        print(
            f"warm {args.warm_films} films (median of 3): {wall:.2f} s "
            f"({WARM_SECONDS_GOAL / wall:.1f}x faster than the {WARM_SECONDS_GOAL:.0f} s goal), "
            f"{max(run[1] for run in warm)} TMDB requests (goal 0)"
        )
    finally:
        if stress is not None:
            stop_group(stress)
        stop(worker)
        stop(fake)
        Session.objects.filter(upload_metadata__has_key="bench").delete()


if __name__ == "__main__":
    main()
