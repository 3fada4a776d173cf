"""Fixtures for the Kayako Classic simulator's wire-level tests.

The tests sign requests themselves (they must not depend on the adapter) and talk to the
simulator in-process through ``httpx.ASGITransport``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Mapping
from typing import Literal

import httpx
import pytest

from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator import API_KEY, SECRET_KEY, app_for_desk

# A fixed "now" so that two desks built in one test run are byte-identical.
FIXED_NOW = 1_750_000_000
BASE_URL = "http://kayako.sim"


def signature_for(salt: str, secret: str = SECRET_KEY) -> str:
    digest = hmac.new(secret.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class KayakoWire:
    """A minimal signed client: GET/DELETE sign in the query, POST/PUT in the form body."""

    def __init__(self, client: httpx.AsyncClient, url_type: Literal["query", "standard"]) -> None:
        self.client = client
        self.url_type = url_type
        self.salt = "8150302127"

    def auth(self) -> dict[str, str]:
        return {"apikey": API_KEY, "salt": self.salt, "signature": signature_for(self.salt)}

    def url(self, route: str, extra: Mapping[str, str] | None = None) -> str:
        params = dict(extra or {})
        query = str(httpx.QueryParams(params)) if params else ""
        # "standard" URLs carry the route as the first query key, "query" ones as e=...
        head = str(httpx.QueryParams({"e": route})) if self.url_type == "query" else route
        return f"/api/index.php?{head}" + (f"&{query}" if query else "")

    async def get(self, route: str) -> httpx.Response:
        return await self.client.get(self.url(route, self.auth()))

    async def delete(self, route: str) -> httpx.Response:
        return await self.client.delete(self.url(route, self.auth()))

    async def post(self, route: str, data: Mapping[str, str] | None = None) -> httpx.Response:
        return await self.client.post(self.url(route), data={**(data or {}), **self.auth()})

    async def put(self, route: str, data: Mapping[str, str] | None = None) -> httpx.Response:
        return await self.client.put(self.url(route), data={**(data or {}), **self.auth()})

    @staticmethod
    def xml(response: httpx.Response) -> ET.Element:
        """The parsed body, after the PHP notices a real server may print first."""
        text = response.text
        start = text.find("<?xml")
        assert start >= 0, f"no XML in response: {text[:200]!r}"
        return ET.fromstring(text[start:].encode("utf-8"))


@pytest.fixture
def desk() -> KayakoDesk:
    return generate_desk(tickets=400, seed=1, now=FIXED_NOW)


@pytest.fixture
async def client(desk: KayakoDesk) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_for_desk(desk))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


@pytest.fixture
def kayako(client: httpx.AsyncClient) -> KayakoWire:
    return KayakoWire(client, "query")


@pytest.fixture
async def kayako_debug(desk: KayakoDesk) -> AsyncIterator[KayakoWire]:
    """The same desk on an install in debug mode: PHP notices are printed."""
    transport = httpx.ASGITransport(app=app_for_desk(desk, php_notices=True))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield KayakoWire(http, "query")


@pytest.fixture
def kayako_standard(client: httpx.AsyncClient) -> KayakoWire:
    return KayakoWire(client, "standard")
