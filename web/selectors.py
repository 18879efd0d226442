"""Reads the pages need beyond the API's answers."""

from django.db.models import Count

from movies.models import Watch


def diary_days(session):
    """Dated diary entries per day, {"YYYY-MM-DD": viewings}, for the calendar heatmap."""
    rows = (
        Watch.objects.filter(movie__session=session, watched_date__isnull=False)
        .values_list("watched_date")
        .annotate(viewings=Count("id"))
        .order_by("watched_date")
    )
    return {day.isoformat(): viewings for day, viewings in rows}
