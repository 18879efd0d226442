"""The pure parser: film keys, row validation and joins that the API tests do not reach."""

from datetime import date
from decimal import Decimal

import pytest

from sessions.export.merging import film_key
from sessions.export.parsing import parse_export
from sessions.export.reading import UploadLimits
from sessions.tests.exports import ExportFilmFactory, LetterboxdExport

LIMITS = UploadLimits(max_bytes=10**7, max_uncompressed_bytes=10**8, max_files=200, max_rows=10**5)


def parse(export):
    return parse_export([export.zip_upload()], LIMITS, today=date(2024, 6, 1))


@pytest.mark.parametrize(
    ("uri", "key"),
    [
        ("https://boxd.it/2bg8", "https://boxd.it/2bg8"),
        ("https://boxd.it/2BG8", "https://boxd.it/2BG8"),  # short codes are case-sensitive
        ("https://letterboxd.com/film/heat-1995/", "https://letterboxd.com/film/heat-1995/"),
        ("http://www.letterboxd.com/film/Heat-1995", "https://letterboxd.com/film/heat-1995/"),
        (" https://letterboxd.com/film/heat-1995/ ", "https://letterboxd.com/film/heat-1995/"),
    ],
)
def test_one_key_per_film_whatever_the_era_of_its_uri(uri, key):
    assert film_key(uri) == key


@pytest.mark.parametrize(
    ("year", "kept"),
    [
        ("1870", True),
        ("2029", True),
        ("2030", False),
        ("1869", False),
        ("", True),
        ("20O1", False),
        ("¹⁹⁹⁹", False),  # isdigit() says yes, int() says no
        ("١٩٩٩", False),  # Arabic-Indic digits: int() reads them, Letterboxd never writes them
    ],
)
def test_years_from_1870_to_five_years_ahead_are_valid(year, kept):
    export = LetterboxdExport()
    export.film(year=year)

    assert len(parse(export).films) == (1 if kept else 0)


@pytest.mark.parametrize(
    ("rating", "stored"),
    [("0.5", Decimal("0.5")), ("4", Decimal("4")), ("4.0", Decimal("4")), ("5", Decimal("5")), ("", None)],
)
def test_ratings_in_half_steps_are_kept(rating, stored):
    export = LetterboxdExport()
    export.film(rating=rating)

    assert parse(export).films[0].rating == stored


@pytest.mark.parametrize("rating", ["٣.5", "５", "¹"])
def test_ratings_not_in_ascii_digits_are_skipped(rating):
    export = LetterboxdExport()
    export.film(rating=rating)

    parsed = parse(export)

    assert parsed.films[0].rating is None
    assert parsed.metadata["skipped_rows"]["by_reason"] == {"bad_rating": 1}


def test_legacy_diary_uris_tell_films_sharing_name_and_year_apart():
    export = LetterboxdExport()
    first = export.film(name="Hamlet", year="1990", uri="https://letterboxd.com/film/hamlet-1990/")
    second = export.film(name="Hamlet", year="1990", uri="https://letterboxd.com/film/hamlet-1990-1/")
    export.viewing(second, uri="https://letterboxd.com/someone/film/hamlet-1990-1/")
    export.viewing(first, uri="https://letterboxd.com/someone/film/hamlet-1990/1/")

    parsed = parse(export)

    by_key = {film.key: film for film in parsed.films}
    assert len(by_key[first.uri].viewings) == len(by_key[second.uri].viewings) == 1
    assert parsed.metadata["ambiguous_rows"] == []


def test_a_diary_entry_for_a_film_missing_from_watched_still_makes_a_film():
    export = LetterboxdExport()
    export.viewing(ExportFilmFactory(name="Only In The Diary", year="2011"), rating="3.5")

    (film,) = parse(export).films

    assert (film.key, film.letterboxd_uri, film.rating) == ("Only In The Diary (2011)", "", None)
    assert film.viewings[0].rating == Decimal("3.5")


def test_a_review_without_a_diary_entry_still_counts_for_the_film_s_latest_review():
    export = LetterboxdExport()
    film = export.film(name="Reviewed", year="2010")
    export.viewing(film, review="Newest thoughts.", logged="2020-01-01")
    export.viewing(film, review="Older thoughts.", logged="2019-01-01", in_diary=False)

    (parsed,) = parse(export).films

    assert parsed.review == "Newest thoughts."
    assert [viewing.review for viewing in parsed.viewings] == ["Newest thoughts."]
