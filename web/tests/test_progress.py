"""The progress line while TMDB does not answer, in real headless Chromium: no ETA is promised
then, and it comes back with TMDB."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enrichment.tmdb import ratelimit
from movies.tests.factories import EnrichedMovieFactory, MovieFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def breaker(settings):
    settings.TMDB_BREAKER_FAILURES = 2
    ratelimit.reset()
    yield
    ratelimit.reset()


def test_while_tmdb_does_not_answer_the_page_says_so_instead_of_an_eta(page, live_server, breaker):
    session = SessionFactory(total_movies=3, enriched_count=1, eta_at=timezone.now() + timedelta(minutes=10))
    EnrichedMovieFactory(session=session)
    MovieFactory.create_batch(2, session=session)
    ratelimit.record_failure()
    ratelimit.record_failure()  # every worker's answers failed twice in a row: the breaker opens

    page.goto(f"/s/{session.pk}/")

    expect(page.locator("#progress-text")).to_have_text("1 of 3 films looked up")
    expect(page.locator("#progress-extra")).to_have_text(
        "TMDB is not answering (for under 2 minutes); your films continue when it is back"
    )

    ratelimit.record_success()  # a probe got an answer
    expect(page.locator("#progress-extra")).to_have_text("about 10 minutes left")
    assert page.record.errors == []
