"""Admin for the movies of each session and for the cross-session TMDB film cache.

Both are read-only: the upload and the enrichment tasks write them, and the
session counters must stay in step with the movies' states. Films the TMDB stand-in invented
(``is_demo``) can be deleted, as the README says to do after setting a real key. Refreshing cached
films from TMDB is an action of enrichment/admin.py, which extends FilmAdmin.
"""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from movies.models import Film, FilmLookup, Movie, Watch
from sessions.admin import ReadOnlyAdminMixin, SessionAdmin
from sessions.models import Session

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


admin.site.unregister(Session)

@admin.register(Session)
class SessionWithMoviesAdmin(SessionAdmin):
    """The session admin with its movies: the first ones inline, problems first, and links to all."""

    fields = readonly_fields = (
        *SessionAdmin.fields[: SessionAdmin.fields.index("not_found_count") + 1],
        "all_movies",
        *SessionAdmin.fields[SessionAdmin.fields.index("not_found_count") + 1 :],
    )
    inlines = (SessionMovieInline,)

    @admin.display(description="movies")
    def all_movies(self, session):
        return format_html(
            '<a href="{}">all {} movies</a> · <a href="{}">failed</a> · <a href="{}">not found</a>',
            session_movies_url(session.pk),
            session.total_movies,
            session_movies_url(session.pk, enrichment_status__exact=Movie.EnrichmentStatus.FAILED),
            session_movies_url(session.pk, enrichment_status__exact=Movie.EnrichmentStatus.NOT_FOUND),
        )
