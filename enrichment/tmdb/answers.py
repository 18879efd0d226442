"""Validation of every TMDB answer before anything uses it: status, content type, size, JSON, fields.

Anything but a well-formed JSON answer is a TmdbMalformedAnswer (transient): a 200 with an HTML
page or a truncated body, a body past MAX_ANSWER_BYTES, a redirect (never followed: it could send
the key to another host), or JSON without the fields the extraction relies on.
"""

import requests

from enrichment.tmdb.errors import TmdbMalformedAnswer

# TMDB's largest movie/{id}?append_to_response=credits,alternative_titles answers are a few hundred
# KB (casts and crews of a thousand); ten times that is no TMDB answer.
MAX_ANSWER_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
JSON_TYPE = "application/json"


def read_body(path, response, limit=None):
    """The body of a streamed response, at most ``limit`` bytes (MAX_ANSWER_BYTES); always closes it.

    Network errors while reading propagate as requests exceptions (the caller's "unreachable").
    """
    limit = MAX_ANSWER_BYTES if limit is None else limit
    try:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TmdbMalformedAnswer(too_large(path, response.status_code, limit), response.status_code)
        chunks, size = [], 0
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise TmdbMalformedAnswer(too_large(path, response.status_code, limit), response.status_code)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        response.close()


def too_large(path, status, limit):
    return f"TMDB {path} answered {status} with a body over {limit // 1024} KB; not read"


def is_json(response):
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type == JSON_TYPE or media_type.endswith("+json")


def json_object(response, body):
    """The JSON object of a body, or None when it is not a JSON object (or not labelled JSON)."""
    if not is_json(response):
        return None
    try:
        payload = requests.models.complexjson.loads(body)
    except ValueError:  # JSONDecodeError, and UnicodeDecodeError of a body in no known encoding
        return None
    return payload if isinstance(payload, dict) else None


def malformed(path, response, why):
    kind = response.headers.get("Content-Type", "") or "no content type"
    return TmdbMalformedAnswer(
        f"TMDB {path} answered {response.status_code} ({kind}): {why}", response.status_code
    )


def redirect(path, response):
    """A 3xx is never followed: only the configured base URL ever gets the key. Says where it pointed."""
    location = requests.utils.urlparse(response.headers.get("Location", ""))
    where = f"{location.scheme}://{location.netloc}" if location.netloc else "a relative location"
    return TmdbMalformedAnswer(
        f"TMDB {path} answered {response.status_code}, a redirect to {where}; not followed",
        response.status_code,
    )


def is_search(payload):
    """search/movie and search/tv: a list of results, each an object with an integer id."""
    results = payload.get("results")
    return isinstance(results, list) and all(
        isinstance(result, dict) and _is_id(result.get("id")) for result in results
    )


def is_details(payload):
    """movie/{id}: an object with an integer id (the rest is read defensively by film_fields)."""
    return _is_id(payload.get("id"))


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
