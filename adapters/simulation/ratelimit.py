"""A rolling-window rate limiter that answers 429 the way the vendor does.

Hosted desks limit requests per client over a sliding window (HaloPSA, ConnectWise,
Kapture). A client that ignores the limit must see what it would see in production: a 429,
a ``Retry-After`` it can honour, and whatever rate headers the vendor adds to every
answer. Vendors differ only in those headers and the 429 body, so both are hooks.

The window rolls: a request is allowed when fewer than ``limit`` requests of the same key
arrived in the last ``window`` seconds. Refused requests do not count (the server did not
serve them). The clock is injectable, so tests move time instead of sleeping.
"""

from __future__ import annotations

import inspect
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from adapters.simulation.request import Handler, SimRequest, SimResponse

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class LimitState:
    """Where one key stands after a request: for the headers and the 429 body."""

    limit: int
    remaining: int
    retry_after: int  # whole seconds until a request would be allowed (0: now)
    reset_in: int  # whole seconds until the window is entirely free again


def retry_after_header(state: LimitState) -> Headers:
    """The 429's headers most vendors send: ``Retry-After`` in seconds."""
    return (("Retry-After", str(max(state.retry_after, 1))),)


def no_headers(state: LimitState) -> Headers:
    return ()


def plain_too_many(state: LimitState) -> SimResponse:
    return SimResponse.text(429, "Too Many Requests\n")


def client_address(request: SimRequest) -> str:
    return request.client[0] if request.client else ""


class RateLimiter:
    """``limit`` requests per ``window`` seconds for each ``key(request)``.

    ``refused`` renders the 429 body; ``refused_headers`` the 429's headers;
    ``every_answer_headers`` headers added to allowed answers too (e.g. ``X-RateLimit-
    Remaining``) when the limiter wraps a handler.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        key: Callable[[SimRequest], str] = client_address,
        refused: Callable[[LimitState], SimResponse] = plain_too_many,
        refused_headers: Callable[[LimitState], Headers] = retry_after_header,
        every_answer_headers: Callable[[LimitState], Headers] = no_headers,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit <= 0 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit = limit
        self.window = window
        self.key = key
        self.refused = refused
        self.refused_headers = refused_headers
        self.every_answer_headers = every_answer_headers
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def admit(self, request: SimRequest) -> tuple[bool, LimitState]:
        """Count the request if the window has room: (allowed, state after it)."""
        now = self.clock()
        hits = self._hits.setdefault(self.key(request), deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        retry = 0 if len(hits) < self.limit else math.ceil(hits[0] + self.window - now)
        reset = math.ceil(hits[-1] + self.window - now) if hits else 0
        state = LimitState(self.limit, self.limit - len(hits), max(retry, 0), max(reset, 0))
        return allowed, state

    def check(self, request: SimRequest) -> SimResponse | None:
        """None when the request may proceed, else the vendor's 429."""
        allowed, state = self.admit(request)
        if allowed:
            return None
        return self._refusal(state)

    def _refusal(self, state: LimitState) -> SimResponse:
        response = self.refused(state)
        extra = (*self.every_answer_headers(state), *self.refused_headers(state))
        return replace(response, headers=(*response.headers, *extra))

    def wrap(self, handler: Handler) -> Callable[[SimRequest], Awaitable[SimResponse]]:
        """``handler`` behind the limiter, with the per-answer headers added."""

        async def limited(request: SimRequest) -> SimResponse:
            allowed, state = self.admit(request)
            if not allowed:
                return self._refusal(state)
            result = handler(request)
            response = await result if inspect.isawaitable(result) else result
            extra = self.every_answer_headers(state)
            if not extra:
                return response
            return replace(response, headers=(*response.headers, *extra))

        return limited
