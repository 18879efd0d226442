"""GET /api/session/{id}/compare/{token}: the session compared with the session a friend's share link
opens. Consent is the share link: the answer reads both, writes neither, and never names the friend's
session id; a revoked link ends the comparison (404)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from movies import selectors
from movies.api.comparing_serializers import ComparisonSerializer
from movies.api.sharing import SHARE_NOT_FOUND, TOKEN
from movies.api.views import SESSION_ID, SessionLookupMixin
from movies.comparing.compare import compare_sessions
from sessions.services import extend_session_expiry


class CompareView(SessionLookupMixin, APIView):
    @extend_schema(
        summary="Compare with a friend: compatibility, films in common, taste, what to watch together",
        description="The score's formula is in `compatibility.formula` and the README.",
        parameters=[SESSION_ID, TOKEN],
        responses={
            200: ComparisonSerializer,
            404: OpenApiResponse(description="Unknown session, or unknown or revoked share link."),
        },
    )
    def get(self, request, session_id, token):
        session = self.get_session()
        friend = selectors.shared_session(token)
        if friend is None:
            raise NotFound(SHARE_NOT_FOUND)
        extend_session_expiry(friend)
        return Response(compare_sessions(session, friend))
