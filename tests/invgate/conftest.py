"""Fixtures of the InvGate tests: adapters wired to the in-process simulator, whose server
object the tests can inspect (the calls it served, its data)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from adapters.invgate.adapter import InvGateAdapter, InvGateSettings
from adapters.invgate.sim_data import InvGateDesk, generate_desk
from adapters.invgate.simulator import PASSWORD, USERNAME, InvGateServer, app_for_desk
from adapters.simulation import ASGIApp

CONN = "ig-test"
BASE_URL = "http://invgate.sim"


@dataclass
class Sim:
    desk: InvGateDesk
    app: ASGIApp
    server: InvGateServer


MakeSim = Callable[..., Sim]
MakeAdapter = Callable[..., InvGateAdapter]


@pytest.fixture
def make_sim() -> MakeSim:
    def build(tickets: int = 80, *, strings: bool = False, **options: Any) -> Sim:
        desk = generate_desk(tickets=tickets, seed=7)
        app, server = app_for_desk(desk, strings=strings, **options)
        return Sim(desk, app, server)

    return build


@pytest.fixture
def make_adapter() -> MakeAdapter:
    """An adapter over a simulator's app (no network); keywords override settings."""

    def build(sim: Sim, **overrides: Any) -> InvGateAdapter:
        values: dict[str, Any] = {
            "name": CONN,
            "vendor": "invgate",
            "url": BASE_URL,
            "username": USERNAME,
            "password": PASSWORD,
            "plan": "enterprise",
            "rate_limit": 10_000,
        }
        values.update(overrides)
        settings = InvGateSettings.model_validate(values)
        return InvGateAdapter(settings, transport=httpx.ASGITransport(app=sim.app))

    return build


@pytest.fixture(params=[False, True], ids=["typed", "strings"])
def sim(request: pytest.FixtureRequest, make_sim: MakeSim) -> Sim:
    """A fresh instance per test, answering as a current one and as an old one."""
    return make_sim(strings=request.param)


@pytest.fixture
async def invgate(make_adapter: MakeAdapter, sim: Sim) -> AsyncIterator[InvGateAdapter]:
    async with make_adapter(sim) as adapter:
        assert isinstance(adapter, InvGateAdapter)
        yield adapter
