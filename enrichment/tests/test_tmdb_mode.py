import pytest

pytestmark = pytest.mark.django_db


def test_health_says_loudly_when_enrichment_uses_the_stand_in(client, settings):
    settings.TMDB_API_BASE_URL = "http://127.0.0.1:8765/3"

    tmdb = client.get("/api/health").json()["tmdb"]

    assert tmdb["mode"] == "fake" and "stand-in" in tmdb["warning"]


def test_health_says_real_against_tmdb(client, settings):
    settings.TMDB_API_BASE_URL = "https://api.themoviedb.org/3"

    assert client.get("/api/health").json()["tmdb"] == {
        "mode": "real",
        "base_url": "https://api.themoviedb.org/3",
    }
