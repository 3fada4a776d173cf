"""Time in the fictional world: when tickets were opened, when their messages were sent.

A simulated desk's history ends at ``now`` (the current hour by default, so the demo
always shows "the last 90 days") and is reproducible for a fixed ``now``. Creation times
crowd towards the present, as a live queue's do; the messages of one ticket are spread
evenly between its first and last activity.
"""

from __future__ import annotations

import calendar
import random
import re
import time

HOUR = 3600
DAY = 86400
HISTORY_DAYS = 90


def current_hour() -> int:
    """Now, rounded down to the hour (epoch seconds): a desk's default ``now``."""
    current = int(time.time())
    return current - current % HOUR


def creation_times(
    rng: random.Random, count: int, now: int, history: int = HISTORY_DAYS * DAY
) -> list[int]:
    """``count`` creation times within ``history`` seconds before ``now``, ascending (IDs
    grow with them, as an auto-increment key does), denser towards ``now``."""
    rand = rng.random
    return sorted(now - int(history * rand() ** 1.15) for _ in range(count))


def spread(start: int, end: int, count: int) -> list[int]:
    """``count`` moments from ``start`` to ``end`` inclusive, evenly spaced."""
    if count <= 1:
        return [start] * count
    span = end - start
    return [start + span * k // (count - 1) for k in range(count)]


def format_date(epoch: int) -> str:
    """A date as people write it in a message: ``6 May 2024``."""
    return time.strftime("%d %B %Y", time.gmtime(epoch)).lstrip("0")


def parse_mdy(value: str) -> int | None:
    """A date in the m/d/Y form help desks store, as epoch seconds (UTC); None if invalid."""
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value)
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return calendar.timegm((year, month, day, 0, 0, 0))
    except (ValueError, OverflowError):
        return None
