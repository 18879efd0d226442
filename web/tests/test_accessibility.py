"""The pages audited for accessibility in Chromium by axe-core (pinned in web/tests/node): the WCAG 2.1
A and AA rules it can check, text contrast, names of controls, labels, landmarks and headings among them,
at a laptop's width and a phone's. And the upload box, reached by keyboard."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory
from web.tests.conftest import close_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GENRES = ["Drama", "Comedy", "Horror", "Documentary"]


@pytest.fixture
def audited(browser, live_server):
    """A page whose context lets axe's script in: the pages' CSP (script-src 'self') would refuse it."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: scripts/setup.sh runs npm ci in web/tests/node")
    page = open_page(browser, live_server, bypass_csp=True)
    yield page
    close_page(page)


def violations(page):
    """axe's WCAG A/AA violations on the page as it is now: rule, what it asks, the first elements."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        (violation["id"], violation["help"], [node["target"] for node in violation["nodes"][:3]])
        for violation in result["violations"]
    ]


def completed_session():
    """A finished session with everything the page can show: charts over two years, a film TMDB lacks,
    an unsure match to check."""
    session = SessionFactory(
        status=Session.Status.COMPLETED, total_movies=14, enriched_count=13, not_found_count=1
    )
    for index in range(12):
        movie = EnrichedMovieFactory(
            session=session, title=f"Film {index}", year=1960 + 5 * index, rating=1 + index % 5,
            genres=[GENRES[index % 4]], directors=[f"Director {index % 3}"], poster_path="",
        )  # fmt: skip
        WatchFactory(
            movie=movie, watched_date=date(2022, 1, 3) + timedelta(days=61 * index), rating=movie.rating
        )
    unsure = EnrichedMovieFactory(
        session=session, title="Twin", year=2001, match_confidence=0.45, match_method="exact_year"
    )
    unsure.match_candidates = [
        {"tmdb_id": unsure.tmdb_id, "title": "Twin", "year": 2001, "votes": 14},
        {"tmdb_id": 99_001, "title": "Twin", "year": 2001, "votes": 12},
    ]
    unsure.save()
    MovieFactory(
        session=session, title="A Film Nobody Has Heard Of", year=1911, enrichment_status="not_found"
    )
    return session


def test_the_home_page_passes_the_audit(audited):
    audited.goto("/")

    assert violations(audited) == []


def test_a_refused_upload_message_passes_the_audit(audited, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not an export\n")
    audited.goto("/")
    audited.set_input_files("#upload-files", notes)
    audited.wait_for_selector("#upload-state:has-text('did not work')")

    assert violations(audited) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_completed_sessions_page_passes_the_audit(audited, width):
    session = completed_session()
    audited.set_viewport_size({"width": width, "height": 900})
    audited.goto(f"/s/{session.pk}/")
    audited.wait_for_selector("#chart-genres .bars li")
    audited.wait_for_selector("#matches-list form")
    audited.wait_for_selector("#film-list details")
    audited.locator("#film-list details summary").first.click()
    audited.click("#delete-open")  # the confirmation, open

    assert violations(audited) == []


def test_the_upload_box_is_reached_by_keyboard_and_shows_focus(page):
    page.goto("/")
    page.bring_to_front()  # keys go to the focused page: other tests' pages share this browser

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "upload-files":
            break
    else:
        pytest.fail("Tab never reached the upload's file input")
    # A real file input (Space opens the browser's file picker), inside a drop zone that shows the focus.
    assert page.evaluate("document.activeElement.type") == "file"
    assert page.locator("#dropzone").evaluate("zone => getComputedStyle(zone).outlineStyle") == "solid"


def test_the_not_found_page_passes_the_audit(audited):
    audited.goto("/no/such/page/")

    assert violations(audited) == []
