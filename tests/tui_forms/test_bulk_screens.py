"""ConfirmBulkScreen and BulkProgressScreen, driven by a pilot over in-test desks."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import Button, Label, OptionList, ProgressBar

from adapters.base import Adapter
from adapters.model import ActionResult, TicketKey
from tui.bulk import BulkRunner, plan
from tui.screens.forms import BulkProgressScreen, ConfirmBulkScreen


async def close(adapter: Adapter, native_id: str) -> object:
    return await adapter.close(native_id)


def lines(screen: Any) -> list[str]:
    results = screen.query_one("#bulk-results", OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Label).visual)


def footer_keys(app: Any) -> dict[str, str]:
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show
    }


async def settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_confirm_shows_the_plan_and_runs_on_y(data: Any) -> None:
    adapters = {
        "acme": data.FakeDesk("acme", data.FULL),
        "halo": data.FakeDesk("halo", data.LIMITED),
    }
    targets = [TicketKey("acme", "1"), TicketKey("acme", "2"), TicketKey("halo", "3")]
    the_plan = plan(targets, adapters, "merge")
    app = data.HostApp(lambda: ConfirmBulkScreen(the_plan))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert text(screen, "#form-title") == "Merge tickets: 3 tickets on 2 desks?"
        rows = [str(label.visual) for label in screen.query(".plan-desk").results(Label)]
        assert rows == [
            "acme: 2 tickets: EMULATED: Kayako Classic has no merge in its API",
            "halo: 1 ticket",
        ]
        assert text(screen, "#f-plan-summary") == "3 tickets will be sent."
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [True]


async def test_confirm_names_what_is_not_sent_and_cancels(data: Any) -> None:
    adapters = {
        "acme": data.FakeDesk("acme", data.FULL),
        "halo": data.FakeDesk("halo", data.LIMITED),
    }
    targets = [TicketKey("acme", "1"), TicketKey("halo", "2"), TicketKey("halo", "3")]
    the_plan = plan(targets, adapters, "close")
    app = data.HostApp(lambda: ConfirmBulkScreen(the_plan, summary="Close"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        unsupported = screen.query_one(".plan-desk.-unsupported", Label)
        assert str(unsupported.visual) == (
            "halo: 2 tickets: NOT SENT: closing needs a solution entered on the desk"
        )
        assert text(screen, "#f-plan-summary") == (
            "1 ticket will be sent; 2 tickets will be reported as not sent."
        )
        await pilot.press("n")
        await pilot.pause()
    assert app.results == [False]


async def test_confirm_with_nothing_runnable_cannot_run(data: Any) -> None:
    adapters = {"halo": data.FakeDesk("halo", data.LIMITED)}
    the_plan = plan([TicketKey("halo", "2")], adapters, "close")
    app = data.HostApp(lambda: ConfirmBulkScreen(the_plan))
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query("#form-submit")
        await pilot.press("y", "ctrl+s")
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]


async def test_progress_shows_each_result_and_retries_the_failures(data: Any) -> None:
    acme = data.FakeDesk("acme", data.FULL, missing=["2"])
    halo = data.FakeDesk("halo", data.LIMITED)
    targets = [TicketKey("acme", "1"), TicketKey("acme", "2"), TicketKey("halo", "3")]
    seen: list[str] = []
    runner = BulkRunner(
        targets,
        {"acme": acme, "halo": halo},
        "close",
        close,
        on_progress=lambda done, total, result: seen.append(str(result.key)),
    )
    # halo:3 is not among the known tickets: its line falls back to the key.
    tickets = {
        TicketKey("acme", "1"): data.make_ticket("acme", "1", "Printer on fire"),
        TicketKey("acme", "2"): data.make_ticket("acme", "2", "VPN drops"),
    }
    app = data.HostApp(
        lambda: BulkProgressScreen(runner, title="Closing 3 tickets", tickets=tickets)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert sorted(lines(screen)) == [
            "✓ acme:T-1  Printer on fire",
            "✗ acme:T-2  VPN drops\n    acme: ticket 2 does not exist",
            "✗ halo:3\n    halo: not sent: cannot close tickets on this desk: "
            "closing needs a solution entered on the desk",
        ]
        # The caller's own progress callback still gets every result.
        assert sorted(seen) == ["acme:1", "acme:2", "halo:3"]
        bar = screen.query_one("#bulk-progress", ProgressBar)
        assert (bar.progress, bar.total) == (3, 3)
        assert text(screen, "#bulk-summary") == (
            "finished: 1 ok, 2 failed; t retries the 1 that may work"
        )
        assert footer_keys(app) == {"t": "Retry failed", "escape": "Close"}

        acme.missing.clear()
        await pilot.press("t")
        await settle(app, pilot)
        assert "✓ acme:T-2  VPN drops" in lines(screen) and len(lines(screen)) == 3
        assert (bar.progress, bar.total) == (1, 1)
        assert text(screen, "#bulk-summary") == "finished: 2 ok, 1 failed"
        # Nothing left worth retrying: t is gone from the footer and the button is off.
        assert footer_keys(app) == {"escape": "Close"}
        assert screen.query_one("#bulk-retry", Button).disabled
        await pilot.press("escape")
        await pilot.pause()
    [results] = app.results
    assert [(str(r.key), r.ok) for r in results] == [
        ("acme:1", True),
        ("acme:2", True),
        ("halo:3", False),
    ]


async def test_escape_stops_a_run_then_closes(data: Any) -> None:
    gate = asyncio.Event()

    class Gated(data.FakeDesk):  # type: ignore[misc]
        async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Any:
            await gate.wait()
            return await super().close(ticket_id, note, resolution)

    acme = Gated("acme", data.FULL.model_copy(update={"max_concurrency": 1}))
    targets = [TicketKey("acme", str(n)) for n in range(1, 4)]
    runner = BulkRunner(targets, {"acme": acme}, "close", close)
    app = data.HostApp(lambda: BulkProgressScreen(runner))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert footer_keys(app) == {"escape": "Stop"}
        assert str(screen.query_one("#bulk-close", Button).label) == "Stop (esc)"
        await pilot.press("escape")
        assert app.screen is screen and screen.stopping
        gate.set()
        await settle(app, pilot)
        assert sorted(lines(screen)) == [
            "✓ acme:1",
            "✗ acme:2\n    acme: not sent: the run was stopped",
            "✗ acme:3\n    acme: not sent: the run was stopped",
        ]
        assert acme.closed == ["1"]
        assert str(screen.query_one("#bulk-close", Button).label) == "Close (esc)"
        await pilot.press("escape")
        await pilot.pause()
    assert len(app.results) == 1


async def test_an_internal_error_is_one_line_not_a_traceback(data: Any) -> None:
    def broken(done: int, total: int, result: ActionResult) -> None:
        raise RuntimeError("callback bug")

    runner = BulkRunner(
        [TicketKey("acme", "1")],
        {"acme": data.FakeDesk("acme", data.FULL)},
        "close",
        close,
        on_progress=broken,
    )
    app = data.HostApp(lambda: BulkProgressScreen(runner))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        error = app.screen.query_one("#bulk-error", Label)
        assert error.display
        assert str(error.visual).startswith("The run stopped on an internal error:")
        assert app.is_running


async def test_results_name_tickets_by_display_id_with_a_plain_truncated_subject(
    data: Any,
) -> None:
    """The agent tells the failed ticket by the id it knows and its subject; a subject with
    markup is shown literally and a long one is cut, never the native id."""
    acme = data.FakeDesk("acme", data.FULL, missing=["8"])
    long_subject = "Cannot print from the third floor " + "and more " * 20
    known = [
        data.make_ticket("acme", "7", long_subject),
        data.make_ticket("acme", "8", "[bold red]Refund[/] [@click=app.quit]now"),
    ]
    runner = BulkRunner([t.key for t in known], {"acme": acme}, "close", close)
    app = data.HostApp(lambda: BulkProgressScreen(runner, tickets={t.key: t for t in known}))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        ok, failed = lines(app.screen)
        assert ok.startswith("✓ acme:T-7  Cannot print from the third floor")
        assert ok.endswith("…") and len(ok) < len(f"✓ acme:T-7  {long_subject}")
        assert failed == (
            "✗ acme:T-8  [bold red]Refund[/] [@click=app.quit]now\n"
            "    acme: ticket 8 does not exist"
        )
        assert not any(line.startswith(("✓ acme:7", "✗ acme:8")) for line in (ok, failed))
        await pilot.press("escape")
        await pilot.pause()
    [results] = app.results
    assert [(str(r.key), r.ok) for r in results] == [("acme:7", True), ("acme:8", False)]


def test_a_failed_row_is_one_line_without_the_signed_query() -> None:
    from adapters.model import ActionResult, TicketKey
    from tui.presentation import error_line
    from tui.screens.forms.bulk_progress import result_line

    message = (
        "acme: POST https://acme.example/api/index.php?/Tickets/TicketNote&apikey=k-123"
        "&salt=s-456&signature=c2lnbmF0dXJl%3D: HTTP 503 the note\nservice is down"
    )
    assert error_line(message) == (
        "acme: POST /api/index.php?/Tickets/TicketNote: HTTP 503 the note service is down"
    )
    row = str(
        result_line(
            ActionResult(key=TicketKey("acme", "7"), action="note", ok=False, message=message)
        )
    )
    ticket, reason = row.split("\n")
    assert ticket == "✗ acme:7"
    assert reason == "    " + error_line(message)
    for secret in ("apikey", "salt", "signature", "k-123", "s-456", "acme.example"):
        assert secret not in row
