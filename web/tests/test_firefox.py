"""The same pages in Firefox: Debian's firefox-esr, headless, driven over WebDriver BiDi by Puppeteer
(web/tests/node/firefox_visit.mjs) against a live server, a real Celery worker and the TMDB stand-in.

Chromium's tests (test_browser.py) look at every feature; this one walks a user's whole visit in the
other engine, where script, layout and form differences would show.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sessions.models import Session
from web.tests.uploads import CATALOG_FILMS, export_zip

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
FIREFOX = os.environ.get("FIREFOX_PATH", "/usr/bin/firefox-esr")
NODE_TOOLS = Path(__file__).parent / "node"
WATCHLIST = range(100, 106)


def firefox_visit(base_url, zip_path, screenshots):
    needs = {
        f"{FIREFOX} (scripts/setup.sh installs Debian's firefox-esr)": shutil.which(FIREFOX),
        "node (scripts/setup.sh installs nodejs)": shutil.which("node"),
        "Puppeteer (scripts/setup.sh runs npm ci in web/tests/node)": (NODE_TOOLS / "node_modules").is_dir(),
    }
    missing = [what for what, there in needs.items() if not there]
    if missing:
        pytest.fail("missing for the Firefox test: " + ", ".join(missing))
    finished = subprocess.run(
        ["node", str(NODE_TOOLS / "firefox_visit.mjs"), base_url, str(zip_path), str(screenshots)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "FIREFOX_PATH": FIREFOX},
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def test_a_whole_visit_in_firefox(live_server, fake_tmdb, celery_worker, beat, tmp_path):
    seen = firefox_visit(live_server.url, export_zip(fake_tmdb, tmp_path, watchlist=WATCHLIST), tmp_path)

    assert "failure" not in seen, seen["failure"]
    assert seen["browser"].startswith("firefox/")
    assert "Letterboxd" in seen["heading"]
    session_id = re.fullmatch(rf"{live_server.url}/s/([0-9a-f-]{{36}})/", seen["sessionUrl"]).group(1)

    # Progress ended complete, with the film TMDB lacks counted.
    total = CATALOG_FILMS + 1
    assert seen["progressText"] == f"{total} of {total} films looked up · 1 not found"

    # Charts drawn, TMDB ones with what they are based on; the calendar switches year.
    assert str(total) in seen["totals"]
    assert seen["tmdbBasis"] == f"based on {CATALOG_FILMS} of {total} films"
    assert all(seen["bars"].values()), seen["bars"]
    assert all(seen["columns"].values()), seen["columns"]
    assert seen["calendarDays"] > 0
    assert "8 diary entries in 2023" in seen["calendar"][0]
    assert "8 diary entries in 2022" in seen["calendar"][1]
    if seen["yearPicker"]:
        assert seen["yearAnswer"] == 200
        assert seen["cardWidth"] == 1200  # the share card of that year, drawn

    # Fits a phone; the film list and a film opened, with its TMDB link.
    assert seen["phoneScrollWidth"] <= 390
    assert seen["filmCount"] == f"{total} films"
    assert seen["filmOpened"] > 0
    assert re.fullmatch(r"https://www\.themoviedb\.org/movie/\d+", seen["tmdbLink"])

    # The watchlist looked up with idle budget, then watch next with why, filtered by runtime.
    assert seen["watchlist"]["progress"].startswith(f"All {len(WATCHLIST)} films looked up on TMDB")
    assert seen["watchNext"] == len(WATCHLIST)
    assert re.search(r"you rate|TMDB rates it", seen["watchNextReason"])
    assert seen["shortAnswer"] == 200

    # Deleted, and gone.
    # The share link opens the statistics read-only; "compare with mine" (here with the same member's own
    # session, the one this browser visited) shows a score and its lists.
    assert re.fullmatch(rf"{live_server.url}/v/[A-Za-z0-9_-]{{43}}/", seen["shareUrl"])
    assert session_id not in seen["shareUrl"]
    assert seen["shared"]["films"] == f"{total} films"
    assert seen["shared"]["ownerOnly"] == []
    assert seen["compareUrl"].startswith(f"{live_server.url}/s/{session_id}/compare/")
    assert seen["compare"]["inCommon"] > 0 and seen["compare"]["taste"] == 5
    assert seen["afterDelete"]["url"] == f"{live_server.url}/?deleted=1"
    assert "deleted" in seen["afterDelete"]["notice"]
    assert not Session.objects.filter(pk=session_id).exists()

    # No script error, and no request left for another host.
    assert seen["errors"] == []
    hosts = {urlsplit(url).netloc for url in seen["requests"] if urlsplit(url).scheme in ("http", "https")}
    assert hosts == {urlsplit(live_server.url).netloc}
