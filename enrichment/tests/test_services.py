"""Enriching one movie, called directly: matching, extraction and the cross-session cache."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from enrichment.matching.rules import fold_title
from enrichment.queueing import scheduling
from enrichment.services import enriching
from enrichment.tests.conftest import catalog_film, session_with_movies
from enrichment.tmdb.client import TmdbTransientError
from movies.models import Film, FilmLookup, MatchMethod, Movie
from movies.tests.factories import FilmLookupFactory, MovieFactory
from sessions.models import Session

pytestmark = pytest.mark.django_db


def new_movie(title="Film", year=2001):
    return session_with_movies([(title, year)]).movies.get()


def enriched(movie):
    enriching.enrich_movie(movie.pk)
    movie.refresh_from_db()
    return movie


def test_a_new_film_costs_two_requests_and_fills_the_movie(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 20)
    movie = enriched(new_movie(title, year))

    expected = next(
        f for f in fake_tmdb.films.values() if f["title"] == title and f["release_date"][:4] == str(year)
    )
    assert movie.enrichment_status == Movie.EnrichmentStatus.ENRICHED
    assert movie.tmdb_id == expected["id"]
    assert movie.genres == [genre["name"] for genre in expected["genres"]]
    assert movie.original_language == expected["original_language"]
    assert movie.enrichment_attempts == 1
    assert movie.session.enriched_count == 1
    assert fake_tmdb.stats()["requests"] == 2


def test_a_later_session_gets_the_film_from_the_cache_without_a_request(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 21)
    first = enriched(new_movie(title, year))
    fake_tmdb.reset()

    # Same film, typed differently, in another session.
    second = enriched(new_movie(title.upper(), year))

    assert second.tmdb_id == first.tmdb_id and second.cast == first.cast
    assert fake_tmdb.stats().get("requests", 0) == 0


def test_an_unknown_title_is_not_found_after_two_searches_says_why_and_is_remembered(fake_tmdb):
    movie = enriched(new_movie("A Film Nobody Made", 1990))
    assert movie.enrichment_status == Movie.EnrichmentStatus.NOT_FOUND
    assert movie.session.not_found_count == 1
    # Every year's films of the title, then TV; not four film searches.
    assert (fake_tmdb.stats()["search"], fake_tmdb.stats()["search_tv"]) == (1, 1)
    assert "A Film Nobody Made" in movie.match_reason and "1990" in movie.match_reason

    fake_tmdb.reset()
    again = enriched(new_movie("A Film Nobody Made", 1990))
    assert again.enrichment_status == Movie.EnrichmentStatus.NOT_FOUND
    assert fake_tmdb.stats().get("requests", 0) == 0


def test_a_year_off_by_one_still_matches(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 22)
    movie = enriched(new_movie(title, year + 1))
    assert movie.enrichment_status == Movie.EnrichmentStatus.ENRICHED
    # No release date of it in the row's year: chosen, but listed for review.
    assert (movie.match_method, movie.match_confidence) == (MatchMethod.YEAR_OFF, 0.6)
    # One search without a year holds the film of the year before; then one details request.
    assert (fake_tmdb.stats()["search"], fake_tmdb.stats()["details"]) == (1, 1)


def test_a_popular_remake_from_another_decade_is_not_taken(fake_tmdb):
    remake = next(film for film in fake_tmdb.films.values() if film["id"] >= 90_000)
    original = next(f for f in fake_tmdb.films.values() if f["title"] == remake["title"] and f["id"] < 90_000)
    movie = enriched(new_movie(original["title"], int(original["release_date"][:4])))
    assert movie.tmdb_id == original["id"]


def test_an_expired_lookup_is_searched_again(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 23)
    FilmLookupFactory(
        normalized_title=fold_title(title), year=year, film=None, expires_at=timezone.now() - timedelta(1)
    )
    movie = enriched(new_movie(title, year))
    assert movie.enrichment_status == Movie.EnrichmentStatus.ENRICHED
    assert FilmLookup.objects.get(normalized_title=fold_title(title), year=year).film_id == movie.tmdb_id


def test_a_finished_movie_is_left_alone(fake_tmdb):
    movie = MovieFactory(enrichment_status=Movie.EnrichmentStatus.NOT_FOUND, session__total_movies=1)
    assert enriching.enrich_movie(movie.pk) == Movie.EnrichmentStatus.NOT_FOUND
    assert fake_tmdb.stats().get("requests", 0) == 0


def test_the_last_transient_error_fails_the_movie_and_keeps_the_error(fake_tmdb, settings):
    settings.TMDB_MAX_ATTEMPTS = 2
    movie = new_movie()
    error = TmdbTransientError("TMDB /search/movie answered 503", 503)

    assert enriching.record_transient_error(movie.pk, error) is None
    assert enriching.record_transient_error(movie.pk, error) == Movie.EnrichmentStatus.FAILED

    movie.refresh_from_db()
    assert (movie.enrichment_status, movie.enrichment_attempts) == (Movie.EnrichmentStatus.FAILED, 2)
    assert "503" in movie.enrichment_error
    assert Session.objects.get(pk=movie.session_id).failed_count == 1


def test_a_transient_error_retries_at_the_next_slot_unless_tmdb_asks_for_a_pause():
    assert enriching.retry_delay() == 0
    assert enriching.retry_delay(retry_after=60) == 60


def test_dispatching_a_session_without_pending_movies_completes_it(fake_tmdb):
    movie = MovieFactory(enrichment_status=Movie.EnrichmentStatus.ENRICHED, session__total_movies=1)
    assert scheduling.dispatch_enrichment(movie.session_id) == 0
    assert Session.objects.get(pk=movie.session_id).status == Session.Status.COMPLETED
    assert not Film.objects.exists()


def test_a_session_of_known_films_completes_at_dispatch_without_a_task_or_request(fake_tmdb):
    films = [catalog_film(fake_tmdb, index) for index in range(50, 55)]
    for movie in session_with_movies([*films, ("A Film Nobody Made", 1990)]).movies.all():
        enriching.enrich_movie(movie.pk)  # an earlier session fills the cache
    fake_tmdb.reset()
    session = session_with_movies([*films, ("A Film Nobody Made", 1990)], status=Session.Status.PROCESSING)

    # No worker runs in this test: only the cache can finish these movies.
    assert scheduling.dispatch_enrichment(session.pk) == 6

    session.refresh_from_db()
    assert session.status == Session.Status.COMPLETED
    assert (session.enriched_count, session.not_found_count) == (5, 1)
    cached = Movie.objects.filter(session=session, enrichment_status=Movie.EnrichmentStatus.ENRICHED)
    assert all(movie.tmdb_id and movie.genres and movie.enriched_at for movie in cached)
    assert fake_tmdb.stats().get("requests", 0) == 0


def test_an_unexpected_tmdb_refusal_fails_the_movie_at_once_with_its_error(fake_tmdb):
    fake_tmdb.fail_next(404, path_contains="/search")  # a search TMDB says does not exist
    missing = enriched(new_movie("Heat", 1995))
    fake_tmdb.fail_next(400)
    refused = enriched(new_movie("Heat", 1995))

    assert missing.enrichment_status == Movie.EnrichmentStatus.NOT_FOUND
    assert refused.enrichment_status == Movie.EnrichmentStatus.FAILED
    assert "400" in refused.enrichment_error and refused.session.failed_count == 1


def movie_of_row(row, session=None):
    """A movie of the stand-in catalog's Letterboxd row, with its URI."""
    session = session or session_with_movies([])
    Session.objects.filter(pk=session.pk).update(total_movies=F("total_movies") + 1)
    return MovieFactory(session=session, title=row.title, year=row.year, letterboxd_uri=row.uri, key=row.uri)


def test_a_tv_miniseries_and_an_episode_end_as_tv_counted_apart(fake_tmdb):
    session = session_with_movies([])
    rows = [fake_tmdb.catalog.rows_of("tv_miniseries")[0], fake_tmdb.catalog.rows_of("tv_episode")[0]]
    movies = [enriched(movie_of_row(row, session)) for row in rows]

    assert [movie.enrichment_status for movie in movies] == [Movie.EnrichmentStatus.TV] * 2
    assert [movie.tmdb_tv_id for movie in movies] == [row.tv_id for row in rows]
    assert movies[0].tmdb_id is None and "TV" in movies[0].match_reason
    session.refresh_from_db()
    assert (session.tv_count, session.enriched_count, session.processed_count) == (2, 0, 2)
    # Never more than four searches, today's worst case for a film TMDB lacks.
    assert fake_tmdb.stats()["requests"] <= 2 + 3


def test_a_split_shaped_tie_goes_to_the_famous_film_a_year_off(fake_tmdb):
    row = fake_tmdb.catalog.rows_of("split_tie")[0]
    movie = enriched(movie_of_row(row))
    assert movie.tmdb_id == row.tmdb_id and movie.match_method == MatchMethod.YEAR_OFF
    assert len(movie.match_candidates) >= 3 and movie.match_candidates[0]["tmdb_id"] == row.tmdb_id


def test_a_letterboxd_uri_once_resolved_needs_no_search_in_any_later_session(fake_tmdb):
    row = fake_tmdb.catalog.rows_of("year_off")[0]
    first = enriched(movie_of_row(row))
    FilmLookup.objects.all().delete()  # only the URI is left to know it
    fake_tmdb.reset()

    later = enriched(movie_of_row(row))

    assert later.tmdb_id == row.tmdb_id and later.match_method == MatchMethod.CACHE
    assert later.match_confidence == first.match_confidence
    assert fake_tmdb.stats().get("requests", 0) == 0


def test_a_session_of_known_films_tv_and_uris_completes_at_dispatch_with_their_evidence(fake_tmdb):
    rows = [fake_tmdb.catalog.rows_of(case)[0] for case in ("split_tie", "tv_miniseries", "absent", "exact")]
    first = session_with_movies([])
    for row in rows:
        enriched(movie_of_row(row, first))
    fake_tmdb.reset()
    session = session_with_movies([], status=Session.Status.PROCESSING)
    for row in rows:
        movie_of_row(row, session)

    scheduling.dispatch_enrichment(session.pk)

    session.refresh_from_db()
    assert session.status == Session.Status.COMPLETED
    assert (session.enriched_count, session.tv_count, session.not_found_count) == (2, 1, 1)
    by_title = {movie.title: movie for movie in session.movies.all()}
    split = by_title[rows[0].title]
    assert (split.tmdb_id, split.match_method, split.match_confidence) == (
        rows[0].tmdb_id,
        MatchMethod.CACHE,
        0.9,  # a year off confirmed by its festival premiere
    )
    assert by_title[rows[1].title].tmdb_tv_id == rows[1].tv_id
    assert rows[2].title in by_title[rows[2].title].match_reason
    assert fake_tmdb.stats().get("requests", 0) == 0
