"""ETA benchmark: how honest is a session's ``eta_seconds`` over a whole upload?

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/eta.py [--runs 3] [--films 400] [--mix hard]
        [--error-rate 0.1]

Per run: the cached films are forgotten and the ETA's measure of requests per film is reset (so
each run starts, as a fresh deploy does, from the assumed 2), then one session of --films rows of
the TMDB stand-in's catalog is uploaded as the API does (the upload signal queues its enrichment),
at the real limit (40 requests / 10 s), with ``celery -A config worker -c 4`` as
bench/fairness.py starts it. The session is read every second (``eta_seconds`` and the counts
are what GET /api/session/{id}/status shows); at the first read with 10 %, 25 %, 50 % and 75 % of
the films processed, the ETA shown is recorded, and the real time left from that read to the
session's ``completed_at``.

Prints per run and as medians over --runs:

- ETA / real time left at each checkpoint (1.0 is exact; above 1 promises too long a wait)
  - measured: the ETA the session showed (enrichment/queueing/pace.py's mean requests per film)
  - fixed 2: the old assumption, computed offline from the same reads: films left (as
    enrichment/queueing/scheduling.py counts them) x 2 / the shared refill rate
- requests per film at the end: ``enrichment.queueing.pace.requests_per_film()`` (the last 200 films),
  and the stand-in's request count / films (the whole session)

--mix realistic (default) is bench/enrich.py's mix (86 % exact year, 5 % a year off, 5 % absent,
4 % decoy); --mix hard replaces a fifth of it with the catalog's TV miniseries and episodes,
renamed titles and ties, which cost more requests per film. --error-rate 0.1 has the stand-in
answer a tenth of requests 500/503 at random: the films retry, and their failed attempts' requests
are part of what the ETA must foresee.

--sessions 10 is the many-sessions case instead: the same export uploaded as 10 sessions at once
(they need the same films). Each session's ETA shown at its first read READ_AFTER_SECONDS after the
upload is divided by the real time from that read to its completion; goal 0.8 to 1.25.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from enrich import (
    catalog_rows,
    configure,
    forget_cached,
    stand_in_options,
    start_stand_in_and_worker,
    stop,
)
from fairness import upload

CHECKPOINTS = (0.10, 0.25, 0.50, 0.75)
OLD_REQUESTS_PER_FILM = 2.0
POLL_SECONDS = 1.0
READ_AFTER_SECONDS = 5.0
SHARED_GOAL = (0.8, 1.25)
# --mix hard: these shares of the session come from the catalog's harder cases, the rest is the
# realistic mix. The catalog is made large enough to hold them (renamed titles are 0.3 % of it).
HARD_SHARES = {
    "tv_miniseries": 0.06,
    "tv_episode": 0.03,
    "renamed_longer": 0.02,
    "renamed_spelling": 0.02,
    "split_tie": 0.02,
    "same_year_tie": 0.02,
    "short_vs_feature": 0.02,
}


def session_rows(mix, films, seed):
    """(rows, catalog, catalog size) for a session of ``films`` rows in ``mix``."""
    size = max(3000, 7 * films)
    rows, catalog = catalog_rows(seed, size, films)
    if mix == "hard":
        rng = random.Random(seed)
        harder = [
            row
            for case, share in HARD_SHARES.items()
            for row in rng.sample(catalog.rows_of(case), round(share * films))
        ]
        rows = rows[: films - len(harder)] + harder
        rng.shuffle(rows)
    return rows, catalog, size


def one_run(rows, catalog, stand_in):
    """Upload ``rows`` as one session and follow it; returns the run's figures."""
    from enrichment.queueing import pace
    from enrichment.tmdb import ratelimit
    from sessions.models import Session

    forget_cached(rows, catalog)
    ratelimit.reset()
    pace.reset()
    time.sleep(10.5)  # let the stand-in's window empty of the previous run's requests
    stand_in.reset()

    session_id = upload(rows, "eta")
    total = len(rows)
    points = {}  # checkpoint: (read at, ETA shown, films left as the scheduler counts them)
    while True:
        session = Session.objects.get(pk=session_id)
        read_at = time.time()
        if session.status != Session.Status.ENRICHING:
            break
        for checkpoint in CHECKPOINTS:
            if checkpoint not in points and session.processed_count >= checkpoint * total:
                left = total - session.processed_count
                points[checkpoint] = (read_at, session.eta_seconds, left)
        time.sleep(POLL_SECONDS)
    if session.status != Session.Status.COMPLETED:
        raise SystemExit(f"the session ended {session.status}: {session.error_message}")
    end = session.completed_at.timestamp()
    rate = ratelimit.refill_per_second()
    checkpoints = {}
    for checkpoint, (read_at, eta, left) in points.items():
        real = end - read_at
        checkpoints[checkpoint] = {
            "real": real,
            "eta": eta,
            "measured": eta / real if eta is not None and real > 0 else None,
            "fixed": left * OLD_REQUESTS_PER_FILM / rate / real if real > 0 else None,
        }
    requests = stand_in.stats().get("requests", 0)
    return {
        "wall": end - session.enrichment_started_at.timestamp(),
        "checkpoints": checkpoints,
        "pace": pace.requests_per_film(),
        "stand_in": requests / total,
        "requests": requests,
        "outcome": (session.enriched_count, session.not_found_count, session.tv_count, session.failed_count),
    }


def shared_run(rows, catalog, stand_in, count):
    """Upload ``rows`` as ``count`` sessions at once; {session: (ETA shown, real time left)}."""
    from enrichment.queueing import pace
    from enrichment.tmdb import ratelimit
    from sessions.models import Session

    forget_cached(rows, catalog)
    ratelimit.reset()
    pace.reset()
    time.sleep(10.5)
    stand_in.reset()
    uploaded = time.time()
    ids = [upload(rows, f"eta-shared-{index}") for index in range(count)]
    shown = {}  # session: (read at, ETA shown)
    while True:
        sessions = list(Session.objects.filter(pk__in=ids))
        read_at = time.time()
        for session in sessions:
            if session.pk not in shown and read_at - uploaded >= READ_AFTER_SECONDS:
                shown[session.pk] = (read_at, session.eta_seconds)
        if all(session.status != Session.Status.ENRICHING for session in sessions):
            break
        time.sleep(POLL_SECONDS)
    results = {}
    for session in sessions:
        if session.status != Session.Status.COMPLETED:
            raise SystemExit(f"a session ended {session.status}: {session.error_message}")
        read_at, eta = shown.get(session.pk, (None, None))
        real = session.completed_at.timestamp() - read_at if read_at else None
        results[session.pk] = (eta, real)
    return results, stand_in.stats().get("requests", 0)


def print_shared(number, results, requests):
    ratios = sorted(eta / real for eta, real in results.values() if eta is not None and real)
    reals = [real for _, real in results.values() if real]
    print(
        f"  run {number}: {len(results)} sessions of one export, {requests} TMDB requests, real time "
        f"left {min(reals):.0f} to {max(reals):.0f} s, ETA/real median "
        f"{statistics.median(ratios):.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f}; goal "
        f"{SHARED_GOAL[0]} to {SHARED_GOAL[1]}), load average {os.getloadavg()[0]:.2f}"
    )
    return statistics.median(ratios)


def fmt(value, pattern="{:.2f}"):
    return "n/a" if value is None else pattern.format(value)


def row(label, values, pattern="{:.2f}"):
    return f"    {label:<22}" + "".join(f"{fmt(value, pattern):>8}" for value in values)


def print_run(number, result):
    points = [result["checkpoints"].get(checkpoint, {}) for checkpoint in CHECKPOINTS]
    print(
        f"  run {number}: {result['wall']:.0f} s from start to completion, {result['requests']} TMDB "
        f"requests, enriched/not found/TV/failed {result['outcome']}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(row("checkpoint", [f"{checkpoint:.0%}" for checkpoint in CHECKPOINTS], "{}"))
    print(row("real time left (s)", [point.get("real") for point in points], "{:.0f}"))
    print(row("ETA shown (s)", [point.get("eta") for point in points], "{:.0f}"))
    print(row("ETA/real, measured", [point.get("measured") for point in points]))
    print(row("ETA/real, fixed 2", [point.get("fixed") for point in points]))
    print(
        f"    requests per film at the end: pace {result['pace']:.3f} (last 200 films), "
        f"stand-in {result['stand_in']:.3f} (all films)"
    )


def print_medians(results):
    def median(values):
        values = [value for value in values if value is not None]
        return statistics.median(values) if values else None

    def at(checkpoint, key):
        return median(result["checkpoints"].get(checkpoint, {}).get(key) for result in results)

    print(f"median of {len(results)} runs:")
    print(row("checkpoint", [f"{checkpoint:.0%}" for checkpoint in CHECKPOINTS], "{}"))
    print(row("ETA/real, measured", [at(checkpoint, "measured") for checkpoint in CHECKPOINTS]))
    print(row("ETA/real, fixed 2", [at(checkpoint, "fixed") for checkpoint in CHECKPOINTS]))
    print(
        f"    requests per film at the end: pace {median(r['pace'] for r in results):.3f}, "
        f"stand-in {median(r['stand_in'] for r in results):.3f}"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--films", type=int, default=400, help="films in the session")
    parser.add_argument("--runs", type=int, default=3, help="runs (each takes about films/2 seconds)")
    parser.add_argument("--mix", choices=("realistic", "hard"), default="realistic")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of TMDB answers that are a 5xx")
    parser.add_argument("--sessions", type=int, default=0, help="many-sessions case: uploads of one export")
    stand_in_options(parser, port=18700)
    args = parser.parse_args()
    configure(args.port)
    from django.core.management import call_command

    from enrichment.tmdb.ratelimit import refill_per_second

    call_command("migrate", verbosity=0)
    rows, catalog, catalog_size = session_rows(args.mix, args.films, args.seed)
    stand_in, fake, worker = start_stand_in_and_worker(args, catalog_size, "eta", args.error_rate)
    print(
        f"load average at start: {os.getloadavg()[0]:.2f} (the machine is shared: expect noise)\n"
        f"{args.films} new films, {args.mix} mix, {args.error_rate:.0%} of answers a 5xx; "
        f"{args.processes} worker processes, stand-in at "
        f"40 requests / 10 s (refill {refill_per_second():g} per s); ETA / real time left"
    )
    results = []
    try:
        if args.sessions:
            medians = []
            for number in range(1, args.runs + 1):
                medians.append(print_shared(number, *shared_run(rows, catalog, stand_in, args.sessions)))
                forget_sessions()
            print(f"median over runs of the median ETA/real: {statistics.median(medians):.2f}")
            return
        for number in range(1, args.runs + 1):
            results.append(one_run(rows, catalog, stand_in))
            print_run(number, results[-1])
            forget_sessions()
        print_medians(results)
    finally:
        stop(worker)
        stop(fake)
        forget_sessions()


def forget_sessions():
    """Delete the bench's sessions and whatever of theirs is still queued."""
    from config.celery_app import app
    from sessions.models import Session

    Session.objects.filter(upload_metadata__has_key="bench").delete()
    app.control.purge()


if __name__ == "__main__":
    main()
