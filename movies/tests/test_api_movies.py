"""GET /api/session/{id}/movies: pages, filters, ordering, viewings, constant queries."""

from datetime import date
from decimal import Decimal

import pytest

from movies.models import Movie
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def movies_of(client, session, query=""):
    response = client.get(f"/api/session/{session.pk}/movies?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def titles(client, session, query=""):
    return [movie["title"] for movie in movies_of(client, session, query)["movies"]]


# --- Pages ------------------------------------------------------------------------


@pytest.fixture
def session_of_7():
    session = SessionFactory()
    for n in range(7):
        MovieFactory(session=session, title=f"Film {n}")
    return session


def test_pages_start_at_one_and_say_where_they_are(client, session_of_7):
    body = movies_of(client, session_of_7, "page=2&per_page=3")

    assert [movie["title"] for movie in body["movies"]] == ["Film 3", "Film 4", "Film 5"]
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (7, 2, 3, 3)


def test_the_default_page_holds_50(client):
    session = SessionFactory()
    MovieFactory.create_batch(51, session=session)

    body = movies_of(client, session)

    assert (len(body["movies"]), body["per_page"], body["total"]) == (50, 50, 51)


def test_the_last_page_may_be_short(client, session_of_7):
    assert titles(client, session_of_7, "page=3&per_page=3") == ["Film 6"]


def test_a_page_past_the_end_is_empty(client, session_of_7):
    body = movies_of(client, session_of_7, "page=9&per_page=3")
    assert (body["movies"], body["total"], body["page"]) == ([], 7, 9)


def test_the_existing_frontend_gets_500_in_one_call(client, session_of_7):
    body = movies_of(client, session_of_7, "per_page=500")
    assert (len(body["movies"]), body["per_page"]) == (7, 500)


def test_per_page_above_the_maximum_is_clamped_and_reported(client, session_of_7):
    assert movies_of(client, session_of_7, "per_page=5000")["per_page"] == 1000


def test_the_design_spa_pages_with_skip_and_limit(client, session_of_7):
    body = movies_of(client, session_of_7, "skip=0&limit=1000")
    assert (len(body["movies"]), body["per_page"], body["offset"], body["page"]) == (7, 1000, 0, 1)
    body = movies_of(client, session_of_7, "skip=6&limit=3")
    assert [movie["title"] for movie in body["movies"]] == ["Film 6"]
    assert (body["page"], body["offset"], body["pages"]) == (3, 6, 3)


def test_given_together_the_newer_paging_names_win_and_the_answer_says_what_applied(client, session_of_7):
    body = movies_of(client, session_of_7, "page=3&per_page=10&skip=4&limit=2&offset=1")
    assert [movie["title"] for movie in body["movies"]] == ["Film 4", "Film 5"]
    assert (body["page"], body["per_page"], body["offset"]) == (3, 2, 4)


def test_limit_is_per_page_and_offset_is_skip(client, session_of_7):
    by_offset = movies_of(client, session_of_7, "offset=2&limit=2")
    assert by_offset == movies_of(client, session_of_7, "skip=2&per_page=2")
    assert movies_of(client, session_of_7, "limit=5000")["per_page"] == 1000


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "per_page=x",
        "limit=0",
        "skip=-1",
        "offset=x",
        "page=x&skip=0",
    ],
)
def test_bad_page_parameters_get_400_naming_them(client, session_of_7, query):
    response = client.get(f"/api/session/{session_of_7.pk}/movies?{query}")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(query.split("=")[0] + ":")


def test_only_the_sessions_own_movies_are_listed(client, session_of_7):
    MovieFactory(title="Someone else's")
    assert "Someone else's" not in titles(client, session_of_7, "per_page=100")


def test_each_movie_carries_its_viewings_in_date_order(client):
    movie = EnrichedMovieFactory(rating=Decimal("4.5"))
    WatchFactory(movie=movie, watched_date=date(2023, 5, 1), rating=Decimal("4"), rewatch=True)
    WatchFactory(movie=movie, watched_date=date(2021, 2, 3), rating=Decimal("3.5"), tags=["cinema"])

    [listed] = movies_of(client, movie.session)["movies"]

    assert listed["rating"] == 4.5
    assert listed["tmdb_enriched"] is True
    assert listed["genres"] == ["Drama"]
    assert [(v["watched_date"], v["rating"], v["rewatch"]) for v in listed["viewings"]] == [
        ("2021-02-03", 3.5, False),
        ("2023-05-01", 4.0, True),
    ]
    assert listed["viewings"][0]["tags"] == ["cinema"]


@pytest.mark.parametrize("count", [3, 60])
def test_the_number_of_queries_does_not_grow_with_the_movies(client, django_assert_num_queries, count):
    session = SessionFactory()
    for movie in EnrichedMovieFactory.create_batch(count, session=session):
        WatchFactory.create_batch(2, movie=movie)

    # The session, the count, the page, and every viewing of the page at once.
    with django_assert_num_queries(4):
        body = movies_of(client, session, "per_page=100&genre=Drama&ordering=-rating")

    assert len(body["movies"]) == count
    assert {len(movie["viewings"]) for movie in body["movies"]} == {2}


# --- Filters ----------------------------------------------------------------------


@pytest.fixture
def library():
    """Four films whose differences each filter picks apart."""
    session = SessionFactory()
    EnrichedMovieFactory(
        session=session,
        title="Cléo from 5 to 7",
        year=1962,
        rating=Decimal("5"),
        genres=["Drama", "Comedy"],
        directors=["Agnès Varda"],
        cast=["Corinne Marchand"],
        original_language="fr",
        production_countries=["France", "Italy"],
        liked=True,
    )
    rewatched = EnrichedMovieFactory(
        session=session,
        title="Heat",
        year=1995,
        rating=Decimal("4"),
        genres=["Crime"],
        directors=["Michael Mann"],
        cast=["Al Pacino", "Robert De Niro"],
        original_language="en",
        production_countries=["United States of America"],
    )
    WatchFactory(movie=rewatched, rewatch=True)
    EnrichedMovieFactory(
        session=session,
        title="Jeanne Dielman",
        year=1975,
        rating=None,
        genres=["Drama"],
        directors=["Chantal Akerman"],
        cast=["Delphine Seyrig"],
        original_language="fr",
        production_countries=["Belgium", "France"],
        rewatch=True,
    )
    MovieFactory(session=session, title="Unknown Film", year=2020, rating=Decimal("2.5"))
    return session


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("enriched=true", ["Cléo from 5 to 7", "Heat", "Jeanne Dielman"]),
        ("enriched=false", ["Unknown Film"]),
        ("enrichment_status=pending", ["Unknown Film"]),
        ("genre=Drama", ["Cléo from 5 to 7", "Jeanne Dielman"]),
        ("director=Michael Mann", ["Heat"]),
        ("actor=Robert De Niro", ["Heat"]),
        ("country=France", ["Cléo from 5 to 7", "Jeanne Dielman"]),
        ("country=Belgium", ["Jeanne Dielman"]),
        ("language=FR", ["Cléo from 5 to 7", "Jeanne Dielman"]),
        ("year_min=1970", ["Heat", "Jeanne Dielman", "Unknown Film"]),
        ("year_max=1975", ["Cléo from 5 to 7", "Jeanne Dielman"]),
        ("year_min=1963&year_max=1995", ["Heat", "Jeanne Dielman"]),
        ("rated=true", ["Cléo from 5 to 7", "Heat", "Unknown Film"]),
        ("rated=false", ["Jeanne Dielman"]),
        ("rewatched=true", ["Heat", "Jeanne Dielman"]),  # a rewatch in the diary, or flagged on the film
        ("rewatched=false", ["Cléo from 5 to 7", "Unknown Film"]),
        ("liked=true", ["Cléo from 5 to 7"]),
        ("search=JEANNE", ["Jeanne Dielman"]),
        ("genre=Drama&language=fr&rated=true", ["Cléo from 5 to 7"]),
        ("genre=Western", []),
    ],
)
def test_filters(client, library, query, expected):
    body = movies_of(client, library, query)
    assert [movie["title"] for movie in body["movies"]] == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(
    "query",
    [
        "year_min=old",
        "year_max=1.5.1",
        "enrichment_status=done",
        "ordering=budget",
        "search=a%00b",
        "genre=%00",
    ],
)
def test_bad_filter_values_get_400_with_a_detail(client, library, query):
    response = client.get(f"/api/session/{library.pk}/movies?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(query.split("=")[0])
    assert query.split("=")[0] in body["errors"]


# --- Ordering ---------------------------------------------------------------------


@pytest.fixture
def to_order():
    session = SessionFactory()
    for title, year, rating, watched, runtime, popularity in [
        ("B", 2001, "3", date(2020, 1, 1), 120, 5.0),
        ("A", 1999, "4.5", None, 90, 50.0),
        ("C", None, None, date(2019, 6, 1), None, None),
        ("D", 2010, "1", date(2022, 3, 1), 150, 0.5),
    ]:
        EnrichedMovieFactory(
            session=session,
            title=title,
            year=year,
            rating=Decimal(rating) if rating else None,
            watched_date=watched,
            runtime=runtime,
            popularity=popularity,
        )
    return session


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", "ABCD"),
        ("-title", "DCBA"),
        ("year", "ABDC"),  # unknown values last, both ways
        ("-year", "DBAC"),
        ("rating", "DBAC"),
        ("-rating", "ABDC"),
        ("watched_date", "CBDA"),
        ("-watched_date", "DBCA"),
        ("runtime", "ABDC"),
        ("-runtime", "DBAC"),
        ("popularity", "DBAC"),
        ("-popularity", "ABDC"),
    ],
)
def test_ordering(client, to_order, ordering, expected):
    assert "".join(titles(client, to_order, f"ordering={ordering}")) == expected


def test_movies_are_in_title_order_by_default(client, to_order):
    assert titles(client, to_order) == ["A", "B", "C", "D"]


def test_ordering_and_filters_combine_with_pages(client, to_order):
    body = movies_of(client, to_order, "ordering=-rating&rated=true&per_page=2&page=2")
    assert [movie["title"] for movie in body["movies"]] == ["D"]
    assert body["total"] == 3


def test_unenriched_movies_list_empty_tmdb_fields(client):
    movie = MovieFactory()

    [listed] = movies_of(client, movie.session)["movies"]

    assert listed["enrichment_status"] == Movie.EnrichmentStatus.PENDING
    assert (listed["tmdb_enriched"], listed["genres"], listed["runtime"]) == (False, [], None)


def test_the_schema_says_free_text_filters_refuse_nul(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/api/session/{session_id}/movies/"]["get"]["parameters"]
    patterns = {
        p["name"]: p["schema"].get("pattern") for p in parameters if p["schema"].get("type") == "string"
    }

    for name in ("search", "genre", "director", "actor", "country", "language"):
        assert patterns[name] == "^[^\\u0000]*$", name
    assert patterns["enrichment_status"] is None  # a choice says what it takes already
