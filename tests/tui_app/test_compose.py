"""Replies and notes go through the outbox: stored before sending, removed once the desk
confirms, kept with the reason when it does not, and still there after a restart."""

from __future__ import annotations

import json
from typing import Any

import httpx
from textual.widgets import Label, OptionList, TextArea

from adapters.model import Visibility
from tui.listing import ticket_name
from tui.outbox import Outbox, OutboxState
from tui.screens.drafts import DraftsScreen
from tui.screens.forms.compose import ComposeScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen


async def test_reply_is_sent_and_leaves_no_draft(harness: Any) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        ticket = harness.main(app).ticket_list.cursor_ticket
        await harness.open_form(pilot, app, "r", ComposeScreen)
        assert "PUBLIC REPLY" in harness.screen_text(app)
        await pilot.press(*"Hi")
        app.screen.query_one(TextArea).insert(", the fix is live.")
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: f"Reply: {ticket_name(ticket)} done." in harness.notifications(app),
            "sent",
        )
        posts = desk.posts.get(desk.tickets[int(ticket.key.native_id)])
        assert posts[-1].contents == "Hi, the fix is live."
        assert not posts[-1].isprivate
        assert len(app.store.outbox) == 0
        assert json.loads(harness.outbox_path.read_text())["entries"] == []


async def test_failed_note_keeps_the_draft_across_a_restart(harness: Any) -> None:
    desk = harness.make_desk()
    transport = harness.add_faulty_desk("acme", desk)

    def refuse_notes(request: httpx.Request) -> httpx.Response | None:
        if harness.route_is(request, "POST", r"/Tickets/TicketNote$"):
            return httpx.Response(503, text="the note service is down")
        return None

    transport.fault = refuse_notes
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.tickets[3]
        screen.ticket_list.move_cursor_to(ticket.key)
        await harness.open_form(pilot, app, "n", ComposeScreen)
        assert "PRIVATE NOTE" in harness.screen_text(app)
        app.screen.query_one(TextArea).insert("Customer called: wants a callback at 3pm.")
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot, lambda: any(n.startswith("acme:") for n in harness.notifications(app)), "fail"
        )
        # The agent sees why, and the draft is kept, in memory and on disk.
        assert "503" in harness.notifications(app)[-1]
        entries = app.store.outbox.pending()
        assert len(entries) == 1
        assert entries[0].state is OutboxState.FAILED
        assert entries[0].visibility is Visibility.PRIVATE
        assert "503" in entries[0].last_error
        assert "✎ 1 draft, 1 failed" in harness.screen_text(app)
        assert "Unsent drafts (1)" in harness.screen_text(app)
        notes = desk.notes.get(desk.tickets[int(ticket.key.native_id)])
        assert all("callback at 3pm" not in note.text for note in notes)
        # The drafts list names the ticket as the list does, with the reason.
        await pilot.press("d")
        drafts = await harness.wait_screen(pilot, app, DraftsScreen)
        line = str(drafts.query_one(OptionList).get_option_at_index(0).prompt)
        assert line.startswith(f"acme · {ticket_name(ticket)} · note · ")
        assert "failed: " in line and "503" in line
        await pilot.press("escape")

    # A restart: a new app on the same outbox file, and the desk works again.
    assert Outbox(harness.outbox_path).pending()[0].text == entries[0].text
    transport.fault = lambda request: None
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        assert "✎ 1 draft, 1 failed" in harness.screen_text(app)
        screen.ticket_list.move_cursor_to(ticket.key)
        await pilot.pause()
        assert "Unsent drafts (1)" in harness.screen_text(app)
        await harness.open_form(pilot, app, "n", ComposeScreen)
        # Composing on that ticket again offers the draft.
        area = app.screen.query_one(TextArea)
        assert area.text == "Customer called: wants a callback at 3pm."
        # Said in the form, where no notification can cover the form's own messages.
        restored = str(app.screen.query_one("#f-restored", Label).content)
        assert restored.startswith("Restored your unsent draft (")
        assert not any(n.startswith("Restored") for n in harness.notifications(app))
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: f"Note: {ticket_name(ticket)} done." in harness.notifications(app),
            "sent",
        )
        notes = desk.notes.get(desk.tickets[int(ticket.key.native_id)])
        assert notes[-1].text == "Customer called: wants a callback at 3pm."
        assert len(app.store.outbox) == 0
        assert "draft" not in harness.screen_text(app)


async def test_one_reply_to_several_tickets_across_desks(harness: Any) -> None:
    acme = harness.add_desk("acme", harness.make_desk(tickets=4))
    globex = harness.add_desk("globex", harness.make_desk(tickets=4, seed=2))
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await harness.synced(pilot, app)
        await harness.open_form(pilot, app, "asterisk r", ComposeScreen)
        app.screen.query_one(TextArea).insert("We are aware of the outage.")
        await pilot.press("ctrl+s")
        await harness.wait_screen(pilot, app, ConfirmBulkScreen)
        # Every draft is in the outbox before the first one is sent.
        assert len(app.store.outbox) == 8
        progress = await harness.run_bulk(pilot, app)
        assert progress.runner.succeeded == 8
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.store.outbox) == 0
        for desk in (acme, globex):
            for ticket in desk.tickets.values():
                assert desk.posts.get(ticket)[-1].contents == "We are aware of the outage."
