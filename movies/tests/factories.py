from datetime import timedelta

import factory
from django.utils import timezone

from movies.models import Film, FilmLookup, Movie, Watch, WatchlistEntry
from sessions.tests.factories import SessionFactory


class SessionFilmFactory(factory.django.DjangoModelFactory):
    """A film of a session as Letterboxd names it: what a movie and a watchlist entry share."""

    class Meta:
        abstract = True

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Film {n}")
    year = 2001
    letterboxd_uri = factory.Sequence(lambda n: f"https://boxd.it/f{n:04d}")


class MovieFactory(SessionFilmFactory):
    class Meta:
        model = Movie

    key = factory.LazyAttribute(lambda movie: movie.letterboxd_uri or f"{movie.title} ({movie.year})")


class EnrichedMovieFactory(MovieFactory):
    enrichment_status = Movie.EnrichmentStatus.ENRICHED
    tmdb_id = factory.Sequence(lambda n: 1000 + n)
    genres = factory.LazyFunction(lambda: ["Drama"])
    directors = factory.LazyFunction(lambda: ["Agnès Varda"])
    cast = factory.LazyFunction(lambda: ["Actor One", "Actor Two"])
    runtime = 100
    popularity = 12.5
    vote_average = 7.1
    original_language = "en"
    country = "France"
    production_countries = factory.LazyFunction(lambda: ["France"])
    enriched_at = factory.LazyFunction(timezone.now)


class WatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Watch

    movie = factory.SubFactory(MovieFactory)
    watched_date = factory.Faker("date_this_decade")


class WatchlistEntryFactory(SessionFilmFactory):
    class Meta:
        model = WatchlistEntry

    added_on = factory.Faker("date_this_decade")


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film

    tmdb_id = factory.Sequence(lambda n: 500_000 + n)
    title = factory.Sequence(lambda n: f"Cached film {n}")
    genres = factory.LazyFunction(lambda: ["Comedy"])
    runtime = 95


class FilmLookupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilmLookup

    normalized_title = factory.Sequence(lambda n: f"cached film {n}")
    year = 1999
    film = factory.SubFactory(FilmFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
