"""The comparison's answer, typed for the schema (the selector builds plain dicts)."""

from rest_framework import serializers


class ComparedFilmSerializer(serializers.Serializer):
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    tmdb_id = serializers.IntegerField(allow_null=True)
    letterboxd_uri = serializers.CharField(allow_blank=True)
    poster_path = serializers.CharField(allow_blank=True)
    vote_average = serializers.FloatField(allow_null=True)
    your_rating = serializers.FloatField(allow_null=True, required=False)
    friend_rating = serializers.FloatField(allow_null=True, required=False)
    rating = serializers.FloatField(required=False, help_text="The rating of the one who rated it highly.")
    on_watchlist = serializers.BooleanField(required=False, help_text="Already on the other's watchlist.")
    added_on = serializers.DateField(allow_null=True, required=False)


class CompatibilitySerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="0-100.")
    formula = serializers.CharField()
    rated_in_common = serializers.IntegerField(help_text="Films both rated: what the rating part rests on.")
    films_in_common = serializers.IntegerField()
    rating_correlation = serializers.FloatField()
    shrunk_correlation = serializers.FloatField()
    agreement = serializers.FloatField()
    overlap = serializers.FloatField()


class MemberCountsSerializer(serializers.Serializer):
    films = serializers.IntegerField()
    rated = serializers.IntegerField()


class TasteSideSerializer(serializers.Serializer):
    films = serializers.IntegerField()
    share = serializers.FloatField()
    average_rating = serializers.FloatField(allow_null=True)


class TasteRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    you = TasteSideSerializer()
    friend = TasteSideSerializer()


class TasteDimensionSerializer(serializers.Serializer):
    similarity = serializers.FloatField(help_text="Cosine similarity of the two spreads, 0-1.")
    based_on = serializers.DictField(child=serializers.IntegerField())
    rows = TasteRowSerializer(many=True)


class TasteSerializer(serializers.Serializer):
    genres = TasteDimensionSerializer()
    decades = TasteDimensionSerializer()
    countries = TasteDimensionSerializer()
    directors = TasteDimensionSerializer()
    actors = TasteDimensionSerializer()


class WatchlistFilmSerializer(serializers.Serializer):
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    letterboxd_uri = serializers.CharField(allow_blank=True)


class WatchTogetherSerializer(serializers.Serializer):
    both_watchlists = WatchlistFilmSerializer(many=True)
    both_watchlists_count = serializers.IntegerField()
    yours_friend_loved = ComparedFilmSerializer(
        many=True, help_text="On your watchlist, rated highly by them."
    )
    friends_you_loved = ComparedFilmSerializer(
        many=True, help_text="On their watchlist, rated highly by you."
    )


class ComparisonSerializer(serializers.Serializer):
    compatibility = CompatibilitySerializer()
    you = MemberCountsSerializer()
    friend = MemberCountsSerializer()
    in_common = ComparedFilmSerializer(many=True)
    both_loved = ComparedFilmSerializer(many=True)
    both_loved_count = serializers.IntegerField()
    disagreements = ComparedFilmSerializer(many=True)
    for_you = ComparedFilmSerializer(many=True, help_text="Their highly rated films you have not seen.")
    for_friend = ComparedFilmSerializer(many=True, help_text="Your highly rated films they have not seen.")
    taste = TasteSerializer()
    watch_together = WatchTogetherSerializer()
