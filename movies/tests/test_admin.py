import pytest
from django.urls import reverse

from movies.models import Movie
from movies.tests.factories import (
    EnrichedMovieFactory,
    FilmFactory,
    FilmLookupFactory,
    MovieFactory,
    WatchFactory,
)
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

MOVIES = reverse("admin:movies_movie_changelist")
FILMS = reverse("admin:movies_film_changelist")
LOOKUPS = reverse("admin:movies_filmlookup_changelist")


def listed(response):
    return set(response.context["cl"].result_list)


def test_movies_are_searched_by_title(admin_client):
    wanted = MovieFactory(title="Cléo from 5 to 7")
    MovieFactory(title="Vagabond")

    assert listed(admin_client.get(MOVIES, {"q": "cléo"})) == {wanted}


def test_movies_are_filtered_by_enrichment_state_and_session(admin_client):
    session = SessionFactory()
    failed = MovieFactory(session=session, enrichment_status=Movie.EnrichmentStatus.FAILED)
    MovieFactory(session=session)
    MovieFactory(enrichment_status=Movie.EnrichmentStatus.FAILED)

    response = admin_client.get(
        MOVIES, {"session__id__exact": session.pk, "enrichment_status__exact": "failed"}
    )

    assert listed(response) == {failed}


def test_movie_links_to_its_session_and_to_tmdb(admin_client):
    movie = EnrichedMovieFactory(tmdb_id=603)
    WatchFactory(movie=movie, review="Saw it twice")

    page = admin_client.get(reverse("admin:movies_movie_change", args=[movie.pk])).content.decode()

    assert reverse("admin:upload_sessions_session_change", args=[movie.session_id]) in page
    assert "https://www.themoviedb.org/movie/603" in page
    assert "Saw it twice" in page


def test_film_cache_is_searched_by_title_or_tmdb_id(admin_client):
    matrix = FilmFactory(tmdb_id=603, title="The Matrix")
    numeric_title = FilmFactory(title="603 Seconds")
    FilmFactory(title="Playtime")

    assert listed(admin_client.get(FILMS, {"q": "matrix"})) == {matrix}
    assert listed(admin_client.get(FILMS, {"q": "603"})) == {matrix, numeric_title}


def test_lookups_can_be_filtered_to_no_match_and_deleted(admin_client):
    no_match = FilmLookupFactory(film=None, normalized_title="lost film")
    FilmLookupFactory()

    assert listed(admin_client.get(LOOKUPS, {"film__isempty": "1"})) == {no_match}

    admin_client.post(
        LOOKUPS, {"action": "delete_selected", "_selected_action": [no_match.pk], "post": "yes"}
    )
    assert not type(no_match).objects.filter(pk=no_match.pk).exists()


def test_movie_pages_refuse_users_who_are_not_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))

    for url in (MOVIES, FILMS, LOOKUPS):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("term", ["¹⁹⁹⁹", "99999999999999999999"])
def test_a_number_that_cannot_be_a_tmdb_id_is_searched_as_a_title(admin_client, term):
    FilmFactory(title="Playtime")

    response = admin_client.get(FILMS, {"q": term})

    assert response.status_code == 200
    assert listed(response) == set()
