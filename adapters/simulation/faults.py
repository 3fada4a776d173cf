"""Faults every simulator can inject: latency, server errors, dropped connections, switches.

A real desk is slow now and then, answers 5xx while it is deployed, drops connections
behind a load balancer, and some installations print things a clean one does not (PHP
notices in front of Kayako's XML, for one). The client has to survive all of it, so the
simulators must be able to do all of it, on purpose and reproducibly: rates are drawn
from a ``random.Random(seed)``, and tests can ask for the next *n* answers to fail.

The generic faults are applied by :func:`adapters.simulation.asgi_app` around any handler,
before it runs (a failing server never reaches the controller). Vendor-specific faults are
*switches*: named flags a simulator consults where the fault belongs (``faults.is_on(
"php-notices")``), so turning one on is the same gesture for every vendor.

A dropped connection cannot be faked with a status code. Over a socket the server starts
an answer and closes the connection mid-body; in-process (``httpx.ASGITransport``, which
re-raises what the app raises) the same moment surfaces as :class:`ConnectionDropped`, an
``httpx.ReadError``, which is what a client sees when a peer resets the connection.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import httpx

from adapters.simulation.request import SimRequest, SimResponse

FaultKind = Literal["error", "reset"]

SERVER_ERROR_TEXT = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ConnectionDropped(httpx.ReadError):
    """The simulated server dropped the connection before the answer was complete."""

    def __init__(self) -> None:
        super().__init__("simulated connection reset by peer")


def plain_server_error(request: SimRequest, status: int) -> SimResponse:
    """A bare error page, as a proxy in front of a busy server sends it."""
    return SimResponse.text(status, SERVER_ERROR_TEXT.get(status, "Server Error") + "\n")


@dataclass(frozen=True)
class Injected:
    """What :meth:`Faults.decide` picked for one request."""

    kind: FaultKind
    status: int = 0


class Faults:
    """The faults one simulated desk injects.

    ``latency`` = (low, high) seconds waited before each answer; ``error_rate`` and
    ``reset_rate`` are the shares of requests answered ``error_status`` or dropped;
    ``error_page`` renders the vendor's own 5xx body. ``switches`` start turned on.
    """

    def __init__(
        self,
        *,
        latency: tuple[float, float] | None = None,
        error_rate: float = 0.0,
        reset_rate: float = 0.0,
        error_status: int = 503,
        error_page: Callable[[SimRequest, int], SimResponse] = plain_server_error,
        switches: Iterable[str] = (),
        seed: int = 0,
    ) -> None:
        if latency is not None and not 0 <= latency[0] <= latency[1]:
            raise ValueError(f"latency must be (low, high) with 0 <= low <= high, got {latency}")
        for name, rate in (("error_rate", error_rate), ("reset_rate", reset_rate)):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {rate}")
        if error_rate + reset_rate > 1.0:
            raise ValueError("error_rate + reset_rate must not exceed 1")
        self.latency = latency
        self.error_rate = error_rate
        self.reset_rate = reset_rate
        self.error_status = error_status
        self.error_page = error_page
        self._switches = set(switches)
        # Two streams, so that turning error rates on does not change a run's delays.
        self._delay_rng = random.Random(seed)
        self._fault_rng = random.Random(f"faults:{seed}")
        self._queued: list[Injected] = []

    # ---- switches -----------------------------------------------------------------------

    def switch(self, name: str, on: bool = True) -> None:
        """Turn the vendor-specific fault ``name`` on (or off)."""
        if on:
            self._switches.add(name)
        else:
            self._switches.discard(name)

    def is_on(self, name: str) -> bool:
        return name in self._switches

    @property
    def switches(self) -> frozenset[str]:
        return frozenset(self._switches)

    # ---- scripted faults (tests) ----------------------------------------------------

    def fail_next(self, count: int = 1, status: int | None = None) -> None:
        """Answer the next ``count`` requests with a server error (``error_status``)."""
        self._queued.extend([Injected("error", status or self.error_status)] * count)

    def reset_next(self, count: int = 1) -> None:
        """Drop the connection of the next ``count`` requests."""
        self._queued.extend([Injected("reset")] * count)

    # ---- per request ------------------------------------------------------------------

    def delay(self) -> float:
        """Seconds to wait before answering this request (0.0 without latency)."""
        if self.latency is None:
            return 0.0
        return self._delay_rng.uniform(self.latency[0], self.latency[1])

    def decide(self) -> Injected | None:
        """The fault this request meets, if any: scripted ones first, then the rates."""
        if self._queued:
            return self._queued.pop(0)
        if not (self.error_rate or self.reset_rate):
            return None
        draw = self._fault_rng.random()
        if draw < self.error_rate:
            return Injected("error", self.error_status)
        if draw < self.error_rate + self.reset_rate:
            return Injected("reset")
        return None
