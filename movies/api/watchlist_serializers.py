"""GET /api/session/{id}/watchlist: its query parameters, and its answer's shape for the schema."""

from rest_framework import serializers

from core.query import QueryIntegerField
from movies.models import MatchMethod, WatchlistEntry


class WatchlistQuerySerializer(serializers.Serializer):
    max_runtime = QueryIntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Watch next: only films of at most this many minutes (e.g. 100: under 100 minutes).",
    )
    limit = QueryIntegerField(
        required=False, default=10, min_value=1, max_value=50, help_text="Watch next: how many films."
    )
    # A watchlist holds at most UPLOAD_MAX_ROWS entries: no page lies past this one.
    page = QueryIntegerField(
        required=False, default=1, min_value=1, max_value=50_000, help_text="Entries: the page."
    )
    page_size = QueryIntegerField(
        required=False, default=50, min_value=1, max_value=500, help_text="Entries: how many a page."
    )


class LookedUpFilmSerializer(serializers.Serializer):
    tmdb_id = serializers.IntegerField()
    title = serializers.CharField()
    runtime = serializers.IntegerField(allow_null=True, help_text="Minutes.")
    genres = serializers.ListField(child=serializers.CharField())
    directors = serializers.ListField(child=serializers.CharField())
    cast = serializers.ListField(child=serializers.CharField())
    vote_average = serializers.FloatField(allow_null=True, help_text="TMDB's rating, 0-10.")
    vote_count = serializers.IntegerField(allow_null=True)
    poster_path = serializers.CharField()
    release_date = serializers.DateField(allow_null=True)
    country = serializers.CharField()


class LookedUpEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    letterboxd_uri = serializers.CharField()
    added_on = serializers.DateField(allow_null=True)
    days_waiting = serializers.IntegerField(allow_null=True, help_text="Days since it was added.")
    lookup_status = serializers.ChoiceField(
        choices=WatchlistEntry.LookupStatus.choices,
        help_text="pending until looked up on TMDB, which happens only with budget no upload wants.",
    )
    match_method = serializers.ChoiceField(choices=[("", ""), *MatchMethod.choices])
    match_reason = serializers.CharField()
    film = LookedUpFilmSerializer(allow_null=True)


class NameCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    films = serializers.IntegerField()


class DecadeCountSerializer(serializers.Serializer):
    decade = serializers.IntegerField()
    films = serializers.IntegerField()


class LookupsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    enriched = serializers.IntegerField()
    not_found = serializers.IntegerField()
    failed = serializers.IntegerField()
    tv = serializers.IntegerField()
    done = serializers.IntegerField()


class WatchNextPartsSerializer(serializers.Serializer):
    director = serializers.FloatField()
    actor = serializers.FloatField()
    genre = serializers.FloatField()
    decade = serializers.FloatField()
    tmdb = serializers.FloatField()


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    letterboxd_uri = serializers.CharField()
    added_on = serializers.DateField(allow_null=True)
    film = LookedUpFilmSerializer()
    score = serializers.FloatField(help_text="The sum of the parts (README: Watch next).")
    parts = WatchNextPartsSerializer()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is suggested.")


class WatchNextSerializer(serializers.Serializer):
    max_runtime = serializers.IntegerField(allow_null=True)
    rated_films = serializers.IntegerField(help_text="The rated films the taste rests on.")
    films = SuggestionSerializer(many=True)


class WatchlistLookupsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    lookups = LookupsSerializer()
    hours = serializers.FloatField(help_text="The looked-up films' runtimes added up.")
    runtime_known = serializers.IntegerField(help_text="How many films the hours rest on.")
    genres = NameCountSerializer(many=True)
    countries = NameCountSerializer(many=True)
    decades = DecadeCountSerializer(many=True)
    entries = LookedUpEntrySerializer(many=True, help_text="Oldest first: what has waited longest.")
    watch_next = WatchNextSerializer()
