"""A token bucket in Redis shared by every worker on every machine: the TMDB request budget.

One Lua script does everything atomically with Redis ``TIME`` as the only clock, so workers on
machines with drifting clocks still share one schedule. A caller *reserves* the next slot: when
no token is free the bucket goes negative (the debt is the queue of callers already promised a
slot) and the caller sleeps until its own slot instead of polling. Slots are therefore handed
out exactly 1/refill apart however many processes compete, and no poll is ever wasted.

Sizing: a bucket of capacity C refilled at r tokens/s lets through at most C + r*W requests in
any window of W seconds. We use C = 1 and r = (limit - 1) / W, so C + r*W equals the limit and
the (limit+1)-th request of any run is at least W + 1/r seconds after the first: with 40/10 that
is 10.26 s, a 256 ms margin for network jitter. A caller that wakes late from its sleep (a busy
machine) would eat into that margin, so it debits the bucket by its lateness: every later slot
moves back by as much, and the margin is kept for the network.
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
# Lateness below this is not worth a Redis call; it is taken from the 1/r margin.
LATE_SEND_ALLOWANCE_SECONDS = 0.005

# KEYS[1]: bucket hash. ARGV: mode ("reserve" | "penalize" | "debit" | "peek"), capacity, refill
# per second, then for "reserve" the longest acceptable wait in seconds, for "penalize" the seconds
# to block, for "debit" the seconds by which to move every later slot back.
# Returns {granted (1/0), wait seconds, tokens after, blocked_until, now (epoch seconds)} as strings
# (Lua numbers would be truncated to integers on the way back).
BUCKET_SCRIPT = """
local mode = ARGV[1]
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000

local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'blocked_until')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
local blocked_until = tonumber(state[3]) or 0
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end

local granted = 0
local wait = 0
if mode == 'reserve' then
  local max_wait = tonumber(ARGV[4])
  if tokens >= 1 then
    wait = 0
  else
    wait = (1 - tokens) / rate
  end
  if wait <= max_wait then
    tokens = tokens - 1
    granted = 1
  end
elseif mode == 'penalize' then
  -- Every later reservation waits out the block; blocks overlap rather than add up.
  local block = tonumber(ARGV[4])
  tokens = math.min(tokens, -block * rate)
  blocked_until = math.max(blocked_until, now + block)
elseif mode == 'debit' then
  tokens = tokens - tonumber(ARGV[4]) * rate
end

if mode ~= 'peek' then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated),
             'blocked_until', tostring(blocked_until))
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return {granted, tostring(wait), tostring(tokens), tostring(blocked_until), tostring(now)}
"""


class RateLimitWaitTooLong(Exception):
    """No slot within the caller's deadline; nothing was reserved. ``wait`` says how long it would be."""

    def __init__(self, wait):
        super().__init__(f"next TMDB slot in {wait:.1f}s")
        self.wait = wait


@dataclass(frozen=True)
class BucketState:
    tokens: float
    capacity: float
    refill_per_second: float
    blocked_until: datetime | None


_clients = {}


def _redis():
    # One client per process: a forked child (a prefork worker) must never read replies from
    # its parent's socket.
    key = (os.getpid(), settings.REDIS_URL)
    if key not in _clients:
        _clients[key] = redis.Redis.from_url(settings.REDIS_URL)
    return _clients[key]


def refill_per_second():
    """Tokens per second such that no window of the configured length holds more than the limit."""
    return (settings.TMDB_RATE_LIMIT_REQUESTS - CAPACITY) / settings.TMDB_RATE_LIMIT_SECONDS


def _run(mode, extra=0.0):
    script = _redis().register_script(BUCKET_SCRIPT)
    granted, *numbers = script(
        keys=[BUCKET_KEY], args=[mode, CAPACITY, refill_per_second(), extra, KEY_TTL_MS]
    )
    return (bool(granted), *(float(number) for number in numbers))


def acquire(max_wait, sleep=time.sleep):
    """Block until this caller may send one TMDB request; raise RateLimitWaitTooLong past max_wait."""
    granted, wait, *_ = _run("reserve", max_wait)
    due = time.monotonic() + wait
    if not granted:
        raise RateLimitWaitTooLong(wait)
    if wait > 0:
        sleep(wait)
    lateness = time.monotonic() - due
    if lateness > LATE_SEND_ALLOWANCE_SECONDS:
        _run("debit", lateness)


def penalize(seconds):
    """TMDB said 429: push every worker's next slot at least ``seconds`` into the future."""
    _run("penalize", max(0.0, float(seconds)))


def state():
    """The bucket as it stands now, for the operators' worker-status page."""
    _, _, tokens, blocked_until, now = _run("peek")
    return BucketState(
        tokens=round(tokens, 3),
        capacity=CAPACITY,
        refill_per_second=refill_per_second(),
        blocked_until=datetime.fromtimestamp(blocked_until, UTC) if blocked_until > now else None,
    )


def reset():
    """Forget the bucket's state (tests and benchmarks start from a full bucket)."""
    _redis().delete(BUCKET_KEY)
