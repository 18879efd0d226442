"""A Redis database of its own for each run of the test suite (and each pytest-xdist worker).

Tests purge the Celery broker, reset the TMDB limiter and delete throttle keys: two runs sharing a
database would undo each other's work. So a run claims a free database among 1..15 (0 is
`make run`'s) with ``SET test-suite:claim <token> NX EX 60`` in that database, renews the claim
every 20 s while it lives, and empties the database and so drops the claim when it exits. A database
that holds keys but no claim is in use by something that does not claim (an older checkout, a
bench, a run with an explicit ``TEST_REDIS_URL``) and is skipped, unless a claimed run left them
(it died before it could empty the database).

An explicit ``TEST_REDIS_URL`` wins: the run (or xdist's first worker) uses it as it is, marks it
claimed when nobody has, and never empties it. Processes the run starts (a beat, a worker, a
``spawn`` child) inherit the claim through the environment and claim nothing themselves.
"""

import atexit
import contextlib
import os
import threading
import uuid
from dataclasses import dataclass, field

import redis

CLAIM_KEY = "test-suite:claim"
# Kept (no expiry) while a claimed run uses the database: keys beside it and no live claim are a dead
# run's leftovers, which the next claim empties and takes, instead of skipping the database forever.
USED_KEY = "test-suite:used"
CLAIM_TTL_SECONDS = 60
RENEW_EVERY_SECONDS = 20
# Lowest first: developers who pick one by hand tend to take the high ones (15 was the old default).
CANDIDATES = range(1, 16)
DEFAULT_SERVER = "redis://127.0.0.1:6379"
# "<claimant>|<url>": set once a run has claimed, so that its own children use the same database.
INHERITED = "TEST_REDIS_CLAIM"
XDIST_WORKER = "PYTEST_XDIST_WORKER"
EXPLICIT = "TEST_REDIS_EXPLICIT_URL"


class NoFreeDatabase(RuntimeError):
    pass


@dataclass
class Claim:
    url: str
    database: int
    token: str
    owned: bool  # this process set the claim key: it renews it and releases it
    empty_on_release: bool  # a database found free: emptied at exit, ready for the next run
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    def client(self):
        return redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)

    def renew(self):
        """Extend the claim; set it again if the key went (a restarted Redis), never take another's."""
        client = self.client()
        try:
            if client.get(CLAIM_KEY) in (None, self.token.encode()):
                client.set(CLAIM_KEY, self.token, ex=CLAIM_TTL_SECONDS)
        finally:
            client.close()

    def keep_alive(self):
        def renew_until_stopped():
            while not self._stop.wait(RENEW_EVERY_SECONDS):
                # A test that stops Redis: the next round sets it again.
                with contextlib.suppress(redis.RedisError):
                    self.renew()

        threading.Thread(target=renew_until_stopped, name="test-redis-claim", daemon=True).start()
        atexit.register(self.release)

    def release(self):
        self._stop.set()
        if not self.owned:
            return
        client = self.client()
        try:
            if client.get(CLAIM_KEY) != self.token.encode():
                return
            if self.empty_on_release:
                client.flushdb()  # this run's leftovers, and the claim with them
            else:
                client.delete(CLAIM_KEY)
        except redis.RedisError:
            pass  # the claim expires by itself
        finally:
            client.close()


def claim_free_database(server=DEFAULT_SERVER, candidates=CANDIDATES):
    """Claim the first database of ``candidates`` nobody uses; raise NoFreeDatabase if none is."""
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    busy = []
    for database in candidates:
        client = redis.Redis.from_url(server, db=database, socket_connect_timeout=2, socket_timeout=2)
        try:
            if not client.set(CLAIM_KEY, token, nx=True, ex=CLAIM_TTL_SECONDS):
                busy.append(f"{database} (claimed)")
                continue
            if client.dbsize() == 1 or client.exists(USED_KEY):
                # Empty, or left over by a run that died (its claim expired): ours to empty and use.
                client.flushdb()
                client.set(CLAIM_KEY, token, ex=CLAIM_TTL_SECONDS)
                client.set(USED_KEY, token)
                return Claim(f"{server}/{database}", database, token, owned=True, empty_on_release=True)
            client.delete(CLAIM_KEY)  # keys without a claim: someone uses it who does not claim
            busy.append(f"{database} (has keys)")
        finally:
            client.close()
    raise NoFreeDatabase(
        "No free Redis database for the tests: " + ", ".join(busy) + ". Set TEST_REDIS_URL to one you "
        "know is yours, or empty a left-over one (redis-cli -n N flushdb) once no run uses it."
    )


def mark_explicit(url):
    """An explicit database: claim it if nobody has (so that free-database searches skip it)."""
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        owned = bool(client.set(CLAIM_KEY, token, nx=True, ex=CLAIM_TTL_SECONDS))
    except redis.RedisError:
        owned = False  # Redis down: the tests will say so; the URL is used as given
    finally:
        client.close()
    database = client.connection_pool.connection_kwargs.get("db", 0)
    return Claim(url, database, token, owned=owned, empty_on_release=False)


def claim_test_redis_url(environ=os.environ):
    """The Redis URL for this process's tests, claimed and kept alive; recorded in ``environ``."""
    claimant = environ.get(XDIST_WORKER, "run")
    inherited = environ.get(INHERITED, "")
    if inherited.partition("|")[0] == claimant:
        return inherited.partition("|")[2]  # a process this run started: its parent's database
    if not inherited and environ.get("TEST_REDIS_URL"):
        environ[EXPLICIT] = environ["TEST_REDIS_URL"]  # what the developer set, for xdist's workers too
    explicit = environ.get(EXPLICIT)
    claim = mark_explicit(explicit) if explicit and claimant in ("run", "gw0") else claim_free_database()
    claim.keep_alive()
    environ[INHERITED] = f"{claimant}|{claim.url}"
    environ["TEST_REDIS_URL"] = claim.url
    return claim.url
