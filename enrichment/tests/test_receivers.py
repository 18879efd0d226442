"""An upload's commit queues one small task, not the whole chord: the response does not wait for it."""

import json

import pytest
import redis
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery_app import app as celery_app
from enrichment.tasks import start_enrichment
from enrichment.tests.conftest import session_with_movies
from movies.models import Movie
from sessions.models import Session
from sessions.signals import session_ready_for_enrichment

pytestmark = pytest.mark.django_db(transaction=True)


def queued_task_names():
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [json.loads(message)["headers"]["task"] for message in broker.lrange("celery", 0, -1)]


def test_a_committed_upload_queues_one_task_that_dispatches_its_chord():
    celery_app.control.purge()
    with transaction.atomic():
        session = session_with_movies([(f"Film {index}", 2000) for index in range(50)])
        session_ready_for_enrichment.send(sender=Session, session_id=session.pk)
        assert queued_task_names() == []  # nothing leaves before the commit

    assert queued_task_names() == ["enrichment.tasks.start_enrichment"]
    assert not session.movies.exclude(enrichment_status=Movie.EnrichmentStatus.PENDING).exists()
    celery_app.control.purge()


def test_an_upload_is_kept_when_the_broker_is_down_at_commit(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(start_enrichment, "delay", broker_down)
    with transaction.atomic():
        session = session_with_movies([("Film", 2000)])
        session_ready_for_enrichment.send(sender=Session, session_id=session.pk)

    # Stored and still enriching: the reconciler dispatches it once the broker is back.
    assert Session.objects.get(pk=session.pk).status == Session.Status.ENRICHING
