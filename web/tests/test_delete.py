"""Deleting from the session page, in real headless Chromium: once confirmed, the page asks for
nothing of the session any more, so it leaves without a 404 in the console."""

import re
import time

import pytest
from playwright.sync_api import expect

from movies.tests.factories import EnrichedMovieFactory, MovieFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)
DELETE_ANSWER_DELAY = 2.0  # longer than a poll's interval and a search's debounce


def test_reads_pending_or_due_while_the_delete_is_answered_are_not_sent(page, live_server):
    session = SessionFactory(total_movies=3, enriched_count=2)  # enriching: the page polls
    EnrichedMovieFactory.create_batch(2, session=session)
    MovieFactory(session=session, title="Gamma")
    api = f"{live_server.url}/api/session/{session.pk}"

    def deleted_then_answered_late(route):
        # The session is gone at once; the page hears so only later, as on a slow network.
        answer = route.fetch()
        time.sleep(DELETE_ANSWER_DELAY)
        route.fulfill(response=answer)

    page.route(re.compile(rf"/api/session/{session.pk}$"), deleted_then_answered_late)
    page.goto(f"/s/{session.pk}/")
    expect(page.locator("#progress-text")).to_have_text("2 of 3 films looked up")

    page.fill("input[name=search]", "Gam")  # a film search is due in 250 ms
    page.click("#delete-open")
    page.click("#delete-yes")
    page.wait_for_url(re.compile(r"/\?deleted=1$"))

    assert not Session.objects.filter(pk=session.pk).exists()
    sent_after_delete = page.record.sent_after("DELETE", api)
    assert [url for url in sent_after_delete if url.startswith(api)] == []
    assert page.record.errors == []


def test_a_delete_that_fails_leaves_the_page_following_the_session(page, live_server):
    session = SessionFactory(total_movies=3, enriched_count=2)
    EnrichedMovieFactory.create_batch(2, session=session)
    MovieFactory(session=session)
    page.route(
        re.compile(rf"/api/session/{session.pk}$"),
        lambda route: route.fulfill(status=503, json={"detail": "The database is unavailable"}),
    )
    page.goto(f"/s/{session.pk}/")
    expect(page.locator("#progress-text")).to_have_text("2 of 3 films looked up")

    page.click("#delete-open")
    page.click("#delete-yes")
    expect(page.locator("#delete-error")).to_have_text("Not deleted: The database is unavailable.")

    Session.objects.filter(pk=session.pk).update(enriched_count=3, status=Session.Status.COMPLETED)
    expect(page.locator("#progress-text")).to_have_text("3 of 3 films looked up")
    expect(page.locator("#load-error")).to_be_hidden()
