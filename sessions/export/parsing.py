"""Read a Letterboxd export (the ZIP or its loose CSVs) and merge it into one record per film.

Pure Python, no ORM: the service stores what this returns. Limits are enforced while
reading, so a hostile upload is refused before it can grow memory. The format facts
this relies on are in DESIGN.md §2; the ones that bite are noted where they matter.
"""

import csv
import io
import stat
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

# Reviews can be long; the csv module's default of 128 KiB per field would refuse them.
csv.field_size_limit(4 * 1024 * 1024)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst")
# Deflate compresses CSV text about 5x; a member past this ratio is a bomb, not an export.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
EARLIEST_YEAR = 1870
# The sizes of the columns these land in (movies.models); a longer value is a bad row, not a crash.
MAX_TITLE_LENGTH, MAX_URI_LENGTH, MAX_TAG_LENGTH = 500, 300, 200
YEARS_AHEAD = 5

# The files we read, by their exact path in the export. Their headers (DESIGN.md §2) are
# not enough to tell them apart: watched, watchlist and likes/films share one header,
# and deleted/ and orphaned/ repeat the root ones.
WATCHED, RATINGS, DIARY, REVIEWS, WATCHLIST, LIKES = (
    "watched.csv",
    "ratings.csv",
    "diary.csv",
    "reviews.csv",
    "watchlist.csv",
    "likes/films.csv",
)
FILM_COLUMNS = ("Date", "Name", "Year", "Letterboxd URI")
REQUIRED_COLUMNS = {
    WATCHED: FILM_COLUMNS,
    RATINGS: (*FILM_COLUMNS, "Rating"),
    # Rewatch and Tags are missing from some older exports.
    DIARY: (*FILM_COLUMNS, "Rating", "Watched Date"),
    REVIEWS: (*FILM_COLUMNS, "Review"),
    WATCHLIST: FILM_COLUMNS,
    LIKES: FILM_COLUMNS,
}
# A loose upload only carries base names (browsers drop folders), so likes/films.csv is films.csv.
LOOSE_NAMES = {
    "watched.csv": WATCHED,
    "ratings.csv": RATINGS,
    "diary.csv": DIARY,
    "reviews.csv": REVIEWS,
    "watchlist.csv": WATCHLIST,
    "films.csv": LIKES,
    "likes.csv": LIKES,
}
# Personal data (e-mail, name): never read, never named in the session's metadata.
PROFILE = "profile.csv"


class UploadError(Exception):
    """The upload cannot be used; the message names the problem for the user."""


class UploadTooLarge(UploadError):
    """The upload is past one of the size limits."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_files: int
    max_rows: int


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
class ParsedExport:
    films: list[FilmRecord]
    metadata: dict
    # watchlist.csv rows (title, year, uri, date added): stored for statistics, never enriched.
    watchlist: list["Row"] = field(default_factory=list)


@dataclass
class Row:
    """A validated CSV row; the fields a file lacks are empty."""

    title: str
    year: int | None
    uri: str
    date: date | None
    rating: Decimal | None
    watched_date: date | None
    rewatch: bool
    tags: list[str]
    review: str


class BadRow(ValueError):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# --- Reading files, within the limits -------------------------------------------------------


class ByteBudget:
    """Bytes of CSV text the whole upload may unpack to."""

    def __init__(self, limit):
        self.limit = limit
        self.spent = 0

    def spend(self, count):
        self.spent += count
        if self.spent > self.limit:
            raise UploadTooLarge(f"The export unpacks to more than {format_size(self.limit)}, the limit.")


class LimitedReader(io.RawIOBase):
    """Counts bytes against the budget as they are read, and refuses binary content."""

    def __init__(self, stream, budget, name):
        self.stream = stream
        self.budget = budget
        self.name = name
        self.size = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.stream.read(len(buffer))
        if b"\x00" in chunk:
            raise UploadError(f"{self.name} holds NUL bytes: it is not UTF-8 CSV text.")
        self.budget.spend(len(chunk))
        self.size += len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


@dataclass
class CsvSource:
    """One export file we read: its path in the export, the name the user gave it, a way to open it."""

    path: str
    name: str
    open: Callable[[], BinaryIO]


class ExportReader:
    """Reads the chosen CSVs within the upload's limits, noting each file's size and row count."""

    def __init__(self, limits):
        self.limits = limits
        self.budget = ByteBudget(limits.max_uncompressed_bytes)
        self.total_rows = 0
        self.files = []

    def rows(self, source):
        """Yield each data row of one CSV as a dict by lower-case column name."""
        reader = LimitedReader(source.open(), self.budget, source.name)
        # strict: a quote left open is an error, not a field that swallows the rest of the file.
        text = io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8-sig", newline="")
        records = csv.reader(text, strict=True)
        rows, next_record_line = 0, 1  # where a broken record began, for the error message
        try:
            columns = self._columns(source, next(records, None))
            next_record_line = records.line_num + 1
            for values in records:
                next_record_line = records.line_num + 1
                if not values:
                    continue  # a blank line
                rows += 1
                self.total_rows += 1
                if self.total_rows > self.limits.max_rows:
                    raise UploadTooLarge(
                        f"The export has more than {self.limits.max_rows:,} rows, the limit."
                    )
                yield {name: values[index] if index < len(values) else "" for name, index in columns.items()}
        except UnicodeDecodeError as error:
            raise UploadError(f"{source.name} is not UTF-8 text: {error.reason} in its bytes.") from None
        except csv.Error as error:
            # The csv module's words for a quote still open at the end of the file.
            problem = "a quote opened here is never closed" if "end of data" in str(error) else error
            raise UploadError(
                f"{source.name} is not valid CSV (line {next_record_line}: {problem})."
            ) from None
        self.files.append({"name": source.path, "size": reader.size, "rows": rows})

    @staticmethod
    def _columns(source, header):
        if header is None:
            raise UploadError(f"{source.name} is empty: it has no header row.")
        columns = {name.strip().lower(): index for index, name in enumerate(header)}
        missing = [name for name in REQUIRED_COLUMNS[source.path] if name.lower() not in columns]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            raise UploadError(f"{source.name} is missing the column{plural} {', '.join(missing)}.")
        return columns


def format_size(count):
    """A byte count as people read it: 20 MB, 97.7 KB, 300 bytes."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


# --- Choosing the files -----------------------------------------------------------------------


def _is_zip(upload):
    upload.seek(0)
    magic = upload.read(4)
    upload.seek(0)
    return magic in ZIP_MAGIC


def collect_sources(uploads, limits, metadata):
    """The export files to read, by path, from one ZIP or from loose CSVs."""
    if not uploads:
        raise UploadError("No files: send the export ZIP or its CSV files in the field 'files'.")
    total = sum(upload.size for upload in uploads)
    if total > limits.max_bytes:
        raise UploadTooLarge(
            f"The upload is {format_size(total)}; the limit is {format_size(limits.max_bytes)}."
        )
    if len(uploads) > limits.max_files:
        raise UploadTooLarge(f"The upload has {len(uploads)} files; the limit is {limits.max_files}.")
    metadata["uploaded_files"] = [
        {"name": upload.name, "size": upload.size} for upload in uploads if upload.name.lower() != PROFILE
    ]
    zips = [upload for upload in uploads if _is_zip(upload)]
    if zips:
        if len(uploads) > 1:
            raise UploadError("Send either one export ZIP or its CSV files, not several ZIPs or both.")
        metadata["source"] = "zip"
        return _zip_sources(zips[0], limits, metadata)
    metadata["source"] = "csv"
    return _loose_sources(uploads, metadata)


def _loose_sources(uploads, metadata):
    sources = {}
    for upload in uploads:
        name = upload.name
        if name.lower().endswith(".zip"):
            raise UploadError(f"{name} is not a valid ZIP archive.")
        if not name.lower().endswith(".csv"):
            raise UploadError(f"{name} is not a CSV or ZIP file.")
        path = LOOSE_NAMES.get(name.lower())
        if path is None:
            if name.lower() != PROFILE:
                metadata["ignored_files"].append(name)
            continue
        if path in sources:
            raise UploadError(f"{name} was sent twice (or with {sources[path].name}): send each file once.")
        sources[path] = CsvSource(path, name, upload.open)
    if WATCHED not in sources:
        raise UploadError("watched.csv is required: send the export ZIP, or watched.csv with the other CSVs.")
    return sources


def _zip_sources(upload, limits, metadata):
    try:
        archive = zipfile.ZipFile(upload)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise UploadError(f"{upload.name} is not a valid ZIP archive ({error}).") from None
    if len(members) > limits.max_files:
        raise UploadTooLarge(f"The ZIP holds {len(members)} files; the limit is {limits.max_files}.")
    declared = sum(info.file_size for info in members)
    if declared > limits.max_uncompressed_bytes:
        limit = format_size(limits.max_uncompressed_bytes)
        raise UploadTooLarge(f"The ZIP unpacks to {format_size(declared)}; the limit is {limit}.")
    for info in members:
        _check_member(info)
    metadata["zip_members"] = len(members)
    by_name = {_member_path(info): info for info in members}
    root = _export_root(by_name)
    if root is None:
        raise UploadError(f"{upload.name} has no watched.csv: it is not a Letterboxd export.")
    sources = {}
    for path in REQUIRED_COLUMNS:
        info = by_name.get(root + path)
        if info is not None:
            sources[path] = CsvSource(path, path, _member_opener(archive, info, upload.name))
    read = {root + path for path in sources}
    metadata["ignored_files"] += [
        name for name in by_name if name not in read and PurePosixPath(name).name.lower() != PROFILE
    ]
    return sources


def _member_path(info):
    # Some Windows tools write backslashes; they are separators all the same.
    return info.filename.replace("\\", "/")


def _check_member(info):
    name = _member_path(info)
    if name.startswith("/") or ".." in PurePosixPath(name).parts or ":" in name:
        raise UploadError(f"The ZIP holds an unsafe path ({name}).")
    if info.flag_bits & 0x1:
        raise UploadError(f"The ZIP holds an encrypted file ({name}): send the export as Letterboxd made it.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UploadError(f"The ZIP holds a symbolic link ({name}).")
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        raise UploadError(f"The ZIP holds another archive ({name}): nested archives are not accepted.")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
        raise UploadError(f"The ZIP looks like a zip bomb: {name} is compressed {ratio:.0f} times.")


def _export_root(names):
    """'' when the export is at the ZIP's root, 'folder/' when a re-zip added one top folder."""
    if WATCHED in names:
        return ""
    roots = {name[: -len(WATCHED)] for name in names if name.endswith("/" + WATCHED) and name.count("/") == 1}
    roots.discard("__MACOSX/")
    return roots.pop() if len(roots) == 1 else None


def _member_opener(archive, info, zip_name):
    return lambda: ZipMemberStream(archive, info, zip_name)


class ZipMemberStream:
    """A ZIP member's bytes; a corrupt member (bad header or CRC, sizes that lie, an unknown
    compression method) becomes an UploadError.

    zipfile never reads past a member's declared size and checks the CRC at its end, so a
    member larger than it claims is cut short and then fails here rather than growing memory.
    """

    ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)

    def __init__(self, archive, info, zip_name):
        self.description = f"{zip_name} is corrupt ({info.filename}"
        try:
            self.member = archive.open(info)
        except self.ERRORS as error:
            raise UploadError(f"{self.description}: {error}).") from None

    def read(self, size):
        try:
            return self.member.read(size)
        except self.ERRORS as error:
            raise UploadError(f"{self.description}: {error}).") from None


# --- Validating rows ------------------------------------------------------------------------


def parse_row(values, max_year):
    title = values["name"]
    uri = values["letterboxd uri"].strip()
    tags = [tag.strip() for tag in values.get("tags", "").split(",") if tag.strip()]
    if not title.strip():
        raise BadRow("missing_title")
    if uri and not is_letterboxd_uri(uri):
        raise BadRow("bad_uri")
    if (
        len(title) > MAX_TITLE_LENGTH
        or len(uri) > MAX_URI_LENGTH
        or any(len(tag) > MAX_TAG_LENGTH for tag in tags)
    ):
        raise BadRow("too_long")
    return Row(
        title=title,
        year=_parse_year(values["year"], max_year),
        uri=uri,
        date=_parse_date(values["date"]),
        rating=_parse_rating(values.get("rating", "")),
        watched_date=_parse_date(values.get("watched date", "")),
        rewatch=values.get("rewatch", "").strip().lower() == "yes",
        tags=tags,
        # Exports write CRLF inside quoted fields too; store one kind of line break.
        review=values.get("review", "").replace("\r\n", "\n"),
    )


LETTERBOXD_HOSTS = {"boxd.it", "letterboxd.com", "www.letterboxd.com"}


def is_letterboxd_uri(uri):
    """Whether uri links to a page on Letterboxd: nothing else (javascript:, other sites) is stored."""
    if not (uri.isascii() and uri.isprintable()) or " " in uri:
        return False  # urlsplit would quietly drop tabs and newlines that the stored text keeps
    parts = urlsplit(uri)
    return (
        parts.scheme in ("https", "http") and parts.netloc.lower() in LETTERBOXD_HOSTS and len(parts.path) > 1
    )


def _parse_year(text, max_year):
    text = text.strip()
    if not text:
        return None
    # isdigit() alone takes superscripts ("¹⁹⁹⁹"), which int() then refuses.
    if not (text.isascii() and text.isdigit()) or not EARLIEST_YEAR <= int(text) <= max_year:
        raise BadRow("bad_year")
    return int(text)


def _parse_date(text):
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRow("bad_date") from None


def _parse_rating(text):
    text = text.strip()
    if not text:
        return None
    if not text.isascii():
        raise BadRow("bad_rating")  # Decimal() would read other scripts' digits ("٣")
    try:
        rating = Decimal(text)
    except InvalidOperation:
        raise BadRow("bad_rating") from None
    if not rating.is_finite() or not (1 <= rating * 2 <= 10) or rating * 2 != int(rating * 2):
        raise BadRow("bad_rating")
    return rating.quantize(Decimal("0.1"))


# --- Merging into films ---------------------------------------------------------------------


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
        if film is None:
            return
        viewing = Viewing(
            letterboxd_uri=row.uri,
            logged_date=row.date,
            watched_date=row.watched_date,
            rating=row.rating,
            rewatch=row.rewatch,
            tags=row.tags,
        )
        film.viewings.append(viewing)
        if row.uri:
            self.viewings_by_uri[row.uri] = (film, viewing)

    def add_review(self, row, file_name):
        """A review joins its diary entry by URI; a review without one still belongs to its film."""
        film, viewing = self.viewings_by_uri.get(row.uri, (None, None)) if row.uri else (None, None)
        if viewing is not None:
            viewing.review = row.review
        else:
            film = self.film_by_name_year(row, file_name)
            if film is None:
                return
        film.reviews.append((row.date, row.review))


def parse_export(uploads, limits, today=None):
    """Read uploaded files (objects with .name, .size and a file interface) into a ParsedExport.

    Raises UploadError (UploadTooLarge past a limit) naming the problem; bad rows are skipped
    and counted in the metadata instead.
    """
    max_year = (today or date.today()).year + YEARS_AHEAD
    metadata = {"ignored_files": []}
    sources = collect_sources(uploads, limits, metadata)
    reader = ExportReader(limits)
    skipped = Counter()
    merger = FilmMerger()
    watchlist = []
    # Films first, so that diary and review rows find the films they join by (Name, Year).
    handlers = {
        WATCHED: merger.add_watched,
        RATINGS: merger.add_rating,
        LIKES: merger.add_like,
        WATCHLIST: None,
        DIARY: merger.add_diary_entry,
        REVIEWS: merger.add_review,
    }
    for path, handler in handlers.items():
        source = sources.get(path)
        if source is None:
            continue
        for values in reader.rows(source):
            try:
                row = parse_row(values, max_year)
            except BadRow as bad:
                skipped[bad.reason] += 1
                continue
            if handler is None:
                watchlist.append(row)
            else:
                handler(row, source.name)
    films = list(merger.films.values())
    metadata.update(
        {
            "files": reader.files,
            "total_rows": reader.total_rows,
            "skipped_rows": {"total": sum(skipped.values()), "by_reason": dict(skipped)},
            "watchlist_count": len(watchlist),
            "ambiguous_rows": merger.ambiguous,
            "films": len(films),
            "viewings": sum(len(film.viewings) for film in films),
        }
    )
    return ParsedExport(films=films, metadata=metadata, watchlist=watchlist)
