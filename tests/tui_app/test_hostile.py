"""Hostile remote text: markup, action links, escape sequences (CSI, OSC 52 clipboard, OSC
title), bidi overrides and a 1 MB body are shown as plain text and trigger nothing.

Two paths are checked: end to end (the text is on the simulated desk, so it goes through
the adapter's cleaning), and straight into the widgets (model objects that were never
cleaned), so the UI's own defence is tested, not only the adapter's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.model import (
    AuthorKind,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketDetail,
    TicketKey,
    Visibility,
)

MARKUP = "[bold red]x"
ACTION = "[@click=app.quit]y"
CSI = "\x1b[2J\x1b[31m"
OSC_52 = "\x1b]52;c;SGVsbG8gZnJvbSB0aGUgZGVzaw==\x07"
OSC_TITLE = "\x1b]0;pwned\x07"
BIDI = "\u202egnp.exe\u202c"
HOSTILE_SUBJECT = f"{MARKUP} {ACTION} {CSI}{OSC_52}{OSC_TITLE}{BIDI} end"
HOSTILE_BODY = f"Hello {MARKUP}\n{ACTION}\n{CSI}clear{OSC_52}{OSC_TITLE}\n{BIDI}\n[/bold]"
MEGABYTE = 1_000_000


def assert_inert(written: str) -> None:
    """Nothing that reaches the terminal from remote text can act as a sequence."""
    assert "\x1b]52" not in written  # clipboard write
    assert "\x1b]0;" not in written and "\x1b]2;" not in written  # window title
    assert "\x1b[2J" not in written  # clear screen
    assert "\u202e" not in written and "\u202c" not in written  # bidi override


def terminal_output(app: Any) -> str:
    """What the driver would write for a full repaint of the current screen."""
    update = app.screen._compositor.render_update(full=True)
    return str(update.render_segments(app.console))


async def test_hostile_ticket_from_the_desk_is_inert(harness: Any) -> None:
    desk = harness.make_desk(tickets=6)
    hostile = desk.tickets[6]
    hostile.subject = HOSTILE_SUBJECT
    posts = desk.posts.own(hostile)
    posts[0].contents = HOSTILE_BODY
    big = desk.tickets[5]
    big.subject = "Log attached inline"
    desk.posts.own(big)[0].contents = ("0123456789abcdef" * 64 + "\n") * (MEGABYTE // 1025)
    harness.add_desk("acme", desk)
    harness.ui["view"] = "all"  # every ticket: resolved and closed ones too
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        written: list[str] = []
        driver_write = app._driver.write

        def recording_write(data: str) -> None:
            written.append(data)
            driver_write(data)

        app._driver.write = recording_write
        screen = await harness.synced(pilot, app)
        key = TicketKey("acme", "6")
        screen.ticket_list.move_cursor_to(key)
        await harness.detail_loaded(pilot, app)
        text = harness.screen_text(app)
        # Verbatim after cleaning: the markup and action text are there as characters.
        assert f"{MARKUP} {ACTION}" in text
        conversation = screen.detail.text_of("conversation")
        assert f"Hello {MARKUP}" in conversation and ACTION in conversation
        assert "[/bold]" in conversation
        assert_inert(terminal_output(app))
        # Clicking the action text in the list and in the detail pane does nothing.
        clicks = 0
        for widget in (screen.ticket_list, screen.detail):
            region = widget.region
            for row in range(region.y, region.y + min(region.height, 12)):
                line = text.splitlines()[row]
                column = line.find("[@click")
                if column >= 0:
                    await pilot.click(offset=(column + 2, row))
                    clicks += 1
        await pilot.pause()
        assert clicks >= 2
        assert app.is_running
        assert app.return_code is None
        assert app.title == "triage"
        assert app.clipboard == ""
        # The raw view shows the payload, cleaned.
        await pilot.press("x")
        await pilot.pause()
        raw = screen.detail.text_of("raw")
        assert "Raw vendor payload" in raw and ACTION in raw
        assert_inert(raw)
        assert_inert(terminal_output(app))
        await pilot.press("x")

        # A 1 MB body shows its beginning and says how much was left out.
        screen.ticket_list.move_cursor_to(TicketKey("acme", "5"))
        await harness.detail_loaded(pilot, app)
        conversation = screen.detail.text_of("conversation")
        assert "more characters" in conversation
        assert len(conversation) < 50_000
        assert "0123456789abcdef" in harness.screen_text(app)
        await pilot.press("j", "k")  # still responsive
        assert app.is_running
        assert_inert("".join(written))


async def test_uncleaned_model_text_is_cleaned_by_the_widgets(harness: Any) -> None:
    """Model objects built without the adapter's cleaning: the UI still shows them inert."""
    harness.add_desk("acme", harness.make_desk(tickets=2))
    app = harness.build()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await harness.synced(pilot, app)
        template = screen.ticket_list.tickets[0]
        ticket = Ticket(
            key=TicketKey("acme", "999"),
            display_id="EVIL-1",
            subject=HOSTILE_SUBJECT,
            requester=Person(name=f"{ACTION}{OSC_TITLE}", email="x@example.com"),
            created=template.created,
            updated=template.updated + timedelta(days=1),
            raw={"subject": HOSTILE_SUBJECT, "nested": [OSC_52, {"b": BIDI}]},
        )
        post = Post(
            id="1",
            author=Person(name=f"{MARKUP}{CSI}"),
            author_kind=AuthorKind.CUSTOMER,
            created=template.created,
            body=HOSTILE_BODY + "A" * MEGABYTE,
            visibility=Visibility.PRIVATE,
            kind=PostKind.REPLY,
        )
        detail = TicketDetail(ticket=ticket, posts=(post,), raw=ticket.raw or {})
        app.store.apply_detail(detail)
        screen.ticket_list.upsert_tickets([ticket])
        screen.ticket_list.move_cursor_to(ticket.key)
        await pilot.pause()
        assert screen.detail.detail is not None
        assert screen.detail.detail.ticket.key == ticket.key
        text = harness.screen_text(app)
        assert f"{MARKUP} {ACTION}" in text
        assert "▣ PRIVATE reply" in text
        conversation = screen.detail.text_of("conversation")
        assert "more characters" in conversation
        assert len(conversation) < 50_000
        assert_inert(conversation)
        assert_inert(terminal_output(app))
        await pilot.press("x")
        await pilot.pause()
        assert_inert(screen.detail.text_of("raw"))
        assert_inert(terminal_output(app))
        assert app.is_running and app.title == "triage" and app.clipboard == ""
