"""The enrichment app's API: health, a session's matches and corrections, its re-enrichment, and the
staff-only operations under /api/admin/. Mounted under /api/ by config/urls.py."""

from django.urls import include, re_path

from enrichment.api.health import health
from enrichment.api.matches import MatchesView, MovieMatchView
from enrichment.api.reenrich import ReEnrichSessionView
from enrichment.api.staff import ReEnrichView, SessionErrorsView, WorkerStatusView

HEX = "[0-9a-fA-F]"
STAFF_SESSION = rf"sessions/(?P<session_id>{HEX}{{8}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{12}})"

# Staff-only operations (enrichment/api/staff.py), with or without a slash.
staff_urlpatterns = [
    re_path(r"^worker/status/?$", WorkerStatusView.as_view(), name="staff-worker-status"),
    re_path(rf"^{STAFF_SESSION}/errors/?$", SessionErrorsView.as_view(), name="staff-session-errors"),
    re_path(rf"^{STAFF_SESSION}/re-enrich/?$", ReEnrichView.as_view(), name="staff-session-re-enrich"),
]

urlpatterns = [
    re_path(r"^health/?$", health, name="health"),
    re_path(r"^admin/", include(staff_urlpatterns)),
    re_path(r"^session/(?P<session_id>[^/]+)/matches/?$", MatchesView.as_view(), name="session-matches"),
    re_path(
        r"^session/(?P<session_id>[^/]+)/movies/(?P<movie_id>[0-9]+)/match/?$",
        MovieMatchView.as_view(),
        name="movie-match",
    ),
    re_path(
        r"^session/(?P<session_id>[^/]+)/reenrich/?$", ReEnrichSessionView.as_view(), name="reenrich"
    ),
]
