"""The watchlist travels through the JSON export and back through import; the CSV stays films only."""

from datetime import date

import pytest

from movies.models import WatchlistEntry
from movies.tests.factories import EnrichedMovieFactory, WatchlistEntryFactory
from movies.tests.test_api_export import export_json, import_refused
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    session = SessionFactory()
    EnrichedMovieFactory(session=session, title="Heat", year=1995)
    WatchlistEntryFactory(session=session, title="Undated", year=None, letterboxd_uri="", added_on=None)
    WatchlistEntryFactory(
        session=session,
        title="Jeanne Dielman",
        year=1975,
        letterboxd_uri="https://boxd.it/1xqY",
        added_on=date(2024, 3, 1),
    )
    WatchlistEntryFactory(session=session, title="Sátántangó", year=1994, added_on=date(2019, 5, 20))
    return session


def import_document(client, document):
    response = client.post("/api/session/import", document, content_type="application/json")
    assert response.status_code == 201, response.content
    return Session.objects.get(pk=response.json()["session_id"])


def test_json_export_carries_the_watchlist_oldest_first_as_the_statistics_show_it(client, session):
    watchlist = export_json(client, session).json()["watchlist"]

    assert [(entry["title"], entry["added_on"]) for entry in watchlist] == [
        ("Sátántangó", "2019-05-20"),
        ("Jeanne Dielman", "2024-03-01"),
        ("Undated", None),
    ]
    assert watchlist[1] == {
        "title": "Jeanne Dielman",
        "year": 1975,
        "letterboxd_uri": "https://boxd.it/1xqY",
        "added_on": "2024-03-01",
    }
    analytics = client.get(f"/api/session/{session.pk}/analytics").json()
    assert analytics["watchlist"]["oldest"] == watchlist


def test_csv_export_stays_films_only(client, session):
    response = client.get(f"/api/session/{session.pk}/export?format=csv")

    lines = response.content.decode().splitlines()
    assert len(lines) == 2 and "Heat" in lines[1]


def test_export_then_import_keeps_the_watchlist(client, session):
    document = export_json(client, session).json()

    imported = import_document(client, document)

    assert export_json(client, imported).json()["watchlist"] == document["watchlist"]
    analytics = client.get(f"/api/session/{imported.pk}/analytics").json()
    assert analytics["watchlist"]["size"] == 3


def test_an_export_without_a_watchlist_still_imports(client, session):
    document = export_json(client, session).json()
    del document["watchlist"]  # written before exports carried it

    imported = import_document(client, document)

    assert [movie.title for movie in imported.movies.all()] == ["Heat"]
    assert export_json(client, imported).json()["watchlist"] == []


def test_import_takes_watchlist_entries_that_leave_out_optional_fields(client, session):
    document = export_json(client, session).json()
    document["watchlist"] = [{"title": "Bare"}]

    imported = import_document(client, document)

    bare = imported.watchlist.get()
    assert (bare.title, bare.year, bare.letterboxd_uri, bare.added_on) == ("Bare", None, "", None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"letterboxd_uri": "javascript:alert(1)"}, "watchlist[1].letterboxd_uri: Not a Letterboxd URI"),
        ({"title": ""}, "watchlist[1].title: This field may not be blank."),
        ({"title": None}, "watchlist[1].title: This field may not be null."),
        ({"added_on": "someday"}, "watchlist[1].added_on: Date has wrong format."),
        ({"year": -1}, "watchlist[1].year: Ensure this value is greater than or equal to 0."),
        ({"title": "x" * 501}, "watchlist[1].title: Ensure this field has no more than 500 characters."),
    ],
)
def test_import_refuses_a_bad_watchlist_entry_naming_it_and_stores_nothing(client, session, change, message):
    document = export_json(client, session).json()
    document["watchlist"][1].update(change)
    entries_before = WatchlistEntry.objects.count()

    assert import_refused(client, document, 400, message)
    assert WatchlistEntry.objects.count() == entries_before


def test_import_refuses_a_watchlist_that_is_not_a_list(client, session):
    document = {**export_json(client, session).json(), "watchlist": {"title": "Heat"}}

    assert import_refused(client, document, 400, "watchlist: Expected a list of items")


def test_watchlist_entries_count_towards_the_import_row_limit(client, session, settings):
    document = export_json(client, session).json()  # 1 movie, no viewing, 3 watchlist entries
    settings.IMPORT_MAX_ROWS = 4
    assert import_document(client, document).watchlist.count() == 3

    settings.IMPORT_MAX_ROWS = 3
    assert import_refused(
        client,
        document,
        413,
        "has 4 movies, viewings and watchlist entries; the limit is 3 (IMPORT_MAX_ROWS)",
    )
