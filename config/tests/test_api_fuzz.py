"""The OpenAPI schema against the API itself: schemathesis generates requests from the schema.

Every answer must be documented (status code, content type, body schema), no answer may be a
5xx, and requests the schema calls valid must be accepted. A bounded number of examples per
operation keeps it to a few minutes in CI.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from movies.tests.factories import EnrichedMovieFactory, MovieFactory, WatchFactory
from sessions.models import Session
from sessions.tests.factories import SessionFactory

EXAMPLES_PER_OPERATION = 30
# Bodies whose rules a JSON schema cannot state, refused with a documented 400 naming the rule:
# an upload must be a Letterboxd export; an import's "enriched" film needs its tmdb_id, each film once.
UNSCHEMATIC_BODIES = ("/api/upload", "/api/session/import")
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: no request closes the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session_id(db, keep_test_connection):
    """A completed session with films, so that generated requests reach past the 404 of an unknown id."""
    session = SessionFactory(
        status=Session.Status.COMPLETED, total_movies=3, enriched_count=2, not_found_count=1
    )
    for movie in EnrichedMovieFactory.create_batch(2, session=session):
        WatchFactory(movie=movie)
    MovieFactory(session=session, enrichment_status="not_found")
    return str(session.pk)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_answer_is_documented_and_never_a_server_error(case, session_id, settings):
    settings.API_READ_RATE_LIMIT = settings.API_WRITE_RATE_LIMIT = (100_000, 60)  # fuzzing is not abuse
    if "session_id" in (case.path_parameters or {}):
        case.path_parameters["session_id"] = session_id
    # Unknown query parameters are ignored, as HTTP APIs do; what the schema allows must be accepted.
    excluded = [negative_data_rejection]
    if case.operation.path.startswith(UNSCHEMATIC_BODIES):
        excluded.append(positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)
