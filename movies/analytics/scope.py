"""Which films and viewings a statistic covers: all time or one year, optionally one release year.

Every statistics query starts with the same common table expressions, so that every section
counts the same things:

- ``films``: the session's films in scope: the films watched, as Letterboxd counts them (its
  watched.csv holds every film rated or logged). TV entries (status ``tv``) are never films, nor
  films only liked (in likes/films.csv, never marked watched, rated or logged: ``LIKED_ONLY``).
  For a year, a film is in scope when it has a diary entry dated that year.
- ``films`` carries ``reviewed`` (the film has a review) instead of the review's text.
- ``diary``: every diary entry of those films, with ``is_rewatch``: flagged by Letterboxd, *or*
  the film has an earlier entry (undated entries sort after dated ones).
- ``viewings``: the viewings in scope. For a year, its dated diary entries. For all time, every
  diary entry, plus one undated viewing (``id`` null) for each film watched without a diary entry:
  the headline counts diary entries as viewings and those films apart.

A query on its own defines them as common table expressions (PostgreSQL evaluates only those it
uses); the queries of one whole answer share them as temporary tables (``materialized``).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from movies.models import Movie, Watch

MOVIE = Movie._meta.db_table
WATCH = Watch._meta.db_table
ENRICHED = Movie.EnrichmentStatus.ENRICHED
TV = Movie.EnrichmentStatus.TV
# A film Letterboxd does not count as watched: only liked (likes/films.csv), never marked watched,
# rated or logged. Letterboxd's profile counts watched.csv, which holds every rated or logged film.
LIKED_ONLY = (
    "({m}.liked AND {m}.rating IS NULL AND {m}.marked_watched_on IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM " + WATCH + " lw WHERE lw.movie_id = {m}.id))"
)
# What the statistics read of a movie: not its review's text, nor what only the movie list shows.
# Fixed-size columns first, arrays last: a query reading only the first ones skips the arrays.
FILM_COLUMNS = ", ".join(
    f"m.{connection.ops.quote_name(name)}"
    for name in [
        "id", "year", "rating", "liked", "rewatch", "tmdb_id", "runtime", "popularity", "vote_average",
        "vote_count", "release_date", "enrichment_status", "original_language", "title", "poster_path",
        "original_language_name", "tags", "genres", "directors", "cast", "writers", "cinematographers",
        "composers", "director_genders", "production_countries",
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Scope:
    session_id: object
    year: int | None = None
    released: int | None = None

    @property
    def params(self):
        params = {"session": self.session_id, "tv": TV, "enriched": ENRICHED, "released": self.released}
        if self.year is not None:
            params |= {"start": date(self.year, 1, 1), "end": date(self.year, 12, 31)}
        return params

    def previous_year(self):
        return Scope(self.session_id, self.year - 1, self.released)

    def movie_conditions(self, alias="m"):
        """SQL conditions on a movie row for this scope, TV entries included."""
        conditions = [f"{alias}.session_id = %(session)s"]
        if self.released is not None:
            conditions.append(f"{alias}.year = %(released)s")
        if self.year is not None:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {WATCH} w WHERE w.movie_id = {alias}.id"
                " AND w.watched_date BETWEEN %(start)s AND %(end)s)"
            )
        return " AND ".join(conditions)

    def definitions(self):
        """(name, query) of the scope's films, diary and viewings, each using the ones before."""
        if self.year is not None:
            viewings = "SELECT * FROM diary WHERE watched_date BETWEEN %(start)s AND %(end)s"
        else:
            viewings = """
                SELECT * FROM diary
                UNION ALL
                SELECT NULL, f.id, NULL::date, f.rating, f.tags, f.reviewed, f.rewatch, f.rewatch FROM films f
                WHERE NOT EXISTS (SELECT 1 FROM diary d WHERE d.movie_id = f.id)
            """
        films = f"""
            SELECT {FILM_COLUMNS}, m.review <> '' AS reviewed FROM {MOVIE} m
            WHERE {self.movie_conditions()} AND m.enrichment_status <> %(tv)s
              AND NOT {LIKED_ONLY.format(m="m")}
        """
        diary = f"""
            SELECT w.id, w.movie_id, w.watched_date, w.rating, w.tags, w.review <> '' AS reviewed,
                   w.rewatch AS flagged,
                   w.rewatch OR row_number() OVER (
                       PARTITION BY w.movie_id ORDER BY w.watched_date, w.id
                   ) > 1 AS is_rewatch
            FROM {WATCH} w JOIN films f ON f.id = w.movie_id
        """
        return [("films", films), ("diary", diary), ("viewings", viewings)]


class MaterializedScope(Scope):
    """A scope whose films, diary and viewings are temporary tables of the current transaction."""

    def definitions(self):
        return []


@contextmanager
def materialized(scope):
    """The scope with its films, diary and viewings computed once, as temporary tables, so that the
    queries of one answer do not each compute them again. Dropped on leaving (an error rolls them
    back); ON COMMIT DROP covers a connection that dies in between."""
    definitions = scope.definitions()
    with transaction.atomic(), connection.cursor() as cursor:
        for name, query in definitions:
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS {query}", scope.params)
        yield MaterializedScope(scope.session_id, scope.year, scope.released)
        cursor.execute(f"DROP TABLE {', '.join(name for name, _ in reversed(definitions))}")


def rows(scope, sql, params=None, *, ctes=()):
    """Rows (dicts) of a query on the scope's films, diary and viewings, with more common table
    expressions (``name AS (query)``) if given."""
    definitions = [f"{name} AS ({query})" for name, query in scope.definitions()] + list(ctes)
    prefix = f"WITH {', '.join(definitions)} " if definitions else ""
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, scope.params | (params or {}))
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def one(scope, sql, params=None, *, ctes=()):
    [row] = rows(scope, sql, params, ctes=ctes)
    return row


def number(value, digits=2):
    return None if value is None else round(float(value), digits)


def share(part, whole):
    return round(part / whole, 3) if whole else None
