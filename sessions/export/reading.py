"""Read the chosen export files as CSV rows, within the upload's limits.

Bytes are counted as they are read, so a file that unpacks past the budget is refused
before it can grow memory; a broken or binary file becomes an UploadError naming it.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from core.errors import DomainError, TooLarge

# Reviews can be long; the csv module's default of 128 KiB per field would refuse them.
csv.field_size_limit(4 * 1024 * 1024)

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


class UploadError(DomainError):
    """The upload cannot be used; the message names the problem for the user."""


class UploadTooLarge(UploadError):
    """The upload is past one of the size limits."""

    status_code = TooLarge.status_code


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_files: int
    max_rows: int


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
        records = self.records(source)
        columns = self._columns(source, next(records, None))
        for values in records:
            yield {name: values[index] if index < len(values) else "" for name, index in columns.items()}

    def records(self, source):
        """Yield each record of one CSV as a list of values, blank lines left out, each counted
        against the row limit (the first, the header, is not)."""
        reader = LimitedReader(source.open(), self.budget, source.name)
        # strict: a quote left open is an error, not a field that swallows the rest of the file.
        text = io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8-sig", newline="")
        records = csv.reader(text, strict=True)
        rows, next_record_line = 0, 1  # where a broken record began, for the error message
        try:
            header = next(records, None)
            next_record_line = records.line_num + 1
            yield header
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
                yield values
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
        columns = {}
        for index, name in enumerate(header):
            key = name.strip().lower()
            if key in columns and key:
                # Which of the two holds the title? Neither guess is safe: the export was edited.
                raise UploadError(f"{source.name} has the column {name.strip()} twice.")
            columns[key] = index
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
