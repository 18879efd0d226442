import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from sessions.models import Session


def _names(max_length=200):
    return ArrayField(models.CharField(max_length=max_length), default=list, blank=True)


class TmdbFields(models.Model):
    """What TMDB tells us about a film; shared by the cache and each session's movies."""

    genres = _names(64)
    directors = _names()
    cast = _names()
    runtime = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes; null when unknown.")
    budget = models.BigIntegerField(null=True, blank=True, help_text="USD; null when unknown.")
    revenue = models.BigIntegerField(null=True, blank=True, help_text="USD; null when unknown.")
    popularity = models.FloatField(null=True, blank=True)
    vote_average = models.FloatField(null=True, blank=True)
    vote_count = models.PositiveIntegerField(null=True, blank=True)
    original_language = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=100, blank=True, help_text="First production country.")
    production_countries = _names(100)
    poster_path = models.CharField(max_length=200, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="Invented by the TMDB stand-in (development data), not a real TMDB film."
    )

    # --- Statistics (issue 13): more of the details answer; the credits come with it, no extra request.
    release_date = models.DateField(null=True, blank=True)
    original_language_name = models.CharField(max_length=100, blank=True, help_text="In English.")
    # TMDB's gender of each director, in the order of `directors`: 0 unknown, 1 woman, 2 man, 3 non-binary.
    director_genders = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    writers = _names()
    cinematographers = _names()
    composers = _names()

    class Meta:
        abstract = True


class MatchMethod(models.TextChoices):
    """How a Letterboxd row was tied to TMDB (see enrichment/matching/rules.py)."""

    EXACT_YEAR = "exact_year", "exact year"
    YEAR_OFF = "year_off", "year ±1"
    NO_YEAR = "no_year", "no year"
    ALTERNATIVE_TITLE = "alt_title", "alternative title"
    TV = "tv", "TV search"
    HAND = "hand", "corrected by hand"
    CACHE = "cache", "Letterboxd URI cache"


class MatchEvidence(models.Model):
    """Why a row was matched (or not): kept on each movie and on the cross-session lookup."""

    match_method = models.CharField(max_length=16, choices=MatchMethod.choices, blank=True)
    match_confidence = models.FloatField(null=True, blank=True, help_text="0-1; below 0.8 asks for review.")
    match_candidates = models.JSONField(
        default=list, blank=True, help_text="The best candidates considered: tmdb_id, title, year, votes."
    )
    match_reason = models.CharField(max_length=300, blank=True, help_text="Why not found, or what to check.")
    tmdb_tv_id = models.PositiveIntegerField(null=True, blank=True, help_text="The TMDB TV entry, if TV.")

    class Meta:
        abstract = True


class Movie(TmdbFields, MatchEvidence):
    """One film of one session, merged from every file of the export."""

    class EnrichmentStatus(models.TextChoices):
        PENDING = "pending"
        ENRICHED = "enriched"
        NOT_FOUND = "not_found"
        FAILED = "failed"
        TV = "tv"  # TMDB knows it as a TV series or episode: finished, never part of film statistics

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="movies")
    # The merge key: the film URI, or "title (year)" for rows Letterboxd left without one.
    key = models.CharField(max_length=600)
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    letterboxd_uri = models.CharField(max_length=300, blank=True)

    rating = models.DecimalField(
        max_digits=2, decimal_places=1, null=True, blank=True, help_text="Current rating (ratings.csv)."
    )
    watched_date = models.DateField(
        null=True, blank=True, help_text="First viewing, else the day marked watched."
    )
    marked_watched_on = models.DateField(null=True, blank=True, help_text="watched.csv Date.")
    rewatch = models.BooleanField(default=False)
    tags = _names()
    review = models.TextField(blank=True)
    liked = models.BooleanField(default=False)

    tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    enrichment_status = models.CharField(
        max_length=16, choices=EnrichmentStatus.choices, default=EnrichmentStatus.PENDING
    )
    enrichment_attempts = models.PositiveSmallIntegerField(default=0)
    enrichment_error = models.TextField(blank=True)
    enriched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "key"], name="movie_unique_per_session"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=0.5, rating__lte=5),
                name="movie_rating_range",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "enrichment_status"], name="movie_session_status_idx"),
            # A session's pending films past a cursor are an index range, so a round
            # (enrichment/queueing/scheduling.py) and the reconciler read only the films they need,
            # never the pending films of every session.
            models.Index(
                fields=["session", "id"],
                condition=models.Q(enrichment_status="pending"),
                name="movie_session_pending_idx",
            ),
            models.Index(fields=["session", "title"], name="movie_session_title_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def tmdb_enriched(self):
        return self.enrichment_status == self.EnrichmentStatus.ENRICHED


class Watch(models.Model):
    """One diary entry: a viewing of a movie."""

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="watches")
    letterboxd_uri = models.CharField(max_length=300, blank=True, help_text="The diary entry's URI.")
    logged_date = models.DateField(null=True, blank=True)
    watched_date = models.DateField(null=True, blank=True)
    rating = models.DecimalField(
        max_digits=2, decimal_places=1, null=True, blank=True, help_text="Rating at this viewing."
    )
    rewatch = models.BooleanField(default=False)
    tags = _names()
    review = models.TextField(blank=True)

    class Meta:
        ordering = ["watched_date", "id"]
        indexes = [models.Index(fields=["movie", "watched_date"], name="watch_movie_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=0.5, rating__lte=5),
                name="watch_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.movie} on {self.watched_date}"


class WatchlistEntry(models.Model):
    """A film of the session's watchlist (watchlist.csv), as exported, and what TMDB says of it.

    Entries are looked up with the budget no session's films want (enrichment/queueing/idle.py):
    ``lookup_status`` starts pending; a found film is the shared cache's row (``film``), never a copy.
    """

    class LookupStatus(models.TextChoices):
        PENDING = "pending"
        ENRICHED = "enriched"
        NOT_FOUND = "not_found"
        FAILED = "failed"
        TV = "tv"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="watchlist")
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    letterboxd_uri = models.CharField(max_length=300, blank=True)
    added_on = models.DateField(null=True, blank=True)
    lookup_status = models.CharField(
        max_length=16, choices=LookupStatus.choices, default=LookupStatus.PENDING
    )
    film = models.ForeignKey(
        "Film", on_delete=models.SET_NULL, null=True, blank=True, related_name="watchlist_entries"
    )
    match_method = models.CharField(max_length=16, choices=MatchMethod.choices, blank=True)
    match_reason = models.CharField(max_length=300, blank=True)
    lookup_attempts = models.PositiveSmallIntegerField(default=0)
    looked_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_on", "id"]
        indexes = [
            models.Index(fields=["session", "added_on"], name="watchlist_session_added_idx"),
            # The idle lookups' "what is left": pending entries, few among many once looked up.
            models.Index(
                fields=["id"],
                condition=models.Q(lookup_status="pending"),
                name="watchlist_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title


class Film(TmdbFields):
    """Cross-session TMDB cache: a film fetched once serves every later session."""

    tmdb_id = models.PositiveIntegerField(primary_key=True)
    title = models.CharField(max_length=500)
    original_title = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.release_date.year})" if self.release_date else self.title


class FilmLookup(MatchEvidence):
    """A resolved search: normalized (title, year) to a film, a TV entry (tmdb_tv_id) or "no match"."""

    normalized_title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    film = models.ForeignKey(Film, on_delete=models.CASCADE, null=True, blank=True, related_name="lookups")
    resolved_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # What the search cost: the ETA's requests per film when Redis has lost its recent measure.
    requests = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_title", "year"], name="film_lookup_unique", nulls_distinct=False
            ),
        ]
        indexes = [
            models.Index(fields=["expires_at"], name="film_lookup_expires_idx"),
            models.Index(fields=["-resolved_at"], name="film_lookup_resolved_idx"),
            # The latest searches with their cost (enrichment/queueing/pace.py): older lookups have
            # none, and without this index the ETA's fallback scanned the whole lookup cache.
            models.Index(
                fields=["-resolved_at"],
                condition=models.Q(requests__isnull=False),
                name="film_lookup_costed_idx",
            ),
        ]

    def __str__(self):
        target = self.film_id or "no match"
        return f"{self.normalized_title} ({self.year}) -> {target}"


def new_share_token():
    # 32 random bytes (256 bits) in URL-safe base64: unguessable, and never a session id's shape.
    return secrets.token_urlsafe(32)


class ShareLink(models.Model):
    """A read-only link to a session: its token opens the statistics, never the session's writes.

    One active link a session (revoked_at null); rotating is revoke + create. A revoked token
    answers 404 at once, as an unknown one does.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=models.Q(revoked_at__isnull=True), name="share_link_one_active"
            ),
        ]

    def __str__(self):
        state = "revoked" if self.revoked_at else "active"
        return f"share link of {self.session_id} ({state})"


class AmbiguousEntry(models.Model):
    """A diary entry the export could not tie to one film: two films share its Name and Year (diary
    rows name films only so). Counted nowhere until the member picks the film; then it becomes a
    Watch of that film and this row goes (movies/services/placing.py)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ambiguous_entries")
    file = models.CharField(max_length=100, help_text="The export file the row came from.")
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    letterboxd_uri = models.CharField(max_length=300, blank=True, help_text="The diary entry's URI.")
    logged_date = models.DateField(null=True, blank=True)
    watched_date = models.DateField(null=True, blank=True)
    rating = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    rewatch = models.BooleanField(default=False)
    tags = _names()
    review = models.TextField(blank=True)

    class Meta:
        ordering = ["watched_date", "id"]

    def __str__(self):
        return f"{self.title} ({self.year}) on {self.watched_date}"


class FilmList(models.Model):
    """One of the member's lists (lists/<slug>.csv), kept as exported: its films are not looked up."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="film_lists")
    name = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class FilmListEntry(models.Model):
    """A film on a list; `key` is its film URI as a movie's key has it (movie_key joins them)."""

    film_list = models.ForeignKey(FilmList, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    key = models.CharField(max_length=600)

    class Meta:
        ordering = ["film_list", "position"]
        indexes = [models.Index(fields=["key"], name="film_list_entry_key_idx")]

    def __str__(self):
        return f"{self.position}. {self.title}"
