"""The page's polish (issue 24), each as a member sees it in headless Chromium: empty sections folded
with why, charts with scales and labelled axes, one star notation, counts changing by counts, the
calendar on a year worth showing, the card on a phone, entries sharing a title told apart."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from movies.tests.factories import EnrichedMovieFactory, FilmFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

TWIN_CANDIDATES = [
    {"tmdb_id": 7001, "title": "Twin", "year": 2001, "votes": 40},
    {"tmdb_id": 7002, "title": "Twin", "year": 2001, "votes": 30},
]


def polish_session():
    """Twelve films seen in 2023, one in 2024 (an export taken early in the year); TMDB knows no
    director's gender; no watchlist; two films called "Twin" (2001) to check, one matched from the
    films cache (no candidates)."""
    session = SessionFactory(status=Session.Status.COMPLETED, total_movies=15, enriched_count=15)
    for number in range(12):
        movie = EnrichedMovieFactory(
            session=session, title=f"Seen {number}", rating=Decimal("0.5") + number % 2, vote_average=7.1234
        )
        WatchFactory(movie=movie, watched_date=date(2023, 1, 2) + timedelta(days=30 * number))
    late = EnrichedMovieFactory(session=session, title="Early Next Year", rating=Decimal("4.5"))
    WatchFactory(movie=late, watched_date=date(2024, 1, 3))
    FilmFactory(tmdb_id=7009, title="Twin (the cached one)", release_date=date(2001, 5, 1))
    twins = []
    for code, watched, tmdb_id, candidates in (
        ("twinA", date(2023, 3, 1), 7001, TWIN_CANDIDATES),
        ("twinB", date(2023, 5, 1), 7009, []),
    ):
        twin = EnrichedMovieFactory(
            session=session, title="Twin", year=2001, letterboxd_uri=f"https://boxd.it/{code}",
            watched_date=watched, tmdb_id=tmdb_id, match_method="exact_year", match_confidence=0.4,
            match_candidates=candidates,
        )  # fmt: skip
        twins.append(twin)
    return session, twins


def test_empty_sections_fold_into_a_line_saying_why(page, live_server):
    session, _ = polish_session()
    page.goto(f"/s/{session.pk}/")

    folded = page.locator("#stats p.folded").last
    # TMDB knows none of the directors' genders: no "0 of the 0 films", the section folds away.
    women = "Directed by women: TMDB knows the gender of none of the directors of 15 films"
    expect(folded).to_contain_text(women)
    expect(folded).to_contain_text("Watchlist: your export has no watchlist (watchlist.csv)")
    expect(page.locator("#women-directed")).to_be_hidden()
    expect(page.get_by_text("0 of the 0")).to_have_count(0)
    expect(page.locator("#list-watchlist")).to_be_hidden()
    assert page.record.errors == []


def test_charts_have_a_scale_and_label_their_axis_of_time(page, live_server):
    session, _ = polish_session()
    page.goto(f"/s/{session.pk}/")

    months = page.locator("#chart-watches-by-month")
    # Jan 2023 to Jan 2024: thirteen months, each quarter labelled, each January with its year.
    expect(months.locator("svg rect")).to_have_count(13)
    labels = [text for text in months.locator(".column-labels span").all_text_contents() if text]
    assert labels == ["Jan 2023", "Apr", "Jul", "Oct", "Jan 2024"]
    # At most two viewings in a month (July 2023: the 1st and the 31st): a scale of 0 to 2.
    expect(months.locator(".column-scale span")).to_have_text(["2", "1", "0"])
    # One star notation: the ratings chart's axis as the rest of the page writes ratings.
    ratings = page.locator("#chart-ratings .column-labels span").all_text_contents()
    assert ratings[0] == "0.5★" and "½" not in "".join(ratings)
    # TMDB's ratings with one decimal.
    expect(page.locator("#list-highs")).to_contain_text("TMDB 7.1/10")
    expect(page.locator("#list-highs")).not_to_contain_text("7.12")


def test_the_calendar_opens_on_the_latest_year_worth_showing(page, live_server):
    session, _ = polish_session()
    page.goto(f"/s/{session.pk}/")

    # 2024 holds 1 diary entry against 2023's 12: the calendar opens on 2023, 2024 a choice away.
    expect(page.locator("#chart-calendar .calendar-wrap p")).to_have_text("12 diary entries in 2023")
    expect(page.locator("#calendar-year")).to_have_value("2023")
    page.select_option("#calendar-year", "2024")
    expect(page.locator("#chart-calendar .calendar-wrap p")).to_have_text("1 diary entry in 2024")


def test_new_to_me_changes_by_a_count_and_its_share_by_points(page, live_server):
    session, _ = polish_session()
    page.goto(f"/s/{session.pk}/")
    with page.expect_response(re.compile(r"/analytics\?year=2024$")):
        page.select_option("#year-select", "2024")

    tile = page.locator("#totals div").filter(has=page.locator("dt", has_text=re.compile("^new to me$")))
    expect(tile.locator("dd").first).to_have_text("1")
    # 12 films new to me in 2023, 1 in 2024: all of each year's viewings both years.
    expect(tile.locator(".tile-note")).to_have_text("−11 vs 2023 · 100% of viewings (±0 pts vs 2023)")
    rating = page.locator("#totals div").filter(has=page.locator("dt", has_text="average rating"))
    expect(rating.locator("dd").first).to_have_text("4.50★")


def test_entries_sharing_a_title_are_told_apart_and_a_cached_match_is_named(page, live_server):
    session, (first, cached) = polish_session()
    page.goto(f"/s/{session.pk}/")

    forms = page.locator("#matches-list form")
    expect(forms).to_have_count(2)
    first_form = forms.filter(has_text="Watched 2023-03-01")
    cached_form = forms.filter(has_text="Watched 2023-05-01")
    for form, movie in ((first_form, first), (cached_form, cached)):
        link = form.get_by_role("link", name="its Letterboxd page")
        expect(link).to_have_attribute("href", movie.letterboxd_uri)
    # Matched from the films cache, without candidates: its TMDB film by its title, not its number.
    expect(cached_form.locator(".match-now")).to_have_text("Now: Twin (the cached one) (2001), 40% sure")
    expect(first_form.locator(".match-now")).to_have_text("Now: Twin (2001), 40% sure")


def test_the_share_card_is_drawn_for_a_phone_and_downloads_with_a_name(page, live_server):
    session, _ = polish_session()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/s/{session.pk}/")

    card = page.locator("#card-image")
    expect(card).to_have_attribute("src", re.compile(r"card\.svg"))
    for _ in range(100):  # the picture's load, polled (the strict CSP forbids wait_for_function)
        if card.evaluate("image => image.complete && image.naturalWidth > 0"):
            break
        page.wait_for_timeout(50)
    # The portrait card, half as wide as the landscape one: drawn twice as large on a phone.
    assert "layout=portrait" in card.evaluate("image => image.currentSrc")
    assert card.evaluate("image => image.naturalWidth") == 600
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        page.get_by_role("link", name="PNG for a phone").click()
    assert download.value.suggested_filename == "letterboxd-stats-all-time-portrait.png"


def test_the_home_page_says_where_to_get_the_export(page, live_server):
    page.goto("/")

    expect(page.locator("#export-where")).to_be_visible()
    expect(page.locator("#export-where")).to_contain_text("Settings → Data → Export your data")
