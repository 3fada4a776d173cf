"""HaloPSA's rate limit kept on the client: a rolling window, and waiting out a 429.

Hosted Halo allows 500 requests per instance in any rolling 300 s and answers 429 beyond
it, with a text naming the limit (``Rate Limit Reached - 500 Requests per rolling 5
minute window``) and no ``Retry-After``. A token bucket at the average rate (1.67/s)
would never trip it but would take 6 minutes for what the window allows in 5; this
limiter instead (the kit's rolling window underneath) lets a request go as soon as
the window has room, so a burst of 500 leaves at once and request 501 leaves when the
first one ages out. Every request of the connection passes it (lists, details, bulk runs
and refreshes alike), which is what keeps them together under the limit.

Two margins absorb what the client cannot see: a request is counted when it leaves, the
server counts it when it arrives, so a slot is reused only ``slack`` after it expired; and
``reserve`` requests of the window are left for whatever else uses the instance's budget
(the token requests, another integration).

A 429 that comes anyway (another client spent the budget) pauses every request of the
connection: until the oldest request this client sent in the window ages out when that
explains the refusal, else for a growing share of the window the body names. The HTTP
layer then resends the refused request, which is safe even for a write: a 429 was not
processed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

import httpx

from adapters.http import Clock, RateLimiter, RollingWindow, Sleep

log = logging.getLogger("triage.halopsa")

_WINDOW_TEXT = re.compile(
    r"(?P<limit>\d+)\s+requests?\s+per\s+rolling\s+(?P<size>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>second|minute|hour)",
    re.IGNORECASE,
)
_UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


def window_of(text: str) -> tuple[int, float] | None:
    """``(requests, seconds)`` of a 429 text naming the window, else ``None``."""
    match = _WINDOW_TEXT.search(text)
    if match is None:
        return None
    seconds = float(match.group("size")) * _UNITS[match.group("unit").lower()]
    return int(match.group("limit")), seconds


class RollingWindowLimiter(RateLimiter):
    """At most ``limit - reserve`` requests in any ``window`` seconds (the kit's
    :class:`~adapters.http.RollingWindow`), on top of the token bucket of
    :class:`adapters.http.RateLimiter` (``rate``/``burst``, a courtesy cap), with the pause
    after Halo's 429 (:meth:`refused`)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        limit: int,
        window: float,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        super().__init__(rate, burst, clock=clock, sleep=sleep)
        if limit <= 0 or window <= 0:
            raise ValueError("the window needs a positive limit and length")
        self.limit = limit
        self.window = window
        self.reserve = min(limit - 1, max(1, limit // 50))
        self.rolling = RollingWindow(
            limit - self.reserve,
            window,
            slack=max(0.05, window / 100),
            clock=clock,
            sleep=sleep,
        )
        self.refusals = 0
        self._consecutive = 0
        self._now = clock

    def now(self) -> float:
        return self._now()

    @property
    def budget(self) -> int:
        return self.rolling.limit

    @property
    def slack(self) -> float:
        return self.rolling.slack

    @property
    def paused_until(self) -> float:
        return self.rolling.paused_until

    async def acquire(self) -> None:
        await super().acquire()
        await self.rolling.acquire()

    def refused(self, limit: int | None = None, window: float | None = None) -> float:
        """Pause after a 429 naming ``limit`` per ``window`` (or the configured ones);
        returns the pause in seconds."""
        self.refusals += 1
        self._consecutive += 1
        if (
            limit is not None
            and window is not None
            and (limit, window)
            != (
                self.limit,
                self.window,
            )
        ):
            log.warning(
                "the desk's limit is %s requests per %gs, not the configured %s per %gs",
                limit,
                window,
                self.limit,
                self.window,
            )
        span = window or self.window
        now = self._now()
        ours = self.rolling.recent(span)
        if len(ours) >= (limit or self.limit) - self.reserve:
            pause = ours[0] + span + self.slack - now
        else:
            pause = min(span / 5, span / 60 * 2 ** (self._consecutive - 1))
        pause = max(pause, self.slack)
        self.rolling.pause(now + pause)
        return pause

    def served(self) -> None:
        self._consecutive = 0


def watch_refusals(client: httpx.AsyncClient, limiter: RollingWindowLimiter) -> None:
    """Pause ``limiter`` when the desk answers Halo's 429 (one without ``Retry-After``:
    a 429 that says when to retry is the HTTP layer's to honour)."""

    async def on_response(response: httpx.Response) -> None:
        if response.status_code != 429:
            if response.status_code < 400:
                limiter.served()
            return
        if response.headers.get("Retry-After"):
            return
        await response.aread()
        text = response.content[:2048].decode("utf-8", errors="replace")
        named = window_of(text)
        pause = limiter.refused(*(named or (None, None)))
        log.warning("rate limited by the desk; pausing requests for %.1fs", pause)

    client.event_hooks.setdefault("response", []).append(on_response)
