"""The design's single-page app as a client: its two requests, scripted over HTTP against a real worker.

It uploads, polls the status until `enriched_count == total_movies`, then loads the whole
library with `GET /api/session/{id}/movies?skip=0&limit=1000`.
"""

import time

import pytest

from enrichment.tests.conftest import catalog_film
from sessions.tests.exports import LetterboxdExport

pytestmark = pytest.mark.django_db(transaction=True)
FOUND = 60  # more than the default page of 50, which the SPA used to get


def spa_polls_until_done(client, session_id, timeout=90):
    """The SPA's loop: done when every film is counted in enriched_count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/api/session/{session_id}/status").json()
        if status["enriched_count"] == status["total_movies"]:
            return status
        time.sleep(0.2)
    raise AssertionError(f"the SPA never saw its progress complete: {status}")


def test_the_spa_reaches_100_percent_with_a_film_not_found_and_loads_every_film(
    client, fake_tmdb, celery_worker
):
    export = LetterboxdExport()
    for index in range(FOUND):
        title, year = catalog_film(fake_tmdb, index)
        export.film(name=title, year=str(year))
    export.film(name="Not A Real Film", year="1999")
    upload = client.post("/api/upload", {"files": [export.zip_upload()]})
    assert upload.status_code == 201, upload.content
    session_id = upload.json()["session_id"]

    status = spa_polls_until_done(client, session_id)

    assert status["total_movies"] == FOUND + 1
    assert (status["matched_count"], status["not_found_count"], status["failed_count"]) == (FOUND, 1, 0)
    assert status["progress_percent"] == 100.0  # the status turns completed when the chord's callback runs
    library = client.get(f"/api/session/{session_id}/movies?skip=0&limit=1000").json()
    assert len(library["movies"]) == library["total"] == FOUND + 1
    assert (library["per_page"], library["offset"], library["page"]) == (1000, 0, 1)
