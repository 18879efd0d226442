"""What the matcher learns once for every session: Letterboxd film URI -> TMDB film, and corrections."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from movies.models import Film, MatchMethod, Movie


class LetterboxdLink(models.Model):
    """A Letterboxd film (its ``boxd.it/…`` or ``letterboxd.com/film/<slug>/`` URI) and its TMDB film.

    Every later session of any user resolves that film from here, with no search. ``film`` null
    means "not on TMDB", which only a correction says. A single session's correction does not
    rewrite it (enrichment/services/corrections.py); ``disputed``: a standing correction chose
    another film, for staff to settle in the admin.
    """

    uri = models.CharField(max_length=300, primary_key=True)
    film = models.ForeignKey(Film, on_delete=models.CASCADE, null=True, blank=True, related_name="links")
    method = models.CharField(max_length=16, choices=MatchMethod.choices)
    confidence = models.FloatField()
    updated_at = models.DateTimeField(default=timezone.now)
    disputed = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.uri} -> {self.film_id or 'not on TMDB'}"

    @property
    def by_hand(self):
        return self.method == MatchMethod.HAND


class MatchCorrection(models.Model):
    """A correction made through the API; staff can undo it (admin), which restores what was before."""

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="match_corrections")
    letterboxd_uri = models.CharField(max_length=300, blank=True)
    previous_status = models.CharField(max_length=16, choices=Movie.EnrichmentStatus.choices)
    previous_tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    previous_evidence = models.JSONField(default=dict, blank=True)
    # The URI link before the correction, {"film_id", "method", "confidence"}: restored on undo.
    previous_link = models.JSONField(null=True, blank=True)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, help_text="Null: not on TMDB.")
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.movie_id}: {self.previous_tmdb_id} -> {self.tmdb_id or 'not on TMDB'}"
