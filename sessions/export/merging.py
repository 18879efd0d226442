"""Merge the validated rows of each file into one FilmRecord per film, with its viewings."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from sessions.export.rows import Row


@dataclass
class Viewing:
    """One diary entry."""

    letterboxd_uri: str
    logged_date: date | None
    watched_date: date | None
    rating: Decimal | None
    rewatch: bool
    tags: list[str]
    review: str = ""


@dataclass
class FilmRecord:
    """Everything the export says about one film."""

    key: str
    title: str
    year: int | None
    letterboxd_uri: str
    rating: Decimal | None = None
    marked_watched_on: date | None = None
    liked: bool = False
    viewings: list[Viewing] = field(default_factory=list)
    # (logged date, review) of every review of the film, dated or not.
    reviews: list[tuple[date | None, str]] = field(default_factory=list)

    @property
    def watched_date(self):
        dates = [viewing.watched_date for viewing in self.viewings if viewing.watched_date]
        return min(dates) if dates else self.marked_watched_on

    @property
    def rewatch(self):
        return any(viewing.rewatch for viewing in self.viewings)

    @property
    def tags(self):
        return list(dict.fromkeys(tag for viewing in self.viewings for tag in viewing.tags))

    @property
    def review(self):
        if not self.reviews:
            return ""
        # The latest by logged date; among equal dates the later row, as the export lists them in order.
        return max(enumerate(self.reviews), key=lambda item: (item[1][0] or date.min, item[0]))[1][1]


@dataclass
class UnplacedViewing:
    """A diary entry naming several films (same Name and Year): kept for the member to place."""

    file: str
    title: str
    year: int | None
    viewing: Viewing


@dataclass
class ParsedExport:
    films: list[FilmRecord]
    metadata: dict
    # watchlist.csv rows (title, year, uri, date added): stored for statistics, never enriched.
    watchlist: list[Row] = field(default_factory=list)
    unplaced: list[UnplacedViewing] = field(default_factory=list)
    # lists/*.csv: sessions.export.lists.FilmList, each with its films' keys.
    lists: list = field(default_factory=list)


def film_key(uri):
    """One key per film: boxd.it short links as they are, legacy letterboxd.com/film/<slug>/ normalised."""
    parts = urlsplit(uri.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if host == "letterboxd.com":
        # Slugs are lower case; boxd.it codes are case-sensitive and stay as they are.
        return f"https://letterboxd.com{path.lower()}/"
    if host:
        return f"https://{host}{path}"
    return uri.strip()


def _film_slug(uri):
    """The film's slug in a legacy letterboxd.com URI (film or diary entry), else None."""
    parts = [part for part in urlsplit(uri).path.lower().split("/") if part]
    return parts[parts.index("film") + 1] if "film" in parts[:-1] else None


def name_year_key(row):
    return f"{row.title} ({row.year})" if row.year else row.title


class FilmMerger:
    """Builds one FilmRecord per film from the rows of each file, in the order films first, then viewings."""

    def __init__(self):
        self.films = {}
        self.by_name_year = defaultdict(list)
        self.viewings_by_uri = {}
        self.ambiguous = []
        self.unplaced = []

    def film_for(self, row):
        """The film a watched/ratings/likes row names, by its URI (or Name+Year when it has none)."""
        if row.uri:
            key = film_key(row.uri)
            return self._film(key, row, letterboxd_uri=key)
        return self._film(name_year_key(row), row, letterboxd_uri="")

    def _film(self, key, row, letterboxd_uri):
        film = self.films.get(key)
        if film is None:
            film = FilmRecord(key=key, title=row.title, year=row.year, letterboxd_uri=letterboxd_uri)
            self.films[key] = film
            self.by_name_year[(row.title, row.year)].append(film)
        return film

    def film_by_name_year(self, row, file_name):
        """The film a diary/reviews row names: their URIs are diary entries, so join by (Name, Year)."""
        candidates = self.by_name_year.get((row.title, row.year))
        if not candidates:
            return self._film(name_year_key(row), row, letterboxd_uri="")
        if len(candidates) == 1:
            return candidates[0]
        # Legacy entry URIs (letterboxd.com/<user>/film/<slug>/) still name the film.
        slug = _film_slug(row.uri)
        matching = [film for film in candidates if slug and _film_slug(film.letterboxd_uri) == slug]
        if len(matching) == 1:
            return matching[0]
        self.ambiguous.append(
            {
                "file": file_name,
                "title": row.title,
                "year": row.year,
                "date": str(row.watched_date or row.date or ""),
            }
        )
        return None

    def add_watched(self, row, _file):
        film = self.film_for(row)
        if row.date and (film.marked_watched_on is None or row.date < film.marked_watched_on):
            film.marked_watched_on = row.date

    def add_rating(self, row, _file):
        self.film_for(row).rating = row.rating

    def add_like(self, row, _file):
        self.film_for(row).liked = True

    def add_diary_entry(self, row, file_name):
        film = self.film_by_name_year(row, file_name)
        viewing = Viewing(
            letterboxd_uri=row.uri,
            logged_date=row.date,
            watched_date=row.watched_date,
            rating=row.rating,
            rewatch=row.rewatch,
            tags=row.tags,
        )
        if film is None:
            # Not dropped: kept whole (its review joins it below) for the member to tie to a film.
            self.unplaced.append(UnplacedViewing(file_name, row.title, row.year, viewing))
        else:
            film.viewings.append(viewing)
        if row.uri:
            self.viewings_by_uri[row.uri] = (film, viewing)

    def add_review(self, row, file_name):
        """A review joins its diary entry by URI; a review without one still belongs to its film."""
        film, viewing = self.viewings_by_uri.get(row.uri, (None, None)) if row.uri else (None, None)
        if viewing is not None:
            viewing.review = row.review
            if film is None:
                return  # the review of an unplaced diary entry: it travels with the entry
        else:
            film = self.film_by_name_year(row, file_name)
            if film is None:
                return
        film.reviews.append((row.date, row.review))
