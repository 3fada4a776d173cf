"""Fixtures for the main app: real Kayako adapters on in-process simulators, a fixed clock.

Every desk is a seeded :class:`~adapters.kayako.sim_data.KayakoDesk` whose history ends at
:data:`NOW` and whose own clock is pinned there too, so what the app shows (ages, local
times, the outcome of writes) is the same on every run: the snapshots depend on it. Tests
hold the desk objects to arrange things on the "server" (a ticket deleted before a bulk
run, a subject changed before a refresh).

Test modules cannot import this file (``--import-mode=importlib``), so everything they need
hangs off the ``harness`` fixture: desks and failing transports are added with its
methods, ``build()`` returns a :class:`~tui.app.TriageApp` on them (outbox in the test's
temporary directory, ``tz`` UTC), and ``wait_for`` polls a condition between pilot pauses,
since workers stream pages in the background; ``synced``, ``open_form`` and ``run_bulk``
wait for the steps every flow test goes through.
"""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from adapters.kayako import KayakoAdapter
from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator import app_for_desk, connection_block
from tui.app import TriageApp
from tui.cache import Cache
from tui.config import AppConfig, UiSettings, connection_settings
from tui.outbox import Outbox
from tui.screens.forms.bulk_progress import BulkProgressScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen
from tui.screens.main import MainScreen

ScreenT = TypeVar("ScreenT", bound=Screen[Any])

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
NOW_EPOCH = int(NOW.timestamp())


def fixed_clock() -> datetime:
    return NOW


def make_desk(tickets: int = 24, seed: int = 1) -> KayakoDesk:
    desk = generate_desk(tickets=tickets, seed=seed, now=NOW_EPOCH)
    desk.clock = lambda: NOW_EPOCH
    return desk


class RaisingTransport(httpx.AsyncBaseTransport):
    """A desk that cannot be reached: every request fails to connect."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)


class RateLimitedTransport(httpx.AsyncBaseTransport):
    """A desk that answers every request with 429 and a Retry-After too long to wait."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "120"}, text="slow down")


class GateTransport(httpx.AsyncBaseTransport):
    """Holds every request until ``gate`` is set: a desk caught mid-sync."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.gate.wait()
        return await self.inner.handle_async_request(request)


class FaultTransport(httpx.AsyncBaseTransport):
    """The simulator, except for the requests ``fault`` answers (it returns a response to
    send instead, or None to pass the request on). ``requests`` records every URL path
    and method, for assertions on what reached the desk."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.fault: Callable[[httpx.Request], httpx.Response | None] = lambda request: None
        self.requests: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, str(request.url)))
        answer = self.fault(request)
        if answer is not None:
            return answer
        return await self.inner.handle_async_request(request)


def route_is(request: httpx.Request, method: str, pattern: str) -> bool:
    """Whether a Kayako request is ``method`` on a route matching ``pattern`` (a regex
    over the route, e.g. ``/Tickets/Ticket/24$``), in either URL form."""
    if request.method != method:
        return False
    url = str(request.url)
    route = url.split("?", 1)[1] if "?" in url else url
    route = route.removeprefix("e=").split("&", 1)[0]
    return re.search(pattern, route) is not None


@dataclass
class Harness:
    """Desks (by connection name), their transports, and how the app is built on them."""

    tmp_path: Path
    desks: dict[str, KayakoDesk] = field(default_factory=dict)
    transports: dict[str, httpx.AsyncBaseTransport] = field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    adapter_classes: dict[str, type[KayakoAdapter]] = field(default_factory=dict)
    ui: dict[str, Any] = field(default_factory=dict)

    now = NOW
    now_epoch = NOW_EPOCH
    make_desk = staticmethod(make_desk)
    route_is = staticmethod(route_is)

    # -------------------------------------------------------------- desks

    def add_desk(
        self,
        name: str,
        desk: KayakoDesk | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        adapter_class: type[KayakoAdapter] = KayakoAdapter,
        **settings: Any,
    ) -> KayakoDesk:
        """A seeded desk (or ``desk``) served in-process; ``settings`` override the
        connection's (a wrong ``secret_key``, a ``refresh_interval``…)."""
        desk = desk if desk is not None else make_desk()
        self.desks[name] = desk
        self.adapter_classes[name] = adapter_class
        self.transports[name] = transport or httpx.ASGITransport(app=app_for_desk(desk))
        # The simulator answers at once; the default 5 requests/s would only slow tests.
        self.overrides[name] = {"rate_limit": 1000.0, **settings}
        return desk

    def add_faulty_desk(self, name: str, desk: KayakoDesk | None = None) -> FaultTransport:
        desk = desk if desk is not None else make_desk()
        transport = FaultTransport(httpx.ASGITransport(app=app_for_desk(desk)))
        self.add_desk(name, desk, transport=transport)
        return transport

    def add_gated_desk(self, name: str) -> GateTransport:
        desk = make_desk()
        transport = GateTransport(httpx.ASGITransport(app=app_for_desk(desk)))
        self.add_desk(name, desk, transport=transport)
        return transport

    def add_unreachable_desk(self, name: str, **settings: Any) -> None:
        self.add_desk(name, transport=RaisingTransport(), **settings)

    def add_rate_limited_desk(self, name: str, **settings: Any) -> None:
        self.add_desk(name, transport=RateLimitedTransport(), **settings)

    # -------------------------------------------------------------- the app

    def config(self) -> AppConfig:
        connections = []
        for name in self.desks:
            block = {**connection_block(f"http://{name}.sim"), **self.overrides[name]}
            connections.append(connection_settings(name, block, plain_secrets_ok=True))
        return AppConfig(path=None, connections=connections, ui=UiSettings(**self.ui))

    @property
    def outbox_path(self) -> Path:
        return self.tmp_path / "data" / "outbox.json"

    def adapters(self, config: AppConfig | None = None) -> list[KayakoAdapter]:
        adapters = []
        for settings in (config or self.config()).connections:
            adapter_class = self.adapter_classes[settings.name]
            adapter = adapter_class(settings, transport=self.transports[settings.name])
            # Failing desks answer at once: no backoff between retries in tests.
            adapter.http.max_retries = 0
            adapters.append(adapter)
        return adapters

    def build(self, *, auto_sync: bool = True, cache: Cache | None = None) -> TriageApp:
        """The app on the desks; ``cache`` is the local cache it starts from (none by
        default, so that every test lists its desks afresh)."""
        config = self.config()
        return TriageApp(
            config,
            self.adapters(config),
            outbox=Outbox(self.outbox_path),
            clock=fixed_clock,
            tz=UTC,
            auto_sync=auto_sync,
            cache=cache,
        )

    # -------------------------------------------------------------- waiting

    @staticmethod
    async def wait_for(
        pilot: Pilot[Any], condition: Callable[[], object], what: str, *, limit: float = 15.0
    ) -> None:
        """Let the app run until ``condition()`` holds; fails naming ``what`` if it never
        does within ``limit`` seconds (a hang, not a speed check)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while not condition():
            if loop.time() > deadline:
                raise AssertionError(f"never happened: {what}")
            await pilot.pause(0.01)

    async def synced(self, pilot: Pilot[Any], app: TriageApp) -> MainScreen:
        """Wait until every desk has finished its listing (or failed it); the main screen."""
        store = app.store
        await self.wait_for(
            pilot,
            lambda: (
                not store.syncing
                and all(d.last_sync is not None or not d.healthy for d in store.desks.values())
            ),
            "every desk synced",
        )
        await pilot.pause()
        return self.main(app)

    async def wait_screen(
        self, pilot: Pilot[Any], app: TriageApp, screen_type: type[ScreenT]
    ) -> ScreenT:
        """Wait until the top screen is a ``screen_type``; that screen."""
        await self.wait_for(
            pilot, lambda: isinstance(app.screen, screen_type), f"a {screen_type.__name__}"
        )
        screen = app.screen
        assert isinstance(screen, screen_type)
        return screen

    async def open_form(
        self, pilot: Pilot[Any], app: TriageApp, keys: str, form: type[ScreenT]
    ) -> ScreenT:
        """Press ``keys`` (space-separated) and wait for ``form`` to open; the form."""
        await pilot.press(*keys.split())
        return await self.wait_screen(pilot, app, form)

    async def run_bulk(self, pilot: Pilot[Any], app: TriageApp) -> BulkProgressScreen:
        """Confirm the bulk run on the confirmation screen and wait until it has run; its
        progress screen (still open, with the results)."""
        await self.wait_screen(pilot, app, ConfirmBulkScreen)
        await pilot.press("y")
        progress = await self.wait_screen(pilot, app, BulkProgressScreen)
        await self.wait_for(pilot, lambda: not progress.running, "the bulk run")
        await pilot.pause()
        return progress

    async def detail_loaded(self, pilot: Pilot[Any], app: TriageApp) -> None:
        """Wait until the detail pane shows the cursor ticket's fetched conversation."""
        screen = self.main(app)

        def loaded() -> bool:
            cursor = screen.ticket_list.cursor_ticket
            detail = screen.detail.detail
            return cursor is not None and detail is not None and detail.ticket.key == cursor.key

        await self.wait_for(pilot, loaded, "the detail of the cursor ticket")
        await pilot.pause()

    @staticmethod
    def main(app: TriageApp) -> MainScreen:
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    @staticmethod
    def screen_text(app: TriageApp) -> str:
        """What the terminal shows now, as plain text (one line per row)."""
        strips = app.screen._compositor.render_strips()
        return "\n".join("".join(segment.text for segment in strip) for strip in strips)

    @staticmethod
    def notifications(app: TriageApp) -> list[str]:
        return [notification.message for notification in app._notifications]


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    yield Harness(tmp_path)
    # A desk's first listing freezes the heap (tui.workers.settle_heap); the app of a test
    # that has ended is garbage with cycles, which the collector must be able to reach.
    gc.unfreeze()
