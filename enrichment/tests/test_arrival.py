"""Settling a slot: a request that left late moves the later slots back, so TMDB never sees limit + 1."""

import pytest

from enrichment.tmdb import arrival, ratelimit


def next_wait():
    waits = []
    ratelimit.acquire(max_wait=60, sleep=waits.append)  # reserve without sleeping
    return sum(waits)


@pytest.fixture
def bucket(settings):
    settings.TMDB_RATE_LIMIT_REQUESTS, settings.TMDB_RATE_LIMIT_SECONDS = 10, 10
    ratelimit.reset()
    yield
    ratelimit.reset()


def test_a_request_answered_within_the_margin_costs_no_slot(bucket):
    slot = ratelimit.acquire(max_wait=60, sleep=lambda seconds: None)
    before = next_wait()

    delay = arrival.settle(slot, answered_at=slot.due + ratelimit.JITTER_MARGIN_SECONDS / 2)

    assert delay == pytest.approx(ratelimit.JITTER_MARGIN_SECONDS / 2)
    assert next_wait() == pytest.approx(before + 1 / ratelimit.refill_per_second(), abs=0.02)


def test_a_request_that_left_a_second_late_moves_every_later_slot_back_by_the_excess(bucket):
    slot = ratelimit.acquire(max_wait=60, sleep=lambda seconds: None)
    before = next_wait()

    arrival.settle(slot, answered_at=slot.due + 1.0)

    # The next slot is one slot later, plus how much later than the margin the request can have arrived.
    excess = 1.0 - ratelimit.JITTER_MARGIN_SECONDS
    assert next_wait() == pytest.approx(before + 1 / ratelimit.refill_per_second() + excess, abs=0.03)


def test_what_the_caller_debited_for_waking_late_is_not_debited_twice(bucket):
    slot = ratelimit.Slot(due=100.0, due_epoch=0.0, debited=0.5)
    before = next_wait()

    arrival.settle(slot, answered_at=100.0 + 0.5 + ratelimit.JITTER_MARGIN_SECONDS)

    assert next_wait() == pytest.approx(before + 1 / ratelimit.refill_per_second(), abs=0.02)
