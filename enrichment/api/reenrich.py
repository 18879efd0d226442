"""The public enrichment endpoint: a session's owner runs its enrichment again after a failure."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import Conflict
from enrichment.services.operations import SessionStillEnriching, reenrich_session
from movies.api.serializers import SessionStatusSerializer
from sessions.selectors import get_live_session

SESSION_NOT_FOUND = "Session not found."


class ReEnrichSessionView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Enrich a stopped session's unfinished films again",
        description="After TMDB could not be reached (or any failure), the films failed, not found or "
        "still pending are tried again; the session is enriching once more. Refused with 409 while "
        "the session is still enriching.",
        parameters=[OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        request=None,
        responses={
            202: SessionStatusSerializer,
            404: OpenApiResponse(description="Unknown, malformed, expired or deleted session id."),
            409: OpenApiResponse(description="The session is still enriching."),
        },
    )
    def post(self, request, session_id):
        session = get_live_session(session_id)
        if session is None:
            raise NotFound(SESSION_NOT_FOUND)
        try:
            reenrich_session(session.pk, only_problems=True)
        except SessionStillEnriching:
            # The owner has no `force`: the staff message would offer one.
            raise Conflict("The session is still enriching; re-run it once it has stopped.") from None
        return Response(
            SessionStatusSerializer(get_live_session(session.pk)).data, status=status.HTTP_202_ACCEPTED
        )
