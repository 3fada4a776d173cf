"""The per-connection token bucket, the rolling window, and the cap on requests in flight,
on a fake clock."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
import pytest

from adapters.http import RateLimiter, RollingWindow


async def settle(condition: Any, rounds: int = 200) -> None:
    """Let the event loop run until ``condition()`` holds (no time passes)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the tasks never reached the expected state")


@pytest.mark.parametrize(("count", "rate", "burst"), [(20, 4.0, 5), (50, 10.0, 1), (7, 0.5, 3)])
async def test_n_acquisitions_take_n_minus_burst_over_rate(
    fake_time: Any, count: int, rate: float, burst: int
) -> None:
    limiter = RateLimiter(rate, burst, clock=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.now
    stamps = []
    for _ in range(count):
        await limiter.acquire()
        stamps.append(fake_time.now - start)

    assert stamps[:burst] == [0.0] * burst
    assert stamps[-1] == pytest.approx((count - burst) / rate)
    gaps = [b - a for a, b in itertools.pairwise(stamps[burst - 1 :])]
    assert gaps == pytest.approx([1 / rate] * (count - burst))


async def test_concurrent_acquisitions_share_the_rate(fake_time: Any) -> None:
    limiter = RateLimiter(5.0, 2, clock=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.now
    await asyncio.gather(*(limiter.acquire() for _ in range(12)))
    assert fake_time.now - start == pytest.approx((12 - 2) / 5.0)


async def test_idle_time_refills_only_up_to_the_burst(fake_time: Any) -> None:
    limiter = RateLimiter(2.0, 3, clock=fake_time.monotonic, sleep=fake_time.sleep)
    for _ in range(3):
        await limiter.acquire()
    fake_time.now += 3600.0  # an hour idle earns 3 tokens, not 7200
    start = fake_time.now
    for _ in range(4):
        await limiter.acquire()
    assert fake_time.now - start == pytest.approx(0.5)
    assert fake_time.sleeps[-1] == pytest.approx(0.5)


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        RateLimiter(0)
    with pytest.raises(ValueError):
        RateLimiter(-1.0)


async def test_a_rolling_window_lets_a_burst_go_then_waits_for_the_oldest(
    fake_time: Any,
) -> None:
    window = RollingWindow(3, 60.0, clock=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.now
    for offset in (0.0, 10.0, 20.0):
        fake_time.now = start + offset
        await window.acquire()
    assert fake_time.sleeps == []
    fake_time.now = start + 30.0
    await window.acquire()
    # Until the send made at 0 leaves the window; then the next waits for the one at 10.
    assert fake_time.sleeps == [pytest.approx(30.0)]
    await window.acquire()
    assert fake_time.now == pytest.approx(start + 70.0)
    assert len(window.sent) == 3


async def test_a_rolling_window_counts_slack_and_holds_still_while_paused(
    fake_time: Any,
) -> None:
    window = RollingWindow(1, 10.0, slack=0.5, clock=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.now
    await window.acquire()
    await window.acquire()  # the first send counts until 10 s plus the slack
    assert fake_time.now == pytest.approx(start + 10.5)
    assert window.recent(5.0) == [fake_time.now]
    window.pause(fake_time.now + 100.0)
    window.pause(fake_time.now + 1.0)  # an earlier pause does not shorten it
    await window.acquire()
    assert fake_time.now == pytest.approx(start + 110.5)
    with pytest.raises(ValueError, match="positive"):
        RollingWindow(0, 10.0)


async def test_desk_requests_leave_at_the_configured_rate(make_http: Any, fake_time: Any) -> None:
    sent_at: list[float] = []

    def desk(request: httpx.Request) -> httpx.Response:
        sent_at.append(fake_time.now)
        return httpx.Response(200)

    http, _ = make_http(
        transport=httpx.MockTransport(desk), rate_limit=10.0, burst=3, max_concurrency=4
    )
    start = fake_time.now

    responses = await asyncio.gather(*(http.request("GET", f"/T/{i}") for i in range(30)))

    assert [r.status_code for r in responses] == [200] * 30
    assert len(sent_at) == 30
    assert max(sent_at) - start == pytest.approx((30 - 3) / 10.0)
    assert sum(1 for t in sent_at if t == start) == 3  # the burst, at once
    assert http.requests_sent == 30


async def test_concurrency_cap_is_respected(make_http: Any) -> None:
    gate = asyncio.Event()
    in_flight = 0
    most = 0

    async def desk(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await gate.wait()
        in_flight -= 1
        return httpx.Response(200)

    http, _ = make_http(transport=httpx.MockTransport(desk), max_concurrency=3)
    tasks = [asyncio.create_task(http.request("GET", f"/T/{i}")) for i in range(10)]

    await settle(lambda: in_flight == 3)
    for _ in range(20):  # give the other seven every chance to (wrongly) start
        await asyncio.sleep(0)
    assert in_flight == 3
    gate.set()
    await asyncio.gather(*tasks)

    assert most == 3
    assert all(task.result().status_code == 200 for task in tasks)


async def test_requests_that_waited_for_a_slot_still_leave_at_the_rate(
    make_http: Any, fake_time: Any
) -> None:
    # A token is taken when the request is about to go, not while it queues for a slot:
    # otherwise every queued request would leave at once when the slow ones finish.
    gate = asyncio.Event()
    sent_at: list[float] = []

    async def desk(request: httpx.Request) -> httpx.Response:
        sent_at.append(fake_time.now)
        await gate.wait()
        return httpx.Response(200)

    http, _ = make_http(
        transport=httpx.MockTransport(desk), rate_limit=10.0, burst=1, max_concurrency=2
    )
    tasks = [asyncio.create_task(http.request("GET", f"/T/{i}")) for i in range(8)]
    await settle(lambda: len(sent_at) == 2)
    fake_time.now += 5.0  # the first two are slow
    gate.set()
    await asyncio.gather(*tasks)

    later = sent_at[2:]
    assert len(later) == 6
    gaps = [b - a for a, b in itertools.pairwise(later)]
    assert gaps == pytest.approx([0.1] * 5)
