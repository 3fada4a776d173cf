"""A hostile desk slows only itself: while one desk's huge answer is parsed, the keys of
the app keep answering (the body is read in a worker thread), and an absurdly nested one
is refused at once instead of costing minutes of CPU."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from textual import events

from adapters.model import HealthState

TICKETS = 150_000
HEAVY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<tickets>'
    + b"".join(
        b"<ticket><id>%d</id><subject><![CDATA[s]]></subject></ticket>" % n
        for n in range(1, TICKETS + 1)
    )
    + b"</tickets>"
)
DEEP = b'<?xml version="1.0"?><tickets>' + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</tickets>"


class HeldAnswer(httpx.AsyncBaseTransport):
    """Answers the ticket listing with ``body`` once ``gate`` is set; everything else
    (the lookups) from the simulator."""

    def __init__(self, inner: httpx.AsyncBaseTransport, body: bytes, route: Any) -> None:
        self.inner = inner
        self.body = body
        self.route = route
        self.gate = asyncio.Event()
        self.answered = 0.0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.route(request, "GET", r"/Tickets/Ticket/ListAll/"):
            await self.gate.wait()
            self.answered = time.monotonic()
            return httpx.Response(200, content=self.body, headers={"Content-Type": "text/xml"})
        return await self.inner.handle_async_request(request)


def held_desk(harness: Any, name: str, body: bytes) -> HeldAnswer:
    from adapters.kayako.simulator import app_for_desk

    desk = harness.make_desk()
    transport = HeldAnswer(httpx.ASGITransport(app=app_for_desk(desk)), body, harness.route_is)
    harness.add_desk(name, desk, transport=transport)
    return transport


async def test_keys_answer_while_a_huge_answer_is_parsed(harness: Any) -> None:
    harness.add_desk("acme")
    heavy = held_desk(harness, "heavy", HEAVY)
    harness.ui["view"] = "all"  # rows enough to move through, whatever their status
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.store
        await harness.wait_for(pilot, lambda: store.desk("acme").last_sync, "acme listed")
        screen = harness.main(app)
        heavy.gate.set()
        await harness.wait_for(pilot, lambda: heavy.answered, "the heavy answer sent")
        latencies = []
        done = False
        while not done:
            row = screen.ticket_list.cursor_row
            key = "j" if row < 10 else "k"
            started = time.monotonic()
            # As the terminal driver delivers a key (pilot.press would also wait for the
            # whole process to go idle, parsing thread included).
            app.post_message(events.Key(key, key))
            while screen.ticket_list.cursor_row == row:
                assert time.monotonic() - started < 10, "the key was never answered"
                await asyncio.sleep(0.002)
            latencies.append(time.monotonic() - started)
            done = not store.desk("heavy").healthy or store.desk("heavy").last_sync is not None
        parse_time = time.monotonic() - heavy.answered
        # The heavy answer took a while to read, and keys kept answering meanwhile.
        assert parse_time > 0.5, f"the answer was read in {parse_time:.2f} s: not heavy"
        assert len(latencies) >= 3
        # Read on the event loop, the answer held every key for its whole parse (4 s here).
        assert max(latencies) < 1.0, f"slowest key {max(latencies):.2f} s"


async def test_an_absurdly_nested_answer_is_refused_at_once(harness: Any) -> None:
    harness.add_desk("acme")
    deep = held_desk(harness, "deep", DEEP)
    deep.gate.set()
    app = harness.build()
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.store
        await harness.wait_for(
            pilot, lambda: store.desk("deep").state is HealthState.ERROR, "deep refused"
        )
        assert time.monotonic() - deep.answered < 1.0
        assert "nested more than 512 levels deep" in store.desk("deep").message
        assert store.desk("acme").last_sync is not None
