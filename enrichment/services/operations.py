"""Operators' writes: re-enrich a session, refresh cached films. The admin, the staff API and the
``enrich_session`` command call these; the enrichment tasks then do the work as for an upload.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from core.errors import Conflict
from enrichment.matching.resolving import EVIDENCE_FIELDS
from enrichment.matching.rules import fold_title
from enrichment.matching.searching import store_film
from enrichment.queueing.scheduling import dispatch_enrichment
from enrichment.services.cached import COUNTER_OF, TMDB_FIELDS
from enrichment.services.watchlists import forget_film
from enrichment.tmdb.client import TmdbAuthError, TmdbClient, TmdbNotFound, TmdbTransientError
from enrichment.tmdb.ratelimit import RateLimitWaitTooLong
from movies.models import FilmLookup, Movie
from sessions.models import Session

Status = Movie.EnrichmentStatus
# Pending movies are always queued again: once a session has stopped, nothing works on them.
PROBLEM_STATUSES = (Status.FAILED, Status.NOT_FOUND, Status.PENDING)
ALL_STATUSES = tuple(Status)
# Sessions whose enrichment may still be running: re-queueing them needs force.
BUSY_STATUSES = (Session.Status.PROCESSING, Session.Status.ENRICHING)
# What a movie looks like before its first enrichment.
_UNENRICHED = {
    **{name: Movie._meta.get_field(name).get_default() for name in TMDB_FIELDS},
    "tmdb_id": None,
    "enriched_at": None,
    "enrichment_status": Status.PENDING,
    "enrichment_attempts": 0,
    "enrichment_error": "",
    **{name: Movie._meta.get_field(name).get_default() for name in EVIDENCE_FIELDS},
}
# An admin request refreshes at most this many films: TMDB allows about 4 a second.
MAX_FILMS_PER_REFRESH = 40
REFRESH_WAIT_FOR_SLOT_SECONDS = 15


class SessionStillEnriching(Conflict):
    def __init__(self, session_id, status):
        super().__init__(f"Session {session_id} is still {status}; force to re-queue it anyway.")
        self.session_id = session_id
        self.status = status


def reenrich_session(session_id, *, only_problems=False, force=False):
    """Reset a session's movies to pending and enrich them anew; returns how many were taken on.

    Every movie, or with ``only_problems`` those failed or not found (and any still pending).
    Their TMDB data, attempts and errors are cleared, the session's counters go down by what was
    reset, and a "no match" remembered for a not-found title is forgotten, so TMDB is asked again.
    A session still processing or enriching is refused (SessionStillEnriching) unless ``force``.
    Raises Session.DoesNotExist for an unknown id. The chord leaves when the transaction commits.
    """
    statuses = PROBLEM_STATUSES if only_problems else ALL_STATUSES
    with transaction.atomic():
        # Movies, then their session: the order in which an enrichment task finishing a movie
        # locks them, so one finishing meanwhile waits for this instead of deadlocking with it.
        movies = list(
            Movie.objects.select_for_update()
            .filter(session_id=session_id, enrichment_status__in=statuses)
            .order_by("pk")
            .values_list("pk", "enrichment_status", "title")
        )
        session = Session.objects.select_for_update().get(pk=session_id)
        if session.status in BUSY_STATUSES and not force:
            raise SessionStillEnriching(session_id, session.status)
        if not movies:
            return 0
        ended = [(pk, status, title) for pk, status, title in movies if status != Status.PENDING]
        Movie.objects.filter(pk__in=[pk for pk, _, _ in ended]).update(**_UNENRICHED)
        reset_per_status = Counter(status for _, status, _ in ended)
        Session.objects.filter(pk=session_id).update(
            **{
                counter: Greatest(F(counter) - reset_per_status[status], 0)
                for status, counter in COUNTER_OF.items()
                if reset_per_status[status]
            }
        )
        not_found_titles = {fold_title(title) for _, status, title in ended if status == Status.NOT_FOUND}
        FilmLookup.objects.filter(film__isnull=True, normalized_title__in=not_found_titles).delete()
        return dispatch_enrichment(session_id)


@dataclass
class FilmRefresh:
    refreshed: int = 0
    gone: int = 0  # TMDB no longer has them: removed from the cache
    failed: int = 0  # transient TMDB errors or no slot in time: try again later
    skipped: int = 0  # over MAX_FILMS_PER_REFRESH, or left after TMDB refused the key
    error: str = ""


def refresh_films(tmdb_ids, *, client=None):
    """Fetch cached films from TMDB again (one request each, within the shared rate limit).

    Sessions' movies keep the data they copied; later sessions get the fresh film.
    """
    client = client or TmdbClient(max_wait_for_slot=REFRESH_WAIT_FOR_SLOT_SECONDS)
    tmdb_ids = list(tmdb_ids)
    result = FilmRefresh(skipped=max(0, len(tmdb_ids) - MAX_FILMS_PER_REFRESH))
    for position, tmdb_id in enumerate(tmdb_ids[:MAX_FILMS_PER_REFRESH]):
        try:
            store_film(client.movie_details(tmdb_id))
            result.refreshed += 1
        except TmdbNotFound:
            forget_film(tmdb_id)
            result.gone += 1
        except (TmdbTransientError, RateLimitWaitTooLong):
            result.failed += 1
        except TmdbAuthError as exc:
            result.error = str(exc)
            result.skipped += min(len(tmdb_ids), MAX_FILMS_PER_REFRESH) - position
            break
    return result
