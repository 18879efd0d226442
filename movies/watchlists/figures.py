"""A watchlist's figures: how far its lookups are, how many hours it would take, its genres, decades
and countries, and its entries oldest first (what has waited longest) with their film data."""

from django.utils import timezone

from movies.models import Film, WatchlistEntry
from movies.watchlists import fetch

TOP_NAMES = 12
ENTRY = WatchlistEntry._meta.db_table
FILM = Film._meta.db_table


def watchlist_figures(session_id, *, page=1, page_size=50):
    params = {"session": session_id}
    counts = {status: 0 for status in WatchlistEntry.LookupStatus.values}
    for row in fetch(
        f"SELECT lookup_status, count(*) AS n FROM {ENTRY} WHERE session_id = %(session)s GROUP BY 1",
        params,
    ):
        counts[row["lookup_status"]] = row["n"]
    total = sum(counts.values())
    runtime = fetch(
        f"""
        SELECT count(film.runtime) AS known, coalesce(sum(film.runtime), 0) AS minutes
        FROM {ENTRY} AS entry JOIN {FILM} AS film ON film.tmdb_id = entry.film_id
        WHERE entry.session_id = %(session)s AND entry.lookup_status = 'enriched'
        """,
        params,
    )[0]
    return {
        "total": total,
        "lookups": {**counts, "done": total - counts[WatchlistEntry.LookupStatus.PENDING]},
        "hours": round(runtime["minutes"] / 60, 1),
        "runtime_known": runtime["known"],
        "genres": _names_of(session_id, "genres"),
        "countries": _names_of(session_id, "production_countries"),
        "decades": _decades(session_id),
        "entries": _entries(session_id, page, page_size),
    }


def _names_of(session_id, column):
    """The most frequent names of an array column over the looked-up films: [{name, films}]."""
    return fetch(
        f"""
        SELECT name, count(*) AS films
        FROM {ENTRY} AS entry JOIN {FILM} AS film ON film.tmdb_id = entry.film_id,
             unnest(film.{column}) AS name
        WHERE entry.session_id = %(session)s AND entry.lookup_status = 'enriched'
        GROUP BY name ORDER BY films DESC, name LIMIT %(top)s
        """,
        {"session": session_id, "top": TOP_NAMES},
    )


def _decades(session_id):
    """Entries per decade of Letterboxd's year (TMDB's release year when the export has none)."""
    return fetch(
        f"""
        SELECT (coalesce(entry.year, extract(year FROM film.release_date)::int) / 10) * 10 AS decade,
               count(*) AS films
        FROM {ENTRY} AS entry LEFT JOIN {FILM} AS film ON film.tmdb_id = entry.film_id
        WHERE entry.session_id = %(session)s
          AND coalesce(entry.year, extract(year FROM film.release_date)::int) IS NOT NULL
        GROUP BY 1 ORDER BY 1
        """,
        {"session": session_id},
    )


def _entries(session_id, page, page_size):
    rows = fetch(
        f"""
        SELECT entry.id, entry.title, entry.year, entry.letterboxd_uri, entry.added_on,
               entry.lookup_status, entry.match_method, entry.match_reason, film.tmdb_id,
               film.title AS film_title, film.runtime, film.genres, film.directors, film."cast",
               film.vote_average, film.vote_count, film.poster_path, film.release_date, film.country
        FROM {ENTRY} AS entry LEFT JOIN {FILM} AS film ON film.tmdb_id = entry.film_id
        WHERE entry.session_id = %(session)s
        ORDER BY entry.added_on NULLS LAST, entry.id
        LIMIT %(limit)s OFFSET %(offset)s
        """,
        {"session": session_id, "limit": page_size, "offset": (page - 1) * page_size},
    )
    today = timezone.localdate()
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "year": row["year"],
            "letterboxd_uri": row["letterboxd_uri"],
            "added_on": row["added_on"],
            "days_waiting": (today - row["added_on"]).days if row["added_on"] else None,
            "lookup_status": row["lookup_status"],
            "match_method": row["match_method"],
            "match_reason": row["match_reason"],
            "film": film_of(row),
        }
        for row in rows
    ]


def film_of(row):
    """The film data of a row joined to its Film (None before it is found)."""
    if row["tmdb_id"] is None:
        return None
    return {
        "tmdb_id": row["tmdb_id"],
        "title": row["film_title"],
        **{
            name: row[name]
            for name in (
                "runtime",
                "genres",
                "directors",
                "cast",
                "vote_average",
                "vote_count",
                "poster_path",
                "release_date",
                "country",
            )
        },
    }
