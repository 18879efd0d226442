from decimal import Decimal

from rest_framework import serializers

from movies.models import MatchMethod, Movie, Watch, WatchlistEntry
from sessions.export.rows import is_letterboxd_uri
from sessions.models import Session

EXPORT_FORMAT = "letterboxd-stats-session"
EXPORT_VERSION = 1

# What a movie is, besides its database id: from the export files, then from TMDB.
MOVIE_FIELDS = [
    "title",
    "year",
    "letterboxd_uri",
    "rating",
    "watched_date",
    "marked_watched_on",
    "rewatch",
    "tags",
    "review",
    "liked",
    "enrichment_status",
    "enriched_at",
    "tmdb_id",
    "genres",
    "directors",
    "cast",
    "runtime",
    "budget",
    "revenue",
    "popularity",
    "vote_average",
    "vote_count",
    "original_language",
    "country",
    "production_countries",
    "poster_path",
    "release_date",
    "original_language_name",
    "director_genders",
    "writers",
    "cinematographers",
    "composers",
]


# How the movie was matched (see the README): read-only, not part of the export format.
MATCH_FIELDS = ["match_method", "match_confidence", "match_reason", "tmdb_tv_id", "is_demo"]


def match_method_field():
    """The match method; "" until a film is matched. Declared, because DRF drops allow_blank from
    read-only model fields, and the schema would then refuse the "" that pending movies carry."""
    return serializers.ChoiceField(choices=MatchMethod.choices, allow_blank=True, read_only=True)


class RatingField(serializers.DecimalField):
    """Stars from 0.5 to 5 in half steps, written as a JSON number."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=2,
            decimal_places=1,
            min_value=Decimal("0.5"),
            max_value=Decimal(5),
            coerce_to_string=False,
            allow_null=True,
            required=False,
            **kwargs,
        )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if (value * 2) % 1:
            raise serializers.ValidationError("Ratings go in half stars.")
        return value


def letterboxd_uri_or_blank(uri):
    if uri and not is_letterboxd_uri(uri):
        raise serializers.ValidationError(
            "Not a Letterboxd URI (https://boxd.it/… or https://letterboxd.com/…)."
        )


class ViewingSerializer(serializers.ModelSerializer):
    rating = RatingField()

    class Meta:
        model = Watch
        fields = ["watched_date", "logged_date", "rating", "rewatch", "tags", "review", "letterboxd_uri"]
        extra_kwargs = {"letterboxd_uri": {"validators": [letterboxd_uri_or_blank]}}


class MovieSerializer(serializers.ModelSerializer):
    rating = RatingField()
    tmdb_enriched = serializers.BooleanField(read_only=True)
    match_method = match_method_field()
    viewings = ViewingSerializer(source="watches", many=True, read_only=True)

    class Meta:
        model = Movie
        fields = ["id", *MOVIE_FIELDS, "tmdb_enriched", "enrichment_error", *MATCH_FIELDS, "viewings"]
        read_only_fields = fields


class SharedViewingSerializer(ViewingSerializer):
    """A viewing as a share link shows it: without the review's text (reviews are not shared)."""

    class Meta(ViewingSerializer.Meta):
        fields = [name for name in ViewingSerializer.Meta.fields if name != "review"]


class SharedMovieSerializer(MovieSerializer):
    """A film as a share link shows it: everything the film list shows, reviews left out."""

    viewings = SharedViewingSerializer(source="watches", many=True, read_only=True)

    class Meta(MovieSerializer.Meta):
        fields = [name for name in MovieSerializer.Meta.fields if name != "review"]
        read_only_fields = fields


class UnenrichedMovieSerializer(serializers.ModelSerializer):
    class Meta:
        model = Movie
        fields = ["id", "title", "year", "letterboxd_uri", "enrichment_status", "enrichment_attempts"]
        fields += ["enrichment_error", "match_reason"]
        read_only_fields = fields


class SessionStatusSerializer(serializers.Serializer):
    """What the app polls. Fields declared by hand: a ModelSerializer rebuilds them from the
    model on every use, which doubles the cost of the poll's serialization."""

    session_id = serializers.UUIDField(source="id")
    status = serializers.ChoiceField(choices=Session.Status.choices)
    total_movies = serializers.IntegerField()
    # The design's contract: the SPA is done when enriched_count == total_movies (DESIGN.md §4).
    enriched_count = serializers.IntegerField(
        source="processed_count",
        help_text="Movies the enrichment has finished with, whatever the outcome (same as processed_count).",
    )
    matched_count = serializers.IntegerField(
        source="enriched_count", help_text="Movies found on TMDB, with their TMDB data."
    )
    not_found_count = serializers.IntegerField()
    failed_count = serializers.IntegerField()
    tv_count = serializers.IntegerField(
        help_text="Movies TMDB knows as TV: finished, left out of film statistics."
    )
    processed_count = serializers.IntegerField(
        help_text="Movies whose enrichment ended, whatever the outcome."
    )
    progress_percent = serializers.FloatField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="Each read moves it to now + the TTL (at most hourly).")
    error_message = serializers.CharField()
    eta_seconds = serializers.IntegerField(
        allow_null=True,
        help_text="While enriching: expected seconds to the end, from the TMDB requests this session "
        "still needs, the shared rate and the sessions ahead of or sharing with it. Null when unknown.",
    )
    queue_position = serializers.IntegerField(
        source="current_queue_position",
        allow_null=True,
        help_text="While enriching: 1 when this session has the TMDB budget to itself; n when n - 1 "
        "other sessions go before it or share the budget with it. Null otherwise.",
    )

    def to_representation(self, session):
        # Polling's hot path. DRF binds a deep copy of every declared field on each use, a
        # third of the request (bench/poll.py); these fields only read attributes, so read
        # them directly and let the JSON renderer format the datetimes and the UUID.
        return {name: getattr(session, field.source or name) for name, field in self._declared_fields.items()}


class SharedStatusSerializer(SessionStatusSerializer):
    """The progress as a share link reads it: without the session id, which is the owner's key."""

    session_id = None


class ShareLinkSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The read-only key: 256 random bits, never the session id.")
    url = serializers.CharField(help_text="The page to send: statistics, films and card, nothing writable.")
    created_at = serializers.DateTimeField()


class SessionDetailSerializer(SessionStatusSerializer):
    updated_at = serializers.DateTimeField()
    enrichment_started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    last_accessed = serializers.DateTimeField()
    metadata = serializers.JSONField(source="upload_metadata", help_text="File names, sizes and row counts.")


# --- Export and import: one document, written by export, read back by import ----


class ExportedMovieSerializer(serializers.ModelSerializer):
    rating = RatingField()
    viewings = ViewingSerializer(source="watches", many=True, required=False)

    class Meta:
        model = Movie
        fields = ["key", *MOVIE_FIELDS, "viewings"]
        extra_kwargs = {
            "key": {"required": False},
            "tmdb_id": {"help_text": "Required when enrichment_status is enriched."},
            # Every export has it; without it, import could not tell what to enrich again.
            "enrichment_status": {"required": True},
            "letterboxd_uri": {"validators": [letterboxd_uri_or_blank]},
        }

    def validate(self, attrs):
        if attrs.get("enrichment_status") == Movie.EnrichmentStatus.ENRICHED and not attrs.get("tmdb_id"):
            raise serializers.ValidationError("An enriched movie needs its tmdb_id.")
        # Letterboxd leaves some films without a URI: such rows merge on their title and year.
        attrs.setdefault("key", attrs.get("letterboxd_uri") or f"{attrs['title']} ({attrs.get('year')})")
        return attrs


class ExportedWatchlistEntrySerializer(serializers.ModelSerializer):
    """A watchlist film as watchlist.csv gave it (the fields the statistics' watchlist shows)."""

    class Meta:
        model = WatchlistEntry
        fields = ["title", "year", "letterboxd_uri", "added_on"]
        extra_kwargs = {"letterboxd_uri": {"validators": [letterboxd_uri_or_blank]}}


class ExportedSessionSerializer(serializers.ModelSerializer):
    metadata = serializers.DictField(source="upload_metadata", required=False, default=dict)
    # The counters mean what the status answer says (SessionStatusSerializer).
    enriched_count = serializers.IntegerField(source="processed_count", read_only=True)
    matched_count = serializers.IntegerField(source="enriched_count", read_only=True)

    class Meta:
        model = Session
        fields = ["created_at", "status", "total_movies", "enriched_count", "matched_count"]
        fields += ["not_found_count", "failed_count", "tv_count", "metadata"]
        read_only_fields = [name for name in fields if name != "metadata"]


class SessionExportSerializer(serializers.Serializer):
    """A whole session: its movies with their viewings and TMDB data, and its watchlist."""

    format = serializers.ChoiceField(choices=[EXPORT_FORMAT])
    version = serializers.ChoiceField(choices=[EXPORT_VERSION])
    exported_at = serializers.DateTimeField(read_only=True)
    session = ExportedSessionSerializer()
    movies = ExportedMovieSerializer(many=True)
    # Optional on import: exports written before it carried the watchlist still import.
    watchlist = ExportedWatchlistEntrySerializer(
        many=True, default=list, help_text="Oldest first, as added; never looked up on TMDB."
    )

    def validate_movies(self, movies):
        keys = [movie["key"] for movie in movies]
        if len(set(keys)) != len(keys):
            raise serializers.ValidationError("Each film may appear once (same URI, or same title and year).")
        return movies
