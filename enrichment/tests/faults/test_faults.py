"""Fault tests: a worker killed, Redis and PostgreSQL restarted in the middle of an enrichment.

Each runs a session of FILMS catalog films against the stand-in at TMDB's 40 requests / 10 s on a
private stack (harness.py beside this file: its own PostgreSQL, Redis, gunicorn, beat and a 4-process
worker), breaks one part once the chord is under way, and asserts that the session completes
with every movie ended once, counters equal to the rows, no HTTP 500 seen by the SPA's poller,
and progress resuming within RECOVERY_GOAL_SECONDS of the fault. Run apart:
`pytest -m chaos enrichment/tests/faults`.
"""

import pytest

from enrichment.tests.faults.harness import Run, Stack

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(900)]
BASE_PORT = 18410  # .. 18413
FILMS = 60
DOWN_SECONDS = 5
RECOVERY_GOAL_SECONDS = 90
COMPLETION_MARGIN_SECONDS = 90


@pytest.fixture(scope="module")
def stack():
    stack = Stack(BASE_PORT, worker_processes=4)
    try:
        yield stack.start()
    finally:
        stack.stop()


FAULTS = {
    "worker killed (kill -9 of the whole worker)": Stack.kill_worker,
    "Redis restarted (its data lost)": Stack.restart_redis,
    "PostgreSQL restarted (immediate stop)": Stack.restart_postgres,
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_enrichment_recovers_from_the_fault(stack, capsys, name):
    index = list(FAULTS).index(name)
    run = Run(stack, films=FILMS, first=index * FILMS).upload()  # new films each time: no warm cache
    assert run.wait_for_progress(10, timeout=60), "the enrichment never started"

    run.inject(lambda down: FAULTS[name](stack, down), DOWN_SECONDS)
    deadline = run.fault_at + RECOVERY_GOAL_SECONDS + 30
    run.wait_for_progress(run.processed_when_back + 1, timeout=max(deadline - run.elapsed(), 0))
    recovery = run.recovery_seconds()
    # Once resumed, the rest of the run takes about as long as without a fault (FILMS / 2 s at 40/10).
    completion_deadline = run.fault_at + RECOVERY_GOAL_SECONDS + COMPLETION_MARGIN_SECONDS
    completed_at = run.wait_until_completed(max(completion_deadline - run.elapsed(), 0) if recovery else 0)
    stored = run.stored()
    resumed = f"after {recovery:.1f} s" if recovery else "NEVER"
    completed = f"at {completed_at:.1f} s" if completed_at else "no"
    with capsys.disabled():
        print(
            f"\n[chaos] {name}: fault at {run.fault_at:.1f} s (back at {run.back_at:.1f} s), "
            f"progress resumed {resumed}, completed {completed}, "
            f"polled until {run.samples[-1].at:.1f} s, answers {run.answers()}, stored {stored}"
        )

    assert 500 not in run.answers(), "the poller saw an HTTP 500"
    assert recovery is not None and recovery <= RECOVERY_GOAL_SECONDS, f"progress resumed after {recovery} s"
    assert completed_at is not None and stored["status"] == "completed"
    assert stored["total_movies"] == FILMS == sum(stored["rows"].values()) == stored["distinct_keys"]
    assert stored["rows"].get("pending", 0) == 0, "a movie never ended"
    assert stored["counters"] == {
        outcome: stored["rows"].get(outcome, 0) for outcome in ("enriched", "not_found", "failed")
    }, "a movie was counted twice, or not at all"
