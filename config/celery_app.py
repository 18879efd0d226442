"""The Celery app: Redis broker, settings from Django (``CELERY_*``)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("letterboxd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A static schedule: the beat process needs no database table of its own.
app.conf.beat_schedule = {
    "delete-expired-sessions": {
        "task": "sessions.tasks.delete_expired_sessions",
        "schedule": crontab(minute=17),
    },
    # Completes sessions whose chord callback was lost and re-queues movies whose tasks were lost.
    "reconcile-enrichment": {
        "task": "enrichment.tasks.reconcile_sessions",
        "schedule": 60.0,
    },
}
