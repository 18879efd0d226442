"""The Celery app: Redis broker, settings from Django (``CELERY_*``), two queues, the beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue

from enrichment.task_names import ENRICH_MOVIE, RECONCILE_SESSIONS, USE_IDLE_BUDGET
from movies.task_names import DELETE_EXPIRED_SESSIONS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("letterboxd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# enrich_movie tasks (each waits for TMDB budget) have a queue of their own; everything else
# (starting a session with its cache pass, sending the next round, the reconciler) stays on the
# default queue, so control work never waits behind films. Every worker consumes both: Kombu's
# Redis transport polls the two in turn. Within the film queue, Redis priorities (0 first) let
# sessions with little work left go before big ones (enrichment/queueing/scheduling.py).
CONTROL_QUEUE = "celery"
FILM_QUEUE = "enrichment"
app.conf.task_queues = (Queue(CONTROL_QUEUE), Queue(FILM_QUEUE))
app.conf.task_default_queue = CONTROL_QUEUE
app.conf.task_routes = {ENRICH_MOVIE: {"queue": FILM_QUEUE}}

# Beat sends only while it holds a lock in Redis, so one started twice (several hosts) sends each job
# once (config/beat.py). A static schedule: the beat process needs no database table of its own.
app.conf.beat_scheduler = "config.beat:SingleBeatScheduler"
app.conf.beat_schedule = {
    "delete-expired-sessions": {
        "task": DELETE_EXPIRED_SESSIONS,
        "schedule": crontab(minute=17),
    },
    # Completes sessions whose last round's callback was lost and re-queues movies whose
    # tasks were lost (enrichment/queueing/recovery.py): every 15 s, so a fault costs about a minute.
    "reconcile-enrichment": {
        "task": RECONCILE_SESSIONS,
        "schedule": 15.0,
    },
    # Watchlists and cache refreshes with the TMDB budget no session wants
    # (enrichment/queueing/idle.py): a pass looks for idle work this often (IDLE_BEAT_SECONDS), on
    # the control queue; it returns at once while any session is enriching. Expires: passes the
    # beat sent while workers were busy are dropped, not run in a heap.
    "use-idle-budget": {
        "task": USE_IDLE_BUDGET,
        "schedule": 5.0,
        "options": {"expires": 5.0},
    },
}
