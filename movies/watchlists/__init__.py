"""Reads of a session's watchlist once its films are looked up: its figures (figures.py) and what to
watch next from it, fitted to the member's own ratings (watch_next.py). Both are computed by
PostgreSQL; Python only shapes the rows it returns."""

from django.db import connection


def fetch(sql, params):
    """The rows of one query as dicts."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
