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


def pro_session():
    from movies.models import FilmList, FilmListEntry

    session = SessionFactory(status=Session.Status.COMPLETED, total_movies=6, enriched_count=6)
    for number, rating in enumerate(["4", "4", "5", "3", "4", "2"]):
        movie = EnrichedMovieFactory(
            session=session, title=f"Drama {number}", year=1990 + number * 5, rating=Decimal(rating),
            genres=["Drama"], directors=["Ann Dir"],
        )  # fmt: skip
        WatchFactory(movie=movie, watched_date=date(2023, 1, 2 + number))
    favourites = FilmList.objects.create(session=session, name="Favourites", url="https://boxd.it/lst1")
    FilmListEntry.objects.create(film_list=favourites, position=1, title="Drama 2", year=2000, key="x")
    return session


def test_the_pro_parity_sections_are_drawn(page, live_server):
    session = pro_session()
    page.goto(f"/s/{session.pk}/")

    pro = page.locator("#pro")
    # (4 + 4 + 5 + 3 + 4 + 2) / 6 = 3.67 over six rated films: above the minimum of five.
    expect(pro.locator("#highest-rated section").filter(has_text="Genres").locator("li")).to_have_text(
        "Drama · 3.7★ · 6 films"
    )
    expect(pro.locator("#highest-rated section").filter(has_text="Directors").locator("li")).to_have_text(
        "Ann Dir · 3.7★ · 6 films"
    )
    expect(pro.locator("#highest-minimum")).to_contain_text("at least 5 rated films")
    # 1990 to 2015: every year a column, the films' years among them.
    expect(pro.locator("#chart-release-years svg rect")).to_have_count(26)
    expect(pro.locator("#list-top-films li").first).to_contain_text("Drama 2 (2000) · 5★")
    expect(pro.locator("#list-lists li")).to_have_text("Favourites · 1 film")
    expect(page.locator("#rhythm-tiles div").filter(has_text="films per week on average")).to_be_visible()

    page.locator("#year-select").select_option("2023")
    expect(pro.locator("#released-title")).to_have_text("Released in 2023")
    # Nothing to list: the section folds into the line under its grid, saying why.
    expect(pro.locator("#released-box")).to_be_hidden()
    none = "Released in 2023: none of the films you saw in 2023 came out that year"
    expect(pro.locator("p.folded").last).to_contain_text(none)
    assert page.record.errors == []


def card_figure(page, src, label):
    """The figure the card at `src` writes above `label` (its text elements in order)."""
    texts = re.findall(r">([^<]*)</text>", page.request.get(src).text())
    return texts[texts.index(label) - 1]


def test_the_share_card_is_read_again_as_enrichment_moves(page, live_server):
    session = SessionFactory(status=Session.Status.ENRICHING, total_movies=3, enriched_count=1)
    EnrichedMovieFactory(session=session, title="Looked Up", runtime=120)
    pending = [
        EnrichedMovieFactory(session=session, title=f"Pending {n}", enrichment_status="pending", runtime=None)
        for n in range(2)
    ]
    page.goto(f"/s/{session.pk}/")
    card = page.locator("#card-image")
    expect(card).to_have_attribute("src", re.compile(r"card\.svg"))
    before = card.get_attribute("src")
    assert card_figure(page, before, "hours") == "2"  # 120 minutes: the film looked up so far

    # One more film looked up, the session still enriching: the card is read again, and says so.
    pending[0].enrichment_status, pending[0].runtime = "enriched", 240
    pending[0].save()
    Session.objects.filter(pk=session.pk).update(enriched_count=2)

    expect(card).not_to_have_attribute("src", before)
    assert card_figure(page, card.get_attribute("src"), "hours") == "6"  # (120 + 240) / 60
    assert Session.objects.get(pk=session.pk).status == Session.Status.ENRICHING
    expect(page.locator("#card-png")).to_have_attribute("download", "letterboxd-stats-all-time.png")
