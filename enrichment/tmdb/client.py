"""TMDB v3 client: movie and TV search, movie details; typed errors; each request paid from the shared bucket.

Every answer is validated (enrichment/tmdb/answers.py) and redirects are never followed, so the key
goes nowhere but TMDB_API_BASE_URL; with a v4 read token it travels in the Authorization header.

Also the pure extraction of our fields from TMDB's JSON (no ORM here).
"""

import logging
import threading
from dataclasses import dataclass

import requests
from django.conf import settings

from enrichment.tmdb import answers, arrival, ratelimit
from enrichment.tmdb.errors import (
    TmdbAuthError,
    TmdbError,
    TmdbMalformedAnswer,
    TmdbNotFound,
    TmdbTransientError,
)

logger = logging.getLogger(__name__)

DIRECTORS_KEPT = 3
CAST_KEPT = 5
# Crew kept for statistics, by TMDB job; a few names of each, like the directors.
CREW_KEPT = 3
WRITER_JOBS = {"Screenplay", "Writer", "Story", "Screenstory", "Author", "Novel"}
CINEMATOGRAPHER_JOBS = {"Director of Photography"}
COMPOSER_JOBS = {"Original Music Composer", "Music"}
UNKNOWN_GENDER = 0
REAL_TMDB_URL = "https://api.themoviedb.org/"
# v4 read tokens are JWTs; v3 keys are 32 hex digits.
V4_TOKEN_PREFIX = "eyJ"


@dataclass(frozen=True)
class SearchHit:
    """One result of search/movie or search/tv (a TV entry's name and first air year)."""

    tmdb_id: int
    title: str
    original_title: str
    year: int | None
    popularity: float
    vote_count: int = 0


@dataclass(frozen=True)
class SearchAnswer:
    """The first page of a search. ``complete`` is False when TMDB has more pages."""

    hits: list
    complete: bool


def _year(release_date):
    # TMDB writes "" (or null) for an unknown date.
    return int(release_date[:4]) if release_date and release_date[:4].isdigit() else None


def search_answer(payload, *, tv=False):
    """The results of a search/movie (or search/tv) answer, in TMDB's order."""
    title, original_title, date = (
        ("name", "original_name", "first_air_date")
        if tv
        else (
            "title",
            "original_title",
            "release_date",
        )
    )
    hits = [
        SearchHit(
            tmdb_id=result["id"],
            title=result.get(title) or "",
            original_title=result.get(original_title) or "",
            year=_year(result.get(date)),
            popularity=result.get("popularity") or 0.0,
            vote_count=result.get("vote_count") or 0,
        )
        for result in payload.get("results") or []
    ]
    return SearchAnswer(hits=hits, complete=(payload.get("total_results") or 0) <= len(hits))


def alternative_titles(details):
    """The titles of a movie/{id}?append_to_response=alternative_titles answer, besides its own."""
    return [
        entry.get("title") or "" for entry in (details.get("alternative_titles") or {}).get("titles") or []
    ]


def earliest_release_year(details):
    """The year of a film's earliest release of any kind in any country (festival premieres
    included), from a movie/{id}?append_to_response=release_dates answer: the year Letterboxd
    shows. None when TMDB lists no release dates (no evidence either way)."""
    years = [
        _year(entry.get("release_date"))
        for country in (details.get("release_dates") or {}).get("results") or []
        for entry in country.get("release_dates") or []
    ]
    years = [year for year in years if year is not None]
    return min(years) if years else None


def _unique(names):
    return list(dict.fromkeys(name for name in names if name))


def _positive_or_none(value):
    # TMDB says 0 (or null) for "unknown" runtime, budget and revenue.
    return value if value and value > 0 else None


def film_fields(details):
    """Our fields of a film from a movie/{id}?append_to_response=credits answer."""
    credits = details.get("credits") or {}
    cast = sorted(credits.get("cast") or [], key=lambda member: member.get("order", 0))
    # The crew lists a person once per job: keep each director once.
    crew = credits.get("crew") or []
    directors = _unique(member.get("name") for member in crew if member.get("job") == "Director")
    directors = directors[:DIRECTORS_KEPT]
    gender_of = {}
    for member in crew:
        if member.get("job") == "Director":
            gender_of.setdefault(member.get("name"), member.get("gender") or UNKNOWN_GENDER)
    countries = _unique(country.get("name") for country in details.get("production_countries") or [])
    release_date = details.get("release_date") or None
    original_language = details.get("original_language") or ""
    language_names = {
        language.get("iso_639_1"): language.get("english_name") or ""
        for language in details.get("spoken_languages") or []
    }
    return {
        "tmdb_id": details["id"],
        "title": details.get("title") or "",
        "original_title": details.get("original_title") or "",
        "release_date": release_date,
        "genres": _unique(genre.get("name") for genre in details.get("genres") or []),
        "directors": directors,
        "cast": _unique(member.get("name") for member in cast)[:CAST_KEPT],
        "runtime": _positive_or_none(details.get("runtime")),
        "budget": _positive_or_none(details.get("budget")),
        "revenue": _positive_or_none(details.get("revenue")),
        "popularity": details.get("popularity"),
        "vote_average": details.get("vote_average"),
        "vote_count": details.get("vote_count"),
        "original_language": original_language,
        "country": countries[0] if countries else "",
        "production_countries": countries,
        "poster_path": details.get("poster_path") or "",
        "original_language_name": language_names.get(original_language, ""),
        "director_genders": [gender_of[name] for name in directors],
        "writers": _crew(crew, WRITER_JOBS),
        "cinematographers": _crew(crew, CINEMATOGRAPHER_JOBS),
        "composers": _crew(crew, COMPOSER_JOBS),
        # Not a TMDB key: the stand-in marks the films it invents so nobody takes them for real data.
        "is_demo": bool(details.get("x_demo_data")),
    }


def _crew(crew, jobs):
    return _unique(member.get("name") for member in crew if member.get("job") in jobs)[:CREW_KEPT]


def _retry_after(response):
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


class TmdbClient:
    """One HTTP session per thread (requests.Session is not thread-safe); every call waits for a token."""

    _local = threading.local()

    def __init__(self, *, max_wait_for_slot, idle=False):
        self.max_wait_for_slot = max_wait_for_slot
        # Idle: every request waits for a slot nobody else wants (ratelimit.acquire_idle), else
        # raises ratelimit.IdleBudgetTaken before sending anything.
        self.idle = idle
        self.requests_sent = 0  # what this client cost the shared budget (enrichment/queueing/pace.py)

    @property
    def _http(self):
        if getattr(self._local, "http", None) is None:
            self._local.http = requests.Session()
        return self._local.http

    def search_movie(self, query, year=None):
        """A SearchAnswer; ``year`` matches any release date in that year, not only the first."""
        params = {"query": query, "include_adult": "false"}
        if year:
            params["year"] = year
        return search_answer(self._get("/search/movie", params, answers.is_search))

    def search_tv(self, query, first_air_date_year=None):
        params = {"query": query, "include_adult": "false"}
        if first_air_date_year:
            params["first_air_date_year"] = first_air_date_year
        return search_answer(self._get("/search/tv", params, answers.is_search), tv=True)

    def movie_details(self, tmdb_id):
        return film_fields(self.movie_details_with_titles(tmdb_id)[0])

    def movie_details_with_titles(self, tmdb_id):
        """(details JSON, alternative titles) in one request; the JSON also carries its release dates."""
        params = {"append_to_response": "credits,alternative_titles,release_dates"}
        details = self._get(f"/movie/{int(tmdb_id)}", params, answers.is_details)
        return details, alternative_titles(details)

    def _get(self, path, params, valid):
        headers, params = credentials(params)
        acquire = ratelimit.acquire_idle if self.idle else ratelimit.acquire
        slot = acquire(self.max_wait_for_slot)
        self.requests_sent += 1
        if not settings.TMDB_API_BASE_URL.startswith(REAL_TMDB_URL):
            headers.update(arrival.slot_header(slot))  # the stand-in reports grant-to-arrival delays
        try:
            try:
                response = self._http.get(
                    settings.TMDB_API_BASE_URL + path,
                    params=params,
                    headers=headers,
                    timeout=settings.TMDB_TIMEOUT_SECONDS,
                    allow_redirects=False,  # a redirect could carry the key to another host
                    stream=True,  # so that an oversized body is refused, not read
                )
            finally:
                arrival.settle(slot)  # the limit holds at TMDB's side however late this left
            body = answers.read_body(path, response)
        except requests.RequestException as exc:
            ratelimit.record_failure()
            raise TmdbTransientError(f"TMDB unreachable: {type(exc).__name__}") from exc
        except TmdbMalformedAnswer:
            ratelimit.record_failure()
            raise
        try:
            payload = self._answer(path, response, body, valid)
        except TmdbMalformedAnswer:
            ratelimit.record_failure()
            raise
        # The shared circuit breaker counts faults in a row; a 429 is the limiter's business.
        if response.status_code >= 500:
            ratelimit.record_failure()
        elif response.status_code != 429:
            ratelimit.record_success()
        return payload

    @staticmethod
    def _answer(path, response, body, valid):
        """The validated JSON of a 200; any other answer raises its typed error."""
        status = response.status_code
        payload = answers.json_object(response, body)
        if status == 200:
            if payload is None:
                raise answers.malformed(path, response, "not a JSON object")
            if not valid(payload):
                raise answers.malformed(path, response, "JSON without the fields relied on")
            return payload
        if 300 <= status < 400:
            raise answers.redirect(path, response)
        message = (payload or {}).get("status_message") or ""
        message = f"TMDB {path} answered {status}: {message}".rstrip(": ")
        if status == 401:
            logger.warning("%s. TMDB rejected the API key: set TMDB_API_KEY to a valid key.", message)
            raise TmdbAuthError(message, 401)
        if status == 404:
            raise TmdbNotFound(message, 404)
        if status == 429:
            retry_after = _retry_after(response)
            # Every worker backs off, not only this one. Without a hint, a whole window has passed
            # once the requests that filled it are out of it. A longer hint than the cap is an outage.
            ratelimit.penalize(settings.TMDB_RATE_LIMIT_SECONDS if retry_after is None else retry_after)
            raise TmdbTransientError(message, 429, retry_after)
        if status >= 500:
            raise TmdbTransientError(message, status, _retry_after(response))
        raise TmdbError(message, status)


def credentials(params):
    """(headers, params) carrying the credential: the v4 read token in a header when there is one."""
    headers = {"Accept": "application/json"}
    token = settings.TMDB_READ_TOKEN or (
        settings.TMDB_API_KEY if settings.TMDB_API_KEY.startswith(V4_TOKEN_PREFIX) else ""
    )
    if token:
        headers["Authorization"] = f"Bearer {token}"  # keeps the key out of URLs and logs
        return headers, params
    return headers, {**params, "api_key": settings.TMDB_API_KEY}
