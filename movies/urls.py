from rest_framework.routers import SimpleRouter

from movies.views import SessionMoviesViewSet, SessionViewSet, VerificationViewSet


class OptionalSlashRouter(SimpleRouter):
    """Routes that answer with and without a trailing slash (the existing frontend uses both)."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("session", SessionViewSet, basename="session")
router.register(r"session/(?P<session_id>[^/]+)/movies", SessionMoviesViewSet, basename="session-movies")
router.register("test/session", VerificationViewSet, basename="verification")

urlpatterns = router.urls
