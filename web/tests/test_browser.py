"""The pages in a real headless Chromium against a live server, a real Celery worker and the TMDB stand-in."""

import re
import time
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from enrichment.tests.conftest import catalog_film
from movies.tests.factories import EnrichedMovieFactory, MovieFactory
from sessions.models import Session
from sessions.tests.exports import LetterboxdExport
from sessions.tests.factories import SessionFactory
from web.tests.uploads import CATALOG_FILMS, ZIP_NAME, export_zip

pytestmark = pytest.mark.django_db(transaction=True)


def assert_stayed_home(page, live_server):
    own = urlsplit(live_server.url).netloc
    assert page.record.hosts() == {own}, page.record.hosts()
    assert page.record.errors == []


def progress_seen(page, expected_total):
    """Progress texts seen while polling the page, until it says enrichment completed."""
    seen = []
    deadline = time.monotonic() + 120  # a busy machine: 17 films at 0.4 s a request take ~10 s idle
    while time.monotonic() < deadline:
        # The state first: once it says completed, the text read after it is the final one.
        state = page.locator("#progress").get_attribute("data-state")
        text = page.locator("#progress-text").inner_text()
        if not seen or seen[-1] != text:
            seen.append(text)
        if state == "completed":
            return seen
        page.wait_for_timeout(100)
    raise AssertionError(f"enrichment did not complete on the page; saw {seen}")


def test_upload_follow_enrichment_explore_and_delete(page, live_server, fake_tmdb, celery_worker, tmp_path):
    fake_tmdb.latency = 0.4  # slow enough for the page to show enrichment under way
    try:
        page.goto("/")
        expect(page.locator("h1")).to_contain_text("Letterboxd")
        page.set_input_files("#upload-files", export_zip(fake_tmdb, tmp_path))

        page.wait_for_url(re.compile(r"/s/[0-9a-f-]{36}/$"))
        session_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        seen = progress_seen(page, CATALOG_FILMS + 1)
    finally:
        fake_tmdb.latency = 0.0

    # Progress advanced: at least one reading between the start and the end.
    done = [int(re.match(r"(\d+) of 17", text).group(1)) for text in seen if re.match(r"\d+ of 17", text)]
    assert done[-1] == 17 and any(0 < count < 17 for count in done), seen
    expect(page.locator("#progress-text")).to_contain_text("1 not found")

    # Charts drawn from the statistics, the TMDB ones among them.
    expect(page.locator("#totals")).to_contain_text("17")
    expect(page.locator("#tmdb-basis")).to_have_text("based on 16 of 17 films")
    for chart in ("genres", "directors", "actors", "countries", "languages"):
        assert page.locator(f"#chart-{chart} .bars li").count() > 0, chart
    for chart in ("watches-by-month", "watches-by-year", "weekday", "ratings", "decades"):
        assert page.locator(f"#chart-{chart} svg rect[height]:not([height='0'])").count() > 0, chart
    assert page.locator("#chart-calendar rect.day:not(.l0)").count() > 0

    # The calendar switches year; per-year statistics switch too when the analytics offer them.
    expect(page.locator("#chart-calendar")).to_contain_text("8 diary entries in 2023")
    page.select_option("#calendar-year", "2022")
    expect(page.locator("#chart-calendar")).to_contain_text("8 diary entries in 2022")
    if page.locator("#year-picker").is_visible():
        with page.expect_response(re.compile(r"/analytics\?year=2022")):
            page.select_option("#year-select", "2022")

    # Fits a phone: nothing wider than the screen but the calendar, which scrolls inside its box.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # The film list: search, filter, open a film.
    expect(page.locator("#film-count")).to_have_text("17 films")
    page.check("input[name=enrichment_status]")
    expect(page.locator("#film-count")).to_have_text("1 film")
    expect(page.locator("#film-list")).to_contain_text("A Film Nobody Has Heard Of")
    page.uncheck("input[name=enrichment_status]")
    first_title = catalog_film(fake_tmdb, 0)[0]
    page.fill("input[name=search]", first_title)
    matching = sum(
        first_title.lower() in catalog_film(fake_tmdb, index)[0].lower() for index in range(CATALOG_FILMS)
    )
    expect(page.locator("#film-list > li")).to_have_count(matching)
    film = page.locator("#film-list details").filter(has_text=first_title).first
    film.locator("summary").click()
    expect(film.locator(".film-body")).to_be_visible()
    expect(film.get_by_role("link", name="On TMDB")).to_have_attribute(
        "href", re.compile(r"^https://www\.themoviedb\.org/movie/\d+$")
    )
    expect(film.locator(".viewings li")).to_have_count(1)

    # Delete, confirmed; the session is gone.
    page.click("#delete-open")
    page.click("#delete-yes")
    page.wait_for_url(re.compile(r"/\?deleted=1$"))
    expect(page.locator(".notice")).to_contain_text("deleted")
    assert not Session.objects.filter(pk=session_id).exists()
    assert_stayed_home(page, live_server)

    response = page.goto(f"/s/{session_id}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("This upload is not here")


def test_a_refused_upload_shows_the_apis_message_in_place(page, live_server, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not an export\n")
    api_detail = requests.post(
        f"{live_server.url}/api/upload", files={"files": ("notes.txt", b"not an export\n")}, timeout=10
    ).json()["detail"]

    page.goto("/")
    page.set_input_files("#upload-files", notes)

    expect(page.locator("#upload-state")).to_have_text(f"That upload did not work: {api_detail}")
    assert page.url == f"{live_server.url}/"
    # The refused upload's 400 is the one console message, which Chromium logs by itself.
    assert page.record.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}


def test_swagger_ui_works_offline(page, live_server):
    page.goto("/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Letterboxd stats API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert_stayed_home(page, live_server)


PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360f8cf"
    "c0f01f0005000201e5271e9d0000000049454e44ae426082"
)  # fmt: skip


def test_enriching_session_shows_eta_queue_and_real_posters_with_fallback(page, live_server, settings):
    settings.TMDB_API_BASE_URL = "https://api.themoviedb.org/3"  # real TMDB: posters, no demo banner
    session = SessionFactory(total_movies=3, enriched_count=2)
    EnrichedMovieFactory(session=session, title="Alpha", poster_path="/alpha.jpg")
    EnrichedMovieFactory(session=session, title="Beta", poster_path="/beta.jpg")
    MovieFactory(session=session, title="Gamma")
    # TMDB's image host, answered here: one poster arrives, the other fails and falls back.
    page.route("https://image.tmdb.org/t/p/w92/alpha.jpg", lambda route: route.fulfill(body=PIXEL_PNG))
    page.route("https://image.tmdb.org/t/p/w92/beta.jpg", lambda route: route.fulfill(status=404))

    # The fields the scheduler adds to the status answer; position 1 is this upload's own turn.
    schedule = {"eta_seconds": 600, "queue_position": 1}

    def with_schedule(route):
        answer = route.fetch()
        route.fulfill(response=answer, json={**answer.json(), **schedule})

    page.route(re.compile(r"/api/session/[^/]+/status$"), with_schedule)

    page.goto(f"/s/{session.pk}/")

    expect(page.locator("#progress-text")).to_have_text("2 of 3 films looked up")
    expect(page.locator("#progress-extra")).to_have_text("about 10 minutes left")
    schedule["queue_position"] = 3  # two other uploads arrive
    expect(page.locator("#progress-extra")).to_have_text(
        "2 other uploads ahead of or alongside yours · about 10 minutes left"
    )
    expect(page.locator("#tmdb-basis")).to_have_text("based on 2 of 3 films so far")
    hours = page.locator("#totals div").filter(has_text="hours")
    expect(hours.locator(".tile-note")).to_have_text("from TMDB, so far")
    expect(page.locator("#coverage")).to_contain_text("1 film without TMDB data so far")
    expect(page.locator(".banner.demo")).to_have_count(0)
    alpha = page.locator("#film-list li").filter(has_text="Alpha").locator("img.poster")
    expect(alpha).to_have_attribute("src", "https://image.tmdb.org/t/p/w92/alpha.jpg")
    expect(alpha).to_have_attribute("loading", "lazy")
    expect(page.locator("#film-list li").filter(has_text="Beta").locator(".poster.none")).to_have_text("B")
    expect(page.locator("#film-list li").filter(has_text="Gamma").locator(".badge")).to_have_text("pending")
    assert page.record.hosts() == {urlsplit(live_server.url).netloc, "image.tmdb.org"}


def image_width(image):
    """The loaded picture's own width (0: broken). Polled from here: a strict CSP forbids
    wait_for_function's string evaluation."""
    for _ in range(100):
        if image.evaluate("img => img.complete"):
            return image.evaluate("img => img.naturalWidth")
        image.page.wait_for_timeout(100)
    raise AssertionError("the image did not finish loading")


def matches_export(fake, tmp_path):
    """Six catalog films seen in 2022 and three in 2023, a same-year tie TMDB cannot settle (2023),
    a film TMDB does not have and a TV miniseries (both only marked watched)."""
    export = LetterboxdExport()
    for index in range(9):
        title, year = catalog_film(fake, index)
        film = export.film(name=title, year=str(year or ""), rating="4")
        export.viewing(film, watched_date=f"{2022 if index < 6 else 2023}-03-{1 + index:02d}")
    tie = fake.catalog.rows_of("ambiguous_tie")[0]
    export.viewing(export.film(name=tie.title, year=str(tie.year)), watched_date="2023-05-05")
    export.film(name="A Film Nobody Has Heard Of", year="1911")
    miniseries = fake.catalog.rows_of("tv_miniseries")[0]
    export.film(name=miniseries.title, year=str(miniseries.year))
    path = tmp_path / ZIP_NAME
    path.write_bytes(export.zip_bytes())
    return path, tie, miniseries


def test_check_matches_corrects_films_and_the_year_drives_statistics_and_card(
    page, live_server, fake_tmdb, celery_worker, tmp_path
):
    zip_path, tie, miniseries = matches_export(fake_tmdb, tmp_path)
    page.goto("/")
    page.set_input_files("#upload-files", zip_path)
    page.wait_for_url(re.compile(r"/s/[0-9a-f-]{36}/$"))
    session_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("#progress")).to_have_attribute("data-state", "completed")
    expect(page.locator("#progress-text")).to_have_text("12 of 12 films looked up · 1 not found · 1 TV")
    expect(page.locator("#tmdb-basis")).to_have_text("based on 10 of 11 films")
    expect(page.locator("#coverage")).to_contain_text("1 TV entry, not counted as a film")

    # The panel lists the tie (unsure, with both candidates), the film TMDB does not have, with why,
    # and the TV entry.
    panel = page.locator("#matches")
    expect(panel.locator("#matches-count")).to_have_text("3 films to check")
    expect(panel.locator("form").filter(has_text=miniseries.title).locator(".badge")).to_have_text(
        "TMDB knows it as TV"
    )
    tie_form = panel.locator("form").filter(has_text=tie.title)
    expect(tie_form.locator(".badge")).to_have_text("unsure match")
    expect(tie_form.locator(".candidate a")).to_have_count(2)
    nobody_form = panel.locator("form").filter(has_text="A Film Nobody Has Heard Of")
    expect(nobody_form.locator(".badge")).to_have_text("not found on TMDB")
    movies = Session.objects.get(pk=session_id).movies
    tie_movie, nobody = movies.get(title=tie.title), movies.get(title="A Film Nobody Has Heard Of")
    assert nobody_form.locator("p.muted:not(.match-entry)").count() == 1  # the not-found reason

    # The film list says the same where it matters.
    films = page.locator("#film-list li")
    expect(films.filter(has_text=tie.title).locator(".badge")).to_have_text("low confidence")
    expect(films.filter(has_text="A Film Nobody").locator(".badge")).to_have_text("not found")
    expect(films.filter(has_text=miniseries.title).locator(".badge")).to_have_text("TV")

    # Pick the other candidate, with the keyboard: the movie follows, the tie leaves the list.
    other = next(c["tmdb_id"] for c in tie_movie.match_candidates if c["tmdb_id"] != tie_movie.tmdb_id)
    tie_form.locator(f"input[value='{other}']").focus()
    page.keyboard.press("Space")
    tie_form.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(panel.locator("#matches-done")).to_have_text(f"Saved: “{tie.title}” is now TMDB film {other}.")
    expect(panel.locator("#matches-count")).to_have_text("2 films to check")
    tie_movie.refresh_from_db()
    assert (tie_movie.tmdb_id, tie_movie.match_method) == (other, "hand")

    # An id TMDB does not have: the API's reason, in place; nothing changes.
    api_detail = requests.put(
        f"{live_server.url}/api/session/{session_id}/movies/{nobody.pk}/match",
        json={"tmdb_id": 987654321}, timeout=10,
    )  # fmt: skip
    nobody_form.locator("input[name=tmdb_id]").fill("987654321")
    nobody_form.get_by_role("button", name="Save").click()
    # The message about the id itself, without the field name the API's detail puts before it.
    assert api_detail.json()["detail"].startswith("tmdb_id: ")
    reason = api_detail.json()["errors"]["tmdb_id"]
    reason = reason if isinstance(reason, str) else reason[0]
    expect(nobody_form.locator(".match-error")).to_have_text(f"Not saved: {reason}")
    expect(page.locator("#progress-text")).to_contain_text("1 not found")

    # A right id: the counts and the TMDB-based statistics follow at once.
    right = sorted(fake_tmdb.films)[20]
    nobody_form.locator("input[name=tmdb_id]").fill(str(right))
    nobody_form.get_by_role("button", name="Save").click()
    expect(page.locator("#progress-text")).to_have_text("12 of 12 films looked up · 1 TV")
    expect(page.locator("#tmdb-basis")).to_have_text("based on 11 of 11 films")
    expect(panel.locator("#matches-count")).to_have_text("1 film to check")
    nobody.refresh_from_db()
    assert (nobody.tmdb_id, nobody.enrichment_status) == (right, "enriched")

    # The year drives every figure and the share card.
    films_tile = page.locator("#totals div").filter(has_text="films").first
    expect(films_tile.locator("dd").first).to_have_text("11")
    card = page.locator("#card-image")
    # `v` names the reading of the figures the card shows (read again when they change).
    expect(card).to_have_attribute("src", re.compile(rf"^/api/session/{session_id}/card\.svg\?v="))
    with page.expect_response(re.compile(r"/analytics\?year=2023")):
        page.select_option("#year-select", "2023")
    expect(films_tile.locator("dd").first).to_have_text("4")
    expect(films_tile.locator(".tile-note")).to_have_text("seen in 2023 · −2 vs 2022")
    expect(card).to_have_attribute("src", re.compile(rf"^/api/session/{session_id}/card\.svg\?year=2023&v="))
    png = f"/api/session/{session_id}/card.png?year=2023"
    expect(page.locator("#card-png")).to_have_attribute("href", png)
    assert image_width(card) == 1200
    # One column per Monday-started week touching 2023: from Monday 2022-12-26 to Monday 2023-12-25.
    expect(page.locator("#chart-per-week svg rect")).to_have_count(53)
    expect(page.locator("[data-based-on=genres]")).to_have_text("based on 4 films")

    # Fits a phone, the panel included.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The refused id's 400 is the one console message, which Chromium logs by itself.
    assert page.record.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
