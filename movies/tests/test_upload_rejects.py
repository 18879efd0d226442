"""POST /api/upload with bad input: a JSON 4xx naming the problem, and nothing stored."""

import io
import stat
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from movies.models import Movie, Watch
from sessions.models import Session
from sessions.tests.exports import LetterboxdExport

pytestmark = pytest.mark.django_db


def small_export():
    export = LetterboxdExport()
    for _ in range(3):
        export.viewing(export.film(rating="4"))
    return export


def zip_of(members):
    """A ZIP of {name or ZipInfo: bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_export(extra):
    """The small export's files plus (or replaced by) the given members, zipped."""
    return zip_of({**small_export().files(), **extra})


def patched(archive, member, *, declared_size=None, flags=None, method=None):
    """The ZIP with one member's headers rewritten: what a hand-made hostile archive looks like."""
    data = bytearray(archive)
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    (local,) = struct.unpack_from("<I", data, central + 42)
    if declared_size is not None:
        struct.pack_into("<I", data, central + 24, declared_size)
        struct.pack_into("<I", data, local + 22, declared_size)
    if flags is not None:
        struct.pack_into("<H", data, central + 8, flags)
        struct.pack_into("<H", data, local + 6, flags)
    if method is not None:
        struct.pack_into("<H", data, central + 10, method)
        struct.pack_into("<H", data, local + 8, method)
    return bytes(data)


def renamed(archive, name, hostile_name):
    """The ZIP with a member's name rewritten in its headers (same length): zipfile cannot write a NUL."""
    assert len(name.encode()) == len(hostile_name.encode())
    return archive.replace(name.encode(), hostile_name.encode())


def symlink_member():
    info = zipfile.ZipInfo("watched-link.csv")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def zip_file(content, name="letterboxd-export.zip"):
    return SimpleUploadedFile(name, content, content_type="application/zip")


def csv_file(name, content):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def watched_csv(content=b"Date,Name,Year,Letterboxd URI\r\n2024-01-01,Heat,1995,https://boxd.it/2bg8\r\n"):
    return csv_file("watched.csv", content)


BAD_UPLOADS = {
    "no files": (lambda: [], "No files"),
    "not a CSV or ZIP": (
        lambda: [SimpleUploadedFile("poster.png", b"\x89PNG\r\n\x1a\n")],
        "poster.png is not a CSV",
    ),
    "a .zip that is not one": (lambda: [zip_file(b"just text")], "not a valid ZIP"),
    "missing columns": (
        lambda: [watched_csv(), csv_file("diary.csv", b"Date,Name,Year,Letterboxd URI,Rating\r\n")],
        "diary.csv is missing the column Watched Date",
    ),
    "no header": (lambda: [watched_csv(b"")], "watched.csv is empty"),
    "undecodable bytes": (
        lambda: [
            watched_csv("Date,Name,Year,Letterboxd URI\r\n2024-01-01,Amélie,2001,\r\n".encode("latin-1"))
        ],
        "watched.csv is not UTF-8",
    ),
    "binary content": (lambda: [watched_csv(b"Date,Name\x00\x01\x02")], "watched.csv holds NUL bytes"),
    "loose CSVs without watched.csv": (
        lambda: [csv_file("ratings.csv", b"Date,Name,Year,Letterboxd URI,Rating\r\n")],
        "watched.csv is required",
    ),
    "a quote never closed": (
        lambda: [
            watched_csv(
                b"Date,Name,Year,Letterboxd URI\r\n2024-01-01,Heat,1995,https://boxd.it/2bg8\r\n"
                b'2024-01-02,"Alien,1979,https://boxd.it/2bg9\r\n2024-01-03,Ran,1985,https://boxd.it/2bga\r\n'
            )
        ],
        "watched.csv is not valid CSV (line 3: a quote opened here is never closed)",
    ),
    "a loose file sent twice": (lambda: [watched_csv(), watched_csv()], "sent twice"),
    "a ZIP and CSVs together": (
        lambda: [zip_file(small_export().zip_bytes()), watched_csv()],
        "either one export ZIP or its CSV files",
    ),
    "a ZIP without watched.csv": (lambda: [zip_file(zip_of({"diary.csv": b"x"}))], "has no watched.csv"),
    "watched.csv two folders down": (
        lambda: [zip_file(zip_of({"a/b/watched.csv": small_export().files()["watched.csv"]}))],
        "has no watched.csv",
    ),
    "a duplicate column": (
        lambda: [
            watched_csv(
                b"Date,Name,Name,Year,Letterboxd URI\r\n2024-01-01,Heat,Alien,1995,https://boxd.it/2bg8\r\n"
            )
        ],
        "watched.csv has the column Name twice",
    ),
    "a NUL in a member name": (
        lambda: [
            zip_file(renamed(with_export({"watched.csvXcsv": b"x"}), "watched.csvXcsv", "watched.csv\x00csv"))
        ],
        "control character (watched.csv\\x00csv)",
    ),
    "a line break in a member name": (
        lambda: [zip_file(renamed(with_export({"lists/aX.csv": b"x"}), "lists/aX.csv", "lists/a\n.csv"))],
        "control character",
    ),
    "zip-slip name": (lambda: [zip_file(with_export({"../../etc/cron.d/x.csv": b"x"}))], "unsafe path"),
    "absolute name": (lambda: [zip_file(with_export({"/tmp/x.csv": b"x"}))], "unsafe path"),
    "nested archive": (
        lambda: [zip_file(with_export({"lists/more.zip": zip_of({"a.csv": b"a"})}))],
        "another archive",
    ),
    "archive disguised as a CSV": (
        lambda: [zip_file(with_export({"watched.csv": zip_of({"watched.csv": b"a"})}))],
        "holds NUL bytes",
    ),
    "encrypted member": (
        lambda: [zip_file(patched(small_export().zip_bytes(), "ratings.csv", flags=0x1))],
        "encrypted",
    ),
    "symbolic link": (lambda: [zip_file(with_export({symlink_member(): b"/etc/passwd"}))], "symbolic link"),
    "zip bomb by ratio": (lambda: [zip_file(with_export({"lists/huge.csv": b"a," * 2_000_000}))], "zip bomb"),
    "unknown compression method": (
        lambda: [zip_file(patched(small_export().zip_bytes(), "watched.csv", method=9))],
        "is corrupt (watched.csv",
    ),
    "member larger than declared": (
        lambda: [zip_file(patched(small_export().zip_bytes(), "watched.csv", declared_size=40))],
        "is corrupt (watched.csv",
    ),
}


def assert_rejected(response, status, fragment):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["detail"]
    assert (Session.objects.count(), Movie.objects.count(), Watch.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_bad_input_is_refused_with_its_reason_and_nothing_stored(client, case):
    make_files, fragment = BAD_UPLOADS[case]

    response = client.post("/api/upload", {"files": make_files()})

    assert_rejected(response, 400, fragment)


def test_a_field_that_is_not_a_file_is_refused(client):
    assert_rejected(client.post("/api/upload", {"files": "watched.csv"}), 400, "not a file")


def test_a_json_body_is_refused(client):
    response = client.post("/api/upload", {"files": []}, content_type="application/json")

    assert_rejected(response, 415, "Unsupported media type")


def test_an_upload_over_the_size_limit_is_refused_before_parsing(client, settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    padding = b"x" * 200_000

    response = client.post("/api/upload", {"files": [zip_file(small_export().zip_bytes() + padding)]})

    assert_rejected(response, 413, "; the limit is 97.7 KB.")


def test_files_over_the_size_limit_are_refused(client, settings):
    export = small_export()
    settings.UPLOAD_MAX_BYTES = len(export.zip_bytes()) - 1

    response = client.post("/api/upload", {"files": [export.zip_upload()]})

    assert_rejected(response, 413, f"; the limit is {settings.UPLOAD_MAX_BYTES / 1024:.3g} KB.")


def test_a_content_length_in_superscript_digits_is_no_crash(client):
    response = client.post("/api/upload", {"files": [small_export().zip_upload()]}, CONTENT_LENGTH="¹²")

    assert_rejected(response, 400, "No files")  # Django reads no body under a length it cannot parse


def test_a_form_over_django_s_size_limit_is_json_too(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post("/api/upload", {"files": [small_export().zip_upload()], "note": "x" * 2000})

    assert_rejected(response, 413, "form data is too large")


OVER_A_LIMIT = {
    # Django's own count, raised while it parses the form, outside DRF's handling.
    "more files than Django accepts": ("DATA_UPLOAD_MAX_NUMBER_FILES", 2, "csvs", "at most 2 per upload"),
    "more loose files than the limit": ("UPLOAD_MAX_FILES", 2, "csvs", "6 files; the limit is 2"),
    "more ZIP members than the limit": ("UPLOAD_MAX_FILES", 5, "zip", "files; the limit is 5"),
    "a ZIP declaring more than the unpacked limit": (
        "UPLOAD_MAX_UNCOMPRESSED_BYTES",
        1000,
        "zip",
        "ZIP unpacks to",
    ),
    "CSV text over the unpacked limit, while reading": (
        "UPLOAD_MAX_UNCOMPRESSED_BYTES",
        300,
        "csvs",
        "unpacks to more than 300 bytes",
    ),
    "more rows than the limit": ("UPLOAD_MAX_ROWS", 5, "zip", "more than 5 rows"),
}


@pytest.mark.parametrize("case", OVER_A_LIMIT, ids=list(OVER_A_LIMIT))
def test_an_export_over_a_limit_is_refused(client, settings, case):
    setting, value, form, fragment = OVER_A_LIMIT[case]
    setattr(settings, setting, value)
    export = small_export()
    files = [export.zip_upload()] if form == "zip" else export.csv_uploads()

    response = client.post("/api/upload", {"files": files})

    assert_rejected(response, 413, fragment)
