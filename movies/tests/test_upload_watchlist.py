"""The watchlist of an upload is stored (for statistics), never enriched, and deleted with its session."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from movies.models import Movie, WatchlistEntry
from sessions.models import Session

pytestmark = pytest.mark.django_db

HEADER = "Date,Name,Year,Letterboxd URI\r\n"


def csv_file(name, rows):
    return SimpleUploadedFile(name, (HEADER + "".join(row + "\r\n" for row in rows)).encode())


def upload_with_watchlist(client):
    response = client.post(
        "/api/upload",
        {
            "files": [
                csv_file("watched.csv", ["2021-01-01,Seen,2001,https://boxd.it/seen"]),
                csv_file(
                    "watchlist.csv",
                    [
                        '2023-02-04,"Apocalypse Now",1979,https://boxd.it/6ZS',
                        "2022-01-28,Vertigo,1958,https://boxd.it/2apI",
                        ",Undated,,",
                    ],
                ),
            ]
        },
    )
    assert response.status_code == 201, response.content
    return Session.objects.get(pk=response.json()["session_id"])


def test_the_watchlist_is_stored_apart_from_the_films(client):
    session = upload_with_watchlist(client)

    assert list(Movie.objects.filter(session=session).values_list("title", flat=True)) == ["Seen"]
    assert list(
        WatchlistEntry.objects.filter(session=session).values_list(
            "title", "year", "letterboxd_uri", "added_on"
        )
    ) == [
        ("Vertigo", 1958, "https://boxd.it/2apI", date(2022, 1, 28)),
        ("Apocalypse Now", 1979, "https://boxd.it/6ZS", date(2023, 2, 4)),
        ("Undated", None, "", None),
    ]
    assert session.upload_metadata["watchlist_count"] == 3

    watchlist = client.get(f"/api/session/{session.pk}/analytics").json()["watchlist"]
    assert watchlist["size"] == 3
    assert [entry["title"] for entry in watchlist["oldest"]] == ["Vertigo", "Apocalypse Now", "Undated"]


def test_deleting_the_session_deletes_its_watchlist(client):
    session = upload_with_watchlist(client)

    assert client.delete(f"/api/session/{session.pk}").status_code == 204
    assert not WatchlistEntry.objects.exists()
