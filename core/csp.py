"""A Content-Security-Policy on every response: the admin, the pages, and the API's own answers.

Pages carry no inline <script>, no <style> and no style="…" attributes, and Django 5.2's
admin none either (core/tests/test_csp.py checks its pages), so scripts and styles come
only from this origin; posters are the one outside host. A response that sets its own
policy keeps it.
"""

from django.conf import settings


def content_security_policy(directives):
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = content_security_policy(settings.SECURE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response
