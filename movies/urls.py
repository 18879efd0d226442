"""The API of a session and its films: upload, status, analytics, card, exports, import, the film
list, and the verification reads. Mounted under /api/ by config/urls.py."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from movies.api.ambiguous import AmbiguousEntriesView, AmbiguousEntryView
from movies.api.comparing import CompareView
from movies.api.sharing import (
    SharedMoviesViewSet,
    SharedRefusedView,
    SharedSessionViewSet,
    ShareLinkView,
    shared_unknown,
)
from movies.api.upload import UploadView
from movies.api.views import SessionMoviesViewSet, SessionViewSet, VerificationViewSet


class OptionalSlashRouter(SimpleRouter):
    """Routes that answer with and without a trailing slash (the existing frontend uses both)."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("session", SessionViewSet, basename="session")
router.register(r"session/(?P<session_id>[^/]+)/movies", SessionMoviesViewSet, basename="session-movies")
router.register("test/session", VerificationViewSet, basename="verification")
# What a share token opens: the page's reads only (movies/api/sharing.py).
router.register("shared", SharedSessionViewSet, basename="shared")
router.register(r"shared/(?P<token>[^/.]+)/movies", SharedMoviesViewSet, basename="shared-movies")

SHARED = r"^shared/(?P<token>[^/]+)"
# Refused under a token whatever the method: the writes, the exports (reviews are not shared) and the
# matches to correct. Any other path under it: 405 for a write, 404 for a read.
REFUSED_UNDER_TOKEN = (
    r"(?:export|import|matches|ambiguous-entries(?:/[0-9]+)?|reenrich|share|compare/[^/]+"
    r"|movies/[^/]+(?:/match)?)"
)

urlpatterns = [
    re_path(r"^upload/?$", UploadView.as_view(), name="upload"),
    re_path(r"^session/(?P<session_id>[^/]+)/share/?$", ShareLinkView.as_view(), name="session-share"),
    re_path(
        r"^session/(?P<session_id>[^/]+)/compare/(?P<token>[^/]+)/?$", CompareView.as_view(), name="compare"
    ),
    re_path(
        r"^session/(?P<session_id>[^/]+)/ambiguous-entries/?$",
        AmbiguousEntriesView.as_view(),
        name="session-ambiguous-entries",
    ),
    re_path(
        r"^session/(?P<session_id>[^/]+)/ambiguous-entries/(?P<entry_id>[0-9]+)/?$",
        AmbiguousEntryView.as_view(),
        name="session-ambiguous-entry",
    ),
    *router.urls,
    re_path(rf"{SHARED}/{REFUSED_UNDER_TOKEN}/?$", SharedRefusedView.as_view(), name="shared-refused"),
    re_path(rf"{SHARED}(?P<rest>/.*)?$", shared_unknown, name="shared-unknown"),
]
