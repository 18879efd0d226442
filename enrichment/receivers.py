"""The enrichment app's answer to a stored upload: queue its enrichment once the upload commits."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from enrichment.services import dispatch_enrichment
from sessions.signals import session_ready_for_enrichment


@receiver(session_ready_for_enrichment, dispatch_uid="enrichment.dispatch_on_upload")
def dispatch_after_upload(sender, session_id, **kwargs):
    transaction.on_commit(partial(dispatch_enrichment, session_id))
