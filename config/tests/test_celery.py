from datetime import timedelta

import pytest
from django.utils import timezone

from movies.tasks import delete_expired_sessions
from sessions.models import Session
from sessions.tests.factories import SessionFactory


def test_beat_schedule_names_registered_tasks():
    from config.celery_app import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_cleanup_task(celery_worker):
    SessionFactory(expires_at=timezone.now() - timedelta(hours=1))

    result = delete_expired_sessions.delay()

    assert result.get(timeout=30) == 1
    assert not Session.objects.exists()
