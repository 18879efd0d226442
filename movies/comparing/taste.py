"""Taste side by side: for genres, decades, countries, directors and actors, each member's films,
share of their films and average rating, and how alike the two spreads are (cosine similarity of
the film counts). Aggregated by PostgreSQL, one query a dimension: the long tail of actors stays
in the database."""

from django.db import connection

from movies.models import Movie

# The names a film counts under, as SQL over the movie row.
DIMENSIONS = {
    "genres": "genres",
    "decades": "CASE WHEN year IS NULL THEN ARRAY[]::text[] ELSE ARRAY[(year / 10 * 10)::text || 's'] END",
    "countries": "production_countries",
    "directors": "directors",
    "actors": '"cast"',
}
TOP = 10

TASTE_SQL = """
WITH named AS (
    SELECT session_id, id, rating, {names} AS names FROM {movies}
    WHERE session_id IN (%(you)s, %(friend)s) AND enrichment_status <> 'tv'
), tally AS (
    -- count(*): the arrays hold each name once (the TMDB client keeps them unique); a hash aggregate.
    SELECT session_id, name, count(*) AS films, avg(rating) AS average_rating
    FROM (SELECT session_id, id, rating, unnest(names) AS name FROM named) element
    GROUP BY session_id, name
), based_on AS (
    SELECT session_id, count(*) FILTER (WHERE cardinality(names) > 0) AS films FROM named GROUP BY session_id
), similarity AS (
    -- Per name the product of both counts (no self-join: a nested loop on a misestimated plan).
    SELECT coalesce(sum(product), 0) AS dot FROM (
        SELECT max(films) FILTER (WHERE session_id = %(you)s)
             * max(films) FILTER (WHERE session_id = %(friend)s) AS product
        FROM tally GROUP BY name
    ) products
), norms AS (
    SELECT sqrt(coalesce(sum(films * films) FILTER (WHERE session_id = %(you)s), 0)
              * coalesce(sum(films * films) FILTER (WHERE session_id = %(friend)s), 0)) AS norm FROM tally
), top AS (
    SELECT name FROM (
        SELECT name, row_number() OVER (PARTITION BY session_id ORDER BY films DESC, name) AS place FROM tally
    ) ranked WHERE place <= {top}
)
SELECT 'row', t.session_id::text, t.name, t.films, t.average_rating FROM tally t
    WHERE t.name IN (SELECT name FROM top)
UNION ALL SELECT 'based_on', session_id::text, NULL, films, NULL FROM based_on
UNION ALL SELECT 'similarity', NULL, NULL, NULL, CASE WHEN norm > 0 THEN dot / norm END FROM similarity, norms
"""


def _side(found, based_on):
    films, average = found or (0, None)
    return {
        "films": films,
        "share": round(films / based_on, 4) if based_on else 0.0,
        "average_rating": round(float(average), 2) if average is not None else None,
    }


def dimension(you, friend, names_sql):
    sql = TASTE_SQL.format(names=names_sql, movies=Movie._meta.db_table, top=TOP)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"you": you.pk, "friend": friend.pk})
        rows = cursor.fetchall()
    you_id = str(you.pk)
    tallies = {"you": {}, "friend": {}}
    based_on = {"you": 0, "friend": 0}
    similarity = 0.0
    for kind, session_id, name, films, value in rows:
        who = "you" if session_id == you_id else "friend"
        if kind == "row":
            tallies[who][name] = (films, value)
        elif kind == "based_on":
            based_on[who] = films
        elif value is not None:
            similarity = round(float(value), 4)
    names = sorted(tallies["you"].keys() | tallies["friend"].keys(), key=lambda name: (
        -(tallies["you"].get(name, (0,))[0] + tallies["friend"].get(name, (0,))[0]), name
    ))  # fmt: skip
    return {
        "similarity": similarity,
        "based_on": based_on,
        "rows": [
            {
                "name": name,
                "you": _side(tallies["you"].get(name), based_on["you"]),
                "friend": _side(tallies["friend"].get(name), based_on["friend"]),
            }
            for name in names
        ],
    }


def side_by_side(you, friend):
    """Every dimension for the two sessions (you, friend: Session rows)."""
    return {name: dimension(you, friend, names_sql) for name, names_sql in DIMENSIONS.items()}
