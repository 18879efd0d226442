"""The session's matches to review, and the correction of one movie's match (anonymous, like the
rest of a session's API: the session id is the capability)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.query import QueryFloatField
from enrichment.matching.rules import REVIEW_BELOW
from enrichment.selectors import matches_to_review
from enrichment.services.corrections import CorrectionRefused, correct_match
from enrichment.tmdb.client import TmdbError
from enrichment.tmdb.ratelimit import RateLimitWaitTooLong
from movies.api.serializers import MovieSerializer, match_method_field
from movies.api.views import NOT_FOUND, SESSION_ID, SessionLookupMixin
from movies.models import Film, Movie

MOVIE_ID = OpenApiParameter("movie_id", int, OpenApiParameter.PATH, description="The movie's id in this API.")
TMDB_UNAVAILABLE_RETRY_SECONDS = 30


class CandidateSerializer(serializers.Serializer):
    tmdb_id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    votes = serializers.IntegerField()


class ChoiceSerializer(serializers.Serializer):
    tmdb_id = serializers.IntegerField(allow_null=True, help_text="Null: “not on TMDB”.")
    sessions = serializers.IntegerField(help_text="How many sessions chose it (no identities).")


class MatchSerializer(serializers.ModelSerializer):
    match_method = match_method_field()
    match_candidates = CandidateSerializer(many=True, read_only=True)
    review_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=["low_confidence", "not_found", "tv", "duplicate", "disputed"]),
        read_only=True,
        help_text="Why it is listed; duplicate: another movie of the session has the same TMDB film; "
        "disputed: sessions corrected this Letterboxd film to something else.",
    )
    duplicate_of = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    correction_choices = ChoiceSerializer(
        many=True, read_only=True, help_text="What sessions' corrections chose for this Letterboxd film."
    )
    tmdb_title = serializers.SerializerMethodField(
        help_text="The matched TMDB film's own title and year (“Title (1999)”), when known; null otherwise."
    )

    class Meta:
        model = Movie
        fields = ["id", "title", "year", "letterboxd_uri", "enrichment_status", "tmdb_id", "tmdb_tv_id"]
        fields += ["watched_date", "marked_watched_on", "tmdb_title"]
        fields += ["match_method", "match_confidence", "match_reason", "match_candidates"]
        fields += ["review_reasons", "duplicate_of", "correction_choices"]
        read_only_fields = fields

    def get_tmdb_title(self, movie) -> str | None:
        return self.context.get("tmdb_titles", {}).get(movie.tmdb_id)


def tmdb_titles(movies):
    """The TMDB films' titles, by id, from the films cache: a match taken from the cache carries no
    candidates to name it (one query)."""
    ids = {movie.tmdb_id for movie in movies if movie.tmdb_id}
    return {
        film.pk: str(film) for film in Film.objects.filter(pk__in=ids).only("pk", "title", "release_date")
    }


class MatchesQuerySerializer(serializers.Serializer):
    confidence_below = QueryFloatField(min_value=0, max_value=1.01, default=REVIEW_BELOW)


class CorrectionSerializer(serializers.Serializer):
    tmdb_id = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        allow_null=True,
        help_text="The right TMDB film, or null: not on TMDB.",
    )


class MatchesView(SessionLookupMixin, APIView):
    @extend_schema(
        summary="Movies whose match is worth checking",
        description="Matched with a confidence below `confidence_below` (ambiguous ties, renamed titles), "
        "not found, TV entries, and movies sharing their TMDB film with another movie of the session.",
        parameters=[SESSION_ID, MatchesQuerySerializer],
        responses={
            200: MatchSerializer(many=True),
            400: OpenApiResponse(description="confidence_below is not a number from 0 to 1."),
            404: NOT_FOUND,
        },
    )
    def get(self, request, session_id):
        query = MatchesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        session = self.get_session()
        movies = matches_to_review(session.pk, query.validated_data["confidence_below"])
        context = {"tmdb_titles": tmdb_titles(movies)}
        return Response(MatchSerializer(movies, many=True, context=context).data)


class MovieMatchView(SessionLookupMixin, APIView):
    # JSON only: a form cannot say null ("not on TMDB"), and the schema lists what is parsed.
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Correct one movie's match",
        description='`{"tmdb_id": N}` sets the film (its details are fetched from TMDB, no search); '
        '`{"tmdb_id": null}` says it is not on TMDB. The session\'s counters and statistics follow, '
        "at once. The caches shared by all sessions learn it only when corroborated (independent sessions "
        "agreeing, a candidate the search ranked while the match was unsure, or staff).",
        parameters=[SESSION_ID, MOVIE_ID],
        request=CorrectionSerializer,
        responses={
            200: MovieSerializer,
            400: OpenApiResponse(description="No such TMDB film, or a malformed tmdb_id."),
            404: NOT_FOUND,
            409: OpenApiResponse(description="The movie is still being enriched."),
            503: OpenApiResponse(description="TMDB is not answering now; retry after Retry-After seconds."),
        },
    )
    def put(self, request, session_id, movie_id):
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = self.get_session()
        movie = Movie.objects.filter(session=session, pk=movie_id).first()
        if movie is None:
            raise NotFound("No such movie in this session.")
        try:
            correct_match(movie, body.validated_data["tmdb_id"])
        except CorrectionRefused as refused:
            raise ValidationError({"tmdb_id": str(refused)}) from refused
        except (TmdbError, RateLimitWaitTooLong):
            return Response(
                {"detail": "TMDB is not answering now; try the correction again shortly."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": str(TMDB_UNAVAILABLE_RETRY_SECONDS)},
            )
        movie.refresh_from_db()
        return Response(MovieSerializer(movie).data)
