import random

import pytest

from enrichment.standin.server import make_film
from enrichment.tmdb import ratelimit
from enrichment.tmdb.client import TmdbAuthError, TmdbClient, TmdbNotFound, TmdbTransientError, film_fields


def test_film_fields_follow_the_extraction_rules():
    details = make_film(7, "Heat", 1995, random.Random(1))
    details["runtime"], details["budget"] = 0, None
    details["credits"]["crew"] = [
        {"name": name, "job": job}
        for name, job in [("Ann", "Director"), ("Ann", "Writer"), ("Bo", "Director"), ("Cy", "Director")]
        + [("Di", "Director"), ("Ann", "Director")]
    ]
    details["credits"]["cast"] = [
        {"name": f"Actor {order}", "order": order} for order in (6, 2, 0, 5, 1, 3, 4)
    ]
    details["production_countries"] = [
        {"iso_3166_1": "FR", "name": "France"},
        {"iso_3166_1": "JP", "name": "Japan"},
    ]

    fields = film_fields(details)

    assert fields["directors"] == ["Ann", "Bo", "Cy"]
    assert fields["cast"] == ["Actor 0", "Actor 1", "Actor 2", "Actor 3", "Actor 4"]
    assert fields["runtime"] is None and fields["budget"] is None
    assert fields["country"] == "France" and fields["production_countries"] == ["France", "Japan"]
    assert fields["genres"] == [genre["name"] for genre in details["genres"]]


def test_empty_release_date_and_missing_credits_are_unknowns():
    fields = film_fields({"id": 3, "title": "X", "release_date": "", "production_countries": []})
    assert fields["release_date"] is None and fields["country"] == "" and fields["cast"] == []


def test_client_searches_and_fetches_with_two_requests(fake_tmdb):
    title, year = next(
        (f["title"], int(f["release_date"][:4])) for f in fake_tmdb.films.values() if f["release_date"]
    )
    client = TmdbClient(max_wait_for_slot=5)

    hits = client.search_movie(title, year).hits
    details = client.movie_details(hits[0].tmdb_id)

    assert any(h.title == title for h in hits)
    assert details["tmdb_id"] == hits[0].tmdb_id
    assert fake_tmdb.stats()["requests"] == 2


def test_bearer_token_is_sent_as_a_header(fake_tmdb, settings):
    token = "eyJhbGciOiJIUzI1NiJ9.fake"
    settings.TMDB_API_KEY = fake_tmdb.api_key = token
    try:
        assert TmdbClient(max_wait_for_slot=5).search_movie("Nothing at all").hits == []
    finally:
        fake_tmdb.api_key = "fake-tmdb-key"


@pytest.mark.parametrize(
    ("status", "error"), [(401, TmdbAuthError), (404, TmdbNotFound), (500, TmdbTransientError)]
)
def test_errors_are_typed(fake_tmdb, status, error):
    fake_tmdb.fail_next(status)
    with pytest.raises(error):
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")


def test_a_rejected_key_leaves_a_warning_in_the_log(fake_tmdb, caplog):
    fake_tmdb.fail_next(401)
    with pytest.raises(TmdbAuthError):
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")

    warnings = [record for record in caplog.records if record.levelname == "WARNING"]
    assert any("401" in record.getMessage() and "TMDB_API_KEY" in record.getMessage() for record in warnings)


def test_a_429_debits_the_shared_bucket_by_its_retry_after(fake_tmdb):
    fake_tmdb.fail_next(429, retry_after=30)

    with pytest.raises(TmdbTransientError) as raised:
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")

    assert raised.value.retry_after == 30
    state = ratelimit.state()
    assert state.blocked_until is not None and state.tokens < -25 * state.refill_per_second
    # Every other caller now has to wait too, instead of hammering TMDB.
    with pytest.raises(ratelimit.RateLimitWaitTooLong) as waiting:
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")
    assert waiting.value.wait > 29
    assert fake_tmdb.stats()["requests"] == 1


def test_film_fields_keep_crew_director_genders_and_the_language_name():
    details = make_film(8, "Cléo from 5 to 7", 1962, random.Random(2))
    details["original_language"] = "fr"
    details["spoken_languages"] = [
        {"iso_639_1": "en", "english_name": "English", "name": "English"},
        {"iso_639_1": "fr", "english_name": "French", "name": "Français"},
    ]
    details["credits"]["crew"] = [
        {"name": "Agnès Varda", "job": "Director", "gender": 1},
        {"name": "Agnès Varda", "job": "Screenplay", "gender": 1},
        {"name": "Co Director", "job": "Director"},  # no gender given: unknown
        {"name": "Jean Rabier", "job": "Director of Photography", "gender": 2},
        {"name": "Michel Legrand", "job": "Original Music Composer", "gender": 2},
        {"name": "Michel Legrand", "job": "Music", "gender": 2},
        {"name": "Someone", "job": "Editor", "gender": 2},
    ]

    fields = film_fields(details)

    assert fields["directors"] == ["Agnès Varda", "Co Director"]
    assert fields["director_genders"] == [1, 0]
    assert fields["writers"] == ["Agnès Varda"]
    assert fields["cinematographers"] == ["Jean Rabier"]
    assert fields["composers"] == ["Michel Legrand"]
    assert fields["original_language_name"] == "French"
    assert fields["release_date"] == details["release_date"]
