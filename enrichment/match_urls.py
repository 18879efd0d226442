from django.urls import re_path

from enrichment.api.matches import MatchesView, MovieMatchView

urlpatterns = [
    re_path(r"^session/(?P<session_id>[^/]+)/matches/?$", MatchesView.as_view(), name="session-matches"),
    re_path(
        r"^session/(?P<session_id>[^/]+)/movies/(?P<movie_id>[0-9]+)/match/?$",
        MovieMatchView.as_view(),
        name="movie-match",
    ),
]
