import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movies.models import Movie
from movies.tests.factories import MovieFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:upload_sessions_session_changelist")


def change_url(session):
    return reverse("admin:upload_sessions_session_change", args=[session.pk])


def session_with_movies(count, **fields):
    session = SessionFactory(total_movies=count, **fields)
    Movie.objects.bulk_create(MovieFactory.build_batch(count, session=session))
    return session


def listed_ids(response):
    return {str(session.pk) for session in response.context["cl"].result_list}


def test_list_shows_status_progress_and_problem_counts(admin_client):
    SessionFactory(total_movies=8, enriched_count=5, failed_count=1, not_found_count=0)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<progress value="6" max="8"></progress> 6 / 8 (75.0%)' in page
    assert "enriching" in page


def test_filters_by_status(admin_client):
    completed = SessionFactory(status=Session.Status.COMPLETED)
    SessionFactory(status=Session.Status.ENRICHING)

    response = admin_client.get(CHANGELIST, {"status__exact": "completed"})

    assert listed_ids(response) == {str(completed.pk)}


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_filters_by_having_failures(admin_client, answer):
    failed = SessionFactory(total_movies=3, failed_count=1)
    not_found = SessionFactory(total_movies=3, not_found_count=2)
    clean = SessionFactory(total_movies=3, enriched_count=3)

    response = admin_client.get(CHANGELIST, {"has_failures": answer})

    expected = {failed, not_found} if answer == "yes" else {clean}
    assert listed_ids(response) == {str(session.pk) for session in expected}


def test_search_finds_a_session_by_its_whole_id_or_a_fragment(admin_client):
    wanted, other = SessionFactory(), SessionFactory()

    by_id = admin_client.get(CHANGELIST, {"q": str(wanted.pk)})
    by_fragment = admin_client.get(CHANGELIST, {"q": str(wanted.pk)[-12:]})

    assert listed_ids(by_id) == {str(wanted.pk)}
    assert listed_ids(by_fragment) == {str(wanted.pk)}
    assert str(other.pk) not in listed_ids(admin_client.get(CHANGELIST, {"q": "not-a-session"}))


def test_detail_page_shows_metadata_error_and_problem_movies_first(admin_client):
    session = SessionFactory(
        status=Session.Status.FAILED,
        error_message="TMDB refused the API key",
        total_movies=3,
        failed_count=1,
        upload_metadata={"files": [{"name": "watched.csv", "rows": 3}]},
    )
    MovieFactory(session=session, title="Aardvark", enrichment_status=Movie.EnrichmentStatus.ENRICHED)
    MovieFactory(
        session=session, title="Zorro", enrichment_status="failed", enrichment_error="TMDB answered 503"
    )

    response = admin_client.get(change_url(session))

    page = response.content.decode()
    assert response.status_code == 200
    assert "TMDB refused the API key" in page
    assert "watched.csv" in page
    assert page.index("Zorro") < page.index("Aardvark")
    assert "TMDB answered 503" in page
    assert f"session__id__exact={session.pk}" in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_detail_page_of_a_3000_film_session_costs_what_a_small_one_costs(admin_client):
    small = session_with_movies(30)
    large = session_with_movies(3000)
    admin_client.get(change_url(small))  # warm the admin user's session and permissions

    small_queries, _ = count_queries(admin_client, change_url(small))
    large_queries, response = count_queries(admin_client, change_url(large))

    assert large_queries == small_queries
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 50
    assert "all 3000 movies" in response.content.decode()


def test_the_admin_makes_no_change_to_session_fields(admin_client):
    session = SessionFactory(status=Session.Status.COMPLETED)

    admin_client.post(change_url(session), {"status": "failed"})

    session.refresh_from_db()
    assert session.status == Session.Status.COMPLETED


def test_users_who_are_not_staff_are_sent_to_log_in(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    session = SessionFactory()

    for url in (CHANGELIST, change_url(session)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_staff_without_the_view_permission_are_refused(client, django_user_model):
    staff = django_user_model.objects.create_user("helper", password="x", is_staff=True)
    client.force_login(staff)

    assert client.get(CHANGELIST).status_code == 403

    staff.user_permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="upload_sessions")
    )
    assert client.get(CHANGELIST).status_code == 200
