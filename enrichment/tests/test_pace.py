"""The ETA's requests per film, measured from the films looked up lately."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrichment.queueing import pace, scheduling
from enrichment.services import enriching
from enrichment.tests.conftest import catalog_film, session_with_movies
from enrichment.tmdb import ratelimit
from enrichment.tmdb.client import TmdbTransientError
from movies.models import FilmLookup
from movies.tests.factories import FilmLookupFactory
from sessions.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_measure_yet():
    pace.reset()
    yield
    pace.reset()


def record(*counts):
    for count in counts:
        pace.record_film(count)


def test_two_requests_a_film_are_assumed_until_enough_films_are_measured():
    record(*[5] * (pace.MEASURED_AFTER - 1))
    assert pace.requests_per_film() == pace.ASSUMED

    record(5)
    assert pace.requests_per_film() == 5


def test_the_measure_is_the_mean_of_the_latest_films():
    record(*[5] * pace.RECENT_ENTRIES)
    record(*[2, 3] * (pace.RECENT_ENTRIES // 2))

    assert pace.requests_per_film() == 2.5


def test_without_redis_the_assumption_holds_and_nothing_fails(settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there

    pace.record_film(3)
    assert pace.requests_per_film() == pace.ASSUMED


def test_once_redis_has_lost_the_measure_the_film_caches_searches_give_it():
    # A deployment that looked films up before Redis restarted: the cache remembers what each cost.
    FilmLookupFactory.create_batch(pace.MEASURED_AFTER, requests=3)
    FilmLookupFactory.create_batch(5, requests=None)  # corrections, remembered without a search

    assert pace.requests_per_film() == 3

    record(*[4] * pace.MEASURED_AFTER)  # Redis measures again: its recent films win
    assert pace.requests_per_film() == 4


def test_a_search_the_cache_remembers_keeps_its_cost(fake_tmdb):
    title, year = catalog_film(fake_tmdb, 3)
    enriching.enrich_movie(session_with_movies([(title, year)]).movies.get().pk)

    assert FilmLookup.objects.get().requests == fake_tmdb.stats()["requests"] == 2


def test_each_film_looked_up_counts_the_requests_it_sent(fake_tmdb):
    found = session_with_movies([catalog_film(fake_tmdb, 0)]).movies.get()
    absent = fake_tmdb.catalog.rows_of("absent")[0]
    lacking = session_with_movies([(absent.title, absent.year)]).movies.get()

    enriching.enrich_movie(found.pk)
    after_found = fake_tmdb.stats()["requests"]
    enriching.enrich_movie(lacking.pk)
    after_absent = fake_tmdb.stats()["requests"]

    latest_first = [entry.decode() for entry in ratelimit.redis_client().lrange(pace.KEY, 0, -1)]
    assert latest_first == [f"{after_absent - after_found}:1", f"{after_found}:1"]


def test_requests_of_an_attempt_tmdb_failed_count_towards_its_film(fake_tmdb):
    record(*[2] * pace.MEASURED_AFTER)
    movie = session_with_movies([catalog_film(fake_tmdb, 0)]).movies.get()
    fake_tmdb.fail_next(503, path_contains="/movie/")  # the search answers, the details fail

    with pytest.raises(TmdbTransientError):
        enriching.enrich_movie(movie.pk)
    enriching.enrich_movie(movie.pk)  # the retry: both requests again

    # 21 films cost 40 + 2 requests, and the failed attempt's 2 besides.
    assert fake_tmdb.stats()["requests"] == 4
    assert pace.requests_per_film() == pytest.approx(44 / 21)


def test_the_eta_follows_the_measured_requests_per_film(fake_tmdb, settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 40, 10  # TMDB's own: ~4 a second
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(30)])
    record(*[3] * pace.MEASURED_AFTER)

    scheduling.refresh_estimates()

    eta = Session.objects.get(pk=session.pk).eta_at - timezone.now()
    expected = timedelta(seconds=30 * 3 / ratelimit.refill_per_second())
    assert abs(eta - expected) < timedelta(seconds=1)


def test_films_already_found_to_be_tv_are_no_work_left_for_the_eta(fake_tmdb, settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 40, 10
    session = session_with_movies([catalog_film(fake_tmdb, index) for index in range(30)])
    ended = iter(session.movies.order_by("pk").values_list("pk", flat=True))
    for status, count in (("enriched", 5), ("not_found", 2), ("failed", 1), ("tv", 10)):
        session.movies.filter(pk__in=[next(ended) for _ in range(count)]).update(enrichment_status=status)
    Session.objects.filter(pk=session.pk).update(
        enriched_count=5, not_found_count=2, failed_count=1, tv_count=10
    )

    scheduling.refresh_estimates()

    eta = Session.objects.get(pk=session.pk).eta_at - timezone.now()
    expected = timedelta(seconds=12 * pace.ASSUMED / ratelimit.refill_per_second())  # 30 - 18 films left
    assert abs(eta - expected) < timedelta(seconds=1)
