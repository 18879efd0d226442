"""Read-only share links: the owner's link management (/api/session/{id}/share) and what a share
token opens (/api/shared/{token}/...): the reads of a session's page, never a write.

A token resolves to its session, then the owner's own read views answer, minus the session id (the
owner's key, which can delete). Every write, and the exports and matches, answer 405 under a token;
an unknown, revoked or expired token answers 404 as an unknown session does.
"""

from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from movies import selectors
from movies.api.serializers import SharedMovieSerializer, SharedStatusSerializer, ShareLinkSerializer
from movies.api.views import (
    ANY_OBJECT,
    BAD_QUERY,
    NOT_FOUND,
    SESSION_ID,
    SessionLookupMixin,
    SessionMoviesBase,
    SessionReadsViewSet,
    movies_schema,
)
from movies.services.sharing import create_share_link, revoke_share_link
from sessions.services import extend_session_expiry

SHARE_NOT_FOUND = "Share link not found."
READ_ONLY = "A share link is read-only: it cannot change, re-enrich, correct, export or delete the session."
TOKEN = OpenApiParameter(
    "token", OpenApiTypes.STR, OpenApiParameter.PATH, description="A share link's token."
)
TOKEN_NOT_FOUND = OpenApiResponse(
    description="Unknown or revoked share link, or its session expired or deleted."
)
NO_LINK = OpenApiResponse(description="Unknown session, or no active share link.")


def share_link_answer(request, link):
    url = request.build_absolute_uri(f"/v/{link.token}/")
    return ShareLinkSerializer({"token": link.token, "url": url, "created_at": link.created_at}).data


@extend_schema(parameters=[SESSION_ID])
class ShareLinkView(SessionLookupMixin, APIView):
    """The owner's read-only link: create (or rotate), see, revoke. Only the session id can."""

    @extend_schema(summary="The active share link", responses={200: ShareLinkSerializer, 404: NO_LINK})
    def get(self, request, session_id):
        link = selectors.active_share_link(self.get_session())
        if link is None:
            raise NotFound("This session has no share link.")
        return Response(share_link_answer(request, link))

    @extend_schema(
        summary="Create a read-only share link (an active one is revoked: rotation)",
        request=None,
        responses={201: ShareLinkSerializer, 404: NOT_FOUND},
    )
    def post(self, request, session_id):
        link = create_share_link(self.get_session())
        return Response(share_link_answer(request, link), status=http_status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke the share link: its token answers 404 at once", responses={204: None, 404: NO_LINK}
    )
    def delete(self, request, session_id):
        if not revoke_share_link(self.get_session()):
            raise NotFound("This session has no share link.")
        return Response(status=http_status.HTTP_204_NO_CONTENT)


class ReadOnlyMixin:
    """Any method a shared path does not read with answers 405, saying the link is read-only."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method, detail=READ_ONLY)


class SharedLookupMixin(ReadOnlyMixin):
    """The session a share token opens; a read extends its life as the owner's reads do."""

    lookup_url_kwarg = "token"
    lookup_value_regex = "[^/.]+"

    def get_session(self, selector=None):
        session = selectors.shared_session(self.kwargs["token"])
        if session is None:
            raise NotFound(SHARE_NOT_FOUND)
        extend_session_expiry(session)
        return session


@extend_schema(parameters=[TOKEN])
@extend_schema_view(
    status=extend_schema(
        summary="A shared session's progress (no session id)",
        responses={200: SharedStatusSerializer, 404: TOKEN_NOT_FOUND},
    ),
    analytics=extend_schema(
        summary="A shared session's statistics (no session id)",
        responses={200: ANY_OBJECT, 400: BAD_QUERY, 404: TOKEN_NOT_FOUND},
    ),
    card_svg=extend_schema(operation_id="shared_card_svg"),
    card_png=extend_schema(operation_id="shared_card_png"),
)
class SharedSessionViewSet(SharedLookupMixin, SessionReadsViewSet):
    status_serializer_class = SharedStatusSerializer
    owner = False

    @extend_schema(
        summary="Diary entries per day, for the calendar",
        responses={200: ANY_OBJECT, 404: TOKEN_NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="diary-days", url_name="diary-days")
    def diary_days(self, request, token):
        return Response({"days": selectors.diary_days(self.get_session())})


@extend_schema(**movies_schema(TOKEN, SharedMovieSerializer, TOKEN_NOT_FOUND))
class SharedMoviesViewSet(SharedLookupMixin, SessionMoviesBase):
    """A shared session's films, with the owner's filters and ordering; reviews left out."""

    serializer_class = SharedMovieSerializer


@extend_schema(exclude=True)
class SharedRefusedView(ReadOnlyMixin, APIView):
    """What a share token never opens: writes, the exports, the matches to correct."""


def shared_unknown(request, token, rest=""):
    """Any other path under a share token: 405 for a write, the API's JSON 404 for a read."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return JsonResponse({"detail": READ_ONLY}, status=405, headers={"Allow": "GET, HEAD, OPTIONS"})
    return JsonResponse({"detail": "Not found."}, status=404)
