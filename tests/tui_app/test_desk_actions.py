"""The desk's own actions, create, time entries, attachments, delete and search, from the
keyboard, on real Kayako adapters and their simulators."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import httpx
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from tui.screens.forms.action import ActionFormScreen
from tui.screens.forms.confirm_delete import ConfirmDeleteScreen
from tui.screens.forms.picklist import PickList
from tui.screens.search import SearchResultsScreen, SearchScreen


async def type_into(pilot: Any, widget: Any, text: str) -> None:
    widget.focus()
    await pilot.press(*text)


async def test_A_lists_the_desks_actions_and_runs_one(harness: Any) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        before = len(desk.timetracks.own(desk.tickets[int(ticket.key.native_id)]))
        await pilot.press("A")
        palette = await harness.wait_screen(pilot, app, CommandPalette)
        await pilot.pause(0.2)
        shown = harness.screen_text(app)
        assert "Log time (acme)" in shown
        assert "Save an attachment (acme)" in shown
        await pilot.press(*"log time")
        await pilot.pause(0.2)
        await pilot.press("enter")
        form = await harness.wait_screen(pilot, app, ActionFormScreen)
        assert palette is not form
        form.query_one("#f-act-worked", Input).value = "1h30m"
        form.query_one("#f-act-note", TextArea).text = "Replaced the toner"
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: any("logged 1h30m" in n for n in harness.notifications(app)),
            "the result",
        )
        tracks = desk.timetracks.own(desk.tickets[int(ticket.key.native_id)])
        assert len(tracks) == before + 1
        assert tracks[-1].timespent == 5400 and tracks[-1].text == "Replaced the toner"


async def test_log_time_on_marked_tickets_runs_in_bulk_with_results(harness: Any) -> None:
    desk = harness.add_desk("acme", harness.make_desk(tickets=6))
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("space", "space", "space")
        marked = sorted(screen.ticket_list.marked_keys)
        assert len(marked) == 3
        form = await harness.open_form(pilot, app, "t", ActionFormScreen)
        form.query_one("#f-act-worked", Input).value = "45m"
        form.query_one("#f-act-note", TextArea).text = "Checked in"
        await pilot.press("ctrl+s")
        progress = await harness.run_bulk(pilot, app)
        assert [r.ok for r in progress.runner.results] == [True, True, True]
        assert all(r.message.startswith("logged 45m") for r in progress.runner.results)
        for key in marked:
            tracks = desk.timetracks.own(desk.tickets[int(key.native_id)])
            assert tracks[-1].timespent == 2700


async def test_time_entries_show_in_the_detail_pane(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        form = await harness.open_form(pilot, app, "t", ActionFormScreen)
        form.query_one("#f-act-worked", Input).value = "2h"
        form.query_one("#f-act-note", TextArea).text = "Long call about invoices"
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot, lambda: "Long call about invoices" in screen.detail.text_of("time"), "entry"
        )
        assert "2h" in screen.detail.text_of("time")


async def test_create_goes_through_the_outbox_and_a_failure_keeps_the_draft(
    harness: Any,
) -> None:
    transport = harness.add_faulty_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        await harness.synced(pilot, app)
        transport.fault = lambda request: (
            httpx.Response(500, text="database gone")
            if harness.route_is(request, "POST", r"/Tickets/Ticket$")
            else None
        )
        form = await harness.open_form(pilot, app, "N", ActionFormScreen)
        form.query_one("#f-act-subject", Input).value = "Printer on fire"
        form.query_one("#f-act-body", TextArea).text = "Smoke from tray 2"
        form.query_one("#f-act-requester_name", Input).value = "Ann Example"
        form.query_one("#f-act-requester_email", Input).value = "ann@example.com"
        group = form.query_one("#f-act-group_id")
        if isinstance(group, PickList):
            group.pick(group.items[0])
        else:
            group.value = group._options[1][1]  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await harness.wait_for(pilot, lambda: app.store.outbox.new_tickets(), "a kept draft")
        await harness.wait_for(
            pilot, lambda: app.store.outbox.new_tickets()[0].last_error, "the failure"
        )
        (draft,) = app.store.outbox.new_tickets()
        assert draft.new_ticket is not None and draft.new_ticket.subject == "Printer on fire"
        assert "database gone" in draft.last_error or "500" in draft.last_error
        # Nothing typed is lost: the form comes back filled; this time the desk takes it.
        transport.fault = lambda request: None
        form = await harness.open_form(pilot, app, "N", ActionFormScreen)
        assert form.query_one("#f-act-subject", Input).value == "Printer on fire"
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot, lambda: not app.store.outbox.new_tickets(), "the draft confirmed"
        )
        created = [t for t in app.store.all_tickets() if t.subject == "Printer on fire"]
        assert len(created) == 1
        assert harness.main(app).ticket_list.cursor_key == created[0].key


async def test_attachments_save_a_hostile_name_safely_and_upload(
    harness: Any, tmp_path: Path
) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        screen.actions.downloads = tmp_path / "downloads"
        screen.actions.downloads.mkdir()
        key = screen.ticket_list.cursor_key
        ticket = desk.tickets[int(key.native_id)]
        desk.materialise(ticket)
        post = desk.posts.own(ticket)[0]
        hostile = desk.add_attachment(
            ticket,
            post,
            filename="../../.bash\u202erc",
            filetype="text/plain",
            data=b"#!/bin/sh\necho pwned\n",
        )
        form = await harness.open_form(pilot, app, "w", ActionFormScreen)
        form.query_one("#f-act-attachment", Input).value = str(hostile.id)
        await pilot.press("ctrl+s")
        saved = screen.actions.downloads / "bashrc"
        await harness.wait_for(pilot, saved.exists, "the attachment saved")
        assert saved.read_bytes() == b"#!/bin/sh\necho pwned\n"
        assert stat.S_IMODE(saved.stat().st_mode) & 0o111 == 0
        assert list(screen.actions.downloads.iterdir()) == [saved]
        assert [name for name in os.listdir(tmp_path) if "bash" in name] == []
        upload = tmp_path / "screenshot.png"
        upload.write_bytes(b"\x89PNG fake")
        form = await harness.open_form(pilot, app, "U", ActionFormScreen)
        form.query_one("#f-act-path", Input).value = str(upload)
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: any(a.filename == "screenshot.png" for a in desk.attachments.own(ticket)),
            "the upload",
        )


async def test_delete_needs_the_id_typed(harness: Any) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        form = await harness.open_form(pilot, app, "D", ConfirmDeleteScreen)
        confirm = form.query_one("#f-confirm", Input)
        await type_into(pilot, confirm, "wrong")
        await pilot.press("enter")
        assert app.screen is form and int(ticket.key.native_id) in desk.tickets
        confirm.value = ticket.display_id
        await pilot.press("enter")
        await harness.wait_for(
            pilot, lambda: app.store.get(ticket.key) is None, "the ticket gone from the list"
        )
        assert int(ticket.key.native_id) not in desk.tickets
        assert screen.ticket_list.get_ticket(ticket.key) is None


async def test_search_the_desks_in_a_view_of_its_own(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        target = screen.ticket_list.tickets[-1]
        word = max(target.subject.split(), key=len)
        form = await harness.open_form(pilot, app, "F", SearchScreen)
        await type_into(pilot, form.query_one("#f-query", Input), word)
        await pilot.press("enter")
        results = await harness.wait_screen(pilot, app, SearchResultsScreen)
        header = harness.screen_text(app).splitlines()[0]
        assert f"Search: {word}" in header and "acme:" in header
        listed = results.query_one("#search-results").tickets
        assert target.key in {t.key for t in listed}
        await pilot.press("escape")
        await harness.wait_for(pilot, lambda: app.screen is screen, "back to the queue")


async def test_delete_a_time_entry_and_ticketless_actions_from_the_palette(
    harness: Any,
) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = desk.tickets[int(screen.ticket_list.cursor_key.native_id)]
        form = await harness.open_form(pilot, app, "t", ActionFormScreen)
        form.query_one("#f-act-worked", Input).value = "5m"
        form.query_one("#f-act-note", TextArea).text = "Quick look"
        await pilot.press("ctrl+s")
        await harness.wait_for(pilot, lambda: desk.timetracks.own(ticket), "an entry")
        entry = desk.timetracks.own(ticket)[-1]
        screen.actions.desk_action("delete-time-entry")
        form = await harness.wait_screen(pilot, app, ActionFormScreen)
        await pilot.pause()
        notices = [str(label.visual) for label in form.query(".notice").results()]
        assert "Destructive: this cannot be undone." in notices
        form.query_one("#f-act-entry", Input).value = str(entry.id)
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: all(t.id != entry.id for t in desk.timetracks.own(ticket)),
            "the entry deleted",
        )
        for action, expected in (("users", "users"), ("lookups", "Statuses:")):
            screen.actions.desk_action(action)
            await harness.wait_screen(pilot, app, ActionFormScreen)
            await pilot.press("ctrl+s")
            await harness.wait_for(
                pilot,
                lambda expected=expected: any(expected in n for n in harness.notifications(app)),
                f"the {action} listing",
            )
