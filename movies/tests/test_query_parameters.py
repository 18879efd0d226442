"""Every documented query parameter: a malformed or empty value is a 400 naming it, never ignored."""

import pytest

from movies.tests.factories import MovieFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    session = SessionFactory()
    MovieFactory(session=session, year=1999)
    return session


@pytest.mark.parametrize(
    "endpoint, query, parameter",
    [
        ("analytics", "year=", "year"),
        ("analytics", "released=", "released"),
        ("analytics", "year=1999.5", "year"),
        ("card.svg", "year=", "year"),
        ("movies", "year_min=0.5", "year_min"),
        ("movies", "year_max=abc", "year_max"),
        ("movies", "year_min=", "year_min"),
        ("movies", "liked=maybe", "liked"),
        ("movies", "rated=", "rated"),
        ("movies", "enriched=yes", "enriched"),
        ("movies", "rewatched=2", "rewatched"),
        ("movies", "enrichment_status=bogus", "enrichment_status"),
        ("movies", "ordering=-nothing", "ordering"),
        ("movies", "page=", "page"),
        ("movies", "per_page=1.5", "per_page"),
        ("matches", "confidence_below=", "confidence_below"),
        ("matches", "confidence_below=high", "confidence_below"),
        ("export", "format=", "format"),
    ],
)
def test_a_malformed_or_empty_value_is_a_400_naming_the_parameter(
    client, session, endpoint, query, parameter
):
    response = client.get(f"/api/session/{session.pk}/{endpoint}?{query}")

    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith(f"{parameter}: "), response.json()


@pytest.mark.parametrize(
    "query", ["liked=true", "liked=false", "rated=1", "enriched=0", "year_min=1990&year_max=2000", "search="]
)
def test_well_formed_values_still_filter(client, session, query):
    assert client.get(f"/api/session/{session.pk}/movies?{query}").status_code == 200


def test_booleans_of_the_staff_re_enrich_body_are_json_booleans(admin_client, session):
    url = f"/api/admin/sessions/{session.pk}/re-enrich"
    for body, field in [({"force": 0}, "force"), ({"only_problems": "yes"}, "only_problems")]:
        response = admin_client.post(url, body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["detail"].startswith(f"{field}: ")
