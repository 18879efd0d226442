"""Tying an ambiguous diary entry to the film the member picks: it becomes a viewing of that film,
and every figure counts it from then on."""

from django.db import transaction

from core.errors import DomainError
from movies.models import AmbiguousEntry, Movie, Watch

# What an entry carries over to the viewing it becomes.
VIEWING_FIELDS = ["letterboxd_uri", "logged_date", "watched_date", "rating", "rewatch", "tags", "review"]


class PlacementRefused(DomainError):
    """The film picked is not one the entry could be."""


def entry_candidates(entry):
    """The session's films the entry's Name and Year name (two or more, by construction)."""
    return Movie.objects.filter(session_id=entry.session_id, title=entry.title, year=entry.year).order_by(
        "letterboxd_uri", "id"
    )


def place_entry(entry, movie_id):
    """Make the entry a Watch of the movie picked among its candidates; the entry goes.

    The movie's first viewing, rewatch flag, tags and review follow, as if the export had tied
    the row itself; the session's `updated_at` moves, so its cached statistics are read afresh.
    """
    with transaction.atomic():
        entry = AmbiguousEntry.objects.select_for_update().get(pk=entry.pk)
        movie = entry_candidates(entry).select_for_update().filter(pk=movie_id).first()
        if movie is None:
            raise PlacementRefused(
                f"Film {movie_id} is not one this diary entry could be: pick one of "
                f"{', '.join(str(pk) for pk in entry_candidates(entry).values_list('pk', flat=True))}."
            )
        watch = Watch.objects.create(movie=movie, **{name: getattr(entry, name) for name in VIEWING_FIELDS})
        _follow_viewing(movie, watch)
        entry.delete()
        session = movie.session
        session.save(update_fields=["updated_at"])
    return watch


def _follow_viewing(movie, watch):
    """The movie's fields derived from its viewings, as the export reader sets them."""
    dated = [movie.watched_date, watch.watched_date]
    dated = [day for day in dated if day]
    # watched_date is the first viewing; a film marked watched only had its marking date there.
    first_viewing = movie.watches.exclude(pk=watch.pk).exclude(watched_date=None).exists()
    if watch.watched_date and not first_viewing:
        movie.watched_date = watch.watched_date
    elif dated:
        movie.watched_date = min(dated)
    movie.rewatch = movie.rewatch or watch.rewatch
    movie.tags = list(dict.fromkeys([*movie.tags, *watch.tags]))
    if watch.review and not movie.review:
        movie.review = watch.review
    movie.save(update_fields=["watched_date", "rewatch", "tags", "review"])
