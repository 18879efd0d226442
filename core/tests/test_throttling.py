"""The per-client rate limits: who counts as one client."""

import pytest

from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_write_allowed(settings):
    settings.API_WRITE_RATE_LIMIT = (1, 3600)  # one window for the whole test


def delete_with(client, **headers):
    return client.delete(f"/api/session/{SessionFactory().pk}", **headers).status_code


def test_a_forged_x_forwarded_for_buys_no_fresh_budget(client, one_write_allowed):
    answers = [delete_with(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(3)]

    assert answers == [204, 429, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(client, one_write_allowed, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    first = delete_with(client, HTTP_X_FORWARDED_FOR="203.0.113.7")
    forged = delete_with(client, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")  # same client, forged prefix
    other = delete_with(client, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert (first, forged, other) == (204, 429, 204)
