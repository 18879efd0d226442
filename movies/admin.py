"""Admin for the movies of each session and for the cross-session TMDB film cache.

Both are read-only: the upload and the enrichment tasks write them, and the
session counters must stay in step with the movies' states. Films the TMDB stand-in invented
(``is_demo``) can be deleted, as the README says to do after setting a real key. Refreshing cached
films from TMDB is an action of enrichment/admin.py, which extends FilmAdmin.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from movies.models import Film, FilmLookup, Movie, Watch
from sessions.admin import ReadOnlyAdminMixin

TMDB_FILM_PAGE = "https://www.themoviedb.org/movie/{}"
TMDB_ID_MAX = 2**31 - 1  # a PositiveIntegerField; a larger number would be a database error


class TmdbLinkMixin:
    @admin.display(description="TMDB", ordering="tmdb_id")
    def tmdb(self, obj):
        if not obj.tmdb_id:
            return "-"
        return format_html('<a href="{}">{}</a>', TMDB_FILM_PAGE.format(obj.tmdb_id), obj.tmdb_id)


class WatchInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Watch
    fields = readonly_fields = ("watched_date", "logged_date", "rating", "rewatch", "tags", "review")
    extra = 0


@admin.register(Movie)
class MovieAdmin(ReadOnlyAdminMixin, TmdbLinkMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "year",
        "enrichment_status",
        "match_method",
        "match_confidence",
        "tmdb",
        "session_link",
    )
    list_filter = ("enrichment_status", "match_method", "is_demo")
    search_fields = ("title",)
    # Newest first walks the primary key index; sorting every film by title would not.
    ordering = ("-id",)
    show_full_result_count = False
    list_per_page = 100
    exclude = ("session",)
    readonly_fields = ("session_link", "tmdb")
    inlines = (WatchInline,)

    @admin.display(description="session")
    def session_link(self, movie):
        url = reverse("admin:upload_sessions_session_change", args=[movie.session_id])
        return format_html('<a href="{}">{}</a>', url, movie.session_id)


@admin.register(Film)
class FilmAdmin(ReadOnlyAdminMixin, TmdbLinkMixin, admin.ModelAdmin):
    list_display = ("title", "release_date", "tmdb", "runtime", "is_demo", "fetched_at")
    list_filter = ("is_demo",)
    search_fields = ("title", "original_title")
    ordering = ("-fetched_at",)
    show_full_result_count = False
    readonly_fields = ("tmdb",)

    def has_delete_permission(self, request, obj=None):
        # Only films the stand-in invented (demo data) may go; real ones leave by "Refresh" when TMDB
        # drops them. Django asks again per selected film, so a selection with a real one is refused.
        allowed = request.user.has_perm("movies.delete_film")
        return allowed and (obj is None or obj.is_demo)

    def get_search_results(self, request, queryset, search_term):
        # A number is also a TMDB id: "603" finds The Matrix as well as films titled 603.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        # ASCII only: isdigit() also takes superscripts, which int() refuses; and within the column's range.
        if term.isascii() and term.isdigit() and int(term) <= TMDB_ID_MAX:
            found |= queryset.filter(tmdb_id=int(term))
        return found, may_have_duplicates


@admin.register(FilmLookup)
class FilmLookupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Resolved searches. Deleting one makes the next session search TMDB again for that title."""

    list_display = ("normalized_title", "year", "film", "resolved_at", "expires_at")
    list_filter = (("film", admin.EmptyFieldListFilter),)
    search_fields = ("normalized_title",)
    ordering = ("-resolved_at",)
    show_full_result_count = False
    list_select_related = ("film",)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("movies.delete_filmlookup")
