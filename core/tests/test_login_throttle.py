"""Password guessing on /admin/login/ is cut off per account and per address (django-axes)."""

import logging

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

LOGIN = "/admin/login/?next=/admin/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("operator", password="the-right-one", is_staff=True)


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_guessing_locks_the_account_out_with_a_clear_message_and_a_log_line(client, staff, caplog):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "operator", f"guess-{attempt}").status_code == 200  # the form again

    with caplog.at_level(logging.WARNING, logger="axes"):
        locked = log_in(client, "operator", "one-guess-too-many")
    after = log_in(client, "operator", "the-right-one")

    assert locked.status_code == after.status_code == 429
    assert "Too many failed logins" in after.content.decode()
    assert "_auth_user_id" not in client.session  # not even the right password gets in now
    lines = [record.getMessage() for record in caplog.records]
    assert any("Locking out" in line and "operator" in line and "203.0.113.7" in line for line in lines)


def test_the_account_stays_locked_from_another_address(client, staff):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "operator", f"guess-{attempt}", address="203.0.113.7")

    assert log_in(client, "operator", "the-right-one", address="198.51.100.9").status_code == 429


def test_one_address_guessing_many_accounts_is_locked_out(client, staff):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"someone-{attempt}", "guess", address="203.0.113.7")

    assert log_in(client, "operator", "the-right-one", address="203.0.113.7").status_code == 429
    # Another address still logs the real operator in.
    assert log_in(client, "operator", "the-right-one", address="198.51.100.9").status_code == 302


def test_a_right_password_before_the_limit_logs_in_and_forgets_the_failures(client, staff):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "operator", f"guess-{attempt}")
    assert log_in(client, "operator", "the-right-one").status_code == 302
    client.logout()

    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "operator", f"again-{attempt}")
    assert log_in(client, "operator", "the-right-one").status_code == 302


ERRORS = "/api/admin/sessions/00000000-0000-0000-0000-000000000000/errors"


def with_token(client, key, address="203.0.113.7"):
    return client.get(ERRORS, HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=address)


def test_guessing_staff_api_tokens_locks_the_address_out(client, staff, caplog):
    right = Token.objects.create(user=staff).key
    with caplog.at_level(logging.WARNING, logger="core.authentication"):
        wrong = [with_token(client, f"guess{n:035d}").status_code for n in range(settings.AXES_FAILURE_LIMIT)]

    locked = with_token(client, right)

    assert wrong == [401] * settings.AXES_FAILURE_LIMIT
    assert locked.status_code == 429
    assert "Too many wrong API tokens" in locked.json()["detail"]
    assert any("203.0.113.7" in record.getMessage() for record in caplog.records)
    # Another address with the right token is let in (the session does not exist: 404).
    assert with_token(client, right, address="198.51.100.9").status_code == 404
