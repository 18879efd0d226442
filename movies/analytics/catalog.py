"""What the films in scope are: genres, people, countries, languages, decades, release years, and
how soon after release they were seen."""

from movies.analytics.scope import number, one, rows, share

# People are long-tailed: the API lists the most frequent.
TOP_PEOPLE = 50
# Role in the answer: its array column.
CREW_ROLES = {
    "directors": "directors",
    "actors": '"cast"',
    "writers": "writers",
    "cinematographers": "cinematographers",
    "composers": "composers",
}
# TMDB's `gender` of a person.
WOMAN, UNKNOWN_GENDER = 1, 0
RELEASE_MONTH_DAYS = 30


def _rated(row):
    return {**row, "average_rating": number(row["average_rating"])}


def counts_by_array(scope, column, limit=None):
    """Films per element of an array column (genres, countries), with their average rating."""
    # Unnested in the select list, as in people(): no function scan per film.
    return [
        _rated(row)
        for row in rows(
            scope,
            f"""
            SELECT name, count(*) AS films, count(rating) AS rated_films, avg(rating) AS average_rating
            FROM (SELECT unnest({column}) AS name, rating FROM films) element
            GROUP BY name ORDER BY films DESC, name LIMIT %(limit)s
            """,
            {"limit": limit},
        )
    ]


def people(scope):
    """Directors, actors, writers, cinematographers and composers: the most frequent of each,
    with your average rating, in one query."""
    # Each role grouped apart, its names unnested in the select list (a ProjectSet over the films,
    # no per-film function scan): about 40% less than one five-array unnest with grouping sets,
    # which filled five hash tables per credit, four of them with a null key (EXPLAIN ANALYZE).
    tops = " UNION ALL ".join(
        f"""(SELECT '{role}' AS role, name, count(*) AS films, count(rating) AS rated_films,
                    avg(rating::float) AS average_rating
             FROM (SELECT unnest({column}) AS name, rating FROM films) credit
             WHERE name IS NOT NULL
             GROUP BY name ORDER BY films DESC, name LIMIT %(limit)s)"""
        for role, column in CREW_ROLES.items()
    )
    by_role = {role: [] for role in CREW_ROLES}
    for row in rows(scope, tops, {"limit": TOP_PEOPLE}):
        by_role[row.pop("role")].append(_rated(row))
    return by_role


def directed_by_women(scope):
    """Films with at least one woman among their directors, against films by known other genders;
    films whose directors' genders TMDB does not know are counted apart."""
    row = one(
        scope,
        """
        SELECT count(*) AS films,
               count(*) FILTER (WHERE by_woman) AS by_women,
               count(*) FILTER (WHERE NOT by_woman AND unknown) AS unknown
        FROM (
            SELECT %(woman)s = ANY(director_genders) AS by_woman,
                   cardinality(director_genders) < cardinality(directors)
                       OR %(unknown)s = ANY(director_genders) AS unknown
            FROM films WHERE cardinality(directors) > 0
        ) directed
        """,
        {"woman": WOMAN, "unknown": UNKNOWN_GENDER},
    )
    known = row["films"] - row["unknown"]
    return {**row, "not_by_women": known - row["by_women"], "share_by_women": share(row["by_women"], known)}


def languages(scope):
    """Films per original language, by code and by name, with your average rating."""
    return [
        {"name": row["code"], **_rated(row)}
        for row in rows(
            scope,
            """
            SELECT original_language AS code, nullif(max(original_language_name), '') AS language,
                   count(*) AS films, count(rating) AS rated_films, avg(rating) AS average_rating
            FROM films WHERE original_language <> ''
            GROUP BY original_language ORDER BY films DESC, code
            """,
        )
    ]


def counts_by_year(scope, expression, label):
    """Films per release year or decade (Letterboxd's year), in order, with your average rating."""
    return [
        _rated(row)
        for row in rows(
            scope,
            f"""
            SELECT {expression} AS {label}, count(*) AS films, count(rating) AS rated_films,
                   avg(rating) AS average_rating
            FROM films WHERE year IS NOT NULL GROUP BY 1 ORDER BY 1
            """,
        )
    ]


def release_lag(scope):
    """Days from a film's release (TMDB) to its first viewing in scope, and how many were seen
    within a month (a festival screening before the release counts as within)."""
    row = one(
        scope,
        """
        SELECT count(*) AS films, avg(lag) AS average_days,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS median_days,
               count(*) FILTER (WHERE lag <= %(month)s) AS within_a_month
        FROM (
            SELECT min(v.watched_date) - f.release_date AS lag
            FROM viewings v JOIN films f ON f.id = v.movie_id
            WHERE v.watched_date IS NOT NULL AND f.release_date IS NOT NULL
            GROUP BY f.id, f.release_date
        ) lags
        """,
        {"month": RELEASE_MONTH_DAYS},
    )
    return {
        **row,
        "average_days": number(row["average_days"], 1),
        "median_days": number(row["median_days"], 1),
        "within_a_month_share": share(row["within_a_month"], row["films"]),
    }
