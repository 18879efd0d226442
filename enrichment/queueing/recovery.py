"""Finding lost enrichment work and queueing exactly that again; the beat runs it every 15 s.

Work is lost when a worker is killed (the films it held stay invisible in Redis for the
visibility timeout), when Redis restarts (it keeps nothing on disk) or when a round's callback
fails. A film is lost when it was sent (its id is at most its session's round cursor), is still
pending, and its task is neither in the film queue nor held by a live worker (running, reserved
or waiting for a retry countdown). A film is never taken for lost in the instant between a
worker popping it and reporting it: in a session still progressing (its other rounds go on after a
worker died), a film counts as lost only when two checks at least CONFIRM_AFTER apart both missed
it; a session without progress for QUIET_AFTER is examined whole, its rounds restarted if none is
left in flight (a lost round callback). Re-sending a film whose task does turn up later is
harmless: enriching a movie is idempotent (conditional writes), so nothing is done or counted twice.
"""

import base64
import json
from datetime import timedelta

from celery import current_app
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from config.celery_app import FILM_QUEUE
from enrichment.queueing.scheduling import ROUNDS_IN_FLIGHT, refresh_estimates, send_rounds
from enrichment.services.enriching import complete_finished
from enrichment.task_names import ENRICH_MOVIE
from movies.models import Movie
from sessions.models import Session

Status = Movie.EnrichmentStatus
# Longer than a film may wait for its slot in a worker (MAX_SLOT_WAIT_SECONDS) plus a round.
QUIET_AFTER = timedelta(seconds=45)
# A worker reports a message it popped within milliseconds: missed at two checks this far apart
# (the beat's are 15 s apart), a film's task is gone.
CONFIRM_AFTER = timedelta(seconds=5)
MISSING_KEY = "enrichment:recovery:missing"
INSPECT_TIMEOUT_SECONDS = 1.0


def reconcile_sessions(*, now=None):
    """Complete finished sessions whose last callback was lost; re-send lost films.

    Returns {"completed": sessions completed, "requeued": films sent again (with their round's
    next films when the session had nothing left in flight)}.
    """
    now = now or timezone.now()
    enriching = Session.objects.filter(status=Session.Status.ENRICHING)
    completed = complete_finished(enriching, now)
    sessions = list(enriching.values_list("pk", "round_cursor", "updated_at"))
    if not sessions:
        return {"completed": completed, "requeued": 0}
    held = movies_in_broker() | movies_held_by_workers()
    # Read after what is held: a film a worker finishes meanwhile is then no longer pending.
    in_flight_of = films_in_flight()
    last_check = cache.get(MISSING_KEY)
    since_last = now.timestamp() - last_check["at"] if last_check else None
    confirming = since_last is not None and since_last >= CONFIRM_AFTER.total_seconds()
    missing_before = set(last_check["movies"]) if confirming else set()
    still_missing, requeued = set(), 0
    for session_id, cursor, updated_at in sessions:
        in_flight = {movie_id for movie_id in in_flight_of.get(session_id, ()) if movie_id <= cursor}
        missing = in_flight - held
        if updated_at < now - QUIET_AFTER:
            if in_flight and not missing:
                continue  # every film it sent is queued or in a worker: it is waiting its turn
            # Nothing of it left in flight: restart its rounds, the lost films first.
            requeued += send_rounds(
                session_id, ROUNDS_IN_FLIGHT if missing == in_flight else 1, lost=sorted(missing)
            )
        elif lost := missing & missing_before:
            # Its other rounds go on; these films' round will never call back: a round replaces it.
            requeued += send_rounds(session_id, 0, lost=sorted(lost))
            still_missing |= missing - lost
        else:
            still_missing |= missing
    if last_check is None or confirming:
        cache.set(MISSING_KEY, {"at": now.timestamp(), "movies": sorted(still_missing)}, timeout=300)
    # Every beat, whether or not anything was lost: rounds refresh the estimates only now and
    # then (scheduling.continue_enrichment), so the beat bounds how stale they get.
    refresh_estimates()
    return {"completed": completed, "requeued": requeued}


def films_in_flight():
    """{session id: ids of its films sent and still pending}, of every enriching session in one
    query: per session, the index range of its pending films up to its round cursor, so it reads
    the films in flight (a couple of rounds each), not the sessions' pending films. (LATERAL with
    OFFSET 0 and ORDER BY id keep that plan when the planner's statistics hold few pending films.)"""
    in_flight = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT session.id, movie.id FROM {Session._meta.db_table} AS session
            CROSS JOIN LATERAL (
                SELECT id FROM {Movie._meta.db_table}
                WHERE session_id = session.id AND enrichment_status = %s AND id <= session.round_cursor
                ORDER BY id OFFSET 0
            ) AS movie
            WHERE session.status = %s
            """,
            [Status.PENDING, Session.Status.ENRICHING],
        )
        for session_id, movie_id in cursor.fetchall():
            in_flight.setdefault(session_id, set()).add(movie_id)
    return in_flight


def movies_in_broker():
    """Ids of the movies whose enrich_movie message waits in the film queue (every priority).

    Rounds keep the queue short (a couple of rounds per enriching session), so reading it is cheap.
    """
    movie_ids = set()
    with current_app.connection_for_read() as connection:
        channel = connection.default_channel
        for priority in channel.priority_steps:
            for raw in channel.client.lrange(channel._q_for_pri(FILM_QUEUE, priority), 0, -1):
                movie_id = _movie_of_message(raw)
                if movie_id is not None:
                    movie_ids.add(movie_id)
    return movie_ids


def _movie_of_message(raw):
    message = json.loads(raw)
    if message.get("headers", {}).get("task") != ENRICH_MOVIE:
        return None
    body = message["body"]
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]
    return args[0] if args else None


def movies_held_by_workers():
    """Ids of the movies whose enrich_movie task a live worker runs, has reserved or holds for a retry."""
    inspect = current_app.control.inspect(timeout=INSPECT_TIMEOUT_SECONDS)
    requests = []
    for replies in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        for tasks in (replies or {}).values():
            requests += [task.get("request", task) for task in tasks]
    return {
        request["args"][0]
        for request in requests
        if request.get("name") == ENRICH_MOVIE and request.get("args")
    }
