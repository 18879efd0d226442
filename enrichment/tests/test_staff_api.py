import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from enrichment.tests.test_operations import catalog_session, wait_until_completed
from enrichment.tmdb import ratelimit
from movies.models import Movie
from movies.tests.factories import EnrichedMovieFactory, MovieFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

Status = Movie.EnrichmentStatus

STATUS_URL = "/api/admin/worker/status"


def errors_url(session_id):
    return f"/api/admin/sessions/{session_id}/errors"


def re_enrich_url(session_id):
    return f"/api/admin/sessions/{session_id}/re-enrich"


@pytest.fixture
def staff_client(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture
def session_with_errors():
    session = SessionFactory(
        status=Session.Status.COMPLETED, total_movies=3, failed_count=1, not_found_count=1
    )
    EnrichedMovieFactory(session=session)
    MovieFactory(
        session=session,
        title="Zazie dans le métro",
        enrichment_status=Status.FAILED,
        enrichment_attempts=5,
        enrichment_error="TMDB /search/movie answered 503",
    )
    MovieFactory(
        session=session, title="Lost Film", enrichment_status=Status.NOT_FOUND, enrichment_attempts=1
    )
    return session


@pytest.mark.django_db
class TestAccess:
    def urls(self, session):
        return [("get", STATUS_URL), ("get", errors_url(session.pk)), ("post", re_enrich_url(session.pk))]

    def test_anonymous_callers_get_401_and_no_data(self, session_with_errors):
        for method, url in self.urls(session_with_errors):
            response = getattr(APIClient(), method)(url)
            assert response.status_code == 401, url
            assert response.json().keys() == {"detail"}
            assert response["WWW-Authenticate"] == "Token"
        assert Movie.objects.filter(enrichment_status=Status.FAILED).exists()

    def test_users_who_are_not_staff_get_403_and_no_data(self, session_with_errors, django_user_model):
        client = APIClient()
        client.force_login(django_user_model.objects.create_user("visitor", password="x"))
        for method, url in self.urls(session_with_errors):
            response = getattr(client, method)(url)
            assert response.status_code == 403, url
            assert response.json().keys() == {"detail"}
        assert Movie.objects.filter(enrichment_status=Status.FAILED).exists()

    def test_staff_may_use_a_token(self, session_with_errors, admin_user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_user).key}")

        assert client.get(errors_url(session_with_errors.pk)).status_code == 200


@pytest.mark.django_db
class TestSessionErrors:
    def test_lists_failed_and_not_found_movies_with_their_errors(self, staff_client, session_with_errors):
        body = staff_client.get(errors_url(session_with_errors.pk) + "/").json()

        assert body["total"] == 2
        assert [(movie["title"], movie["enrichment_status"]) for movie in body["movies"]] == [
            ("Zazie dans le métro", "failed"),
            ("Lost Film", "not_found"),
        ]
        assert body["movies"][0]["enrichment_error"] == "TMDB /search/movie answered 503"
        assert body["movies"][0]["enrichment_attempts"] == 5

    def test_pages_through_many_errors(self, staff_client):
        session = SessionFactory()
        MovieFactory.create_batch(5, session=session, enrichment_status=Status.NOT_FOUND)

        body = staff_client.get(errors_url(session.pk), {"page": 2, "per_page": 2}).json()

        assert (body["total"], body["page"], len(body["movies"])) == (5, 2, 2)

    def test_an_expired_session_is_still_shown_to_operators(self, staff_client, session_with_errors):
        Session.objects.update(expires_at=timezone.now() - timedelta(hours=1))

        assert staff_client.get(errors_url(session_with_errors.pk)).json()["total"] == 2

    def test_unknown_and_malformed_ids_are_404(self, staff_client):
        assert staff_client.get(errors_url(uuid.uuid4())).status_code == 404
        assert staff_client.get(errors_url("not-a-session")).status_code == 404


@pytest.mark.django_db
class TestReEnrich:
    def test_answers_how_many_movies_were_queued(
        self, staff_client, session_with_errors, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as dispatched:
            response = staff_client.post(
                re_enrich_url(session_with_errors.pk), {"only_problems": True}, format="json"
            )

        assert response.status_code == 202
        assert response.json() == {"session_id": str(session_with_errors.pk), "queued": 2}
        assert len(dispatched) == 1

    def test_a_session_still_enriching_is_409_unless_forced(
        self, staff_client, session_with_errors, django_capture_on_commit_callbacks
    ):
        Session.objects.update(status=Session.Status.ENRICHING)

        refused = staff_client.post(re_enrich_url(session_with_errors.pk))
        assert refused.status_code == 409
        assert "still enriching" in refused.json()["detail"]

        with django_capture_on_commit_callbacks():
            forced = staff_client.post(re_enrich_url(session_with_errors.pk), {"force": True}, format="json")
        assert (forced.status_code, forced.json()["queued"]) == (202, 3)

    def test_bad_options_and_unknown_sessions(self, staff_client):
        assert staff_client.post(re_enrich_url(uuid.uuid4())).status_code == 404
        bad = staff_client.post(re_enrich_url(uuid.uuid4()), {"force": "perhaps"}, format="json")
        assert bad.status_code == 400
        assert "force" in bad.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_re_enrich_is_finished_by_a_worker(staff_client, fake_tmdb, celery_worker):
    session = catalog_session(fake_tmdb, 1)

    response = staff_client.post(re_enrich_url(session.pk), {"only_problems": True}, format="json")

    assert response.json()["queued"] == 2
    session = wait_until_completed(session)
    assert (session.enriched_count, session.failed_count, session.not_found_count) == (3, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_worker_status_reports_workers_sessions_and_the_limiter(staff_client, celery_worker):
    ratelimit.reset()
    SessionFactory(
        status=Session.Status.ENRICHING, total_movies=10, enriched_count=4, not_found_count=1, tv_count=2
    )
    SessionFactory(status=Session.Status.COMPLETED)

    body = staff_client.get(STATUS_URL).json()

    assert body["workers"] == [celery_worker.hostname]
    assert body["sessions_enriching"] == 1
    assert (body["enriching"][0]["processed_count"], body["enriching"][0]["matched_count"]) == (7, 4)
    assert (body["queue"]["name"], body["film_queue"]["name"]) == ("celery", "enrichment")
    assert body["rate_limiter"]["tokens"] == body["rate_limiter"]["capacity"]
    assert body["rate_limiter"]["blocked_until"] is None


@pytest.mark.django_db
def test_worker_status_counts_queued_tasks_when_no_worker_runs(staff_client):
    celery_app.control.purge()
    ratelimit.penalize(30)
    for _ in range(3):
        celery_app.send_task("enrichment.tasks.continue_enrichment", args=[str(uuid.uuid4())])

    body = staff_client.get(STATUS_URL).json()

    celery_app.control.purge()
    ratelimit.reset()
    assert body["workers"] == []
    assert body["queue"]["waiting"] == 3
    assert body["rate_limiter"]["blocked_until"] is not None
