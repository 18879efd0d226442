"""Benchmark: POST /api/upload of a generated 3,000-film export with 2,500 diary entries.

Prints medians over several runs of the request through Django's test client (multipart
parsing, reading the ZIP or CSVs, merging, the one transaction that stores the session,
its movies and viewings) and their ratio to the 1.5 s goal, twice: up to the response,
and with the commit and what the enrichment app schedules on commit (publishing a chord
of one task per movie), which outside this benchmark also happens before the response
leaves. Then the peak memory of one more upload: Python allocations (tracemalloc) and
the process's peak RSS.

Then the largest accepted requests, sized to the limits in force (``UPLOAD_MAX_ROWS``,
``IMPORT_MAX_ROWS``): an upload of just under ``UPLOAD_MAX_ROWS`` CSV rows and an import of
just under ``IMPORT_MAX_ROWS`` movies plus viewings (its films pending, so all are dispatched:
the worst case), each timed with its commit and dispatch (medians of ``--large-runs``), with
the growth of the process's peak RSS during the first. The limits are sized so that these
end well within gunicorn's 30 s worker timeout and keep a web worker's memory modest.

It uses the test settings (the test Redis database, so published tasks never reach a
running worker; they are purged after each run) and its own throw-away database
(``<DATABASE_URL name>_bench_upload``), created, migrated and dropped here.

    .venv/bin/python bench/upload.py [--runs 7] [--films 3000] [--diary 2500] [--large-runs 3]
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from config.celery_app import app as celery_app  # noqa: E402
from movies.models import Movie, Watch  # noqa: E402
from sessions.models import Session  # noqa: E402
from sessions.tests.exports import generated_export  # noqa: E402

GOAL_SECONDS = 1.5


def post(client, files):
    """One upload, checked, then cleared away: (seconds to the response, seconds of the commit).

    The request runs inside an outer transaction so that its commit, and what the enrichment
    app schedules on commit (publishing the chord of one task per movie), is timed apart:
    outside a benchmark both happen before the response leaves.
    """
    for upload in files:
        upload.seek(0)
    with transaction.atomic():
        started = time.perf_counter()
        response = client.post("/api/upload", {"files": files})
        answered = time.perf_counter()
    committed = time.perf_counter()
    assert response.status_code == 201, response.content[:500]
    session_id = response.json()["session_id"]
    stored = (
        Movie.objects.filter(session_id=session_id).count(),
        Watch.objects.filter(movie__session_id=session_id).count(),
    )
    Session.objects.all().delete()
    celery_app.control.purge()
    return {"request": answered - started, "commit": committed - answered, "stored": stored}


# Rows per film of generated_export(n, n): watched, ratings, a third liked, a diary entry,
# a tenth of those reviewed.
UPLOAD_ROWS_PER_FILM = 1 + 1 + 1 / 3 + 1 + 1 / 10


def _proc_status_mib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def largest(measure, runs):
    """Medians of runs of measure() -> (seconds, rows), and the peak RSS growth of the first run."""
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset the peak RSS (VmHWM) to the current RSS
    rss_before = _proc_status_mib("VmRSS")
    first = measure()
    rss_growth = _proc_status_mib("VmHWM") - rss_before
    timings = [first, *(measure() for _ in range(runs - 1))]
    return statistics.median(seconds for seconds, _ in timings), first[1], rss_growth


def largest_upload(client):
    films = int(settings.UPLOAD_MAX_ROWS / UPLOAD_ROWS_PER_FILM * 0.98)
    files = [generated_export(films, films).zip_upload()]

    def measure():
        files[0].seek(0)
        started = time.perf_counter()
        response = client.post("/api/upload", {"files": files})
        seconds = time.perf_counter() - started
        assert response.status_code == 201, response.content[:500]
        rows = Session.objects.get(pk=response.json()["session_id"]).upload_metadata["total_rows"]
        Session.objects.all().delete()
        celery_app.control.purge()
        return seconds, rows

    return measure


def largest_import(client):
    films = int(settings.IMPORT_MAX_ROWS / 2 * 0.98)  # one viewing per film: movies + viewings
    response = client.post("/api/upload", {"files": [generated_export(films, films).zip_upload()]})
    assert response.status_code == 201, response.content[:500]
    document = client.get(f"/api/session/{response.json()['session_id']}/export").content
    Session.objects.all().delete()
    celery_app.control.purge()

    def measure():
        started = time.perf_counter()
        response = client.post("/api/session/import", document, content_type="application/json")
        seconds = time.perf_counter() - started
        assert response.status_code == 201, response.content[:500]
        rows = Movie.objects.count() + Watch.objects.count()
        Session.objects.all().delete()
        celery_app.control.purge()
        return seconds, rows

    return measure, len(document)


def medians(client, files, runs):
    timings = [post(client, files) for _ in range(runs)]
    return {
        "request": statistics.median(run["request"] for run in timings),
        "total": statistics.median(run["request"] + run["commit"] for run in timings),
        "stored": timings[0]["stored"],
    }


def peak_memory(client, files):
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    post(client, files)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak / (1024 * 1024), rss_after, rss_after - rss_before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per form; medians are printed")
    parser.add_argument("--films", type=int, default=3000)
    parser.add_argument("--diary", type=int, default=2500)
    parser.add_argument(
        "--large-runs", type=int, default=3, help="timed runs of the largest accepted requests"
    )
    args = parser.parse_args()

    export = generated_export(args.films, args.diary)
    zip_upload = [export.zip_upload()]
    csv_uploads = export.csv_uploads()
    setup_test_environment()  # the test client's host name is allowed
    settings.API_WRITE_RATE_LIMIT = (10**6, 60)  # every run comes from one client: no 429 mid-benchmark
    settings.DATABASES["default"]["TEST"]["NAME"] = f"{settings.DATABASES['default']['NAME']}_bench_upload"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        post(client, zip_upload)  # warm-up: imports, connection, first queries
        by_form = {
            "ZIP": medians(client, zip_upload, args.runs),
            "loose CSVs": medians(client, csv_uploads, args.runs),
        }
        python_peak, rss_peak, rss_growth = peak_memory(client, zip_upload)
        upload_at_limit = largest(largest_upload(client), args.large_runs)
        measure_import, import_bytes = largest_import(client)
        import_at_limit = largest(measure_import, args.large_runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    size_kib = zip_upload[0].size / 1024
    print(f"export: {args.films:,} films, {args.diary:,} diary entries, ZIP of {size_kib:.0f} KiB")
    movies, viewings = by_form["ZIP"]["stored"]
    print(f"stored per upload: {movies:,} movies, {viewings:,} viewings; medians of {args.runs} runs")
    print(f"goal: {GOAL_SECONDS} s\n")
    print("seconds: the upload up to its response; then with its commit and the enrichment dispatch")
    print(f"{'POST /api/upload':18} {'upload':>8} {'/goal':>6} {'with dispatch':>14} {'/goal':>6}")
    for form, timing in by_form.items():
        upload, total = timing["request"], timing["total"]
        print(
            f"{form:18} {upload:8.3f} {upload / GOAL_SECONDS:6.2f} {total:14.3f} {total / GOAL_SECONDS:6.2f}"
        )
    print(f"\npeak Python memory during one upload (tracemalloc): {python_peak:.1f} MiB")
    print(f"peak RSS of the process: {rss_peak:.0f} MiB ({rss_growth:+.0f} MiB during that upload)")
    print(f"\nlargest accepted, with commit and dispatch; medians of {args.large_runs} runs")
    print(f"{'request':34} {'rows':>8} {'limit':>8} {'seconds':>8} {'peak RSS growth':>16}")
    for name, limit, (seconds, rows, growth) in (
        ("POST /api/upload (ZIP)", settings.UPLOAD_MAX_ROWS, upload_at_limit),
        (
            f"POST /api/session/import ({import_bytes / 2**20:.1f} MiB)",
            settings.IMPORT_MAX_ROWS,
            import_at_limit,
        ),
    ):
        print(f"{name:34} {rows:8,} {limit:8,} {seconds:8.2f} {growth:+13.0f} MiB")


if __name__ == "__main__":
    main()
