"""Wiring only: each app owns its routes (README, "Where things are")."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("enrichment.urls")),  # health, matches, corrections, re-enrich, staff API
    path("api/", include("movies.urls")),  # upload, a session, its films, analytics, exports
    path("api/", include("core.urls")),  # schema, docs, and the JSON 404 for the rest of /api/
    path("", include("web.urls")),
]

# API errors answer JSON with a `detail`, as the API's own errors do (core/exceptions.py).
handler400 = "core.exceptions.bad_request"
handler403 = "core.exceptions.permission_denied"
# Unknown paths outside /api/: a plain page (with DEBUG on, web/middleware.py shows it). Not a catch-all
# route: that would stop CommonMiddleware adding a missing slash (/s/<id> to /s/<id>/, /admin).
handler404 = "web.views.not_found"
handler500 = "core.exceptions.server_error"
