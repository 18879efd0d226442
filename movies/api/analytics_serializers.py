"""The analytics answer, field by field: its query parameters, and its shape for the OpenAPI schema.

The answer is computed as plain data by movies/analytics and cached; these serializers validate the
query and describe the answer (the view returns the cached data as it is).
"""

from rest_framework import serializers

from core.query import QueryChoiceField, QueryIntegerField
from movies.api.pro_serializers import (
    FilmsPerWeekSerializer,
    HighestRatedSerializer,
    ListsSerializer,
    RankedFilmSerializer,
    ReleasedInYearSerializer,
)

EARLIEST_YEAR = 1870  # the first films
LATEST_YEAR = 2200


class AnalyticsQuerySerializer(serializers.Serializer):
    year = QueryIntegerField(
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        help_text="Only viewings dated that year.",
    )
    released = QueryIntegerField(
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        help_text="Only films released that year (Letterboxd's year).",
    )


class CardQuerySerializer(AnalyticsQuerySerializer):
    layout = QueryChoiceField(
        choices=["landscape", "portrait"],
        default="landscape",
        help_text="landscape: 1200x630, to post; portrait: 600x900, readable on a phone's screen.",
    )


def _integer(help_text=""):
    return serializers.IntegerField(help_text=help_text)


def _number(help_text=""):
    return serializers.FloatField(allow_null=True, help_text=help_text)


class TotalsSerializer(serializers.Serializer):
    films = _integer("Films watched in scope; TV entries and films only liked are never films.")
    enriched_films = _integer("Of which TMDB knows.")
    rated_films = _integer()
    average_rating = _number("Stars out of 5: the average of each film's current rating.")
    liked_films = _integer()
    viewings = _integer("Diary entries; for all time, a film with none counts once.")
    rewatches = _integer("Viewings flagged as rewatches by Letterboxd.")
    hours_watched = _number("Runtime of every viewing, in hours.")


class RatedCountSerializer(serializers.Serializer):
    films = _integer()
    rated_films = _integer()
    average_rating = _number("Your average rating of these films.")


class NamedCountSerializer(RatedCountSerializer):
    name = serializers.CharField()


class LanguageSerializer(NamedCountSerializer):
    name = serializers.CharField(help_text="ISO 639-1 code (kept for older clients).")
    code = serializers.CharField(help_text="ISO 639-1 code.")
    language = serializers.CharField(allow_null=True, help_text="English name, when TMDB gave it.")


class DecadeSerializer(RatedCountSerializer):
    decade = _integer()


class ReleaseYearSerializer(RatedCountSerializer):
    year = _integer()


class YearViewingsSerializer(serializers.Serializer):
    year = _integer()
    viewings = _integer()


class MonthViewingsSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    viewings = _integer()


class WeekdayViewingsSerializer(serializers.Serializer):
    weekday = serializers.CharField(help_text="Monday to Sunday")
    viewings = _integer()


class RatingCountSerializer(serializers.Serializer):
    rating = serializers.FloatField()
    films = _integer()


class RatingVsTmdbSerializer(serializers.Serializer):
    films = _integer("Films with your rating and TMDB's average.")
    average_rating_out_of_10 = _number()
    average_tmdb_vote = _number()
    average_difference = _number("Yours minus TMDB's, out of 10.")
    correlation = _number()


class SummarySerializer(serializers.Serializer):
    films = _integer("Films with a value.")
    total = _number()
    average = _number()
    median = _number()
    minimum = _number()
    maximum = _number()


class PopularFilmSerializer(serializers.Serializer):
    id = _integer()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    tmdb_id = serializers.IntegerField(allow_null=True)
    popularity = _number()
    vote_average = _number()
    rating = _number()


class CoverageSerializer(serializers.Serializer):
    films = _integer("Films in scope.")
    tmdb_films = _integer("Of which TMDB knows: the base of every TMDB-based figure.")
    films_without_tmdb = _integer("Not found, failed or still pending: counted apart.")
    tv_entries = _integer("Entries TMDB knows as TV: never part of film statistics.")
    undated_films = _integer("Films with no dated diary entry: in all-time figures only, never in a year.")
    liked_only_films = _integer(
        "Films only liked (never marked watched, rated or logged): not counted as films, as on Letterboxd."
    )


class BasedOnSerializer(serializers.Serializer):
    """How many films in scope carry the TMDB data each section is computed from."""

    genres = _integer()
    directors = _integer()
    actors = _integer()
    writers = _integer()
    cinematographers = _integer()
    composers = _integer()
    countries = _integer()
    languages = _integer()
    runtime = _integer()
    popularity = _integer()
    votes = _integer()
    release_dates = _integer()


class HeadlineSerializer(serializers.Serializer):
    viewings = _integer("Diary entries (for a year, those dated in it).")
    watched_without_diary = _integer(
        "Films marked watched without any diary entry: counted apart from viewings (all time only)."
    )
    films = _integer("Distinct films watched (watched.csv, rated or logged; not films only liked).")
    hours = _number()
    reviews = _integer("Viewings with a review.")
    likes = _integer("Liked films.")
    rated_films = _integer()
    average_rating = _number(
        "All time: of each film's current rating. A year: of the ratings given on its diary entries "
        "(an entry without one counts with the film's current rating)."
    )
    new_to_me = _integer("Diary entries that are first viewings.")
    rewatches = _integer("Viewings flagged as rewatches, or of a film with an earlier diary entry.")
    new_to_me_share = _number("new_to_me / viewings.")


class ChangeSerializer(serializers.Serializer):
    previous = _number("The figure the year before.")
    difference = _number("This year minus the year before.")


class HeadlineChangeSerializer(serializers.Serializer):
    films = ChangeSerializer()
    viewings = ChangeSerializer()
    hours = ChangeSerializer()
    average_rating = ChangeSerializer()
    new_to_me = ChangeSerializer(help_text="A count: its difference is a count.")
    rewatches = ChangeSerializer()
    new_to_me_share = ChangeSerializer(help_text="A share: its difference is in shares (0.05 = 5 points).")


class MilestoneSerializer(serializers.Serializer):
    number = _integer("The viewing's rank, in date order.")
    watched_date = serializers.DateField()
    movie_id = _integer()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)


class MilestonesSerializer(serializers.Serializer):
    first = MilestoneSerializer(allow_null=True)
    last = MilestoneSerializer(allow_null=True)
    numbered = MilestoneSerializer(many=True, help_text="The 50th, 100th, 250th, 500th, then every 1,000th.")


class ExtremeFilmSerializer(serializers.Serializer):
    value = _number(
        "What the film is ranked by (rating, votes, minutes, release year, or rating*2 - TMDB's)."
    )
    id = _integer()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    release_date = serializers.DateField(allow_null=True)
    rating = _number()
    runtime = serializers.IntegerField(allow_null=True)
    vote_average = _number()
    vote_count = serializers.IntegerField(allow_null=True)


class HighsAndLowsSerializer(serializers.Serializer):
    highest_rated = ExtremeFilmSerializer(allow_null=True)
    lowest_rated = ExtremeFilmSerializer(allow_null=True)
    most_popular = ExtremeFilmSerializer(allow_null=True, help_text="Most TMDB votes.")
    most_obscure = ExtremeFilmSerializer(allow_null=True, help_text="Fewest TMDB votes.")
    longest = ExtremeFilmSerializer(allow_null=True)
    shortest = ExtremeFilmSerializer(allow_null=True)
    newest = ExtremeFilmSerializer(allow_null=True)
    oldest = ExtremeFilmSerializer(allow_null=True)
    biggest_disagreement = ExtremeFilmSerializer(
        allow_null=True, help_text="Largest |rating*2 - TMDB's average|."
    )


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="A Monday.")
    viewings = _integer()


class WeekdaySerializer(serializers.Serializer):
    weekday = serializers.CharField()
    viewings = _integer()


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    viewings = _integer()


class DayStreakSerializer(serializers.Serializer):
    days = _integer()
    first = serializers.DateField()
    last = serializers.DateField()


class WeekStreakSerializer(serializers.Serializer):
    weeks = _integer()
    first = serializers.DateField(help_text="Monday of the first week.")
    last = serializers.DateField(help_text="Monday of the last week.")


class RhythmSerializer(serializers.Serializer):
    per_week = WeekSerializer(many=True)
    busiest_week = WeekSerializer(allow_null=True)
    quietest_week = WeekSerializer(allow_null=True, help_text="Fewest viewings among weeks with any.")
    weeks_without_film = _integer()
    busiest_weekday = WeekdaySerializer(allow_null=True)
    busiest_day = DaySerializer(allow_null=True)
    longest_day_streak = DayStreakSerializer(allow_null=True)
    longest_week_streak = WeekStreakSerializer(allow_null=True)


class DirectedByWomenSerializer(serializers.Serializer):
    films = _integer("Films with a known director.")
    by_women = _integer("At least one director is a woman (TMDB gender).")
    unknown = _integer("No woman among the directors, and TMDB does not know every director's gender.")
    not_by_women = _integer()
    share_by_women = _number("by_women among the films whose answer is known.")


class PeopleSerializer(serializers.Serializer):
    writers = NamedCountSerializer(many=True)
    cinematographers = NamedCountSerializer(many=True)
    composers = NamedCountSerializer(many=True)
    directed_by_women = DirectedByWomenSerializer()


class ReleaseLagSerializer(serializers.Serializer):
    films = _integer("Films with a release date and a dated viewing.")
    average_days = _number()
    median_days = _number()
    within_a_month = _integer("First seen at most 30 days after release (or before it).")
    within_a_month_share = _number()


class TagSerializer(serializers.Serializer):
    tag = serializers.CharField()
    viewings = _integer()


class WatchlistEntrySerializer(serializers.Serializer):
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    letterboxd_uri = serializers.CharField()
    added_on = serializers.DateField(allow_null=True)


class WatchlistSerializer(serializers.Serializer):
    size = _integer()
    oldest = WatchlistEntrySerializer(many=True)


class AnalyticsSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    year = serializers.IntegerField(allow_null=True, help_text="The year asked for, or null for all time.")
    released = serializers.IntegerField(allow_null=True, help_text="The release year asked for, if any.")
    years = serializers.ListField(child=serializers.IntegerField(), help_text="Years with dated viewings.")
    coverage = CoverageSerializer()
    based_on = BasedOnSerializer()
    totals = TotalsSerializer()
    genres = NamedCountSerializer(many=True)
    directors = NamedCountSerializer(many=True, help_text="The 50 most frequent.")
    actors = NamedCountSerializer(many=True, help_text="The 50 most frequent.")
    countries = NamedCountSerializer(many=True, help_text="Every production country of each film.")
    languages = LanguageSerializer(many=True)
    decades = DecadeSerializer(many=True)
    release_years = ReleaseYearSerializer(many=True)
    watches_by_year = YearViewingsSerializer(many=True)
    watches_by_month = MonthViewingsSerializer(many=True)
    watches_by_weekday = WeekdayViewingsSerializer(many=True)
    rating_distribution = RatingCountSerializer(many=True)
    rating_vs_tmdb = RatingVsTmdbSerializer()
    runtime = SummarySerializer()
    popularity = SummarySerializer()
    most_popular = PopularFilmSerializer(many=True)
    least_popular = PopularFilmSerializer(many=True)
    headline = HeadlineSerializer()
    change = HeadlineChangeSerializer(
        allow_null=True, help_text="Against the year before; null for all time."
    )
    milestones = MilestonesSerializer()
    highs_and_lows = HighsAndLowsSerializer()
    rhythm = RhythmSerializer()
    people = PeopleSerializer()
    release_lag = ReleaseLagSerializer()
    tags = TagSerializer(many=True)
    watchlist = WatchlistSerializer(help_text="The watchlist as it is now, whatever the year.")
    highest_rated = HighestRatedSerializer(
        help_text="Genres, countries, languages, directors and actors ranked by your average rating."
    )
    top_films = RankedFilmSerializer(many=True, help_text="Your highest-rated films in scope (ten).")
    released_in_year = ReleasedInYearSerializer(
        allow_null=True, help_text="For a year: its films released that year; null for all time."
    )
    films_per_week = FilmsPerWeekSerializer()
    lists = ListsSerializer(help_text="Your lists as they are now, whatever the year.")
