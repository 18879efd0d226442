"""Your ratings and TMDB's numbers: the rating spread, your rating against TMDB's, summaries of a
numeric column, the most and least popular films, and the highs and lows."""

from movies.analytics.scope import number, one, rows

TOP_FILMS = 10
HALF_STARS = [n / 2 for n in range(1, 11)]
FILM_COLUMNS = "id, title, year, release_date, rating, runtime, vote_average, vote_count"
# Each high or low: (its name, the value it is shown with, the films it applies to, what it ranks
# by, and whether the largest (max) or the smallest (min) wins); ties go to the first by title.
RELEASE = "coalesce(release_date, make_date(year, 1, 1))"
EXTREMES = [
    ("highest_rated", "rating", "rating IS NOT NULL", "rating", "max"),
    ("lowest_rated", "rating", "rating IS NOT NULL", "rating", "min"),
    ("most_popular", "vote_count", "vote_count IS NOT NULL", "vote_count", "max"),
    ("most_obscure", "vote_count", "vote_count IS NOT NULL", "vote_count", "min"),
    ("longest", "runtime", "runtime IS NOT NULL", "runtime", "max"),
    ("shortest", "runtime", "runtime IS NOT NULL", "runtime", "min"),
    ("newest", f"extract(year FROM {RELEASE})", "year IS NOT NULL", RELEASE, "max"),
    ("oldest", f"extract(year FROM {RELEASE})", "year IS NOT NULL", RELEASE, "min"),
    (
        "biggest_disagreement",
        "rating * 2 - vote_average",
        "rating IS NOT NULL AND vote_average IS NOT NULL",
        "abs(rating * 2 - vote_average)",
        "max",
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
    # Two scans of the films instead of one sort per extreme: the extreme values in one aggregate,
    # then the few films holding one, of which the first by title wins.
    best = ", ".join(
        f"{winner}({key}) FILTER (WHERE {condition}) AS best_{name}"
        for name, _, condition, key, winner in EXTREMES
    )
    holds = [f"({condition} AND {key} = best_{name})" for name, _, condition, key, _ in EXTREMES]
    candidates = ", ".join(
        f"('{name}', ({value})::float, {hold})"
        for (name, value, *_), hold in zip(EXTREMES, holds, strict=True)
    )
    found = {
        row.pop("extreme"): row
        for row in rows(
            scope,
            f"""
            SELECT DISTINCT ON (candidate.extreme) candidate.extreme, candidate.value, {FILM_COLUMNS}
            FROM (
                SELECT films.*, best.* FROM films CROSS JOIN (SELECT {best} FROM films) best
                WHERE {" OR ".join(holds)}
            ) f
            CROSS JOIN LATERAL (VALUES {candidates}) AS candidate(extreme, value, holds)
            WHERE candidate.holds
            ORDER BY candidate.extreme, title, id
            """,
        )
    }
    return {
        name: found[name] | {key: number(found[name][key]) for key in ("value", "rating")}
        if name in found
        else None
        for name, *_ in EXTREMES
    }
