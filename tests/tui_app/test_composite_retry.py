"""No write is repeated after it may have landed: composite actions (close with a note, the
emulated merge) fail after their first step reached the desk, are retried, and the desk is
counted for what reached it. A step whose answer was lost is not resent until the agent
says so; the bulk screen retries only what is safe and says so for the rest."""

from __future__ import annotations

from typing import Any

import httpx
from textual.widgets import TextArea

from adapters.errors import OutcomeUnknown
from adapters.model import TicketKey
from tui.bulk import BulkRunner
from tui.screens.forms.close import CloseScreen

NOTE = "Closing: fixed in release 4.2."


def notes_with(desk: Any, native_id: str, text: str) -> int:
    return sum(text in note.text for note in desk.notes.get(desk.tickets[int(native_id)]))


def closed(desk: Any, native_id: str) -> bool:
    ticket = desk.tickets[int(native_id)]
    return bool(desk.statuses[ticket.statusid].markasresolved)


async def close_with_note(adapter: Any, native_id: str) -> object:
    return await adapter.close(native_id, note=NOTE)


async def test_close_with_note_after_the_status_failed_posts_the_note_once(harness: Any) -> None:
    desk = harness.make_desk(tickets=60)
    transport = harness.add_faulty_desk("acme", desk)
    [adapter] = harness.adapters()
    keys = [TicketKey("acme", str(number)) for number in sorted(desk.tickets)]
    # A third of the tickets: the desk takes the note, then refuses the status change once.
    refused = {key.native_id for key in keys[::3]}
    refused_once: set[str] = set()

    def fault(request: httpx.Request) -> httpx.Response | None:
        for native_id in refused - refused_once:
            if harness.route_is(request, "PUT", rf"/Tickets/Ticket/{native_id}$"):
                refused_once.add(native_id)
                return httpx.Response(503, text="status service restarting")
        return None

    transport.fault = fault
    runner = BulkRunner(keys, {"acme": adapter}, "close", close_with_note)
    await runner.run()
    assert sorted(runner.failed) == sorted(k for k in keys if k.native_id in refused)
    assert all(notes_with(desk, k.native_id, NOTE) == 1 for k in keys)

    await runner.retry_failed()
    assert runner.failed == []
    assert all(closed(desk, k.native_id) for k in keys)
    # Every note reached the desk exactly once: the retry resumed at the status.
    assert sum(notes_with(desk, k.native_id, NOTE) for k in keys) == len(keys)
    assert all(notes_with(desk, k.native_id, NOTE) == 1 for k in keys)
    await adapter.aclose()


def lost_answer(harness: Any, transport: Any, route: str, method: str = "POST") -> set[str]:
    """The desk applies the first ``method`` on ``route``, but its answer is lost (502)."""
    lost: set[str] = set()
    inner = transport.inner

    async def handle(request: httpx.Request) -> httpx.Response:
        transport.requests.append((request.method, str(request.url)))
        response = await inner.handle_async_request(request)
        if not lost and harness.route_is(request, method, route):
            await response.aread()
            lost.add(str(request.url))
            return httpx.Response(502, text="bad gateway")
        return response

    transport.handle_async_request = handle
    return lost


async def test_a_note_whose_answer_was_lost_is_not_resent_until_the_agent_says(
    harness: Any,
) -> None:
    desk = harness.make_desk(tickets=4)
    transport = harness.add_faulty_desk("acme", desk)
    [adapter] = harness.adapters()
    key = TicketKey("acme", str(min(desk.tickets)))
    lost_answer(harness, transport, r"/Tickets/TicketNote$")
    runner = BulkRunner([key], {"acme": adapter}, "close", close_with_note)
    await runner.run()
    assert runner.failed == [key]
    assert runner.uncertain == [key] and runner.retryable == []
    assert notes_with(desk, key.native_id, NOTE) == 1  # it did land
    assert not closed(desk, key.native_id)

    # Closing again by hand is refused while the note's fate is unknown: nothing is sent.
    posts_before = len(transport.requests)
    try:
        await adapter.close(key.native_id, note=NOTE)
    except OutcomeUnknown as exc:
        assert "the closing note may already be on the desk" in str(exc)
    else:
        raise AssertionError("closing again resent the note blindly")
    assert not any("TicketNote" in url for _, url in transport.requests[posts_before:])

    # The agent looks, sees the note there, and says so: the close resumes at the status.
    adapter.steps.resolve(key.native_id, landed=True)
    await runner.retry_failed()  # nothing retryable: still nothing sent
    assert runner.failed == [key]
    runner._uncertain.clear()  # the agent's answer (landed) makes it a plain failure
    await runner.retry_failed()
    assert runner.failed == []
    assert closed(desk, key.native_id)
    assert notes_with(desk, key.native_id, NOTE) == 1
    await adapter.aclose()


async def test_the_emulated_merge_retried_copies_each_source_once(harness: Any) -> None:
    desk = harness.make_desk(tickets=6)
    transport = harness.add_faulty_desk("acme", desk)
    [adapter] = harness.adapters()
    target, *sources = [str(number) for number in sorted(desk.tickets)[:4]]
    refused_once: set[str] = set()

    def fault(request: httpx.Request) -> httpx.Response | None:
        # Each source's close is refused once, after its copy and note have landed.
        for native_id in set(sources) - refused_once:
            if harness.route_is(request, "PUT", rf"/Tickets/Ticket/{native_id}$"):
                refused_once.add(native_id)
                return httpx.Response(503, text="status service restarting")
        return None

    transport.fault = fault
    first = await adapter.merge(target, sources)
    assert [result.ok for result in first] == [False, False, False, False]
    second = await adapter.merge(target, sources)
    assert all(result.ok for result in second)
    for source in sources:
        mask = desk.tickets[int(source)].displayid
        # One copy of each source's conversation in the target, one merge note on it.
        copies = [n for n in desk.notes.get(desk.tickets[int(target)]) if mask in n.text]
        assert len(copies) == 1, f"{len(copies)} copies of {source} in the target"
        assert notes_with(desk, source, "Merged into") == 1
        assert closed(desk, source)
    await adapter.aclose()


async def test_the_bulk_screen_retries_only_what_is_safe_and_says_so(harness: Any) -> None:
    desk = harness.make_desk(tickets=4)
    transport = harness.add_faulty_desk("acme", desk)
    lost_answer(harness, transport, r"/Tickets/TicketNote$")
    harness.ui["view"] = "all"  # the four tickets, whatever their status
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        await harness.synced(pilot, app)
        form = await harness.open_form(pilot, app, "asterisk c", CloseScreen)
        form.query_one("#f-note", TextArea).insert("Fixed.")
        await pilot.press("ctrl+s")
        progress = await harness.run_bulk(pilot, app)
        text = harness.screen_text(app)
        assert "finished: 3 ok, 1 failed" in text
        assert "1 may have reached the desk and are not retried:" in text
        assert "check them, then T sends them again" in text
        assert progress.runner.retryable == []

        def fixed_notes() -> int:
            return sum("Fixed." in n.text for t in desk.tickets.values() for n in desk.notes.get(t))

        assert fixed_notes() == 4  # the lost answer's note landed too
        await pilot.press("t")  # nothing safe to retry: nothing is sent
        await pilot.pause()
        assert not progress.running and fixed_notes() == 4
        # The agent checked and chooses to send it again anyway: T.
        await pilot.press("T")
        await harness.wait_for(pilot, lambda: not progress.running, "the resend")
        await pilot.pause()
        assert progress.runner.failed == []
        assert fixed_notes() == 5
