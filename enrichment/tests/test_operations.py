"""Re-enrichment by operators: the service's bookkeeping, then the real thing with a worker."""

import time

import pytest
from django.core.management import CommandError, call_command

from enrichment.matching.rules import fold_title
from enrichment.services import operations
from enrichment.services.operations import SessionStillEnriching, reenrich_session, refresh_films
from enrichment.tests.conftest import catalog_film
from movies.models import Film, FilmLookup, Movie, WatchlistEntry
from movies.tests.factories import (
    EnrichedMovieFactory,
    FilmFactory,
    FilmLookupFactory,
    MovieFactory,
    WatchlistEntryFactory,
)
from sessions.models import Session
from sessions.tests.factories import SessionFactory

Status = Movie.EnrichmentStatus


def finished_session(**counters):
    return SessionFactory(status=Session.Status.COMPLETED, **counters)


def wait_until_completed(session, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.refresh_from_db()
        if session.status == Session.Status.COMPLETED:
            return session
        time.sleep(0.1)
    raise AssertionError(f"session still {session.status} after {timeout}s: {session.processed_count} done")


@pytest.mark.django_db
class TestBookkeeping:
    def test_retrying_problems_resets_only_failed_and_not_found_movies(
        self, django_capture_on_commit_callbacks
    ):
        session = finished_session(total_movies=4, enriched_count=2, failed_count=1, not_found_count=1)
        enriched = EnrichedMovieFactory.create_batch(2, session=session)
        failed = MovieFactory(session=session, enrichment_status=Status.FAILED, enrichment_attempts=5)
        failed.enrichment_error = "TMDB answered 503"
        failed.save()
        lost = MovieFactory(session=session, title="Lost Film", enrichment_status=Status.NOT_FOUND)
        forgotten = FilmLookupFactory(normalized_title=fold_title("Lost Film"), film=None)
        kept = FilmLookupFactory(normalized_title=fold_title(enriched[0].title))

        with django_capture_on_commit_callbacks() as dispatched:
            queued = reenrich_session(session.pk, only_problems=True)

        assert queued == 2
        assert len(dispatched) == 1  # one chord
        session.refresh_from_db()
        assert (session.status, session.enriched_count, session.failed_count, session.not_found_count) == (
            Session.Status.ENRICHING,
            2,
            0,
            0,
        )
        for movie in (failed, lost):
            movie.refresh_from_db()
            assert (movie.enrichment_status, movie.enrichment_attempts, movie.enrichment_error) == (
                Status.PENDING,
                0,
                "",
            )
        assert set(Movie.objects.filter(enrichment_status=Status.ENRICHED)) == set(enriched)
        assert not FilmLookup.objects.filter(pk=forgotten.pk).exists()
        assert FilmLookup.objects.filter(pk=kept.pk).exists()

    def test_re_enriching_everything_clears_tmdb_data_and_counters(self, django_capture_on_commit_callbacks):
        session = finished_session(total_movies=3, enriched_count=2, not_found_count=1)
        EnrichedMovieFactory.create_batch(2, session=session)
        MovieFactory(session=session, enrichment_status=Status.NOT_FOUND)

        with django_capture_on_commit_callbacks():
            assert reenrich_session(session.pk) == 3

        session.refresh_from_db()
        assert session.processed_count == 0
        movie = Movie.objects.filter(session=session).first()
        assert (movie.tmdb_id, movie.genres, movie.runtime, movie.enriched_at) == (None, [], None, None)
        assert not Movie.objects.exclude(enrichment_status=Status.PENDING).exists()

    @pytest.mark.parametrize("status", [Session.Status.ENRICHING, Session.Status.PROCESSING])
    def test_a_session_still_in_progress_is_refused_unless_forced(
        self, status, django_capture_on_commit_callbacks
    ):
        session = SessionFactory(status=status, total_movies=2, failed_count=1)
        MovieFactory(session=session, enrichment_status=Status.FAILED)
        MovieFactory(session=session)

        with pytest.raises(SessionStillEnriching, match="still"):
            reenrich_session(session.pk, only_problems=True)
        assert Movie.objects.filter(enrichment_status=Status.FAILED).count() == 1

        with django_capture_on_commit_callbacks():
            assert reenrich_session(session.pk, only_problems=True, force=True) == 2

    def test_nothing_to_retry_leaves_the_session_alone(self, django_capture_on_commit_callbacks):
        session = finished_session(total_movies=1, enriched_count=1)
        EnrichedMovieFactory(session=session)

        with django_capture_on_commit_callbacks() as dispatched:
            assert reenrich_session(session.pk, only_problems=True) == 0

        assert not dispatched
        session.refresh_from_db()
        assert session.status == Session.Status.COMPLETED

    def test_an_unknown_session_is_an_error(self):
        with pytest.raises(Session.DoesNotExist):
            reenrich_session("0b0e7a5e-0000-4000-8000-000000000000")

    def test_command_refuses_an_enriching_session_and_an_unknown_id(self):
        session = SessionFactory(status=Session.Status.ENRICHING)

        with pytest.raises(CommandError, match="still enriching"):
            call_command("enrich_session", str(session.pk))
        with pytest.raises(CommandError, match="No session"):
            call_command("enrich_session", "not-a-session")


@pytest.mark.django_db
def test_refreshing_films_fetches_them_again_and_drops_those_tmdb_lost(fake_tmdb):
    known_id = min(fake_tmdb.films)
    stale = FilmFactory(tmdb_id=known_id, title="Old title", runtime=1)
    lost = FilmFactory(tmdb_id=1)
    wanted = WatchlistEntryFactory(film=lost, lookup_status=WatchlistEntry.LookupStatus.ENRICHED)

    result = refresh_films([stale.pk, lost.pk])

    assert (result.refreshed, result.gone, result.failed, result.skipped) == (1, 1, 0, 0)
    stale.refresh_from_db()
    assert stale.title == fake_tmdb.films[known_id]["title"]
    assert not Film.objects.filter(pk=lost.pk).exists()
    wanted.refresh_from_db()  # looked up again in idle time, not left "found" with no film
    assert (wanted.lookup_status, wanted.film_id) == (WatchlistEntry.LookupStatus.PENDING, None)


@pytest.mark.django_db
def test_refreshing_stops_when_tmdb_refuses_the_key(fake_tmdb, settings, monkeypatch):
    settings.TMDB_API_KEY = "wrong"
    monkeypatch.setattr(operations, "MAX_FILMS_PER_REFRESH", 2)
    films = FilmFactory.create_batch(3)

    result = refresh_films([film.pk for film in films])

    assert (result.refreshed, result.skipped) == (0, 3)
    assert "401" in result.error


def catalog_session(fake, count):
    """A finished session whose films the stand-in knows: `count` enriched, one failed, one not found."""
    session = finished_session(
        total_movies=count + 2, enriched_count=count, failed_count=1, not_found_count=1
    )
    films = [catalog_film(fake, index) for index in range(count + 2)]
    for title, year in films[:count]:
        EnrichedMovieFactory(session=session, title=title, year=year)
    failed_title, failed_year = films[count]
    MovieFactory(session=session, title=failed_title, year=failed_year, enrichment_status=Status.FAILED)
    lost_title, lost_year = films[count + 1]
    MovieFactory(session=session, title=lost_title, year=lost_year, enrichment_status=Status.NOT_FOUND)
    # TMDB did not know it then: the stand-in does now.
    FilmLookupFactory(normalized_title=fold_title(lost_title), year=lost_year, film=None)
    return session


@pytest.mark.django_db(transaction=True)
def test_a_worker_finishes_the_retried_problem_movies(fake_tmdb, celery_worker):
    session = catalog_session(fake_tmdb, 3)
    before = dict(Movie.objects.filter(enrichment_status=Status.ENRICHED).values_list("pk", "enriched_at"))

    assert reenrich_session(session.pk, only_problems=True) == 2

    session = wait_until_completed(session)
    assert (session.enriched_count, session.failed_count, session.not_found_count) == (5, 0, 0)
    assert not Movie.objects.exclude(enrichment_status=Status.ENRICHED).exists()
    after = dict(Movie.objects.filter(pk__in=before).values_list("pk", "enriched_at"))
    assert after == before  # the films already enriched were left alone
    assert fake_tmdb.stats()["requests"] == 4  # search and details for each retried film


@pytest.mark.django_db(transaction=True)
def test_a_worker_re_enriches_a_whole_session_from_the_command(fake_tmdb, celery_worker, capsys):
    session = catalog_session(fake_tmdb, 3)
    session.status = Session.Status.ENRICHING
    session.save()

    call_command("enrich_session", str(session.pk), "--force")

    assert "Queued 5 movie(s)" in capsys.readouterr().out
    session = wait_until_completed(session)
    assert session.enriched_count == 5
    assert Movie.objects.filter(session=session, tmdb_id__isnull=False).count() == 5


@pytest.mark.django_db
def test_reconcile_command_completes_sessions_whose_movies_all_ended(capsys):
    stuck = SessionFactory(status=Session.Status.ENRICHING, total_movies=1, enriched_count=1)
    EnrichedMovieFactory(session=stuck)

    call_command("reconcile_sessions")

    assert "Completed 1 session(s); re-queued 0 movie(s)." in capsys.readouterr().out
    stuck.refresh_from_db()
    assert stuck.status == Session.Status.COMPLETED
