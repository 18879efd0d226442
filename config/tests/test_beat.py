"""Beat started twice sends each job once (config/beat.py): two real `celery beat` processes on the
test run's own Redis database, as two hosts would run them."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from config.beat import LOCK_KEY
from config.celery_app import CONTROL_QUEUE
from enrichment.task_names import RECONCILE_SESSIONS

ROOT = Path(__file__).resolve().parent.parent.parent
CELERY = Path(sys.executable).with_name("celery")
SENT = "Sending due task reconcile-enrichment"


class Beat:
    def __init__(self, name, directory):
        self.log = directory / f"{name}.log"
        with self.log.open("w") as log:
            # The environment carries this run's Redis database (config/redis_claim.py) to the child.
            self.process = subprocess.Popen(
                [str(CELERY), "-A", "config", "beat", "--loglevel", "INFO",
                 "--schedule", str(directory / f"{name}-schedule")],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            )  # fmt: skip

    def text(self):
        return self.log.read_text()

    def sent(self):
        return self.text().count(SENT)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def reconcilers(broker):
    """The reconciler's messages waiting in the control queue (the idle passes, sent every 5 s, go
    there too)."""
    messages = [json.loads(raw) for raw in broker.lrange(CONTROL_QUEUE, 0, -1)]
    return sum(message["headers"].get("task") == RECONCILE_SESSIONS for message in messages)


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(CONTROL_QUEUE, LOCK_KEY)
    yield client
    client.delete(CONTROL_QUEUE, LOCK_KEY)
    client.close()


def test_a_second_beat_sends_nothing_until_the_first_stops(broker, tmp_path):
    beats = [Beat("first", tmp_path), Beat("second", tmp_path)]
    try:
        # Both start together, so both schedules find the reconciler due at the same moment (15 s).
        wait_for(lambda: sum(beat.sent() for beat in beats) >= 1, 60, "a beat to send the reconciler")
        time.sleep(3)  # the other beat's send, if it were to send, would come now
        sender, standby = sorted(beats, key=Beat.sent, reverse=True)

        assert sender.sent() == 1 and standby.sent() == 0, (sender.text(), standby.text())
        assert "standing by, sending nothing" in standby.text()
        assert reconcilers(broker) == 1  # one message in the broker, not two

        # The sender stops (and lets go of the lock): the standby takes over and sends.
        sender.stop()
        wait_for(lambda: standby.sent() >= 1, 30, "the standby to take over")
        assert "holding beat:leader" in standby.text()
        # Beat logs a send before the message is written: wait for it, then see it is the only one.
        wait_for(lambda: reconcilers(broker) >= 2, 10, "the standby's message")
        time.sleep(1)
        assert reconcilers(broker) == 2 and standby.sent() == 1
    finally:
        for beat in beats:
            beat.stop()


def test_a_standby_beat_keeps_its_schedule_file_fresh_for_the_healthcheck(broker, tmp_path):
    from config.beat import SingleBeatScheduler
    from config.celery_app import app

    broker.set(LOCK_KEY, "another-beat", ex=60)
    schedule_file = tmp_path / "celerybeat-schedule"
    scheduler = SingleBeatScheduler(app=app, schedule_filename=str(schedule_file))
    try:
        assert scheduler.tick() > 0 and scheduler.holds_lock is False
        files = [path for path in tmp_path.iterdir() if path.name.startswith(schedule_file.name)]
        for path in files:
            os.utime(path, (time.time() - 3600, time.time() - 3600))

        scheduler.sync()

        assert files and all(time.time() - path.stat().st_mtime < 60 for path in files)
        assert broker.get(LOCK_KEY) == b"another-beat"  # the standby never took it
    finally:
        scheduler.close()
