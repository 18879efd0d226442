from django.core.management.base import BaseCommand

from enrichment.queueing.recovery import reconcile_sessions


class Command(BaseCommand):
    help = (
        "Complete enriching sessions whose movies have all ended and re-queue lost work "
        "(what celery beat runs every 15 s)."
    )

    def handle(self, *args, **options):
        outcome = reconcile_sessions()
        self.stdout.write(
            f"Completed {outcome['completed']} session(s); re-queued {outcome['requeued']} movie(s)."
        )
