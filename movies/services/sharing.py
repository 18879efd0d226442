"""Writes of share links: the owner creates (or rotates) and revokes a session's read-only link."""

from django.db import transaction
from django.utils import timezone

from movies.models import ShareLink


def revoke_share_link(session):
    """Revoke the session's active link, if any: its token answers 404 from now on. True if there was one."""
    return bool(
        ShareLink.objects.filter(session=session, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def create_share_link(session):
    """A new active link for the session; an older active one is revoked first (rotation)."""
    with transaction.atomic():
        # Lock the session row so two creates at once cannot both pass the one-active constraint's check.
        type(session).objects.select_for_update().filter(pk=session.pk).exists()
        revoke_share_link(session)
        return ShareLink.objects.create(session=session)
