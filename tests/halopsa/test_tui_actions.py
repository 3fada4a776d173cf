"""HaloPSA's desk actions from the keyboard: ``A`` lists them beside the standard ones and
the generic form runs one (an outcome with a note) on a real adapter and its simulator."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from textual.command import CommandPalette
from textual.widgets import Select, TextArea

from adapters.halopsa import HaloAdapter
from adapters.halopsa.sim_data import generate_desk
from adapters.halopsa.sim_data.config import ST_IN_PROGRESS
from adapters.halopsa.simulator import app_for_desk, connection_block
from tui.app import TriageApp
from tui.config import AppConfig, UiSettings, connection_settings
from tui.outbox import Outbox
from tui.screens.forms.action import ActionFormScreen


async def wait_for(pilot: Any, condition: Callable[[], object], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + 15.0
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.01)


def screen_text(app: TriageApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_A_runs_an_outcome_on_the_cursor_ticket(tmp_path: Path) -> None:
    desk = generate_desk(tickets=30, seed=5)
    app_, _server = app_for_desk(desk)
    block = {**connection_block("http://halo.sim"), "rate_limit": 1000.0}
    config = AppConfig(
        path=None,
        connections=[connection_settings("halo", block, plain_secrets_ok=True)],
        ui=UiSettings(),
    )
    adapter = HaloAdapter(config.connections[0], transport=httpx.ASGITransport(app=app_))
    app = TriageApp(
        config,
        [adapter],
        outbox=Outbox(tmp_path / "outbox.json"),
        clock=lambda: datetime.fromtimestamp(desk.now, UTC),
        tz=UTC,
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            store = app.store
            await wait_for(
                pilot,
                lambda: not store.syncing and all(d.last_sync for d in store.desks.values()),
                "the desk synced",
            )
            await pilot.pause()
            screen = app.screen_stack[0]
            ticket = screen.ticket_list.cursor_ticket  # type: ignore[attr-defined]
            await pilot.press("A")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
            await pilot.pause(0.2)
            shown = screen_text(app)
            assert "Take an action (outcome) (halo)" in shown
            await pilot.press(*"take an action")
            await pilot.pause(0.2)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen), "the form")
            form = app.screen
            # The outcomes are a pick-list from the desk (a Select refuses a value it does
            # not offer).
            outcomes = store.desk("halo").lookups
            assert outcomes is not None
            triage = next(c.id for c in outcomes.lists["outcomes"] if c.label == "Triage")
            form.query_one("#f-act-outcome", Select).value = triage
            form.query_one("#f-act-note", TextArea).text = "Looked at it from the app"
            await pilot.press("ctrl+s")
            notes = app._notifications
            await wait_for(
                pilot, lambda: any(": Triage" in n.message for n in notes), "the action's result"
            )
            stored = desk.tickets[int(ticket.key.native_id)]
            assert stored.status_id == ST_IN_PROGRESS
            last = desk.ticket_actions(stored)[-1]
            assert (last.outcome, last.note) == ("Triage", "Looked at it from the app")
    finally:
        gc.unfreeze()
