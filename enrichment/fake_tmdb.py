"""A local TMDB stand-in for development, tests and benchmarks (``manage.py fake_tmdb --port 8765``).

It answers ``/3/search/movie`` and ``/3/movie/{id}?append_to_response=credits`` with TMDB's JSON
shapes and error bodies from a catalog generated from a seed, and it enforces TMDB's rate limit
the strict way: more than ``limit`` requests arriving in any sliding ``window`` seconds are
answered 429 with ``Retry-After`` and counted as violations. ``GET /__stats`` reports the counts
(``POST /__reset`` clears them), so a test can prove the limiter rather than trust it.
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

from enrichment.matching import fold_title

DEFAULT_API_KEY = "fake-tmdb-key"
PAGE_SIZE = 20

GENRES = [
    (28, "Action"),
    (12, "Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (14, "Fantasy"),
    (36, "History"),
    (27, "Horror"),
    (10402, "Music"),
    (9648, "Mystery"),
    (10749, "Romance"),
    (878, "Science Fiction"),
    (53, "Thriller"),
    (10752, "War"),
    (37, "Western"),
]
COUNTRIES = [
    ("US", "United States of America"),
    ("FR", "France"),
    ("JP", "Japan"),
    ("GB", "United Kingdom"),
    ("KR", "South Korea"),
    ("IT", "Italy"),
    ("DE", "Germany"),
    ("BR", "Brazil"),
]
LANGUAGES = ["en", "fr", "ja", "ko", "it", "de", "pt", "es"]
ADJECTIVES = [
    "Silent",
    "Crimson",
    "Last",
    "Hidden",
    "Electric",
    "Broken",
    "Golden",
    "Wild",
    "Quiet",
    "Lost",
    "Burning",
    "Paper",
    "Northern",
    "Endless",
    "Velvet",
    "Hollow",
    "Bright",
    "Frozen",
    "Little",
    "Iron",
]
NOUNS = [
    "River",
    "Summer",
    "Garden",
    "Station",
    "Kingdom",
    "Mirror",
    "Harbor",
    "Orchard",
    "Engine",
    "Letter",
    "Island",
    "Forest",
    "Highway",
    "Lantern",
    "Circus",
    "Window",
    "Thunder",
    "Season",
    "Citadel",
    "Voyage",
]
# Titles that trip naive matching: accents, dashes, no-break spaces, numbers, punctuation.
TRICKY_TITLES = [
    "Amélie",
    "Mission: Impossible – Fallout",
    "2012",
    "9",
    "Ça ira",
    "Se7en",
    "Léon: The Professional",
    "Black Mirror: San Junipero",
    "Crouching Tiger, Hidden Dragon",
    "Spider-Man: No Way Home",
]
FIRST_NAMES = [
    "Agnès",
    "Akira",
    "Bong",
    "Céline",
    "Chantal",
    "Jane",
    "Kelly",
    "Lynne",
    "Park",
    "Wong",
    "Yasujirō",
]
LAST_NAMES = [
    "Varda",
    "Kurosawa",
    "Joon-ho",
    "Sciamma",
    "Akerman",
    "Campion",
    "Reichardt",
    "Ramsay",
    "Kar-wai",
]

ERROR_BODIES = {
    400: (22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."),
    401: (7, "Invalid API key: You must be granted a valid key."),
    404: (34, "The resource you requested could not be found."),
    429: (25, "Your request count is over the allowed limit of {limit}."),
    500: (11, "Internal error: Something went wrong, contact TMDb."),
    503: (9, "Service offline: This service is temporarily offline, try again later."),
}


def _person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def make_film(tmdb_id, title, year, rng):
    """A TMDB movie/{id}?append_to_response=credits answer, with TMDB's unknowns (0, "", repeats)."""
    directors = [_person(rng) for _ in range(rng.choice([1, 1, 1, 2, 4]))]
    crew = [
        {"id": tmdb_id * 100 + i, "name": name, "job": "Director", "department": "Directing"}
        for i, name in enumerate(directors)
    ]
    # A director who also wrote the film is listed once per job.
    crew.append({"id": tmdb_id * 100, "name": directors[0], "job": "Screenplay", "department": "Writing"})
    cast = [
        {"id": tmdb_id * 100 + 50 + i, "name": f"{_person(rng)} {i}", "character": f"Role {i}", "order": i}
        for i in range(rng.randint(0, 12))
    ]
    rng.shuffle(cast)  # TMDB's list order is not billing order
    countries = rng.sample(COUNTRIES, rng.randint(0, 2))
    genres = rng.sample(GENRES, rng.randint(1, 3))
    return {
        "adult": False,
        "id": tmdb_id,
        "title": title,
        "original_title": title,
        "release_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if year else "",
        "runtime": rng.choice([0, None] + [rng.randint(60, 200)] * 8),
        "budget": rng.choice([0, rng.randint(1, 200) * 1_000_000]),
        "revenue": rng.choice([0, rng.randint(1, 900) * 1_000_000]),
        "genres": [{"id": genre_id, "name": name} for genre_id, name in genres],
        "production_countries": [{"iso_3166_1": code, "name": name} for code, name in countries],
        "original_language": rng.choice(LANGUAGES),
        "popularity": round(rng.uniform(0.5, 120), 3),
        "vote_average": round(rng.uniform(3, 9), 3),
        "vote_count": rng.randint(0, 30_000),
        "poster_path": f"/poster{tmdb_id}.jpg",
        "overview": "",
        "status": "Released",
        "video": False,
        "credits": {"cast": cast, "crew": crew},
    }


def generate_catalog(seed=7, size=3000):
    """``size`` films from ``seed``: generated titles plus tricky ones, some remade in another decade."""
    rng = random.Random(seed)
    films = []
    titles = [f"The {adjective} {noun}" for adjective in ADJECTIVES for noun in NOUNS]
    rng.shuffle(titles)
    titles = TRICKY_TITLES + titles
    for index in range(size):
        base = titles[index % len(titles)]
        round_ = index // len(titles)
        title = base if round_ == 0 else f"{base} {round_ + 1}"
        year = rng.randint(1930, 2024) if rng.random() > 0.01 else None
        films.append(make_film(10_000 + index, title, year, rng))
    # Remakes: a more popular film of the same title decades later.
    for index in range(0, min(size, 200), 10):
        original = films[index]
        if original["release_date"]:
            remake_year = int(original["release_date"][:4]) + rng.choice([-30, 20, 40])
            remake = make_film(90_000 + index, original["title"], remake_year, rng)
            remake["popularity"] = original["popularity"] + 50
            films.append(remake)
    return films


def letterboxd_row(film):
    """(title, year) of a catalog film as a Letterboxd export names it."""
    return film["title"], int(film["release_date"][:4]) if film["release_date"] else None


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
        self.films = {film["id"]: film for film in generate_catalog(seed, size)}
        self.by_title = {}
        for film in self.films.values():
            self.by_title.setdefault(fold_title(film["title"]), []).append(film)
        self.limit, self.window, self.api_key = limit, window, api_key
        self.latency, self.error_rate, self.invent_missing = latency, error_rate, invent_missing
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.arrivals = deque()
            self.last_accepted = deque(maxlen=self.limit + 1)
            self.counts = Counter()
            self.max_in_window = 0
            self.tightest_span = None
            self.scripted = deque()

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
                "max_in_window": self.max_in_window,
                "tightest_span": self.tightest_span,
                "limit": self.limit,
                "window": self.window,
            }

    def handle(self, path, query, headers):
        """(status, headers, body) for one request."""
        now = time.monotonic()
        with self.lock:
            self.counts["requests"] += 1
            while self.arrivals and self.arrivals[0] <= now - self.window:
                self.arrivals.popleft()
            over_limit = len(self.arrivals) >= self.limit
            if over_limit:
                self.counts["violations"] += 1
                retry_after = max(1, math.ceil(self.arrivals[0] + self.window - now))
            else:
                self._accept(now)
            scripted = None if over_limit else next((item for item in self.scripted if item[0] in path), None)
            if scripted:
                self.scripted.remove(scripted)
            random_error = self.error_rate and self.random.random() < self.error_rate
        if over_limit:  # answered outside the lock: _error takes it too
            return self._error(429, {"Retry-After": str(retry_after)})
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
        if path.startswith("/movie/") and path[len("/movie/") :].isdigit():
            self._count("details")
            film = self.films.get(int(path[len("/movie/") :]))
            if film is None:
                return self._error(404)
            if "credits" not in query.get("append_to_response", ""):
                film = {key: value for key, value in film.items() if key != "credits"}
            return 200, {}, film
        return self._error(404)

    def _accept(self, now):
        """Record an accepted request (the lock is held)."""
        self.arrivals.append(now)
        self.max_in_window = max(self.max_in_window, len(self.arrivals))
        self.last_accepted.append(now)
        if len(self.last_accepted) > self.limit:
            span = now - self.last_accepted[0]
            self.tightest_span = span if self.tightest_span is None else min(self.tightest_span, span)

    def _count(self, name):
        with self.lock:
            self.counts[name] += 1

    def _search(self, query, year):
        folded = fold_title(query)
        films = [
            film for title, group in self.by_title.items() if folded and folded in title for film in group
        ]
        if not films and self.invent_missing and folded:
            films = [self._invent(query, year)]
        if year:
            films = [film for film in films if film["release_date"][:4] == str(year)]
        films.sort(key=lambda film: -film["popularity"])
        total = len(films)
        return {
            "page": 1,
            "results": [search_result(film) for film in films[:PAGE_SIZE]],
            "total_pages": math.ceil(total / PAGE_SIZE),  # 0 for no results, as some stand-ins say
            "total_results": total,
        }

    def _invent(self, query, year):
        """A film for any title (development only): the same query always gets the same film."""
        key = f"{fold_title(query)}|{year or ''}"
        tmdb_id = 1_000_000 + zlib.crc32(key.encode()) % 9_000_000
        with self.lock:
            if tmdb_id not in self.films:
                self.films[tmdb_id] = make_film(
                    tmdb_id, query, int(year) if year else 2000, random.Random(key)
                )
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
        if urlsplit(self.path).path == "/__reset":
            self.fake.reset()
            return self._send(200, {}, {"reset": True})
        self._send(*self.fake._error(404))

    def _send(self, status, headers, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
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
