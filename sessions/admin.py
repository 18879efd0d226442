"""Admin for upload sessions: read-only views of their state for operators.

A session's movies are the movies app's, which this app must not import: movies/admin.py
extends ``SessionAdmin`` with them, and enrichment/admin.py with the re-enrich actions, each
registering its class in place of the one before (apps' admin modules load in INSTALLED_APPS order).
"""

import uuid

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from sessions.models import Session


class ReadOnlyAdminMixin:
    """Operators look, and act through actions: the upload and the enrichment tasks write these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HasProblemsFilter(admin.SimpleListFilter):
    title = "has failures"
    parameter_name = "has_failures"

    def lookups(self, request, model_admin):
        return [("yes", "Failed or not found"), ("no", "None")]

    def queryset(self, request, queryset):
        problems = Q(failed_count__gt=0) | Q(not_found_count__gt=0)
        if self.value() == "yes":
            return queryset.filter(problems)
        if self.value() == "no":
            return queryset.exclude(problems)
        return queryset


@admin.register(Session)
class SessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "status",
        "progress",
        "total_movies",
        "failed_count",
        "not_found_count",
        "created_at",
        "expires_at",
    )
    list_filter = ("status", HasProblemsFilter)
    search_fields = ("id",)
    ordering = ("-created_at",)
    # The unfiltered COUNT(*) is a full scan; the filtered count is enough.
    show_full_result_count = False
    fields = readonly_fields = (
        "id",
        "status",
        "error_message",
        "progress",
        "total_movies",
        "matched_count",
        "failed_count",
        "not_found_count",
        "created_at",
        "enrichment_started_at",
        "completed_at",
        "last_accessed",
        "expires_at",
        "upload_metadata",
    )

    def get_search_results(self, request, queryset, search_term):
        # A whole id finds its session through the primary key; a fragment searches the ids' text.
        try:
            session_id = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(pk=session_id), False

    @admin.display(description="progress")
    def progress(self, session):
        return format_html(
            '<progress value="{}" max="{}"></progress> {} / {} ({}%)',
            session.processed_count,
            session.total_movies or 1,
            session.processed_count,
            session.total_movies,
            session.progress_percent,
        )

    @admin.display(description="matched on TMDB")
    def matched_count(self, session):
        return session.enriched_count  # the API's matched_count; its enriched_count is the progress above
