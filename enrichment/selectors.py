"""Reads of the enrichment: the movies of a session worth a second look, and whether TMDB answers."""

from collections import Counter

import redis
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from enrichment.models import MatchCorrection
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


def choices_by_uri(uris):
    """{uri: Counter {tmdb id, None for "not on TMDB": sessions}} of the standing corrections of
    ``uris``; a session counts once, with its latest choice."""
    latest = {}
    for uri, session_id, tmdb_id in (
        MatchCorrection.objects.filter(letterboxd_uri__in=uris, undone_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("letterboxd_uri", "movie__session_id", "tmdb_id")
    ):
        latest[(uri, session_id)] = tmdb_id
    choices = {}
    for (uri, _), tmdb_id in latest.items():
        choices.setdefault(uri, Counter())[tmdb_id] += 1
    return choices


def correction_choices(uri):
    """The Counter of choices_by_uri for one URI."""
    return choices_by_uri([uri]).get(uri, Counter())


def _disputed(movie, choices):
    """Whether sessions chose, for this movie's Letterboxd film, anything but what it has."""
    return bool(choices) and set(choices) != {movie.tmdb_id}


def matches_to_review(session_id, confidence_below):
    """The session's movies to check, each with ``review_reasons``, ``duplicate_of`` and
    ``correction_choices`` set.

    Those matched with a confidence below ``confidence_below``, not found, TV, sharing their
    TMDB film with another movie of the session, or disputed: sessions corrected their
    Letterboxd film to something else than this movie has; ordered by title.
    """
    duplicates = duplicate_matches(session_id)
    duplicate_of = {
        movie_id: [other for other in movie_ids if other != movie_id]
        for movie_ids in duplicates.values()
        for movie_id in movie_ids
    }
    uris = Movie.objects.filter(session_id=session_id).exclude(letterboxd_uri="")
    choices = choices_by_uri(uris.values_list("letterboxd_uri", flat=True))
    disputed = [
        movie.pk
        for movie in uris.filter(letterboxd_uri__in=list(choices)).only("pk", "tmdb_id", "letterboxd_uri")
        if _disputed(movie, choices[movie.letterboxd_uri])
    ]
    movies = Movie.objects.filter(
        Q(enrichment_status__in=REVIEWED_STATUSES)
        | Q(enrichment_status=Status.ENRICHED, match_confidence__lt=confidence_below)
        | Q(pk__in=list(duplicate_of) + disputed),
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
        if movie.pk in disputed:
            reasons.append("disputed")
        movie.correction_choices = [
            {"tmdb_id": tmdb_id, "sessions": count}
            for tmdb_id, count in choices.get(movie.letterboxd_uri, Counter()).most_common()
        ]
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
