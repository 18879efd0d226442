"""Work no session waits for, done only with the TMDB budget nobody wants: first the watchlists
(looked up with the matcher and caches a session's film uses), then the cached films nearing the
end of their freshness (refetched before they go stale, so a re-upload finds them fresh).

Two guards keep it out of the sessions' way:

- It does nothing while any session is enriching (or being stored): a session's film always goes
  first. That is read before every request.
- Every request takes an *idle* slot (ratelimit.acquire_idle): granted only when nobody is queued
  for the bucket and no session's request has been due for a second. So a session that starts in
  between is delayed by at most the one slot already granted, and by none after its first request.

One pass at a time (a Redis lock), a few seconds long, so that it holds one worker process briefly:
the beat starts a pass every IDLE_BEAT_SECONDS, and a pass that ran out of time with work left
sends the next one itself. Entries are taken in turn across sessions (each session's first, then
each one's second...), so one 2,500-film watchlist does not hold back a small one.
"""

import contextlib
import time
from datetime import timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from enrichment.matching.resolving import FILM_TTL
from enrichment.services.watchlists import finish_entries_from_cache, look_up_entry, refresh_film
from enrichment.tmdb.client import TmdbAuthError, TmdbClient, TmdbTransientError
from enrichment.tmdb.ratelimit import IdleBudgetTaken, redis_client
from movies.models import Film, Movie, WatchlistEntry
from sessions.models import Session

# The beat looks for idle work this often (config/celery_app.py).
IDLE_BEAT_SECONDS = 5.0
# A pass holds its worker process about this long at most, then hands over to the next pass.
PASS_SECONDS = 5.0
# Entries read (and resolved from the caches at once) per batch.
BATCH = 32
# An idle slot may take this long to come (the bucket refilling after the last one) before the
# pass gives up: longer means sessions want the budget.
IDLE_SLOT_WAIT_SECONDS = 2.0
# Films fetched longer ago than FILM_TTL - REFRESH_AHEAD are refreshed in idle time.
REFRESH_AHEAD = timedelta(days=5)
LOCK_KEY = "enrichment:idle-pass"
# Requests idle work has sent, by kind (watchlist, refresh): what the operators and bench/fairness.py read.
REQUESTS_KEY = "enrichment:idle-requests"
LOCK_SECONDS = 60  # a pass that died frees the lock after this
BUSY_STATUSES = (Session.Status.PROCESSING, Session.Status.ENRICHING)

# Outcomes of a pass.
BUSY = "busy"  # sessions want the budget (or TMDB is out, or another pass runs)
DONE = "done"  # nothing left to do
MORE = "more"  # out of time, work left: the next pass follows at once


def sessions_want_budget():
    """Whether any session's films are waiting: a session enriching or being stored."""
    return Session.objects.filter(status__in=BUSY_STATUSES).exists()


def run_pass(*, seconds=PASS_SECONDS, client=None):
    """Look up watchlist entries, then refresh films, with idle slots for about ``seconds``; returns
    BUSY, DONE or MORE, and counts in ``pass_counts`` (looked up from TMDB, from the caches,
    films refreshed)."""
    lock = redis_client().set(LOCK_KEY, "1", nx=True, ex=LOCK_SECONDS)
    if not lock:
        return BUSY, {}
    counts = {"looked_up": 0, "from_cache": 0, "refreshed": 0}
    try:
        return _run(time.monotonic() + seconds, client or idle_client(), counts), counts
    finally:
        redis_client().delete(LOCK_KEY)


def idle_client():
    return TmdbClient(max_wait_for_slot=IDLE_SLOT_WAIT_SECONDS, idle=True)


def _run(deadline, client, counts):
    batch = []  # entries the caches did not know when read: one TMDB lookup each
    try:
        while time.monotonic() < deadline:
            if not batch:
                rows = next_entries(BATCH)
                if rows:
                    finished = finish_entries_from_cache(rows)
                    counts["from_cache"] += len(finished)
                    batch = [row for row in rows if row[0] not in finished]
                    continue
            if batch:
                if sessions_want_budget():
                    return BUSY
                # An entry whose film an earlier one of the batch found costs no request: resolve()
                # reads the caches first.
                with _counted(client, "watchlist"):
                    look_up_entry(*batch.pop(0), client)
                counts["looked_up"] += 1
                continue
            films = films_to_refresh(1)
            if not films:
                return DONE
            if sessions_want_budget():
                return BUSY
            with _counted(client, "refresh"):
                refresh_film(films[0], client)
            counts["refreshed"] += 1
    except (IdleBudgetTaken, TmdbAuthError, TmdbTransientError):
        # Sessions took the budget, the key is refused or TMDB failed: the beat tries again later.
        return BUSY
    return MORE


@contextlib.contextmanager
def _counted(client, kind):
    """Add the requests the block sent (even when it raised) to the idle counters."""
    before = client.requests_sent
    try:
        yield
    finally:
        if client.requests_sent > before:
            redis_client().hincrby(REQUESTS_KEY, kind, client.requests_sent - before)


def requests_sent():
    """{kind: requests} idle work has sent since the counters were reset."""
    return {kind.decode(): int(count) for kind, count in redis_client().hgetall(REQUESTS_KEY).items()}


def reset_counters():
    redis_client().delete(REQUESTS_KEY)


def next_entries(limit):
    """Pending watchlist entries of live sessions, in turn across sessions: (id, title, year, uri)."""
    table = WatchlistEntry._meta.db_table
    sessions = Session._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id, title, year, letterboxd_uri FROM (
                SELECT entry.id, entry.title, entry.year, entry.letterboxd_uri, entry.lookup_attempts,
                       row_number() OVER (PARTITION BY entry.session_id ORDER BY entry.id) AS turn
                FROM {table} AS entry JOIN {sessions} AS session ON session.id = entry.session_id
                WHERE entry.lookup_status = %s AND session.expires_at > %s
            ) AS pending
            ORDER BY lookup_attempts, turn, id
            LIMIT %s
            """,
            [WatchlistEntry.LookupStatus.PENDING, timezone.now(), limit],
        )
        return cursor.fetchall()


def films_to_refresh(limit):
    """Cached films nearing (or past) their freshness limit that a live session's films or watchlist
    name, the oldest first: tmdb ids."""
    now = timezone.now()
    live = Session.objects.filter(expires_at__gt=now)
    in_films = Movie.objects.filter(session__in=live, tmdb_id__isnull=False)
    on_watchlists = WatchlistEntry.objects.filter(session__in=live, film__isnull=False)
    return list(
        Film.objects.filter(
            Q(tmdb_id__in=in_films.values("tmdb_id")) | Q(tmdb_id__in=on_watchlists.values("film_id")),
            fetched_at__lt=now - (FILM_TTL - REFRESH_AHEAD),
        )
        .order_by("fetched_at")
        .values_list("tmdb_id", flat=True)[:limit]
    )
