"""The contract suite's fixtures: every registered vendor, plus the test vendor
(``tests/contract/fakedesk``), each as an adapter over its own simulator, in process.

The test vendor is registered for the length of one test through
:func:`adapters.registry.registered`, exactly as a real vendor's record would be read;
nothing patches module globals.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from adapters import registry
from adapters.base import Adapter
from adapters.simulation import ASGIApp, Message, Receive, Scope, Send
from tests.contract.profile import ContractProfile, profile_for

TEST_VENDOR = registry.Vendor(
    name="fakedesk",
    title="Fake desk",
    adapter="tests.contract.fakedesk.adapter:FakeDeskAdapter",
    simulator="tests.contract.fakedesk.simulator",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "vendor" in metafunc.fixturenames:
        names = [*registry.vendor_names(), TEST_VENDOR.name]
        metafunc.parametrize("vendor", names, indirect=True)


@pytest.fixture
def vendor(request: pytest.FixtureRequest) -> Iterator[str]:
    name: str = request.param
    if name == TEST_VENDOR.name:
        with registry.registered(TEST_VENDOR):
            yield name
    else:
        yield name


class Faults:
    """An ASGI app in front of a simulator that can answer every request with a fault.

    ``mode``: ``None`` passes through; ``"rate_limited"`` answers 429 with a Retry-After
    longer than the client waits; ``"unavailable"`` 503 with ``Retry-After: 0`` (so the
    client's retries take no time); ``"malformed"`` 200 with the profile's unreadable body.
    """

    def __init__(self, app: ASGIApp, profile: ContractProfile) -> None:
        self.app = app
        self.profile = profile
        self.mode: str | None = None
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.mode is None:
            await self.app(scope, receive, send)
            return
        self.requests += 1
        while (await receive()).get("more_body"):
            pass
        status, headers, body = {
            "rate_limited": (429, [(b"retry-after", b"600")], b"slow down"),
            "unavailable": (503, [(b"retry-after", b"0")], b"down for maintenance"),
            "malformed": (
                200,
                [(b"content-type", self.profile.malformed[0].encode())],
                self.profile.malformed[1],
            ),
        }[self.mode]
        start: Message = {"type": "http.response.start", "status": status, "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": body})


@dataclass
class Desk:
    """One vendor under test: how to build adapters, its faults switch and its profile."""

    vendor: str
    profile: ContractProfile
    faults: Faults
    adapter: Adapter

    def make(self, **overrides: Any) -> Adapter:
        simulator = registry.simulator_module(self.vendor)
        block = simulator.connection_block(f"http://{self.vendor}.sim")
        values = {"name": f"{self.vendor}-contract", "rate_limit": 10_000, **block, **overrides}
        adapter_class = registry.adapter_class(self.vendor)
        settings = adapter_class.settings_class.model_validate(values)
        return adapter_class(settings, transport=httpx.ASGITransport(app=self.faults))


@pytest.fixture
async def desk(vendor: str) -> AsyncIterator[Desk]:
    profile = profile_for(vendor)
    app = registry.simulator_module(vendor).create_app(tickets=profile.tickets, seed=7)
    faults = Faults(app, profile)
    made = Desk(vendor, profile, faults, adapter=None)  # type: ignore[arg-type]
    made.adapter = made.make()
    async with made.adapter:
        yield made
