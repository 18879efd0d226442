"""Writes of the idle work: a watchlist entry looked up (from the caches, or on TMDB), a cached film
fetched again before it goes stale.

Entries point at the shared cache's Film (never a copy), so a film refreshed later shows its new
figures on every watchlist. Every write is conditional on the entry still being pending: a pass
that runs twice changes nothing the second time.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from enrichment.matching.resolving import cached_resolutions, resolve
from enrichment.matching.searching import store_film
from enrichment.tmdb.client import TmdbAuthError, TmdbError, TmdbNotFound, TmdbTransientError, film_fields
from movies.models import Film, WatchlistEntry

Lookup = WatchlistEntry.LookupStatus


def finish_entries_from_cache(rows, now=None):
    """Finish the pending entries among ``rows`` (id, title, year, uri) that the caches resolve, in
    one UPDATE; returns the ids finished."""
    now = now or timezone.now()
    resolved = cached_resolutions(rows, now)
    if not resolved:
        return set()
    items = list(resolved.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {WatchlistEntry._meta.db_table} AS entry
            SET lookup_status = e.status, film_id = e.film_id, match_method = e.method,
                match_reason = e.reason, looked_up_at = %s
            FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::text[])
                AS e(entry_id, status, film_id, method, reason)
            WHERE entry.id = e.entry_id AND entry.lookup_status = %s
            """,
            [
                now,
                [entry_id for entry_id, _ in items],
                [resolution.status for _, resolution in items],
                [resolution.film.pk if resolution.film else None for _, resolution in items],
                [resolution.evidence["match_method"] for _, resolution in items],
                [resolution.evidence["match_reason"][:300] for _, resolution in items],
                Lookup.PENDING,
            ],
        )
    return set(resolved)


def look_up_entry(entry_id, title, year, uri, client):
    """Find one entry on TMDB with ``client`` (the matcher and caches a session's film uses); returns
    its new status, or None while it stays pending (a transient error, to try again).

    ratelimit.IdleBudgetTaken and TmdbAuthError propagate: the entry is untouched, the pass stops.
    """
    try:
        resolution = resolve(title, year, uri, client)
    except TmdbNotFound as exc:
        return _finish(entry_id, Lookup.NOT_FOUND, match_reason=str(exc)[:300])
    except TmdbTransientError as exc:
        return _count_transient_error(entry_id, exc)
    except TmdbAuthError:
        raise
    except TmdbError as exc:  # any other 4xx: asking again will not help
        return _finish(entry_id, Lookup.FAILED, match_reason=str(exc)[:300])
    return _finish(
        entry_id,
        resolution.status,
        film=resolution.film,
        match_method=resolution.evidence.get("match_method") or "",
        match_reason=(resolution.evidence.get("match_reason") or "")[:300],
    )


def _finish(entry_id, status, **fields):
    WatchlistEntry.objects.filter(pk=entry_id, lookup_status=Lookup.PENDING).update(
        lookup_status=status,
        lookup_attempts=F("lookup_attempts") + 1,
        looked_up_at=timezone.now(),
        **fields,
    )
    return status


def _count_transient_error(entry_id, error):
    WatchlistEntry.objects.filter(pk=entry_id, lookup_status=Lookup.PENDING).update(
        lookup_attempts=F("lookup_attempts") + 1, match_reason=str(error)[:300]
    )
    attempts = WatchlistEntry.objects.filter(pk=entry_id).values_list("lookup_attempts", flat=True).first()
    if attempts is not None and attempts >= settings.TMDB_MAX_ATTEMPTS:
        return _finish(entry_id, Lookup.FAILED)
    return None


def refresh_film(tmdb_id, client):
    """Fetch one cached film again (one request); a film TMDB no longer has is forgotten, and the
    watchlist entries that named it are looked up again. Returns True when refreshed."""
    try:
        details, _ = client.movie_details_with_titles(tmdb_id)
    except TmdbNotFound:
        forget_film(tmdb_id)
        return False
    store_film(film_fields(details))
    return True


def forget_film(tmdb_id):
    """TMDB no longer has this film: drop it from the cache; watchlist entries that named it are
    looked up again (sessions' movies keep the copy they took)."""
    with transaction.atomic():
        WatchlistEntry.objects.filter(film_id=tmdb_id).update(
            lookup_status=Lookup.PENDING, film=None, looked_up_at=None
        )
        Film.objects.filter(pk=tmdb_id).delete()
