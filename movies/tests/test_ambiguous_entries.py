"""GET /api/session/{id}/ambiguous-entries and PUT …/{entry id}: a diary row naming two films is kept,
listed with the films it could be, and tied to the one the member picks. Skipped rows are listed."""

import pytest

from movies.models import AmbiguousEntry, Movie, Watch
from sessions.tests.exports import LetterboxdExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_id(client):
    export = LetterboxdExport()
    twin = export.film(name="Hamlet", year="1990", uri="https://boxd.it/hamA", watched_on="2020-01-01")
    export.film(name="Hamlet", year="1990", uri="https://boxd.it/hamB", watched_on="2021-01-01")
    export.viewing(twin, watched_date="2022-03-03", rating="2", rewatch=True, tags="cinema", review="Long.")
    export.film(name="Other", year="2002")
    export.film(name="Broken", year="2001", watched_on="2021-13-45")
    response = client.post("/api/upload", {"files": [export.zip_upload()]})
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def entries(client, session_id):
    response = client.get(f"/api/session/{session_id}/ambiguous-entries")
    assert response.status_code == 200, response.content
    return response.json()


def place(client, session_id, entry_id, body):
    return client.put(
        f"/api/session/{session_id}/ambiguous-entries/{entry_id}", body, content_type="application/json"
    )


def test_the_entry_is_listed_whole_with_the_films_it_could_be(client, session_id):
    [entry] = entries(client, session_id)

    assert (entry["title"], entry["year"], entry["watched_date"], entry["rating"]) == (
        "Hamlet",
        1990,
        "2022-03-03",
        "2.0",
    )
    # Its review (reviews.csv) travels with it, not lost with the row.
    assert (entry["rewatch"], entry["tags"], entry["review"]) == (True, ["cinema"], "Long.")
    assert [(film["letterboxd_uri"], film["marked_watched_on"]) for film in entry["candidates"]] == [
        ("https://boxd.it/hamA", "2020-01-01"),
        ("https://boxd.it/hamB", "2021-01-01"),
    ]


def test_placing_makes_it_a_viewing_of_the_film_picked(client, session_id):
    [entry] = entries(client, session_id)
    hamlet_b = entry["candidates"][1]["id"]

    response = place(client, session_id, entry["id"], {"movie_id": hamlet_b})

    assert response.status_code == 200, response.content
    watch = Watch.objects.get(movie_id=hamlet_b)
    assert (str(watch.watched_date), watch.review, watch.tags) == ("2022-03-03", "Long.", ["cinema"])
    movie = Movie.objects.get(pk=hamlet_b)
    assert (str(movie.watched_date), movie.rewatch, movie.review) == ("2022-03-03", True, "Long.")
    assert not AmbiguousEntry.objects.exists()
    # Placed once: a second try finds nothing to place.
    assert place(client, session_id, entry["id"], {"movie_id": hamlet_b}).status_code == 404


@pytest.mark.parametrize("movie_id", [999_999, "x", None])
def test_a_film_that_is_not_a_candidate_is_refused_and_nothing_changes(client, session_id, movie_id):
    [entry] = entries(client, session_id)
    other = Movie.objects.get(title="Other").pk if movie_id == 999_999 else movie_id

    response = place(client, session_id, entry["id"], {"movie_id": other})

    assert response.status_code == 400
    assert "movie_id" in response.json()["detail"] or "not one this diary entry" in response.json()["detail"]
    assert AmbiguousEntry.objects.count() == 1 and not Watch.objects.exists()


def test_an_unknown_session_or_entry_is_a_json_404(client, session_id):
    assert client.get("/api/session/not-a-session/ambiguous-entries").status_code == 404
    response = place(client, session_id, 424242, {"movie_id": 1})
    assert response.status_code == 404 and "detail" in response.json()


def test_skipped_rows_are_listed_with_file_row_and_why(client, session_id):
    metadata = client.get(f"/api/session/{session_id}").json()["metadata"]

    assert metadata["skipped_rows"]["rows"] == [
        {"file": "watched.csv", "row": 5, "title": "Broken", "reason": "bad_date"}
    ]
