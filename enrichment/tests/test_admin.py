"""The admin's re-enrich and film refresh actions, driven as a staff user; the work done by a real worker."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.urls import reverse

from enrichment.tests.test_operations import catalog_session, wait_until_completed
from movies.models import Film, Movie
from movies.tests.factories import FilmFactory, MovieFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

SESSIONS = reverse("admin:upload_sessions_session_changelist")
FILMS = reverse("admin:movies_film_changelist")
Status = Movie.EnrichmentStatus


def run_action(client, url, action, objects, **extra):
    """Run an admin action on the changelist; returns the messages the next page shows."""
    selected = {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **extra}
    response = client.post(url, selected, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("action", "queued", "tmdb_requests"),
    [
        ("retry_problems", 2, 4),  # search and details for the failed and the not-found film
        ("reenrich_all", 4, 8),  # every film asked again
    ],
)
@pytest.mark.django_db(transaction=True)
def test_actions_requeue_movies_and_a_worker_finishes_them(
    admin_client, fake_tmdb, celery_worker, action, queued, tmdb_requests
):
    session = catalog_session(fake_tmdb, 2)

    messages = run_action(admin_client, SESSIONS, action, [session])

    assert messages == [f"Queued {queued} movie(s) of 1 session(s) for enrichment."]
    session = wait_until_completed(session)
    assert (session.enriched_count, session.failed_count, session.not_found_count) == (4, 0, 0)
    assert fake_tmdb.stats()["requests"] == tmdb_requests


@pytest.mark.django_db
def test_a_session_still_enriching_is_refused_unless_forced(admin_client, django_capture_on_commit_callbacks):
    busy = SessionFactory(status=Session.Status.ENRICHING, total_movies=1, failed_count=1)
    MovieFactory(session=busy, enrichment_status=Status.FAILED)
    done = SessionFactory(status=Session.Status.COMPLETED, total_movies=1, failed_count=1)
    MovieFactory(session=done, enrichment_status=Status.FAILED)

    with django_capture_on_commit_callbacks():
        messages = run_action(admin_client, SESSIONS, "retry_problems", [busy, done])
    assert messages[0] == "Queued 1 movie(s) of 1 session(s) for enrichment."
    assert f"Still enriching, not re-queued: {busy.pk}." in messages[1]
    assert Movie.objects.get(session=busy).enrichment_status == Status.FAILED

    with django_capture_on_commit_callbacks():
        messages = run_action(admin_client, SESSIONS, "retry_problems", [busy], force="on")
    assert messages == ["Queued 1 movie(s) of 1 session(s) for enrichment."]
    assert Movie.objects.get(session=busy).enrichment_status == Status.PENDING


@pytest.mark.django_db
def test_staff_who_may_only_view_sessions_get_no_re_enrich_actions(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="upload_sessions")
    )
    client.force_login(viewer)
    session = SessionFactory(status=Session.Status.COMPLETED, total_movies=1, failed_count=1)
    MovieFactory(session=session, enrichment_status=Status.FAILED)

    page = client.get(SESSIONS).content.decode()
    client.post(SESSIONS, {"action": "retry_problems", helpers.ACTION_CHECKBOX_NAME: [session.pk]})

    assert "retry_problems" not in page
    assert Movie.objects.get(session=session).enrichment_status == Status.FAILED


@pytest.mark.django_db
def test_refresh_action_fetches_selected_films_again(admin_client, fake_tmdb):
    known_id = min(fake_tmdb.films)
    stale = FilmFactory(tmdb_id=known_id, title="Old title")

    messages = run_action(admin_client, FILMS, "refresh_from_tmdb", [stale])

    assert messages == [
        "Refreshed 1 film(s); 0 no longer on TMDB (removed from the cache); 0 failed for now; 0 skipped."
    ]
    assert Film.objects.get(pk=known_id).title == fake_tmdb.films[known_id]["title"]
