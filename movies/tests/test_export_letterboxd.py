"""GET /api/session/{id}/export?format=letterboxd: Letterboxd's import CSV, so that matches corrected
here go back to Letterboxd as corrected (its importer matches by tmdbID first)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from movies.models import MatchMethod
from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    session = SessionFactory(status="completed")
    heat = EnrichedMovieFactory(session=session, title="Heat", year=1995, tmdb_id=949, rating=Decimal("4.5"))
    WatchFactory(
        movie=heat, watched_date=date(2019, 4, 2), rating=Decimal("4"), tags=["crime", "la"], review="Great"
    )
    WatchFactory(movie=heat, watched_date=date(2022, 8, 9), rewatch=True)
    # Corrected by hand from a wrong match: the corrected id is what goes back.
    EnrichedMovieFactory(
        session=session, title="Hamlet", year=1990, tmdb_id=10264, match_method=MatchMethod.HAND,
        rating=Decimal("3"), marked_watched_on=date(2020, 1, 1), review="=Long, but fine",
    )  # fmt: skip
    MovieFactory(session=session, title="Only Liked", year=2010, liked=True)
    MovieFactory(session=session, title="Lost Film", year=None, enrichment_status="not_found",
                 marked_watched_on=date(2021, 5, 5))  # fmt: skip
    return session


def test_one_row_per_diary_entry_and_per_film_watched_without_one(client, session):
    response = client.get(f"/api/session/{session.pk}/export?format=letterboxd")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="letterboxd-import-{session.pk}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["tmdbID", "Title", "Year", "WatchedDate", "Rating", "Rewatch", "Tags", "Review"]
    # The films in title order; Only Liked left out (the importer would mark it watched).
    assert rows[1:] == [
        ["10264", "Hamlet", "1990", "", "3.0", "", "", "=Long, but fine"],  # as written: not a spreadsheet
        ["949", "Heat", "1995", "2019-04-02", "4.0", "false", "crime, la", "Great"],
        ["949", "Heat", "1995", "2022-08-09", "", "true", "", ""],
        ["", "Lost Film", "", "", "", "", "", ""],
    ]


def test_an_unknown_format_names_the_choices(client, session):
    response = client.get(f"/api/session/{session.pk}/export?format=xlsx")

    assert response.status_code == 400
    assert "json, csv or letterboxd" in response.json()["detail"]
