"""Compare with a friend: figures computed by hand on two small sessions, and consent by share link."""

import pytest

from movies.models import Movie
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchlistEntryFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def film(session, title, rating, tmdb_id, genre, uri=None, **fields):
    return EnrichedMovieFactory(
        session=session, title=title, year=2000, rating=rating, tmdb_id=tmdb_id, genres=[genre],
        letterboxd_uri=uri or f"https://boxd.it/{session.pk.hex[:6]}{title}", **fields,
    )  # fmt: skip


@pytest.fixture
def pair(client):
    """You: f1 5, f2 4, f3 3, f4 1, f5 4.5. Friend: f1 5, f2 3, f3 4, f4 3 (not found on TMDB, joined by
    its URI), g1 4, g2 2. Watchlists: yours w1 and g1, theirs w1 and f5."""
    you = SessionFactory(status=Session.Status.COMPLETED)
    friend = SessionFactory(status=Session.Status.COMPLETED)
    film(you, "f1", 5, 1, "Drama", liked=True)
    film(you, "f2", 4, 2, "Drama")
    film(you, "f3", 3, 3, "Comedy")
    film(you, "f4", 1, 4, "Comedy", uri="https://boxd.it/f4")
    film(you, "f5", 4.5, 5, "Drama", uri="https://boxd.it/f5")
    film(friend, "f1", 5, 1, "Drama", liked=True)
    film(friend, "f2", 3, 2, "Drama")
    film(friend, "f3", 4, 3, "Comedy")
    MovieFactory(
        session=friend, title="f4", year=2000, rating=3, letterboxd_uri="https://boxd.it/f4",
        enrichment_status=Movie.EnrichmentStatus.NOT_FOUND, genres=["Comedy"],
    )  # fmt: skip
    film(friend, "g1", 4, 11, "Horror", uri="https://boxd.it/g1")
    film(friend, "g2", 2, 12, "Drama")
    MovieFactory(session=friend, title="A TV show", rating=5, enrichment_status=Movie.EnrichmentStatus.TV)
    for session, titles in ((you, ["w1", "g1"]), (friend, ["w1", "f5"])):
        for title in titles:
            WatchlistEntryFactory(
                session=session, title=title, year=2000, letterboxd_uri=f"https://boxd.it/{title}"
            )
    token = client.post(f"/api/session/{friend.pk}/share").json()["token"]
    return you, friend, token


def titles(rows):
    return [row["title"] for row in rows]


def test_the_compatibility_score_matches_the_hand_computed_one(client, pair):
    you, _, token = pair

    score = client.get(f"/api/session/{you.pk}/compare/{token}").json()["compatibility"]

    # Both rated f1..f4: you 5, 4, 3, 1 (mean 3.25), friend 5, 3, 4, 3 (mean 3.75).
    # cov = 1.75*1.25 + .75*-.75 + -.25*.25 + -2.25*-.75 = 3.25; var 8.75 and 2.75
    # r = 3.25 / sqrt(8.75 * 2.75) = 0.662542; shrunk = r * 4 / 14 = 0.189298; agreement = 0.594649
    # overlap = 4 in common / min(5, 6) = 0.8 (the TV entry is not a film)
    # score = round(100 * (0.75 * 0.594649 + 0.25 * 0.8)) = round(64.60) = 65
    assert score["rated_in_common"] == 4 and score["films_in_common"] == 4
    assert score["rating_correlation"] == pytest.approx(0.662542, abs=1e-4)
    assert score["shrunk_correlation"] == pytest.approx(0.189298, abs=1e-4)
    assert score["agreement"] == pytest.approx(0.594649, abs=1e-4)
    assert score["overlap"] == 0.8
    assert score["score"] == 65


def test_the_lists_both_ways_and_watch_together(client, pair):
    you, _, token = pair

    body = client.get(f"/api/session/{you.pk}/compare/{token}").json()

    assert body["you"] == {"films": 5, "rated": 5} and body["friend"] == {"films": 6, "rated": 6}
    assert sorted(titles(body["in_common"])) == ["f1", "f2", "f3", "f4"]
    assert titles(body["both_loved"]) == ["f1"]
    assert [(row["title"], row["your_rating"], row["friend_rating"]) for row in body["disagreements"]] == [
        ("f4", 1.0, 3.0)
    ]
    assert titles(body["for_you"]) == ["g1"] and body["for_you"][0]["on_watchlist"] is True
    assert titles(body["for_friend"]) == ["f5"] and body["for_friend"][0]["on_watchlist"] is True
    together = body["watch_together"]
    assert titles(together["both_watchlists"]) == ["w1"]
    assert titles(together["yours_friend_loved"]) == ["g1"]
    assert titles(together["friends_you_loved"]) == ["f5"]


def test_taste_side_by_side_shares_averages_and_similarity(client, pair):
    you, _, token = pair

    genres = client.get(f"/api/session/{you.pk}/compare/{token}").json()["taste"]["genres"]

    rows = {row["name"]: row for row in genres["rows"]}
    # You: Drama f1, f2, f5 (5, 4, 4.5), Comedy f3, f4.
    # Friend: Drama f1, f2, g2 (5, 3, 2), Comedy f3, f4, Horror g1.
    assert rows["Drama"]["you"] == {"films": 3, "share": 0.6, "average_rating": 4.5}
    assert rows["Drama"]["friend"] == {"films": 3, "share": 0.5, "average_rating": 3.33}
    assert rows["Horror"]["you"] == {"films": 0, "share": 0.0, "average_rating": None}
    # cosine of (3, 2, 0) and (3, 2, 1) = 13 / sqrt(13 * 14)
    assert genres["similarity"] == pytest.approx(0.963624, abs=1e-4)


def test_the_answer_never_names_the_friends_session_id(client, pair):
    you, friend, token = pair

    body = client.get(f"/api/session/{you.pk}/compare/{token}").content.decode()

    assert str(friend.pk) not in body and friend.pk.hex not in body


def test_compare_refuses_a_session_id_in_place_of_a_token(client, pair):
    you, friend, _ = pair

    answer = client.get(f"/api/session/{you.pk}/compare/{friend.pk}")

    assert answer.status_code == 404
    assert answer.json()["detail"] == "Share link not found."


def test_revoking_the_link_ends_the_comparison(client, pair):
    you, friend, token = pair
    client.delete(f"/api/session/{friend.pk}/share")

    assert client.get(f"/api/session/{you.pk}/compare/{token}").status_code == 404


def test_compare_is_read_only_and_needs_your_own_session_id(client, pair):
    you, _, token = pair

    assert client.post(f"/api/session/{you.pk}/compare/{token}").status_code == 405
    assert client.get(f"/api/session/{token}/compare/{token}").status_code == 404
