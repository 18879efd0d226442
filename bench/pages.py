"""Benchmark: the session page of a 3,000-film session: server time, bytes of a first visit, screenshots.

Builds, in a throw-away database, a completed session like a big real export
(3,000 enriched films, 2,500 diary entries; bench/apibench.py) and a second one
half enriched. Then:

1. Server time, through Django's test client, --runs times each (medians): the
   page itself and every request its first visit makes (status, analytics with the
   cache emptied, the first page of films, the diary days, the matches to check,
   the share card). Goal: the whole first
   visit at most 300 ms of server time, uncached.
2. Bytes a first visit downloads, measured in headless Chromium (Debian's) against
   the app served like production (whitenoise, compressed static files) on
   127.0.0.1:18111. Goal: at most 500 KB (the bench films have no posters).
3. Screenshots at 1400 and 390 px wide under bench/out/: the home page, the
   session while enriching, the completed session's matches to check (three made
   so), the page's head with its share panel, a diary entry naming two films and the rows
   skipped, statistics and the Pro-parity sections (all time and the latest year), share card
   and film list.

Production settings (DEBUG off); TMDB in stand-in mode, as `make run` without a
key, so the demo banner shows. The machine may be shared: load average printed.

    .venv/bin/python bench/pages.py [--runs 7] [--films 3000] [--diary 2500]
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.analytics import against_goal, report
from bench.apibench import ROOT, create_session, setup_django, throwaway_database

GOAL_SERVER_MS = 300
GOAL_FIRST_VISIT_KB = 500
PORT = 18111
WIDTHS = (1400, 390)
OUT = ROOT / "bench" / "out"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
CHROMIUM_ARGS += ["--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def half_enriched(session):
    """Make the second half of a session's films pending again, as while enrichment runs."""
    from movies.models import Movie

    movies = Movie.objects.filter(session=session).order_by("id")
    pending = movies.values_list("id", flat=True)[session.total_movies // 2 :]
    Movie.objects.filter(id__in=list(pending)).update(
        enrichment_status=Movie.EnrichmentStatus.PENDING, tmdb_id=None, genres=[], directors=[], cast=[],
        runtime=None, popularity=None, vote_average=None, original_language="", country="",
        production_countries=[],
    )  # fmt: skip
    session.status = session.Status.ENRICHING
    session.enriched_count = session.total_movies - len(pending)
    session.completed_at = None
    session.save()


def some_to_check(session):
    """Give a completed session what real ones have: an unsure tie, a film TMDB lacks, a TV entry."""
    from movies.models import Movie

    unsure, absent, tv = Movie.objects.filter(session=session).order_by("id")[:3]
    candidates = [
        {"tmdb_id": unsure.tmdb_id, "title": unsure.title, "year": unsure.year, "votes": 14},
        {"tmdb_id": 9_999_001, "title": unsure.title, "year": unsure.year, "votes": 12},
    ]
    Movie.objects.filter(pk=unsure.pk).update(
        match_method="exact_year", match_confidence=0.45, match_candidates=candidates
    )
    no_data = {"tmdb_id": None, "genres": [], "directors": [], "cast": [], "runtime": None}
    Movie.objects.filter(pk=absent.pk).update(
        enrichment_status=Movie.EnrichmentStatus.NOT_FOUND, match_confidence=None, **no_data,
        match_reason=f"No TMDB film is called “{absent.title}” within a year of {absent.year}.",
    )  # fmt: skip
    Movie.objects.filter(pk=tv.pk).update(
        enrichment_status=Movie.EnrichmentStatus.TV, tmdb_tv_id=500_001, match_method="tv",
        match_confidence=0.85, **no_data,
    )  # fmt: skip
    session.enriched_count -= 2
    session.not_found_count += 1
    session.tv_count += 1
    session.save()
    left_out(session)


def left_out(session):
    """What the page must not leave out silently: a diary entry naming two films (a pair sharing
    Name and Year), rows skipped while reading; and the member's lists."""
    from movies.models import AmbiguousEntry, FilmList, FilmListEntry, Movie

    movies = list(Movie.objects.filter(session=session, enrichment_status="enriched").order_by("id")[3:40])
    twin, other = movies[0], movies[1]
    Movie.objects.filter(pk=other.pk).update(title=twin.title, year=twin.year)
    AmbiguousEntry.objects.create(
        session=session, file="diary.csv", title=twin.title, year=twin.year, watched_date=date(2024, 3, 3),
        rating=Decimal("3.5"),
    )  # fmt: skip
    session.upload_metadata = {
        "skipped_rows": {
            "total": 2,
            "by_reason": {"bad_date": 1, "bad_rating": 1},
            "rows": [
                {"file": "watched.csv", "row": 812, "title": "Some Film", "reason": "bad_date"},
                {"file": "ratings.csv", "row": 40, "title": "Other Film", "reason": "bad_rating"},
            ],
        }
    }
    session.save(update_fields=["upload_metadata"])
    for number, name in enumerate(["Favourites", "Nineties", "To show friends"]):
        film_list = FilmList.objects.create(session=session, name=name, url=f"https://boxd.it/list{number}")
        FilmListEntry.objects.bulk_create(
            FilmListEntry(
                film_list=film_list, position=position, title=movie.title, year=movie.year, key=movie.key
            )
            for position, movie in enumerate(movies[2 : 12 + 8 * number], start=1)
        )


def first_visit_urls(session):
    api = f"/api/session/{session.pk}"
    return {
        "page /s/<id>/": f"/s/{session.pk}/",
        "status": f"{api}/status",
        "analytics (uncached)": f"{api}/analytics",
        "movies, first page": f"{api}/movies?page=1&per_page=25&ordering=title",
        "diary days": f"/s/{session.pk}/diary-days.json",
        "matches to check": f"{api}/matches",
        "session (skipped rows)": api,
        "ambiguous diary entries": f"{api}/ambiguous-entries",
        "share card (SVG)": f"{api}/card.svg",
    }


def server_times(session, runs):
    """Median milliseconds of each request of a first visit, and of their sum, the analytics uncached."""
    from django.core.cache import cache
    from django.test import Client

    from movies.selectors import analytics_cache_key

    client = Client(HTTP_HOST="127.0.0.1")
    urls = first_visit_urls(session)
    times = {label: [] for label in urls}
    for run in range(runs + 1):  # the first run warms up imports and connections
        cache.delete(analytics_cache_key(session))
        for label, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if run:
                times[label].append(elapsed)
    totals = [sum(values) for values in zip(*times.values(), strict=True)]
    return times, totals


def serve():
    """The WSGI app as production runs it (whitenoise, compressed static files), from a thread."""
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    call_command("collectstatic", interactive=False, verbosity=0)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", PORT), QuietHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Visit:
    """Bytes (headers and bodies, as sent) of every response a page loads."""

    def __init__(self, page):
        self.responses = []
        page.on("requestfinished", lambda request: self.responses.append(request))

    def kilobytes(self):
        total = 0
        for request in self.responses:
            sizes = request.sizes()
            total += max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
        return total / 1024


def new_page(context):
    """A page that reports its script errors: a screenshot of a broken page measures nothing."""
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and print("console error:", message.text))
    page.on("pageerror", lambda error: print("page error:", error))
    return page


def card_loaded(page):
    """Wait for the share card's picture (polled from here: the strict CSP forbids wait_for_function)."""
    for _ in range(200):
        if page.locator("#card-image").evaluate("img => img.complete && img.naturalWidth > 0"):
            return
        page.wait_for_timeout(50)
    raise RuntimeError("the share card did not load")


def browse(completed, enriching):
    """Bytes of first visits, and the screenshots; returns {label: kilobytes}."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{PORT}"
    OUT.mkdir(parents=True, exist_ok=True)
    downloaded = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, base_url=base)
            page = new_page(context)
            visit = Visit(page)
            page.goto("/", wait_until="networkidle")
            downloaded.setdefault("first visit of /", visit.kilobytes())
            page.screenshot(path=OUT / f"home-{width}.png", full_page=True)

            page.goto(f"/s/{enriching.pk}/")
            page.wait_for_selector("#tmdb-basis:has-text('so far')")
            page.wait_for_selector("#chart-calendar svg")
            page.screenshot(path=OUT / f"enriching-{width}.png", full_page=True)

            page = new_page(context)  # a fresh page, so the count is one first visit's
            visit = Visit(page)
            page.goto(f"/s/{completed.pk}/")
            page.wait_for_selector("#progress.done")
            page.wait_for_selector("#film-list li")
            page.wait_for_selector("#chart-calendar svg")
            page.wait_for_load_state("networkidle")
            downloaded.setdefault("first visit of /s/<id>/ (3,000 films)", visit.kilobytes())
            page.wait_for_selector("#matches-list li")
            card_loaded(page)
            page.locator("#matches").screenshot(path=OUT / f"matches-{width}.png")
            page.locator("section.head").screenshot(path=OUT / f"head-share-{width}.png")
            page.wait_for_selector("#ambiguous-list li")
            page.locator("#ambiguous").screenshot(path=OUT / f"ambiguous-{width}.png")
            page.locator("#skipped summary").click()
            page.locator("#skipped").screenshot(path=OUT / f"skipped-{width}.png")
            page.locator("#stats details.counting summary").click()
            page.locator("#stats").screenshot(path=OUT / f"stats-{width}.png")
            page.locator("#pro").screenshot(path=OUT / f"pro-{width}.png")
            page.locator("#card").screenshot(path=OUT / f"card-{width}.png")
            latest = page.locator("#year-select option").nth(1).get_attribute("value")  # the latest year
            with page.expect_response(re.compile(rf"/analytics\?year={latest}$")):
                page.select_option("#year-select", latest)
            card_loaded(page)
            page.locator("#stats").screenshot(path=OUT / f"stats-year-{width}.png")
            page.locator("#pro").screenshot(path=OUT / f"pro-year-{width}.png")
            page.locator("#film-list summary").first.click()
            page.locator("#films").screenshot(path=OUT / f"films-{width}.png")
            context.close()
        browser.close()
    return downloaded


def report_kilobytes(label, kilobytes, goal=None):
    print(f"{label:44} {kilobytes:7.1f} KB" + against_goal(kilobytes, goal, "KB"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--films", type=int, default=3000)
    parser.add_argument("--diary", type=int, default=2500)
    args = parser.parse_args()

    os.environ.setdefault("CONN_MAX_AGE", "0")  # the server's request threads leave no connection behind
    os.environ.setdefault("TMDB_API_BASE_URL", f"http://127.0.0.1:{PORT + 1}/3")  # stand-in mode
    settings = setup_django()
    settings.API_READ_RATE_LIMIT = (10**9, 60)  # one client sends everything: count, never refuse
    # Before any page renders: the static files storage keeps the location it first saw.
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="bench-pages-static-")

    with throwaway_database("bench_pages"):
        completed = create_session(films=args.films, diary_entries=args.diary)
        enriching = create_session(films=args.films, diary_entries=args.diary, seed=2)
        some_to_check(completed)
        half_enriched(enriching)
        print(f"{args.films} films, {args.diary} diary entries; load average {os.getloadavg()[0]:.2f}")
        times, totals = server_times(completed, args.runs)
        server = serve()
        # Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            downloaded = browse(completed, enriching)
        finally:
            server.shutdown()
            server.server_close()
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(settings.STATIC_ROOT)

    print("Server time of a first visit of the completed session's page (Django test client):")
    for label, values in times.items():
        report(f"  {label}", values)
    report("  the whole first visit", totals, GOAL_SERVER_MS)
    print("Bytes downloaded (headless Chromium, no posters):")
    for label, kilobytes in downloaded.items():
        report_kilobytes(f"  {label}", kilobytes, GOAL_FIRST_VISIT_KB if "/s/" in label else None)
    print(f"Screenshots in {OUT}")


if __name__ == "__main__":
    main()
