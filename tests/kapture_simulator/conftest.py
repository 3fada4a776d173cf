"""Fixtures for the Kapture simulator's wire-level tests: raw JSON over
``httpx.ASGITransport``, with no adapter code involved."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.kapture.sim_data import KaptureDesk, generate_desk
from adapters.kapture.simulator import API_KEY, KaptureServer, app_for_desk

# A fixed "now" (2025-06-15 16:00 UTC) so that dates on the wire are known.
FIXED_NOW = 1_750_003_200
BASE_URL = "http://kapture.sim"
AUTH = {"Authorization": f"Basic {API_KEY}"}


@pytest.fixture
def desk() -> KaptureDesk:
    return generate_desk(tickets=400, seed=3, now=FIXED_NOW)


@pytest.fixture
def server(desk: KaptureDesk) -> KaptureServer:
    _, server = app_for_desk(desk)
    return server


@pytest.fixture
async def client(desk: KaptureDesk) -> AsyncIterator[httpx.AsyncClient]:
    app, _ = app_for_desk(desk)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=AUTH
    ) as http:
        yield http
