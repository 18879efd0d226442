from django.apps import AppConfig


class StandinConfig(AppConfig):
    """The TMDB stand-in (``manage.py fake_tmdb``): installed only where the package is present.

    The production image leaves this package out (.dockerignore); development, tests and benches have it.
    """

    name = "enrichment.standin"
    label = "tmdb_standin"
    verbose_name = "TMDB stand-in"
