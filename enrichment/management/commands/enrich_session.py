from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from enrichment.services.operations import SessionStillEnriching, reenrich_session
from sessions.models import Session


class Command(BaseCommand):
    help = "Re-enrich a session's movies from TMDB: all of them, or only those failed or not found."

    def add_arguments(self, parser):
        parser.add_argument("session_id")
        parser.add_argument(
            "--problems-only",
            action="store_true",
            help="only movies that failed or were not found (and any still pending)",
        )
        parser.add_argument("--force", action="store_true", help="even if the session is still enriching")

    def handle(self, *args, session_id, problems_only, force, **options):
        try:
            queued = reenrich_session(session_id, only_problems=problems_only, force=force)
        except (Session.DoesNotExist, ValidationError) as exc:
            raise CommandError(f"No session {session_id}.") from exc
        except SessionStillEnriching as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Queued {queued} movie(s) of session {session_id} for enrichment.")
