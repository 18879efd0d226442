"""What to watch next from the watchlist: its looked-up films ranked by the member's own taste.

The taste comes from the member's ratings of their enriched films (μ = their mean rating). Each
director, actor, genre and decade v gets an affinity in stars, shrunk toward 0 when few films rest
on it:

    affinity(v) = Σ (rating − μ) over the rated films with v  /  (films with v + SHRINK)

A watchlist film f scores

    score(f) = director + actor + genre + decade + tmdb
    director = the highest affinity among f's directors (0 when none is rated)
    actor    = the highest affinity among f's credited cast (0 when none is rated)
    genre    = the mean affinity of f's genres (a genre never rated counts 0)
    decade   = the affinity of f's release decade (0 when none is rated)
    tmdb     = (vote_average − TMDB_MIDPOINT) / TMDB_SCALE × vote_count / (vote_count + TMDB_VOTES_PRIOR)

so a film by a director rated 4.5 against a mean of 3.5 over 3 films adds (3 × 1.0) / 5 = 0.6.
The reasons shown are the film's two largest positive parts. All of it is one PostgreSQL query.
"""

from movies.models import Film, Movie, WatchlistEntry
from movies.watchlists import fetch
from movies.watchlists.figures import film_of

SHRINK = 2
TMDB_MIDPOINT = 6.5
TMDB_SCALE = 4
TMDB_VOTES_PRIOR = 50
# A part below this (stars) is no reason to suggest a film.
REASON_THRESHOLD = 0.05
REASONS_SHOWN = 2

_AFFINITY = """
    SELECT {value} AS name, sum(rated.rating - mean.mu) / (count(*) + %(shrink)s) AS affinity,
           avg(rated.rating) AS average, count(*) AS films
    FROM rated, mean, {source}
    GROUP BY 1
"""

_QUERY = f"""
WITH rated AS (
    SELECT rating::float8 AS rating, directors, "cast", genres, year
    FROM {Movie._meta.db_table}
    WHERE session_id = %(session)s AND rating IS NOT NULL AND enrichment_status = 'enriched'
), mean AS (SELECT avg(rating) AS mu, count(*) AS rated FROM rated),
directors AS ({_AFFINITY.format(value="d", source="unnest(rated.directors) AS d")}),
actors AS ({_AFFINITY.format(value="a", source='unnest(rated."cast") AS a')}),
genres AS ({_AFFINITY.format(value="g", source="unnest(rated.genres) AS g")}),
decades AS ({_AFFINITY.format(value="(rated.year / 10) * 10", source="(SELECT 1) AS one")}),
candidates AS (
    SELECT entry.id, entry.title, entry.year, entry.letterboxd_uri,
           entry.added_on, film.tmdb_id, film.title AS film_title, film.runtime, film.genres, film.directors,
           film."cast", film.vote_average, film.vote_count, film.poster_path, film.release_date,
           film.country,
           (coalesce(entry.year, extract(year FROM film.release_date)::int) / 10) * 10 AS decade
    FROM {WatchlistEntry._meta.db_table} AS entry
    JOIN {Film._meta.db_table} AS film ON film.tmdb_id = entry.film_id
    WHERE entry.session_id = %(session)s AND entry.lookup_status = 'enriched'
      AND (%(max_runtime)s::int IS NULL OR film.runtime <= %(max_runtime)s::int)
)
SELECT c.*,
       best_director.name AS director_name, best_director.affinity AS director_affinity,
       best_director.average AS director_average, best_director.films AS director_films,
       best_actor.name AS actor_name, best_actor.affinity AS actor_affinity,
       best_actor.average AS actor_average, best_actor.films AS actor_films,
       genre_mean.affinity AS genre_affinity,
       best_genre.name AS genre_name,
       best_genre.average AS genre_average, best_genre.films AS genre_films,
       decade.affinity AS decade_affinity, decade.average AS decade_average, decade.films AS decade_films,
       coalesce((c.vote_average - %(midpoint)s) / %(scale)s
                * c.vote_count::float8 / (c.vote_count + %(prior)s), 0) AS tmdb_part,
       mean.rated AS rated_films
FROM candidates AS c CROSS JOIN mean
LEFT JOIN LATERAL (
    SELECT d.* FROM unnest(c.directors) AS x(name) JOIN directors AS d USING (name)
    ORDER BY d.affinity DESC LIMIT 1
) AS best_director ON true
LEFT JOIN LATERAL (
    SELECT a.* FROM unnest(c."cast") AS x(name) JOIN actors AS a USING (name)
    ORDER BY a.affinity DESC LIMIT 1
) AS best_actor ON true
LEFT JOIN LATERAL (
    SELECT avg(coalesce(g.affinity, 0)) AS affinity
    FROM unnest(c.genres) AS x(name) LEFT JOIN genres AS g USING (name)
) AS genre_mean ON true
LEFT JOIN LATERAL (
    SELECT g.* FROM unnest(c.genres) AS x(name) JOIN genres AS g USING (name)
    ORDER BY g.affinity DESC LIMIT 1
) AS best_genre ON true
LEFT JOIN decades AS decade ON decade.name = c.decade
ORDER BY coalesce(best_director.affinity, 0) + coalesce(best_actor.affinity, 0)
         + coalesce(genre_mean.affinity, 0) + coalesce(decade.affinity, 0)
         + coalesce((c.vote_average - %(midpoint)s) / %(scale)s
                    * c.vote_count::float8 / (c.vote_count + %(prior)s), 0) DESC,
         c.vote_average DESC NULLS LAST, c.film_title, c.id
LIMIT %(limit)s
"""


def watch_next(session_id, *, max_runtime=None, limit=10):
    """{"films": the best ``limit`` looked-up watchlist films for the member (at most ``max_runtime``
    minutes when given), each with its score, parts and reasons; "rated_films": what the taste
    rests on; "max_runtime"}."""
    rows = fetch(
        _QUERY,
        {
            "session": session_id,
            "max_runtime": max_runtime,
            "limit": limit,
            "shrink": SHRINK,
            "midpoint": TMDB_MIDPOINT,
            "scale": TMDB_SCALE,
            "prior": TMDB_VOTES_PRIOR,
        },
    )
    rated = rows[0]["rated_films"] if rows else _rated_films(session_id)
    return {"max_runtime": max_runtime, "rated_films": rated, "films": [_suggestion(row) for row in rows]}


def _rated_films(session_id):
    return Movie.objects.filter(
        session_id=session_id, rating__isnull=False, enrichment_status=Movie.EnrichmentStatus.ENRICHED
    ).count()


def _suggestion(row):
    parts = {
        "director": row["director_affinity"] or 0.0,
        "actor": row["actor_affinity"] or 0.0,
        "genre": row["genre_affinity"] or 0.0,
        "decade": row["decade_affinity"] or 0.0,
        "tmdb": row["tmdb_part"] or 0.0,
    }
    return {
        "id": row["id"],
        "title": row["title"],
        "year": row["year"],
        "letterboxd_uri": row["letterboxd_uri"],
        "added_on": row["added_on"],
        "film": film_of(row),
        "score": round(sum(parts.values()), 3),
        "parts": {name: round(value, 3) for name, value in parts.items()},
        "reasons": _reasons(row, parts),
    }


def _reasons(row, parts):
    """The film's largest positive parts, in words; TMDB's rating when nothing of the taste fits."""
    phrases = {
        "director": lambda: (
            f"Directed by {row['director_name']}: you rate their films "
            f"{row['director_average']:.1f}★ on average ({_films(row['director_films'])})"
        ),
        "actor": lambda: (
            f"With {row['actor_name']}: you rate their films {row['actor_average']:.1f}★ "
            f"on average ({_films(row['actor_films'])})"
        ),
        "genre": lambda: (
            f"{row['genre_name']}: you rate it {row['genre_average']:.1f}★ on average "
            f"({_films(row['genre_films'])})"
        ),
        "decade": lambda: (
            f"From the {row['decade']}s: you rate them {row['decade_average']:.1f}★ on "
            f"average ({_films(row['decade_films'])})"
        ),
        "tmdb": lambda: f"TMDB rates it {row['vote_average']:.1f} ({row['vote_count']:,} votes)",
    }
    best = sorted((name for name in parts if parts[name] > REASON_THRESHOLD), key=lambda n: -parts[n])
    if not best and row["vote_average"] is not None:
        best = ["tmdb"]
    return [phrases[name]() for name in best[:REASONS_SHOWN]]


def _films(count):
    return f"{count} film" if count == 1 else f"{count} films"
