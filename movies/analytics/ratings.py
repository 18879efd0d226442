"""Your ratings and TMDB's numbers: the rating spread, your rating against TMDB's, summaries of a
numeric column, the most and least popular films, and the highs and lows."""

from movies.analytics.scope import number, one, rows

TOP_FILMS = 10
HALF_STARS = [n / 2 for n in range(1, 11)]
FILM_COLUMNS = "id, title, year, release_date, rating, runtime, vote_average, vote_count"
# Each high or low: (its name, the value it is ranked by, the films it applies to, best first).
RELEASE = "coalesce(release_date, make_date(year, 1, 1))"
EXTREMES = [
    ("highest_rated", "rating", "rating IS NOT NULL", "rating DESC"),
    ("lowest_rated", "rating", "rating IS NOT NULL", "rating ASC"),
    ("most_popular", "vote_count", "vote_count IS NOT NULL", "vote_count DESC"),
    ("most_obscure", "vote_count", "vote_count IS NOT NULL", "vote_count ASC"),
    ("longest", "runtime", "runtime IS NOT NULL", "runtime DESC"),
    ("shortest", "runtime", "runtime IS NOT NULL", "runtime ASC"),
    ("newest", f"extract(year FROM {RELEASE})", "year IS NOT NULL", f"{RELEASE} DESC"),
    ("oldest", f"extract(year FROM {RELEASE})", "year IS NOT NULL", f"{RELEASE} ASC"),
    (
        "biggest_disagreement",
        "rating * 2 - vote_average",
        "rating IS NOT NULL AND vote_average IS NOT NULL",
        "abs(rating * 2 - vote_average) DESC",
    ),
]


def rating_distribution(scope):
    """Films per rating, every half star from 0.5 to 5 listed."""
    counts = {
        float(row["rating"]): row["films"]
        for row in rows(
            scope, "SELECT rating, count(*) AS films FROM films WHERE rating IS NOT NULL GROUP BY rating"
        )
    }
    return [{"rating": stars, "films": counts.get(stars, 0)} for stars in HALF_STARS]


def rating_vs_tmdb(scope):
    """Your rating (out of 5, doubled to TMDB's 10) against TMDB's vote average, for films with both."""
    row = one(
        scope,
        """
        SELECT count(*) AS films,
               avg(rating * 2) AS average_rating_out_of_10,
               avg(vote_average) AS average_tmdb_vote,
               avg(rating * 2 - vote_average) AS average_difference,
               corr(rating::float, vote_average) AS correlation
        FROM films WHERE rating IS NOT NULL AND vote_average IS NOT NULL
        """,
    )
    return {key: value if key == "films" else number(value, 3) for key, value in row.items()}


def summary(scope, column):
    """Count, total, mean, median, minimum and maximum of a numeric column; unknown values left out."""
    row = one(
        scope,
        f"""
        SELECT count({column}) AS films, sum({column}) AS total, avg({column}) AS average,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY {column}) AS median,
               min({column}) AS minimum, max({column}) AS maximum
        FROM films
        """,
    )
    return {key: value if key == "films" else number(value) for key, value in row.items()}


def films_by_popularity(scope, *, most):
    direction = "DESC" if most else "ASC"
    return [
        {**row, "rating": number(row["rating"], 1)}
        for row in rows(
            scope,
            f"""
            SELECT id, title, year, tmdb_id, popularity, vote_average, rating FROM films
            WHERE popularity IS NOT NULL
            ORDER BY popularity {direction}, title, id LIMIT %(limit)s
            """,
            {"limit": TOP_FILMS},
        )
    ]


def highs_and_lows(scope):
    """One film for each extreme (null when no film has the data), in one query."""
    extremes = " UNION ALL ".join(
        f"""(SELECT '{name}' AS extreme, ({value})::float AS value, {FILM_COLUMNS} FROM films
             WHERE {condition} ORDER BY {order}, title, id LIMIT 1)"""
        for name, value, condition, order in EXTREMES
    )
    found = {row.pop("extreme"): row for row in rows(scope, extremes)}
    return {
        name: found[name] | {key: number(found[name][key]) for key in ("value", "rating")}
        if name in found
        else None
        for name, *_ in EXTREMES
    }
