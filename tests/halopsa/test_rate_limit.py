"""HaloPSA's rolling limit (500 requests per 300 s, shortened here): bulk runs stay under
it and finish in the time it allows; a 429 that comes anyway is waited out."""

from __future__ import annotations

import time

import httpx

from adapters.halopsa import HaloAdapter
from adapters.halopsa.simulator import CLIENT_ID, CLIENT_SECRET
from adapters.halopsa.window import RollingWindowLimiter, window_of
from adapters.model import Change, TicketKey
from tests.halopsa.conftest import MakeAdapter, MakeInstance
from tui.bulk import BulkRunner

WINDOW = 12.0
"""Seconds: Halo's 300 s window, shortened 25 times; the 500 requests stay 500."""


async def test_600_ticket_bulk_update_never_trips_the_limit(
    make_adapter: MakeAdapter, make_instance: MakeInstance
) -> None:
    instance = make_instance(tickets=650, rate_window=WINDOW)
    ids = [str(t.id) for t in list(instance.desk.live())[:600]]
    async with make_adapter(instance.app, limit_window=WINDOW) as halo:
        assert isinstance(halo, HaloAdapter)

        async def bump(adapter: object, native_id: str) -> object:
            assert isinstance(adapter, HaloAdapter)
            stored = instance.desk.tickets[int(native_id)]
            return await adapter.update(
                native_id, Change(priority_id=str(stored.priority_id % 4 + 1))
            )

        started = time.monotonic()
        runner = BulkRunner(
            [TicketKey(halo.name, i) for i in ids], {halo.name: halo}, "update", bump
        )
        results = await runner.run()
        elapsed = time.monotonic() - started
    assert [r.ok for r in results] == [True] * 600, [r.message for r in results if not r.ok][:3]
    assert instance.server.refused == 0
    requests = instance.server.served  # the lookups, then one POST a ticket
    assert 600 < requests < 620
    # The limit allows 500 requests at once and 500 more each window after: the run can
    # be no quicker than this, and is to take at most a tenth longer.
    allowed = WINDOW * ((requests - 1) // 500)
    assert allowed <= elapsed <= allowed * 1.1, (elapsed, allowed)


async def test_a_429_from_another_client_is_waited_out(
    make_adapter: MakeAdapter, make_instance: MakeInstance
) -> None:
    instance = make_instance(rate_limit=30, rate_window=1.0)
    async with make_adapter(instance.app, limit_requests=30, limit_window=1.0) as halo:
        await halo.lookups()
        # Another integration spends the instance's budget.
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=instance.app), base_url="http://halo.sim"
        ) as other:
            token = (
                await other.post(
                    "/auth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET,
                    },
                )
            ).json()["access_token"]
            answers = [
                (
                    await other.get("/api/Status", headers={"Authorization": f"Bearer {token}"})
                ).status_code
                for _ in range(30)
            ]
        assert 429 in answers
        ticket = next(iter(instance.desk.live()))
        detail = await halo.get_ticket(str(ticket.id))
    assert detail.ticket.key.native_id == str(ticket.id)
    assert halo.window.refusals >= 1
    assert instance.server.refused > answers.count(429)


def test_the_429_text_names_the_window() -> None:
    assert window_of("Rate Limit Reached - 500 Requests per rolling 5 minute window") == (
        500,
        300.0,
    )
    assert window_of('"Rate Limit Reached - 300 Requests per rolling 5 minute window"') == (
        300,
        300.0,
    )
    assert window_of("Rate Limit Reached - 50 Requests per rolling 2.5 second window") == (50, 2.5)
    assert window_of("Too Many Requests") is None


async def test_the_window_lets_a_burst_go_then_waits_for_the_oldest() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RollingWindowLimiter(
        1000.0, 1000, limit=100, window=10.0, clock=lambda: now[0], sleep=sleep
    )
    for _ in range(limiter.budget):
        await limiter.acquire()
    assert limiter.budget == 98 and sum(slept) < 0.2  # the reserve keeps 2 for others
    await limiter.acquire()
    assert 10.0 <= now[0] <= 10.0 + limiter.slack + 0.2
    pause = limiter.refused(100, 10.0)
    assert pause > 0 and limiter.paused_until == now[0] + pause
