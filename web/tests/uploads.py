"""Letterboxd exports the browser tests upload through the home page."""

from enrichment.tests.conftest import catalog_film
from sessions.tests.exports import ExportFilmFactory, LetterboxdExport

ZIP_NAME = "letterboxd-someone-2024-04-01-10-00-utc.zip"
CATALOG_FILMS = 16


def export_zip(fake, tmp_path, watchlist=()):
    """An export of catalog films (found on TMDB) and one unknown film, viewed over two years, and
    the catalog films of indexes ``watchlist`` on its watchlist."""
    export = LetterboxdExport()
    for index in watchlist:
        title, year = catalog_film(fake, index)
        export.watchlist.append(ExportFilmFactory(name=title, year=str(year or ""), watched_on="2019-05-01"))
    for index in range(CATALOG_FILMS):
        title, year = catalog_film(fake, index)
        film = export.film(name=title, year=str(year or ""), rating=str(1 + index % 5))
        export.viewing(film, watched_date=f"{2022 + index % 2}-{1 + index % 12:02d}-{1 + index:02d}")
    export.film(name="A Film Nobody Has Heard Of", year="1911")
    path = tmp_path / ZIP_NAME
    path.write_bytes(export.zip_bytes())
    return path
