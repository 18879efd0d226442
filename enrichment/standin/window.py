"""The stand-in's count of arrivals in a sliding window, robust to threads that record out of order.

A request's arrival time is taken as its handler starts; on a busy host another handler may reach
the lock first with a later time. A plain queue popped from its head then keeps an early arrival
behind a later one past its window and counts a request too many (a "violation" no client caused).
So the times are kept sorted and each new one is checked against every window that holds it.
"""

import bisect
import math


class ArrivalWindow:
    """Accepts an arrival unless some ``window``-second span holding it would hold more than ``limit``."""

    def __init__(self, limit, window):
        self.limit, self.window = limit, window
        self.times = []  # sorted
        self.max_in_window = 0
        self.tightest_span = None  # the shortest span of limit + 1 accepted arrivals

    def admit(self, at):
        """(accepted, retry_after seconds when refused) for an arrival at ``at``."""
        low = bisect.bisect_right(self.times, at - self.window)
        high = bisect.bisect_left(self.times, at + self.window)
        near = self.times[low:high]
        position = bisect.bisect_right(near, at)
        near.insert(position, at)
        spans = [
            near[first + self.limit] - near[first]
            for first in range(max(0, position - self.limit), position + 1)
            if first + self.limit < len(near)
        ]
        if any(span < self.window for span in spans):
            return False, max(1, math.ceil(near[0] + self.window - at))
        bisect.insort(self.times, at)
        if spans:
            self.tightest_span = min(spans + ([self.tightest_span] if self.tightest_span is not None else []))
        self.max_in_window = max(
            self.max_in_window,
            max(bisect.bisect_left(near, start + self.window) - index for index, start in enumerate(near)),
        )
        # Arrivals are at most a moment out of order: three windows back is history.
        del self.times[: bisect.bisect_left(self.times, self.times[-1] - 3 * self.window)]
        return True, None
