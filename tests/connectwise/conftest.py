"""Fixtures for the ConnectWise adapter's own tests: an adapter over an in-process
simulated site whose server (and so its outbox and desk) the test can inspect, and a
transport that records every request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from adapters.connectwise.adapter import ConnectWiseAdapter, ConnectWiseSettings
from adapters.connectwise.sim_data import generate_desk
from adapters.connectwise.simulator import ConnectWiseServer, connection_block
from adapters.simulation import asgi_app

FIXED_NOW = 1_750_000_000


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """An ASGI transport that keeps every request it sends."""

    inner: httpx.AsyncBaseTransport
    requests: list[httpx.Request] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def paths(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests]


@dataclass
class Site:
    server: ConnectWiseServer
    recorder: Recorder
    make: Callable[..., ConnectWiseAdapter]


@pytest.fixture
def site() -> Site:
    desk = generate_desk(tickets=60, seed=5, now=FIXED_NOW)
    server = ConnectWiseServer(desk, requests_per_minute=100_000)
    recorder = Recorder(httpx.ASGITransport(app=asgi_app(server.handle)))

    def make(**overrides: Any) -> ConnectWiseAdapter:
        values = {
            "name": "cw",
            "rate_limit": 10_000,
            **connection_block("http://connectwise.sim"),
            **overrides,
        }
        return ConnectWiseAdapter(ConnectWiseSettings.model_validate(values), transport=recorder)

    return Site(server, recorder, make)


@pytest.fixture
async def adapter(site: Site) -> AsyncIterator[ConnectWiseAdapter]:
    async with site.make() as made:
        yield made
