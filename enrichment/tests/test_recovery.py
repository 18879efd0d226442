"""Lost enrichment work found and queued again: messages Redis lost, a database error in a task."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from enrichment.queueing import recovery, scheduling
from enrichment.services import enriching
from enrichment.tests.conftest import catalog_film, session_with_movies
from enrichment.tests.test_worker import wait_until_settled
from enrichment.tmdb import ratelimit
from movies.models import Movie
from sessions.models import Session

pytestmark = pytest.mark.django_db(transaction=True)


def quiet_for_a_while(session):
    """As if nothing had progressed since longer than the reconciler waits."""
    Session.objects.filter(pk=session.pk).update(updated_at=session.updated_at - 2 * recovery.QUIET_AFTER)


def test_films_whose_messages_redis_lost_are_sent_again_and_the_session_completes(fake_tmdb):
    celery_app.control.purge()
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(60, 90)])
    scheduling.dispatch_enrichment(session.pk)
    sent = recovery.movies_in_broker()
    celery_app.control.purge()  # Redis restarted: its queues are gone
    session.refresh_from_db()
    quiet_for_a_while(session)

    outcome = recovery.reconcile_sessions()

    assert outcome == {"completed": 0, "requeued": len(sent)}
    assert recovery.movies_in_broker() == sent  # exactly the lost films, nothing beyond them
    with start_worker(
        celery_app, pool="threads", concurrency=4, perform_ping_check=False, loglevel="WARNING"
    ):
        session = wait_until_settled(session)
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 30
    assert set(session.movies.values_list("enrichment_attempts", flat=True)) == {1}


def test_films_a_dead_worker_held_are_sent_again_while_the_session_still_progresses(fake_tmdb):
    celery_app.control.purge()
    cache.delete(recovery.MISSING_KEY)
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(130, 160)])
    scheduling.dispatch_enrichment(session.pk)
    sent = recovery.movies_in_broker()
    celery_app.control.purge()  # popped by a worker that was then killed: the films are nowhere
    now = timezone.now()  # and the session progressed a moment ago (its other rounds go on)

    first = recovery.reconcile_sessions(now=now)
    second = recovery.reconcile_sessions(now=now + recovery.CONFIRM_AFTER)

    assert first["requeued"] == 0  # missed once: it may be a worker popping them right then
    assert second["requeued"] == len(sent)
    assert recovery.movies_in_broker() == sent  # exactly the lost films
    with start_worker(
        celery_app, pool="threads", concurrency=4, perform_ping_check=False, loglevel="WARNING"
    ):
        session = wait_until_settled(session)
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 30
    assert set(session.movies.values_list("enrichment_attempts", flat=True)) == {1}


def test_a_database_error_in_a_task_is_retried_like_a_tmdb_5xx(fake_tmdb, celery_worker, monkeypatch):
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(90, 96)])
    enrich_movie, failed_once = enriching.enrich_movie, set()

    def database_restarting_once(movie_id):
        if movie_id not in failed_once:
            failed_once.add(movie_id)
            raise OperationalError("server closed the connection unexpectedly")
        return enrich_movie(movie_id)

    monkeypatch.setattr(enriching, "enrich_movie", database_restarting_once)

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session)

    assert len(failed_once) == 6
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 6
    assert not session.movies.exclude(enrichment_status=Movie.EnrichmentStatus.ENRICHED).exists()


def test_tmdb_unreachable_for_the_whole_run_stops_the_session_saying_so_and_offers_a_rerun(
    fake_tmdb, celery_worker, settings
):
    settings.TMDB_BREAKER_OPEN_SECONDS = 1
    settings.TMDB_OUTAGE_GIVE_UP_SECONDS = 2
    settings.TMDB_API_BASE_URL = "http://127.0.0.1:9/3"  # nothing listens: connection refused
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(100, 112)])

    scheduling.dispatch_enrichment(session.pk)
    session = wait_until_settled(session, timeout=120)

    assert session.status == Session.Status.FAILED
    assert "TMDB could not be reached" in session.error_message and "re-run" in session.error_message
    # Films are kept for the re-run: only the few that served as probes used attempts.
    assert session.movies.filter(enrichment_status=Movie.EnrichmentStatus.PENDING).count() >= 6

    settings.TMDB_API_BASE_URL = fake_tmdb.base_url  # TMDB is back
    ratelimit.reset()
    rerun = APIClient().post(f"/api/session/{session.pk}/reenrich")
    session = wait_until_settled(session)

    assert rerun.status_code == 202 and rerun.json()["status"] == Session.Status.ENRICHING
    assert session.status == Session.Status.COMPLETED and session.enriched_count == 12
    assert session.error_message == ""


def test_a_rerun_is_refused_while_enriching_and_unknown_sessions_are_404(fake_tmdb):
    session = session_with_movies([catalog_film(fake_tmdb, 120)], status=Session.Status.ENRICHING)
    client = APIClient()

    assert client.post(f"/api/session/{session.pk}/reenrich").status_code == 409
    assert client.post("/api/session/not-a-session/reenrich").json() == {"detail": "Session not found."}
