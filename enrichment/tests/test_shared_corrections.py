"""A correction changes its own session at once; the caches every session shares learn it only
when corroborated, and a film sessions corrected differently is listed for review."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enrichment.models import LetterboxdLink, MatchCorrection
from enrichment.selectors import correction_choices
from enrichment.tests.test_admin import run_action
from enrichment.tests.test_match_api import enriched_session, matches, put_match
from movies.models import MatchMethod
from movies.services.deleting import delete_expired_sessions
from sessions.models import Session

pytestmark = pytest.mark.django_db


def a_western(fake_tmdb, row):
    """Another film of the catalog, which no search would give for ``row``."""
    return next(other for other in fake_tmdb.catalog.rows_of("exact") if other.tmdb_id != row.tmdb_id)


def test_one_sessions_correction_leaves_other_sessions_and_the_shared_link_until_corroborated(
    client, fake_tmdb
):
    row = fake_tmdb.catalog.rows_of("exact")[7]
    wrong = a_western(fake_tmdb, row).tmdb_id
    mine, theirs = enriched_session(fake_tmdb, [row]), enriched_session(fake_tmdb, [row])

    assert put_match(client, mine, mine.movies.get(), wrong).status_code == 200

    assert mine.movies.get().tmdb_id == wrong  # the corrector's own session, at once
    assert theirs.movies.get().tmdb_id == row.tmdb_id
    link = LetterboxdLink.objects.get(uri=row.uri)
    assert (link.film_id, link.method, link.disputed) == (row.tmdb_id, MatchMethod.EXACT_YEAR, True)
    later = enriched_session(fake_tmdb, [row]).movies.get()
    assert (later.tmdb_id, later.match_method) == (row.tmdb_id, MatchMethod.CACHE)
    # Listed for review, with the choices and how many sessions made each.
    listed = {movie["id"]: movie for movie in matches(client, theirs)}
    movie = listed[theirs.movies.get().pk]
    assert "disputed" in movie["review_reasons"]
    assert movie["correction_choices"] == [{"tmdb_id": wrong, "sessions": 1}]

    # The same session saying it again is still one session.
    put_match(client, mine, mine.movies.get(), wrong)
    assert LetterboxdLink.objects.get(uri=row.uri).film_id == row.tmdb_id


def test_a_second_independent_session_agreeing_teaches_the_shared_link(client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[8]
    right = a_western(fake_tmdb, row).tmdb_id  # say TMDB's search got this one wrong
    first, second = enriched_session(fake_tmdb, [row]), enriched_session(fake_tmdb, [row])

    put_match(client, first, first.movies.get(), right)
    put_match(client, second, second.movies.get(), right)

    link = LetterboxdLink.objects.get(uri=row.uri)
    assert (link.film_id, link.method, link.disputed) == (right, MatchMethod.HAND, False)
    assert enriched_session(fake_tmdb, [row]).movies.get().tmdb_id == right


def test_not_on_tmdb_from_one_session_is_not_everyones(client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[9]
    mine = enriched_session(fake_tmdb, [row])

    put_match(client, mine, mine.movies.get(), None)

    later = enriched_session(fake_tmdb, [row]).movies.get()
    assert later.tmdb_id == row.tmdb_id and later.enrichment_status == "enriched"


def test_staff_settle_a_disputed_link_with_the_most_chosen_film(admin_client, client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[10]
    chosen = a_western(fake_tmdb, row).tmdb_id
    session = enriched_session(fake_tmdb, [row])
    put_match(client, session, session.movies.get(), chosen)
    links = reverse("admin:enrichment_letterboxdlink_changelist")

    page = admin_client.get(links, {"disputed__exact": "1"})
    assert row.uri in page.content.decode() and f"{chosen}: 1" in page.content.decode()
    messages = run_action(admin_client, links, "take_most_chosen", [LetterboxdLink.objects.get(uri=row.uri)])

    assert messages == ["Settled 1 link(s)."]
    link = LetterboxdLink.objects.get(uri=row.uri)
    assert (link.film_id, link.method, link.disputed) == (chosen, MatchMethod.HAND, False)


def test_a_corrected_session_can_be_deleted_by_its_owner_and_by_the_cleanup(client, fake_tmdb):
    row = fake_tmdb.catalog.rows_of("exact")[9]
    wrong = a_western(fake_tmdb, row).tmdb_id
    mine, expired, theirs = (enriched_session(fake_tmdb, [row]) for _ in range(3))
    for session in (mine, expired, theirs):
        assert put_match(client, session, session.movies.get(), wrong).status_code == 200
    Session.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))

    assert client.delete(f"/api/session/{mine.pk}").status_code == 204
    assert delete_expired_sessions() == 1

    assert not Session.objects.filter(pk__in=[mine.pk, expired.pk]).exists()
    # Their choices went with them; the other session's stays, and counts alone.
    assert list(MatchCorrection.objects.values_list("movie__session_id", flat=True)) == [theirs.pk]
    assert correction_choices(row.uri) == {wrong: 1}
