"""Operators' actions that need the enrichment app, added to the session and film cache admins.

sessions/ and movies/ never import enrichment, so their admins are extended here and
registered again in their place (this app's admin module is loaded after theirs).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers

from enrichment.models import LetterboxdLink, MatchCorrection
from enrichment.selectors import correction_choices
from enrichment.services.corrections import settle_disputes, undo_correction
from enrichment.services.operations import SessionStillEnriching, reenrich_session, refresh_films
from enrichment.tmdb.client import TmdbError
from enrichment.tmdb.ratelimit import RateLimitWaitTooLong
from movies.admin import FilmAdmin, SessionWithMoviesAdmin
from movies.models import Film
from sessions.admin import ReadOnlyAdminMixin
from sessions.models import Session


class ReEnrichActionForm(helpers.ActionForm):
    force = forms.BooleanField(required=False, label="even sessions still enriching")


admin.site.unregister(Session)


@admin.register(Session)
class ReEnrichSessionAdmin(SessionWithMoviesAdmin):
    action_form = ReEnrichActionForm
    actions = ("reenrich_all", "retry_problems")

    def has_reenrich_permission(self, request):
        return request.user.has_perm("upload_sessions.change_session")

    @admin.action(description="Re-enrich selected sessions (every movie)", permissions=["reenrich"])
    def reenrich_all(self, request, queryset):
        self._reenrich(request, queryset, only_problems=False)

    @admin.action(description="Retry failed and not-found movies only", permissions=["reenrich"])
    def retry_problems(self, request, queryset):
        self._reenrich(request, queryset, only_problems=True)

    def _reenrich(self, request, queryset, *, only_problems):
        force = bool(request.POST.get("force"))
        queued, sessions, refused = 0, 0, []
        for session_id in queryset.values_list("pk", flat=True):
            try:
                queued += reenrich_session(session_id, only_problems=only_problems, force=force)
                sessions += 1
            except SessionStillEnriching:
                refused.append(str(session_id))
        self.message_user(request, f"Queued {queued} movie(s) of {sessions} session(s) for enrichment.")
        if refused:
            self.message_user(
                request,
                f"Still enriching, not re-queued: {', '.join(refused)}. "
                "Tick “even sessions still enriching” to re-queue them anyway.",
                messages.WARNING,
            )


admin.site.unregister(Film)


@admin.register(Film)
class RefreshFilmAdmin(FilmAdmin):
    actions = ("refresh_from_tmdb",)

    def has_refresh_permission(self, request):
        return request.user.has_perm("movies.change_film")

    @admin.action(description="Refresh selected films from TMDB", permissions=["refresh"])
    def refresh_from_tmdb(self, request, queryset):
        result = refresh_films(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            f"Refreshed {result.refreshed} film(s); {result.gone} no longer on TMDB (removed from the "
            f"cache); {result.failed} failed for now; {result.skipped} skipped.",
            messages.WARNING if result.failed or result.skipped else messages.SUCCESS,
        )
        if result.error:
            self.message_user(request, result.error, messages.ERROR)


@admin.register(MatchCorrection)
class MatchCorrectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Corrections users made through the API. Undoing one restores the movie and the URI link."""

    list_display = ("movie", "previous_status", "previous_tmdb_id", "tmdb_id", "created_at", "undone_at")
    list_filter = (("undone_at", admin.EmptyFieldListFilter),)
    search_fields = ("movie__title", "letterboxd_uri")
    ordering = ("-created_at",)
    list_select_related = ("movie",)
    show_full_result_count = False
    actions = ("undo",)

    def has_undo_permission(self, request):
        return request.user.has_perm("enrichment.change_matchcorrection")

    @admin.action(description="Undo selected corrections", permissions=["undo"])
    def undo(self, request, queryset):
        undone, failed = 0, []
        for correction in queryset.filter(undone_at__isnull=True).select_related("movie"):
            try:
                undone += undo_correction(correction, request.user)
            except (TmdbError, RateLimitWaitTooLong) as exc:
                failed.append(f"{correction.movie}: {exc}")
        self.message_user(request, f"Undid {undone} correction(s).")
        if failed:
            self.message_user(
                request, "Not undone, TMDB did not answer: " + "; ".join(failed), messages.ERROR
            )


@admin.register(LetterboxdLink)
class LetterboxdLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Letterboxd film URI -> TMDB film, learned by matching or set by a corroborated correction.

    Disputed links (a session's correction chose another film) are settled here. Deleting one
    makes the next session match that film again."""

    list_display = ("uri", "film", "method", "confidence", "disputed", "choices", "updated_at")
    list_filter = ("disputed", "method")
    search_fields = ("uri",)
    ordering = ("-disputed", "-updated_at")
    list_select_related = ("film",)
    show_full_result_count = False
    actions = ("keep_film", "take_most_chosen")

    @admin.display(description="corrections (film: sessions)")
    def choices(self, link):
        counted = correction_choices(link.uri).most_common()
        return ", ".join(f"{tmdb_id or 'not on TMDB'}: {count}" for tmdb_id, count in counted) or "—"

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("enrichment.delete_letterboxdlink")

    def has_settle_permission(self, request):
        return request.user.has_perm("enrichment.change_letterboxdlink")

    @admin.action(description="Settle: keep the linked film", permissions=["settle"])
    def keep_film(self, request, queryset):
        self.message_user(request, f"Settled {settle_disputes(queryset, take_most_chosen=False)} link(s).")

    @admin.action(description="Settle: take the film most sessions chose", permissions=["settle"])
    def take_most_chosen(self, request, queryset):
        self.message_user(request, f"Settled {settle_disputes(queryset, take_most_chosen=True)} link(s).")
