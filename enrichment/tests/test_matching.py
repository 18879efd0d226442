"""The matching table: recorded TMDB answers (fixtures/tmdb/, written for this project in TMDB's
JSON shapes) replayed at HTTP level through the real client, one case per file."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from enrichment.matching.resolving import resolve
from enrichment.matching.rules import REVIEW_BELOW, decide
from enrichment.matching.titles import fold_title, show_of_episode
from enrichment.tmdb import ratelimit
from enrichment.tmdb.client import SearchHit, TmdbClient
from movies.models import Movie

FIXTURES = Path(__file__).parent / "fixtures" / "tmdb"
CASES = sorted(FIXTURES.glob("*.json"))
BASE_URL = "https://tmdb.test/3"


def hit(tmdb_id, title, year, votes=0):
    return SearchHit(
        tmdb_id=tmdb_id, title=title, original_title=title, year=year, popularity=1.0, vote_count=votes
    )


def replay(requests_and_answers):
    """Answer each recorded request with its recorded answer; anything else is a test failure."""

    def answer(request):
        url = urlsplit(request.url)
        params = {k: v for k, v in parse_qsl(url.query) if k in ("query", "year", "first_air_date_year")}
        path = url.path.removeprefix("/3")
        for recorded in requests_and_answers:
            if recorded["path"] == path and recorded["params"] == params:
                return 200, {"Content-Type": "application/json;charset=utf-8"}, json.dumps(recorded["answer"])
        raise AssertionError(f"unexpected TMDB request {path} {params}")

    return answer


@pytest.fixture
def tmdb_at_http_level(settings):
    settings.TMDB_API_BASE_URL = BASE_URL
    settings.TMDB_API_KEY = "0123456789abcdef0123456789abcdef"
    settings.TMDB_RATE_LIMIT_REQUESTS = 200
    settings.TMDB_RATE_LIMIT_SECONDS = 1
    ratelimit.reset()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield mocked
    ratelimit.reset()


@pytest.mark.django_db
@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_matching_table(path, tmdb_at_http_level):
    case = json.loads(path.read_text())
    callback = replay(case["requests"])
    tmdb_at_http_level.add_callback(responses.GET, re.compile(rf"{BASE_URL}/.*"), callback=callback)
    expect, row = case["expect"], case["row"]

    resolution = resolve(row["title"], row["year"], "", TmdbClient(max_wait_for_slot=5))

    assert resolution.status == expect["status"]
    if expect["status"] == Movie.EnrichmentStatus.ENRICHED:
        assert resolution.film.tmdb_id == expect["tmdb_id"]
    if expect["status"] == Movie.EnrichmentStatus.TV:
        assert resolution.evidence["tmdb_tv_id"] == expect["tv_id"]
    if "method" in expect:
        assert resolution.evidence["match_method"] == expect["method"]
        assert (resolution.evidence["match_confidence"] < REVIEW_BELOW) == expect["ambiguous"]
    else:
        assert row["title"] in resolution.evidence["match_reason"]
    assert len(tmdb_at_http_level.calls) == expect["requests"]


def test_fold_title_ignores_case_accents_dashes_and_no_break_spaces():
    assert fold_title("Mission:\u00a0Impossible – Fallout") == fold_title("mission impossible - fallout")
    assert fold_title("Amélie") == "amelie"


def test_never_takes_a_same_title_film_from_another_decade():
    assert decide([hit(1, "Suspiria", 2018, votes=3000)], "Suspiria", 1977).hit is None


def test_a_near_spelling_is_only_a_guess_for_the_alternative_titles_to_confirm():
    decision = decide([hit(1, "Alien", 1979, votes=9000)], "Aliens", 1979)
    assert decision.needs_title_check and decision.confidence < REVIEW_BELOW


def test_an_exact_year_film_with_votes_keeps_a_famous_neighbour_out():
    hits = [hit(1, "Hamlet", 1997, votes=900), hit(2, "Hamlet", 1996, votes=300)]
    assert decide(hits, "Hamlet", 1996).hit.tmdb_id == 2


def test_two_obscure_namesakes_are_chosen_between_but_flagged():
    decision = decide([hit(1, "Love", 2015, votes=10), hit(2, "Love", 2015, votes=9)], "Love", 2015)
    assert decision.hit.tmdb_id == 1 and decision.confidence < REVIEW_BELOW
    assert [c["tmdb_id"] for c in decision.candidates] == [1, 2]


def test_a_renamed_title_needs_a_single_candidate_in_the_exact_year():
    two = [hit(1, "Glass Onion: A Knives Out Mystery", 2022), hit(2, "Glass Onion: The Making Of", 2022)]
    assert decide(two, "Glass Onion", 2022).hit is None
    assert decide([hit(1, "Glass Onion: A Knives Out Mystery", 2023)], "Glass Onion", 2022).hit is None
    assert decide([hit(1, "Glass Onion: A Knives Out Mystery", 2022)], "Glass Onion", 2022).hit.tmdb_id == 1


def test_show_of_an_episode_title():
    assert show_of_episode("Black Mirror: San Junipero") == "Black Mirror"
    assert show_of_episode("Normal People") is None
