from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.exceptions import not_found as api_not_found
from core.health import health
from enrichment.api.reenrich import ReEnrichSessionView
from sessions.views import UploadView

urlpatterns = [
    path("admin/", admin.site.urls),
    re_path(r"^api/health/?$", health, name="health"),
    re_path(r"^api/upload/?$", UploadView.as_view(), name="upload"),
    re_path(r"^api/schema/?$", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file and our template its styles (no inline <script>
    # or <style>, for the CSP); the sidecar app serves Swagger UI's files, so the docs work offline.
    re_path(
        r"^api/docs/?$",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="web/swagger_ui.html"),
        name="docs",
    ),
    path("api/admin/", include("enrichment.staff_urls")),
    path("api/", include("enrichment.match_urls")),
    re_path(
        r"^api/session/(?P<session_id>[^/]+)/reenrich/?$", ReEnrichSessionView.as_view(), name="reenrich"
    ),
    path("api/", include("movies.urls")),
    # Anything else under /api/ is the API's JSON 404, also with DEBUG on, whatever the method
    # (exempt from CSRF, as the API's views are: a PUT there is a 404, not an HTML 403).
    re_path(r"^api/", csrf_exempt(api_not_found)),
    path("", include("web.urls")),
]

# API errors answer JSON with a `detail`, as the API's own errors do (core/exceptions.py).
handler400 = "core.exceptions.bad_request"
handler403 = "core.exceptions.permission_denied"
# Unknown paths outside /api/: a plain page (with DEBUG off; DEBUG shows Django's own). Not a catch-all
# route: that would stop CommonMiddleware adding a missing slash (/s/<id> to /s/<id>/, /admin).
handler404 = "web.views.not_found"
handler500 = "core.exceptions.server_error"
