"""A session's diary entries that name two films (same Name and Year), and tying one to the film
the member picks. Until then the entry is counted nowhere; the page says so and asks."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from movies.api.views import NOT_FOUND, SESSION_ID, SessionLookupMixin
from movies.models import AmbiguousEntry, Movie
from movies.selectors import ambiguous_entries
from movies.services.placing import entry_candidates, place_entry

ENTRY_ID = OpenApiParameter("entry_id", int, OpenApiParameter.PATH, description="The entry's id in this API.")


class CandidateFilmSerializer(serializers.ModelSerializer):
    """What tells two films of one Name and Year apart: their Letterboxd page, TMDB's film and
    director, and when each was marked watched."""

    first_director = serializers.SerializerMethodField()
    diary_entries = serializers.IntegerField(source="watches.count", read_only=True)

    class Meta:
        model = Movie
        fields = ["id", "title", "year", "letterboxd_uri", "tmdb_id", "enrichment_status", "release_date"]
        fields += ["first_director", "marked_watched_on", "rating", "diary_entries"]
        read_only_fields = fields

    def get_first_director(self, movie) -> str | None:
        return movie.directors[0] if movie.directors else None


class AmbiguousEntrySerializer(serializers.ModelSerializer):
    candidates = serializers.SerializerMethodField()

    class Meta:
        model = AmbiguousEntry
        fields = ["id", "file", "title", "year", "letterboxd_uri", "logged_date", "watched_date", "rating"]
        fields += ["rewatch", "tags", "review", "candidates"]
        read_only_fields = fields

    @extend_schema_field(CandidateFilmSerializer(many=True))
    def get_candidates(self, entry):
        return CandidateFilmSerializer(entry_candidates(entry).prefetch_related("watches"), many=True).data


class PlacementSerializer(serializers.Serializer):
    movie_id = serializers.IntegerField(min_value=1, help_text="The film of the session it is a viewing of.")


class AmbiguousEntriesView(SessionLookupMixin, APIView):
    @extend_schema(
        summary="Diary entries that could not be tied to one film",
        description="Two Letterboxd films share the entry's Name and Year (diary rows name films only so). "
        "Each entry lists the films it could be; until one is picked it is counted in no figure.",
        parameters=[SESSION_ID],
        responses={200: AmbiguousEntrySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, session_id):
        return Response(AmbiguousEntrySerializer(ambiguous_entries(self.get_session()), many=True).data)


class AmbiguousEntryView(SessionLookupMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Tie an ambiguous diary entry to one of its films",
        description='`{"movie_id": N}`, one of the entry\'s candidates: the entry becomes a viewing of that '
        "film (its statistics count it from now on) and leaves this list.",
        parameters=[SESSION_ID, ENTRY_ID],
        request=PlacementSerializer,
        responses={
            200: OpenApiResponse(description="Placed: the viewing's id and its film's."),
            400: OpenApiResponse(description="movie_id is malformed or not one of the entry's candidates."),
            404: NOT_FOUND,
        },
    )
    def put(self, request, session_id, entry_id):
        entry = self._entry(self.get_session(), entry_id)
        body = PlacementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        watch = place_entry(entry, body.validated_data["movie_id"])
        return Response({"watch_id": watch.pk, "movie_id": watch.movie_id})

    @staticmethod
    def _entry(session, entry_id):
        try:
            return AmbiguousEntry.objects.get(session=session, pk=entry_id)
        except AmbiguousEntry.DoesNotExist:
            raise NotFound("No such diary entry to place in this session (already placed?).") from None
