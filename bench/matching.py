"""Matching benchmark: the stand-in's realistic catalog through the real client and matcher.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/matching.py [--films 1500] [--seed 7]

Starts the stand-in (``manage.py fake_tmdb``, its rate limit raised: this measures answers,
not time), builds the same catalog in-process to know every row's right answer, and enriches
one session of rows with ``enrich_movie`` (the code a worker runs) from a cold cache: ``--films``
exact-year rows of the base catalog plus every case of enrichment/standin/catalog.py (year off,
absent, decoys, Split-shaped and same-year ties, shorts, renamed titles, TV, the duplicate pair).
Prints, overall and per case:

- precision: matched films that are the right film (goal >= 0.995)
- recall: matchable rows matched to the right film (goal >= 0.98)
- TV detected: TV rows ended as TV with the right entry (goal >= 0.95)
- flagged right: matches below the review threshold (ambiguous, renamed) that were right
- the calibration table: per confidence given, how many matches and the share right; at or
  above the review threshold the share must be >= 0.995 (goal)
- requests per film, against the search order before this change replayed on the same rows
  (year, year - 1, year + 1, no year; the first acceptable hit, then details): must not be more.

Then, from a cold cache again, the realistic mix of catalog.realistic_mix (``--films`` rows: a
real export's proportions plus festival premieres, shorts and features, TV with its specials,
English titles): precision, recall, TV detected, share right at or above the threshold and
requests per film (goal <= 2.05).

Deletes its session and the cache entries of the catalog's films afterwards.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.enrich import StandIn, configure, start, stop  # noqa: E402

GOALS = {"precision": 0.995, "recall": 0.98, "tv": 0.95, "confident": 0.995, "requests": 2.05}


def bench_rows(catalog, films, seed):
    exact = [row for row in catalog.rows if row.case in ("exact", "no_year")]
    chosen = random.Random(seed).sample(exact, min(films, len(exact)))
    return chosen + [row for row in catalog.rows if row.case not in ("exact", "no_year")]


def forget(catalog, rows):
    from enrichment.matching.rules import fold_title
    from enrichment.models import LetterboxdLink
    from movies.models import Film, FilmLookup

    LetterboxdLink.objects.filter(uri__in=[row.uri for row in rows]).delete()
    FilmLookup.objects.filter(normalized_title__in={fold_title(row.title) for row in rows}).delete()
    Film.objects.filter(tmdb_id__in=[film["id"] for film in catalog.films]).delete()


def enrich(rows):
    """One session of ``rows``, each movie enriched as a worker would; returns {uri: Movie}."""
    from enrichment.services.enriching import enrich_movie
    from movies.models import Movie
    from sessions.models import Session

    session = Session.objects.create(
        total_movies=len(rows), status=Session.Status.ENRICHING, upload_metadata={"bench": "matching"}
    )
    Movie.objects.bulk_create(
        Movie(session=session, key=row.uri, title=row.title, year=row.year, letterboxd_uri=row.uri)
        for row in rows
    )
    for movie_id in session.movies.values_list("pk", flat=True):
        enrich_movie(movie_id)
    return session, {movie.letterboxd_uri: movie for movie in session.movies.all()}


def previous_order_requests(row, fake):
    """Requests the search order before this change would spend on ``row`` (replayed on the catalog)."""
    from enrichment.matching.rules import fold_title

    wanted = fold_title(row.title)
    years = [None] if row.year is None else [row.year, row.year - 1, row.year + 1, None]
    for searches, year in enumerate(years, start=1):
        params = {"query": row.title, "api_key": fake.api_key, **({"year": str(year)} if year else {})}
        _, _, answer = fake.handle("/3/search/movie", params, {})
        for hit in answer["results"]:
            hit_year = int(hit["release_date"][:4]) if hit["release_date"] else None
            title_fits = wanted in (fold_title(hit["title"]), fold_title(hit["original_title"]))
            if title_fits and (row.year is None or (hit_year is not None and abs(hit_year - row.year) <= 1)):
                return searches + 1
    return len(years)


def load_average():
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def share(part, whole):
    return part / whole if whole else float("nan")


def measure(fake, stand_in, rows):
    """Enrich ``rows`` from a cold cache; (session, {uri: Movie}, requests sent, seconds)."""
    from enrichment.tmdb import ratelimit

    forget(fake.catalog, rows)
    ratelimit.reset()
    stand_in.reset()
    started = time.monotonic()
    session, movies = enrich(rows)
    return session, movies, stand_in.stats().get("requests", 0), time.monotonic() - started


def tally(rows, movies):
    """Per case counts of rows, matches, right matches, TV found and flagged; and per confidence."""
    from enrichment.matching.rules import REVIEW_BELOW
    from movies.models import Movie

    per_case, per_confidence = defaultdict(Counter), defaultdict(Counter)
    for row in rows:
        movie, case = movies[row.uri], per_case[row.case]
        case["rows"] += 1
        matched = movie.enrichment_status == Movie.EnrichmentStatus.ENRICHED
        right = matched and movie.tmdb_id == row.tmdb_id
        case["matched"] += matched
        case["right"] += right
        case["matchable"] += row.tmdb_id is not None
        case["tv_rows"] += row.tv_id is not None
        case["tv_right"] += (
            movie.enrichment_status == Movie.EnrichmentStatus.TV and movie.tmdb_tv_id == row.tv_id
        )
        flagged = matched and (movie.match_confidence or 0) < REVIEW_BELOW
        case["flagged"] += flagged
        case["flagged_right"] += flagged and right
        case["confident"] += matched and not flagged
        case["confident_right"] += right and not flagged
        if matched:
            per_confidence[movie.match_confidence or 0.0]["matches"] += 1
            per_confidence[movie.match_confidence or 0.0]["right"] += right
    return per_case, sum(per_case.values(), Counter()), per_confidence


def figures_of(total):
    return {
        "precision": share(total["right"], total["matched"]),
        "recall": share(total["right"], total["matchable"]),
        "tv": share(total["tv_right"], total["tv_rows"]),
        "confident": share(total["confident_right"], total["confident"]),
    }


def print_figures(figures, review_below):
    labels = (
        ("precision", "precision"),
        ("recall", "recall of matchable films"),
        ("tv", "TV entries detected"),
        ("confident", f"right at or above the review threshold ({review_below})"),
    )
    for name, label in labels:
        verdict = "met" if figures[name] >= GOALS[name] else "MISSED"
        print(f"{label}: {figures[name]:.4f} (goal >= {GOALS[name]}: {verdict})")


def print_calibration(per_confidence, review_below):
    print(f"calibration (confidence given -> share right; review below {review_below}):")
    print(f"{'confidence':>12}{'matches':>9}{'right':>7}{'share':>8}")
    for confidence in sorted(per_confidence, reverse=True):
        bucket = per_confidence[confidence]
        print(
            f"{confidence:>12.2f}{bucket['matches']:>9}{bucket['right']:>7}"
            f"{share(bucket['right'], bucket['matches']):>8.4f}"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--films", type=int, default=1500, help="exact-year rows besides the cases")
    parser.add_argument("--size", type=int, default=3000, help="base films of the catalog")
    parser.add_argument("--port", type=int, default=18231, help="the stand-in's port")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    configure(args.port, rate_limit="100000/1")  # answers are measured here, not time

    from django.core.management import call_command

    from enrichment.matching.rules import REVIEW_BELOW
    from enrichment.standin.catalog import realistic_mix
    from enrichment.standin.server import FakeTmdb

    call_command("migrate", verbosity=0)
    fake = FakeTmdb(seed=args.seed, size=args.size, limit=10**9, window=1.0)
    rows = bench_rows(fake.catalog, args.films, args.seed)
    mix = realistic_mix(fake.catalog, args.films, args.seed)
    stand_in = StandIn(args.port)
    server = start(
        [sys.executable, "manage.py", "fake_tmdb", "--port", str(args.port), "--seed", str(args.seed),
         "--size", str(args.size), "--limit", "1000000000", "--window", "1"],
        stand_in.is_up,
        "the TMDB stand-in",
    )  # fmt: skip
    sessions = []
    try:
        print(
            f"load average at start: {' '.join(f'{load:.2f}' for load in os.getloadavg())} (shared machine)"
        )
        session, movies, requests, seconds = measure(fake, stand_in, rows)
        sessions.append(session)
        previous = sum(previous_order_requests(row, fake) for row in rows)
        per_case, total, per_confidence = tally(rows, movies)
        print(
            f"{len(rows)} rows ({args.films} exact-year rows and every case), "
            f"seed {args.seed}, {seconds:.1f} s"
        )
        print(
            f"{'case':<20}{'rows':>6}{'matched':>9}{'right':>7}{'tv':>5}{'flagged':>9}{'flag ok':>9}"
            f"{'sure':>6}{'sure ok':>9}"
        )
        for name, case in sorted(per_case.items()):
            print(
                f"{name:<20}{case['rows']:>6}{case['matched']:>9}{case['right']:>7}{case['tv_right']:>5}"
                f"{case['flagged']:>9}{case['flagged_right']:>9}{case['confident']:>6}{case['confident_right']:>9}"
            )
        print_figures(figures_of(total), REVIEW_BELOW)
        print(
            f"flagged for review (confidence < {REVIEW_BELOW}): {total['flagged']} matches, "
            f"{share(total['flagged_right'], total['flagged']):.2f} of them right"
        )
        print_calibration(per_confidence, REVIEW_BELOW)
        print(
            f"requests per film: {requests / len(rows):.3f} "
            f"(the search order before this change: {previous / len(rows):.3f} on the same rows)"
        )

        session, movies, requests, seconds = measure(fake, stand_in, mix)
        sessions.append(session)
        _, total, per_confidence = tally(mix, movies)
        print(f"\nthe realistic mix: {len(mix)} rows, {seconds:.1f} s, cold cache")
        print_figures(figures_of(total), REVIEW_BELOW)
        print_calibration(per_confidence, REVIEW_BELOW)
        per_film = requests / len(mix)
        verdict = "met" if per_film <= GOALS["requests"] else "MISSED"
        print(
            f"requests per film on the realistic mix: {per_film:.3f} (goal <= {GOALS['requests']}: {verdict})"
        )
        print(f"load average at end: {load_average()}")
    finally:
        stop(server)
        for session in sessions:
            session.delete()
        forget(fake.catalog, rows + mix)


if __name__ == "__main__":
    main()
