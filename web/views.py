"""The pages: upload at /, one session at /s/<id>/. Thin: the browser reads the JSON API."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.exceptions import not_found as api_not_found
from core.health import redis_writable
from enrichment.matching.rules import REVIEW_BELOW
from enrichment.selectors import tmdb_mode, tmdb_reachability
from movies.selectors import active_share_link, shared_session
from sessions.selectors import get_live_session
from sessions.services import extend_session_expiry
from web.selectors import diary_days

TMDB_KEY_URL = "https://www.themoviedb.org/settings/api"


def _page_context():
    return {"tmdb": tmdb_mode(), "tmdb_key_url": TMDB_KEY_URL, "ttl_days": settings.SESSION_TTL_DAYS}


def home(request):
    return render(request, "web/home.html", {**_page_context(), "deleted": "deleted" in request.GET})


def _live_session(session_id):
    """The session, its life extended as every read does; None when malformed, unknown, expired or deleted."""
    session = get_live_session(session_id)
    if session is not None:
        extend_session_expiry(session)
    return session


def session_page(request, session_id):
    session = _live_session(session_id)
    if session is None:
        return render(request, "web/not_found.html", {"session_gone": True}, status=404)
    # The page's film list flags low-confidence matches by the API's own review threshold.
    # The active share link comes with the page: asking the API would log a 404 on every page without one.
    link = active_share_link(session)
    share_url = request.build_absolute_uri(f"/v/{link.token}/") if link else ""
    context = {**_page_context(), "session": session, "review_below": REVIEW_BELOW, "share_link": link}
    context["share_url"] = share_url
    return render(request, "web/session.html", context)


def shared_page(request, token):
    """A share link's page: the owner's statistics, films and card; no delete, matches or exports."""
    session = shared_session(token)
    if session is None:
        return render(request, "web/not_found.html", {"share_gone": True}, status=404)
    extend_session_expiry(session)
    context = {
        **_page_context(),
        "session": session,
        "viewer": True,
        "token": token,
        "review_below": REVIEW_BELOW,
    }
    return render(request, "web/session.html", context)


def compare_page(request, session_id, token):
    """Your session compared with a friend's share link; the browser reads GET …/compare/{token}."""
    session = _live_session(session_id)
    if session is None:
        return render(request, "web/not_found.html", {"session_gone": True}, status=404)
    if shared_session(token) is None:
        return render(request, "web/not_found.html", {"share_gone": True}, status=404)
    return render(request, "web/compare.html", {**_page_context(), "session": session, "token": token})


def session_diary_days(request, session_id):
    session = _live_session(session_id)
    if session is None:
        return JsonResponse({"detail": "Session not found."}, status=404)
    return JsonResponse({"days": diary_days(session)})


@never_cache
def tmdb_status(request):
    """Whether TMDB answers the workers: a session page says so instead of an ETA while it does not.

    ``enrichment_paused``: Redis (the limiter, the broker) refuses writes, so no film moves.
    """
    return JsonResponse({**tmdb_reachability(), "enrichment_paused": not redis_writable()})


def not_found(request, exception=None):
    """Unknown paths: JSON under /api/, as the API answers; a plain page with a link home elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return render(request, "web/not_found.html", status=404)
