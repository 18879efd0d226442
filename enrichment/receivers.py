"""The enrichment app's answer to a stored upload: queue its enrichment once the upload commits.

One small task is queued; a worker starts the session's rounds (see scheduling.dispatch_enrichment)."""

from django.db import transaction
from django.dispatch import receiver

from enrichment.tasks import start_enrichment
from sessions.signals import session_ready_for_enrichment


@receiver(session_ready_for_enrichment, dispatch_uid="enrichment.dispatch_on_upload")
def dispatch_after_upload(sender, session_id, **kwargs):
    def queue_enrichment():
        start_enrichment.delay(str(session_id))

    # robust: with the broker down the upload still answers 201 (the error is logged); the
    # reconciler queues the session once the broker is back.
    transaction.on_commit(queue_enrichment, robust=True)
