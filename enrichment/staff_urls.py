"""Staff-only operations API under /api/admin/ (enrichment/api/staff.py), with or without a slash."""

from django.urls import re_path

from enrichment.api.staff import ReEnrichView, SessionErrorsView, WorkerStatusView

HEX = "[0-9a-fA-F]"
SESSION = rf"sessions/(?P<session_id>{HEX}{{8}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{12}})"

urlpatterns = [
    re_path(r"^worker/status/?$", WorkerStatusView.as_view(), name="staff-worker-status"),
    re_path(rf"^{SESSION}/errors/?$", SessionErrorsView.as_view(), name="staff-session-errors"),
    re_path(rf"^{SESSION}/re-enrich/?$", ReEnrichView.as_view(), name="staff-session-re-enrich"),
]
