"""Nothing typed is lost: compose text reaches the outbox as it is typed (within the save
delay), at once on a hang-up or SIGTERM, and comes back in the editor after a restart;
throwing it away removes it, and a restored draft keeps its earlier text when cancelled."""

from __future__ import annotations

import json
import signal
import time
from typing import Any

from textual.widgets import TextArea

from adapters.model import Visibility
from tui.outbox import Outbox, OutboxState
from tui.screens.forms.compose import DRAFT_SAVE_DELAY, ComposeScreen


def on_disk(harness: Any) -> list[dict[str, Any]]:
    if not harness.outbox_path.exists():
        return []
    entries: list[dict[str, Any]] = json.loads(harness.outbox_path.read_text())["entries"]
    return entries


async def test_typed_text_reaches_the_outbox_within_the_save_delay(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        await harness.open_form(pilot, app, "r", ComposeScreen)
        await pilot.press(*"Half a sentence")
        typed = time.monotonic()
        # Saved while typing goes on (at most one delay apart), the whole text at the end.
        await harness.wait_for(
            pilot,
            lambda: [e["text"] for e in on_disk(harness)] == ["Half a sentence"],
            "the draft saved",
        )
        assert time.monotonic() - typed < DRAFT_SAVE_DELAY + 1.0
        [entry] = on_disk(harness)
        assert (entry["key"], entry["state"], entry["text"]) == (
            str(ticket.key),
            "draft",
            "Half a sentence",
        )
        # More typing rewrites the same entry, not a new one.
        await pilot.press(*" and more")
        await harness.wait_for(
            pilot, lambda: on_disk(harness)[0]["text"].endswith("and more"), "resaved"
        )
        assert len(on_disk(harness)) == 1
        # Sending uses that entry and, confirmed, removes it.
        await pilot.press("ctrl+s")
        await harness.wait_for(pilot, lambda: len(app.store.outbox) == 0, "sent")
        assert on_disk(harness) == []


async def test_a_hang_up_saves_the_text_typed_a_moment_ago(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        await harness.open_form(pilot, app, "n", ComposeScreen)
        app.screen.query_one(TextArea).insert("Called the customer, no answer")
        # Before the save delay has passed: only the hang-up can have saved it.
        app.stop_on_signal(signal.SIGHUP)
        [entry] = on_disk(harness)
        assert entry["text"] == "Called the customer, no answer"
        assert entry["visibility"] == "private" and entry["key"] == str(ticket.key)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGHUP

    # The next start finds it, and a note on that ticket opens with it.
    [kept] = Outbox(harness.outbox_path).pending()
    assert kept.state is OutboxState.DRAFT
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        assert "✎ 1 draft" in harness.screen_text(app)
        screen.ticket_list.move_cursor_to(ticket.key)
        await harness.open_form(pilot, app, "n", ComposeScreen)
        assert app.screen.query_one(TextArea).text == "Called the customer, no answer"
        restored = str(app.screen.query_one("#f-restored").render())
        assert restored.startswith("Restored your unsent draft")


async def test_sigterm_saves_every_ticket_of_a_bulk_reply(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=3))
    harness.ui["view"] = "all"  # the three tickets, whatever their status
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        await harness.open_form(pilot, app, "asterisk r", ComposeScreen)
        app.screen.query_one(TextArea).insert("We are aware of the outage.")
        app.stop_on_signal(signal.SIGTERM)
        entries = on_disk(harness)
        assert len(entries) == 3
        assert {entry["text"] for entry in entries} == {"We are aware of the outage."}
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM


async def test_throwing_the_text_away_removes_the_draft(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        await harness.open_form(pilot, app, "r", ComposeScreen)
        await pilot.press(*"Never mind")
        await harness.wait_for(pilot, lambda: on_disk(harness), "the draft saved")
        await pilot.press("escape", "escape")
        await harness.wait_for(
            pilot, lambda: not isinstance(app.screen, ComposeScreen), "the form closed"
        )
        assert len(app.store.outbox) == 0
        assert on_disk(harness) == []


async def test_cancelling_a_restored_draft_keeps_its_earlier_text(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        earlier = app.store.outbox.add(ticket.key, "The earlier text", Visibility.PUBLIC)
        app.store.outbox.mark_failed(earlier.id, "desk said no")
        await harness.open_form(pilot, app, "r", ComposeScreen)
        await pilot.press(*" and an edit")
        await harness.wait_for(
            pilot, lambda: on_disk(harness)[0]["text"].endswith("an edit"), "edit saved"
        )
        [entry] = on_disk(harness)
        assert entry["state"] == "failed" and entry["last_error"] == "desk said no"
        await pilot.press("escape", "escape")
        await harness.wait_for(
            pilot, lambda: not isinstance(app.screen, ComposeScreen), "the form closed"
        )
        [entry] = on_disk(harness)
        assert entry["id"] == earlier.id and entry["text"] == "The earlier text"
