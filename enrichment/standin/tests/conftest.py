# The stand-in served the way every enrichment test gets it (enrichment/tests/conftest.py).
from enrichment.tests.conftest import fake_tmdb, fake_tmdb_server  # noqa: F401
