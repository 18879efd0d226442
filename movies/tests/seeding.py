"""Many rows fast, for tests about how queries scale: one INSERT ... SELECT with generate_series,
every other column its default (factories would take minutes for tens of thousands of rows)."""

from django.db import connection

from movies.models import Movie, Watch


def insert_movies(session_ids, per_session, *, first=1, **columns):
    """``per_session`` movies in each session (keys "film <first>".. on); ``columns`` sets fields."""
    names, values, params = [], [], []
    for field in Movie._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(connection.ops.quote_name(field.column))
        if field.attname == "session_id":
            values.append("s.id")
        elif field.name in ("key", "title"):
            values.append("'film ' || g")
        elif field.name == "letterboxd_uri":
            values.append("'https://boxd.it/' || s.id || '-' || g")
        else:
            values.append("%s")
            value = columns.get(field.name, field.get_default())
            params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Movie._meta.db_table} ({', '.join(names)}) SELECT {', '.join(values)}"
            f" FROM unnest(%s::uuid[]) AS s(id) CROSS JOIN generate_series(%s, %s) AS g",
            [*params, [str(pk) for pk in session_ids], first, first + per_session - 1],
        )


def insert_viewings(session_ids):
    """One viewing of every movie of the sessions."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Watch._meta.db_table}"
            " (movie_id, letterboxd_uri, watched_date, rewatch, tags, review)"
            f" SELECT m.id, '', CURRENT_DATE, false, '{{}}', '' FROM {Movie._meta.db_table} m"
            " WHERE m.session_id = ANY(%s::uuid[])",
            [[str(pk) for pk in session_ids]],
        )


def analyze():
    """Fresh planner statistics for what the test inserted (its own transaction's rows count)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Movie._meta.db_table}; ANALYZE {Watch._meta.db_table}")
