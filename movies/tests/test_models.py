from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from movies.models import FilmLookup, Movie
from movies.tests.factories import FilmLookupFactory, MovieFactory, WatchFactory
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_a_film_is_stored_once_per_session():
    movie = MovieFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MovieFactory(session=movie.session, key=movie.key)


def test_the_same_film_may_be_in_two_sessions():
    movie = MovieFactory()

    MovieFactory(key=movie.key, session=SessionFactory())

    assert Movie.objects.filter(key=movie.key).count() == 2


@pytest.mark.parametrize("rating", [Decimal("0"), Decimal("5.5")])
def test_ratings_stay_within_half_a_star_and_five(rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        MovieFactory(rating=rating)
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchFactory(rating=rating)


def test_session_counters_cannot_exceed_its_movies():
    session = SessionFactory(total_movies=2, enriched_count=1, not_found_count=1)

    session.failed_count = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_unknown_session_status_is_refused():
    session = SessionFactory()

    session.status = "paused"
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_a_search_without_year_is_cached_once():
    FilmLookupFactory(normalized_title="solaris", year=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        FilmLookupFactory(normalized_title="solaris", year=None)
    assert FilmLookup.objects.filter(normalized_title="solaris").count() == 1


def test_deleting_a_session_deletes_its_movies_and_viewings():
    watch = WatchFactory()

    watch.movie.session.delete()

    assert not Movie.objects.exists()


def test_progress_counts_every_finished_movie():
    session = SessionFactory(total_movies=8, enriched_count=4, not_found_count=1, failed_count=1)

    assert session.progress_percent == 75.0
