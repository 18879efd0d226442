"""The page says what the figures leave out and lets the member fix it (issue 24), in headless Chromium."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from movies.models import AmbiguousEntry
from movies.tests.factories import EnrichedMovieFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def figure(page, label):
    """The value of the headline tile labelled so."""
    tile = page.locator("#totals div").filter(has=page.locator("dt", has_text=re.compile(f"^{label}$")))
    return tile.locator("dd").first


def twin_session():
    session = SessionFactory(status=Session.Status.COMPLETED, total_movies=3, enriched_count=3)
    for code, director in (("hamA", "Kenneth Branagh"), ("hamB", "Franco Zeffirelli")):
        EnrichedMovieFactory(
            session=session, title="Hamlet", year=1990, letterboxd_uri=f"https://boxd.it/{code}",
            directors=[director], key=f"https://boxd.it/{code}",
        )  # fmt: skip
    other = EnrichedMovieFactory(session=session, title="Other", year=2001)
    WatchFactory(movie=other, watched_date=date(2022, 5, 1))
    AmbiguousEntry.objects.create(
        session=session, file="diary.csv", title="Hamlet", year=1990, watched_date=date(2022, 3, 3),
        rating=Decimal("2"),
    )  # fmt: skip
    return session


def test_tying_an_ambiguous_diary_entry_to_its_film_moves_the_years_viewings(page, live_server):
    session = twin_session()
    page.goto(f"/s/{session.pk}/")
    expect(page.locator("#year-select option")).to_have_count(2)
    page.locator("#year-select").select_option("2022")
    expect(figure(page, "viewings")).to_have_text("1")

    section = page.locator("#ambiguous")
    expect(section.locator("h2")).to_have_text("1 diary entry could not be tied to one film")
    zeffirelli = section.locator("label.choice").filter(has_text="directed by Franco Zeffirelli")
    expect(zeffirelli.locator("a", has_text="on Letterboxd")).to_have_attribute(
        "href", "https://boxd.it/hamB"
    )
    zeffirelli.locator("input").check()
    section.get_by_role("button", name="Count it for this film").click()

    expect(figure(page, "viewings")).to_have_text("2")
    expect(figure(page, "films")).to_have_text("2")
    expect(section).to_be_hidden()
    placed = session.movies.get(letterboxd_uri="https://boxd.it/hamB")
    assert placed.watches.get().watched_date == date(2022, 3, 3)
    assert page.record.errors == []


def test_skipped_rows_are_listed_with_why(page, live_server):
    session = twin_session()
    session.upload_metadata = {
        "skipped_rows": {
            "total": 1,
            "by_reason": {"bad_date": 1},
            "rows": [{"file": "watched.csv", "row": 7, "title": "Broken", "reason": "bad_date"}],
        }
    }
    session.save(update_fields=["upload_metadata"])
    page.goto(f"/s/{session.pk}/")

    skipped = page.locator("#skipped")
    expect(skipped.locator("summary")).to_have_text("1 row of your export could not be read and is left out")
    skipped.locator("summary").click()
    why = "a date is not written YYYY-MM-DD"
    expect(skipped.locator("li")).to_have_text(f"watched.csv, row 7 (Broken): {why}")


def test_the_csv_for_letterboxds_importer_downloads(page, live_server):
    session = twin_session()
    page.goto(f"/s/{session.pk}/")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV for Letterboxd's importer").click()

    assert download.value.suggested_filename == f"letterboxd-import-{session.pk}.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "tmdbID,Title,Year,WatchedDate,Rating,Rewatch,Tags,Review"
    other = session.movies.get(title="Other")
    assert f"{other.tmdb_id},Other,2001,2022-05-01,,false,," in lines
