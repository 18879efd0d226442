"""What the periodic and per-round work costs does not grow with the deployment (issue 25):
the reconciler's beat, a round's read of its films, the estimates' refresh, the start's cache pass,
the ETA's fallback on the film cache."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.test.utils import CaptureQueriesContext

from core.tests.plans import full_scans, plan_nodes, rows_read
from enrichment.models import LetterboxdLink
from enrichment.queueing import pace, recovery, scheduling
from enrichment.services import cached
from movies.models import Film, FilmLookup, Movie
from movies.tests.seeding import analyze, insert_movies
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
Status = Movie.EnrichmentStatus


def enriching_sessions(count, films=6, sent=4):
    """``count`` enriching sessions of ``films`` pending films, the first ``sent`` of them in flight."""
    sessions = [SessionFactory(total_movies=films) for _ in range(count)]
    insert_movies([session.pk for session in sessions], films)
    for session in sessions:
        in_flight = session.movies.order_by("pk").values_list("pk", flat=True)[:sent]
        Session.objects.filter(pk=session.pk).update(round_cursor=max(in_flight, default=0))
    return sessions


@pytest.fixture(autouse=True)
def own_keys(monkeypatch):
    """Keys of this test's own in Redis: tests running beside it also send rounds and beats."""
    monkeypatch.setattr(recovery, "MISSING_KEY", f"test:missing:{uuid.uuid4()}")
    monkeypatch.setattr(scheduling, "ESTIMATES_KEY", f"test:estimates:{uuid.uuid4()}")
    monkeypatch.setattr(pace, "KEY", f"test:pace:{uuid.uuid4()}")


def all_held(monkeypatch):
    """The broker holds every film in flight (nothing is lost): a beat only looks."""
    pending = Movie.objects.filter(enrichment_status=Status.PENDING)
    monkeypatch.setattr(recovery, "movies_in_broker", lambda: set(pending.values_list("pk", flat=True)))
    monkeypatch.setattr(recovery, "movies_held_by_workers", set)


def beat_queries():
    cache.delete(recovery.MISSING_KEY)
    with CaptureQueriesContext(connection) as queries:
        assert recovery.reconcile_sessions() == {"completed": 0, "requeued": 0}
    return len(queries)


def test_a_reconciler_beat_costs_as_many_queries_with_30_enriching_sessions_as_with_1(monkeypatch):
    all_held(monkeypatch)
    enriching_sessions(1)
    with_one = beat_queries()

    enriching_sessions(29)

    assert beat_queries() == with_one


def test_a_reconciler_beat_still_finds_each_session_films_in_flight(monkeypatch):
    first, second = enriching_sessions(2, films=6, sent=4)

    in_flight = recovery.films_in_flight()

    assert {session_id: len(films) for session_id, films in in_flight.items()} == {first.pk: 4, second.pk: 4}


def test_a_round_reads_only_the_films_it_sends():
    # One big session among others, its films' ids interleaved with theirs as uploads arrive.
    session, *others = [SessionFactory(total_movies=3000)] + [SessionFactory() for _ in range(10)]
    for part in range(10):
        insert_movies([session.pk], 300, first=1 + 300 * part)
        insert_movies([other.pk for other in others], 100, first=1 + 100 * part)
    analyze()
    cursor = session.movies.order_by("pk").values_list("pk", flat=True)[1500]
    Session.objects.filter(pk=session.pk).update(round_cursor=cursor)

    with CaptureQueriesContext(connection) as queries:
        assert scheduling.send_rounds(session.pk, 1) == scheduling.ROUND_SIZE

    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "enrichment_status" in q["sql"]]
    assert reads and all("LIMIT" in sql for sql in reads)
    assert sum(rows_read(sql, Movie._meta.db_table) for sql in reads) <= scheduling.ROUND_SIZE


def test_rounds_refresh_the_estimates_now_and_then_a_session_end_and_every_beat_at_once(monkeypatch):
    all_held(monkeypatch)
    first, second = enriching_sessions(2, films=40, sent=0)

    scheduling.continue_enrichment(first.pk)  # the first round in a while: everyone's estimate
    assert Session.objects.filter(eta_at__isnull=False).count() == 2
    Session.objects.update(eta_at=None)
    scheduling.continue_enrichment(second.pk)  # a moment later: not again
    assert not Session.objects.filter(eta_at__isnull=False).exists()

    done = SessionFactory(total_movies=0)
    scheduling.continue_enrichment(done.pk)  # a session ends: the others move up at once
    assert Session.objects.get(pk=done.pk).status == Session.Status.COMPLETED
    assert Session.objects.filter(eta_at__isnull=False).count() == 2
    Session.objects.update(eta_at=None)
    recovery.reconcile_sessions()  # and every beat
    assert Session.objects.filter(eta_at__isnull=False).count() == 2


def cache_of(films):
    """A URI cache of ``films`` films (Film, LetterboxdLink, FilmLookup), fresh; returns their URIs'
    prefix: film n is f"{prefix}{n}"."""
    prefix = "https://boxd.it/cached-"
    columns = [f for f in Film._meta.concrete_fields if f.column not in ("tmdb_id", "title", "fetched_at")]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Film._meta.db_table} (tmdb_id, title, fetched_at, {names})"
            f" SELECT g, 'film ' || g, now(), {', '.join(['%s'] * len(columns))}"
            " FROM generate_series(1, %s) g",
            [*defaults, films],
        )
        cursor.execute(
            f"INSERT INTO {LetterboxdLink._meta.db_table}"
            " (uri, film_id, method, confidence, updated_at, disputed)"
            " SELECT %s || g, g, 'exact_year', 0.9, now(), false FROM generate_series(1, %s) g",
            [prefix, films],
        )
        cursor.execute(
            f"INSERT INTO {FilmLookup._meta.db_table} (normalized_title, year, film_id, match_method,"
            " match_confidence, match_candidates, match_reason, resolved_at, expires_at)"
            " SELECT 'film ' || g, NULL, g, 'exact_year', 0.9, '[]', '', now(), now() + interval '30 days'"
            " FROM generate_series(1, %s) g",
            [films],
        )
        for model in (Film, LetterboxdLink, FilmLookup):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return prefix


def test_the_start_cache_pass_looks_films_up_on_the_indexes_of_a_big_cache():
    prefix = cache_of(100_000)
    session = SessionFactory(status=Session.Status.PROCESSING, total_movies=1000)
    insert_movies([session.pk], 1000)
    Movie.objects.filter(session=session).update(letterboxd_uri=Concat(Value(prefix), Substr("key", 6)))

    with CaptureQueriesContext(connection) as queries:
        assert scheduling.dispatch_enrichment(session.pk) == 1000

    assert Session.objects.get(pk=session.pk).enriched_count == 1000  # all from the cache
    lookups = [
        q["sql"]
        for q in queries
        if "enrichment_letterboxdlink" in q["sql"] or "movies_filmlookup" in q["sql"]
    ]
    assert lookups
    scanned = {table for sql in lookups for table in full_scans(sql)}
    assert scanned & {"enrichment_letterboxdlink", "movies_filmlookup", "movies_film"} == set()


def test_the_eta_fallback_reads_the_latest_costed_searches_on_an_index():
    cache_of(100_000)  # searches remembered before their cost was: none has one
    FilmLookup.objects.filter(film_id__lte=30).update(requests=3)
    # Redis has lost its measure (this test's key is empty): the ETA falls back on the film cache.

    with CaptureQueriesContext(connection) as queries:
        assert pace.requests_per_film() == 3

    assert {table for q in queries for table in full_scans(q["sql"])} == set()


def test_a_film_looked_up_finds_its_copies_with_one_probe_per_enriching_session():
    sessions = [SessionFactory(total_movies=400) for _ in range(3)]
    insert_movies([session.pk for session in sessions], 400, enrichment_status=Status.ENRICHED)
    analyze()
    # Then a few films of each are pending again, which the statistics do not know yet (as in use).
    Movie.objects.filter(key__in=[f"film {n}" for n in range(1, 41)]).update(enrichment_status=Status.PENDING)
    shared = "https://boxd.it/shared"
    Movie.objects.filter(key="film 7").update(key=shared, letterboxd_uri=shared)
    params = [shared, shared, Session.Status.ENRICHING, Status.PENDING]

    movie_scans = [
        node
        for node in plan_nodes(cached.PENDING_COPIES_SQL, params, analyze=True)
        if node.get("Relation Name") == Movie._meta.db_table
    ]
    read = sum(
        (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        for node in movie_scans
    )
    assert read <= len(sessions)
    assert {node.get("Index Name") for node in movie_scans} == {"movie_unique_per_session"}
    assert sorted(row[0] for row in cached._pending_copies(shared)) == sorted(s.pk for s in sessions)
