"""The single-page app's API: one session's details, progress, movies, statistics and exports.

Sessions are anonymous: the unguessable id is the capability, so there is no
authentication and no endpoint lists sessions. Every lookup answers the same 404
for an id that is malformed, unknown, expired or deleted.
"""

from types import SimpleNamespace

from django.http import HttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from movies import selectors
from movies.api.analytics_serializers import (
    AnalyticsQuerySerializer,
    AnalyticsSerializer,
    CardQuerySerializer,
)
from movies.api.filters import MovieFilter
from movies.api.importing import import_document
from movies.api.pagination import MoviePagination
from movies.api.serializers import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MOVIE_FIELDS,
    MovieSerializer,
    SessionDetailSerializer,
    SessionExportSerializer,
    SessionStatusSerializer,
    UnenrichedMovieSerializer,
)
from movies.api.watchlist_serializers import WatchlistLookupsSerializer, WatchlistQuerySerializer
from movies.card import PngUnavailable, share_card_png, share_card_svg
from movies.csv_export import letterboxd_csv, movies_csv
from movies.models import Movie
from movies.services.deleting import delete_session
from movies.services.storing import create_session_from_export
from sessions.selectors import get_live_session, get_polled_session
from sessions.services import extend_session_expiry

SESSION_NOT_FOUND = "Session not found."
CSV_TYPE = "text/csv; charset=utf-8"
SESSION_ID = OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Unknown, malformed, expired or deleted session id.")
ANY_OBJECT = OpenApiTypes.OBJECT
BAD_WATCHLIST_QUERY = OpenApiResponse(
    description="A max_runtime, limit, page or page_size that is not a whole number in range; "
    "`detail` says which."
)
BAD_QUERY = OpenApiResponse(
    description="A year or release year that is not a plausible year; `detail` says which."
)


class SessionLookupMixin:
    """The session named in the URL; every read also extends its life (writing at most hourly)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    lookup_url_kwarg = "session_id"
    # Anything but a slash, so that a malformed id meets the same 404 as an unknown one.
    lookup_value_regex = "[^/]+"

    def get_session(self, selector=get_live_session):
        session = selector(self.kwargs["session_id"])
        if session is None:
            raise NotFound(SESSION_NOT_FOUND)
        extend_session_expiry(session)
        return session


class CardRenderer(BaseRenderer):
    """Lets a client ask for the card by its image type in `Accept`; errors still answer JSON."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class SvgRenderer(CardRenderer):
    media_type = "image/svg+xml"
    format = "svg"


class PngRenderer(CardRenderer):
    media_type = "image/png"
    format = "png"


def card_action(renderer):
    """GET /api/session/{id}/card.<the renderer's format>."""
    return action(
        detail=True,
        methods=["get"],
        url_path=rf"card\.{renderer.format}",
        url_name=f"card-{renderer.format}",
        renderer_classes=[JSONRenderer, renderer],
    )


class CardUnavailable(APIException):
    status_code = http_status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "card_unavailable"


def analytics_query(view):
    """The URL's session, and the query's year and release year (400 if implausible)."""
    query = AnalyticsQuerySerializer(data=view.request.query_params)
    query.is_valid(raise_exception=True)
    return view.get_session(), query.validated_data


def card_query(view):
    """The URL's session, the query's year and release year, and the card's layout (400 if unknown)."""
    query = CardQuerySerializer(data=view.request.query_params)
    query.is_valid(raise_exception=True)
    figures = dict(query.validated_data)
    return view.get_session(), figures, figures.pop("layout")


class ExportFormatNegotiation(DefaultContentNegotiation):
    """On export, `?format=` names the file type, not the response renderer."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


class SessionReadsViewSet(viewsets.ViewSet):
    """What a session's page reads: progress, statistics and the share card. The owner's API
    (SessionViewSet) and a share link's (movies/api/sharing.py) both serve these."""

    status_serializer_class = SessionStatusSerializer
    # Whether answers may name the session id: only the owner's do.
    owner = True

    @extend_schema(
        summary="Enrichment progress (poll this)",
        responses={200: SessionStatusSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def status(self, request, **kwargs):
        return Response(self.status_serializer_class(self.get_session(get_polled_session)).data)

    @extend_schema(
        summary="Statistics of the session's films and viewings",
        description="All time, or the viewings of one year (`year`), optionally only films released in one "
        "year (`released`). Computed by the database and cached until enrichment changes the session.",
        parameters=[AnalyticsQuerySerializer],
        responses={200: AnalyticsSerializer, 400: BAD_QUERY, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def analytics(self, request, **kwargs):
        session, query = analytics_query(self)
        # Already rendered (and cached so): served as it is.
        return HttpResponse(
            selectors.session_analytics_json(session, **query, owner=self.owner),
            content_type="application/json",
        )

    @extend_schema(
        summary="The watchlist: its films looked up on TMDB, its figures, and what to watch next",
        description="Entries are looked up on TMDB only with budget no upload wants, so they fill in while "
        "the page is open (`lookups.pending` counts those left). `watch_next` ranks the looked-up films by "
        "the member's own ratings (directors, actors, genres, decades) and TMDB's rating; the formula is "
        "in the README.",
        parameters=[WatchlistQuerySerializer],
        responses={200: WatchlistLookupsSerializer, 400: BAD_WATCHLIST_QUERY, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def watchlist(self, request, **kwargs):
        query = WatchlistQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.watchlist_with_watch_next(self.get_session(), **query.validated_data))

    @extend_schema(
        summary="A 1200x630 picture to share (600x900 with layout=portrait): headline figures, favourites "
        "and the rating spread",
        operation_id="session_card_svg",
        parameters=[CardQuerySerializer],
        responses={(200, "image/svg+xml"): OpenApiTypes.STR, 400: BAD_QUERY, 404: NOT_FOUND},
    )
    @card_action(SvgRenderer)
    def card_svg(self, request, **kwargs):
        session, query, layout = card_query(self)
        return HttpResponse(
            share_card_svg(selectors.session_analytics(session, **query), layout),
            content_type="image/svg+xml; charset=utf-8",
        )

    @extend_schema(
        summary="The share card as a PNG picture",
        operation_id="session_card_png",
        parameters=[CardQuerySerializer],
        responses={
            (200, "image/png"): OpenApiTypes.BINARY,
            400: BAD_QUERY,
            404: NOT_FOUND,
            503: OpenApiResponse(description="This server cannot draw PNG (no cairo library); use card.svg."),
        },
    )
    @card_action(PngRenderer)
    def card_png(self, request, **kwargs):
        session, query, layout = card_query(self)
        try:
            return HttpResponse(
                share_card_png(selectors.session_analytics(session, **query), layout),
                content_type="image/png",
            )
        except PngUnavailable as exc:
            raise CardUnavailable(
                f"This server cannot draw PNG ({exc}); card.svg draws the same card."
            ) from exc


@extend_schema(parameters=[SESSION_ID])
class SessionViewSet(SessionLookupMixin, SessionReadsViewSet):
    @extend_schema(responses={200: SessionDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, session_id):
        return Response(SessionDetailSerializer(self.get_session()).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def destroy(self, request, session_id):
        delete_session(self.get_session())
        return Response(status=http_status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The whole session, as JSON (importable), CSV (one row per film) or Letterboxd's import CSV",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv", "letterboxd"],
                default="json",
                description="File type; letterboxd: a CSV in Letterboxd's import format (with tmdbID), "
                "one row per diary entry, to re-import corrected matches.",
            )
        ],
        responses={
            (200, "application/json"): SessionExportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            400: OpenApiResponse(description="`format` is not json, csv or letterboxd."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=ExportFormatNegotiation)
    def export(self, request, session_id):
        file_type = request.query_params.get("format", "json")
        if file_type not in ("json", "csv", "letterboxd"):
            raise ValidationError({"format": "Must be json, csv or letterboxd."})
        session = self.get_session()
        document = SessionExportSerializer(
            {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "exported_at": timezone.now(),
                "session": session,
                "movies": selectors.session_movies(session),
                "watchlist": selectors.session_watchlist(session),
            }
        ).data
        filename = f"letterboxd-stats-{session.pk}.{file_type}"
        if file_type == "csv":
            content = movies_csv(document["movies"], MOVIE_FIELDS)
            response = HttpResponse(content, content_type=CSV_TYPE)
        elif file_type == "letterboxd":
            filename = f"letterboxd-import-{session.pk}.csv"
            response = HttpResponse(letterboxd_csv(document["movies"]), content_type=CSV_TYPE)
        else:
            response = Response(document)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        summary="Recreate a session from a JSON export",
        description=(
            "Films carrying TMDB data are not looked up again; others are enriched anew. "
            "Each film may appear once (same key, URI, or title and year); an enriched film needs a tmdb_id. "
            "The watchlist is optional (exports before it was added have none)."
        ),
        request={"application/json": SessionExportSerializer},
        responses={
            201: SessionStatusSerializer,
            400: OpenApiResponse(description="Not a valid export; `detail` says why."),
            413: OpenApiResponse(
                description="Over the body size or IMPORT_MAX_ROWS limit; `detail` says which."
            ),
        },
        # The class's session_id is for the detail routes: this path has none.
        parameters=[OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH, exclude=True)],
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[JSONParser])
    def import_export(self, request):
        document = SessionExportSerializer(data=import_document(request))
        document.is_valid(raise_exception=True)
        data = document.validated_data
        metadata = {
            **data["session"]["upload_metadata"],
            "imported_at": timezone.now().isoformat(),
        }
        session = create_session_from_export(
            movies=data["movies"], watchlist=data["watchlist"], metadata=metadata
        )
        return Response(SessionStatusSerializer(session).data, status=http_status.HTTP_201_CREATED)


def movies_schema(parameter, serializer, not_found):
    """The film list's schema, under a session id or a share token."""
    return {
        "parameters": [parameter],
        "responses": {
            200: serializer(many=True),
            400: OpenApiResponse(
                description="A malformed filter, ordering or paging parameter; `detail` names it."
            ),
            404: not_found,
        },
    }


class SessionMoviesBase(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A session's movies, each with its viewings: filtered, ordered, a page at a time."""

    serializer_class = MovieSerializer
    pagination_class = MoviePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = MovieFilter
    queryset = Movie.objects.none()  # tells the schema generator the model; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.session_movies(self.get_session())


@extend_schema(**movies_schema(SESSION_ID, MovieSerializer, NOT_FOUND))
class SessionMoviesViewSet(SessionLookupMixin, SessionMoviesBase):
    """A session's movies, each with its viewings: filtered, ordered, a page at a time."""


@extend_schema(parameters=[SESSION_ID])
class VerificationViewSet(SessionLookupMixin, viewsets.ViewSet):
    """Quick checks of enrichment for developers: /api/test/session/{id}/..."""

    @extend_schema(responses={200: ANY_OBJECT, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="movies-summary")
    def movies_summary(self, request, session_id):
        session = self.get_session()
        movies = selectors.movies_summary(session)
        return Response(
            {
                "session_id": session.pk,
                "total_movies": session.total_movies,
                "movies": MovieSerializer(movies, many=True).data,
            }
        )

    @extend_schema(responses={200: ANY_OBJECT, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="enrichment-stats")
    def enrichment_stats(self, request, session_id):
        session = self.get_session()
        return Response(
            {
                "session_id": session.pk,
                "status": session.status,
                "progress_percent": session.progress_percent,
                **selectors.enrichment_stats(session),
            }
        )

    @extend_schema(
        responses={
            200: inline_serializer(
                "UnenrichedMovies",
                {
                    "session_id": serializers.UUIDField(),
                    "total_unenriched": serializers.IntegerField(),
                    "movies": UnenrichedMovieSerializer(many=True),
                },
            ),
            404: NOT_FOUND,
        }
    )
    @action(detail=True, methods=["get"], url_path="unenriched-movies")
    def unenriched_movies(self, request, session_id):
        session = self.get_session()
        movies, total = selectors.unenriched_movies(session)
        return Response(
            {
                "session_id": session.pk,
                "total_unenriched": total,
                "movies": UnenrichedMovieSerializer(movies, many=True).data,
            }
        )
