"""What an upload stored, in a form two uploads can be compared by."""

from movies.models import Movie, Watch

FILM_FIELDS = ["key", "title", "year", "rating", "watched_date", "marked_watched_on", "rewatch", "tags"]
FILM_FIELDS += ["liked", "review"]
VIEWING_FIELDS = ["movie__key", "letterboxd_uri", "watched_date", "rating", "rewatch", "tags", "review"]


def stored_films(session_id):
    return sorted(Movie.objects.filter(session_id=session_id).values_list(*FILM_FIELDS))


def stored_viewings(session_id):
    return sorted(Watch.objects.filter(movie__session_id=session_id).values_list(*VIEWING_FIELDS))


def analytics_answer(client, session_id, query=""):
    """The analytics JSON of a session (all time, or the query's year), asserting it answered 200."""
    response = client.get(f"/api/session/{session_id}/analytics{query}")
    assert response.status_code == 200, response.content
    return response.json()
