"""Read-only share links: the owner creates, reads, rotates and revokes; a token reads, never writes."""

import pytest

from movies.models import Movie, ShareLink
from movies.tests.factories import EnrichedMovieFactory, WatchFactory, WatchlistEntryFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

SHARED_READS = [
    "/api/shared/{token}/status",
    "/api/shared/{token}/analytics",
    "/api/shared/{token}/analytics?year=2024",
    "/api/shared/{token}/movies",
    "/api/shared/{token}/movies?genre=Drama&ordering=-rating",
    "/api/shared/{token}/diary-days",
    "/api/shared/{token}/card.svg",
]
# Every write of the owner's API, at the same path under a token; plus the reads that are refused.
SHARED_WRITES = [
    ("delete", "/api/shared/{token}"),
    ("delete", "/api/shared/{token}/"),
    ("post", "/api/shared/{token}/reenrich"),
    ("put", "/api/shared/{token}/movies/{movie}/match"),
    ("post", "/api/shared/{token}/import"),
    ("post", "/api/shared/{token}/share"),
    ("delete", "/api/shared/{token}/share"),
    ("post", "/api/shared/{token}/status"),
    ("delete", "/api/shared/{token}/movies"),
    ("patch", "/api/shared/{token}/analytics"),
    ("get", "/api/shared/{token}/export"),
    ("get", "/api/shared/{token}/export?format=csv"),
    ("get", "/api/shared/{token}/matches"),
]


@pytest.fixture
def shared(client):
    session = SessionFactory(status=Session.Status.COMPLETED, total_movies=1, enriched_count=1)
    movie = EnrichedMovieFactory(session=session, rating=4, review="My secret review")
    WatchFactory(movie=movie, watched_date="2024-03-01", review="Viewing review")
    answer = client.post(f"/api/session/{session.pk}/share")
    assert answer.status_code == 201
    return session, movie, answer.json()


def test_the_owner_creates_a_link_of_256_random_bits_and_reads_it_back(client, shared):
    session, _, link = shared

    assert link["url"].endswith(f"/v/{link['token']}/")
    assert len(link["token"]) >= 43  # 32 bytes in URL-safe base64
    assert str(session.pk) not in link["token"]
    assert client.get(f"/api/session/{session.pk}/share").json() == link


def test_a_session_without_a_link_answers_404(client):
    session = SessionFactory()

    assert client.get(f"/api/session/{session.pk}/share").status_code == 404
    assert client.delete(f"/api/session/{session.pk}/share").status_code == 404


def test_rotating_revokes_the_old_token_at_once(client, shared):
    session, _, old = shared

    new = client.post(f"/api/session/{session.pk}/share").json()

    assert new["token"] != old["token"]
    assert client.get(f"/api/shared/{old['token']}/status").status_code == 404
    assert client.get(f"/api/shared/{new['token']}/status").status_code == 200
    assert ShareLink.objects.filter(session=session, revoked_at__isnull=True).count() == 1


def test_a_revoked_token_answers_404_everywhere(client, shared):
    session, _, link = shared

    assert client.delete(f"/api/session/{session.pk}/share").status_code == 204

    for path in SHARED_READS:
        answer = client.get(path.format(token=link["token"]))
        assert answer.status_code == 404, path
        assert answer.json()["detail"] == "Share link not found."
    assert client.get(f"/api/session/{session.pk}/share").status_code == 404


@pytest.mark.parametrize("path", SHARED_READS)
def test_a_token_reads_what_the_page_needs_without_the_session_id(client, shared, path):
    session, _, link = shared

    answer = client.get(path.format(token=link["token"]))

    assert answer.status_code == 200
    assert str(session.pk) not in answer.content.decode()


def test_the_shared_reads_match_the_owners(client, shared):
    session, _, link = shared
    owner = client.get(f"/api/session/{session.pk}/analytics").json()
    friend = client.get(f"/api/shared/{link['token']}/analytics").json()

    owner.pop("session_id")
    assert friend == owner
    films = client.get(f"/api/shared/{link['token']}/movies").json()
    assert [film["title"] for film in films["movies"]] == [Movie.objects.get(session=session).title]
    assert client.get(f"/api/shared/{link['token']}/diary-days").json() == {"days": {"2024-03-01": 1}}


def test_reviews_are_not_shared(client, shared):
    _, _, link = shared

    body = client.get(f"/api/shared/{link['token']}/movies").content.decode()

    assert "secret review" not in body and "Viewing review" not in body


@pytest.mark.parametrize("method, path", SHARED_WRITES)
def test_every_write_refuses_a_share_token_and_changes_nothing(client, shared, method, path):
    session, movie, link = shared

    answer = getattr(client, method)(
        path.format(token=link["token"], movie=movie.pk), data={"tmdb_id": 1}, content_type="application/json"
    )

    assert answer.status_code == 405, answer.content
    assert "read-only" in answer.json()["detail"]
    movie.refresh_from_db()
    assert (movie.tmdb_id, movie.enrichment_status) != (1, Movie.EnrichmentStatus.PENDING)
    assert Session.objects.filter(pk=session.pk).exists()
    assert client.get(f"/api/shared/{link['token']}/status").status_code == 200


def test_a_token_is_not_a_session_id(client, shared):
    _, _, link = shared

    assert client.get(f"/api/session/{link['token']}/status").status_code == 404
    assert client.delete(f"/api/session/{link['token']}").status_code == 404


def test_a_session_id_is_not_a_token(client, shared):
    session, _, _ = shared

    assert client.get(f"/api/shared/{session.pk}/status").status_code == 404


def test_share_tokens_never_appear_in_another_sessions_answers(client, shared):
    _, _, link = shared
    other = SessionFactory(status=Session.Status.COMPLETED)
    EnrichedMovieFactory(session=other)
    WatchlistEntryFactory(session=other)
    own = client.post(f"/api/session/{other.pk}/share").json()

    for path in ["", "/status", "/analytics", "/movies", "/export", "/share", "/matches"]:
        body = client.get(f"/api/session/{other.pk}{path}").content.decode()
        assert link["token"] not in body, path
    for path in ["/status", "/analytics", "/movies"]:
        assert link["token"] not in client.get(f"/api/shared/{own['token']}{path}").content.decode()


def test_deleting_the_session_ends_its_link(client, shared):
    session, _, link = shared

    assert client.delete(f"/api/session/{session.pk}").status_code == 204

    assert client.get(f"/api/shared/{link['token']}/status").status_code == 404
    assert not ShareLink.objects.filter(token=link["token"]).exists()
