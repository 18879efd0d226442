"""The enrichment app's answer to a stored upload: queue its enrichment once the upload commits.

One small task is queued; a worker dispatches the chord (see tasks.start_enrichment)."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from enrichment.tasks import start_enrichment
from sessions.signals import session_ready_for_enrichment


@receiver(session_ready_for_enrichment, dispatch_uid="enrichment.dispatch_on_upload")
def dispatch_after_upload(sender, session_id, **kwargs):
    transaction.on_commit(partial(start_enrichment.delay, str(session_id)))
