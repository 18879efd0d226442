"""Reading a live session: the full read and status polling's narrow one agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.selectors import POLLED_FIELDS, get_live_session, get_polled_session
from sessions.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_the_polled_read_loads_only_what_polling_needs_with_the_same_values():
    session = SessionFactory(
        total_movies=9, enriched_count=4, failed_count=1, error_message="", upload_metadata={"files": []}
    )

    polled, full = get_polled_session(session.pk), get_live_session(str(session.pk))

    all_fields = {field.attname for field in polled._meta.concrete_fields}
    assert polled.get_deferred_fields() == all_fields - set(POLLED_FIELDS)
    assert {name: getattr(polled, name) for name in POLLED_FIELDS} == {
        name: getattr(full, name) for name in POLLED_FIELDS
    }
    assert polled.created_at.tzinfo is not None and polled.progress_percent == full.progress_percent


@pytest.mark.parametrize("selector", [get_polled_session, get_live_session])
def test_expired_unknown_and_malformed_ids_read_as_none(selector):
    expired = SessionFactory(expires_at=timezone.now() - timedelta(seconds=1))

    assert selector(expired.pk) is None
    assert selector("00000000-0000-0000-0000-000000000000") is None
    assert selector("not-a-uuid") is None
