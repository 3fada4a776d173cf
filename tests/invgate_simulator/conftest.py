"""Fixtures of the InvGate simulator tests: a raw HTTP client on the simulated API, with
the server object at hand (its data, the calls it served) and a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from adapters.invgate.sim_data import InvGateDesk, generate_desk
from adapters.invgate.simulator import PASSWORD, USERNAME, InvGateServer, app_for_desk

BASE = "http://invgate.sim/api/v1"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Api:
    client: httpx.AsyncClient
    desk: InvGateDesk
    server: InvGateServer
    clock: Clock


async def _api(strings: bool, plan: str = "enterprise") -> AsyncIterator[Api]:
    desk = generate_desk(tickets=60, seed=3)
    clock = Clock()
    app, server = app_for_desk(desk, strings=strings, plan=plan, clock=clock)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE, auth=(USERNAME, PASSWORD)
    ) as client:
        yield Api(client, desk, server, clock)


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    """A current instance: typed scalars."""
    async for made in _api(strings=False):
        yield made


@pytest.fixture
async def old_api() -> AsyncIterator[Api]:
    """An older instance: every scalar a string."""
    async for made in _api(strings=True):
        yield made


@pytest.fixture
async def starter_api() -> AsyncIterator[Api]:
    """A Starter plan instance (the lowest per-endpoint limits)."""
    async for made in _api(strings=False, plan="starter"):
        yield made
