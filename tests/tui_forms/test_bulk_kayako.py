"""BulkRunner against the real Kayako adapter, driving the Kayako simulator in-process.

Each connection is a real ``KayakoAdapter`` on its own simulator, reached through
``httpx.ASGITransport``. The transport is wrapped only to count requests and, for the
"desk fails for a while" case, to answer writes with HTTP 500 until the test lets them
through, as a desk behind a broken proxy would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from textual.widgets import OptionList

from adapters.base import Adapter
from adapters.kayako import ADAPTER, KayakoSettings, simulator
from adapters.model import TicketKey, TicketQuery
from tui.bulk import BulkRunner
from tui.screens.forms import BulkProgressScreen

SIM_ROOT = "http://kayako.sim"


class SimLink(httpx.AsyncBaseTransport):
    """The simulator, through a link that records requests and can fail writes."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.failing_writes = False
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(f"{request.method} {unquote(str(request.url))}")
        if self.failing_writes and request.method in ("POST", "PUT"):
            return httpx.Response(500, text="Internal Server Error", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def touched(self, native_id: str) -> bool:
        return any(f"/Ticket/{native_id}" in url for url in self.urls)


Desk = tuple[Adapter, SimLink]


@pytest.fixture
async def make_desk() -> AsyncIterator[Callable[[str], Desk]]:
    adapters: list[Adapter] = []

    def make(name: str) -> Desk:
        link = SimLink(simulator.create_app(tickets=40, seed=3))
        block = simulator.connection_block(SIM_ROOT)
        # The simulator has no rate limit; the test should not wait for the default one.
        settings = KayakoSettings.model_validate({**block, "name": name, "rate_limit": 1000})
        adapter = ADAPTER(settings, transport=link)
        adapters.append(adapter)
        return adapter, link

    yield make
    for adapter in adapters:
        await adapter.aclose()


async def open_ids(adapter: Adapter, count: int) -> list[str]:
    ids: list[str] = []
    async for page in adapter.list_tickets(TicketQuery(include_done=False, page_size=50)):
        ids += [ticket.key.native_id for ticket in page.tickets if not ticket.is_done]
        if len(ids) >= count:
            break
    assert len(ids) >= count, "the simulator should have enough open tickets"
    return ids[:count]


async def close(adapter: Adapter, native_id: str) -> object:
    return await adapter.close(native_id)


async def test_bulk_close_on_two_desks_some_fail_then_retry_failed(
    make_desk: Callable[[str], Desk],
) -> None:
    main, main_link = make_desk("main")
    flaky, flaky_link = make_desk("flaky")
    main_ids = await open_ids(main, 3)
    flaky_ids = await open_ids(flaky, 2)
    targets = [
        TicketKey("main", main_ids[0]),
        TicketKey("main", "987654"),
        TicketKey("flaky", flaky_ids[0]),
        TicketKey("main", main_ids[1]),
        TicketKey("flaky", flaky_ids[1]),
        TicketKey("main", main_ids[2]),
    ]
    flaky_link.failing_writes = True
    runner = BulkRunner(targets, {"main": main, "flaky": flaky}, "close", close)
    results = await runner.run()

    outcome = {str(result.key): result for result in results}
    assert [key for key, result in outcome.items() if result.ok] == [
        f"main:{main_ids[0]}",
        f"main:{main_ids[1]}",
        f"main:{main_ids[2]}",
    ]
    missing = outcome["main:987654"]
    assert missing.message.startswith("main: ") and "not found" in missing.message.lower()
    for native_id in flaky_ids:
        message = outcome[f"flaky:{native_id}"].message
        assert message.startswith("flaky: ") and "HTTP 500" in message
    for native_id in main_ids:
        assert (await main.get_ticket(native_id)).ticket.is_done

    # The broken link heals; a retry sends only the failures.
    flaky_link.failing_writes = False
    main_link.urls.clear()
    retried = await runner.retry_failed()
    assert {str(result.key): result.ok for result in retried} == {
        "main:987654": False,
        f"flaky:{flaky_ids[0]}": True,
        f"flaky:{flaky_ids[1]}": True,
    }
    assert main_link.touched("987654")
    assert not any(main_link.touched(native_id) for native_id in main_ids)
    for native_id in flaky_ids:
        assert (await flaky.get_ticket(native_id)).ticket.is_done
    assert runner.failed == [TicketKey("main", "987654")]


async def test_concurrency_per_desk_is_bounded_by_its_capabilities(
    make_desk: Callable[[str], Desk],
) -> None:
    main, _ = make_desk("main")
    other, _ = make_desk("other")
    ids = await open_ids(main, 12)
    other_ids = await open_ids(other, 12)
    in_flight = {"main": 0, "other": 0}
    peak = {"main": 0, "other": 0}

    async def update(adapter: Adapter, native_id: str) -> object:
        in_flight[adapter.name] += 1
        peak[adapter.name] = max(peak[adapter.name], in_flight[adapter.name])
        try:
            return await adapter.get_ticket(native_id)
        finally:
            in_flight[adapter.name] -= 1

    targets = [TicketKey("main", i) for i in ids] + [TicketKey("other", i) for i in other_ids]
    runner = BulkRunner(targets, {"main": main, "other": other}, "update", update)
    results = await runner.run()
    assert all(result.ok for result in results) and len(results) == 24
    bound = ADAPTER.capabilities.max_concurrency
    assert peak == {"main": bound, "other": bound}


async def test_unsupported_desk_in_the_same_run_is_reported_not_sent(
    make_desk: Callable[[str], Desk], data: Any
) -> None:
    main, _ = make_desk("main")
    [open_id] = await open_ids(main, 1)
    halo = data.FakeDesk("halo", data.LIMITED)
    targets = [TicketKey("halo", "5"), TicketKey("main", open_id)]
    runner = BulkRunner(targets, {"main": main, "halo": halo}, "close", close)
    assert [desk.connection for desk in runner.plan.unsupported] == ["halo"]
    results = await runner.run()
    assert [(str(r.key), r.ok, r.message) for r in results] == [
        (
            "halo:5",
            False,
            "halo: not sent: cannot close tickets on this desk: "
            "closing needs a solution entered on the desk",
        ),
        (f"main:{open_id}", True, ""),
    ]
    assert halo.calls == []


async def test_progress_screen_over_kayako_retries_from_the_keyboard(
    make_desk: Callable[[str], Desk], data: Any
) -> None:
    main, _ = make_desk("main")
    flaky, flaky_link = make_desk("flaky")
    [main_id] = await open_ids(main, 1)
    [flaky_id] = await open_ids(flaky, 1)
    flaky_link.failing_writes = True
    targets = [TicketKey("main", main_id), TicketKey("flaky", flaky_id)]
    runner = BulkRunner(targets, {"main": main, "flaky": flaky}, "close", close)
    mine = (await main.get_ticket(main_id)).ticket
    theirs = (await flaky.get_ticket(flaky_id)).ticket
    # Kayako's display ids are masks (ABC-123-45678), not the numeric ids the API uses.
    assert mine.display_id != main_id and theirs.display_id != flaky_id
    tickets = {mine.key: mine, theirs.key: theirs}
    app = data.HostApp(lambda: BulkProgressScreen(runner, tickets=tickets))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        results = screen.query_one("#bulk-results", OptionList)

        def lines() -> list[str]:
            return [str(results.get_option_at_index(i).prompt) for i in range(2)]

        [ok] = [line for line in lines() if line.startswith("✓")]
        assert ok.startswith(f"✓ main:{mine.display_id}  {mine.subject[:20]}")
        [failed] = [line for line in lines() if line.startswith("✗")]
        header, message = failed.split("\n")
        assert header.startswith(f"✗ flaky:{theirs.display_id}  {theirs.subject[:20]}")
        assert message.startswith("    flaky: ") and "HTTP 500" in message
        flaky_link.failing_writes = False
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(line.split("  ")[0] for line in lines()) == [
            f"✓ flaky:{theirs.display_id}",
            f"✓ main:{mine.display_id}",
        ]
        await pilot.press("escape")
        await pilot.pause()
    [final] = app.results
    assert [result.ok for result in final] == [True, True]
    assert (await flaky.get_ticket(flaky_id)).ticket.is_done
