"""One session's films and watchlist as the comparison reads them: plain rows, loaded in two queries,
and the keys that tie a film of one export to the same film of another."""

from dataclasses import dataclass, field

from movies.models import Movie, WatchlistEntry

# What the lists show and the matching needs; taste is aggregated by the database (taste.py).
FILM_COLUMNS = (
    "title", "year", "letterboxd_uri", "tmdb_id", "enrichment_status", "rating", "liked", "vote_average",
    "poster_path",
)  # fmt: skip


@dataclass
class SessionFilms:
    films: list = field(default_factory=list)  # dicts of FILM_COLUMNS and their "keys", TV entries left out
    watchlist: list = field(default_factory=list)  # dicts of title, year, letterboxd_uri, added_on
    index: dict = field(default_factory=dict)  # every key of every film -> the film


def title_key(title, year):
    return f"title:{' '.join((title or '').casefold().split())}:{year or ''}"


def film_keys(row):
    """The keys a film is known by, surest first: its TMDB film (corrections included), its Letterboxd
    film URI (the same film has the same URI in every export), then its title and year."""
    keys = []
    if row.get("tmdb_id") and row.get("enrichment_status", Movie.EnrichmentStatus.ENRICHED) == "enriched":
        keys.append(f"tmdb:{row['tmdb_id']}")
    if row.get("letterboxd_uri"):
        keys.append(f"uri:{row['letterboxd_uri'].rstrip('/')}")
    keys.append(title_key(row["title"], row["year"]))
    return keys


def load(session):
    """The session's films (no TV entries: never film statistics) and its watchlist."""
    rows = (
        Movie.objects.filter(session=session)
        .exclude(enrichment_status=Movie.EnrichmentStatus.TV)
        .order_by("id")
        .values_list(*FILM_COLUMNS)
    )
    loaded = SessionFilms()
    for values in rows:
        row = dict(zip(FILM_COLUMNS, values, strict=True))
        row["rating"] = float(row["rating"]) if row["rating"] is not None else None
        row["keys"] = film_keys(row)
        loaded.films.append(row)
        for key in row["keys"]:
            loaded.index.setdefault(key, row)
    loaded.watchlist = list(
        WatchlistEntry.objects.filter(session=session)
        .order_by("added_on", "id")
        .values("title", "year", "letterboxd_uri", "added_on")
    )
    return loaded


def find(index, row):
    """The film of `index` that is `row`'s film, or None. Title and year alone never join two films
    TMDB tells apart (a remake of the same name and year)."""
    for key in row.get("keys") or film_keys(row):
        found = index.get(key)
        if found is None:
            continue
        theirs, ours = found.get("tmdb_id"), row.get("tmdb_id")
        if key.startswith("title:") and theirs and ours and theirs != ours:
            continue
        return found
    return None


def watchlist_index(entries):
    index = {}
    for entry in entries:
        for key in film_keys(entry):
            index.setdefault(key, entry)
    return index
