"""The member's lists (lists/*.csv of the export): read, stored, and counted in GET …/analytics."""

import pytest

from movies.models import FilmList
from movies.tests.helpers import analytics_answer
from sessions.tests.exports import ExportFilmFactory, LetterboxdExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_id(client):
    export = LetterboxdExport()
    heat, alien, big = (export.film(name=name, year="1995") for name in ("Heat", "Alien", "Big"))
    unseen = ExportFilmFactory(name="Unseen", year="2020")  # listed, never watched
    export.lists = {
        "Favourites": [heat, alien, unseen],
        "Nineties": [heat, big, alien, unseen],
        "Short": [heat],
    }
    response = client.post("/api/upload", {"files": [export.zip_upload()]})
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def test_lists_are_stored_with_their_films_in_order(session_id):
    nineties = FilmList.objects.get(session_id=session_id, name="Nineties")

    titles = [entry.title for entry in nineties.entries.order_by("position")]
    assert titles == ["Heat", "Big", "Alien", "Unseen"]
    assert str(nineties.created_on) == "2022-06-04"
    # deleted/lists/ is never read; the decoy lists/favourites.csv of the fixture is replaced by a real one.
    assert FilmList.objects.filter(session_id=session_id).count() == 3


def test_analytics_counts_lists_the_biggest_and_the_films_on_most(client, session_id):
    lists = analytics_answer(client, session_id)["lists"]

    assert lists["count"] == 3
    assert [(entry["name"], entry["films"]) for entry in lists["biggest"]] == [
        ("Nineties", 4),
        ("Favourites", 3),
        ("Short", 1),
    ]
    most = [(film["title"], film["lists"], film["movie_id"] is not None) for film in lists["most_listed"]]
    # Heat on all three; Alien and Unseen on two (Unseen never watched: no movie); Big on one only.
    assert most == [("Heat", 3, True), ("Alien", 2, True), ("Unseen", 2, False)]
    # The same for a year: lists are as they are now.
    assert analytics_answer(client, session_id, "?year=2023")["lists"]["count"] == 3


def test_deleting_the_session_deletes_its_lists(client, session_id):
    assert client.delete(f"/api/session/{session_id}").status_code == 204
    assert not FilmList.objects.exists()
