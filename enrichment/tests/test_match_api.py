"""Reviewing and correcting matches: the API a user calls, the admin where staff undo, the caches
that remember a correction for every later session."""

import pytest
from django.db.models import Count, F
from django.urls import reverse

from enrichment.models import LetterboxdLink, MatchCorrection
from enrichment.services import enriching
from enrichment.tests.test_admin import run_action
from movies.models import Film, MatchMethod, Movie
from movies.tests.factories import FilmFactory, MovieFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
Status = Movie.EnrichmentStatus


def enriched_session(fake, rows):
    """A completed session of the catalog's ``rows``, enriched through the stand-in."""
    session = SessionFactory(total_movies=len(rows))
    for row in rows:
        movie = MovieFactory(
            session=session, title=row.title, year=row.year, letterboxd_uri=row.uri, key=row.uri
        )
        enriching.enrich_movie(movie.pk)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.COMPLETED)
    return session


def assert_counters_equal_rows(session_id):
    session = Session.objects.get(pk=session_id)
    rows = dict(
        Movie.objects.filter(session_id=session_id).values_list("enrichment_status").annotate(n=Count("id"))
    )
    counters = (session.enriched_count, session.not_found_count, session.failed_count, session.tv_count)
    assert counters == tuple(
        rows.get(status, 0) for status in (Status.ENRICHED, Status.NOT_FOUND, Status.FAILED, Status.TV)
    )


def matches(client, session, **params):
    response = client.get(f"/api/session/{session.pk}/matches", params)
    assert response.status_code == 200, response.content
    return response.json()


def put_match(client, session, movie, tmdb_id):
    return client.put(
        f"/api/session/{session.pk}/movies/{movie.pk}/match",
        {"tmdb_id": tmdb_id},
        content_type="application/json",
    )


def test_two_letterboxd_films_on_one_tmdb_film_are_listed_as_duplicates_with_candidates(client, fake_tmdb):
    pair = fake_tmdb.catalog.rows_of("duplicate_pair")
    session = enriched_session(fake_tmdb, [*pair, fake_tmdb.catalog.rows_of("exact")[0]])

    listed = matches(client, session)

    assert sorted(movie["letterboxd_uri"] for movie in listed) == sorted(row.uri for row in pair)
    assert all("duplicate" in movie["review_reasons"] and len(movie["duplicate_of"]) == 1 for movie in listed)
    assert all(
        {c["tmdb_id"] for c in movie["match_candidates"]} == {row.tmdb_id for row in pair} for movie in listed
    )


def test_not_found_and_tv_are_listed_and_the_threshold_is_the_callers(client, fake_tmdb):
    rows = [fake_tmdb.catalog.rows_of(case)[0] for case in ("absent", "tv_miniseries", "split_tie")]
    session = enriched_session(fake_tmdb, rows)

    default = {movie["title"]: movie["review_reasons"] for movie in matches(client, session)}
    stricter = {movie["title"] for movie in matches(client, session, confidence_below=0.91)}

    assert default == {rows[0].title: ["not_found"], rows[1].title: ["tv"]}
    assert stricter == {row.title for row in rows}  # the Split-shaped match, its premiere read, has 0.9
    assert client.get(f"/api/session/{session.pk}/matches", {"confidence_below": "high"}).status_code == 400


def test_a_correction_re_enriches_the_movie_and_teaches_every_later_session(client, fake_tmdb):
    first, second = fake_tmdb.catalog.rows_of("duplicate_pair")
    session = enriched_session(fake_tmdb, [first, second])
    wrong = Movie.objects.get(session=session, letterboxd_uri=second.uri)
    before = Session.objects.get(pk=session.pk).updated_at
    fake_tmdb.reset()

    response = put_match(client, session, wrong, second.tmdb_id)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["tmdb_id"], body["match_method"], body["match_confidence"]) == (second.tmdb_id, "hand", 1.0)
    assert fake_tmdb.stats()["requests"] == 1  # the film's details, no search
    # No duplicate left; the other film of the pair stays flagged as an ambiguous tie.
    assert [movie["review_reasons"] for movie in matches(client, session)] == [["low_confidence"]]
    assert Session.objects.get(pk=session.pk).updated_at > before  # the analytics cache key moves on
    assert_counters_equal_rows(session.pk)
    # Another user logs the same Letterboxd film: right at once, without asking TMDB.
    fake_tmdb.reset()
    later = enriched_session(fake_tmdb, [second])
    movie = later.movies.get()
    assert (movie.tmdb_id, movie.match_method) == (second.tmdb_id, MatchMethod.HAND)
    assert fake_tmdb.stats().get("requests", 0) == 0


def test_not_on_tmdb_moves_the_movie_between_counters(client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[3]
    session = enriched_session(fake_tmdb, [row])
    movie = session.movies.get()

    response = put_match(client, session, movie, None)

    assert response.status_code == 200 and response.json()["enrichment_status"] == "not_found"
    movie.refresh_from_db()
    assert movie.tmdb_id is None and movie.genres == [] and "not on TMDB" in movie.match_reason
    assert (
        Session.objects.get(pk=session.pk).enriched_count,
        Session.objects.get(pk=session.pk).not_found_count,
    ) == (0, 1)
    assert_counters_equal_rows(session.pk)
    # One session's word does not tell every later session the film is not on TMDB.
    link = LetterboxdLink.objects.get(uri=row.uri)
    assert (link.film_id, link.disputed) == (row.tmdb_id, True)


def test_refused_corrections_change_nothing(client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[4]
    session = enriched_session(fake_tmdb, [row])
    movie = session.movies.get()
    pending = MovieFactory(session=session, title="Still waiting")
    Session.objects.filter(pk=session.pk).update(total_movies=F("total_movies") + 1)

    unknown = put_match(client, session, movie, 987_654_321)
    malformed = put_match(client, session, movie, "the matrix")
    missing = client.put(
        f"/api/session/{session.pk}/movies/{movie.pk}/match", {}, content_type="application/json"
    )
    busy = put_match(client, session, pending, row.tmdb_id)
    other_session = put_match(client, SessionFactory(), movie, row.tmdb_id)

    assert unknown.status_code == 400 and "987654321" in unknown.json()["detail"]
    assert missing.status_code == 400 and "tmdb_id" in missing.json()["detail"]
    assert malformed.status_code == 400
    assert busy.status_code == 409 and other_session.status_code == 404
    assert_counters_equal_rows(session.pk)
    assert not MatchCorrection.objects.filter(movie=pending).exists()


def test_tmdb_down_during_a_correction_is_a_503_with_retry_after(client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[5]
    session = enriched_session(fake_tmdb, [row])
    movie = session.movies.get()
    Film.objects.all().delete()
    fake_tmdb.fail_next(503, times=5)

    response = put_match(client, session, movie, row.tmdb_id + 1)

    assert response.status_code == 503 and response["Retry-After"]
    movie.refresh_from_db()
    assert movie.tmdb_id == row.tmdb_id and not MatchCorrection.objects.exists()


def test_staff_see_and_undo_a_correction(admin_client, client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("split_tie")[0]
    session = enriched_session(fake_tmdb, [row])
    movie = session.movies.get()
    put_match(client, session, movie, None)
    correction = MatchCorrection.objects.get()

    messages = run_action(
        admin_client, reverse("admin:enrichment_matchcorrection_changelist"), "undo", [correction]
    )

    assert messages == ["Undid 1 correction(s)."]
    movie.refresh_from_db()
    assert (movie.enrichment_status, movie.tmdb_id, movie.match_method) == (
        Status.ENRICHED,
        row.tmdb_id,
        MatchMethod.YEAR_OFF,
    )
    link = LetterboxdLink.objects.get(uri=row.uri)
    assert (link.film_id, link.method) == (row.tmdb_id, MatchMethod.YEAR_OFF)
    assert_counters_equal_rows(session.pk)


def test_only_films_the_stand_in_invented_can_be_deleted_in_the_admin(admin_client):
    demo, real = FilmFactory(is_demo=True), FilmFactory()
    films = reverse("admin:movies_film_changelist")
    selected = {"action": "delete_selected", "post": "yes"}

    mixed = admin_client.post(films, {**selected, "_selected_action": [demo.pk, real.pk]})
    assert mixed.status_code == 403 and Film.objects.count() == 2
    run_action(admin_client, films, "delete_selected", [demo], post="yes")

    assert list(Film.objects.values_list("pk", flat=True)) == [real.pk]
    assert admin_client.get(reverse("admin:movies_film_delete", args=[real.pk])).status_code == 403


def test_the_openapi_schema_documents_review_and_correction(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    review = paths["/api/session/{session_id}/matches/"]["get"]
    correction = paths["/api/session/{session_id}/movies/{movie_id}/match/"]["put"]
    assert "confidence_below" in {parameter["name"] for parameter in review["parameters"]}
    assert {"200", "400", "404", "409", "503"} <= set(correction["responses"])


def test_matches_tell_entries_apart_and_name_a_film_matched_from_the_cache(client):
    session = SessionFactory(status=Session.Status.COMPLETED)
    FilmFactory(tmdb_id=7009, title="Twin Town")
    cached = MovieFactory(
        session=session, title="Twin", year=2001, enrichment_status=Status.ENRICHED, tmdb_id=7009,
        match_confidence=0.4, match_candidates=[], marked_watched_on="2023-05-01",
    )  # fmt: skip

    [listed] = matches(client, session)

    # No candidate names its film: the films cache does, so the page shows a title, not a number.
    assert listed["tmdb_title"] == str(Film.objects.get(pk=7009))
    assert (listed["marked_watched_on"], listed["letterboxd_uri"]) == ("2023-05-01", cached.letterboxd_uri)
    assert listed["watched_date"] is None
