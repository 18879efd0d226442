"""Unknown paths show the app's plain 404 page under `make run` (DEBUG on) too.

Django shows its yellow debug 404 (every URL pattern listed, inline styles the CSP blocks) whenever
DEBUG is on, and calls handler404 only with DEBUG off. This middleware answers a path that matches
no route with web.views.not_found before Django gets there; DEBUG_404=true asks for Django's page.
Without DEBUG it is not loaded at all (handler404 does the same there).
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.urls import is_valid_path

from web.views import not_found


class PlainNotFoundMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG or settings.DEBUG_404:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        # Inside CommonMiddleware, which still turns this 404 into its redirect to "path/" when that exists.
        if not is_valid_path(request.path_info, getattr(request, "urlconf", None)):
            return not_found(request)
        return self.get_response(request)
