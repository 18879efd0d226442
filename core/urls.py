"""The API's own pages (schema, docs) and its JSON 404 for any other path under /api/.

Mounted under /api/ after every app's API (config/urls.py), so the catch-all comes last.
"""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.exceptions import not_found as api_not_found

urlpatterns = [
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file and our template its styles (no inline <script>
    # or <style>, for the CSP); the sidecar app serves Swagger UI's files, so the docs work offline.
    re_path(
        r"^docs/?$",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="web/swagger_ui.html"),
        name="docs",
    ),
    # Anything else under /api/ is the API's JSON 404, also with DEBUG on, whatever the method
    # (exempt from CSRF, as the API's views are: a PUT there is a 404, not an HTML 403).
    re_path(r"", csrf_exempt(api_not_found)),
]
