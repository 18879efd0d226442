from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "enrichment"
    verbose_name = "TMDB enrichment"

    def ready(self):
        from enrichment import receivers  # noqa: F401  connects the upload signal
