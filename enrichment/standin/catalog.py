"""The TMDB stand-in's catalog: generated films with TMDB's JSON shapes, plus the cases real exports
meet, each with the Letterboxd row that names it and the right answer (for tests and benches).

The cases (``CASE_SHARES``, per base film): films Letterboxd dates a year off, rows TMDB does not
have, same-title decoys in other years with more votes, *Split*-shaped ties (a famous film a year
off against obscure exact-year namesakes), same-year ties (one famous, or two obscure: truly
ambiguous), a short against the feature, renamed titles (longer TMDB title, or another spelling
kept as an alternative title), TV miniseries and "Show: Episode" rows, and one duplicate pair
(two films of one title and year, as *The Card Game*, 1896). Generated from a seed, apart from the
base films' generator so those stay the same for a given seed.
"""

import itertools
import math
import random
from dataclasses import dataclass, field

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


def _person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def release_dates(*releases):
    """A movie/{id}?append_to_response=release_dates part from (country, "YYYY-MM-DD", type) triples
    (type 1 premiere, 2 limited, 3 theatrical, 4 digital, 5 physical, 6 TV)."""
    by_country = {}
    for country, date, kind in releases:
        by_country.setdefault(country, []).append(
            {"certification": "", "descriptors": [], "iso_639_1": "", "note": "",
             "release_date": f"{date}T00:00:00.000Z", "type": kind}
        )  # fmt: skip
    results = [{"iso_3166_1": country, "release_dates": dates} for country, dates in by_country.items()]
    return {"results": results}


def add_premiere(film, year, rng, kind=1):
    """A festival premiere (or limited release) in ``year``, before the film's primary release."""
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    film["release_dates"]["results"].insert(0, release_dates(("FR", date, kind))["results"][0])


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
    release_date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if year else ""
    # The primary (theatrical) release is TMDB's release_date; no extra rng draw, so a seed's films stay.
    releases = [("US", release_date, 3)] if release_date else []
    return {
        "adult": False,
        "id": tmdb_id,
        "title": title,
        "original_title": title,
        "release_date": release_date,
        "release_dates": release_dates(*releases),
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


# Words apart from the base films', so no case's title is part of another title.
CASE_FIRST_WORDS = [
    "Amber", "Cobalt", "Ivory", "Saffron", "Indigo", "Scarlet", "Ochre", "Teal", "Jade", "Onyx",
    "Umber", "Cerise", "Russet", "Azure", "Sable", "Coral", "Pewter", "Maroon", "Olive", "Slate",
]  # fmt: skip
CASE_SECOND_WORDS = [
    "Canyon", "Meadow", "Lagoon", "Tundra", "Prairie", "Delta", "Glacier", "Savanna", "Fjord", "Steppe",
    "Marsh", "Mesa", "Atoll", "Bayou", "Dune", "Grotto", "Heath", "Isthmus", "Moor", "Plateau",
    "Quarry", "Ravine", "Summit", "Thicket", "Valley", "Wetland", "Bluff", "Cove", "Estuary", "Gorge",
]  # fmt: skip
CASE_SHARES = {
    "year_off": 0.05,
    "absent": 0.05,
    "decoy": 0.04,
    "tv_miniseries": 0.02,
    "tv_episode": 0.01,
    "split_tie": 0.003,
    "same_year_tie": 0.005,
    "ambiguous_tie": 0.002,
    "short_vs_feature": 0.003,
    "renamed_longer": 0.003,
    "renamed_spelling": 0.003,
    # TMDB as it is (issue 20): festival premieres, shorts and their features, TV and its specials.
    "festival": 0.01,
    "short_then_feature": 0.004,
    "feature_after_short": 0.004,
    "tv_with_special": 0.004,
    "english_title": 0.004,
}
CASE_FILM_IDS, TV_IDS = 200_000, 500_000
EPISODES = ["Pilot", "The Long Night", "Homecoming", "San Junipero", "Finale", "The Reckoning"]


@dataclass(frozen=True)
class Row:
    """A Letterboxd row of the catalog and the right answer: a film, a TV entry, or neither."""

    title: str
    year: int | None
    uri: str
    case: str
    tmdb_id: int | None = None
    tv_id: int | None = None


@dataclass
class Catalog:
    films: list = field(default_factory=list)
    tv: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    def rows_of(self, case):
        return [row for row in self.rows if row.case == case]


def votes(rng, low, high):
    """Votes spread as TMDB's are: most films have few, a few have very many."""
    return int(10 ** rng.uniform(math.log10(low + 1), math.log10(high + 1))) - 1


def make_tv(tv_id, name, first_air_year, rng):
    """A TV entry as search/tv lists it."""
    return {
        "adult": False,
        "id": tv_id,
        "name": name,
        "original_name": name,
        "first_air_date": f"{first_air_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "origin_country": [rng.choice(COUNTRIES)[0]],
        "original_language": rng.choice(LANGUAGES),
        "genre_ids": [18],
        "popularity": round(rng.uniform(5, 200), 3),
        "vote_average": round(rng.uniform(6, 9), 3),
        "vote_count": votes(rng, 50, 20_000),
        "poster_path": f"/tv{tv_id}.jpg",
        "overview": "",
    }


class _CaseBuilder:
    def __init__(self, seed):
        self.rng = random.Random(seed * 7919 + 1)
        titles = [f"{first} {second}" for first in CASE_FIRST_WORDS for second in CASE_SECOND_WORDS]
        self.rng.shuffle(titles)
        # Numbered once every pair is used ("Red River 2"), as the base catalog's titles are: a
        # catalog as large as bench/fairness.py's has more cases than pairs of words.
        self.titles = (
            title if round_ == 1 else f"{title} {round_}" for round_ in itertools.count(1) for title in titles
        )
        self.next_film_id, self.next_tv_id = CASE_FILM_IDS, TV_IDS
        self.catalog = Catalog()

    def title(self):
        return next(self.titles)

    def year(self):
        return self.rng.randint(1950, 2023)

    def film(self, title, year, vote_count, popularity=None, runtime=None):
        self.next_film_id += 1
        film = make_film(self.next_film_id, title, year, self.rng)
        film["vote_count"] = vote_count
        film["popularity"] = round(popularity if popularity is not None else 1 + vote_count / 100, 3)
        if runtime:
            film["runtime"] = runtime
        self.catalog.films.append(film)
        return film

    def tv(self, name, year):
        self.next_tv_id += 1
        entry = make_tv(self.next_tv_id, name, year, self.rng)
        self.catalog.tv.append(entry)
        return entry

    def row(self, case, title, year, *, film=None, tv=None):
        uri = f"https://boxd.it/c{len(self.catalog.rows):x}"
        self.catalog.rows.append(
            Row(title, year, uri, case, film["id"] if film else None, tv["id"] if tv else None)
        )

    def year_off(self):
        year = self.year()
        film = self.film(self.title(), year, votes(self.rng, 0, 5000))
        shift = self.rng.choice([-1, 1])
        if shift == -1:
            # A festival premiere the year before the primary release: the year Letterboxd shows.
            add_premiere(film, year - 1, self.rng)
        # One year later than TMDB's: no release date says so (a date edited on one side only).
        self.row("year_off", film["title"], year + shift, film=film)

    def absent(self):
        self.row("absent", self.title(), self.year())

    def decoy(self):
        title, year = self.title(), self.year()
        film = self.film(title, year, votes(self.rng, 0, 2000))
        gap = self.rng.choice([-1, 1]) * self.rng.randint(3, 30)
        self.film(title, year + gap, film["vote_count"] * 10 + 500, popularity=film["popularity"] + 60)
        self.row("decoy", title, year, film=film)

    def tv_miniseries(self):
        entry = self.tv(self.title(), self.year())
        self.row("tv_miniseries", entry["name"], int(entry["first_air_date"][:4]), tv=entry)

    def tv_episode(self):
        entry = self.tv(self.title(), self.rng.randint(1990, 2018))
        first_year = int(entry["first_air_date"][:4])
        title = f"{entry['name']}: {self.rng.choice(EPISODES)}"
        self.row("tv_episode", title, first_year + self.rng.randint(0, 5), tv=entry)

    def split_tie(self):
        title, year = self.title(), self.year()
        famous = self.film(title, year + 1, self.rng.randint(12_000, 25_000))
        add_premiere(famous, year, self.rng)  # premiered at a festival the year before (Split, 2016)
        for _ in range(self.rng.randint(2, 4)):
            self.film(title, year, votes(self.rng, 0, 40), popularity=self.rng.uniform(0.5, 3))
        self.row("split_tie", title, year, film=famous)

    def same_year_tie(self):
        title, year = self.title(), self.year()
        famous = self.film(title, year, self.rng.randint(3_000, 15_000))
        # TMDB's order is no evidence: the obscure one is sometimes listed first.
        self.film(
            title, year, votes(self.rng, 0, 300), popularity=famous["popularity"] * self.rng.choice([0.1, 2])
        )
        self.row("same_year_tie", title, year, film=famous)

    def ambiguous_tie(self):
        title, year = self.title(), self.year()
        first = self.film(title, year, self.rng.randint(5, 30))
        self.film(title, year, max(0, first["vote_count"] + self.rng.randint(-4, 4)))
        self.row("ambiguous_tie", title, year, film=first)

    def short_vs_feature(self):
        title, year = self.title(), self.year()
        feature = self.film(title, year, self.rng.randint(500, 6000), runtime=self.rng.randint(85, 140))
        self.film(title, year, self.rng.randint(3, 60), popularity=feature["popularity"] + 5, runtime=12)
        self.row("short_vs_feature", title, year, film=feature)

    def renamed_longer(self):
        title, year = self.title(), self.year()
        film = self.film(
            f"{title}: {self.rng.choice(['Part One', 'A Knives Out Mystery'])}",
            year,
            votes(self.rng, 100, 9000),
        )
        self.row("renamed_longer", title, year, film=film)

    def renamed_spelling(self):
        first, second = self.title().split(maxsplit=1)
        film = self.film(f"Three Colors: {first} {second}", self.year(), votes(self.rng, 100, 9000))
        film["alternative_titles"] = {
            "titles": [{"iso_3166_1": "GB", "title": f"Three Colours: {first} {second}", "type": ""}]
        }
        self.row(
            "renamed_spelling",
            film["alternative_titles"]["titles"][0]["title"],
            int(film["release_date"][:4]),
            film=film,
        )

    def festival(self):
        """Premiered at a festival in Y, released in Y + 1 (TMDB's year); Letterboxd shows Y."""
        title, year = self.title(), self.year()
        film = self.film(title, year + 1, votes(self.rng, 5, 8000))
        add_premiere(film, year, self.rng)
        self.row("festival", title, year, film=film)

    def short_then_feature(self):
        """The short of year Y (the row) and the feature made from it in Y + 1, with 20-60x its votes."""
        title, year = self.title(), self.year()
        short = self.film(title, year, self.rng.randint(100, 600), runtime=self.rng.randint(8, 25))
        feature = self.film(
            title, year + 1, short["vote_count"] * self.rng.randint(20, 60), runtime=self.rng.randint(85, 130)
        )
        if self.rng.random() < 0.5:
            add_premiere(feature, year + 1, self.rng)  # a premiere of its own year changes nothing
        self.row("short_then_feature", title, year, film=short)

    def feature_after_short(self):
        """The same pair with the short the famous one: the row is the feature, a year after it."""
        title, year = self.title(), self.year()
        self.film(title, year, self.rng.randint(5_000, 20_000), runtime=self.rng.randint(8, 25))
        feature = self.film(title, year + 1, self.rng.randint(10, 400), runtime=self.rng.randint(85, 130))
        self.row("feature_after_short", title, year + 1, film=feature)

    def tv_with_special(self):
        """A miniseries and a documentary about it whose title begins with the series' (same year)."""
        entry = self.tv(self.title(), self.year())
        year = int(entry["first_air_date"][:4])
        suffix = self.rng.choice(["Behind the Scenes", "The Making Of", "Reunion Special"])
        special = self.film(f"{entry['name']}: {suffix}", year, votes(self.rng, 0, 80))
        special["genres"] = [{"id": 99, "name": "Documentary"}]
        self.row("tv_with_special", entry["name"], year, tv=entry)

    def english_title(self):
        """TMDB's title is the original one; Letterboxd's English title is among its alternatives."""
        english, year = self.title(), self.year()
        first, second = english.split(maxsplit=1)
        original = f"Il{second.lower()[::-1]} {first.lower()[::-1]}ka"
        film = self.film(original, year, votes(self.rng, 20, 6000))
        film["alternative_titles"] = {"titles": [{"iso_3166_1": "US", "title": english, "type": ""}]}
        self.row("english_title", english, year, film=film)

    def duplicate_pair(self):
        """Two films of one title and year with a handful of votes each (The Card Game, 1896)."""
        title = self.title()
        for vote_count in (2, 1):
            self.row("duplicate_pair", title, 1896, film=self.film(title, 1896, vote_count))


def build_catalog(seed=7, size=3000):
    """The base films of ``seed`` and ``size`` (exact-year rows, some with typographic variants)
    and the cases of CASE_SHARES in proportion, with every row's right answer."""
    base = generate_catalog(seed, size)
    builder = _CaseBuilder(seed)
    for case, share in CASE_SHARES.items():
        for _ in range(max(1, round(share * size)) if size >= 100 else 0):
            getattr(builder, case)()
    if size >= 100:
        builder.duplicate_pair()
    catalog = builder.catalog
    catalog.films = base + catalog.films
    rows = []
    for index, film in enumerate(base):
        title, year = letterboxd_row(film)
        # Letterboxd writes no-break spaces and en dashes where TMDB has plain ones, now and then.
        if index % 50 == 0:
            title = title.replace(" ", "\u00a0", 1).replace("-", "–")
        rows.append(
            Row(title, year, f"https://boxd.it/b{film['id']:x}", "exact" if year else "no_year", film["id"])
        )
    catalog.rows = rows + catalog.rows
    return catalog


MIX_SHARES = {"exact": 0.86, "year_off": 0.05, "absent": 0.05, "decoy": 0.04}


def realistic_mix(catalog, count, seed=7):
    """``count`` rows in the mix of a real export: 86 % exact year, 5 % a year off, 5 % absent,
    4 % with a more popular same-title film in another year (those four scaled by 0.98), and
    2 % of TMDB as it is: festival premieres, shorts and their features, TV with its specials,
    English titles of films TMDB knows by their original one."""
    rng = random.Random(seed)
    shares = {
        **{case: share * 0.98 for case, share in MIX_SHARES.items()},
        "festival": 0.008,
        "short_then_feature": 0.003,
        "feature_after_short": 0.003,
        "tv_with_special": 0.003,
        "english_title": 0.003,
    }
    pools = {case: catalog.rows_of(case) for case in shares}
    rows = []
    for case, share in shares.items():
        wanted = round(share * count)
        if wanted > len(pools[case]):
            raise ValueError(
                f"the catalog has {len(pools[case])} {case} rows, {wanted} wanted: make it larger"
            )
        rows += rng.sample(pools[case], wanted)
    rng.shuffle(rows)
    return rows
