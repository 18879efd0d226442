"""What the API benchmarks (bench/poll.py, bench/analytics.py) share: production settings,
a throw-away database, and a realistic session to read.

Settings are production's (DEBUG off, no .env) except SECURE_SSL_REDIRECT, off on
loopback. Redis is REDIS_URL (default database 14, away from `make run`'s 0 and
the tests' 15); PostgreSQL is DATABASE_URL's server, in a database of its own.
"""

import os
import random
import sys
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_LIKE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DJANGO_ENV_FILE": "",
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
}


def setup_django():
    """Configure Django like production (variables already set win) and return its settings."""
    sys.path.insert(0, str(ROOT))
    for name, value in PRODUCTION_LIKE_ENV.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.conf import settings

    return settings


@contextmanager
def throwaway_database(suffix):
    """A new, migrated database `<DATABASE_URL name>_<suffix>`, dropped on exit; yields its URL."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    database["TEST"]["NAME"] = f"{database['NAME']}_{suffix}"
    original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    try:
        yield f"postgres://{database['USER']}{password}@{host}/{database['NAME']}"
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


GENRES = [
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family", "Fantasy",
    "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "TV Movie", "Thriller", "War",
    "Western",
]  # fmt: skip
LANGUAGES = ["en", "en", "en", "fr", "ja", "it", "de", "es", "ko", "sv", "ru", "zh", "hi", "pt", "da"]
COUNTRIES = ["United States of America", "France", "United Kingdom", "Japan", "Italy", "Germany", "Spain"]
TAGS = ["cinema", "home", "festival", "with friends", "35mm", "streaming"]
COUNTRIES += ["South Korea", "Sweden", "Canada", "Hong Kong", "Denmark", "India", "Brazil", "Mexico"]


def create_session(films, diary_entries, seed=1):
    """A completed session like a big real export: `films` enriched movies, `diary_entries` viewings."""
    from movies.models import Movie, Watch
    from sessions.models import Session

    rng = random.Random(seed)
    session = Session.objects.create(
        status=Session.Status.COMPLETED, total_movies=films, enriched_count=films, upload_metadata={}
    )
    movies = Movie.objects.bulk_create(
        [
            Movie(
                session=session,
                key=f"https://boxd.it/bench{n}",
                title=f"Film {n}",
                letterboxd_uri=f"https://boxd.it/bench{n}",
                rating=Decimal(rng.randint(1, 10)) / 2 if rng.random() < 0.8 else None,
                watched_date=date(2015, 1, 1) + timedelta(days=rng.randint(0, 3650)),
                liked=rng.random() < 0.2,
                enrichment_status=Movie.EnrichmentStatus.ENRICHED,
                tmdb_id=100_000 + n,
                genres=rng.sample(GENRES, rng.randint(1, 3)),
                directors=[f"Director {rng.randint(1, films // 2)}"],
                director_genders=[rng.choice([0, 1, 2, 2, 2])],
                writers=[f"Writer {rng.randint(1, films)}" for _ in range(rng.randint(1, 2))],
                cinematographers=[f"Cinematographer {rng.randint(1, films // 3)}"],
                composers=[f"Composer {rng.randint(1, films // 4)}"],
                release_date=(
                    release := date(rng.randint(1920, 2025), rng.randint(1, 12), rng.randint(1, 28))
                ),
                year=release.year,
                cast=[f"Actor {rng.randint(1, films * 3)}" for _ in range(5)],
                runtime=rng.randint(70, 200),
                popularity=round(rng.expovariate(0.1), 3),
                vote_average=round(rng.uniform(4, 9), 1),
                vote_count=rng.randint(1, 30_000),
                original_language=(language := rng.choice(LANGUAGES)),
                original_language_name=language.upper(),
                country=(countries := rng.sample(COUNTRIES, rng.randint(1, 2)))[0],
                production_countries=countries,
            )
            for n in range(films)
        ],
        batch_size=1000,
    )
    Watch.objects.bulk_create(
        [
            Watch(
                movie=rng.choice(movies),
                watched_date=date(2015, 1, 1) + timedelta(days=rng.randint(0, 3650)),
                rating=Decimal(rng.randint(1, 10)) / 2,
                rewatch=rng.random() < 0.15,
                tags=rng.sample(TAGS, rng.randint(0, 2)),
            )
            for _ in range(diary_entries)
        ],
        batch_size=1000,
    )
    return session
