"""The stand-in must be strict, or the limiter's tests prove nothing."""

import pytest

from enrichment.matching.resolving import resolve
from enrichment.matching.rules import fold_title
from enrichment.standin.catalog import CASE_FIRST_WORDS, CASE_SECOND_WORDS, build_catalog
from enrichment.standin.server import DEFAULT_API_KEY, FakeTmdb
from enrichment.tests.conftest import base_url, serve
from enrichment.tmdb.client import TmdbClient, film_fields
from movies.models import Film


def ask(fake, path, **params):
    return fake.handle(f"/3{path}", {"api_key": DEFAULT_API_KEY, **params}, {})


def search(fake, **params):
    return ask(fake, "/search/movie", **{"query": "Amélie", **params})


def test_a_request_past_the_limit_in_the_window_is_a_429_and_a_violation():
    fake = FakeTmdb(size=20, limit=2, window=10)

    statuses = [search(fake)[0] for _ in range(3)]
    status, headers, body = search(fake)

    assert statuses == [200, 200, 429]
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 10
    assert body == {
        "success": False,
        "status_code": 25,
        "status_message": "Your request count is over the allowed limit of 2.",
    }
    assert fake.stats()["violations"] == 2 and fake.stats()["max_in_window"] == 2


def test_tmdb_shapes_for_a_search_and_a_bad_key():
    fake = FakeTmdb(size=20)

    _, _, found = search(fake, year="1900")
    status, _, refused = search(fake, api_key="wrong")

    assert found == {"page": 1, "results": [], "total_pages": 0, "total_results": 0}
    assert status == 401 and refused["status_code"] == 7


def test_invent_missing_answers_any_title_with_the_same_film_every_time():
    fake = FakeTmdb(size=20, invent_missing=True)

    _, _, first = search(fake, query="My Own Film", year="1987")
    _, _, again = search(fake, query="My Own Film", year="1987")
    status, _, details = ask(fake, f"/movie/{first['results'][0]['id']}", append_to_response="credits")

    assert again == first and first["results"][0]["release_date"].startswith("1987")
    assert status == 200 and details["title"] == "My Own Film" and "credits" in details
    # Stored as demo data, so nobody takes it for a real TMDB film (and the admin may delete it).
    assert film_fields(details)["is_demo"] is True


def test_invent_missing_also_answers_titles_the_catalog_has_only_inside_others_or_in_other_years():
    fake = FakeTmdb(size=20, invent_missing=True)
    word = next(
        row.title.split()[-1]
        for row in fake.catalog.rows
        if " " in row.title and fold_title(row.title.split()[-1]) not in fake.by_title
    )  # "Dune" when the catalog has only "Pewter Dune"

    _, _, found = search(fake, query=word, year="1984")
    known = fake.catalog.rows[0]
    _, _, elsewhen = search(fake, query=known.title, year=str(known.year + 30))
    _, _, year_off = search(fake, query=known.title, year=str(known.year + 1))

    assert word in [result["title"] for result in found["results"]]
    # A catalog title asked for decades away is invented in that year; a year away, the catalog's
    # film is left for the client's year-off search to find.
    assert [result["release_date"][:4] for result in elsewhen["results"]] == [str(known.year + 30)]
    assert year_off["results"] == []


def test_catalog_films_are_no_demo_data_and_the_tv_search_has_tmdbs_shape():
    fake = FakeTmdb(size=200)
    entry = fake.catalog.tv[0]

    status, _, found = ask(
        fake, "/search/tv", query=entry["name"], first_air_date_year=entry["first_air_date"][:4]
    )
    _, _, film = ask(
        fake, f"/movie/{fake.catalog.rows[0].tmdb_id}", append_to_response="credits,alternative_titles"
    )

    assert status == 200 and found["results"][0]["name"] == entry["name"] and found["total_results"] >= 1
    assert {"first_air_date", "original_name", "vote_count", "popularity"} <= set(found["results"][0])
    assert film_fields(film)["is_demo"] is False and film["alternative_titles"]["titles"] == []


@pytest.mark.django_db
def test_in_invent_mode_the_client_finds_a_new_title_as_demo_data(fake_tmdb, settings):
    inventing = FakeTmdb(size=20, invent_missing=True, limit=1000, window=1)
    server = serve(inventing)
    settings.TMDB_API_BASE_URL = base_url(server)
    try:
        resolution = resolve("My Own Film", 1987, "", TmdbClient(max_wait_for_slot=5))
    finally:
        server.shutdown()
        server.server_close()

    film = Film.objects.get(pk=resolution.film.pk)
    assert film.release_date.year == 1987 and film.is_demo


def test_a_catalog_as_large_as_the_fairness_bench_has_distinct_titles_for_every_case():
    catalog = build_catalog(7, 3620)  # bench/fairness.py: 2,000 + 20 + 1,600 films

    case_titles = {row.title for row in catalog.rows if row.case in ("absent", "year_off", "tv_miniseries")}
    cases = [row for row in catalog.rows if row.case in ("absent", "year_off", "tv_miniseries")]
    assert len(case_titles) == len(cases) > len(CASE_FIRST_WORDS) * len(CASE_SECOND_WORDS) / 3


def test_an_arrival_recorded_out_of_order_is_not_counted_past_its_window():
    from enrichment.standin.window import ArrivalWindow

    window = ArrivalWindow(limit=2, window=1.0)
    # Two handlers took their times 0.0 and 0.5, the later one reached the lock first.
    assert window.admit(0.5)[0] and window.admit(0.0)[0]
    assert not window.admit(0.9)[0]  # three in 0.0 .. 0.9: one too many
    assert window.admit(1.2)[0]  # 0.0 has left the window: 0.5 and 1.2 only
    assert window.max_in_window == 2 and window.tightest_span is None
