"""A real headless Chromium (Debian's package) driven by Playwright, recording what each page does."""

import os
import shutil
import threading
import time
from urllib.parse import urlsplit

import pytest
from django.db import connection

from enrichment.tests.conftest import fake_tmdb, fake_tmdb_server  # noqa: F401  shared TMDB stand-in


def pytest_collection_modifyitems(items):
    """Tests that drive Chromium are marked ``browser``: `make test-fast` leaves them out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# This machine's network is closed, and Chromium must not phone home anyway; as root it needs --no-sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make in it are plain
    # synchronous calls, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    # Assertions retry until this long: a page waiting on a busy machine's worker is not a fault.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageRecord:
    """Every request a page sent and every console error or uncaught exception it had."""

    def __init__(self, page):
        self.requests, self.methods, self.errors = [], [], []
        page.on("request", self._sent)
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _sent(self, request):
        self.requests.append(request.url)
        self.methods.append(request.method)

    def sent_after(self, method, url):
        """The URLs requested after the first `method` request of `url`."""
        sent = list(zip(self.methods, self.requests, strict=True))
        return self.requests[sent.index((method, url)) + 1 :]

    def hosts(self):
        return {urlsplit(url).netloc for url in self.requests if urlsplit(url).scheme in ("http", "https")}


def open_page(browser, live_server, **context_options):
    """A page of its own browser context on the live server, at a laptop's size."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, **context_options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def close_page(page, quiet_within=15.0):
    """Close the page's context, then wait for the live server to finish what it was still answering.

    Closing a page does not stop a request already inside the server: a query still reading the tables
    when the test database is flushed deadlocks with the flush's TRUNCATE (seen on a busy machine).
    """
    page.context.close()
    deadline = time.monotonic() + quiet_within
    while time.monotonic() < deadline and busy_database_connections():
        time.sleep(0.05)


def busy_database_connections():
    """Other connections to the test database that are running a query or hold a transaction open."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state <> 'idle'"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def page(browser, live_server):
    page = open_page(browser, live_server)
    page.record = PageRecord(page)
    yield page
    close_page(page)


@pytest.fixture
def beat():
    """Starts an idle pass (enrichment's use_idle_budget) every 0.3 s while the test runs: the beat's
    job, which sends one every 5 s in production."""
    from enrichment import tasks

    stop = threading.Event()

    def run():
        while not stop.wait(0.3):
            tasks.use_idle_budget.delay()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()
