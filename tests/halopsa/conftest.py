"""Fixtures of the HaloPSA tests: adapters wired to an in-process simulated instance."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from adapters.halopsa import HaloAdapter, HaloSettings
from adapters.halopsa.sim_data import HaloDesk, generate_desk
from adapters.halopsa.simulator import CLIENT_ID, CLIENT_SECRET, TENANT, HaloServer, app_for_desk
from adapters.simulation import ASGIApp

CONN = "halo-test"
BASE_URL = "http://halo.sim"


@dataclass
class Instance:
    """A simulated instance: its app, its server (to look inside) and its data."""

    app: ASGIApp
    server: HaloServer

    @property
    def desk(self) -> HaloDesk:
        return self.server.desk


MakeInstance = Callable[..., Instance]
MakeAdapter = Callable[..., HaloAdapter]


@pytest.fixture
def make_instance() -> MakeInstance:
    def build(tickets: int = 120, seed: int = 7, **options: Any) -> Instance:
        app, server = app_for_desk(generate_desk(tickets=tickets, seed=seed), **options)
        return Instance(app, server)

    return build


@pytest.fixture
def instance(make_instance: MakeInstance) -> Instance:
    return make_instance()


def settings(**overrides: Any) -> HaloSettings:
    values: dict[str, Any] = {
        "name": CONN,
        "vendor": "halopsa",
        "url": BASE_URL,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "tenant": TENANT,
        # The kit's bucket is a courtesy cap; these tests make hundreds of requests.
        "rate_limit": 10_000,
    }
    values.update(overrides)
    return HaloSettings.model_validate(values)


@pytest.fixture
def make_adapter() -> MakeAdapter:
    def build(app: ASGIApp, **overrides: Any) -> HaloAdapter:
        return HaloAdapter(settings(**overrides), transport=httpx.ASGITransport(app=app))

    return build


@pytest.fixture
async def halo(make_adapter: MakeAdapter, instance: Instance) -> AsyncIterator[HaloAdapter]:
    async with make_adapter(instance.app) as adapter:
        assert isinstance(adapter, HaloAdapter)
        yield adapter
