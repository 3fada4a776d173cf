"""Every action from the keyboard, on real Kayako adapters and their simulators: bulk close
with failures and "retry failed", update (one desk and across desks), assign, merge (the
emulation labelled), custom fields, and refusals of what a desk cannot do."""

from __future__ import annotations

from typing import Any

import httpx
from textual.widgets import Input, Select

from adapters.base import Capability
from adapters.kayako import KayakoAdapter
from adapters.model import FieldType
from tui.listing import ticket_name
from tui.screens.forms.assign import AssignScreen
from tui.screens.forms.close import CloseScreen
from tui.screens.forms.confirm_bulk import ConfirmBulkScreen
from tui.screens.forms.custom_fields import CustomFieldsScreen
from tui.screens.forms.merge import MergeScreen
from tui.screens.forms.picklist import PickList
from tui.screens.forms.update import UpdateScreen


def resolved(desk: Any, native_id: str) -> bool:
    ticket = desk.tickets[int(native_id)]
    return bool(desk.statuses[ticket.statusid].markasresolved)


async def test_bulk_close_across_desks_with_failures_then_retry_failed(harness: Any) -> None:
    acme_desk = harness.make_desk(tickets=8)
    acme = harness.add_faulty_desk("acme", acme_desk)
    globex_desk = harness.add_desk("globex", harness.make_desk(tickets=8, seed=2))
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("asterisk")
        marked = sorted(screen.ticket_list.marked_keys)
        assert len(marked) == 16
        acme_keys = [key for key in marked if key.connection == "acme"]
        globex_keys = [key for key in marked if key.connection == "globex"]
        # Two acme tickets fail once (the desk answers 503), then work on the retry;
        # two globex tickets were deleted on the desk meanwhile, so they fail for good.
        flaky = {key.native_id for key in acme_keys[:2]}
        failed_once: set[str] = set()

        def fault(request: httpx.Request) -> httpx.Response | None:
            for native_id in flaky - failed_once:
                if harness.route_is(request, "PUT", rf"/Tickets/Ticket/{native_id}$"):
                    failed_once.add(native_id)
                    return httpx.Response(503, text="maintenance")
            return None

        acme.fault = fault
        deleted = globex_keys[:2]
        doomed = [app.store.get(key) for key in deleted]
        for key in deleted:
            globex_desk.delete_ticket(globex_desk.tickets[int(key.native_id)])

        await harness.open_form(pilot, app, "c", CloseScreen)
        await pilot.press("ctrl+s")
        await harness.wait_screen(pilot, app, ConfirmBulkScreen)
        text = harness.screen_text(app)
        # The confirmation restates the change, per desk.
        assert "acme: Close on 8 tickets" in text and "globex: Close on 8 tickets" in text
        progress = await harness.run_bulk(pilot, app)
        assert progress.runner.succeeded == 12
        assert sorted(progress.runner.failed) == sorted([*acme_keys[:2], *deleted])
        text = harness.screen_text(app)
        assert "finished: 12 ok, 4 failed" in text
        # A failure names the ticket as the list does, with its subject, not its native id.
        assert f"✗ {ticket_name(doomed[0])}  {doomed[0].subject[:20]}" in text
        assert f"✗ {deleted[0]}" not in text
        # The list already shows the closed tickets while the progress screen is up.
        assert all(app.store.get(key).is_done for key in acme_keys[2:])

        await pilot.press("t")  # retry failed
        await harness.wait_for(pilot, lambda: not progress.running, "the retry to end")
        await pilot.pause()
        assert progress.runner.succeeded == 14
        assert sorted(progress.runner.failed) == sorted(deleted)
        await pilot.press("escape")
        await harness.wait_for(pilot, lambda: app.screen is screen, "back on the list")
        assert "Close: 14 done, 2 failed." in harness.notifications(app)
        for key in acme_keys:
            assert resolved(acme_desk, key.native_id)
            assert app.store.get(key).is_done
        for key in globex_keys[2:]:
            assert resolved(globex_desk, key.native_id)
        # The closed tickets are done: their marks go. The failures keep theirs, for a
        # follow-up action on them (unless the desk deleted them: they left the list).
        still_listed = {key for key in deleted if screen.ticket_list.get_ticket(key)}
        assert screen.ticket_list.marked_keys == frozenset(still_listed)
        assert len(marked) == 16


async def test_update_one_ticket(harness: Any) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        assert ticket is not None
        lookups = app.store.lookups("acme")
        other = next(p for p in lookups.priorities if p.id != ticket.priority.id)
        await harness.open_form(pilot, app, "u", UpdateScreen)
        app.screen.query_one("#f-priority", Select).value = other.id
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot, lambda: app.store.get(ticket.key).priority.id == other.id, "the update"
        )
        assert desk.tickets[int(ticket.key.native_id)].priorityid == int(other.id)
        assert f"Update: {ticket_name(ticket)} done." in harness.notifications(app)
        assert screen.ticket_list.get_ticket(ticket.key).priority.id == other.id


async def test_update_across_two_desks_asks_each_desk_then_one_bulk_run(harness: Any) -> None:
    acme_desk = harness.add_desk("acme", harness.make_desk(tickets=6))
    globex_desk = harness.add_desk("globex", harness.make_desk(tickets=6, seed=2))
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        tickets = screen.ticket_list.tickets
        for connection in ("acme", "globex"):
            first = next(t for t in tickets if t.key.connection == connection)
            screen.ticket_list.move_cursor_to(first.key)
            await pilot.press("space")
        targets = screen.ticket_list.target_keys()
        assert sorted(key.connection for key in targets) == ["acme", "globex"]
        wanted = {}
        await pilot.press("u")
        for step in (1, 2):
            form = await harness.wait_screen(pilot, app, UpdateScreen)
            assert f"(desk {step} of 2)" in form.form_title
            type_choice = app.store.lookups(form.connection).types[-1]
            wanted[form.connection] = type_choice.id
            form.query_one("#f-type", Select).value = type_choice.id
            await pilot.press("ctrl+s")
            await harness.wait_for(
                pilot, lambda form=form: app.screen is not form, "form dismissed"
            )
        # The confirmation restates the change per desk, by the desks' own labels.
        confirm = await harness.wait_screen(pilot, app, ConfirmBulkScreen)
        text = harness.screen_text(app)
        for connection, choice_id in wanted.items():
            label = app.store.lookups(connection).find("types", choice_id).label
            assert f"{connection}: Type → {label} on 1 ticket" in text
        assert confirm.changes == {
            c: f"Type → {app.store.lookups(c).find('types', i).label}" for c, i in wanted.items()
        }
        progress = await harness.run_bulk(pilot, app)
        assert progress.runner.succeeded == 2
        await pilot.press("escape")
        await pilot.pause()
        for key in targets:
            desk = acme_desk if key.connection == "acme" else globex_desk
            assert desk.tickets[int(key.native_id)].typeid == int(wanted[key.connection])
            assert app.store.get(key).type.id == wanted[key.connection]


async def test_assign_picks_an_agent(harness: Any) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket = screen.ticket_list.cursor_ticket
        current = ticket.assignee.id if ticket.assignee else None
        await harness.open_form(pilot, app, "a", AssignScreen)
        agents = app.screen.query_one("#f-agent", PickList)
        item = next(i for i in agents.items if i.value not in (None, "", current))
        agents.pick(item)
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: (
                (t := app.store.get(ticket.key)).assignee is not None
                and t.assignee.id == item.value
            ),
            "the assignment",
        )
        assert desk.tickets[int(ticket.key.native_id)].ownerstaffid == int(item.value)
        assert screen.ticket_list.get_ticket(ticket.key).assignee.name == item.label


async def test_merge_is_labelled_emulated_and_closes_the_source(harness: Any) -> None:
    desk = harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await harness.synced(pilot, app)
        open_tickets = [t for t in screen.ticket_list.tickets if not t.is_done]
        first, second = open_tickets[:2]
        for ticket in (first, second):
            screen.ticket_list.move_cursor_to(ticket.key)
            await pilot.press("space")
        form = await harness.open_form(pilot, app, "m", MergeScreen)
        assert "Emulated" in harness.screen_text(app)
        target = form.target
        assert target is not None
        source = first.key if target == second.key else second.key
        notes_before = len(desk.notes.get(desk.tickets[int(target.native_id)]))
        await pilot.press("ctrl+s")
        await harness.wait_for(
            pilot,
            lambda: any(
                m.startswith("Merged 1 ticket(s) into") for m in harness.notifications(app)
            ),
            "the merge",
        )
        kept = first if target == first.key else second
        assert harness.notifications(app)[-1] == (
            f"Merged 1 ticket(s) into {ticket_name(kept)} (emulated)."
        )
        assert resolved(desk, source.native_id)
        assert app.store.get(source).is_done
        notes_after = desk.notes.get(desk.tickets[int(target.native_id)])
        assert len(notes_after) > notes_before
        # The merge is done: neither ticket stays marked for the next action.
        assert screen.ticket_list.marked_keys == frozenset()


async def test_actions_a_desk_cannot_do_are_refused_with_the_reason(harness: Any) -> None:
    class NoMergeNoFields(KayakoAdapter):
        capabilities = KayakoAdapter.capabilities.model_copy(
            update={
                "merge": Capability.no("this desk's plan has merging switched off"),
                "custom_fields": Capability.no("custom fields are read-only here"),
            }
        )

    harness.add_desk("acme", adapter_class=NoMergeNoFields)
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("space", "space", "m")
        await pilot.pause()
        assert app.screen is screen
        assert (
            "acme cannot merge tickets: this desk's plan has merging switched off"
            in harness.notifications(app)
        )
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is screen
        assert (
            "acme cannot set custom fields of tickets: custom fields are read-only here"
            in harness.notifications(app)
        )


async def test_merge_needs_one_desk_and_two_tickets(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=4))
    harness.add_desk("globex", harness.make_desk(tickets=4, seed=2))
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is screen
        assert any("Mark at least two tickets" in m for m in harness.notifications(app))
        await pilot.press("asterisk", "m")
        await pilot.pause()
        assert app.screen is screen
        refusal = next(m for m in harness.notifications(app) if "Merge works within one" in m)
        assert "acme" in refusal and "globex" in refusal


async def test_custom_fields_are_edited_and_saved(harness: Any) -> None:
    harness.add_desk("acme")
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        await harness.synced(pilot, app)
        await harness.detail_loaded(pilot, app)
        screen = harness.main(app)
        ticket = screen.ticket_list.cursor_ticket
        shown_before = screen.detail.text_of("fields")
        assert "Steps to reproduce" in shown_before
        assert "Set from the triage test" not in shown_before
        form = await harness.open_form(pilot, app, "f", CustomFieldsScreen)
        ids = {f.label: (f"f-cf{i}", f) for i, f in enumerate(form.fields)}
        steps_id, steps = ids["Steps to reproduce"]
        product_id, product = ids["Product"]
        assert steps.type is FieldType.TEXT and product.type is FieldType.SELECT
        form.query_one(f"#{steps_id}", Input).value = "Set from the triage test"
        form.query_one(f"#{product_id}", Select).value = "Harbourline API"
        await pilot.press("ctrl+s")
        # The notification names the ticket as the list does (Kayako's mask, not the id).
        assert ticket.display_id != ticket.key.native_id
        await harness.wait_for(
            pilot,
            lambda: (
                f"acme:{ticket.display_id}: 2 custom field(s) saved." in harness.notifications(app)
            ),
            "the save",
        )
        assert not any(str(ticket.key) in n for n in harness.notifications(app))
        adapter = app.store.adapter("acme")
        detail = await adapter.get_ticket(ticket.key.native_id)
        saved = {f.key: f.value for f in detail.custom_fields}
        assert saved[steps.key] == "Set from the triage test"
        assert saved[product.key] == "Harbourline API"
        # The detail pane shows the saved values.
        await harness.wait_for(
            pilot,
            lambda: "Set from the triage test" in screen.detail.text_of("fields"),
            "the detail pane",
        )
        assert "Product (select): Harbourline API" in screen.detail.text_of("fields")
