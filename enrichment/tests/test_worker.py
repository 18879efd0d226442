"""Enrichment through a real Celery worker on the real Redis broker: chords, retries, the reconciler."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from config.celery_app import app as celery_app
from enrichment import tasks
from enrichment.queueing import recovery, scheduling
from enrichment.services import enriching
from enrichment.tests.conftest import catalog_film, session_with_movies
from enrichment.tmdb import ratelimit
from movies.models import Movie
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment

pytestmark = pytest.mark.django_db(transaction=True)
Status = Movie.EnrichmentStatus


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.1)


def wait_until_settled(session, timeout=60):
    """Wait until the session leaves "enriching"; returns it fresh."""
    wait_for(lambda: Session.objects.get(pk=session.pk).status != Session.Status.ENRICHING, timeout)
    return Session.objects.get(pk=session.pk)


def statuses(session):
    return sorted(session.movies.values_list("enrichment_status", flat=True))


def test_an_upload_is_enriched_end_to_end_through_the_chord(fake_tmdb, celery_worker):
    films = [catalog_film(fake_tmdb, index) for index in range(8)] + [("Not A Real Film", 1999)]
    with transaction.atomic():  # as the upload does: the signal inside, the chord after commit
        session = session_with_movies(films)
        session_ready_for_enrichment.send(sender=Session, session_id=session.pk)

    session = wait_until_settled(session)

    assert session.status == Session.Status.COMPLETED and session.completed_at is not None
    assert (session.enriched_count, session.not_found_count, session.failed_count) == (8, 1, 0)
    assert session.progress_percent == 100.0
    enriched = session.movies.filter(enrichment_status=Status.ENRICHED)
    assert all(movie.tmdb_id and movie.genres and movie.enriched_at for movie in enriched)
    assert fake_tmdb.stats()["details"] == 8


def test_running_a_finished_session_again_changes_nothing(fake_tmdb, celery_worker):
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(4)])
    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)
    requests_before = fake_tmdb.stats()["requests"]

    queued = scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)
    results = [tasks.enrich_movie.delay(movie.pk).get(timeout=30) for movie in session.movies.all()]

    assert queued == 0 and results == [Status.ENRICHED] * 4
    assert session.enriched_count == 4 and session.status == Session.Status.COMPLETED
    assert set(session.movies.values_list("enrichment_attempts", flat=True)) == {1}
    assert fake_tmdb.stats()["requests"] == requests_before


def test_transient_errors_are_retried_until_the_movie_is_enriched(fake_tmdb, celery_worker):
    session = session_with_movies([catalog_film(fake_tmdb, 30)])
    fake_tmdb.fail_next(503, times=1, path_contains="/search")
    fake_tmdb.fail_next(429, times=1, path_contains="/movie/", retry_after=1)

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)

    movie = session.movies.get()
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 1
    assert movie.enrichment_status == Status.ENRICHED
    assert movie.enrichment_attempts == 3  # 503, 429, then success
    assert movie.enrichment_error == ""


def test_waiting_for_the_shared_budget_does_not_burn_an_attempt(fake_tmdb, celery_worker, monkeypatch):
    monkeypatch.setattr(enriching, "MAX_SLOT_WAIT_SECONDS", 0.2)
    ratelimit.penalize(1.5)  # another worker was just told 429, Retry-After 1.5 s
    session = session_with_movies([catalog_film(fake_tmdb, 33)])

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)

    movie = session.movies.get()
    assert (movie.enrichment_status, movie.enrichment_attempts) == (Status.ENRICHED, 1)
    assert fake_tmdb.stats()["requests"] == 2


def test_a_movie_failing_every_attempt_ends_failed_and_the_session_completes(
    fake_tmdb, celery_worker, settings
):
    settings.TMDB_MAX_ATTEMPTS = 2
    session = session_with_movies([catalog_film(fake_tmdb, 31)])
    fake_tmdb.fail_next(500, times=5)

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)

    movie = session.movies.get()
    assert (movie.enrichment_status, movie.enrichment_attempts) == (Status.FAILED, 2)
    assert "500" in movie.enrichment_error
    assert session.status == Session.Status.COMPLETED and session.failed_count == 1


def test_a_film_tmdb_no_longer_has_ends_not_found(fake_tmdb, celery_worker):
    title, year = catalog_film(fake_tmdb, 32)
    session = session_with_movies([(title, year)])
    fake_tmdb.fail_next(404, path_contains="/movie/")

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)

    assert statuses(session) == [Status.NOT_FOUND]
    assert session.status == Session.Status.COMPLETED and session.not_found_count == 1


def test_a_rejected_key_fails_the_session_once_and_stops_its_requests(fake_tmdb, celery_worker, settings):
    settings.TMDB_API_KEY = "revoked-key"
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(12)])

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)
    time.sleep(1)  # the other tasks skip and the chord's callback runs: none may undo the failure

    session.refresh_from_db()
    assert session.status == Session.Status.FAILED
    assert "TMDB_API_KEY" in session.error_message and "401" in session.error_message
    # At most one request per worker thread already under way; the other movies never asked TMDB.
    assert fake_tmdb.stats()["status_401"] <= 4
    assert statuses(session) == [Status.PENDING] * 12  # kept for a re-run once the key is fixed


def test_the_reconciler_completes_a_session_whose_chord_callback_was_lost(
    fake_tmdb, celery_worker, monkeypatch
):
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(3)])
    callbacks = []
    monkeypatch.setattr(scheduling, "continue_enrichment", callbacks.append)  # the callback is lost

    scheduling.dispatch_enrichment(session.pk)
    wait_for(lambda: len(callbacks) == 1)
    assert Session.objects.get(pk=session.pk).status == Session.Status.ENRICHING
    monkeypatch.undo()

    outcome = tasks.reconcile_sessions.delay().get(timeout=30)

    session.refresh_from_db()
    assert outcome == {"completed": 1, "requeued": 0}
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 3


def test_the_reconciler_requeues_movies_whose_tasks_were_lost(fake_tmdb, celery_worker):
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(3)])
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now() - timedelta(hours=1))  # queue lost

    outcome = tasks.reconcile_sessions.delay().get(timeout=30)
    session = wait_until_settled(session)

    assert outcome == {"completed": 0, "requeued": 3}
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 3


def test_the_reconciler_leaves_a_session_whose_films_wait_in_the_queue(fake_tmdb):
    celery_app.control.purge()
    waiting = session_with_movies([catalog_film(fake_tmdb, index) for index in range(40, 43)])
    scheduling.dispatch_enrichment(waiting.pk)  # no worker runs: its films wait in the broker
    Session.objects.filter(pk=waiting.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    outcome = recovery.reconcile_sessions()

    assert outcome == {"completed": 0, "requeued": 0}
    assert statuses(waiting) == [Status.PENDING] * 3
    assert recovery.movies_in_broker() == set(waiting.movies.values_list("pk", flat=True))
    celery_app.control.purge()
