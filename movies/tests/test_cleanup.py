import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.tests.plans import full_scans
from movies.models import Movie, Watch
from movies.services.deleting import delete_expired_sessions
from movies.tests.factories import MovieFactory, WatchFactory
from movies.tests.seeding import analyze, insert_movies, insert_viewings
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def make_session_with_viewings(expires_at):
    session = SessionFactory(expires_at=expires_at)
    for movie in MovieFactory.create_batch(3, session=session):
        WatchFactory.create_batch(2, movie=movie)
    return session


def test_deletes_exactly_the_expired_sessions_with_their_movies_and_viewings():
    now = timezone.now()
    expired = [make_session_with_viewings(now - timedelta(minutes=m)) for m in (1, 60, 60 * 24 * 40)]
    alive = make_session_with_viewings(now + timedelta(minutes=1))

    deleted = delete_expired_sessions(now=now, batch_size=2)

    assert deleted == 3
    assert list(Session.objects.all()) == [alive]
    assert not Movie.objects.filter(session__in=[s.id for s in expired]).exists()
    assert Movie.objects.count() == 3
    assert Watch.objects.count() == 6


def test_running_again_deletes_nothing_more():
    make_session_with_viewings(timezone.now() - timedelta(days=1))

    assert delete_expired_sessions() == 1
    assert delete_expired_sessions() == 0


def test_management_command_reports_what_it_deleted(capsys):
    make_session_with_viewings(timezone.now() - timedelta(days=1))

    call_command("cleanup_expired")

    assert "Deleted 1 expired session(s)." in capsys.readouterr().out


def test_large_sessions_are_deleted_a_few_at_a_time():
    now = timezone.now()
    for _ in range(3):
        make_session_with_viewings(now - timedelta(days=1))
    Session.objects.update(total_movies=3)

    with CaptureQueriesContext(connection) as queries:
        assert delete_expired_sessions(now=now, batch_movies=4) == 3

    # A 3-film session fills a 4-movie budget: three batches, one session each.
    session_deletes = [q for q in queries if q["sql"].startswith(f"DELETE FROM {Session._meta.db_table}")]
    assert len(session_deletes) == 3
    assert not Movie.objects.exists()
    assert not Watch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_delete_each_session_once():
    expired = [make_session_with_viewings(timezone.now() - timedelta(days=1)) for _ in range(6)]
    alive = make_session_with_viewings(timezone.now() + timedelta(days=1))
    start = threading.Barrier(2)

    def run():
        start.wait()
        try:
            return delete_expired_sessions(batch_size=1)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = [future.result() for future in [pool.submit(run), pool.submit(run)]]

    assert sum(counts) == len(expired)
    assert list(Session.objects.all()) == [alive]
    assert Movie.objects.count() == 3


def test_the_deletes_stay_on_indexes_however_many_movies_a_batch_holds():
    # 40,000 movies with a viewing each; the 12 expired sessions hold more than a batch.
    now = timezone.now()
    expired = [SessionFactory(expires_at=now - timedelta(days=1), total_movies=1000) for _ in range(12)]
    alive = [SessionFactory(total_movies=1000) for _ in range(28)]
    insert_movies([s.pk for s in expired + alive], 1000)
    insert_viewings([s.pk for s in expired + alive])
    analyze()

    with CaptureQueriesContext(connection) as queries:
        assert delete_expired_sessions(now=now) == 12

    deletes = [q["sql"] for q in queries if q["sql"].startswith("DELETE")]
    # Planned now, with the statistics of the full tables (deleting does not change them).
    assert {table for sql in deletes for table in full_scans(sql)} & {"movies_movie", "movies_watch"} == set()
    assert Movie.objects.count() == Watch.objects.count() == 28_000
