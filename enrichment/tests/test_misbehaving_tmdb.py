"""Fault tests: a TMDB that misbehaves as real servers and proxies do (the stand-in's misbehaviours).

Each asserts what a user would notice: the films end (failed, with the reason) and the session
ends; the key never reaches another host; a very long Retry-After is an outage the status shows,
not a silent hour of waiting.
"""

import time
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from enrichment import tasks
from enrichment.queueing import scheduling
from enrichment.selectors import tmdb_reachability
from enrichment.services import enriching
from enrichment.standin.server import FakeTmdb
from enrichment.tests.conftest import catalog_film, served, session_with_movies
from enrichment.tmdb import ratelimit
from enrichment.tmdb.client import TmdbClient, TmdbMalformedAnswer, TmdbTransientError
from movies.models import Movie
from sessions.models import Session

pytestmark = pytest.mark.django_db
# Each unusable answer, and what the film's error then says.
UNUSABLE_ANSWERS = dict(
    truncated_json="not a JSON object", html="not a JSON object", oversized="over 4096 KB"
) | {"wrong_shape": "without the fields relied on"}


def run_every_task(session):
    """What the workers would do: every film's task to its end (eager retries), then the round's callback."""
    for movie_id in session.movies.values_list("pk", flat=True):
        tasks.enrich_movie.apply(args=[movie_id])
    scheduling.continue_enrichment(session.pk)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("mode", list(UNUSABLE_ANSWERS))
def test_an_unusable_200_fails_each_film_after_its_attempts_and_the_session_ends(fake_tmdb, settings, mode):
    settings.TMDB_MAX_ATTEMPTS = 3
    settings.TMDB_BREAKER_FAILURES = 1000  # this test is about the attempts; the next about the breaker
    session = session_with_movies([catalog_film(fake_tmdb, 0), catalog_film(fake_tmdb, 1)])
    fake_tmdb.misbehave(mode)

    session = run_every_task(session)

    assert session.status == Session.Status.COMPLETED
    assert session.failed_count == 2
    for movie in session.movies.all():
        assert movie.enrichment_status == Movie.EnrichmentStatus.FAILED
        assert movie.enrichment_attempts == 3
        assert UNUSABLE_ANSWERS[mode] in movie.enrichment_error
    assert fake_tmdb.stats()["misbehaved"] == 6  # bounded: 3 attempts of one search each


@pytest.mark.parametrize("mode", list(UNUSABLE_ANSWERS))
def test_unusable_answers_in_a_row_open_the_shared_breaker(fake_tmdb, settings, mode):
    settings.TMDB_BREAKER_FAILURES = 3
    fake_tmdb.misbehave(mode)
    client = TmdbClient(max_wait_for_slot=5)

    for _ in range(3):
        with pytest.raises(TmdbMalformedAnswer):
            client.search_movie("Heat")

    assert tmdb_reachability()["reachable"] is False


def test_an_answer_that_is_json_again_is_used(fake_tmdb):
    fake_tmdb.misbehave("html")
    with pytest.raises(TmdbMalformedAnswer):
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")
    fake_tmdb.misbehave(None)
    title, year = catalog_film(fake_tmdb, 0)
    assert TmdbClient(max_wait_for_slot=5).search_movie(title, year).hits


@pytest.fixture
def other_host():
    """A second server standing for the host a redirect points to: it must receive nothing."""
    with served(FakeTmdb(seed=3, size=10, limit=1000, window=1.0)) as fake:
        yield fake


def test_a_redirect_to_another_host_is_not_followed_and_that_host_receives_nothing(fake_tmdb, other_host):
    fake_tmdb.misbehave("redirect", location=f"{other_host.base_url}/search/movie?query=Heat")

    with pytest.raises(TmdbMalformedAnswer, match="redirect to http://127.0.0.1"):
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")

    assert other_host.stats().get("requests", 0) == 0


def test_a_redirected_film_is_failed_not_stored_as_not_found(fake_tmdb, other_host, settings):
    settings.TMDB_MAX_ATTEMPTS = 2
    settings.TMDB_BREAKER_FAILURES = 1000
    session = session_with_movies([catalog_film(fake_tmdb, 0)])
    fake_tmdb.misbehave("redirect", location=f"{other_host.base_url}/search/movie")

    session = run_every_task(session)

    assert (session.status, session.failed_count, session.not_found_count) == (Session.Status.COMPLETED, 1, 0)
    assert other_host.stats().get("requests", 0) == 0


def test_a_configured_read_token_travels_in_the_header_not_the_url(fake_tmdb, settings):
    token = "eyJhbGciOiJIUzI1NiJ9.read-token"
    settings.TMDB_READ_TOKEN = fake_tmdb.api_key = token
    settings.TMDB_API_KEY = "0123456789abcdef0123456789abcdef"  # a v3 key too: the token wins
    try:
        title, year = catalog_film(fake_tmdb, 0)
        assert TmdbClient(max_wait_for_slot=5).search_movie(title, year).hits
    finally:
        fake_tmdb.api_key = "fake-tmdb-key"


def test_a_retry_after_far_beyond_the_cap_is_an_outage_the_status_shows(fake_tmdb, settings):
    settings.TMDB_RETRY_AFTER_MAX_SECONDS = 1
    fake_tmdb.misbehave("retry_after", seconds=3600)

    with pytest.raises(TmdbTransientError) as raised:
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")

    assert raised.value.retry_after == 3600
    assert enriching.retry_delay(raised.value.retry_after) == 1  # no film sits in an hour's countdown
    assert tmdb_reachability()["reachable"] is False
    assert ratelimit.state().blocked_until is None  # nobody is parked for the hour
    with pytest.raises(ratelimit.RateLimitWaitTooLong) as waited:
        ratelimit.acquire(0)
    assert waited.value.outage_seconds is not None and waited.value.wait <= 1


def test_work_resumes_by_itself_once_tmdb_answers_after_a_long_retry_after(fake_tmdb, settings):
    settings.TMDB_RETRY_AFTER_MAX_SECONDS = 1
    fake_tmdb.misbehave("retry_after", seconds=3600)
    with pytest.raises(TmdbTransientError):
        TmdbClient(max_wait_for_slot=5).search_movie("Heat")
    fake_tmdb.misbehave(None)
    title, year = catalog_film(fake_tmdb, 0)

    assert TmdbClient(max_wait_for_slot=5).search_movie(title, year).hits  # the probe, after 1 s
    assert tmdb_reachability()["reachable"] is True


def test_during_an_outage_a_session_shows_no_eta(fake_tmdb, settings):
    session = session_with_movies([catalog_film(fake_tmdb, 0)], status=Session.Status.ENRICHING)
    scheduling.refresh_estimates()
    session.refresh_from_db()
    assert session.eta_seconds is not None
    ratelimit.outage(120)  # past a task's wait for a slot: it goes back to the queue

    with pytest.raises(Retry):
        tasks.enrich_movie(session.movies.get().pk)

    session.refresh_from_db()
    assert session.status == Session.Status.ENRICHING and session.eta_seconds is None


def test_a_session_started_late_in_a_long_outage_is_not_failed_without_its_own_wait(settings):
    settings.TMDB_OUTAGE_GIVE_UP_SECONDS = 600

    def enriching_since(seconds):
        started = timezone.now() - timedelta(seconds=seconds)
        status = Session.Status.ENRICHING
        return session_with_movies([("Heat", 1995)], status=status, enrichment_started_at=started)

    new, old = enriching_since(5), enriching_since(700)

    # The breaker has been open 700 s, but the new session has waited only 5 of them.
    assert enriching.stop_for_outage(new.movies.get().pk, 700) is None
    assert enriching.stop_for_outage(old.movies.get().pk, 700) == enriching.STOPPED

    new.refresh_from_db(), old.refresh_from_db()
    assert new.status == Session.Status.ENRICHING
    assert old.status == Session.Status.FAILED and "could not be reached" in old.error_message


def test_however_many_probes_failed_the_next_one_is_at_most_15_seconds_away(settings):
    settings.TMDB_BREAKER_FAILURES = 1
    settings.TMDB_BREAKER_OPEN_SECONDS = 5
    ratelimit.reset()
    ratelimit.record_failure()  # open, 5 s
    for _ in range(4):  # four failed probes: 10, 20, 40, 80 s before, at most 15 now
        ratelimit.redis_client().hset(ratelimit.BUCKET_KEY, mapping={"open_until": 1, "probe_until": 0})
        ratelimit.acquire(max_wait=1)  # the probe (once the bucket has its token)
        ratelimit.record_failure()

    with pytest.raises(ratelimit.RateLimitWaitTooLong) as held:
        ratelimit.acquire(max_wait=0)
    assert 10 < held.value.wait <= 15
    ratelimit.reset()


def test_a_session_uploaded_just_after_a_long_outage_waits_for_the_probe_not_fails(fake_tmdb, settings):
    settings.TMDB_OUTAGE_GIVE_UP_SECONDS = 600
    session = session_with_movies([catalog_film(fake_tmdb, 0)], status=Session.Status.ENRICHING)
    Session.objects.filter(pk=session.pk).update(enrichment_started_at=timezone.now())
    # The breaker has been open for 700 s and its next probe is 40 s away, as a long outage left it.
    now = time.time()
    ratelimit.redis_client().hset(
        ratelimit.BUCKET_KEY,
        mapping={"open_until": now + 40, "opened_at": now - 700, "open_seconds": 32, "failures": 9},
    )

    with pytest.raises(Retry):
        tasks.enrich_movie(session.movies.get().pk)

    session.refresh_from_db()
    assert (session.status, session.error_message) == (Session.Status.ENRICHING, "")
    assert fake_tmdb.stats().get("requests", 0) == 0  # it has not tried yet: it waits, it is not failed
