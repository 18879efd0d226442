"""Export as JSON and CSV (formula injection escaped), import back without TMDB."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from movies.csv_export import escape_cell
from movies.models import Movie, Watch
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    session = SessionFactory(total_movies=3, enriched_count=2, not_found_count=1, status="completed")
    heat = EnrichedMovieFactory(
        session=session,
        title="Heat",
        year=1995,
        rating=Decimal("4.5"),
        tags=["crime", "la"],
        genres=["Crime", "Thriller"],
        budget=60_000_000,
    )
    WatchFactory(movie=heat, watched_date=date(2019, 4, 2), rating=Decimal("4"), review="<b>Great</b>\nheist")
    WatchFactory(movie=heat, watched_date=date(2022, 8, 9), rewatch=True)
    EnrichedMovieFactory(session=session, title="9", year=2009, letterboxd_uri="")  # keyed by title and year
    MovieFactory(session=session, title="Lost Film", year=None, enrichment_status="not_found")
    return session


@pytest.fixture
def received_signals():
    received = []

    def receiver(sender, session_id, **kwargs):
        received.append(session_id)

    session_ready_for_enrichment.connect(receiver)
    yield received
    session_ready_for_enrichment.disconnect(receiver)


def export_json(client, session):
    response = client.get(f"/api/session/{session.pk}/export?format=json")
    assert response.status_code == 200, response.content
    return response


def test_json_export_is_a_download_of_every_movie_with_its_viewings(client, session):
    response = export_json(client, session)

    document = response.json()
    assert response["Content-Disposition"] == f'attachment; filename="letterboxd-stats-{session.pk}.json"'
    assert (document["format"], document["version"]) == ("letterboxd-stats-session", 1)
    assert document["session"]["total_movies"] == 3
    heat = next(movie for movie in document["movies"] if movie["title"] == "Heat")
    assert (heat["rating"], heat["genres"], heat["budget"], heat["tags"]) == (
        4.5,
        ["Crime", "Thriller"],
        60_000_000,
        ["crime", "la"],
    )
    assert [(v["watched_date"], v["rewatch"]) for v in heat["viewings"]] == [
        ("2019-04-02", False),
        ("2022-08-09", True),
    ]


def test_json_is_the_default_format(client, session):
    assert client.get(f"/api/session/{session.pk}/export").json()["movies"]


def test_an_unknown_format_gets_400(client, session):
    response = client.get(f"/api/session/{session.pk}/export?format=xml")
    assert response.status_code == 400
    assert response.json()["detail"] == "format: Must be json, csv or letterboxd."


def test_csv_export_has_one_row_per_film(client, session):
    response = client.get(f"/api/session/{session.pk}/export?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'letterboxd-stats-{session.pk}.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["9", "Heat", "Lost Film"]
    heat = rows[1]
    assert (heat["rating"], heat["tags"], heat["genres"]) == ("4.5", "crime, la", "Crime, Thriller")
    assert heat["viewings"] == "2"
    assert heat["viewing_dates"] == "2019-04-02, 2022-08-09"
    assert (heat["rewatch"], heat["enrichment_status"]) == ("false", "enriched")
    assert rows[2]["year"] == ""


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
)
def test_csv_cells_that_spreadsheets_would_run_are_escaped(client, dangerous):
    movie = MovieFactory(title=dangerous, review=dangerous, tags=[dangerous])

    response = client.get(f"/api/session/{movie.session.pk}/export?format=csv")

    [row] = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    assert row["title"] == "'" + dangerous
    assert row["review"] == "'" + dangerous
    assert row["tags"] == "'" + dangerous


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Heat", "Heat"),
        ("2012", "2012"),
        ("Who's afraid = nobody", "Who's afraid = nobody"),
        (None, ""),
        (False, "false"),
        (["a", "b"], "a, b"),
        (["-x", "y"], "'-x, y"),
    ],
)
def test_harmless_cells_are_left_alone(value, cell):
    assert escape_cell(value) == cell


# --- Import -----------------------------------------------------------------------


def comparable(document):
    """What an export says about its films, without what belongs to one session."""
    return sorted(document["movies"], key=lambda movie: movie["title"])


def test_import_recreates_the_session_without_asking_tmdb(client, session, received_signals):
    document = export_json(client, session).json()

    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    imported = Session.objects.get(pk=body["session_id"])
    assert imported.pk != session.pk
    assert (imported.status, imported.total_movies, imported.enriched_count, imported.not_found_count) == (
        "completed",
        3,
        2,
        1,
    )
    assert body["progress_percent"] == 100.0
    assert received_signals == []  # nothing left for enrichment to do
    assert comparable(export_json(client, imported).json()) == comparable(document)
    assert Watch.objects.filter(movie__session=imported).count() == 2


def test_imported_films_left_pending_or_failed_are_enriched_anew(client, received_signals):
    session = SessionFactory()
    EnrichedMovieFactory(session=session)
    MovieFactory(session=session, enrichment_status="failed", enrichment_error="TMDB 503")
    MovieFactory(session=session)
    document = export_json(client, session).json()

    body = client.post("/api/session/import/", document, content_type="application/json").json()

    imported = Session.objects.get(pk=body["session_id"])
    assert (imported.status, imported.enriched_count, imported.total_movies) == ("enriching", 1, 3)
    assert received_signals == [imported.pk]
    assert sorted(Movie.objects.filter(session=imported).values_list("enrichment_status", flat=True)) == [
        "enriched",
        "pending",
        "pending",
    ]


def test_an_imported_tv_entry_stays_finished_and_counted_apart(client, received_signals):
    session = SessionFactory()
    EnrichedMovieFactory(session=session)
    MovieFactory(session=session, title="Normal People", year=2020, enrichment_status="tv")
    document = export_json(client, session).json()

    body = client.post("/api/session/import", document, content_type="application/json").json()

    imported = Session.objects.get(pk=body["session_id"])
    assert (imported.status, imported.enriched_count, imported.tv_count) == ("completed", 1, 1)
    assert body["tv_count"] == 1 and body["progress_percent"] == 100.0
    assert received_signals == []


def _document(client, **movie_changes):
    movie = EnrichedMovieFactory()
    document = export_json(client, movie.session).json()
    document["movies"][0].update(movie_changes)
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "format"),
        ({"version": 2}, "version"),
        ({"movies": "all of them"}, "movies"),
    ],
)
def test_import_refuses_what_is_not_an_export(client, change, message):
    document = {**_document(client), **change}
    sessions_before = Session.objects.count()

    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert Session.objects.count() == sessions_before


@pytest.mark.parametrize(
    "change",
    [
        {"rating": 7},
        {"rating": 3.3},
        {"tmdb_id": None},  # "enriched" without a film
        {"enrichment_status": "magic"},
        {"title": ""},
        {"viewings": [{"watched_date": "yesterday"}]},
    ],
)
def test_import_refuses_invalid_movies_and_stores_nothing(client, change):
    document = _document(client, **change)
    sessions_before = Session.objects.count()

    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("movies")
    assert "movies" in body["errors"]
    assert Session.objects.count() == sessions_before


def test_import_refuses_the_same_film_twice(client):
    document = _document(client)
    document["movies"].append(dict(document["movies"][0]))

    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 400
    assert "once" in response.json()["detail"]


def test_import_refuses_a_body_that_is_not_json(client):
    response = client.post("/api/session/import", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_import_takes_movies_that_leave_out_optional_fields(client):
    document = _document(client)
    document["movies"].append({"title": "Bare", "enrichment_status": "pending"})

    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 201, response.content
    bare = Movie.objects.get(session_id=response.json()["session_id"], title="Bare")
    assert (bare.year, bare.tags, bare.rating, bare.liked, bare.enrichment_status) == (
        None,
        [],
        None,
        False,
        "pending",
    )


def import_refused(client, body, status, fragment):
    """Post body to import; True when it is refused with status, naming fragment, and nothing stored."""
    sessions_before = Session.objects.count()
    response = client.post("/api/session/import", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert fragment in response.json()["detail"]
    return Session.objects.count() == sessions_before


def test_import_refuses_an_export_over_django_s_body_limit_with_413_naming_it(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    document = _document(client)

    assert import_refused(client, document, 413, "the limit is 100 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE")


def test_import_refuses_more_rows_than_its_limit_before_validating_any(client, settings):
    settings.IMPORT_MAX_ROWS = 3
    document = _document(client)
    document["movies"][0]["viewings"] = [{"watched_date": "2024-01-01"}] * 3  # 1 movie + 3 viewings

    assert import_refused(
        client,
        document,
        413,
        "has 4 movies, viewings and watchlist entries; the limit is 3 (IMPORT_MAX_ROWS)",
    )


def test_import_of_a_movie_without_its_enrichment_status_names_the_field(client):
    document = _document(client)
    document["movies"].insert(0, dict(document["movies"][0], letterboxd_uri="", title="Other"))
    del document["movies"][1]["enrichment_status"]

    assert import_refused(client, document, 400, "movies[1].enrichment_status: This field is required.")


@pytest.mark.parametrize(
    ("place", "escape"),
    [
        ({"title": "Half LONE"}, r"\ud800"),
        ({"viewings": [{"review": "LONE"}]}, r"\udfff"),
        ({"genres": ["LONE"]}, r"\ud83d"),  # the first half of an emoji, without the second
    ],
)
def test_import_refuses_lone_surrogates_with_400(client, place, escape):
    body = json.dumps(_document(client, **place)).replace("LONE", escape)  # the escape, as a client sends it

    assert import_refused(client, body, 400, "lone UTF-16 surrogate")


@pytest.mark.parametrize(
    ("place", "field"),
    [
        ({"letterboxd_uri": "javascript:alert(1)"}, "movies[0].letterboxd_uri"),
        (
            {"viewings": [{"letterboxd_uri": "https://evil.example/x/"}]},
            "movies[0].viewings[0].letterboxd_uri",
        ),
    ],
)
def test_import_refuses_uris_that_are_not_letterboxd(client, place, field):
    assert import_refused(client, _document(client, **place), 400, f"{field}: Not a Letterboxd URI")


def test_import_of_text_postgresql_cannot_store_is_a_400_and_stores_nothing(client):
    """Found by fuzzing: a NUL in JSON text passed validation, then PostgreSQL refused it (a 500)."""
    document = {
        "format": "letterboxd-stats-session",
        "version": 1,
        "session": {"metadata": {"note": "a\u0000b"}},
    }
    document["movies"] = [{"title": "Heat", "enrichment_status": "pending"}]

    response = client.post("/api/session/import", document, content_type="application/json")

    assert response.status_code == 400
    assert "cannot be stored" in response.json()["detail"]
    assert Session.objects.count() == 0
