"""POST /api/upload with good exports: what a user finds stored afterwards."""

import json
from datetime import date
from decimal import Decimal

import pytest

from movies.models import Movie, Watch
from movies.tests.helpers import stored_films, stored_viewings
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment
from sessions.tests.exports import PROFILE_EMAIL, ExportFilmFactory, LetterboxdExport, generated_export

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def upload(client, files, path="/api/upload"):
    return client.post(path, {"files": files})


@pytest.fixture
def enrichment_calls():
    """Records each announcement of a session ready for enrichment, with what was stored by then."""
    calls = []

    def receiver(sender, session_id, **kwargs):
        session = Session.objects.get(id=session_id)
        calls.append({"session_id": session_id, "status": session.status, "movies": session.movies.count()})

    session_ready_for_enrichment.connect(receiver)
    yield calls
    session_ready_for_enrichment.disconnect(receiver)


@pytest.fixture
def quirky_export():
    """One export with every quirk of the format that has broken a parser before."""
    export = LetterboxdExport()
    rewatched = export.film(
        name="Paris, Texas", year="1984", rating="4.5", liked=True, watched_on="2020-01-02"
    )
    export.viewing(rewatched, watched_date="2021-05-01", logged="2021-05-02", rating="4", tags="cinema, 35mm")
    export.viewing(
        rewatched,
        watched_date="2023-07-09",
        logged="2023-07-10",
        rating="5",
        rewatch=True,
        tags="home, cinema",
        review='Still the best.\n\nTravis, "the" desert, and <i>that</i> monologue.',
    )
    export.film(name=f"Amélie{NBSP}– Le Fabuleux Destin", year="2001", watched_on="2020-01-03")
    export.film(name="2012", year="2009", rating="1")
    export.film(name="9", year="2009")
    export.film(name="Black Mirror: San Junipero", year="")
    removed = export.film(name="A Removed Film", year="1999", uri="", rating="3")
    export.viewing(removed, uri="", watched_date="2022-02-02", rating="3")
    legacy = export.film(name="Legacy Film", year="2005", uri="https://letterboxd.com/film/legacy-film/")
    # The same film as likes/films.csv of an older export may write it: http, www, no trailing slash.
    export.films.append(
        ExportFilmFactory(
            name=legacy.name, year="2005", uri="http://www.letterboxd.com/film/Legacy-Film", liked=True
        )
    )
    twin_a = export.film(name="Hamlet", year="1990", uri="https://boxd.it/hamA")
    export.film(name="Hamlet", year="1990", uri="https://boxd.it/hamB")
    export.viewing(twin_a, watched_date="2022-03-03", rating="2")
    export.watchlist.append(ExportFilmFactory(name="Not Yet Seen", year="2020"))
    return export


def test_a_zip_export_stores_one_movie_per_film_with_every_viewing(client, quirky_export, enrichment_calls):
    response = upload(client, [quirky_export.zip_upload()])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"session_id", "status", "total_movies", "created_at"}
    assert body["status"] == "enriching"
    assert body["total_movies"] == 9
    session = Session.objects.get(id=body["session_id"])
    assert session.total_movies == Movie.objects.filter(session=session).count() == 9

    movie = Movie.objects.get(session=session, title="Paris, Texas")
    assert movie.year == 1984
    assert movie.rating == Decimal("4.5")  # ratings.csv, not the last viewing's 5
    assert movie.liked is True
    assert movie.rewatch is True
    assert movie.watched_date == date(2021, 5, 1)  # the first viewing, not the day marked watched
    assert movie.marked_watched_on == date(2020, 1, 2)
    assert movie.tags == ["cinema", "35mm", "home"]
    assert movie.review == 'Still the best.\n\nTravis, "the" desert, and <i>that</i> monologue.'
    first, second = movie.watches.order_by("watched_date")
    assert (first.watched_date, first.logged_date, first.rating, first.rewatch, first.review) == (
        date(2021, 5, 1),
        date(2021, 5, 2),
        Decimal("4"),
        False,
        "",
    )
    assert (second.rating, second.rewatch, second.tags) == (Decimal("5"), True, ["home", "cinema"])
    assert second.review == movie.review
    assert second.letterboxd_uri.startswith("https://boxd.it/")

    titles = set(Movie.objects.filter(session=session).values_list("title", flat=True))
    assert {f"Amélie{NBSP}– Le Fabuleux Destin", "2012", "9", "Black Mirror: San Junipero"} <= titles
    assert "Not Yet Seen" not in titles
    assert Movie.objects.get(session=session, title="Black Mirror: San Junipero").year is None
    assert Movie.objects.get(session=session, title="Paris, Texas").key == quirky_export.films[0].uri
    assert Movie.objects.get(session=session, title="Amélie\u00a0– Le Fabuleux Destin").watched_date == date(
        2020, 1, 3
    )  # no viewing: the day it was marked watched

    removed = Movie.objects.get(session=session, title="A Removed Film")
    assert (removed.key, removed.letterboxd_uri, removed.rating) == (
        "A Removed Film (1999)",
        "",
        Decimal("3"),
    )
    assert removed.watches.get().watched_date == date(2022, 2, 2)

    legacy = Movie.objects.get(session=session, title="Legacy Film")
    assert legacy.key == "https://letterboxd.com/film/legacy-film/"
    assert legacy.liked is True

    hamlets = Movie.objects.filter(session=session, title="Hamlet")
    assert hamlets.count() == 2
    assert not Watch.objects.filter(movie__in=hamlets).exists()
    assert session.upload_metadata["ambiguous_rows"] == [
        {"file": "diary.csv", "title": "Hamlet", "year": 1990, "date": "2022-03-03"}
    ]
    assert Watch.objects.filter(movie__session=session).count() == 3
    assert session.upload_metadata["watchlist_count"] == 1
    assert enrichment_calls == [{"session_id": session.id, "status": "enriching", "movies": 9}]


def test_loose_csvs_store_the_same_as_the_zip(client, quirky_export):
    from_zip = upload(client, [quirky_export.zip_upload()]).json()["session_id"]
    from_csvs = upload(client, quirky_export.csv_uploads()).json()["session_id"]

    assert stored_films(from_csvs) == stored_films(from_zip)
    assert stored_viewings(from_csvs) == stored_viewings(from_zip)
    assert Session.objects.get(id=from_csvs).upload_metadata["source"] == "csv"


@pytest.mark.parametrize(
    "variant",
    [
        {"line_ending": "\n"},
        {"bom": True},
        {"with_rewatch": False},
    ],
    ids=["LF line endings", "UTF-8 BOM", "older export without Rewatch"],
)
def test_every_variant_of_the_format_stores_the_same_films(client, quirky_export, variant):
    expected = stored_films(upload(client, [quirky_export.zip_upload()]).json()["session_id"])
    variant_export = LetterboxdExport(films=quirky_export.films, diary=quirky_export.diary, **variant)
    if not variant_export.with_rewatch:
        expected = [(*film[:6], False, *film[7:]) for film in expected]

    response = upload(client, [variant_export.zip_upload()])

    assert response.status_code == 201, response.json()
    assert stored_films(response.json()["session_id"]) == expected


def test_a_rezipped_export_inside_one_folder_is_accepted(client, quirky_export):
    response = upload(client, [quirky_export.zip_upload(top_folder="letterboxd-someone-2024/")])

    assert response.status_code == 201, response.json()
    assert response.json()["total_movies"] == 9


def test_deleted_and_orphaned_entries_and_other_files_are_not_read(client):
    export = LetterboxdExport()
    film = export.film()
    export.viewing(film)
    # deleted/diary.csv and orphaned/diary.csv repeat this entry; likes/reviews.csv names the film.
    session_id = upload(client, [export.zip_upload()]).json()["session_id"]

    movie = Movie.objects.get(session_id=session_id)
    assert movie.watches.count() == 1
    assert movie.liked is False
    names = [file["name"] for file in Session.objects.get(id=session_id).upload_metadata["files"]]
    # lists/*.csv are read as lists (the fixture's decoy is not shaped like one: ignored below).
    assert sorted(names) == sorted(
        ["watched.csv", "ratings.csv", "diary.csv", "reviews.csv", "watchlist.csv", "likes/films.csv"]
        + ["lists/favourites.csv"]
    )
    # Every other file of the ZIP is listed as ignored, except profile.csv (personal data, never named).
    assert sorted(Session.objects.get(id=session_id).upload_metadata["ignored_files"]) == sorted(
        [
            "comments.csv",
            "deleted/diary.csv",
            "orphaned/diary.csv",
            "deleted/reviews.csv",
            "likes/reviews.csv",
            "likes/lists.csv",
            "lists/favourites.csv",
            "deleted/lists/old.csv",
        ]
    )


def test_metadata_counts_files_and_rows_and_holds_no_personal_data(client, quirky_export):
    session_id = upload(client, [quirky_export.zip_upload()]).json()["session_id"]

    metadata = Session.objects.get(id=session_id).upload_metadata
    files = {file["name"]: file for file in metadata["files"]}
    assert files["watched.csv"]["rows"] == 10
    assert files["diary.csv"]["rows"] == 4
    assert files["watched.csv"]["size"] == len(quirky_export.files()["watched.csv"])
    assert metadata["uploaded_files"][0]["name"].endswith(".zip")
    assert (metadata["films"], metadata["viewings"]) == (9, 3)
    stored = json.dumps(metadata)
    assert PROFILE_EMAIL not in stored
    assert "profile" not in stored


def test_bad_rows_are_skipped_and_counted_by_reason(client):
    export = LetterboxdExport()
    export.film(name="Fine", year="2001")
    export.film(name="  ", year="2001")
    export.film(name="Too Old", year="1869")
    export.film(name="Badly Dated", watched_on="2021-13-45")
    export.film(name="Odd Rating", rating="4.3")
    export.film(name="Zero Rating", rating="0")
    export.film(name="Superscript Year", year="¹⁹⁹⁹")
    export.film(name="Script", uri="javascript:alert(document.cookie)")
    export.film(name="Elsewhere", uri="https://evil.example/film/heat/")
    export.film(name="Lookalike Host", uri="https://letterboxd.com.evil.example/film/heat/")

    response = upload(client, [export.zip_upload()])

    assert response.status_code == 201
    session = Session.objects.get(id=response.json()["session_id"])
    # The rows with bad ratings are skipped in ratings.csv only: their films are still watched.
    assert sorted(session.movies.values_list("title", flat=True)) == ["Fine", "Odd Rating", "Zero Rating"]
    skipped = session.upload_metadata["skipped_rows"]
    assert {key: skipped[key] for key in ("total", "by_reason")} == {
        "total": 9,
        "by_reason": {"missing_title": 1, "bad_year": 2, "bad_date": 1, "bad_rating": 2, "bad_uri": 3},
    }
    # Each listed, so the page can say which row was left out and why.
    assert len(skipped["rows"]) == 9
    assert {"file": "ratings.csv", "row": 2, "title": "Odd Rating", "reason": "bad_rating"} in skipped["rows"]


def test_an_empty_export_is_completed_at_once_without_enrichment(client, enrichment_calls):
    response = upload(client, [LetterboxdExport().zip_upload()])

    assert response.status_code == 201
    assert response.json()["status"] == "completed"
    assert response.json()["total_movies"] == 0
    assert Session.objects.get().completed_at is not None
    assert enrichment_calls == []


def test_the_path_with_a_trailing_slash_works_too(client):
    export = LetterboxdExport()
    export.film()

    assert upload(client, [export.zip_upload()], path="/api/upload/").status_code == 201


def test_a_failure_while_storing_leaves_nothing_behind(client):
    export = LetterboxdExport()
    export.viewing(export.film())

    def failing_receiver(sender, session_id, **kwargs):
        raise RuntimeError("enrichment could not be scheduled")

    session_ready_for_enrichment.connect(failing_receiver)
    client.raise_request_exception = False
    try:
        response = upload(client, [export.zip_upload()])
    finally:
        session_ready_for_enrichment.disconnect(failing_receiver)

    assert response.status_code == 500
    assert (Session.objects.count(), Movie.objects.count(), Watch.objects.count()) == (0, 0, 0)


def test_a_large_export_keeps_every_viewing_with_its_own_film(client):
    export = generated_export(film_count=2500, diary_count=2200)

    response = upload(client, [export.zip_upload()])

    assert response.status_code == 201
    session_id = response.json()["session_id"]
    expected = sorted((entry.film.uri, entry.uri) for entry in export.diary)
    stored = sorted(
        Watch.objects.filter(movie__session_id=session_id).values_list("movie__key", "letterboxd_uri")
    )
    assert stored == expected
    assert Movie.objects.filter(session_id=session_id).count() == 2500
