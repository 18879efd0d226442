"""Validate one CSV row of the export into a Row, or refuse it as a BadRow with a reason."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

EARLIEST_YEAR = 1870
# The sizes of the columns these land in (movies.models); a longer value is a bad row, not a crash.
MAX_TITLE_LENGTH, MAX_URI_LENGTH, MAX_TAG_LENGTH = 500, 300, 200
YEARS_AHEAD = 5


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
