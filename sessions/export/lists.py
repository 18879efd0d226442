"""The member's lists (lists/<slug>.csv): each file one list, a small preamble then its films.

    Letterboxd list export v7
    Date,Name,Tags,URL,Description
    2022-06-04,Mamá List,,https://boxd.it/gQJlM,Lista de filmes
    (blank)
    Position,Name,Year,URL,Description
    1,Planet of the Apes,1968,https://boxd.it/29p8,

A film's URL is its film URI (as in watched.csv), so it joins the session's films by key.
"""

from dataclasses import dataclass, field
from datetime import date

from sessions.export.merging import film_key
from sessions.export.rows import MAX_TITLE_LENGTH, MAX_URI_LENGTH, BadRow, is_letterboxd_uri

LIST_FOLDER = "lists/"
MAX_NAME_LENGTH = 300


@dataclass
class ListFilm:
    position: int
    title: str
    year: int | None
    key: str


@dataclass
class FilmList:
    name: str
    url: str
    created_on: date | None
    films: list[ListFilm] = field(default_factory=list)


def is_list_path(path):
    """lists/<slug>.csv at the export's root, not deleted/lists/ nor likes/lists.csv."""
    return path.startswith(LIST_FOLDER) and path.count("/") == 1 and path.lower().endswith(".csv")


def read_list(records):
    """A FilmList from a list file's records (the reader's, preamble first), or None when the file
    is not shaped like one. Film rows that are unusable raise nothing: they are returned apart as
    (row number, title, reason)."""
    records = list(records)
    heads = [index for index, values in enumerate(records) if values and values[0] in ("Date", "Position")]
    if len(heads) != 2 or records[heads[0]][0] != "Date" or heads[0] + 1 >= len(records):
        return None, []
    meta = _padded(records[heads[0] + 1], 4)
    film_list = FilmList(
        name=meta[1][:MAX_NAME_LENGTH], url=meta[3][:MAX_URI_LENGTH], created_on=_date(meta[0])
    )
    skipped = []
    for number, values in enumerate(records[heads[1] + 1 :], start=heads[1] + 2):
        position, title, year, url = _padded(values, 4)[:4]
        try:
            film_list.films.append(_film(position, title, year, url))
        except BadRow as bad:
            skipped.append((number, title, bad.reason))
    return film_list, skipped


def _film(position, title, year, url):
    if not title.strip():
        raise BadRow("missing_title")
    if not is_letterboxd_uri(url.strip()):
        raise BadRow("bad_uri")
    if len(title) > MAX_TITLE_LENGTH:
        raise BadRow("too_long")
    if not (position.isascii() and position.isdigit()) or (year and not (year.isascii() and year.isdigit())):
        raise BadRow("bad_year" if year and not year.isdigit() else "bad_position")
    return ListFilm(int(position), title, int(year) if year else None, film_key(url))


def _padded(values, count):
    return list(values) + [""] * (count - len(values))


def _date(text):
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
