"""The counting rules (README, "How the figures are counted"), each figure worked out by hand on an
export built like a real one, uploaded as a member would, for all time and for a year.

    Hamlet (1990) x2  two films sharing Name and Year; one diary entry 2022-03-03 (2★) names both
    Only Liked        in likes/films.csv only: never watched, so not a film
    Marked Only       in watched.csv and rated 3★, no diary entry
    Rerated           rated 2★ now; entries 2022-01-10 (4★ then) and 2023-02-01 (2★, rewatch, reviewed)
    Plain             rated 5★, liked; entry 2022-06-06 with no rating of its own
"""

import pytest

from movies.models import Movie
from movies.tests.helpers import analytics_answer
from sessions.tests.exports import LetterboxdExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_id(client):
    export = LetterboxdExport()
    export.film(name="Hamlet", year="1990", uri="https://boxd.it/hamA", watched_on="2022-03-03")
    export.film(name="Hamlet", year="1990", uri="https://boxd.it/hamB", watched_on="2019-01-01")
    export.viewing(export.films[0], watched_date="2022-03-03", rating="2")
    export.film(name="Only Liked", year="2010", liked=True, in_watched=False)
    export.film(name="Marked Only", year="2011", rating="3", watched_on="2022-05-05")
    rerated = export.film(name="Rerated", year="2012", rating="2", watched_on="2022-01-10")
    export.viewing(rerated, watched_date="2022-01-10", rating="4")
    export.viewing(
        rerated, watched_date="2023-02-01", rating="2", rewatch=True, review="Worse the second time."
    )
    plain = export.film(name="Plain", year="2013", rating="5", liked=True, watched_on="2022-06-06")
    export.viewing(plain, watched_date="2022-06-06")
    response = client.post("/api/upload", {"files": [export.zip_upload()]})
    assert response.status_code == 201, response.content
    return response.json()["session_id"]


def test_all_time_counts_films_as_watched_csv_and_viewings_as_diary_entries(client, session_id):
    body = analytics_answer(client, session_id)
    headline = body["headline"]

    # Two Hamlets, Marked Only, Rerated, Plain: Only Liked is not a film, as on Letterboxd.
    assert headline["films"] == 5 and body["totals"]["films"] == 5
    assert body["coverage"]["liked_only_films"] == 1
    # Rerated twice, Plain once; the ambiguous Hamlet entry is not tied to a film yet.
    assert headline["viewings"] == 3
    # Both Hamlets and Marked Only are marked watched without an entry: counted apart.
    assert headline["watched_without_diary"] == 3
    assert (headline["new_to_me"], headline["rewatches"]) == (2, 1)
    assert headline["likes"] == 1  # Plain; Only Liked's like is not a watched film's
    # All time: each film's current rating, (3 + 2 + 5) / 3.
    assert (headline["rated_films"], headline["average_rating"]) == (3, 3.33)
    assert body["totals"]["average_rating"] == 3.33


def test_a_year_averages_the_ratings_given_that_year(client, session_id):
    headline = analytics_answer(client, session_id, "?year=2022")["headline"]

    assert (headline["films"], headline["viewings"], headline["watched_without_diary"]) == (2, 2, 0)
    # Rerated's 2022 entry gave 4★ (its rating now is 2★); Plain's entry has none, so its 5★: 4.5,
    # where the films' current ratings would say 3.5.
    assert headline["average_rating"] == 4.5
    assert (headline["new_to_me"], headline["rewatches"]) == (2, 0)

    later = analytics_answer(client, session_id, "?year=2023")["headline"]
    assert (later["viewings"], later["rewatches"], later["average_rating"]) == (1, 1, 2.0)


def test_a_year_in_the_weekday_and_month_charts_counts_diary_entries(client, session_id):
    body = analytics_answer(client, session_id, "?year=2022")

    assert sum(row["viewings"] for row in body["watches_by_month"]) == 2
    assert sum(row["viewings"] for row in body["watches_by_weekday"]) == 2
    assert [row["month"] for row in body["watches_by_month"]] == ["2022-01", "2022-06"]


def test_placing_the_ambiguous_entry_counts_it_for_its_year(client, session_id):
    [entry] = client.get(f"/api/session/{session_id}/ambiguous-entries").json()
    hamlet_a = next(film for film in entry["candidates"] if film["letterboxd_uri"].endswith("hamA"))

    response = client.put(
        f"/api/session/{session_id}/ambiguous-entries/{entry['id']}",
        {"movie_id": hamlet_a["id"]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    year = analytics_answer(client, session_id, "?year=2022")["headline"]
    assert (year["films"], year["viewings"]) == (3, 3)
    # (4 + 5 + 2) / 3: the Hamlet entry's own 2★ now counts.
    assert year["average_rating"] == 3.67
    all_time = analytics_answer(client, session_id)["headline"]
    assert (all_time["viewings"], all_time["watched_without_diary"]) == (4, 2)
    assert client.get(f"/api/session/{session_id}/ambiguous-entries").json() == []


def test_hours_likes_ratings_and_reviews_for_all_time_and_a_year(client, session_id):
    # TMDB's runtimes, as enrichment stores them (before the first analytics answer is cached).
    runtimes = {"Hamlet": 150, "Marked Only": 120, "Rerated": 100, "Plain": 90}
    for title, minutes in runtimes.items():
        Movie.objects.filter(session_id=session_id, title=title).update(
            runtime=minutes, enrichment_status="enriched"
        )

    all_time = analytics_answer(client, session_id)["headline"]
    # Each viewing (Rerated twice, Plain) plus once each film marked watched without an entry (both
    # Hamlets, Marked Only): (2 * 100 + 90 + 150 + 150 + 120) / 60 = 11.83.
    assert all_time["hours"] == 11.8
    assert (all_time["likes"], all_time["reviews"], all_time["rated_films"]) == (1, 1, 3)

    year = analytics_answer(client, session_id, "?year=2022")["headline"]
    # 2022's viewings only: Rerated's first entry and Plain; films marked watched count in no year.
    assert year["hours"] == round((100 + 90) / 60, 1)
    # Plain (liked, 5★) and Rerated (2★ now): the films seen in 2022, each once; no review that year.
    assert (year["likes"], year["reviews"], year["rated_films"]) == (1, 0, 2)

    later = analytics_answer(client, session_id, "?year=2023")["headline"]
    assert (later["hours"], later["likes"], later["reviews"]) == (round(100 / 60, 1), 0, 1)
