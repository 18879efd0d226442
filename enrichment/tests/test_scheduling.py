"""Fair turns between sessions, through a real worker on the real Redis broker, with the stand-in
limiting at the same rate as the shared limiter (so that sessions have to share it)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from enrichment.matching.resolving import Resolution, remember_lookup
from enrichment.matching.searching import store_film
from enrichment.queueing import recovery, scheduling
from enrichment.standin.catalog import letterboxd_row
from enrichment.tests.conftest import catalog_film, session_with_movies
from enrichment.tests.test_worker import wait_for, wait_until_settled
from enrichment.tmdb.client import film_fields
from movies.models import Movie
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment

pytestmark = pytest.mark.django_db(transaction=True)
Status = Movie.EnrichmentStatus


def films(fake, first, count):
    return [catalog_film(fake, index) for index in range(first, first + count)]


def uploaded(movies):
    """A session stored and handed to the enrichment as an upload does."""
    with transaction.atomic():
        session = session_with_movies(movies)
        session_ready_for_enrichment.send(sender=Session, session_id=session.pk)
    return session


def fresh(session):
    return Session.objects.get(pk=session.pk)


def test_two_sessions_enriching_at_once_both_make_progress(shared_rate, celery_worker):
    first = uploaded(films(shared_rate, 0, 60))
    second = uploaded(films(shared_rate, 100, 60))

    # Both have films done while both are still enriching: neither waits for the other to drain.
    wait_for(
        lambda: all(
            fresh(s).processed_count > 0 and fresh(s).status == Session.Status.ENRICHING
            for s in (first, second)
        ),
        timeout=60,
    )
    assert wait_until_settled(first).enriched_count == 60
    assert wait_until_settled(second).enriched_count == 60


def test_a_small_session_finishes_while_a_large_one_is_still_enriching(shared_rate, celery_worker):
    large = uploaded(films(shared_rate, 0, 120))
    wait_for(lambda: fresh(large).processed_count >= 8)
    small = uploaded(films(shared_rate, 200, 5))

    small = wait_until_settled(small)

    assert small.status == Session.Status.COMPLETED and small.enriched_count == 5
    assert fresh(large).status == Session.Status.ENRICHING
    assert wait_until_settled(large, timeout=120).enriched_count == 120
    assert shared_rate.stats().get("violations", 0) == 0


def test_a_fully_cached_upload_completes_while_the_queue_is_busy(shared_rate, celery_worker):
    known = films(shared_rate, 300, 40)
    for film in sorted(shared_rate.films.values(), key=lambda film: film["id"])[300:340]:
        cached = Resolution(Movie.EnrichmentStatus.ENRICHED, store_film(film_fields(film)))
        remember_lookup(*letterboxd_row(film), cached)
    large = uploaded(films(shared_rate, 0, 120))
    wait_for(lambda: fresh(large).processed_count >= 8)

    cached = wait_until_settled(uploaded(known))

    assert cached.status == Session.Status.COMPLETED and cached.enriched_count == 40
    assert fresh(large).status == Session.Status.ENRICHING
    wait_until_settled(large, timeout=120)


def test_the_status_answer_carries_an_eta_that_shrinks_and_a_queue_position(shared_rate, celery_worker):
    client = APIClient()
    session = uploaded(films(shared_rate, 0, 100))
    wait_for(lambda: fresh(session).eta_at is not None)

    first = client.get(f"/api/session/{session.pk}/status").json()
    wait_for(lambda: fresh(session).processed_count >= 50)
    later = client.get(f"/api/session/{session.pk}/status").json()
    wait_until_settled(session, timeout=120)
    done = client.get(f"/api/session/{session.pk}/status").json()

    assert first["eta_seconds"] > later["eta_seconds"] >= 0
    assert first["queue_position"] == 1
    assert (done["eta_seconds"], done["queue_position"]) == (None, None)


def test_under_a_burst_of_5xx_no_film_is_lost_and_the_limit_holds(shared_rate, celery_worker, settings):
    settings.TMDB_BREAKER_OPEN_SECONDS = 1
    # Enough in a row to open the breaker (5) and fail its first probes (then 1 + 2 + 4 s open).
    shared_rate.fail_next(503, times=8)
    session = uploaded(films(shared_rate, 0, 40))

    session = wait_until_settled(session, timeout=120)

    assert session.status == Session.Status.COMPLETED
    assert session.processed_count == 40 and not session.movies.filter(enrichment_status=Status.PENDING)
    assert session.failed_count == 0
    assert max(session.movies.values_list("enrichment_attempts", flat=True)) <= settings.TMDB_MAX_ATTEMPTS
    stats = shared_rate.stats()
    assert stats["status_503"] == 8 and stats.get("violations", 0) == 0


def test_a_session_never_has_more_than_its_rounds_in_the_broker(fake_tmdb):
    celery_app.control.purge()
    session = session_with_movies(films(fake_tmdb, 0, 200))

    assert scheduling.dispatch_enrichment(session.pk) == 200

    queued = recovery.movies_in_broker()
    first_films = sorted(session.movies.values_list("pk", flat=True))[: len(queued)]
    assert len(queued) == scheduling.ROUNDS_IN_FLIGHT * scheduling.ROUND_SIZE
    assert queued == set(first_films)
    assert fresh(session).round_cursor == first_films[-1]
    celery_app.control.purge()


def test_worker_processes_give_their_memory_back():
    assert celery_app.conf.worker_max_memory_per_child


def test_sessions_of_a_tier_share_the_rate_and_smaller_tiers_go_first():
    # 2 films a second; two sessions of 40 and 80 films share it, a 500-film one waits for both.
    estimates = scheduling.finish_estimates({"a": 40, "b": 80, "big": 500}, films_per_second=2)

    assert estimates["a"] == (40.0, 2)  # 40 films at half the rate
    assert estimates["b"] == (60.0, 2)  # then its last 40 at the whole rate: 20 s more
    assert estimates["big"] == (310.0, 3)  # after both: 500 films at the whole rate


def test_a_session_alone_has_the_whole_rate():
    assert scheduling.finish_estimates({"only": 30}, films_per_second=2) == {"only": (15.0, 1)}


def test_the_status_answer_has_no_eta_once_enrichment_ended(fake_tmdb):
    session = session_with_movies([catalog_film(fake_tmdb, 0)], status=Session.Status.COMPLETED)
    Session.objects.filter(pk=session.pk).update(queue_position=3)  # written a moment before the end

    body = APIClient().get(f"/api/session/{session.pk}/status").json()

    assert (body["eta_seconds"], body["queue_position"]) == (None, None)


@pytest.mark.parametrize(
    ("films_left", "minutes_enriching", "priority"),
    [
        (50, 0, 0),
        (2000, 0, 6),
        (2000, 9, 6),
        (2000, 10, 3),  # a big upload moves up a tier every 10 minutes...
        (2000, 25, 0),  # ...until it takes turns with the small ones
        (50_000, 0, 9),
        (50_000, 45, 0),
    ],
)
def test_a_big_session_moves_up_a_tier_every_ten_minutes(films_left, minutes_enriching, priority):
    assert scheduling.priority_for(films_left, timedelta(minutes=minutes_enriching)) == priority


def test_a_long_running_big_session_shares_the_rate_with_newcomers_in_the_estimates(fake_tmdb):
    big = session_with_movies(films(fake_tmdb, 0, 150))  # 150 films: the second tier
    small = session_with_movies(films(fake_tmdb, 200, 20))

    scheduling.refresh_estimates()
    assert (fresh(small).queue_position, fresh(big).queue_position) == (1, 2)  # the small one first

    Session.objects.filter(pk=big.pk).update(enrichment_started_at=timezone.now() - timedelta(minutes=11))
    scheduling.refresh_estimates()
    assert (fresh(small).queue_position, fresh(big).queue_position) == (2, 2)  # now they take turns
