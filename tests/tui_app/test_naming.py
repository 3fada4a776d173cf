"""One name per ticket: the list, the detail pane, the forms and the notifications all say
``connection:display-id``; the native id stays the internal key. Also the detail pane's
multi-line custom-field values, which keep their lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.model import CustomField, FieldType, Ticket, TicketDetail, TicketKey
from tui.listing import cell_text, key_name, ticket_name
from tui.outbox import Outbox
from tui.screens.forms.custom_fields import CustomFieldsScreen
from tui.store import Store


def test_a_ticket_is_named_by_its_display_id_and_a_key_without_ticket_by_itself(
    harness: Any,
) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=2))
    store = Store(harness.adapters(), outbox=Outbox(harness.outbox_path))
    now = harness.now
    ticket = Ticket(
        key=TicketKey("acme", "398"),
        display_id="VAN-845-20794",
        subject="Printer on fire",
        created=now,
        updated=now,
    )
    assert ticket_name(ticket) == "acme:VAN-845-20794"
    # The key column's full text is the same name (the list may shorten its desk part).
    assert cell_text("key", ticket, now) == ticket_name(ticket)
    assert store.name_of(ticket.key) == "acme:398"  # not in the store yet: the key
    store.upsert([ticket])
    assert store.name_of(ticket.key) == "acme:VAN-845-20794"
    assert key_name(TicketKey("acme", "1"), None) == "acme:1"
    # A display id with escape sequences is shown clean.
    hostile = ticket.model_copy(update={"display_id": "VAN\x1b]0;pwned\x07-1"})
    assert ticket_name(hostile) == "acme:VAN-1"


async def test_detail_header_names_the_ticket_and_keeps_multi_line_field_values(
    harness: Any,
) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=2))
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        template = screen.ticket_list.tickets[0]
        ticket = Ticket(
            key=TicketKey("acme", "398"),
            display_id="VAN-845-20794",
            subject="Cannot sign in",
            created=template.created,
            updated=template.updated + timedelta(days=1),
        )
        steps = CustomField(
            key="steps",
            label="Steps to reproduce",
            group="Bug",
            type=FieldType.TEXT,
            value="\n1. Sign in\r\n2. Open [bold]settings[/bold]\x1b[2J\n\n3. Click   Save\n\n",
        )
        product = CustomField(
            key="product", label="Product", group="Bug", type=FieldType.TEXT, value="Portal"
        )
        detail = TicketDetail(ticket=ticket, custom_fields=(steps, product))
        app.store.apply_detail(detail)
        screen.ticket_list.upsert_tickets([ticket])
        screen.ticket_list.move_cursor_to(ticket.key)
        await pilot.pause()
        assert screen.detail.detail is not None
        assert screen.detail.detail.ticket.key == ticket.key

        header = screen.detail.text_of("header")
        assert header.splitlines()[0] == "acme:VAN-845-20794"
        assert "acme:398" not in header

        fields = screen.detail.text_of("fields").splitlines()
        start = fields.index("  Steps to reproduce (text):")
        # Each line of the value on its own indented line, literally, blank edges dropped.
        assert fields[start + 1 : start + 6] == [
            "    1. Sign in",
            "    2. Open [bold]settings[/bold]",
            "",
            "    3. Click Save",
            "  Product (text): Portal",
        ]
        text = harness.screen_text(app)
        assert "1. Sign in 2. Open" not in text
        assert "    2. Open [bold]settings[/bold]" in text

        # The custom-fields form's title names the ticket the same way.
        form = await harness.open_form(pilot, app, "f", CustomFieldsScreen)
        assert form.form_title == "Custom fields of acme:VAN-845-20794  Cannot sign in"


def key_cells(text: str) -> list[str]:
    """The key column of every ticket row on an 80-column main screen (no sidebar)."""
    return [line[3:].split(" ", 1)[0] for line in text.splitlines()[2:] if line[:1] in "▶ ●"]


async def test_the_list_shows_every_display_id_whole_at_80_columns(harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=24))
    harness.add_desk("globex", harness.make_desk(tickets=10, seed=2))
    app = harness.build()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await harness.synced(pilot, app)
        ticket_list = screen.ticket_list
        shown = ticket_list.tickets[:10]
        text = harness.screen_text(app)
        assert text.splitlines()[1].split()[0] == "Key"
        cells = key_cells(text)[:10]
        assert len(cells) == 10
        for cell, ticket in zip(cells, shown, strict=True):
            # Two desks: "desk:display-id", the desk part shortened (a…), never the id.
            connection, _, display_id = cell.partition(":")
            assert display_id == ticket.display_id
            assert connection == ticket.key.connection or (
                connection.endswith("…") and ticket.key.connection.startswith(connection[:-1])
            )
        # Scoped to one desk, the header names it: the list shows the display id alone.
        screen.sidebar.focus()
        await pilot.press("down", "enter")  # All desks, acme
        await pilot.pause()
        assert ticket_list.desk == "acme"
        text = harness.screen_text(app)
        assert text.splitlines()[1].split()[0] == "ID"
        shown = ticket_list.tickets[:10]
        assert key_cells(text)[:10] == [ticket.display_id for ticket in shown]
