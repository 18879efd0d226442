"""The analytics answer's Pro-parity sections (issue 24), typed for the OpenAPI schema."""

from rest_framework import serializers


def _integer(help_text=""):
    return serializers.IntegerField(help_text=help_text)


def _number(help_text=""):
    return serializers.FloatField(allow_null=True, help_text=help_text)


class RankedSerializer(serializers.Serializer):
    name = serializers.CharField()
    films = _integer("Rated films with this name (at least the minimum).")
    average_rating = _number("Your average current rating of them, stars out of 5.")


class RankedLanguageSerializer(RankedSerializer):
    name = serializers.CharField(help_text="ISO 639-1 code.")
    language = serializers.CharField(allow_null=True, help_text="English name, when TMDB gave it.")


class MinimumRatedSerializer(serializers.Serializer):
    genres = _integer()
    countries = _integer()
    languages = _integer()
    directors = _integer()
    actors = _integer()


class HighestRatedSerializer(serializers.Serializer):
    minimum_rated_films = MinimumRatedSerializer(help_text="Rated films a name needs to be ranked.")
    genres = RankedSerializer(many=True)
    countries = RankedSerializer(many=True)
    languages = RankedLanguageSerializer(many=True)
    directors = RankedSerializer(many=True)
    actors = RankedSerializer(many=True)


class TopFilmSerializer(serializers.Serializer):
    id = _integer()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    tmdb_id = serializers.IntegerField(allow_null=True)
    poster_path = serializers.CharField(help_text="TMDB's poster path; empty when unknown.")
    rating = _number("Your current rating.")


class RankedFilmSerializer(TopFilmSerializer):
    viewings = _integer("Viewings in scope.")


class ReleasedInYearSerializer(serializers.Serializer):
    films = _integer("Films seen that year and released that year (Letterboxd's year).")
    top = TopFilmSerializer(many=True, help_text="The first ten of them, by your rating.")


class FilmsPerWeekSerializer(serializers.Serializer):
    viewings = _integer("Dated diary entries.")
    weeks = _number("The year's weeks so far, or the weeks from the first viewing to the last.")
    average = _number("viewings / weeks.")


class ListSizeSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField(help_text="The list on Letterboxd; empty when unknown.")
    films = _integer()


class ListedFilmSerializer(serializers.Serializer):
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    key = serializers.CharField(help_text="Its Letterboxd film URI.")
    lists = _integer("Lists it is on (two or more).")
    movie_id = serializers.IntegerField(
        allow_null=True, help_text="The session's movie, when you watched it."
    )


class ListsSerializer(serializers.Serializer):
    count = _integer("Your lists (lists/*.csv of the export).")
    biggest = ListSizeSerializer(many=True, help_text="The five with the most films.")
    most_listed = ListedFilmSerializer(many=True, help_text="The films on most of your lists (ten).")
