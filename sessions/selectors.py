"""Reads of sessions."""

import uuid

from django.utils import timezone

from sessions.models import Session


def get_live_session(session_id):
    """The session with this id, or None when the id is malformed, unknown or expired.

    One primary-key read: callers answer every None the same way, so a client cannot
    tell an expired or deleted session from one that never existed.
    """
    try:
        session_uuid = uuid.UUID(str(session_id))
    except ValueError:
        return None
    return Session.objects.filter(pk=session_uuid, expires_at__gt=timezone.now()).first()
