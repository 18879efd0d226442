from django.core.management.base import BaseCommand

from movies.services.deleting import delete_expired_sessions


class Command(BaseCommand):
    help = "Delete expired sessions with their movies and viewings (what celery beat runs hourly)."

    def handle(self, *args, **options):
        deleted = delete_expired_sessions()
        self.stdout.write(f"Deleted {deleted} expired session(s).")
