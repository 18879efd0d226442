"""Faults during a 300-film enrichment: how long the session takes, and what a polling client sees.

    .venv/bin/python bench/chaos.py [--films 300] [--fault-at 32] [--timeout 900] [--only Redis]

Each row runs on a fresh private stack (enrichment/tests/faults/harness.py: its own PostgreSQL,
Redis, gunicorn, beat and a 4-process worker, the TMDB stand-in at 40 requests / 10 s; ports
18430..18433, never the shared services): upload the films over HTTP, poll the status every 0.5 s
as the SPA does, inject the fault --fault-at seconds in, and wait for completion (at most
--timeout s). Prints per fault: completion time against the fault-free run (goal <= 1.5x), the
progress-resume time after the fault, the poller's non-2xx answers (goal: no HTTP 500), and
whether counters equal the rows.
Figures are noisy on a shared machine: run it several times and compare medians.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enrichment.tests.faults.harness import Run, Stack

BASE_PORT = 18430
GOAL_RATIO = 1.5
# (name, fault, seconds down, share of TMDB answers that are a 5xx)
FAULTS = [
    ("no fault", None, 0, 0.0),
    ("kill -9 of one worker child", Stack.kill_worker_child, 0, 0.0),
    ("kill -9 of the whole worker, restarted 30 s later", Stack.kill_worker, 30, 0.0),
    ("Redis stopped 11 s (it keeps nothing on disk)", Stack.restart_redis, 11, 0.0),
    ("PostgreSQL stopped 22 s", Stack.restart_postgres, 22, 0.0),
    ("10 % of TMDB answers a 5xx", None, 0, 0.1),
]


def run_one(films, fault, down, error_rate, fault_at, timeout):
    stack = Stack(BASE_PORT, worker_processes=4, tmdb_error_rate=error_rate).start()
    try:
        run = Run(stack, films=films).upload()
        recovery = None
        if fault is not None:
            while run.elapsed() < fault_at:
                time.sleep(0.1)
            run.inject(lambda seconds: fault(stack, seconds), down)
        completed_at = run.wait_until_completed(timeout - run.elapsed())
        if fault is not None:
            recovery = run.recovery_seconds()
        return completed_at, recovery, run.answers(), run.stored()
    finally:
        stack.stop()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--fault-at", type=float, default=32.0, help="seconds after the upload")
    parser.add_argument("--timeout", type=float, default=900.0, help="longest wait for one session")
    parser.add_argument("--only", default="", help="run only the faults whose name holds this (and no fault)")
    args = parser.parse_args()

    rows = [row for row in FAULTS if row[1] is None and not row[3] or args.only.lower() in row[0].lower()]
    baseline = None
    print(
        f"{args.films} films, 4 worker processes, stand-in at 40/10, fault {args.fault_at:g} s in", flush=True
    )
    header = f"{'fault':<52} {'completed':>10} {'ratio':>6} {'resumed':>8}  non-2xx answers  stored"
    print(header, flush=True)
    for name, fault, down, error_rate in rows:
        completed_at, recovery, answers, stored = run_one(
            args.films, fault, down, error_rate, args.fault_at, args.timeout
        )
        if fault is None and not error_rate:
            baseline = completed_at
        ratio = f"{completed_at / baseline:.2f}x" if completed_at and baseline else "-"
        done = f"{completed_at:.0f} s" if completed_at else f">{args.timeout:.0f} s"
        resumed = f"{recovery:.0f} s" if recovery is not None else ("-" if fault is None else "never")
        non_2xx = {code: count for code, count in answers.items() if code is None or code >= 300}
        consistent = stored["counters"] == {
            outcome: stored["rows"].get(outcome, 0) for outcome in ("enriched", "not_found", "failed")
        }
        outcome = "/".join(str(stored["counters"][key]) for key in ("enriched", "not_found", "failed"))
        pending = stored["rows"].get("pending", 0)
        print(
            f"{name:<52} {done:>10} {ratio:>6} {resumed:>8}  {str(non_2xx or 'none'):<15}  "
            f"{stored['status']}, enriched/not found/failed {outcome}, pending {pending}, "
            f"counters {'= rows' if consistent else '!= ROWS'}",
            flush=True,
        )
    print(f"goal: completion <= {GOAL_RATIO}x the fault-free run, no HTTP 500 (None = no answer at all)")


if __name__ == "__main__":
    main()
