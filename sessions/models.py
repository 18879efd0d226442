import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone


def default_expiry():
    return timezone.now() + timedelta(days=settings.SESSION_TTL_DAYS)


# Session.processed_count in SQL: movies whose enrichment has ended, one way or another.
PROCESSED_COUNT = F("enriched_count") + F("not_found_count") + F("failed_count") + F("tv_count")


class Session(models.Model):
    """One uploaded export. Its UUID is the only public id: an unguessable capability."""

    class Status(models.TextChoices):
        PROCESSING = "processing"
        ENRICHING = "enriching"
        COMPLETED = "completed"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    error_message = models.TextField(blank=True)

    # Denormalized counters, updated with F() by the enrichment tasks, so that
    # status polling is one primary-key read and never a COUNT.
    total_movies = models.PositiveIntegerField(default=0)
    # Movies matched on TMDB. The API calls this matched_count; its enriched_count is processed_count.
    enriched_count = models.PositiveIntegerField(default=0)
    not_found_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    tv_count = models.PositiveIntegerField(default=0, help_text="Movies TMDB knows as TV.")

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    enrichment_started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_accessed = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_expiry)

    # Scheduling (enrichment.queueing.scheduling): the highest movie id handed to the broker in this run
    # (movies are sent in id order, a round at a time), and the expected finish under the shared
    # TMDB rate, written when a round is sent so that the status read only subtracts now.
    round_cursor = models.BigIntegerField(default=0)
    eta_at = models.DateTimeField(null=True, blank=True)
    queue_position = models.PositiveIntegerField(null=True, blank=True)

    # File names, sizes and row counts; never personal data.
    upload_metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], name="session_status_idx"),
            models.Index(fields=["expires_at"], name="session_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["processing", "enriching", "completed", "failed"]),
                name="session_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_movies__gte=models.F("enriched_count")
                    + models.F("not_found_count")
                    + models.F("failed_count")
                    + models.F("tv_count")
                ),
                name="session_counters_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.id} ({self.status})"

    @property
    def processed_count(self):
        """Movies whose enrichment has ended, one way or another."""
        return self.enriched_count + self.not_found_count + self.failed_count + self.tv_count

    @property
    def eta_seconds(self):
        """Seconds until the expected end of the enrichment; None when not enriching or unknown."""
        if self.status != self.Status.ENRICHING or self.eta_at is None:
            return None
        return max(0, round((self.eta_at - timezone.now()).total_seconds()))

    @property
    def current_queue_position(self):
        """``queue_position`` while enriching (a stored one may be a moment late after the end)."""
        return self.queue_position if self.status == self.Status.ENRICHING else None

    @property
    def progress_percent(self):
        if not self.total_movies:
            return 100.0 if self.status == self.Status.COMPLETED else 0.0
        return round(100.0 * min(self.processed_count, self.total_movies) / self.total_movies, 1)
