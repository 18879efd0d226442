from django.apps import AppConfig


class MoviesConfig(AppConfig):
    name = "movies"
    verbose_name = "Movies"
