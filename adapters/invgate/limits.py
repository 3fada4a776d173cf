"""InvGate's per-minute limits, kept by the client before the server has to refuse.

InvGate's product standard limits are hard, per instance and per rolling minute: 1 000
calls overall, and lower ones for ``incident`` GET, ``incident`` POST and PUT, and
``incidents`` GET, by plan. The kit's token bucket (:class:`adapters.http.RateLimiter`)
paces the connection; a burst that fits the bucket can still exceed a per-endpoint
minute, so every call also waits for a free place in its endpoint's window and the
overall one (each a :class:`adapters.http.RollingWindow`). The list, the detail and bulk
runs share one adapter, hence these windows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from adapters.http import RollingWindow

Plan = Literal["starter", "pro", "enterprise"]
WINDOW = 60.0
OVERALL = 1000
# (endpoint, verb) -> calls a minute on Starter, Pro, Enterprise
PER_ENDPOINT: dict[tuple[str, str], tuple[int, int, int]] = {
    ("incident", "GET"): (75, 150, 200),
    ("incident", "POST"): (50, 100, 200),
    ("incident", "PUT"): (50, 100, 200),
    ("incidents", "GET"): (50, 75, 100),
}
_TIER = {"starter": 0, "pro": 1, "enterprise": 2}


class EndpointLimits:
    """The windows of one connection: overall, and per limited endpoint and verb."""

    def __init__(
        self,
        plan: Plan,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.overall = RollingWindow(OVERALL, WINDOW, clock=clock, sleep=sleep)
        self.endpoints = {
            key: RollingWindow(tiers[_TIER[plan]], WINDOW, clock=clock, sleep=sleep)
            for key, tiers in PER_ENDPOINT.items()
        }

    def limit_of(self, endpoint: str, verb: str) -> int:
        window = self.endpoints.get((endpoint, verb.upper()))
        return window.limit if window is not None else OVERALL

    async def acquire(self, endpoint: str, verb: str) -> None:
        window = self.endpoints.get((endpoint, verb.upper()))
        if window is not None:
            await window.acquire()
        await self.overall.acquire()
