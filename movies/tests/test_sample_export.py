"""The real export in ../shared/samples uploads as a ZIP and as loose CSVs alike.

A user's clone has no ../shared: then this module is skipped; the other upload tests
build their exports in the project.
"""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from movies.tests.helpers import stored_films, stored_viewings
from sessions.models import Session
from sessions.tests.exports import LOOSE_NAMES

SAMPLE = settings.BASE_DIR.parent / "shared" / "samples" / "letterboxd-export-2024"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SAMPLE.is_dir(), reason="no ../shared/samples in this checkout"),
]


def sample_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SAMPLE.rglob("*.csv")):
            archive.write(path, path.relative_to(SAMPLE).as_posix())
    return SimpleUploadedFile("letterboxd-sample-2024-04-01-10-00-utc.zip", buffer.getvalue())


def sample_csvs():
    return [SimpleUploadedFile(name, (SAMPLE / path).read_bytes()) for path, name in LOOSE_NAMES.items()]


def test_the_sample_uploads_as_a_zip_and_as_csvs_with_the_same_films_and_viewings(client):
    from_zip = client.post("/api/upload", {"files": [sample_zip()]})
    from_csvs = client.post("/api/upload", {"files": sample_csvs()})

    assert from_zip.status_code == from_csvs.status_code == 201
    assert from_zip.json()["total_movies"] == from_csvs.json()["total_movies"] == 1603
    zip_id, csv_id = from_zip.json()["session_id"], from_csvs.json()["session_id"]
    assert len(stored_viewings(zip_id)) == 908
    assert stored_films(zip_id) == stored_films(csv_id)
    assert stored_viewings(zip_id) == stored_viewings(csv_id)
    metadata = Session.objects.get(id=zip_id).upload_metadata
    assert metadata["watchlist_count"] == 231
    assert metadata["skipped_rows"]["total"] == 0
    assert metadata["ambiguous_rows"] == []
