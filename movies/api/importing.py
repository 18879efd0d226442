"""What an import request carries: its JSON document, within limits, or a 4xx naming the problem.

Checked before the serializer, whose validation costs far more per movie than reading
the JSON: an oversized body is refused unread, and a document over the row limit is
refused before any movie is validated, so an import's work per request is bounded.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError

from movies.api.upload import PayloadTooLarge, declared_length
from sessions.export.reading import format_size


def import_document(request):
    """The request's JSON document, refused (413) past the body or row limits, (400) if not storable text."""
    body_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    too_large = (
        f"the limit is {format_size(body_limit)} (DATA_UPLOAD_MAX_MEMORY_SIZE, set by UPLOAD_MAX_BYTES)"
    )
    if declared_length(request) > body_limit:
        raise PayloadTooLarge(f"The export is {format_size(declared_length(request))}; {too_large}.")
    try:
        document = request.data
    except RequestDataTooBig:
        raise PayloadTooLarge(f"The export is too large; {too_large}.") from None
    rows = _row_count(document)
    if rows > settings.IMPORT_MAX_ROWS:
        raise PayloadTooLarge(
            f"The export has {rows:,} movies, viewings and watchlist entries; "
            f"the limit is {settings.IMPORT_MAX_ROWS:,} (IMPORT_MAX_ROWS)."
        )
    _refuse_lone_surrogates(document)
    return document


def _row_count(document):
    """Movies, their viewings and the watchlist's entries: every row an import would store.

    A part that is not a list counts 0: the serializer then names it.
    """
    if not isinstance(document, dict):
        return 0
    movies = _list(document.get("movies"))
    viewings = sum(len(_list(movie.get("viewings"))) for movie in movies if isinstance(movie, dict))
    return len(movies) + viewings + len(_list(document.get("watchlist")))


def _list(value):
    return value if isinstance(value, list) else []


def _refuse_lone_surrogates(document):
    # JSON may escape half of a UTF-16 pair ("\ud800"): valid JSON, but not text PostgreSQL can store.
    try:
        json.dumps(document, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise ParseError(
            "The export holds a lone UTF-16 surrogate (an escape such as \\ud800 without its pair): "
            "not valid text."
        ) from None
