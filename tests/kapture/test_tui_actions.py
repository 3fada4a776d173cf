"""Kapture's desk actions from the keyboard: ``A`` offers them (and none of the optional
operations Kapture lacks), and one runs through the generic form against the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from adapters.kapture import KaptureAdapter
from adapters.kapture.sim_data import generate_desk
from adapters.kapture.simulator import app_for_desk, connection_block
from tui.app import TriageApp
from tui.config import AppConfig, UiSettings, connection_settings
from tui.outbox import Outbox
from tui.screens.forms.action import ActionFormScreen
from tui.screens.main import MainScreen


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + 15
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.01)


def screen_text(app: TriageApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_A_offers_kaptures_actions_and_schedules_a_callback(tmp_path: Path) -> None:
    sim_app, server = app_for_desk(generate_desk(tickets=40, seed=11))
    block = {**connection_block("http://kap.sim"), "rate_limit": 1000.0}
    settings = connection_settings("kap", block, plain_secrets_ok=True)
    config = AppConfig(path=None, connections=[settings], ui=UiSettings())
    adapter = KaptureAdapter(settings, transport=httpx.ASGITransport(app=sim_app))
    app = TriageApp(config, [adapter], outbox=Outbox(tmp_path / "outbox.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.store
        await wait_for(
            pilot,
            lambda: not store.syncing and all(d.last_sync for d in store.desks.values()),
            "the desk synced",
        )
        await pilot.pause()
        main = app.screen_stack[0]
        assert isinstance(main, MainScreen)
        ticket = main.ticket_list.cursor_ticket
        assert ticket is not None
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "Schedule a callback (kap)" in shown
        assert "Update ticket (Kapture) (kap)" in shown
        assert "Log time" not in shown and "Save an attachment" not in shown
        await pilot.press(*"schedule a callback")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen), "the form")
        form = app.screen
        form.query_one("#f-act-day", Input).value = "2026-12-24"
        form.query_one("#f-act-at", Input).value = "16:45"
        form.query_one("#f-act-comment", TextArea).text = "Customer asked for a call"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: any(
                "updated comment, callback 2026-12-24 16:45" in n.message
                for n in app._notifications
            ),
            "the result",
        )
    sent = [body[0] for operation, body in server.requests if operation == "update"]
    assert sent[-1]["ticket_id"] == ticket.key.native_id
    assert sent[-1]["callback_time"] == "2026-12-24 16:45:00"
    assert sent[-1]["comment"] == "Customer asked for a call"
