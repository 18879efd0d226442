"""Which films go to the workers, and when: every session's chord is fed in rounds.

A session never has more than ROUNDS_IN_FLIGHT rounds of ROUND_SIZE films in the broker. Each
round is a chord whose callback (continue_enrichment) sends the session's next round, so a round
that finishes goes to the back of the film queue: sessions take turns, and a newcomer waits
behind at most a couple of rounds per session instead of behind whole sessions. Rounds carry a
Redis priority from the work the session has left (small sessions first). A deleted, failed or
finished session simply gets no next round, so at most its few queued films are left to skip.

Movies are sent in id order; ``Session.round_cursor`` is the highest id sent in this run, so
"sent but still pending" (the in-flight films) is a range query, which recovery.py uses to find
films whose task was lost. Films the cross-session cache knows are finished when the session
starts, in batches, and again as each round is assembled, so they never queue.

Every session's expected finish is recomputed when a session starts or ends, after rounds at
most every ESTIMATES_EVERY_SECONDS, and at each reconciler beat, and stored (``eta_at``,
``queue_position``): the status read only subtracts now.
"""

from datetime import timedelta
from itertools import groupby

from celery import chord, signature
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from enrichment.queueing import pace
from enrichment.services.cached import finish_from_cache
from enrichment.services.enriching import complete_finished
from enrichment.task_names import (  # names, not imports: tasks.py imports this module
    CONTINUE_ENRICHMENT,
    ENRICH_MOVIE,
)
from enrichment.tmdb import ratelimit
from movies.models import Movie
from sessions.models import PROCESSED_COUNT, Session

Status = Movie.EnrichmentStatus
# 8 films are about 4 s of the whole budget (2 requests each at 4 a second): a newcomer waits
# at most ROUNDS_IN_FLIGHT such rounds per session of its tier before its own first round.
ROUND_SIZE = 8
# Two rounds, so that workers never idle while a round's callback sends the next one.
ROUNDS_IN_FLIGHT = 2
# The start's cache pass reads pending movies in batches of this many: bounded memory whatever
# the session's size, and lookups of the URI and title caches short enough to stay on their indexes
# (at 800 URIs PostgreSQL already scanned a 200,000-film cache in full).
DISPATCH_BATCH = 200
# A session's tier by the films it has left (at most 100, 1,000, 10,000, more), as a Redis priority.
# Kombu's Redis transport keeps one list per priority step (0, 3, 6, 9); workers pop the lower first.
TIER_LIMITS = (100, 1000, 10_000)
TIER_PRIORITIES = (0, 3, 6, 9)
# Rounds refresh every session's estimates at most this often (one pass reads every enriching session).
ESTIMATES_EVERY_SECONDS = 5
ESTIMATES_KEY = "enrichment:estimates:refreshed"
# Each AGING_MINUTES a session has been enriching lift it one tier, so that a stream of small
# uploads cannot hold a big one back for ever: after at most three steps it takes turns with them.
AGING_MINUTES = 10


def dispatch_enrichment(session_id):
    """Start enriching a session's pending movies; returns how many were pending.

    Marks the session enriching, finishes the films the cache knows (in batches, a few bulk
    queries each, so a known upload completes in seconds) and sends the first rounds of the
    others. With nothing left pending, the session is completed. Rounds leave on commit.
    """
    now = timezone.now()
    pending = Movie.objects.filter(session_id=session_id, enrichment_status=Status.PENDING)
    sessions = Session.objects.filter(pk=session_id)
    with transaction.atomic():
        if not sessions.select_for_update().exists():
            return 0
        if not pending.exists():
            complete_finished(sessions.exclude(status=Session.Status.COMPLETED), now)
            return 0
        sessions.update(
            status=Session.Status.ENRICHING,
            enrichment_started_at=now,
            completed_at=None,
            error_message="",
            updated_at=now,
            round_cursor=0,
        )
        taken, cursor = 0, 0
        while rows := list(_pending_after(session_id, cursor, DISPATCH_BATCH)):
            finish_from_cache(session_id, rows, now)
            taken += len(rows)
            cursor = rows[-1][0]
        if not send_rounds(session_id, ROUNDS_IN_FLIGHT):
            complete_finished(sessions, timezone.now())
    refresh_estimates()
    return taken


def continue_enrichment(session_id):
    """A round's callback: send the session's next round, or complete it when nothing is left."""
    if send_rounds(session_id, 1):
        # Not after every round of every session: at most once per ESTIMATES_EVERY_SECONDS across the
        # deployment (the reconciler's beat refreshes them too), since each pass reads them all.
        if cache.add(ESTIMATES_KEY, 1, timeout=ESTIMATES_EVERY_SECONDS):
            refresh_estimates()
        return
    complete_finished(Session.objects.filter(pk=session_id, status=Session.Status.ENRICHING), timezone.now())
    refresh_estimates()  # a session ended: the others move up at once


def send_rounds(session_id, rounds, *, lost=()):
    """Send the session's ``lost`` films (sent before, their task gone) and new films past the
    cursor, in at least ``rounds`` rounds of at most ROUND_SIZE; returns how many films were sent.

    Nothing is sent unless the session is enriching.
    """
    lost = list(lost)
    sent = 0
    with transaction.atomic():
        # The lock makes concurrent callbacks of one session take turns: no film is sent twice.
        session = (
            Session.objects.select_for_update()
            .filter(pk=session_id, status=Session.Status.ENRICHING)
            .values("round_cursor")
            .first()
        )
        if session is None:
            return 0
        cursor = session["round_cursor"]
        for start in range(0, max(rounds * ROUND_SIZE, len(lost)), ROUND_SIZE):
            films, cursor = _next_films(session_id, cursor, lost[start : start + ROUND_SIZE])
            if not films:
                break
            _send_round(session_id, films)
            sent += len(films)
        Session.objects.filter(pk=session_id).update(round_cursor=cursor)
    return sent


def _pending_after(session_id, cursor, limit):
    return (
        Movie.objects.filter(session_id=session_id, enrichment_status=Status.PENDING, pk__gt=cursor)
        .order_by("pk")
        .values_list("pk", "title", "year", "letterboxd_uri")[:limit]
    )


def _next_films(session_id, cursor, films):
    """Top ``films`` up to ROUND_SIZE with pending films past ``cursor`` that the cache does not
    resolve (those it resolves are finished on the way); returns (films, the new cursor)."""
    now = timezone.now()
    while len(films) < ROUND_SIZE:
        # Only as many as the round still needs: the start's cache pass has finished the films
        # the cache knew, so those found here are few and another short read replaces them.
        rows = list(_pending_after(session_id, cursor, ROUND_SIZE - len(films)))
        if not rows:
            break
        finished = finish_from_cache(session_id, rows, now)
        for movie_id, *_ in rows:
            cursor = movie_id
            if movie_id not in finished:
                films.append(movie_id)
                if len(films) == ROUND_SIZE:
                    break
    return films, cursor


def _send_round(session_id, films):
    left, started = (
        Session.objects.filter(pk=session_id)
        .values_list(F("total_movies") - PROCESSED_COUNT, "enrichment_started_at")
        .get()
    )
    priority = priority_for(left, _enriching_for(started, timezone.now()))
    work = chord(
        (signature(ENRICH_MOVIE, args=(movie_id,), immutable=True, priority=priority) for movie_id in films),
        signature(CONTINUE_ENRICHMENT, args=(str(session_id),), immutable=True),
    )
    transaction.on_commit(work.apply_async)


def priority_for(films_left, enriching_for=timedelta(0)):
    """The Redis priority of a session's next round: the less work left, the sooner it goes, and
    every AGING_MINUTES of enriching one tier sooner."""
    tier = sum(films_left > most for most in TIER_LIMITS)
    lifted = int(enriching_for / timedelta(minutes=AGING_MINUTES))
    return TIER_PRIORITIES[max(0, tier - lifted)]


def _enriching_for(started, now):
    return now - started if started else timedelta(0)


def finish_estimates(films_left, films_per_second, priorities=None):
    """{session: (seconds to its end, queue position)} for {session: films left}.

    Sessions of a lower priority go first (``priorities``, by default priority_for their films
    left); within a tier, rounds take turns, so the sessions share the rate equally (processor
    sharing): the smallest ends first, then the rest share its part. A session's position counts
    the sessions of the tiers before it and those of its tier.
    """
    priorities = priorities or {session: priority_for(left) for session, left in films_left.items()}
    estimates = {}
    elapsed, ahead = 0.0, 0
    ordered = sorted(films_left.items(), key=lambda item: (priorities[item[0]], item[1]))
    for _, tier in groupby(ordered, key=lambda item: priorities[item[0]]):
        tier = list(tier)
        served = 0
        for index, (session_id, films) in enumerate(tier):
            elapsed += (films - served) * (len(tier) - index) / films_per_second
            served = films
            estimates[session_id] = (elapsed, ahead + len(tier))
        ahead += len(tier)
    return estimates


def refresh_estimates():
    """Store every enriching session's expected end and queue position.

    A film several enriching sessions hold is looked up once (queueing/lookups.py) and finishes in
    all of them together (services.cached.finish_copies), so it is counted once: as work of the
    session that started first. A session then ends when its own films are done and every session
    it shares films with has looked them up.
    """
    now = timezone.now()
    sessions = {
        pk: (max(0, left), started)
        for pk, left, started in Session.objects.filter(status=Session.Status.ENRICHING).values_list(
            "pk", F("total_movies") - PROCESSED_COUNT, "enrichment_started_at"
        )
    }
    if not sessions:
        return
    owned, waits_for = _pending_films_by_owner()
    priorities = {
        pk: priority_for(left, _enriching_for(started, now)) for pk, (left, started) in sessions.items()
    }
    rate = ratelimit.refill_per_second() / pace.requests_per_film()
    estimates = finish_estimates(owned, rate, {pk: priorities[pk] for pk in owned})
    stored = []
    for pk in sessions:
        shared = [estimates[owner] for owner in {pk, *waits_for.get(pk, ())} if owner in estimates]
        seconds, position = max(shared) if shared else (0.0, 1)
        stored.append(Session(pk=pk, eta_at=now + timedelta(seconds=seconds), queue_position=position))
    Session.objects.bulk_update(stored, ["eta_at", "queue_position"])


def _pending_films_by_owner():
    """({session: films only it has to look up}, {session: other sessions looking up films it holds}).

    A pending film (by Letterboxd URI) belongs to the enriching session that started first among
    those holding it; a film without a URI to its own session.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT session_id, owner, count(*) FROM (
                SELECT movie.session_id,
                       CASE WHEN movie.letterboxd_uri = '' THEN movie.session_id
                            ELSE first_value(movie.session_id) OVER (
                                PARTITION BY movie.letterboxd_uri
                                ORDER BY session.enrichment_started_at, session.id)
                       END AS owner
                FROM {Session._meta.db_table} AS session
                -- Each enriching session's pending films on its own index range. Pending films are a
                -- sliver of the movies, often absent from the planner's statistics: OFFSET 0 keeps it
                -- from merging this into a join of every pending film with every session, and
                -- ORDER BY id keeps each read on the session's own range of the pending index.
                CROSS JOIN LATERAL (
                    SELECT session_id, letterboxd_uri FROM {Movie._meta.db_table}
                    WHERE session_id = session.id AND enrichment_status = %s ORDER BY id OFFSET 0
                ) AS movie
                WHERE session.status = %s
            ) AS films
            GROUP BY session_id, owner
            """,
            [Status.PENDING, Session.Status.ENRICHING],
        )
        owned, waits_for = {}, {}
        for session_id, owner, films in cursor.fetchall():
            if session_id == owner:
                owned[owner] = films
            else:
                waits_for.setdefault(session_id, set()).add(owner)
    return owned, waits_for
