"""Celery beat that sends its schedule only while it holds a lock in Redis.

Web, workers and beat may run on several hosts against one Redis: a beat started twice (two hosts,
a container restarted beside one that hangs on) would send every periodic task twice. Each beat
takes ``beat:leader`` (``SET NX`` with a 30 s expiry, through redis-py's Lock) and renews it at
every tick (at least every 10 s); the one that does not hold it sends nothing and tries again
every 5 s, so it takes over within about 35 s of the holder dying (at once when the holder stops
cleanly: it releases the lock). Taking over, it sends what its own schedule finds due: one
reconciler and at most one early cleanup, both harmless twice.
"""

import contextlib
import glob
import logging
import os
from pathlib import Path

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from redis.exceptions import LockError

logger = logging.getLogger(__name__)

LOCK_KEY = "beat:leader"
LOCK_SECONDS = 30
STANDBY_RETRY_SECONDS = 5


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.holds_lock = None  # not known before the first tick, which logs what it finds
        super().__init__(*args, **kwargs)
        # Ticks come at least this often, so the lock is renewed well before it expires.
        self.max_interval = min(self.max_interval, LOCK_SECONDS / 3)
        self._client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        self._lock = self._client.lock(LOCK_KEY, timeout=LOCK_SECONDS, thread_local=False)

    def tick(self, *args, **kwargs):
        if not self._hold_lock():
            return STANDBY_RETRY_SECONDS
        return super().tick(*args, **kwargs)

    def _hold_lock(self):
        held = False
        try:
            if self.holds_lock:
                try:
                    held = self._lock.reacquire()
                except LockError:  # expired (a long stall) or gone with a restarted Redis
                    held = self._lock.acquire(blocking=False)
            else:
                held = self._lock.acquire(blocking=False)
        except redis.RedisError as error:
            # Nothing could be sent anyway; whoever holds the lock when Redis is back sends.
            logger.warning("beat: cannot reach Redis for the beat lock (%s); sending nothing", error)
            held = False
        if held != self.holds_lock:
            if held:
                logger.info("beat: holding %s, sending the schedule", LOCK_KEY)
            else:
                logger.info("beat: another beat holds %s; standing by, sending nothing", LOCK_KEY)
        self.holds_lock = held
        return held

    def sync(self):
        super().sync()
        if not self.holds_lock:
            # A standby changes nothing in its schedule, yet is alive: docker-compose's healthcheck
            # reads the schedule file's age, so it is touched at each sync (every 3 minutes).
            schedule = Path(self.schedule_filename)
            for path in [schedule, *schedule.parent.glob(glob.escape(schedule.name) + ".*")]:
                with contextlib.suppress(FileNotFoundError):
                    os.utime(path)

    def close(self):
        try:
            super().close()
        finally:
            if self.holds_lock:
                # A standby takes over at its next try, not after the expiry.
                with contextlib.suppress(LockError, redis.RedisError):
                    self._lock.release()
                self.holds_lock = False
            self._client.close()
