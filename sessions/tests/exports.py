"""Letterboxd exports for tests and benchmarks, written with the real layout and quirks.

An export is a list of films (watched.csv, ratings.csv, likes/films.csv), diary entries
(diary.csv, reviews.csv) and watchlist films. It writes every file a real export has,
including the decoys (deleted/, orphaned/, likes/reviews.csv, lists/) that share headers
with the root files and must be ignored, and profile.csv with personal data that must
never be stored. CRLF line endings (also inside quoted reviews) unless told otherwise.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

FILM_HEADER = ["Date", "Name", "Year", "Letterboxd URI"]
DIARY_HEADER = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
REVIEW_HEADER = [
    "Date",
    "Name",
    "Year",
    "Letterboxd URI",
    "Rating",
    "Rewatch",
    "Review",
    "Tags",
    "Watched Date",
]
PROFILE_EMAIL = "private.person@example.org"
LOOSE_NAMES = {
    "watched.csv": "watched.csv",
    "ratings.csv": "ratings.csv",
    "diary.csv": "diary.csv",
    "reviews.csv": "reviews.csv",
    "watchlist.csv": "watchlist.csv",
    "likes/films.csv": "films.csv",
}
BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rating_text(halves):
    """A rating as exports write it: "4", not "4.0"."""
    return f"{halves / 2:g}"


def short_code(number):
    """A boxd.it-style code: mixed case, as the real ones are."""
    code = ""
    while True:
        number, digit = divmod(number, 62)
        code = BASE62[digit] + code
        if not number:
            return code


@dataclass
class ExportFilm:
    name: str
    year: str
    uri: str
    watched_on: str = "2023-03-04"
    rating: str = ""
    liked: bool = False
    # A film only liked is in likes/films.csv but not in watched.csv.
    in_watched: bool = True


@dataclass
class DiaryEntry:
    film: ExportFilm
    uri: str
    watched_date: str
    logged: str
    rating: str = ""
    rewatch: bool = False
    tags: str = ""
    review: str = ""
    # A review logged without a date is in reviews.csv but not in diary.csv.
    in_diary: bool = True


class ExportFilmFactory(factory.Factory):
    class Meta:
        model = ExportFilm

    name = factory.Sequence(lambda n: f"Film number {n}")
    year = factory.Sequence(lambda n: str(1950 + n % 70))
    uri = factory.Sequence(lambda n: f"https://boxd.it/{short_code(n + 1000)}")


class DiaryEntryFactory(factory.Factory):
    class Meta:
        model = DiaryEntry

    film = factory.SubFactory(ExportFilmFactory)
    uri = factory.Sequence(lambda n: f"https://boxd.it/{short_code(n + 10_000_000)}")
    watched_date = factory.Sequence(lambda n: f"2022-{1 + n % 12:02d}-{1 + n % 28:02d}")
    logged = factory.LazyAttribute(lambda entry: entry.watched_date)


@dataclass
class LetterboxdExport:
    films: list[ExportFilm] = field(default_factory=list)
    diary: list[DiaryEntry] = field(default_factory=list)
    watchlist: list[ExportFilm] = field(default_factory=list)
    line_ending: str = "\r\n"
    bom: bool = False
    # Older exports have no Rewatch column.
    with_rewatch: bool = True
    # lists/<slug>.csv: list name to its films, in order.
    lists: dict = field(default_factory=dict)

    def film(self, **fields):
        film = ExportFilmFactory(**fields)
        self.films.append(film)
        return film

    def viewing(self, film, **fields):
        entry = DiaryEntryFactory(film=film, **fields)
        self.diary.append(entry)
        return entry

    def files(self):
        """Every file of the export by its path, as bytes."""
        films = self.films
        watched = [film for film in films if film.in_watched]
        diary_header = [name for name in DIARY_HEADER if self.with_rewatch or name != "Rewatch"]
        review_header = [name for name in REVIEW_HEADER if self.with_rewatch or name != "Rewatch"]
        reviewed = [entry for entry in self.diary if entry.review]
        diary = [entry for entry in self.diary if entry.in_diary]
        decoy_diary = [self._diary_row(entry, diary_header) for entry in diary[:1]]
        decoy_films = [self._film_row(film) for film in films[:2]]
        return {
            "profile.csv": self._csv(
                ["Date Joined", "Username", "Given Name", "Family Name", "Email Address", "Bio"],
                [["2019-03-11", "someone", "Private", "Person", PROFILE_EMAIL, "Line one\nline two"]],
            ),
            "watched.csv": self._csv(FILM_HEADER, [self._film_row(film) for film in watched]),
            "ratings.csv": self._csv(
                [*FILM_HEADER, "Rating"],
                [[*self._film_row(film), film.rating] for film in films if film.rating],
            ),
            "diary.csv": self._csv(diary_header, [self._diary_row(entry, diary_header) for entry in diary]),
            "reviews.csv": self._csv(
                review_header, [self._diary_row(entry, review_header) for entry in reviewed]
            ),
            "watchlist.csv": self._csv(FILM_HEADER, [self._film_row(film) for film in self.watchlist]),
            "likes/films.csv": self._csv(FILM_HEADER, [self._film_row(film) for film in films if film.liked]),
            "comments.csv": self._csv(["Date", "Content", "Comment"], [["2023-01-01", "x", "Nice, really"]]),
            # Same headers as the root files: a reader choosing files by base name or header counts them.
            "deleted/diary.csv": self._csv(diary_header, decoy_diary),
            "orphaned/diary.csv": self._csv(diary_header, decoy_diary),
            "deleted/reviews.csv": self._csv(review_header, []),
            "likes/reviews.csv": self._csv(FILM_HEADER, decoy_films),
            "likes/lists.csv": self._csv(FILM_HEADER, []),
            "lists/favourites.csv": self._csv(
                ["Date", "Name", "Tags", "URL"], [["2023-01-01", "Faves", "", ""]]
            ),
            "deleted/lists/old.csv": self._csv(FILM_HEADER, decoy_films),
            **{
                f"lists/{name.lower().replace(' ', '-')}.csv": self._list(name, films)
                for name, films in self.lists.items()
            },
        }

    def zip_bytes(self, top_folder="", extra=None):
        """The export as Letterboxd serves it (files at the root), or re-zipped inside one folder."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, content in {**self.files(), **(extra or {})}.items():
                archive.writestr(top_folder + path, content)
        return buffer.getvalue()

    def zip_upload(self, name="letterboxd-someone-2024-04-01-10-00-utc.zip", **options):
        return SimpleUploadedFile(name, self.zip_bytes(**options), content_type="application/zip")

    def csv_uploads(self, paths=tuple(LOOSE_NAMES)):
        """Loose CSVs as a browser sends them: base names only, so likes/films.csv arrives as films.csv."""
        files = self.files()
        return [SimpleUploadedFile(LOOSE_NAMES[path], files[path], content_type="text/csv") for path in paths]

    def _list(self, name, films):
        """A list file as Letterboxd writes it: a preamble, the list's own row, then its films."""
        preamble = self._csv(
            ["Date", "Name", "Tags", "URL", "Description"], [["2022-06-04", name, "", "", "Mine"]]
        )
        entries = self._csv(
            ["Position", "Name", "Year", "URL", "Description"],
            [[str(number), film.name, film.year, film.uri, ""] for number, film in enumerate(films, start=1)],
        )
        return (
            b"Letterboxd list export v7"
            + self.line_ending.encode()
            + preamble
            + self.line_ending.encode()
            + entries
        )

    def _csv(self, header, rows):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator=self.line_ending)
        writer.writerow(header)
        for row in rows:
            writer.writerow([value.replace("\n", self.line_ending) for value in row])
        return ("\ufeff" if self.bom else "").encode() + buffer.getvalue().encode()

    @staticmethod
    def _film_row(film):
        return [film.watched_on, film.name, film.year, film.uri]

    @staticmethod
    def _diary_row(entry, header):
        values = {
            "Date": entry.logged,
            "Name": entry.film.name,
            "Year": entry.film.year,
            "Letterboxd URI": entry.uri,
            "Rating": entry.rating,
            "Rewatch": "Yes" if entry.rewatch else "",
            "Tags": entry.tags,
            "Review": entry.review,
            "Watched Date": entry.watched_date,
        }
        return [values[name] for name in header]


def generated_export(film_count, diary_count):
    """A plain export of many films, for volume: every film rated, one in three liked, and
    diary entries over two thirds of the films, so that the rest of the entries are rewatches."""
    export = LetterboxdExport()
    films = [
        export.film(rating=rating_text(1 + n % 10), liked=n % 3 == 0, watched_on=f"2021-{1 + n % 12:02d}-15")
        for n in range(film_count)
    ]
    viewed = max(1, film_count * 2 // 3)
    for n in range(diary_count):
        export.viewing(
            films[n % viewed],
            rating=rating_text(1 + n % 10),
            rewatch=n >= viewed,
            tags="cinema, friends" if n % 4 == 0 else "",
            review=f"Thoughts on viewing {n}.\nSecond paragraph, with a comma." if n % 10 == 0 else "",
        )
    return export
