"""GET /api/session/{id}/watchlist: the watchlist's figures and watch next, computed by hand on a
small fixture (the formula is in movies/watchlists/watch_next.py and the README)."""

from datetime import date

import pytest

from movies.models import WatchlistEntry
from movies.tests.factories import EnrichedMovieFactory, FilmFactory, WatchlistEntryFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
Lookup = WatchlistEntry.LookupStatus

# The member's ratings: mean 3.5.
RATED = [
    (5.0, ["Agnès Varda"], ["Actor A"], ["Drama"], 1965),
    (4.0, ["Agnès Varda"], ["Actor B"], ["Drama", "Comedy"], 1977),
    (2.0, ["Michael Bay"], ["Actor C"], ["Action"], 2005),
    (3.0, ["Michael Bay"], ["Actor A"], ["Action", "Comedy"], 2008),
]


@pytest.fixture
def member():
    session = SessionFactory(status=Session.Status.COMPLETED)
    for rating, directors, cast, genres, year in RATED:
        EnrichedMovieFactory(
            session=session, rating=rating, directors=directors, cast=cast, genres=genres, year=year
        )
    EnrichedMovieFactory(session=session, rating=None, directors=["Michael Bay"], year=2009)  # unrated
    films = {
        "cleo": FilmFactory(
            title="Cléo from 5 to 7", directors=["Agnès Varda"], cast=["Actor B", "Nobody"],
            genres=["Drama"], runtime=90, vote_average=7.5, vote_count=950,
            production_countries=["France"],
        ),
        "boom": FilmFactory(
            title="Boom", directors=["Michael Bay"], cast=["Actor C"], genres=["Action", "Comedy"],
            runtime=150, vote_average=6.5, vote_count=1000, production_countries=["United States of America"],
        ),
        "odd": FilmFactory(
            title="Odd", directors=["Someone New"], cast=[], genres=["Horror"], runtime=95,
            vote_average=8.5, vote_count=50, production_countries=["France", "Japan"],
        ),
    }  # fmt: skip
    entries = [
        ("Cléo from 5 to 7", 1962, date(2020, 1, 5), films["cleo"], Lookup.ENRICHED),
        ("Boom", 2007, date(2021, 6, 1), films["boom"], Lookup.ENRICHED),
        ("Odd", 1990, date(2019, 3, 2), films["odd"], Lookup.ENRICHED),
        ("Not Yet", 2001, date(2022, 1, 1), None, Lookup.PENDING),
        ("Nowhere", 1980, None, None, Lookup.NOT_FOUND),
    ]
    for title, year, added_on, film, status in entries:
        WatchlistEntryFactory(
            session=session, title=title, year=year, added_on=added_on, film=film, lookup_status=status
        )
    return session


def watchlist(client, session, query=""):
    response = client.get(f"/api/session/{session.pk}/watchlist{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_figures_count_what_was_looked_up(client, member):
    answer = watchlist(client, member)

    assert answer["total"] == 5
    assert answer["lookups"] == {"pending": 1, "enriched": 3, "not_found": 1, "failed": 0, "tv": 0, "done": 4}
    assert answer["hours"] == 5.6 and answer["runtime_known"] == 3  # (90 + 150 + 95) / 60 = 5.58
    assert answer["genres"] == [
        {"name": name, "films": 1} for name in ("Action", "Comedy", "Drama", "Horror")
    ]
    assert answer["countries"] == [
        {"name": "France", "films": 2},
        {"name": "Japan", "films": 1},
        {"name": "United States of America", "films": 1},
    ]
    # Letterboxd's years: 1962, 2007, 1990, 2001, 1980.
    assert answer["decades"] == [
        {"decade": 1960, "films": 1},
        {"decade": 1980, "films": 1},
        {"decade": 1990, "films": 1},
        {"decade": 2000, "films": 2},
    ]


def test_entries_come_oldest_first_with_their_film_and_match_state(client, member):
    entries = watchlist(client, member, "?page_size=3")["entries"]

    assert [entry["title"] for entry in entries] == ["Odd", "Cléo from 5 to 7", "Boom"]
    assert entries[0]["lookup_status"] == "enriched" and entries[0]["film"]["runtime"] == 95
    assert entries[0]["days_waiting"] == (date.today() - date(2019, 3, 2)).days
    later = watchlist(client, member, "?page=2&page_size=3")["entries"]
    assert [(entry["title"], entry["lookup_status"], entry["film"]) for entry in later] == [
        ("Not Yet", "pending", None),
        ("Nowhere", "not_found", None),
    ]


def test_watch_next_ranks_by_the_members_taste_as_computed_by_hand(client, member):
    # mean 3.5; affinity = Σ(rating − 3.5) / (films + 2):
    # Varda (1.5 + 0.5) / 4 = 0.5, Bay −0.5; Actor B 0.5 / 3, Actor C −1.5 / 3; Drama 0.5,
    # Comedy 0, Action −0.5; the 1960s 1.5 / 3 = 0.5, the 2000s −0.5.
    # Cléo: 0.5 + 0.1667 + 0.5 + 0.5 + (7.5 − 6.5) / 4 × 950 / 1000 = 1.9042
    # Odd: nothing rated fits; TMDB (8.5 − 6.5) / 4 × 50 / 100 = 0.25
    # Boom: −0.5 − 0.5 + (−0.5 + 0) / 2 − 0.5 + 0 = −1.75
    answer = watchlist(client, member)["watch_next"]

    assert answer["rated_films"] == 4 and answer["max_runtime"] is None
    assert [(film["title"], film["score"]) for film in answer["films"]] == [
        ("Cléo from 5 to 7", pytest.approx(1.9042, abs=0.001)),
        ("Odd", pytest.approx(0.25, abs=0.001)),
        ("Boom", pytest.approx(-1.75, abs=0.001)),
    ]
    cleo = answer["films"][0]
    assert cleo["parts"] == {
        "director": 0.5,
        "actor": pytest.approx(0.167, abs=0.001),
        "genre": 0.5,
        "decade": 0.5,
        "tmdb": pytest.approx(0.2375, abs=0.001),
    }
    assert cleo["reasons"] == [
        "Directed by Agnès Varda: you rate their films 4.5★ on average (2 films)",
        "Drama: you rate it 4.5★ on average (2 films)",
    ]
    assert answer["films"][1]["reasons"] == ["TMDB rates it 8.5 (50 votes)"]
    assert answer["films"][2]["reasons"] == ["TMDB rates it 6.5 (1,000 votes)"]  # nothing else speaks for it


def test_the_runtime_filter_keeps_films_under_the_limit(client, member):
    answer = watchlist(client, member, "?max_runtime=100&limit=1")["watch_next"]

    assert answer["max_runtime"] == 100
    assert [film["title"] for film in answer["films"]] == ["Cléo from 5 to 7"]
    two = watchlist(client, member, "?max_runtime=100")["watch_next"]["films"]
    assert [film["title"] for film in two] == ["Cléo from 5 to 7", "Odd"]  # Boom runs 150 minutes


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("max_runtime=abc", "max_runtime"),
        ("max_runtime=", "max_runtime"),
        ("max_runtime=0", "max_runtime"),
        ("max_runtime=99.5", "max_runtime"),
        ("limit=51", "limit"),
        ("page=0", "page"),
        ("page=1825704590021616732987642739687424", "page"),
        ("page_size=", "page_size"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, member, query, parameter):
    response = client.get(f"/api/session/{member.pk}/watchlist?{query}")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{parameter}: ")


def test_a_member_without_ratings_gets_tmdbs_best_first(client):
    session = SessionFactory(status=Session.Status.COMPLETED)
    for title, average in [("Fine", 7.0), ("Great", 8.0), ("Poor", 5.0)]:
        film = FilmFactory(title=title, vote_average=average, vote_count=1000)
        WatchlistEntryFactory(session=session, title=title, film=film, lookup_status=Lookup.ENRICHED)

    answer = watchlist(client, session)["watch_next"]

    assert answer["rated_films"] == 0
    assert [film["title"] for film in answer["films"]] == ["Great", "Fine", "Poor"]


def test_a_share_token_reads_the_same_watchlist_and_an_unknown_session_is_404(client, member):
    token = client.post(f"/api/session/{member.pk}/share").json()["token"]

    shared = client.get(f"/api/shared/{token}/watchlist?max_runtime=100")

    assert shared.status_code == 200
    assert shared.json() == watchlist(client, member, "?max_runtime=100")
    assert client.get("/api/session/00000000-0000-0000-0000-000000000000/watchlist").status_code == 404


def test_the_schema_documents_the_watchlist_and_its_parameters(client):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/session/{session_id}/watchlist/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"max_runtime", "limit"}
    assert "watch_next" in schema["components"]["schemas"]["WatchlistLookups"]["properties"]
    assert "/api/shared/{token}/watchlist/" in schema["paths"]
