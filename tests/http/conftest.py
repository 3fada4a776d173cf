"""Fixtures of the HTTP-layer tests: a fake clock whose ``sleep`` advances time instead of
waiting, and scripted ``httpx.MockTransport`` desks, so that no test waits or touches the
network and every jittered delay comes from a seeded generator."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest

from adapters.http import DeskHttp

CONN = "acme"
BASE_URL = "https://desk.example/api/index.php"
# Outcome of one scripted request: a status code, a ready response, or an httpx
# exception class to raise.
Outcome = int | httpx.Response | type[httpx.RequestError]


class FakeTime:
    """Monotonic and wall clocks that move only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.wall_start = 1_700_000_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall_start + (self.now - 1000.0)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # still a switch point, as a real sleep is


class ScriptedDesk:
    """A MockTransport handler that answers with ``outcomes`` in turn (the last one
    repeats) and keeps every request that reached it."""

    def __init__(self, outcomes: Sequence[Outcome]) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes[min(len(self.requests), len(self.outcomes)) - 1]
        if isinstance(outcome, int):
            return httpx.Response(outcome, text=f"status {outcome}")
        if isinstance(outcome, httpx.Response):
            return outcome
        raise outcome(f"scripted {outcome.__name__}", request=request)


MakeHttp = Callable[..., tuple[DeskHttp, ScriptedDesk]]


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_http(fake_time: FakeTime) -> MakeHttp:
    """``make_http(outcomes, **DeskHttp keywords)`` -> (client, desk). The rate limit is
    generous unless a test sets one, so that only retry delays reach ``fake_time.sleeps``."""

    def build(
        outcomes: Sequence[Outcome] = (200,), **overrides: Any
    ) -> tuple[DeskHttp, ScriptedDesk]:
        desk = ScriptedDesk(outcomes)
        options: dict[str, Any] = {
            "transport": httpx.MockTransport(desk),
            "sleep": fake_time.sleep,
            "clock": fake_time.monotonic,
            "wall_clock": fake_time.time,
            "rng": random.Random(7),
            "rate_limit": 1_000_000.0,
            "burst": 1000,
        }
        options.update(overrides)
        return DeskHttp(CONN, BASE_URL, **options), desk

    return build
