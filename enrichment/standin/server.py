"""A local TMDB stand-in for development, tests and benchmarks (``manage.py fake_tmdb --port 8765``).

It answers ``/3/search/movie``, ``/3/search/tv`` and ``/3/movie/{id}`` (with the
``append_to_response`` parts ``credits``, ``alternative_titles`` and ``release_dates``) with
TMDB's JSON shapes and error bodies from a catalog generated from a seed
(enrichment/standin/catalog.py), and it enforces TMDB's rate limit the strict way: more than
``limit`` requests arriving in any sliding ``window`` seconds are answered 429 with
``Retry-After`` and counted as violations. ``GET /__stats`` reports the counts
(``POST /__reset`` clears them), so a test can prove the limiter rather than trust it.

It can also misbehave as real servers and proxies do (``misbehave(mode)``, or
``POST /__misbehave?mode=...&seconds=...&location=...``; mode "" behaves again): every API request
is then answered by the mode (see MISBEHAVIOURS), counted as ``misbehaved``.
"""

import json
import math
import random
import threading
import time
import zlib
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from enrichment.matching.titles import fold_title
from enrichment.standin.catalog import build_catalog, make_film
from enrichment.standin.misbehaviours import MISBEHAVIOURS
from enrichment.standin.window import ArrivalWindow

DEFAULT_API_KEY = "fake-tmdb-key"
PAGE_SIZE = 20

ERROR_BODIES = {
    400: (22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."),
    401: (7, "Invalid API key: You must be granted a valid key."),
    404: (34, "The resource you requested could not be found."),
    429: (25, "Your request count is over the allowed limit of {limit}."),
    500: (11, "Internal error: Something went wrong, contact TMDb."),
    503: (9, "Service offline: This service is temporarily offline, try again later."),
}


def _percentiles(values):
    """p50, p99 and max of ``values`` (seconds), None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    p50, p99 = (ordered[min(len(ordered) - 1, int(share * len(ordered)))] for share in (0.5, 0.99))
    return {"count": len(ordered), "p50": p50, "p99": p99, "max": ordered[-1]}


def search_result(film):
    """A film as search/movie lists it."""
    keys = (
        "adult",
        "id",
        "title",
        "original_title",
        "release_date",
        "original_language",
        "popularity",
        "vote_average",
        "vote_count",
        "poster_path",
        "overview",
        "video",
    )
    return {**{key: film[key] for key in keys}, "genre_ids": [genre["id"] for genre in film["genres"]]}


def _alternatives(film):
    return (film.get("alternative_titles") or {}).get("titles") or []


def _page(results):
    """Page 1 of a search answer, the most popular first, as TMDB ranks."""
    results = sorted(results, key=lambda result: -result["popularity"])
    return {
        "page": 1,
        "results": results[:PAGE_SIZE],
        "total_pages": math.ceil(len(results) / PAGE_SIZE),  # 0 for no results, as TMDB says
        "total_results": len(results),
    }


def details(film, appended):
    """A movie/{id} answer with the ``append_to_response`` parts asked for."""
    parts = ("credits", "alternative_titles", "release_dates")
    answer = {key: value for key, value in film.items() if key not in parts}
    if "credits" in appended:
        answer["credits"] = film["credits"]
    if "alternative_titles" in appended:
        answer["alternative_titles"] = {"id": film["id"], "titles": _alternatives(film)}
    if "release_dates" in appended:
        answer["release_dates"] = {"id": film["id"], **(film.get("release_dates") or {"results": []})}
    return answer


def release_years(film):
    """Every year the film was released in, any country and kind (what search/movie?year= matches)."""
    years = {film["release_date"][:4]} if film["release_date"] else set()
    for country in (film.get("release_dates") or {}).get("results") or []:
        years.update(entry["release_date"][:4] for entry in country["release_dates"])
    return years


class FakeTmdb:
    """Catalog, rate window and counters; thread-safe. ``fail_next`` scripts errors for tests."""

    def __init__(
        self,
        *,
        seed=7,
        size=3000,
        limit=40,
        window=10.0,
        api_key=DEFAULT_API_KEY,
        latency=0.0,
        error_rate=0.0,
        invent_missing=False,
    ):
        self.catalog = build_catalog(seed, size)
        self.films = {film["id"]: film for film in self.catalog.films}
        self.by_title = {}
        for film in self.films.values():
            for title in {film["title"], *(alt["title"] for alt in _alternatives(film))}:
                self.by_title.setdefault(fold_title(title), []).append(film)
        self.tv_by_name = {}
        for entry in self.catalog.tv:
            self.tv_by_name.setdefault(fold_title(entry["name"]), []).append(entry)
        self.limit, self.window, self.api_key = limit, window, api_key
        self.latency, self.error_rate, self.invent_missing = latency, error_rate, invent_missing
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.arrivals = ArrivalWindow(self.limit, self.window)
            self.counts = Counter()
            self.scripted = deque()
            self.misbehaviour = None
            self.slot_delays = []
            # (arrival on the monotonic clock, path, query text): which work reached TMDB when.
            self.arrival_log = []

    def misbehave(self, mode, **options):
        """Answer every API request as ``mode`` (a key of MISBEHAVIOURS) until misbehave(None)."""
        if mode and mode not in MISBEHAVIOURS:
            raise ValueError(f"unknown misbehaviour {mode!r}: one of {', '.join(MISBEHAVIOURS)}")
        with self.lock:
            self.misbehaviour = (mode, options) if mode else None

    def fail_next(self, status, *, times=1, path_contains="", retry_after=None):
        """Answer the next ``times`` matching requests with ``status`` (a 429 with ``retry_after``)."""
        with self.lock:
            self.scripted.extend([(path_contains, status, retry_after)] * times)

    def stats(self):
        """Counts, plus ``tightest_span``: the shortest time in which limit + 1 requests were accepted.

        Above ``window`` means no window ever held more than the limit; the excess is the margin.
        """
        with self.lock:
            return {
                **self.counts,
                "max_in_window": self.arrivals.max_in_window,
                "slot_delays": _percentiles(self.slot_delays),
                "tightest_span": self.arrivals.tightest_span,
                "limit": self.limit,
                "window": self.window,
            }

    def handle(self, path, query, headers):
        """(status, headers, body) for one request."""
        now, arrived = time.monotonic(), time.time()
        with self.lock:
            self.counts["requests"] += 1
            self.arrival_log.append((now, path.removeprefix("/3"), query.get("query", "")))
            if headers.get("X-Slot-Due"):  # our client's slot: how late after it did this arrive?
                self.slot_delays.append(arrived - float(headers["X-Slot-Due"]))
            accepted, retry_after = self.arrivals.admit(now)
            over_limit = not accepted
            if over_limit:
                self.counts["violations"] += 1
            scripted = None if over_limit else next((item for item in self.scripted if item[0] in path), None)
            if scripted:
                self.scripted.remove(scripted)
            random_error = self.error_rate and self.random.random() < self.error_rate
            misbehaviour = self.misbehaviour
            if misbehaviour and not over_limit:
                self.counts["misbehaved"] += 1
        if over_limit:  # answered outside the lock: _error takes it too
            return self._error(429, {"Retry-After": str(retry_after)})
        if misbehaviour:
            mode, options = misbehaviour
            return MISBEHAVIOURS[mode](options)
        if self.latency:
            time.sleep(self.latency * random.uniform(0.5, 1.5))
        given_key = query.get("api_key") or headers.get("Authorization", "").removeprefix("Bearer ")
        if given_key != self.api_key:
            return self._error(401)
        if scripted:
            _, status, retry_after = scripted
            return self._error(status, {"Retry-After": str(retry_after)} if retry_after is not None else {})
        if random_error:
            return self._error(self.random.choice([500, 503]))
        path = path.removeprefix("/3")
        if path == "/search/movie":
            self._count("search")
            return 200, {}, self._search(query.get("query", ""), query.get("year"))
        if path == "/search/tv":
            self._count("search_tv")
            return 200, {}, self._search_tv(query.get("query", ""), query.get("first_air_date_year"))
        if path.startswith("/movie/") and path[len("/movie/") :].isdigit():
            self._count("details")
            film = self.films.get(int(path[len("/movie/") :]))
            if film is None:
                return self._error(404)
            return 200, {}, details(film, query.get("append_to_response", "").split(","))
        return self._error(404)

    def _count(self, name):
        with self.lock:
            self.counts[name] += 1

    def _search(self, query, year):
        folded = fold_title(query)
        films = list(
            {
                film["id"]: film
                for title, group in self.by_title.items()
                if folded and folded in title
                for film in group
            }.values()
        )
        if self.invent_missing and folded:
            # In demos every title is somebody's film. Without a year there is no year to invent it in:
            # claim a second page, so the client asks with its year. With one, a film of that very title
            # is invented unless the catalog has it within a year (a query "Dune" also finds "Pewter
            # Dune", and the catalog's "Se7en" may be of 1949).
            if not year:
                return {
                    **_page([search_result(film) for film in films]),
                    "total_pages": 2,
                    "total_results": PAGE_SIZE + 1,
                }
            same_title = self.by_title.get(folded, [])
            if not any(abs(int(film["release_date"][:4]) - int(year)) <= 1 for film in same_title):
                films.append(self._invent(query, year))
        if year:  # TMDB's ``year`` matches any release date in that year, not only the primary one
            films = [film for film in films if str(year) in release_years(film)]
        return _page([search_result(film) for film in films])

    def _search_tv(self, query, first_air_date_year):
        folded = fold_title(query)
        entries = [
            entry for name, group in self.tv_by_name.items() if folded and folded in name for entry in group
        ]
        if first_air_date_year:
            entries = [entry for entry in entries if entry["first_air_date"][:4] == str(first_air_date_year)]
        return _page(entries)

    def _invent(self, query, year):
        """A film for any title (development only): the same query always gets the same film."""
        key = f"{fold_title(query)}|{year}"
        tmdb_id = 1_000_000 + zlib.crc32(key.encode()) % 9_000_000
        with self.lock:
            if tmdb_id not in self.films:
                film = make_film(tmdb_id, query, int(year), random.Random(key))
                film["x_demo_data"] = True  # not a TMDB key: says "invented, demo data" to our client
                self.films[tmdb_id] = film
            return self.films[tmdb_id]

    def _error(self, status, headers=None):
        code, message = ERROR_BODIES[status]
        with self.lock:
            self.counts[f"status_{status}"] += 1
        body = {"success": False, "status_code": code, "status_message": message.format(limit=self.limit)}
        return status, headers or {}, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as TMDB
    fake: FakeTmdb

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/__stats":
            return self._send(200, {}, self.fake.stats())
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        self._send(*self.fake.handle(url.path, query, self.headers))

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path == "/__reset":
            self.fake.reset()
            return self._send(200, {}, {"reset": True})
        if url.path == "/__misbehave":
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            options = {key: value for key, value in query.items() if key != "mode"}
            try:
                self.fake.misbehave(query.get("mode") or None, **options)
            except ValueError as exc:
                return self._send(400, {}, {"detail": str(exc)})
            return self._send(200, {}, {"mode": query.get("mode") or None})
        self._send(*self.fake._error(404))

    def _send(self, status, headers, body):
        """``body``: a JSON value, or the raw bytes of a misbehaviour (its headers may set the type)."""
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json;charset=utf-8", **headers}
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # one line per request would drown the output
        pass


def make_server(fake, host="127.0.0.1", port=8765):
    handler = type("FakeTmdbHandler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
