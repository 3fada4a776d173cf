"""InvGate's per-minute limits, kept by the client before the server has to refuse.

InvGate's product standard limits are hard, per instance and per rolling minute: 1 000
calls overall, and lower ones for ``incident`` GET, ``incident`` POST and PUT, and
``incidents`` GET, by plan. The kit's token bucket (:class:`adapters.http.RateLimiter`)
paces the connection; a burst that fits the bucket can still exceed a per-endpoint
minute, so every call also waits here for a free place in its endpoint's window and the
overall one. The list, the detail and bulk runs share one adapter, hence these windows.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Literal

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


class Window:
    """At most ``limit`` calls in any ``window`` seconds; :meth:`acquire` waits for room."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._calls: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                while self._calls and self._calls[0] <= now - self.window:
                    self._calls.popleft()
                if len(self._calls) < self.limit:
                    self._calls.append(now)
                    return
                await self._sleep(self._calls[0] + self.window - now)


class EndpointLimits:
    """The windows of one connection: overall, and per limited endpoint and verb."""

    def __init__(
        self,
        plan: Plan,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.overall = Window(OVERALL, clock=clock, sleep=sleep)
        self.endpoints = {
            key: Window(tiers[_TIER[plan]], clock=clock, sleep=sleep)
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
