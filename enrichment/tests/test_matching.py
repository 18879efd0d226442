from enrichment.matching import best_hit, fold_title, search_years
from enrichment.tmdb import SearchHit


def hit(tmdb_id, title, year, popularity=1.0):
    return SearchHit(tmdb_id=tmdb_id, title=title, original_title=title, year=year, popularity=popularity)


def test_fold_title_ignores_case_accents_dashes_and_no_break_spaces():
    assert fold_title("Mission:\u00a0Impossible – Fallout") == fold_title("mission impossible - fallout")
    assert fold_title("Amélie") == "amelie"
    assert fold_title("2012") == "2012"


def test_prefers_the_exact_year_over_a_more_popular_neighbour():
    hits = [hit(1, "Hamlet", 1997, popularity=90), hit(2, "Hamlet", 1996, popularity=10)]
    assert best_hit(hits, "Hamlet", 1996).tmdb_id == 2


def test_never_takes_a_same_title_film_from_another_decade():
    hits = [hit(1, "Suspiria", 2018, popularity=90)]
    assert best_hit(hits, "Suspiria", 1977) is None


def test_accepts_a_year_off_by_one_and_matches_the_original_title():
    foreign = SearchHit(
        tmdb_id=3, title="Spirited Away", original_title="千と千尋の神隠し", year=2002, popularity=5
    )
    assert best_hit([foreign], "千と千尋の神隠し", 2001).tmdb_id == 3


def test_a_different_title_is_not_a_match():
    assert best_hit([hit(1, "Alien", 1979)], "Aliens", 1979) is None


def test_without_a_year_the_first_title_match_wins():
    hits = [hit(1, "Other", 2000), hit(2, "Heat", 1995), hit(3, "Heat", 1986)]
    assert best_hit(hits, "Heat", None).tmdb_id == 2
    assert best_hit([hit(4, "Heat", None)], "Heat", 1995) is None


def test_search_years_go_from_exact_to_none():
    assert search_years(1999) == [1999, 1998, 2000, None]
    assert search_years(None) == [None]
