"""Fixtures for the ConnectWise simulator's wire tests: a raw httpx client with the
simulator's credentials (the tests must not depend on the adapter)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from adapters.connectwise.sim_data import generate_desk
from adapters.connectwise.simulator import CLIENT_ID, PRIVATE_KEY, PUBLIC_KEY, ConnectWiseServer
from adapters.simulation import asgi_app

FIXED_NOW = 1_750_000_000
API = "/v4_6_release/apis/3.0"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


HEADERS = {"Authorization": basic(f"harbourline+{PUBLIC_KEY}", PRIVATE_KEY), "clientId": CLIENT_ID}


@dataclass
class Wire:
    client: httpx.AsyncClient
    server: ConnectWiseServer

    async def get(self, path: str, **params: str | int) -> httpx.Response:
        return await self.client.get(API + path, params=params, headers=HEADERS)

    async def send(self, method: str, path: str, body: object) -> httpx.Response:
        return await self.client.request(method, API + path, json=body, headers=HEADERS)


@pytest.fixture
async def wire() -> AsyncIterator[Wire]:
    server = ConnectWiseServer(generate_desk(tickets=80, seed=2, now=FIXED_NOW))
    transport = httpx.ASGITransport(app=asgi_app(server.handle))
    async with httpx.AsyncClient(transport=transport, base_url="http://connectwise.sim") as client:
        yield Wire(client, server)
