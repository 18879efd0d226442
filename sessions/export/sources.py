"""Choose the export files to read: from one ZIP (checked member by member) or from loose CSVs."""

import stat
import zipfile
import zlib
from pathlib import PurePosixPath

from sessions.export.lists import is_list_path
from sessions.export.reading import (
    DIARY,
    LIKES,
    RATINGS,
    REQUIRED_COLUMNS,
    REVIEWS,
    WATCHED,
    WATCHLIST,
    CsvSource,
    UploadError,
    UploadTooLarge,
    format_size,
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst")
# Deflate compresses CSV text about 5x; a member past this ratio is a bomb, not an export.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024
# A loose upload only carries base names (browsers drop folders), so likes/films.csv is films.csv.
LOOSE_NAMES = {
    "watched.csv": WATCHED,
    "ratings.csv": RATINGS,
    "diary.csv": DIARY,
    "reviews.csv": REVIEWS,
    "watchlist.csv": WATCHLIST,
    "films.csv": LIKES,
    "likes.csv": LIKES,
}
# Personal data (e-mail, name): never read, never named in the session's metadata.
PROFILE = "profile.csv"


def _is_zip(upload):
    upload.seek(0)
    magic = upload.read(4)
    upload.seek(0)
    return magic in ZIP_MAGIC


def collect_sources(uploads, limits, metadata):
    """The export files to read, by path, from one ZIP or from loose CSVs."""
    if not uploads:
        raise UploadError("No files: send the export ZIP or its CSV files in the field 'files'.")
    total = sum(upload.size for upload in uploads)
    if total > limits.max_bytes:
        raise UploadTooLarge(
            f"The upload is {format_size(total)}; the limit is {format_size(limits.max_bytes)}."
        )
    if len(uploads) > limits.max_files:
        raise UploadTooLarge(f"The upload has {len(uploads)} files; the limit is {limits.max_files}.")
    metadata["uploaded_files"] = [
        {"name": upload.name, "size": upload.size} for upload in uploads if upload.name.lower() != PROFILE
    ]
    zips = [upload for upload in uploads if _is_zip(upload)]
    if zips:
        if len(uploads) > 1:
            raise UploadError("Send either one export ZIP or its CSV files, not several ZIPs or both.")
        metadata["source"] = "zip"
        return _zip_sources(zips[0], limits, metadata)
    metadata["source"] = "csv"
    return _loose_sources(uploads, metadata)


def _loose_sources(uploads, metadata):
    sources = {}
    for upload in uploads:
        name = upload.name
        if name.lower().endswith(".zip"):
            raise UploadError(f"{name} is not a valid ZIP archive.")
        if not name.lower().endswith(".csv"):
            raise UploadError(f"{name} is not a CSV or ZIP file.")
        path = LOOSE_NAMES.get(name.lower())
        if path is None:
            if name.lower() != PROFILE:
                metadata["ignored_files"].append(name)
            continue
        if path in sources:
            raise UploadError(f"{name} was sent twice (or with {sources[path].name}): send each file once.")
        sources[path] = CsvSource(path, name, upload.open)
    if WATCHED not in sources:
        raise UploadError("watched.csv is required: send the export ZIP, or watched.csv with the other CSVs.")
    return sources


def _zip_sources(upload, limits, metadata):
    try:
        archive = zipfile.ZipFile(upload)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise UploadError(f"{upload.name} is not a valid ZIP archive ({error}).") from None
    if len(members) > limits.max_files:
        raise UploadTooLarge(f"The ZIP holds {len(members)} files; the limit is {limits.max_files}.")
    declared = sum(info.file_size for info in members)
    if declared > limits.max_uncompressed_bytes:
        limit = format_size(limits.max_uncompressed_bytes)
        raise UploadTooLarge(f"The ZIP unpacks to {format_size(declared)}; the limit is {limit}.")
    for info in members:
        _check_member(info)
    metadata["zip_members"] = len(members)
    by_name = {_member_path(info): info for info in members}
    root = _export_root(by_name)
    if root is None:
        raise UploadError(f"{upload.name} has no watched.csv: it is not a Letterboxd export.")
    sources = {}
    for path in REQUIRED_COLUMNS:
        info = by_name.get(root + path)
        if info is not None:
            sources[path] = CsvSource(path, path, _member_opener(archive, info, upload.name))
    # The member's lists: one file each, read by sessions/export/lists.py.
    for name, info in by_name.items():
        path = name[len(root) :] if name.startswith(root) else None
        if path and is_list_path(path):
            sources[path] = CsvSource(path, path, _member_opener(archive, info, upload.name))
    read = {root + path for path in sources}
    metadata["ignored_files"] += [
        name for name in by_name if name not in read and PurePosixPath(name).name.lower() != PROFILE
    ]
    return sources


def _member_path(info):
    # Some Windows tools write backslashes; they are separators all the same.
    return info.filename.replace("\\", "/")


def _check_member(info):
    name = _member_path(info)
    # zipfile cuts a name at its first NUL ("watched.csv\0csv" reads as watched.csv); the archive's
    # own name says what was really sent. No export names a file with a control character.
    if any(ord(character) < 32 or ord(character) == 127 for character in info.orig_filename):
        shown = info.orig_filename.encode("unicode_escape").decode("ascii")
        raise UploadError(f"The ZIP holds a file name with a control character ({shown}).")
    if name.startswith("/") or ".." in PurePosixPath(name).parts or ":" in name:
        raise UploadError(f"The ZIP holds an unsafe path ({name}).")
    if info.flag_bits & 0x1:
        raise UploadError(f"The ZIP holds an encrypted file ({name}): send the export as Letterboxd made it.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UploadError(f"The ZIP holds a symbolic link ({name}).")
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        raise UploadError(f"The ZIP holds another archive ({name}): nested archives are not accepted.")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
        raise UploadError(f"The ZIP looks like a zip bomb: {name} is compressed {ratio:.0f} times.")


def _export_root(names):
    """'' when the export is at the ZIP's root, 'folder/' when a re-zip added one top folder."""
    if WATCHED in names:
        return ""
    roots = {name[: -len(WATCHED)] for name in names if name.endswith("/" + WATCHED) and name.count("/") == 1}
    roots.discard("__MACOSX/")
    return roots.pop() if len(roots) == 1 else None


def _member_opener(archive, info, zip_name):
    return lambda: ZipMemberStream(archive, info, zip_name)


class ZipMemberStream:
    """A ZIP member's bytes; a corrupt member (bad header or CRC, sizes that lie, an unknown
    compression method) becomes an UploadError.

    zipfile never reads past a member's declared size and checks the CRC at its end, so a
    member larger than it claims is cut short and then fails here rather than growing memory.
    """

    ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)

    def __init__(self, archive, info, zip_name):
        self.description = f"{zip_name} is corrupt ({info.filename}"
        try:
            self.member = archive.open(info)
        except self.ERRORS as error:
            raise UploadError(f"{self.description}: {error}).") from None

    def read(self, size):
        try:
            return self.member.read(size)
        except self.ERRORS as error:
            raise UploadError(f"{self.description}: {error}).") from None
