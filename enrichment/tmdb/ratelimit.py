"""A token bucket in Redis shared by every worker on every machine: the TMDB request budget.

One Lua script does everything atomically with Redis ``TIME`` as the only clock, so workers on
machines with drifting clocks still share one schedule. A caller *reserves* the next slot: when
no token is free the bucket goes negative (the debt is the queue of callers already promised a
slot) and the caller sleeps until its own slot instead of polling. Slots are therefore handed
out exactly 1/refill apart however many processes compete, and no poll is ever wasted.

Sizing: slots are handed out 1/r apart, so any limit + 1 requests in a row span at least
limit/r seconds. We use r = limit / (W + JITTER_MARGIN_SECONDS): no window of W seconds holds more
than the limit even when a request reaches TMDB up to the margin late. TMDB counts requests as they
arrive, so the margin is what a request may be held up on its way (network, a busy machine); it is
a time, not a share of the window: with 40/10 r is 3.90/s, with 20/1 it is 16/s. The bucket holds
one token (C = 1), so an idle budget does not become a burst. A caller that wakes late from its
sleep would also eat into the margin, so it debits the bucket by its lateness: every later slot
moves back by as much, and the margin is kept for the network.

The same hash is a circuit breaker shared by every worker. Each answer is reported: a success
resets the count of transient failures in a row; TMDB_BREAKER_FAILURES of them open the breaker,
and then no caller gets a slot until a probe time. At that time exactly one caller gets a slot
(the probe) while the others wait; its success closes the breaker, its failure opens it again
for twice as long (at most MAX_OPEN_SECONDS, so that work resumes within seconds of TMDB answering
again). While TMDB mostly answers, a failure does not back anyone off: the film retries at the
next free slot, so errors spend budget, not idle it.

A 429's ``Retry-After`` is obeyed up to TMDB_RETRY_AFTER_MAX_SECONDS; a longer one is an outage,
not a pause: the breaker opens at once (mode "outage"), so the status pages say TMDB is not
answering, the ETA is unknown, and the probes find out when TMDB serves again.

Idle slots (mode "idle", acquire_idle) are the budget nobody is waiting for, for work no session
waits on (watchlists, refreshing the cache: enrichment/queueing/idle.py). One is granted only when
the bucket is full (no caller is queued: tokens >= 1, so none was promised the next slot), the
breaker is closed, and no session's request ("reserve") has been due for IDLE_QUIET_SECONDS. An
idle grant never takes a slot someone holds a reservation for: a session's request that comes just
after it waits at most the one slot it took (1/r), and never behind a second idle request, since
its reservation puts the bucket in debt.
"""

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from django.conf import settings

BUCKET_KEY = "enrichment:tmdb-bucket"
CAPACITY = 1.0
# Idle buckets are full again after 1/r seconds; keep the key a while longer for the status page.
KEY_TTL_MS = 3_600_000
# How late a request may reach TMDB after its slot without a window holding one too many.
JITTER_MARGIN_SECONDS = 0.25
# Lateness below this is not worth a Redis call; it is taken from the margin.
LATE_SEND_ALLOWANCE_SECONDS = 0.005
# Once TMDB answers again, the next probe finds it within this: a short pause costs one request.
MAX_OPEN_SECONDS = 15.0
# Callers waiting for a probe's answer look again this often: the breaker may close any moment.
PROBE_POLL_SECONDS = 0.25
# Idle slots only after this long without a session's request: a session's films between two
# requests (a film's search and details, a worker taking its next film) leave gaps of milliseconds
# to tenths of a second, which are not idle budget.
IDLE_QUIET_SECONDS = 1.0

# KEYS[1]: bucket hash. ARGV: mode ("reserve" | "idle" | "penalize" | "outage" | "debit" | "peek" |
# "success" | "failure"), capacity, refill per second, then for "reserve" the longest acceptable
# wait in seconds, for "idle" the quiet seconds since the last session slot it needs, for
# "penalize" the seconds to block, for "outage" the seconds until the probe,
# for "debit" the seconds by which to move every later
# slot back; the key's TTL in ms; the breaker's failures in a row, first open seconds, longest open
# seconds and how long a probe may take.
# Returns {granted (1/0), wait seconds, tokens after, blocked_until, now (epoch seconds), held by
# the breaker (1 until the probe time, 2 while the probe is out, else 0), breaker opened at (0 when
# closed)} as strings (Lua numbers would be truncated to integers on the way back).
BUCKET_SCRIPT = """
local mode = ARGV[1]
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000

local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'blocked_until', 'failures',
                         'open_until', 'open_seconds', 'probe_until', 'opened_at', 'foreground_at')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
local blocked_until = tonumber(state[3]) or 0
local failures = tonumber(state[4]) or 0
local open_until = tonumber(state[5]) or 0
local open_seconds = tonumber(state[6]) or 0
local probe_until = tonumber(state[7]) or 0
local opened_at = tonumber(state[8]) or 0
local foreground_at = tonumber(state[9]) or 0
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end

local granted = 0
local wait = 0
local held = 0
if mode == 'reserve' then
  local max_wait = tonumber(ARGV[4])
  if open_until > 0 and now < open_until then
    held = 1
    wait = open_until - now
  elseif open_until > 0 and now < probe_until then
    held = 2
    wait = probe_until - now
  else
    if tokens >= 1 then
      wait = 0
    else
      wait = (1 - tokens) / rate
    end
    if wait <= max_wait then
      tokens = tokens - 1
      granted = 1
      foreground_at = math.max(foreground_at, now + wait)
      if open_until > 0 then
        probe_until = now + wait + tonumber(ARGV[9])
      end
    end
  end
elseif mode == 'idle' then
  -- Only a full bucket (nobody queued), a closed breaker and a quiet spell since the last session
  -- slot; otherwise wait says when it could be so at the earliest.
  local quiet = tonumber(ARGV[4])
  if open_until > 0 then
    held = 1
    wait = math.max(open_until, probe_until, now + 1) - now
  else
    wait = math.max(0, (1 - tokens) / rate, foreground_at + quiet - now, blocked_until - now)
    if wait <= 0 then
      tokens = tokens - 1
      granted = 1
    end
  end
elseif mode == 'penalize' then
  -- Every later reservation waits out the block; blocks overlap rather than add up.
  local block = tonumber(ARGV[4])
  tokens = math.min(tokens, -block * rate)
  blocked_until = math.max(blocked_until, now + block)
elseif mode == 'outage' then
  -- Opened now (or again, keeping when the outage began); any block of the bucket is forgotten:
  -- the probe decides.
  failures = math.max(failures, tonumber(ARGV[6]))
  if open_until == 0 then
    opened_at = now
    open_seconds = tonumber(ARGV[7])
  end
  open_until = now + tonumber(ARGV[4])
  probe_until = 0
  blocked_until = 0
  tokens = math.max(tokens, 0)
elseif mode == 'debit' then
  tokens = tokens - tonumber(ARGV[4]) * rate
elseif mode == 'success' then
  failures = 0
  open_until = 0
  open_seconds = 0
  probe_until = 0
  opened_at = 0
elseif mode == 'failure' then
  failures = failures + 1
  if open_until > 0 then
    -- A failed probe opens the breaker again, for longer; answers to requests sent before it
    -- opened change nothing.
    if probe_until > 0 then
      open_seconds = math.min(tonumber(ARGV[8]), open_seconds * 2)
      open_until = now + open_seconds
      probe_until = 0
    end
  elseif failures >= tonumber(ARGV[6]) then
    open_seconds = tonumber(ARGV[7])
    open_until = now + open_seconds
    probe_until = 0
    opened_at = now
  end
end

if mode ~= 'peek' then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated),
             'blocked_until', tostring(blocked_until), 'failures', tostring(failures),
             'open_until', tostring(open_until), 'open_seconds', tostring(open_seconds),
             'probe_until', tostring(probe_until), 'opened_at', tostring(opened_at),
             'foreground_at', tostring(foreground_at))
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {granted, tostring(wait), tostring(tokens), tostring(blocked_until), tostring(now),
        held, tostring(opened_at)}
"""


class RateLimitWaitTooLong(Exception):
    """No slot within the caller's deadline; nothing was reserved. ``wait`` says how long it would be.

    ``outage_seconds`` is how long the circuit breaker has been open (None when it is closed).
    """

    def __init__(self, wait, outage_seconds=None):
        super().__init__(f"next TMDB slot in {wait:.1f}s")
        self.wait = wait
        self.outage_seconds = outage_seconds


@dataclass(frozen=True)
class BucketState:
    tokens: float
    capacity: float
    refill_per_second: float
    blocked_until: datetime | None
    breaker_open_since: datetime | None


_clients = {}


def redis_client():
    # One client per process: a forked child (a prefork worker) must never read replies from
    # its parent's socket.
    key = (os.getpid(), settings.REDIS_URL)
    if key not in _clients:
        _clients[key] = redis.Redis.from_url(settings.REDIS_URL)
    return _clients[key]


def refill_per_second():
    """Tokens per second such that no window of the configured length holds more than the limit,
    even for requests that arrive up to JITTER_MARGIN_SECONDS late."""
    return settings.TMDB_RATE_LIMIT_REQUESTS / (settings.TMDB_RATE_LIMIT_SECONDS + JITTER_MARGIN_SECONDS)


@dataclass(frozen=True)
class _Answer:
    granted: bool
    wait: float
    tokens: float
    blocked_until: float
    now: float
    held_by_breaker: int  # 0, 1 open until its probe time, 2 waiting for the probe's answer
    opened_at: float


def _run(mode, extra=0.0):
    script = redis_client().register_script(BUCKET_SCRIPT)
    breaker = [
        settings.TMDB_BREAKER_FAILURES,
        settings.TMDB_BREAKER_OPEN_SECONDS,
        MAX_OPEN_SECONDS,
        settings.TMDB_TIMEOUT_SECONDS + 1,  # a probe that never answers must not hold the breaker
    ]
    granted, wait, tokens, blocked_until, now, held, opened_at = script(
        keys=[BUCKET_KEY], args=[mode, CAPACITY, refill_per_second(), extra, KEY_TTL_MS, *breaker]
    )
    return _Answer(
        bool(granted),
        float(wait),
        float(tokens),
        float(blocked_until),
        float(now),
        int(held),
        float(opened_at),
    )


@dataclass(frozen=True)
class Slot:
    """A granted slot: when it was due (monotonic and epoch seconds) and how far the bucket was
    already debited for this caller's lateness (enrichment/tmdb/arrival.py settles the rest)."""

    due: float
    due_epoch: float
    debited: float


def acquire(max_wait, sleep=time.sleep):
    """Block until this caller may send one TMDB request; raise RateLimitWaitTooLong past max_wait.

    Returns the Slot granted.
    """
    deadline = time.monotonic() + max_wait
    while True:
        asked = time.monotonic()
        answer = _run("reserve", max(0.0, deadline - time.monotonic()))
        due = time.monotonic() + answer.wait
        if answer.granted:
            break
        if not answer.held_by_breaker or due > deadline:
            outage = answer.now - answer.opened_at if answer.held_by_breaker else None
            raise RateLimitWaitTooLong(answer.wait, outage)
        # The breaker holds everyone until its probe time, then lets only the probe through; the
        # probe's answer may close it any moment, so look again often meanwhile.
        sleep(answer.wait if answer.held_by_breaker == 1 else min(answer.wait, PROBE_POLL_SECONDS))
    if answer.wait > 0:
        sleep(answer.wait)  # from the answer's arrival: never before the slot
    return _settle_lateness(asked, answer)


class IdleBudgetTaken(Exception):
    """No idle slot within the caller's deadline: sessions' films want the budget (or TMDB is out)."""


def acquire_idle(max_wait, sleep=time.sleep):
    """Block until this caller may send one request with an idle slot (see the module's doc);
    raise IdleBudgetTaken when none comes within ``max_wait``. Returns the Slot granted."""
    deadline = time.monotonic() + max_wait
    while True:
        asked = time.monotonic()
        answer = _run("idle", IDLE_QUIET_SECONDS)
        if answer.granted:
            return _settle_lateness(asked, answer)
        if answer.held_by_breaker or asked + answer.wait > deadline:
            raise IdleBudgetTaken(f"no idle TMDB slot within {max_wait:.1f}s")
        sleep(answer.wait)


def _settle_lateness(asked, answer):
    # Lateness from when the slot can have been (the question's time): a reply that reached a
    # starved process late makes the whole send late, and that counts too.
    slot_time = asked + answer.wait
    lateness = time.monotonic() - slot_time
    debited = 0.0
    if lateness > LATE_SEND_ALLOWANCE_SECONDS:
        debit(lateness)
        debited = lateness
    return Slot(due=slot_time, due_epoch=answer.now + answer.wait, debited=debited)


def debit(seconds):
    """Move every slot reserved from now on ``seconds`` later (a request reached TMDB late)."""
    _run("debit", max(0.0, float(seconds)))


def record_success():
    """TMDB answered (any answer but a 5xx or no answer): the failures in a row start again from 0."""
    _run("success")


def record_failure():
    """TMDB answered a 5xx or did not answer: one more failure in a row, which may open the breaker."""
    _run("failure")


def penalize(seconds):
    """TMDB said 429: push every worker's next slot ``seconds`` into the future, up to the cap.

    A longer wait than TMDB_RETRY_AFTER_MAX_SECONDS opens the breaker instead (see outage()).
    Returns the seconds every worker now waits.
    """
    seconds = max(0.0, float(seconds))
    cap = settings.TMDB_RETRY_AFTER_MAX_SECONDS
    if seconds > cap:
        outage(cap)
        return cap
    _run("penalize", seconds)
    return seconds


def outage(probe_in):
    """TMDB is out of service (a Retry-After past the cap): open the breaker, probe in ``probe_in`` s."""
    _run("outage", max(0.0, float(probe_in)))


def state():
    """The bucket as it stands now, for the operators' worker-status page."""
    answer = _run("peek")
    return BucketState(
        tokens=round(answer.tokens, 3),
        capacity=CAPACITY,
        refill_per_second=refill_per_second(),
        blocked_until=(
            datetime.fromtimestamp(answer.blocked_until, UTC) if answer.blocked_until > answer.now else None
        ),
        breaker_open_since=datetime.fromtimestamp(answer.opened_at, UTC) if answer.opened_at else None,
    )


def reset():
    """Forget the bucket's state (tests and benchmarks start from a full bucket)."""
    redis_client().delete(BUCKET_KEY)
