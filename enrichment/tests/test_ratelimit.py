"""The token bucket: slots 1/refill apart across processes, proven against the stand-in's counters."""

import multiprocessing
import time

import pytest
import requests

from enrichment.standin.server import DEFAULT_API_KEY, FakeTmdb
from enrichment.tests.conftest import base_url, serve
from enrichment.tmdb import ratelimit

LIMIT, WINDOW = 20, 2.0
PROCESSES, REQUESTS_EACH = 4, 15


@pytest.mark.parametrize("limit, window", [(40, 10), (20, 1), (1, 10)])
def test_any_limit_plus_one_slots_in_a_row_span_the_window_and_the_margin(settings, limit, window):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = limit, window
    ratelimit.reset()
    slots = []

    for _ in range(limit + 1):
        waits = []
        ratelimit.acquire(max_wait=60, sleep=waits.append)  # reserve without sleeping
        slots.append(time.monotonic() + sum(waits))

    # TMDB may see the first request up to the margin late and the last on time: still no window
    # of its length holds more than the limit, and no budget is held back beyond the margin.
    span = slots[-1] - slots[0]
    assert span == pytest.approx(window + ratelimit.JITTER_MARGIN_SECONDS, abs=0.05)
    ratelimit.reset()


def test_a_full_bucket_lets_one_through_then_spaces_callers_one_slot_apart(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 11, 1
    ratelimit.reset()
    waits = []

    for _ in range(4):
        ratelimit.acquire(max_wait=5, sleep=waits.append)  # record the waits instead of sleeping

    # Nobody slept: each reservation queues behind the previous one, one slot apart.
    slot = 1 / ratelimit.refill_per_second()
    assert waits == pytest.approx([slot, 2 * slot, 3 * slot], abs=0.01)
    ratelimit.reset()


def test_a_caller_that_wakes_late_moves_the_next_slots_back(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 11, 1
    ratelimit.reset()
    ratelimit.acquire(max_wait=5)
    ratelimit.acquire(max_wait=5, sleep=lambda wait: time.sleep(wait + 0.3))  # a busy machine
    waits = []

    ratelimit.acquire(max_wait=5, sleep=waits.append)

    # Without the debit the bucket would have refilled during the late sleep: no wait at all.
    assert waits and waits[0] > 0.2
    ratelimit.reset()


def test_a_wait_past_the_deadline_reserves_nothing(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 1, 10  # one token per 10.25 s
    ratelimit.reset()
    ratelimit.acquire(max_wait=1)
    before = ratelimit.state().tokens

    try:
        ratelimit.acquire(max_wait=1)
    except ratelimit.RateLimitWaitTooLong as too_long:
        assert too_long.wait > 9
    else:
        raise AssertionError("a second token within 10 s")
    assert ratelimit.state().tokens >= before
    ratelimit.reset()


def _send_requests(url, results):
    """In a fresh process: the settings come from the environment the test sets."""
    for _ in range(REQUESTS_EACH):
        ratelimit.acquire(max_wait=30)
        response = requests.get(url, params={"query": "Heat", "api_key": DEFAULT_API_KEY}, timeout=5)
        results.put(response.status_code)


def test_processes_sharing_the_bucket_never_exceed_the_stand_ins_window(settings, monkeypatch):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = LIMIT, WINDOW
    monkeypatch.setenv("TMDB_RATE_LIMIT", f"{LIMIT}/{WINDOW:g}")
    ratelimit.reset()
    fake = FakeTmdb(size=50, limit=LIMIT, window=WINDOW)
    server = serve(fake)
    # Fresh interpreters: forking a test process that has run worker threads can inherit held locks.
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    url = base_url(server) + "/search/movie"
    try:
        workers = [context.Process(target=_send_requests, args=(url, results)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    finally:
        server.shutdown()
        server.server_close()
        ratelimit.reset()

    statuses = [results.get(timeout=1) for _ in range(PROCESSES * REQUESTS_EACH)]
    stats = fake.stats()
    assert stats.get("violations", 0) == 0
    assert statuses == [200] * (PROCESSES * REQUESTS_EACH)
    assert stats["max_in_window"] <= LIMIT


def open_breaker(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 100, 1
    settings.TMDB_BREAKER_FAILURES, settings.TMDB_BREAKER_OPEN_SECONDS = 3, 1
    ratelimit.reset()
    for _ in range(3):
        ratelimit.record_failure()


def test_failures_while_tmdb_mostly_answers_back_nobody_off(settings):
    settings.TMDB_BREAKER_FAILURES = 3
    ratelimit.reset()
    for _ in range(5):
        ratelimit.record_failure()
        ratelimit.record_failure()
        ratelimit.record_success()  # never three in a row

    ratelimit.acquire(max_wait=0)  # a slot at once
    assert ratelimit.state().breaker_open_since is None
    ratelimit.reset()


def test_a_run_of_failures_opens_the_breaker_for_everyone(settings):
    open_breaker(settings)

    try:
        ratelimit.acquire(max_wait=0.1)
    except ratelimit.RateLimitWaitTooLong as held:
        assert 0.5 < held.wait <= 1 and held.outage_seconds is not None
    else:
        raise AssertionError("a slot while the breaker is open")
    assert ratelimit.state().breaker_open_since is not None
    ratelimit.reset()


def test_after_the_pause_one_probe_goes_and_its_success_closes_the_breaker(settings):
    open_breaker(settings)
    time.sleep(1.05)

    ratelimit.acquire(max_wait=0.5)  # the probe
    try:
        ratelimit.acquire(max_wait=0.1)  # anyone else waits for the probe's answer
    except ratelimit.RateLimitWaitTooLong:
        pass
    else:
        raise AssertionError("a second request while the probe is out")
    ratelimit.record_success()

    ratelimit.acquire(max_wait=0.1)
    assert ratelimit.state().breaker_open_since is None
    ratelimit.reset()


def test_a_failed_probe_opens_the_breaker_again_for_longer(settings):
    open_breaker(settings)
    time.sleep(1.05)
    ratelimit.acquire(max_wait=0.5)

    ratelimit.record_failure()

    try:
        ratelimit.acquire(max_wait=0.1)
    except ratelimit.RateLimitWaitTooLong as held:
        assert 1.5 < held.wait <= 2
    else:
        raise AssertionError("a slot right after a failed probe")
    ratelimit.reset()
