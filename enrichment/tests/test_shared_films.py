"""Films several sessions hold at once (one export uploaded twice, friends' exports): looked up once,
finished in every session together, and counted once in everyone's ETA."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from enrichment.queueing import lookups, pace, scheduling
from enrichment.services import enriching
from enrichment.tests.conftest import catalog_film
from enrichment.tmdb import ratelimit
from movies.models import Movie
from movies.tests.factories import MovieFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

Status = Movie.EnrichmentStatus


def sessions_sharing(films, count=2):
    """``count`` enriching sessions holding the same films (same Letterboxd URIs), each started later."""
    now = timezone.now()
    sessions = []
    for index in range(count):
        session = SessionFactory(
            total_movies=len(films), enrichment_started_at=now - timedelta(seconds=count - index)
        )
        for number, (title, year) in enumerate(films):
            MovieFactory(session=session, title=title, year=year, letterboxd_uri=f"https://boxd.it/s{number}")
        sessions.append(session)
    return sessions


@pytest.mark.django_db
def test_a_film_looked_up_for_one_session_is_done_at_once_in_every_session_holding_it(fake_tmdb):
    films = [catalog_film(fake_tmdb, index) for index in (30, 31)]
    first, second = sessions_sharing(films)

    enriching.enrich_movie(first.movies.get(letterboxd_uri="https://boxd.it/s0").pk)

    theirs = second.movies.get(letterboxd_uri="https://boxd.it/s0")
    assert theirs.enrichment_status == Status.ENRICHED
    assert theirs.tmdb_id == first.movies.get(letterboxd_uri="https://boxd.it/s0").tmdb_id
    assert Session.objects.get(pk=second.pk).enriched_count == 1
    assert second.movies.get(letterboxd_uri="https://boxd.it/s1").enrichment_status == Status.PENDING
    assert fake_tmdb.stats()["requests"] == 2  # one lookup served both


@pytest.mark.django_db
def test_a_film_another_session_is_looking_up_is_left_to_that_lookup(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 32)
    _, second = sessions_sharing([(title, year)])
    movie = second.movies.get()

    key = lookups.film_key(title, year, movie.letterboxd_uri)
    with lookups.claimed(key), pytest.raises(lookups.LookedUpElsewhere):
        enriching.enrich_movie(movie.pk)

    assert fake_tmdb.stats().get("requests", 0) == 0
    movie.refresh_from_db()
    assert movie.enrichment_status == Status.PENDING and movie.enrichment_attempts == 0
    # Once let go, the film is looked up as usual.
    assert enriching.enrich_movie(movie.pk) == Status.ENRICHED


@pytest.mark.django_db
def test_the_eta_counts_a_film_several_sessions_hold_once(fake_tmdb, settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 40, 10
    sessions = sessions_sharing([catalog_film(fake_tmdb, index) for index in range(30)], count=3)

    scheduling.refresh_estimates()

    alone = timedelta(seconds=30 * pace.ASSUMED / ratelimit.refill_per_second())
    for session in sessions:
        eta = Session.objects.get(pk=session.pk).eta_at - timezone.now()
        assert abs(eta - alone) < timedelta(seconds=1), session.pk


@pytest.mark.django_db
def test_a_session_sharing_some_films_ends_after_its_own_and_the_shared_ones(fake_tmdb, settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 40, 10
    first, second = sessions_sharing([catalog_film(fake_tmdb, index) for index in range(20)])
    for index in range(20, 30):  # ten films only the second session holds
        title, year = catalog_film(fake_tmdb, index)
        MovieFactory(session=second, title=title, year=year)
    Session.objects.filter(pk=second.pk).update(total_movies=30)

    scheduling.refresh_estimates()

    per_film = pace.ASSUMED / ratelimit.refill_per_second()
    first_eta = Session.objects.get(pk=first.pk).eta_at - timezone.now()
    second_eta = Session.objects.get(pk=second.pk).eta_at - timezone.now()
    # Processor sharing of 20 and 10 films: the 10 end at 20 films' time, the 20 at 30 films' time.
    assert abs(first_eta - timedelta(seconds=30 * per_film)) < timedelta(seconds=1)
    assert abs(second_eta - timedelta(seconds=30 * per_film)) < timedelta(seconds=1)


def test_two_sessions_of_one_export_at_once_look_each_film_up_once(fake_tmdb, celery_worker):
    films = [catalog_film(fake_tmdb, index) for index in range(40, 56)]
    sessions = sessions_sharing(films)
    for session in sessions:
        scheduling.dispatch_enrichment(session.pk)

    both = Session.objects.filter(pk__in=[session.pk for session in sessions])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        statuses = set(both.values_list("status", flat=True))
        if statuses == {Session.Status.COMPLETED}:
            break
        time.sleep(0.2)

    assert statuses == {Session.Status.COMPLETED}
    for session in sessions:
        assert not session.movies.filter(enrichment_status=Status.PENDING).exists()
    found = Movie.objects.filter(session=sessions[0], enrichment_status=Status.ENRICHED).count()
    assert fake_tmdb.stats().get("details", 0) == found  # each film's details fetched once
