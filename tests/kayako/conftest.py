"""Fixtures of the Kayako tests: adapters wired to the in-process simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.kayako import KayakoAdapter, KayakoSettings
from adapters.kayako.simulator import API_KEY, DEMO_STAFF_ID, SECRET_KEY, create_app
from adapters.simulation import ASGIApp

CONN = "kayako-test"
BASE_URL = "http://kayako.sim/api/index.php"

MakeAdapter = Callable[..., KayakoAdapter]


@pytest.fixture
def make_adapter() -> MakeAdapter:
    """Builds a KayakoAdapter over an ASGI app (no network); keywords override settings."""

    def build(app: ASGIApp, **overrides: Any) -> KayakoAdapter:
        values: dict[str, Any] = {
            "name": CONN,
            "vendor": "kayako",
            "url": BASE_URL,
            "api_key": API_KEY,
            "secret_key": SECRET_KEY,
            "staff_id": DEMO_STAFF_ID,
            # The default 5 requests/s is for real desks; these tests make hundreds.
            "rate_limit": 10_000,
        }
        values.update(overrides)
        settings = KayakoSettings.model_validate(values)
        return KayakoAdapter(settings, transport=httpx.ASGITransport(app=app))

    return build


@pytest.fixture
def sim_app() -> ASGIApp:
    """A fresh simulated desk per test (building one takes milliseconds)."""
    return create_app(tickets=120, seed=7)


@pytest.fixture
async def kayako(make_adapter: MakeAdapter, sim_app: ASGIApp) -> AsyncIterator[KayakoAdapter]:
    async with make_adapter(sim_app) as adapter:
        assert isinstance(adapter, KayakoAdapter)
        yield adapter
