"""Fairness benchmark: sessions sharing one TMDB budget at the real 40 requests / 10 s.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/fairness.py [--port 18010] [--runs 3]

Per run: a --big-films session (2,000) is uploaded; --delay s (10) later a --small-films session
(20, new films) and a fully cached --cached-films session (1,600) are uploaded together. Uploads go
as the API's do (the upload signal queues start_enrichment). Starts the stand-in
(``manage.py fake_tmdb``) and ``celery -A config worker -c 4`` as subprocesses; uses the database
and Redis of DATABASE_URL and REDIS_URL; deletes its sessions afterwards. Prints per run and as
medians:

- small: seconds from its upload to its completion (goal <= 30 s)
- cached: seconds from its upload to its completion (goal <= 5 s)
- efficiency: TMDB requests the stand-in received per second over --window s (from 2 s after
  the big upload), against the 4 per second ceiling (goal >= 0.97); the big session is not
  waited for (about 17 minutes)
- violations: requests past 40 in a sliding 10 s (goal 0)
- ETA ratio: the eta_seconds a session showed 5 s after its upload, over the time it really took
  from then (1.0 is exact; the big session's real time is only known with --until-done)

With --watchlist N (2,000), a completed session whose watchlist holds N new films is stored first,
and the bench plays the beat (an idle pass every 5 s, as config/celery_app.py schedules). For
--idle-seconds (20) nothing else waits: the idle share is the watchlist's requests per second over
TMDB's 4, i.e. how much of the budget nobody wanted went to watchlists (goal: most of it). Then the
run above follows, watchlist work still waiting, and it also prints the watchlist requests sent
after the big upload committed: only the entry in flight then may finish (a search and its details;
its second request goes only if no session's request was due within the last second).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from enrich import (
    RATE,
    catalog_rows,
    configure,
    forget_cached,
    movies_of,
    prefill_cache,
    start_stand_in_and_worker,
    stop,
)

SMALL_GOAL, CACHED_GOAL, EFFICIENCY_GOAL = 30.0, 5.0, 0.97
ETA_AFTER_SECONDS = 5.0
WARMUP_SECONDS = 2.0


def upload(rows, label):
    """Store a session as the upload view does; its enrichment is queued when the upload commits."""
    from django.db import transaction

    from movies.models import Movie
    from sessions.models import Session
    from sessions.signals import session_ready_for_enrichment

    with transaction.atomic():
        session = Session.objects.create(
            total_movies=len(rows), status=Session.Status.ENRICHING, upload_metadata={"bench": label}
        )
        Movie.objects.bulk_create(movies_of(session, rows))
        session_ready_for_enrichment.send(sender=Session, session_id=session.pk)
    return session.pk


class Watch:
    """One uploaded session: when it was uploaded, the ETA it showed, when it ended."""

    def __init__(self, label, session_id):
        self.label, self.session_id = label, session_id
        self.uploaded = time.monotonic()
        self.eta = None
        self.finished = None

    def poll(self, now):
        from sessions.models import Session

        session = Session.objects.get(pk=self.session_id)
        if self.eta is None and now - self.uploaded >= ETA_AFTER_SECONDS:
            self.eta = (session.eta_seconds, now)
        if self.finished is None and session.status != Session.Status.ENRICHING:
            self.finished = now
            if session.status != Session.Status.COMPLETED:
                raise SystemExit(f"the {self.label} session ended {session.status}: {session.error_message}")

    def took(self):
        return None if self.finished is None else self.finished - self.uploaded

    def eta_ratio(self):
        if self.finished is None or self.eta is None or self.eta[0] is None:
            return None
        real = self.finished - self.eta[1]
        return self.eta[0] / real if real > 0 else None


def store_watchlist(rows):
    """A completed session whose watchlist is ``rows``, as an upload stores it (never looked up yet)."""
    from movies.models import WatchlistEntry
    from sessions.models import Session

    session = Session.objects.create(status=Session.Status.COMPLETED, upload_metadata={"bench": "watchlist"})
    WatchlistEntry.objects.bulk_create(
        WatchlistEntry(session=session, title=row.title, year=row.year, letterboxd_uri=row.uri)
        for row in rows
    )
    return session.pk


class Beat:
    """Plays the beat's idle pass every IDLE_BEAT_SECONDS."""

    def __init__(self):
        self.last = 0.0

    def tick(self, now):
        from enrichment import tasks
        from enrichment.queueing.idle import IDLE_BEAT_SECONDS

        if now - self.last >= IDLE_BEAT_SECONDS:
            self.last = now
            tasks.use_idle_budget.apply_async(expires=IDLE_BEAT_SECONDS)


def idle_phase(args, watchlist_rows, stand_in):
    """Only the watchlist waits for --idle-seconds: the idle share it took, and its requests."""
    from enrichment.queueing import idle

    store_watchlist(watchlist_rows)
    idle.reset_counters()
    beat, started = Beat(), time.monotonic()
    requests_before = stand_in.stats().get("requests", 0)
    while (now := time.monotonic()) - started < args.idle_seconds:
        beat.tick(now)
        time.sleep(0.1)
    sent = idle.requests_sent().get("watchlist", 0)
    received = stand_in.stats().get("requests", 0) - requests_before
    return beat, {
        "idle_share": sent / (RATE * args.idle_seconds),
        "idle_requests": sent,
        "received": received,
    }


def one_run(args, rows, catalog, stand_in):
    from enrichment.queueing import idle
    from enrichment.tmdb import ratelimit

    big_rows = rows[: args.big_films]
    small_rows = rows[args.big_films : args.big_films + args.small_films]
    cached_start = args.big_films + args.small_films
    cached_rows = rows[cached_start : cached_start + args.cached_films]
    watchlist_rows = rows[cached_start + args.cached_films :]
    forget_cached(rows[:cached_start] + watchlist_rows, catalog)  # forgets every catalog film
    prefill_cache(cached_rows, catalog)
    ratelimit.reset()
    time.sleep(10.5)  # let the stand-in's window empty of the previous run's requests
    stand_in.reset()
    beat, idle_result = (None, {})
    if watchlist_rows:
        beat, idle_result = idle_phase(args, watchlist_rows, stand_in)

    watches = [Watch("big", upload(big_rows, "big"))]
    # Counted from the upload's commit (storing 2,000 films takes a while): the entry in flight
    # then may finish (its requests go before the session's first, or take the one slot allowed).
    before_uploads = idle.requests_sent().get("watchlist", 0) if watchlist_rows else 0
    window_start = window_end = None
    requests_at_start = 0
    while True:
        now = time.monotonic()
        elapsed = now - watches[0].uploaded
        if len(watches) == 1 and elapsed >= args.delay:
            watches += [
                Watch("small", upload(small_rows, "small")),
                Watch("cached", upload(cached_rows, "cached")),
            ]
        if window_start is None and elapsed >= WARMUP_SECONDS:
            window_start, requests_at_start = now, stand_in.stats().get("requests", 0)
        if window_end is None and window_start is not None and now - window_start >= args.window:
            window_end, requests_in_window = now, stand_in.stats().get("requests", 0) - requests_at_start
        if beat:
            beat.tick(now)
        for watch in watches:
            watch.poll(now)
        small_done = len(watches) == 3 and all(w.finished is not None for w in watches[1:])
        big_done = watches[0].finished is not None or not args.until_done
        if small_done and big_done and window_end is not None:
            break
        time.sleep(0.1)
    stats = stand_in.stats()
    if watchlist_rows:
        # The big session enriches throughout: only the entry in flight at its commit may add requests.
        idle_result["during_sessions"] = idle.requests_sent().get("watchlist", 0) - before_uploads
    return {
        **idle_result,
        "small": watches[1].took(),
        "cached": watches[2].took(),
        "big": watches[0].took(),
        "efficiency": requests_in_window / (RATE * (window_end - window_start)),
        "violations": stats.get("violations", 0),
        "eta": {watch.label: (watch.eta[0] if watch.eta else None, watch.eta_ratio()) for watch in watches},
    }


def fmt(value, pattern="{:.2f}"):
    return "n/a" if value is None else pattern.format(value)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--big-films", type=int, default=2000)
    parser.add_argument("--small-films", type=int, default=20)
    parser.add_argument("--cached-films", type=int, default=1600)
    parser.add_argument(
        "--delay", type=float, default=10.0, help="seconds between the big upload and the others"
    )
    parser.add_argument(
        "--window", type=float, default=90.0, help="seconds over which efficiency is measured"
    )
    parser.add_argument("--until-done", action="store_true", help="also wait for the big session")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=4, help="worker processes")
    parser.add_argument("--port", type=int, default=18010, help="the stand-in's port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--watchlist", type=int, default=0, help="watchlist films waiting (e.g. 2000)")
    parser.add_argument(
        "--idle-seconds", type=float, default=20.0, help="with --watchlist: seconds of watchlist work alone"
    )
    args = parser.parse_args()
    configure(args.port)

    from django.core.management import call_command

    from config.celery_app import app
    from sessions.models import Session

    call_command("migrate", verbosity=0)
    total = args.big_films + args.small_films + args.cached_films + args.watchlist
    catalog_size = max(3000, total)
    rows, catalog = catalog_rows(args.seed, catalog_size, total)
    stand_in, fake, worker = start_stand_in_and_worker(args, catalog_size, "fairness")
    results = []
    try:
        print(f"load average at start: {os.getloadavg()[0]:.2f} (the machine is shared: expect noise)")
        print(
            f"{args.big_films} new films, then {args.delay:g} s later {args.small_films} new and "
            f"{args.cached_films} cached; {args.processes} worker processes, stand-in at 40 requests / 10 s"
        )
        for run in range(1, args.runs + 1):
            result = one_run(args, rows, catalog, stand_in)
            results.append(result)
            eta = ", ".join(
                f"{label} {fmt(shown, '{:.0f}')} s (ratio {fmt(ratio)})"
                for label, (shown, ratio) in result["eta"].items()
            )
            print(
                f"  run {run}: small {fmt(result['small'], '{:.1f}')} s, "
                f"cached {fmt(result['cached'], '{:.1f}')} s, "
                f"big {fmt(result['big'], '{:.0f}')} s, efficiency {result['efficiency']:.3f}, "
                f"violations {result['violations']}; ETA 5 s after upload: {eta}"
            )
            if args.watchlist:
                print(
                    f"    watchlist alone for {args.idle_seconds:g} s: {result['idle_requests']} requests "
                    f"(the stand-in received {result['received']}), idle share used "
                    f"{result['idle_share']:.3f}; watchlist requests after the upload committed: "
                    f"{result['during_sessions']}"
                )
            Session.objects.filter(upload_metadata__has_key="bench").delete()
            app.control.purge()

        def median(key):
            values = [r[key] for r in results if r[key] is not None]
            return statistics.median(values) if values else None

        def median_ratio(label):
            values = [r["eta"][label][1] for r in results if r["eta"][label][1] is not None]
            return statistics.median(values) if values else None

        print(
            f"median of {len(results)}: small {fmt(median('small'), '{:.1f}')} s (goal <= {SMALL_GOAL:g}), "
            f"cached {fmt(median('cached'), '{:.1f}')} s (goal <= {CACHED_GOAL:g}), "
            f"efficiency {median('efficiency'):.3f} (goal >= {EFFICIENCY_GOAL}), "
            f"violations {max(r['violations'] for r in results)} max (goal 0), "
            f"ETA ratio small {fmt(median_ratio('small'))}, cached {fmt(median_ratio('cached'))}, "
            f"big {fmt(median_ratio('big'))}"
        )
        if args.watchlist:
            print(
                f"  with {args.watchlist} watchlist films waiting: idle share used for watchlists "
                f"{median('idle_share'):.3f}, watchlist requests after the upload committed "
                f"{max(r['during_sessions'] for r in results)} max (goal: only the entry in flight, 2)"
            )
    finally:
        stop(worker)
        stop(fake)
        Session.objects.filter(upload_metadata__has_key="bench").delete()
        app.control.purge()


if __name__ == "__main__":
    main()
