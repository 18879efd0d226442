"""The staff-only operations API: worker status, a session's movie errors, re-enrich a session.

Only staff users (``is_staff``), by session cookie or ``Authorization: Token <key>``
(``manage.py drf_create_token <user>``). Anonymous callers get 401, other users 403,
neither any data.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.authentication import GuardedTokenAuthentication
from core.query import JSONBooleanField
from enrichment import monitoring
from enrichment.services.operations import reenrich_session
from movies.api.pagination import MoviePagination
from movies.models import Movie
from sessions.models import Session

NOT_FOUND = OpenApiResponse(description="No such session.")
BAD_REQUEST = OpenApiResponse(description="A malformed parameter; `detail` names it.")


class StaffOnly:
    # Token first: its WWW-Authenticate header turns "not logged in" into a 401.
    authentication_classes = [GuardedTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAdminUser]


class WorkerStatusView(StaffOnly, APIView):
    @extend_schema(
        responses=OpenApiTypes.OBJECT, summary="Workers alive, queue, TMDB budget, sessions enriching"
    )
    def get(self, request):
        return Response(monitoring.worker_status())


class MovieErrorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Movie
        fields = monitoring.ERROR_FIELDS


def existing_session(session_id):
    # Operators may look at an expired session the cleanup has not reached yet.
    if not Session.objects.filter(pk=session_id).exists():
        raise NotFound("No such session.")
    return session_id


@extend_schema(
    summary="A session's failed and not-found movies with their last error",
    responses={200: MovieErrorSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
)
class SessionErrorsView(StaffOnly, ListAPIView):
    serializer_class = MovieErrorSerializer
    pagination_class = MoviePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a URL
            return Movie.objects.none()
        return monitoring.session_errors(existing_session(self.kwargs["session_id"]))


class ReEnrichRequestSerializer(serializers.Serializer):
    only_problems = JSONBooleanField(default=False, help_text="only failed and not-found movies")
    force = JSONBooleanField(default=False, help_text="even if the session is still enriching")


class ReEnrichAnswerSerializer(serializers.Serializer):
    session_id = serializers.UUIDField()
    queued = serializers.IntegerField(help_text="movies queued for enrichment")


class ReEnrichView(StaffOnly, APIView):
    @extend_schema(
        request=ReEnrichRequestSerializer,
        responses={
            202: ReEnrichAnswerSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: OpenApiResponse(description="Still enriching, and `force` is false."),
        },
        summary="Reset a session's movies and queue them again",
    )
    def post(self, request, session_id):
        options = ReEnrichRequestSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        try:
            queued = reenrich_session(session_id, **options.validated_data)
        except Session.DoesNotExist:
            raise NotFound("No such session.") from None
        return Response({"session_id": session_id, "queued": queued}, status=status.HTTP_202_ACCEPTED)
