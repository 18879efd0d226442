"""Headline figures: totals, new-to-me against rewatches, the change on the year before, milestones,
what the figures are based on, and the years with data."""

from movies.analytics.scope import LIKED_ONLY, MOVIE, WATCH, Scope, number, one, rows, share

# The numbered viewings worth a milestone: these, then every thousandth.
MILESTONES = [50, 100, 250, 500]
# Headline figures compared with the year before.
COMPARED = ["films", "viewings", "hours", "average_rating", "new_to_me", "rewatches", "new_to_me_share"]


def years(session_id):
    """Years with at least one dated viewing of a film, oldest first (for all time, the years of
    `watches_by_year` say the same without a query)."""
    scope = Scope(session_id)
    return [
        row["year"]
        for row in rows(
            scope,
            f"""
            SELECT DISTINCT extract(year FROM w.watched_date)::int AS year
            FROM {WATCH} w JOIN {MOVIE} m ON m.id = w.movie_id
            WHERE m.session_id = %(session)s AND m.enrichment_status <> %(tv)s AND w.watched_date IS NOT NULL
            ORDER BY year
            """,
        )
    ]


def headline_and_totals(scope):
    """The headline and the original `totals`, in one query. The counting rules (README, "How the
    figures are counted"): viewings are diary entries (for a year, those dated in it); films marked
    watched without a diary entry are counted apart (`watched_without_diary`) and, like the
    original `totals.viewings`, once each in hours. New to me and rewatches split the diary
    entries. The average rating is of each film's current rating for all time; for a year, of the
    ratings given on that year's diary entries (the film's current one where an entry has none).
    `totals` keeps its original rules: rewatches are the flagged ones, viewings include the films
    marked watched only, the average is of current ratings."""
    row = one(
        scope,
        """
        SELECT count(v.movie_id) AS all_viewings,
               count(v.id) AS viewings,
               count(v.movie_id) FILTER (WHERE v.id IS NULL) AS watched_without_diary,
               count(v.id) FILTER (WHERE v.is_rewatch) AS rewatches,
               count(v.movie_id) FILTER (WHERE v.flagged) AS flagged_rewatches,
               count(v.movie_id) FILTER (WHERE v.reviewed) AS reviews,
               avg(coalesce(v.rating, f.rating)) FILTER (WHERE v.id IS NOT NULL) AS diary_average_rating,
               coalesce(sum(f.runtime), 0) AS minutes,
               film.films, film.enriched_films, film.likes, film.rated_films, film.average_rating
        FROM (SELECT count(*) AS films,
                     count(*) FILTER (WHERE enrichment_status = %(enriched)s) AS enriched_films,
                     count(*) FILTER (WHERE liked) AS likes,
                     count(rating) AS rated_films, avg(rating) AS average_rating FROM films) film
        LEFT JOIN (viewings v JOIN films f ON f.id = v.movie_id) ON true
        GROUP BY film.films, film.enriched_films, film.likes, film.rated_films, film.average_rating
        """,
    )
    new_to_me = row["viewings"] - row["rewatches"]
    hours = number(row["minutes"] / 60, 1)
    film_average = number(row["average_rating"])
    headline = {
        "viewings": row["viewings"],
        "watched_without_diary": row["watched_without_diary"],
        "films": row["films"],
        "hours": hours,
        "reviews": row["reviews"],
        "likes": row["likes"],
        "rated_films": row["rated_films"],
        "average_rating": film_average if scope.year is None else number(row["diary_average_rating"]),
        "new_to_me": new_to_me,
        "rewatches": row["rewatches"],
        "new_to_me_share": share(new_to_me, row["viewings"]),
    }
    totals = {
        "films": row["films"],
        "enriched_films": row["enriched_films"],
        "rated_films": row["rated_films"],
        "average_rating": film_average,
        "liked_films": row["likes"],
        "viewings": row["all_viewings"],
        "rewatches": row["flagged_rewatches"],
        "hours_watched": hours,
    }
    return headline, totals


def change(current, previous):
    """Each compared headline figure of the year before, and the difference (null when unknown)."""
    return {
        name: {
            "previous": previous[name],
            "difference": None
            if current[name] is None or previous[name] is None
            else round(current[name] - previous[name], 3),
        }
        for name in COMPARED
    }


def coverage(scope):
    """What the figures rest on: films with and without TMDB data, TV entries and films only liked
    kept apart, undated films (in all-time figures only), and per TMDB-based section how many films
    carry its data."""
    row = one(
        scope,
        f"""
        SELECT count(*) AS films,
               count(*) FILTER (WHERE enrichment_status = %(enriched)s) AS tmdb_films,
               count(*) FILTER (WHERE enrichment_status <> %(enriched)s) AS films_without_tmdb,
               (SELECT count(*) FROM {MOVIE} m
                WHERE {scope.movie_conditions()} AND m.enrichment_status = %(tv)s)
                   AS tv_entries,
               (SELECT count(*) FROM {MOVIE} m
                WHERE {Scope(scope.session_id, released=scope.released).movie_conditions()}
                  AND m.enrichment_status <> %(tv)s
                  AND NOT EXISTS (
                      SELECT 1 FROM {WATCH} w WHERE w.movie_id = m.id AND w.watched_date IS NOT NULL
                  )
               ) AS undated_films,
               (SELECT count(*) FROM {MOVIE} m
                WHERE {scope.movie_conditions()} AND m.enrichment_status <> %(tv)s
                  AND {LIKED_ONLY.format(m="m")}
               ) AS liked_only_films,
               count(*) FILTER (WHERE cardinality(genres) > 0) AS genres,
               count(*) FILTER (WHERE cardinality(directors) > 0) AS directors,
               count(*) FILTER (WHERE cardinality("cast") > 0) AS actors,
               count(*) FILTER (WHERE cardinality(writers) > 0) AS writers,
               count(*) FILTER (WHERE cardinality(cinematographers) > 0) AS cinematographers,
               count(*) FILTER (WHERE cardinality(composers) > 0) AS composers,
               count(*) FILTER (WHERE cardinality(production_countries) > 0) AS countries,
               count(*) FILTER (WHERE original_language <> '') AS languages,
               count(runtime) AS runtime,
               count(popularity) AS popularity,
               count(vote_count) AS votes,
               count(release_date) AS release_dates
        FROM films
        """,
    )
    counts = ["films", "tmdb_films", "films_without_tmdb", "tv_entries", "undated_films", "liked_only_films"]
    return {name: row.pop(name) for name in counts}, row


def milestones(scope):
    """The first and last dated viewing, and the 50th, 100th, 250th, 500th, then every 1,000th."""
    found = rows(
        scope,
        """
        SELECT number, total, watched_date, movie_id, title, year FROM (
            SELECT row_number() OVER (ORDER BY v.watched_date, v.id) AS number, count(*) OVER () AS total,
                   v.watched_date, f.id AS movie_id, f.title, f.year
            FROM viewings v JOIN films f ON f.id = v.movie_id WHERE v.watched_date IS NOT NULL
        ) numbered
        WHERE number = 1 OR number = total OR number = ANY(%(milestones)s) OR number %% 1000 = 0
        ORDER BY number
        """,
        {"milestones": MILESTONES},
    )
    viewing = [
        {key: row[key] for key in ("number", "watched_date", "movie_id", "title", "year")} for row in found
    ]
    return {
        "first": viewing[0] if viewing else None,
        "last": viewing[-1] if viewing else None,
        "numbered": [
            entry for entry in viewing if entry["number"] in MILESTONES or entry["number"] % 1000 == 0
        ],
    }
