"""Fixtures of the Kapture adapter tests: adapters wired to the in-process simulator, with
the server at hand to count what reached it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from adapters.kapture import KaptureAdapter, KaptureSettings
from adapters.kapture.sim_data import generate_desk
from adapters.kapture.simulator import KaptureServer, app_for_desk, connection_block
from adapters.simulation import ASGIApp

CONN = "kapture-test"
BASE_URL = "http://kapture.sim"


@dataclass
class Sim:
    app: ASGIApp
    server: KaptureServer

    def pulls(self) -> list[dict[str, Any]]:
        return [body[0] for operation, body in self.server.requests if operation == "pull"]

    def operations(self) -> list[str]:
        return [operation for operation, _ in self.server.requests]


MakeSim = Callable[..., Sim]
MakeAdapter = Callable[..., KaptureAdapter]


@pytest.fixture
def make_sim() -> MakeSim:
    def build(tickets: int = 120, keys: dict[str, str] | None = None) -> Sim:
        app, server = app_for_desk(generate_desk(tickets=tickets, seed=7), keys=keys)
        return Sim(app, server)

    return build


@pytest.fixture
def make_adapter() -> MakeAdapter:
    """A KaptureAdapter over an ASGI app (no network); keywords override settings."""

    def build(app: ASGIApp | httpx.AsyncBaseTransport, **overrides: Any) -> KaptureAdapter:
        values: dict[str, Any] = {
            "name": CONN,
            **connection_block(BASE_URL),
            # The default 5 requests/s is for real desks; these tests make many.
            "rate_limit": 10_000,
        }
        values.update(overrides)
        settings = KaptureSettings.model_validate(values)
        transport = (
            app if isinstance(app, httpx.AsyncBaseTransport) else httpx.ASGITransport(app=app)
        )
        return KaptureAdapter(settings, transport=transport)

    return build


@pytest.fixture
def sim(make_sim: MakeSim) -> Sim:
    return make_sim()


@pytest.fixture
async def kapture(make_adapter: MakeAdapter, sim: Sim) -> AsyncIterator[KaptureAdapter]:
    async with make_adapter(sim.app) as adapter:
        yield adapter
