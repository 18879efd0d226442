"""Writes on sessions themselves: their lifetime. Storing and deleting their films: movies/services/."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sessions.export.reading import UploadLimits
from sessions.models import Session


def upload_limits():
    return UploadLimits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_files=settings.UPLOAD_MAX_FILES,
        max_rows=settings.UPLOAD_MAX_ROWS,
    )


# Reads push a session's expiry forward, but write at most this often, so polling stays a read.
EXPIRY_EXTENSION_INTERVAL = timedelta(hours=1)


def extend_session_expiry(session, *, now=None):
    """Move expires_at to now + TTL if the last extension is over an hour old; True if it wrote.

    The UPDATE repeats the age test, so of many concurrent readers only one writes.
    A queryset update leaves updated_at alone: a read does not look like new data.
    """
    now = now or timezone.now()
    stale_before = now - EXPIRY_EXTENSION_INTERVAL
    if session.last_accessed > stale_before:
        return False
    expires_at = now + timedelta(days=settings.SESSION_TTL_DAYS)
    updated = Session.objects.filter(pk=session.pk, last_accessed__lte=stale_before).update(
        last_accessed=now, expires_at=expires_at
    )
    if updated:
        session.last_accessed, session.expires_at = now, expires_at
    return bool(updated)


