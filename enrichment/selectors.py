"""Reads of the enrichment: the movies of a session worth a second look, and whether TMDB answers."""

import redis
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from enrichment.tmdb import ratelimit
from enrichment.tmdb.client import REAL_TMDB_URL
from movies.models import Movie

Status = Movie.EnrichmentStatus
REVIEWED_STATUSES = (Status.NOT_FOUND, Status.TV)


def duplicate_matches(session_id):
    """{tmdb id: [movie ids]} of the TMDB films that two or more movies of the session resolved to.

    Two Letterboxd films (different URIs, or title and year) are two films: one TMDB film for
    both means at least one of them is wrong.
    """
    shared = (
        Movie.objects.filter(session_id=session_id, tmdb_id__isnull=False)
        .values("tmdb_id")
        .annotate(movies=Count("id"))
        .filter(movies__gt=1)
        .values_list("tmdb_id", flat=True)
    )
    groups = {}
    for movie_id, tmdb_id in Movie.objects.filter(session_id=session_id, tmdb_id__in=shared).values_list(
        "id", "tmdb_id"
    ):
        groups.setdefault(tmdb_id, []).append(movie_id)
    return groups


def matches_to_review(session_id, confidence_below):
    """The session's movies to check, each with ``review_reasons`` and ``duplicate_of`` set.

    Those matched with a confidence below ``confidence_below``, not found, TV, or sharing their
    TMDB film with another movie of the session; ordered by title.
    """
    duplicates = duplicate_matches(session_id)
    duplicate_of = {
        movie_id: [other for other in movie_ids if other != movie_id]
        for movie_ids in duplicates.values()
        for movie_id in movie_ids
    }
    movies = Movie.objects.filter(
        Q(enrichment_status__in=REVIEWED_STATUSES)
        | Q(enrichment_status=Status.ENRICHED, match_confidence__lt=confidence_below)
        | Q(pk__in=list(duplicate_of)),
        session_id=session_id,
    ).order_by("title", "year", "id")
    reviewed = []
    for movie in movies:
        reasons = []
        if movie.enrichment_status in REVIEWED_STATUSES:
            reasons.append(movie.enrichment_status)
        elif movie.match_confidence is not None and movie.match_confidence < confidence_below:
            reasons.append("low_confidence")
        if movie.pk in duplicate_of:
            reasons.append("duplicate")
        movie.review_reasons = reasons
        movie.duplicate_of = duplicate_of.get(movie.pk, [])
        reviewed.append(movie)
    return reviewed


def tmdb_reachability():
    """Whether TMDB answers the workers: their shared circuit breaker is open while it does not.

    ``reachable`` is None when Redis, which holds the breaker, cannot say.
    """
    try:
        since = ratelimit.state().breaker_open_since
    except redis.RedisError:
        return {"reachable": None, "unreachable_since": None, "unreachable_seconds": None}
    return {
        "reachable": since is None,
        "unreachable_since": since,
        "unreachable_seconds": round((timezone.now() - since).total_seconds()) if since else None,
    }


def tmdb_mode():
    """Which TMDB enrichment talks to: "real", or "fake" (a stand-in such as `manage.py fake_tmdb`)."""
    real = settings.TMDB_API_BASE_URL.startswith(REAL_TMDB_URL)
    mode = {"mode": "real" if real else "fake", "base_url": settings.TMDB_API_BASE_URL}
    if not real:
        mode["warning"] = "Enrichment uses a local TMDB stand-in: films and their data are invented."
    return mode
