"""The watchlist section fills in on the page as idle TMDB budget looks its films up: a real worker,
the stand-in, and the beat played by the test (every 0.3 s instead of 5)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from web.tests.uploads import export_zip

pytestmark = pytest.mark.django_db(transaction=True)
WATCHLIST = range(100, 112)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"


def test_the_watchlist_fills_in_with_watch_next_and_its_runtime_filter(
    page, live_server, fake_tmdb, celery_worker, beat, tmp_path
):
    page.goto("/")
    page.set_input_files("#upload-files", export_zip(fake_tmdb, tmp_path, watchlist=WATCHLIST))
    page.wait_for_url(re.compile(r"/s/[0-9a-f-]{36}/$"))

    section = page.locator("#watchlist")
    expect(section).to_be_visible(timeout=60_000)
    expect(page.locator("#watchlist-progress")).to_have_text(
        re.compile(r"^All 12 films looked up on TMDB"), timeout=60_000
    )
    expect(section).to_have_attribute("data-pending", "0")
    expect(page.locator("#watchlist-tiles")).to_contain_text("hours to watch them all")
    expect(page.locator("#list-watch-next > li")).to_have_count(10)
    first = page.locator("#list-watch-next > li").first
    expect(first.locator(".reasons li").first).to_have_text(re.compile(r"(you rate|TMDB rates it)"))
    assert page.locator("#chart-watchlist-genres .bars li").count() > 0
    assert page.locator("#chart-watchlist-decades svg rect[height]:not([height='0'])").count() > 0
    expect(page.locator("#list-watchlist-oldest > li")).to_have_count(8)

    with page.expect_response(re.compile(r"/watchlist\?.*max_runtime=99")) as answer:
        page.select_option("#watch-next-runtime", "99")
    short = [film for film in answer.value.json()["watch_next"]["films"]]
    assert all(film["film"]["runtime"] <= 99 for film in short)
    expect(page.locator("#list-watch-next > li")).to_have_count(max(1, len(short)))

    SCREENSHOTS.mkdir(exist_ok=True)
    page.select_option("#watch-next-runtime", "")
    expect(page.locator("#list-watch-next > li")).to_have_count(10)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        section.screenshot(path=SCREENSHOTS / f"watchlist-{width}.png")
        # Nothing of the section sticks out sideways (the diary calendar above scrolls in its own box).
        sticking_out = section.evaluate(
            "(box, width) => [box, ...box.querySelectorAll('*')]"
            ".filter((node) => node.getBoundingClientRect().right > width + 0.5).length",
            width,
        )
        assert sticking_out == 0
    assert page.record.errors == []
