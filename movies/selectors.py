"""Reads of a session's movies and statistics."""

from django.core.cache import cache
from django.db.models import Prefetch

from movies import analytics
from movies.models import Movie, Watch

ANALYTICS_CACHE_SECONDS = 60 * 60
SUMMARY_MOVIES = 10
UNENRICHED_MOVIES = 20


def session_movies(session):
    """The session's movies, each with its viewings (one extra query for all of them)."""
    return Movie.objects.filter(session=session).prefetch_related(
        Prefetch("watches", queryset=Watch.objects.order_by("watched_date", "id"))
    )


def movies_summary(session):
    return list(session_movies(session).order_by("title", "year", "id")[:SUMMARY_MOVIES])


def unenriched_movies(session):
    """The first movies not enriched (pending, not found or failed), and how many there are in all."""
    movies = Movie.objects.filter(session=session).exclude(enrichment_status=Movie.EnrichmentStatus.ENRICHED)
    return list(movies.order_by("title", "year", "id")[:UNENRICHED_MOVIES]), movies.count()


def analytics_cache_key(session):
    """Changes whenever enrichment changes the session: its counters, its status, or a save."""
    return ":".join(
        str(part)
        for part in (
            "analytics:v1",
            session.pk,
            session.status,
            session.enriched_count,
            session.not_found_count,
            session.failed_count,
            session.tv_count,
            session.updated_at.timestamp(),
        )
    )


def session_analytics(session):
    """The session's statistics, from the cache while the session is unchanged."""
    key = analytics_cache_key(session)
    result = cache.get(key)
    if result is None:
        result = analytics.session_analytics(session.pk)
        cache.set(key, result, ANALYTICS_CACHE_SECONDS)
    return result


def enrichment_stats(session):
    return analytics.enrichment_stats(session.pk)
