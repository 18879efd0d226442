"""The enrichment app's answers to the movies and sessions apps' signals: queue a stored upload's
enrichment once it commits (one small task; a worker starts the session's rounds, see
scheduling.dispatch_enrichment), and take a deleted session's corrections with it."""

from django.db import transaction
from django.dispatch import receiver

from enrichment.models import MatchCorrection
from enrichment.tasks import start_enrichment
from movies.signals import sessions_deleting
from sessions.signals import session_ready_for_enrichment


@receiver(session_ready_for_enrichment, dispatch_uid="enrichment.dispatch_on_upload")
def dispatch_after_upload(sender, session_id, **kwargs):
    def queue_enrichment():
        start_enrichment.delay(str(session_id))

    # robust: with the broker down the upload still answers 201 (the error is logged); the
    # reconciler queues the session once the broker is back.
    transaction.on_commit(queue_enrichment, robust=True)


@receiver(sessions_deleting, dispatch_uid="enrichment.corrections_go_with_their_session")
def delete_corrections_of(sender, session_ids, **kwargs):
    # Everything of a deleted session goes: its choices no longer count in any dispute. What a
    # corroborated correction already taught the shared link stays (other sessions agreed).
    MatchCorrection.objects.filter(movie__session_id__in=session_ids).delete()
