"""Building bench/scale.py's databases: real uploads first, then SQL copies of them.

A database gets ``templates`` sessions through the real upload path (``POST /api/upload`` of the
1,603-film sample export), whose films are then marked enriched from a cross-session cache made
here (Film, LetterboxdLink, FilmLookup); every further session is an SQL copy of a template
(INSERT ... SELECT: sessions, movies, viewings, watchlist), each keeping about 55 % of the films
and giving one film in 13 a Letterboxd URI, title and TMDB film of its own, so that the caches grow
with the deployment as they do in real use (about 70 new films per session). Sizes are topped up:
a built database is kept and only what is missing is added.
"""

from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

SAMPLE = Path("/work/shared/samples/letterboxd-export-2024")
SAMPLE_FILES = ("watched.csv", "diary.csv", "ratings.csv", "reviews.csv", "watchlist.csv")
COPY_CHUNK = 100  # sessions per INSERT ... SELECT round
# Copies keep films where (movie id + copy number) % KEEP_MOD < KEEP_BELOW, and give a film of their
# own (new URI, title, TMDB id) where (movie id + copy number) % OWN_FILM_MOD = 0.
KEEP_MOD, KEEP_BELOW, OWN_FILM_MOD = 11, 6, 13
SYNTHETIC_TMDB_BASE = 1_000_000_000


def use_database(name):
    """Point the default connection at database ``name`` (closing the current one)."""
    conn = connections["default"]
    conn.close()
    conn.settings_dict["NAME"] = name


def ensure_database(name, *, rebuild=False):
    """Create (or with ``rebuild`` drop and create) database ``name``, migrate it, and use it."""
    with connection._nodb_cursor() as cursor:
        if rebuild:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    use_database(name)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_scale_template (session_id uuid PRIMARY KEY);"
            "CREATE TABLE IF NOT EXISTS bench_scale_copy (n serial PRIMARY KEY, session_id uuid UNIQUE)"
        )


def sample_files():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [SimpleUploadedFile(name, (SAMPLE / name).read_bytes(), "text/csv") for name in SAMPLE_FILES]


def upload_sample(client):
    """One real upload of the sample export; returns its session id."""
    response = client.post("/api/upload", {"files": sample_files()})
    assert response.status_code == 201, response.content[:500]
    return response.json()["session_id"]


def purge_broker():
    """Drop the start_enrichment messages the uploads queued (no worker runs here)."""
    from config.celery_app import app

    app.control.purge()


def columns_and_values(model, overrides, skip=()):
    """The INSERT column list and SELECT expressions: ``overrides`` (column -> SQL), the rest the
    field's Python default as a parameter. Returns (columns, expressions, params)."""
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.column in skip or (field.primary_key and field.column not in overrides):
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in overrides:
            values.append(overrides[field.column])
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    return ", ".join(columns), ", ".join(values), params


FILM_FIELDS_SQL = {
    "genres": "ARRAY[(ARRAY['Drama','Comedy','Thriller','Horror','Romance','Action','Documentary'])"
    "[1 + mod(h, 7)], (ARRAY['Crime','Family','Fantasy','History','Music','Mystery','War'])"
    "[1 + mod(h / 7, 7)]]::varchar[]",
    "directors": "ARRAY['Director ' || mod(h, 900)]::varchar[]",
    "director_genders": "ARRAY[(mod(h, 5) = 0)::int + 1]::smallint[]",
    "cast": "ARRAY['Actor ' || mod(h, 3000), 'Actor ' || mod(h / 3, 3000),"
    " 'Actor ' || mod(h / 7, 3000)]::varchar[]",
    "writers": "ARRAY['Writer ' || mod(h, 1200)]::varchar[]",
    "cinematographers": "ARRAY['Cinematographer ' || mod(h, 500)]::varchar[]",
    "composers": "ARRAY['Composer ' || mod(h, 400)]::varchar[]",
    "runtime": "80 + mod(h, 100)",
    "popularity": "(mod(h, 1000)) / 10.0",
    "vote_average": "4 + (mod(h, 50)) / 10.0",
    "vote_count": "mod(h, 20000)",
    "original_language": "(ARRAY['en','fr','ja','it','de','es','ko'])[1 + mod(h, 7)]",
    "original_language_name": "(ARRAY['English','French','Japanese','Italian','German','Spanish','Korean'])"
    "[1 + mod(h, 7)]",
    "country": "(ARRAY['United States of America','France','Japan','Italy','Germany'])[1 + mod(h, 5)]",
    "production_countries": "ARRAY[(ARRAY['United States of America','France','Japan','Italy','Germany'])"
    "[1 + mod(h, 5)]]::varchar[]",
    "release_date": "make_date(COALESCE(year, 2000)::int, 1 + mod(h, 12), 1 + mod(h, 28))",
}


def enrich_templates():
    """Give the templates' films a cache entry and mark their movies enriched from it."""
    from enrichment.models import LetterboxdLink
    from movies.models import Film, Movie, TmdbFields

    now = timezone.now()
    film, link, movie = (m._meta.db_table for m in (Film, LetterboxdLink, Movie))
    source = (
        f"SELECT DISTINCT ON (letterboxd_uri) letterboxd_uri AS uri, title, year,"
        f" mod(abs(hashtext(letterboxd_uri)), 900000000) + 1 AS h FROM {movie}"
        f" WHERE session_id IN (SELECT session_id FROM bench_scale_template) AND letterboxd_uri <> ''"
    )
    with connection.cursor() as cursor:
        cache_films(cursor, source, now)
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = f.{quote(f.column)}" for f in TmdbFields._meta.fields)
        cursor.execute(
            f"UPDATE {movie} AS m SET {assignments}, tmdb_id = f.tmdb_id, enrichment_status = 'enriched',"
            f" enriched_at = %s, match_method = 'exact_year', match_confidence = 0.95"
            f" FROM {link} l JOIN {film} f ON f.tmdb_id = l.film_id"
            f" WHERE l.uri = m.letterboxd_uri AND m.enrichment_status = 'pending'"
            f" AND m.session_id IN (SELECT session_id FROM bench_scale_template)",
            [now],
        )
        cursor.execute(
            "UPDATE upload_sessions_session s SET status = 'completed', completed_at = %s,"
            " enriched_count = c.enriched,"
            " not_found_count = s.total_movies - c.enriched"
            f" FROM (SELECT session_id, count(*) FILTER (WHERE enrichment_status = 'enriched') AS enriched"
            f" FROM {movie} WHERE session_id IN (SELECT session_id FROM bench_scale_template) GROUP BY 1) c"
            " WHERE s.id = c.session_id AND s.status <> 'completed'",
            [now],
        )
        cursor.execute(
            f"UPDATE {movie} SET enrichment_status = 'not_found' WHERE enrichment_status = 'pending'"
            " AND session_id IN (SELECT session_id FROM bench_scale_template)"
        )


def cache_films(cursor, source_sql, now):
    """Film, LetterboxdLink and FilmLookup rows for ``source_sql``'s (uri, title, year, h = tmdb id)."""
    from enrichment.models import LetterboxdLink
    from movies.models import Film, FilmLookup

    columns, values, params = columns_and_values(
        Film,
        {
            "tmdb_id": "h",
            "title": "title",
            "original_title": "title",
            "fetched_at": "now()",
            **FILM_FIELDS_SQL,
        },
    )
    cursor.execute(
        f"INSERT INTO {Film._meta.db_table} ({columns}) SELECT {values} FROM ({source_sql}) AS src"
        " ON CONFLICT DO NOTHING",
        params,
    )

    cursor.execute(
        f"INSERT INTO {LetterboxdLink._meta.db_table}"
        " (uri, film_id, method, confidence, updated_at, disputed)"
        f" SELECT uri, h, 'exact_year', 0.95, %s, false FROM ({source_sql}) AS src ON CONFLICT DO NOTHING",
        [now],
    )
    cursor.execute(
        f"INSERT INTO {FilmLookup._meta.db_table} (normalized_title, year, film_id, match_method,"
        " match_confidence, match_candidates, match_reason, resolved_at, expires_at)"
        " SELECT lower(title), year, h, 'exact_year', 0.95, '[]'::jsonb, '', %s, %s"
        f" FROM ({source_sql}) AS src"
        " ON CONFLICT DO NOTHING",
        [now, now + timedelta(days=30)],
    )


def add_copies(count, *, expires_at=None, cache=True):
    """``count`` SQL copies of the templates (in turn), with (unless not ``cache``) their films'
    cache entries; returns the new session ids. ``expires_at`` (default: the usual TTL) lets a
    caller make them expired."""
    new_ids = []
    for start in range(0, count, COPY_CHUNK):
        new_ids += _copy_chunk(min(COPY_CHUNK, count - start), expires_at, cache)
    return new_ids


def _copy_chunk(count, expires_at, cache):
    from movies.models import Film, Movie, Watch, WatchlistEntry

    now = timezone.now()
    movie, watch, watchlist, film = (m._meta.db_table for m in (Movie, Watch, WatchlistEntry, Film))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS copy_map (n int, session_id uuid, template uuid);"
            "TRUNCATE copy_map;"
            "WITH numbered AS (SELECT session_id, row_number() OVER (ORDER BY session_id) - 1 AS i,"
            " count(*) OVER () AS templates FROM bench_scale_template),"
            " added AS (INSERT INTO bench_scale_copy (session_id) SELECT gen_random_uuid()"
            " FROM generate_series(1, %s) RETURNING n, session_id)"
            " INSERT INTO copy_map SELECT a.n, a.session_id, t.session_id FROM added a"
            " JOIN numbered t ON t.i = mod(a.n, t.templates)",
            [count],
        )
        session_columns = [
            f.column for f in Movie._meta.get_field("session").related_model._meta.concrete_fields
        ]
        select = [
            {
                "id": "c.session_id",
                "created_at": "%s",
                "updated_at": "%s",
                "last_accessed": "%s",
                "expires_at": "%s",
            }.get(column, f"s.{column}")
            for column in session_columns
        ]
        cursor.execute(
            f"INSERT INTO upload_sessions_session ({', '.join(session_columns)}) SELECT {', '.join(select)}"
            " FROM copy_map c JOIN upload_sessions_session s ON s.id = c.template",
            [now, now, now, expires_at or now + timedelta(days=30)],
        )
        own = f"mod(m.id + c.n, {OWN_FILM_MOD}) = 0"
        movie_columns = [f.column for f in Movie._meta.concrete_fields if not f.primary_key]
        overrides = {
            "session_id": "c.session_id",
            "letterboxd_uri": f"CASE WHEN {own} THEN 'https://boxd.it/scale-' || c.n || '-' || m.id"
            " ELSE m.letterboxd_uri END",
            "title": f"CASE WHEN {own} THEN m.title || ' (' || c.n || ')' ELSE m.title END",
            "tmdb_id": f"CASE WHEN {own} THEN {SYNTHETIC_TMDB_BASE} + c.n * 100000 + mod(m.id, 100000)"
            " ELSE m.tmdb_id END",
        }
        quote = connection.ops.quote_name
        cursor.execute(
            f"INSERT INTO {movie} ({', '.join(quote(c) for c in movie_columns)})"
            f" SELECT {', '.join(overrides.get(c, f'm.{quote(c)}') for c in movie_columns)}"
            f" FROM copy_map c JOIN {movie} m ON m.session_id = c.template"
            f" WHERE mod(m.id + c.n, {KEEP_MOD}) < {KEEP_BELOW}"
        )
        watch_columns = [
            f.column for f in Watch._meta.concrete_fields if not f.primary_key and f.column != "movie_id"
        ]
        cursor.execute(
            f"INSERT INTO {watch} (movie_id, {', '.join(watch_columns)})"
            f" SELECT nm.id, {', '.join(f'w.{c}' for c in watch_columns)} FROM copy_map c"
            f" JOIN {movie} om ON om.session_id = c.template JOIN {watch} w ON w.movie_id = om.id"
            f" JOIN {movie} nm ON nm.session_id = c.session_id AND nm.key = om.key"
        )
        list_columns = [
            f.column
            for f in WatchlistEntry._meta.concrete_fields
            if not f.primary_key and f.column != "session_id"
        ]
        cursor.execute(
            f"INSERT INTO {watchlist} (session_id, {', '.join(list_columns)})"
            f" SELECT c.session_id, {', '.join(f'e.{c}' for c in list_columns)} FROM copy_map c"
            f" JOIN {watchlist} e ON e.session_id = c.template"
        )
        cursor.execute(
            "UPDATE upload_sessions_session s SET total_movies = k.total, enriched_count = k.enriched,"
            " not_found_count = k.total - k.enriched FROM (SELECT m.session_id, count(*) AS total,"
            " count(*) FILTER (WHERE m.enrichment_status = 'enriched') AS enriched"
            f" FROM copy_map c JOIN {movie} m ON m.session_id = c.session_id GROUP BY 1) k"
            " WHERE s.id = k.session_id"
        )
        # The copies' own films join the cross-session cache, as their enrichment would have left them.
        source = (
            f"SELECT m.letterboxd_uri AS uri, m.title, m.year, m.tmdb_id AS h FROM copy_map c"
            f" JOIN {movie} m ON m.session_id = c.session_id"
            f" WHERE m.tmdb_id >= {SYNTHETIC_TMDB_BASE}"
        )
        if cache:
            cache_films(cursor, source, now)
        cursor.execute("SELECT session_id FROM copy_map")
        return [row[0] for row in cursor.fetchall()]


def build(name, sessions, templates, *, rebuild=False, log=print):
    """Database ``name`` with at least ``sessions`` sessions, ``templates`` of them real uploads."""
    ensure_database(name, rebuild=rebuild)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_scale_template")
        [uploaded] = cursor.fetchone()
    if uploaded < templates:
        client = Client()
        for _ in range(templates - uploaded):
            session_id = upload_sample(client)
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_scale_template VALUES (%s)", [session_id])
        purge_broker()
        enrich_templates()
    from sessions.models import Session

    missing = sessions - Session.objects.count()
    if missing > 0:
        log(f"  {name}: adding {missing:,} copies")
        add_copies(missing)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return templates_of()


def templates_of():
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_id FROM bench_scale_template ORDER BY session_id")
        return [str(row[0]) for row in cursor.fetchall()]


def sizes():
    """{table: rows} of the tables that grow with the deployment (planner estimates: instant)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s) ORDER BY relname",
            [list(GROWING_TABLES)],
        )
        return dict(cursor.fetchall())


GROWING_TABLES = (
    "upload_sessions_session", "movies_movie", "movies_watch", "movies_watchlistentry", "movies_film",
    "movies_filmlookup", "enrichment_letterboxdlink", "movies_filmlist", "movies_filmlistentry",
    "movies_ambiguousentry", "movies_sharelink", "enrichment_matchcorrection",
)  # fmt: skip


def clone_session(template, *, status, cold=False):
    """A copy of session ``template`` with every film pending (no viewings: its films are the work).

    ``cold``: its films get URIs and titles no cache knows, so nothing resolves them there."""
    from movies.models import Movie
    from sessions.models import Session

    source = Session.objects.get(pk=template)
    clone = Session.objects.create(
        status=status, total_movies=source.total_movies, upload_metadata=source.upload_metadata
    )
    movie_columns = [f.column for f in Movie._meta.concrete_fields if not f.primary_key]
    overrides = {
        "session_id": "%s",
        "enrichment_status": "'pending'",
        "enrichment_attempts": "0",
        "tmdb_id": "NULL",
    }
    if cold:
        overrides["letterboxd_uri"] = "'https://boxd.it/cold-' || m.id || '-' || %s"
        overrides["title"] = "m.title || ' (cold ' || m.id || ')'"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Movie._meta.db_table} ({', '.join(quote(c) for c in movie_columns)})"
            f" SELECT {', '.join(overrides.get(c, f'm.{quote(c)}') for c in movie_columns)}"
            f" FROM {Movie._meta.db_table} m WHERE m.session_id = %s",
            [str(clone.pk), *([str(clone.pk)] if cold else []), template],
        )
    return clone
