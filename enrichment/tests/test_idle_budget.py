"""Watchlists and cache refreshes use only the TMDB budget no session wants: the bucket's idle slots,
and a real worker with the stand-in showing who reached TMDB when."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from enrichment import tasks
from enrichment.matching.resolving import FILM_TTL
from enrichment.queueing import idle
from enrichment.tests.conftest import catalog_film, session_with_movies
from enrichment.tmdb import ratelimit
from movies.models import Film, WatchlistEntry
from movies.tests.factories import EnrichedMovieFactory, WatchlistEntryFactory
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment
from sessions.tests.factories import SessionFactory

Lookup = WatchlistEntry.LookupStatus


def test_an_idle_slot_needs_a_quiet_full_bucket(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 11, 1
    ratelimit.reset()

    ratelimit.acquire_idle(max_wait=0)  # nobody asked: granted at once
    with pytest.raises(ratelimit.IdleBudgetTaken):
        ratelimit.acquire_idle(max_wait=0)  # the bucket is empty: the next slot is not idle yet
    ratelimit.reset()


def test_a_sessions_request_waits_at_most_the_one_idle_slot_and_then_holds_the_budget(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 11, 1
    ratelimit.reset()
    slot = 1 / ratelimit.refill_per_second()
    ratelimit.acquire_idle(max_wait=0)
    waits = []

    ratelimit.acquire(max_wait=5, sleep=waits.append)  # a session's film, just after

    assert waits == [pytest.approx(slot, abs=0.01)]
    time.sleep(2 * slot)  # the bucket is full again, but a session asked less than a second ago
    with pytest.raises(ratelimit.IdleBudgetTaken):
        ratelimit.acquire_idle(max_wait=0.1)
    time.sleep(ratelimit.IDLE_QUIET_SECONDS)
    ratelimit.acquire_idle(max_wait=0)  # quiet again: idle
    ratelimit.reset()


def _watchlist(fake, indexes, **session_fields):
    session = SessionFactory(status=Session.Status.COMPLETED, **session_fields)
    for index in indexes:
        title, year = catalog_film(fake, index)
        # A URI of its own: the movies' factory numbers its URIs from the same start.
        WatchlistEntryFactory(
            session=session, title=title, year=year, letterboxd_uri=f"https://boxd.it/watch{index}"
        )
    return session


def _film_ids(fake, indexes):
    films = sorted(fake.films.values(), key=lambda film: film["id"])
    return {films[index]["id"] for index in indexes}


def _is_for(fake, indexes):
    """Whether a logged request (time, path, query) was about one of the catalog films ``indexes``."""
    titles = {catalog_film(fake, index)[0] for index in indexes}
    ids = {f"/movie/{film_id}" for film_id in _film_ids(fake, indexes)}
    return lambda entry: entry[2] in titles or entry[1] in ids


def _beat_until(condition, timeout=90):
    """Start an idle pass every 0.2 s (the beat, faster) until ``condition()``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        tasks.use_idle_budget.delay()
        time.sleep(0.2)


def _settled(session):
    return lambda: Session.objects.get(pk=session.pk).status != Session.Status.ENRICHING


def _looked_up(session):
    return lambda: not session.watchlist.filter(lookup_status=Lookup.PENDING).exists()


@pytest.mark.django_db(transaction=True)
def test_watchlists_wait_while_a_session_enriches_then_fill_in_idle_time(fake_tmdb, celery_worker):
    wanted = range(100, 130)
    member = _watchlist(fake_tmdb, wanted)
    with transaction.atomic():
        upload = session_with_movies([catalog_film(fake_tmdb, index) for index in range(24)])
        session_ready_for_enrichment.send(sender=Session, session_id=upload.pk)

    _beat_until(_settled(upload))  # passes keep coming while the upload enriches
    _beat_until(_looked_up(member))

    log = fake_tmdb.arrival_log
    for_watchlist = [entry for entry in log if _is_for(fake_tmdb, wanted)(entry)]
    for_upload = [entry for entry in log if _is_for(fake_tmdb, range(24))(entry)]
    assert len(for_upload) >= 48 and len(for_watchlist) >= 60  # a search and details each
    assert max(arrived for arrived, *_ in for_upload) < min(arrived for arrived, *_ in for_watchlist)
    entries = list(member.watchlist.select_related("film"))
    assert {entry.lookup_status for entry in entries} == {Lookup.ENRICHED}
    assert {entry.film.tmdb_id for entry in entries} == _film_ids(fake_tmdb, wanted)


@pytest.mark.django_db(transaction=True)
def test_a_session_arriving_during_watchlist_work_waits_at_most_one_slot(fake_tmdb, celery_worker, settings):
    settings.TMDB_RATE_LIMIT_REQUESTS = 20  # slots 1/16 s apart: an idle request in flight is visible
    wanted = range(100, 300)
    member = _watchlist(fake_tmdb, wanted)
    _beat_until(lambda: member.watchlist.exclude(lookup_status=Lookup.PENDING).count() >= 10)

    with transaction.atomic():
        upload = session_with_movies([catalog_film(fake_tmdb, index) for index in range(8)])
        session_ready_for_enrichment.send(sender=Session, session_id=upload.pk)
    _beat_until(_settled(upload))

    log = fake_tmdb.arrival_log
    first_for_upload = min(arrived for arrived, *_ in filter(_is_for(fake_tmdb, range(8)), log))
    last_for_upload = max(arrived for arrived, *_ in filter(_is_for(fake_tmdb, range(8)), log))
    during = [
        entry
        for entry in filter(_is_for(fake_tmdb, wanted), log)
        if first_for_upload < entry[0] < last_for_upload
    ]
    assert len(during) <= 1  # at most the one already granted when the upload asked
    assert Session.objects.get(pk=upload.pk).enriched_count == 8
    assert member.watchlist.filter(lookup_status=Lookup.PENDING).exists()  # the watchlist waited


@pytest.mark.django_db(transaction=True)
def test_known_films_come_from_the_caches_and_films_near_their_limit_are_refreshed_after(
    fake_tmdb, celery_worker
):
    stale = timezone.now() - FILM_TTL + idle.REFRESH_AHEAD - timedelta(hours=1)
    film_id = min(_film_ids(fake_tmdb, [5]))
    kept = SessionFactory(status=Session.Status.COMPLETED)
    EnrichedMovieFactory(session=kept, tmdb_id=film_id)
    Film.objects.create(tmdb_id=film_id, title="Old figures", fetched_at=stale)
    member = _watchlist(fake_tmdb, [5, 6])  # 5 is the cached film's own row: resolved by search first

    _beat_until(lambda: Film.objects.get(pk=film_id).fetched_at > stale)

    assert {entry.lookup_status for entry in member.watchlist.all()} == {Lookup.ENRICHED}
    refreshed = Film.objects.get(pk=film_id)
    assert refreshed.title != "Old figures" and refreshed.genres
    assert fake_tmdb.stats()["details"] >= 2
