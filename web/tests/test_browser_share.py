"""Share links and comparisons in a real headless Chromium against a live server (no worker needed:
the sessions are made complete, with their TMDB data, by the factories)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from movies.tests.factories import EnrichedMovieFactory, WatchFactory, WatchlistEntryFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory
from web.tests.conftest import PageRecord, close_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)


def completed_session(films):
    """A completed session of these (title, rating) films; one title is the same film in every session."""
    session = SessionFactory(
        status=Session.Status.COMPLETED, total_movies=len(films), enriched_count=len(films)
    )
    for index, (title, rating) in enumerate(films):
        movie = EnrichedMovieFactory(
            session=session,
            title=title,
            rating=rating,
            letterboxd_uri=f"https://boxd.it/{title}",
            tmdb_id=9000 + sum(map(ord, title)),
            review="owner's review",
        )
        WatchFactory(movie=movie, watched_date=f"2024-0{1 + index % 9}-1{index % 9}")
    return session


def second_page(browser, live_server):
    page = open_page(browser, live_server)
    page.record = PageRecord(page)
    return page


def test_create_a_share_link_open_it_elsewhere_read_only_then_revoke(page, browser, live_server):
    session = completed_session([("Alpha", 4), ("Beta", 3), ("Gamma", 5)])

    page.goto(f"/s/{session.pk}/")
    expect(page.locator("#share")).to_contain_text("This page's address is private")
    page.click("#share-create")
    expect(page.locator("#share-active")).to_be_visible()
    url = page.locator("#share-url").input_value()
    assert "/v/" in url and str(session.pk) not in url

    friend = second_page(browser, live_server)
    try:
        friend.goto(urlsplit(url).path)
        expect(friend.locator("h1")).to_have_text("Shared films")
        expect(friend.locator("#totals")).to_contain_text("3")
        expect(friend.locator("#card-image")).to_be_visible()
        expect(friend.locator("#film-count")).to_have_text("3 films")
        for owner_only in ("#delete-open", "#matches", "#share-create", "a[href*='/export']"):
            assert friend.locator(owner_only).count() == 0, owner_only
        film = friend.locator("#film-list details").filter(has_text="Alpha").first
        film.locator("summary").click()
        expect(film.locator(".viewings li")).to_have_count(1)
        assert "owner's review" not in friend.content()
        assert str(session.pk) not in friend.content()
        assert not any(str(session.pk) in request for request in friend.record.requests)
        assert friend.record.errors == []
        assert friend.record.hosts() == {urlsplit(live_server.url).netloc}

        page.click("#share-revoke")
        expect(page.locator("#share-none")).to_be_visible()
        answer = friend.goto(urlsplit(url).path)
        assert answer.status == 404
        expect(friend.locator("h1")).to_have_text("This shared link does not work")
    finally:
        close_page(friend)
    assert page.record.errors == []


def test_compare_two_sessions_score_lists_and_watch_together(page, browser, live_server):
    you = completed_session([("Alpha", 5), ("Beta", 4), ("Gamma", 1), ("Delta", 4.5)])
    friend = completed_session([("Alpha", 5), ("Beta", 3), ("Gamma", 4), ("Epsilon", 4)])
    WatchlistEntryFactory(session=you, title="Zeta", year=2001, letterboxd_uri="https://boxd.it/zeta")
    WatchlistEntryFactory(session=friend, title="Zeta", year=2001, letterboxd_uri="https://boxd.it/zeta")
    friend_page = second_page(browser, live_server)
    try:
        friend_page.goto(f"/s/{friend.pk}/")
        friend_page.click("#share-create")
        expect(friend_page.locator("#share-active")).to_be_visible()
        link = friend_page.locator("#share-url").input_value()
    finally:
        close_page(friend_page)

    # Pasted on your own page...
    page.goto(f"/s/{you.pk}/")
    page.fill("#compare-link", link)
    page.click("#compare-form button[type=submit]")
    page.wait_for_url(f"**/s/{you.pk}/compare/**")
    expect(page.locator("#score")).to_have_text(re.compile(r"^\d+ / 100$"))
    expect(page.locator("#score-basis")).to_contain_text("Based on 3 films you both rated")
    expect(page.locator("#list-both-loved")).to_contain_text("Alpha")
    expect(page.locator("#list-disagreements")).to_contain_text("Gamma")
    expect(page.locator("#list-for-you")).to_contain_text("Epsilon")
    expect(page.locator("#list-for-friend")).to_contain_text("Delta")
    expect(page.locator("#list-both-watchlists")).to_contain_text("Zeta")
    expect(page.locator("#taste-grid table")).to_have_count(5)
    assert str(friend.pk) not in page.content()

    # ...or "compare with mine" on the friend's link, in the browser that has visited your page.
    page.goto(urlsplit(link).path)
    page.click("#compare-mine-link")
    page.wait_for_url(f"**/s/{you.pk}/compare/**")
    expect(page.locator("#score")).to_have_text(re.compile(r"^\d+ / 100$"))
    assert page.record.errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
