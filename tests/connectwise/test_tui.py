"""ConnectWise's desk actions from the keyboard: ``A`` lists them beside the standard
ones, and a note with chosen flags goes through the generic form to the simulated site."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import TextArea

from adapters.connectwise.adapter import ConnectWiseAdapter
from adapters.connectwise.sim_data import generate_desk
from adapters.connectwise.simulator import app_for_desk, connection_block
from tui.app import TriageApp
from tui.config import AppConfig, UiSettings, connection_settings
from tui.outbox import Outbox
from tui.screens.forms.action import ActionFormScreen
from tui.screens.main import MainScreen

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _unfreeze() -> Iterator[None]:
    yield
    # The first listing freezes the heap (tui.workers.settle_heap); let the ended app go.
    gc.unfreeze()


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15.0
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.01)


def screen_text(app: TriageApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_A_offers_the_desk_actions_and_adds_a_note(tmp_path: Path) -> None:
    desk = generate_desk(tickets=20, seed=2, now=int(NOW.timestamp()))
    block = {**connection_block("http://cw.sim"), "rate_limit": 1000.0}
    settings = connection_settings("cw", block, plain_secrets_ok=True)
    adapter = ConnectWiseAdapter(
        settings,  # type: ignore[arg-type]
        transport=httpx.ASGITransport(app=app_for_desk(desk, requests_per_minute=100_000)),
    )
    app = TriageApp(
        AppConfig(path=None, connections=[settings], ui=UiSettings()),
        [adapter],
        outbox=Outbox(tmp_path / "outbox.json"),
        clock=lambda: NOW,
        tz=UTC,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.store
        await wait_for(
            pilot,
            lambda: not store.syncing and all(d.last_sync for d in store.desks.values()),
            "the listing",
        )
        await pilot.pause()
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        ticket = screen.ticket_list.cursor_ticket
        assert ticket is not None
        number = int(ticket.key.native_id)
        before = len(desk.notes(number))
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "Add a ticket note (cw)" in shown
        assert "Merge into a parent (cw)" in shown
        await pilot.press(*"add a ticket note")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen), "the form")
        form = app.screen
        form.query_one("#f-act-text", TextArea).text = "Rebooted the core switch"
        await pilot.press("ctrl+s")
        done = f"Add a ticket note: {ticket.key.connection}:{number}: note "
        await wait_for(
            pilot, lambda: any(n.message.startswith(done) for n in app._notifications), "the result"
        )
        notes = desk.notes(number)
        assert len(notes) == before + 1
        assert notes[-1]["text"] == "Rebooted the core switch"
        assert notes[-1]["detailDescriptionFlag"] is True
        assert any(n.message == f"{done}{notes[-1]['id']}" for n in app._notifications)
