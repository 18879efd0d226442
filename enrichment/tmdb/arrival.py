"""The limit holds where TMDB counts it, at arrival, even on a busy host.

The bucket (ratelimit.py) hands out slots 1/r apart with r = limit / (window + margin), so
limit + 1 slots in a row span window + margin. TMDB counts arrivals, not grants: a request
granted at t may leave its process late (the process waits for a CPU between its slot and the
socket, the stand-in or proxy waits for one too), and when request i arrives more than the margin
later than request i + limit, one window holds limit + 1 requests. On a saturated two-core host
delays of a second were seen, so no fixed margin is a guarantee.

So every request *settles* its slot: once TMDB's answer (or the error) is back, the time from the
slot to then bounds from above how late the request can have arrived. When that delay exceeds
the margin (less what the caller already debited for waking late), the bucket is debited by the
excess: every slot reserved from then on moves back by as much. Slot i + limit is reserved about
window seconds after slot i (callers reserve at most a few slots ahead), long after request i's
answer, so it moves back past request i's latest arrival + window. The cost is only the delays
past the margin, and only while the host is busy; the bench (``bench/enrich.py --busy``) reports
the delays seen and the efficiency kept. A delay measured is an upper bound (it includes TMDB's
answer time), so with a distant TMDB the debit is conservative, never short.

Against the stand-in the client also sends the slot's time (``X-Slot-Due``, epoch seconds), so
that the stand-in can report grant-to-arrival delays; it is never sent to the real TMDB.
"""

import time

from enrichment.tmdb import ratelimit

# Debit a hair more than the excess: TMDB's window is open at one end.
SETTLE_ALLOWANCE_SECONDS = 0.005
SLOT_HEADER = "X-Slot-Due"


def settle(slot, answered_at=None):
    """Debit the bucket by how much later than its margin this slot's request can have arrived.

    Returns the delay from the slot to ``answered_at`` (now by default), in seconds.
    """
    answered_at = time.monotonic() if answered_at is None else answered_at
    delay = answered_at - slot.due
    excess = delay - ratelimit.JITTER_MARGIN_SECONDS - slot.debited
    if excess > 0:
        ratelimit.debit(excess + SETTLE_ALLOWANCE_SECONDS)
    return delay


def slot_header(slot):
    return {SLOT_HEADER: f"{slot.due_epoch:.6f}"}
