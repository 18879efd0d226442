"""The API of a session and its films: upload, status, analytics, card, exports, import, the film
list, and the verification reads. Mounted under /api/ by config/urls.py."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from movies.api.ambiguous import AmbiguousEntriesView, AmbiguousEntryView
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

urlpatterns = [
    re_path(r"^upload/?$", UploadView.as_view(), name="upload"),
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
]
