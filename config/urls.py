from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import health
from enrichment.views import ReEnrichSessionView
from sessions.views import UploadView

urlpatterns = [
    path("admin/", admin.site.urls),
    re_path(r"^api/health/?$", health, name="health"),
    re_path(r"^api/upload/?$", UploadView.as_view(), name="upload"),
    re_path(r"^api/schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^api/docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/admin/", include("enrichment.staff_urls")),
    re_path(
        r"^api/session/(?P<session_id>[^/]+)/reenrich/?$", ReEnrichSessionView.as_view(), name="reenrich"
    ),
    path("api/", include("movies.urls")),
]

# Every error answers JSON with a `detail`, as the API's own errors do (config/exceptions.py).
handler400 = "config.exceptions.bad_request"
handler403 = "config.exceptions.permission_denied"
handler404 = "config.exceptions.not_found"
handler500 = "config.exceptions.server_error"
