"""Admin for upload sessions: read-only views of their state for operators.

The re-enrich actions need the enrichment app, which this app must not import:
enrichment/admin.py extends ``SessionAdmin`` with them and registers it in place
of this one.
"""

import uuid

from django.contrib import admin
from django.db.models import Case, IntegerField, Q, Value, When
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from movies.models import Movie
from sessions.models import Session

# The session page shows this many movies, problems first; the rest are a link away.
SESSION_PAGE_MOVIES = 50

# Order of the movies on a session's page: what needs attention first.
_PROBLEMS_FIRST = Case(
    When(enrichment_status=Movie.EnrichmentStatus.FAILED, then=Value(0)),
    When(enrichment_status=Movie.EnrichmentStatus.NOT_FOUND, then=Value(1)),
    When(enrichment_status=Movie.EnrichmentStatus.PENDING, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def session_movies_url(session_id, **filters):
    """The movie admin's list of one session's movies, with optional extra filters."""
    query = urlencode({"session__id__exact": session_id, **filters})
    return f"{reverse('admin:movies_movie_changelist')}?{query}"


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


class FirstMoviesFormSet(BaseInlineFormSet):
    """Only the first SESSION_PAGE_MOVIES movies: a 3,000-film session opens as fast as a small one."""

    def get_queryset(self):
        # Kept, so that the slice is read once: every form of the page asks for it.
        if not hasattr(self, "_first_movies"):
            self._first_movies = (
                super().get_queryset().order_by(_PROBLEMS_FIRST, "title", "id")[:SESSION_PAGE_MOVIES]
            )
        return self._first_movies


class SessionMovieInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Movie
    formset = FirstMoviesFormSet
    fields = readonly_fields = (
        "movie_link",
        "year",
        "enrichment_status",
        "enrichment_attempts",
        "enrichment_error",
    )
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = f"Movies (the first {SESSION_PAGE_MOVIES}, problems first)"

    @admin.display(description="title")
    def movie_link(self, movie):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:movies_movie_change", args=[movie.pk]), movie
        )


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
        "all_movies",
        "created_at",
        "enrichment_started_at",
        "completed_at",
        "last_accessed",
        "expires_at",
        "upload_metadata",
    )
    inlines = (SessionMovieInline,)

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

    @admin.display(description="movies")
    def all_movies(self, session):
        return format_html(
            '<a href="{}">all {} movies</a> · <a href="{}">failed</a> · <a href="{}">not found</a>',
            session_movies_url(session.pk),
            session.total_movies,
            session_movies_url(session.pk, enrichment_status__exact=Movie.EnrichmentStatus.FAILED),
            session_movies_url(session.pk, enrichment_status__exact=Movie.EnrichmentStatus.NOT_FOUND),
        )
