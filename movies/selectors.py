"""Reads of a session's movies, watchlist and statistics."""

import json
import logging

from django.core.cache import cache
from django.db.models import Count, F, Prefetch
from django.utils import timezone
from redis.exceptions import RedisError
from rest_framework.renderers import JSONRenderer

from movies import analytics
from movies.models import AmbiguousEntry, Movie, ShareLink, Watch, WatchlistEntry
from movies.watchlists.figures import watchlist_figures
from movies.watchlists.watch_next import watch_next

logger = logging.getLogger(__name__)

ANALYTICS_CACHE_SECONDS = 60 * 60
SUMMARY_MOVIES = 10
UNENRICHED_MOVIES = 20


def session_movies(session):
    """The session's movies, each with its viewings (one extra query for all of them)."""
    return Movie.objects.filter(session=session).prefetch_related(
        Prefetch("watches", queryset=Watch.objects.order_by("watched_date", "id"))
    )


def session_watchlist(session):
    """The session's watchlist, oldest first as the statistics show it (undated entries last)."""
    return WatchlistEntry.objects.filter(session=session).order_by(F("added_on").asc(nulls_last=True), "id")


def watchlist_with_watch_next(session, *, max_runtime=None, limit=10, page=1, page_size=50):
    """The watchlist's figures and entries, and the films to watch next from it."""
    return {
        **watchlist_figures(session.pk, page=page, page_size=page_size),
        "watch_next": watch_next(session.pk, max_runtime=max_runtime, limit=limit),
    }


def ambiguous_entries(session):
    """The diary entries naming two films, oldest first, waiting for the member to place them."""
    entries = AmbiguousEntry.objects.filter(session=session)
    return entries.order_by(F("watched_date").asc(nulls_last=True), "id")


def movies_summary(session):
    return list(session_movies(session).order_by("title", "year", "id")[:SUMMARY_MOVIES])


def unenriched_movies(session):
    """The first movies not enriched (pending, not found or failed), and how many there are in all."""
    movies = Movie.objects.filter(session=session).exclude(enrichment_status=Movie.EnrichmentStatus.ENRICHED)
    return list(movies.order_by("title", "year", "id")[:UNENRICHED_MOVIES]), movies.count()


def analytics_cache_key(session, year=None, released=None):
    """Per (session, year, release year); changes whenever enrichment or a correction changes the
    session: its counters, its status, or anything that moves its `updated_at`."""
    return ":".join(
        str(part)
        for part in (
            "analytics:v3",
            session.pk,
            year,
            released,
            session.status,
            session.enriched_count,
            session.not_found_count,
            session.failed_count,
            session.tv_count,
            session.updated_at.timestamp(),
        )
    )


def session_analytics_json(session, year=None, released=None, *, owner=True):
    """The analytics answer (all time, or viewings of one year; optionally only films released in
    one year) as rendered JSON, from the cache while the session is unchanged; without Redis,
    computed afresh. The rendered answer is what is cached: rendering its ~60 KB of nested lists
    took a third of a cached read (bench/analytics.py)."""
    # A share link's reader gets the same figures without the session id (the owner's key).
    key = analytics_cache_key(session, year, released) + ("" if owner else ":shared")
    try:
        body = cache.get(key)
    except RedisError:
        logger.warning("Analytics cache unreachable; computing without it", exc_info=True)
        body = None
    if body is None:
        stats = analytics.session_analytics(analytics.Scope(session.pk, year, released))
        body = JSONRenderer().render({"session_id": session.pk, **stats} if owner else stats)
        try:
            cache.set(key, body, ANALYTICS_CACHE_SECONDS)
        except RedisError:
            logger.warning("Analytics cache unreachable; answer not cached", exc_info=True)
    return body


def session_analytics(session, year=None, released=None):
    """The analytics answer as data (dates as ISO strings, as the JSON has them)."""
    return json.loads(session_analytics_json(session, year, released))


def enrichment_stats(session):
    return analytics.enrichment_stats(session.pk)


def diary_days(session):
    """Dated diary entries per day, {"YYYY-MM-DD": viewings}, for the calendar heatmap."""
    rows = (
        Watch.objects.filter(movie__session=session, watched_date__isnull=False)
        .values_list("watched_date")
        .annotate(viewings=Count("id"))
        .order_by("watched_date")
    )
    return {day.isoformat(): viewings for day, viewings in rows}


def active_share_link(session):
    """The session's share link that works now, or None."""
    return ShareLink.objects.filter(session=session, revoked_at__isnull=True).first()


def shared_session(token):
    """The live session an active share link opens, or None when the token is unknown, revoked or its
    session expired or deleted: callers answer every None with the same 404."""
    if not token or len(token) > ShareLink._meta.get_field("token").max_length:
        return None
    link = (
        ShareLink.objects.select_related("session")
        .filter(token=token, revoked_at__isnull=True, session__expires_at__gt=timezone.now())
        .first()
    )
    return None if link is None else link.session
