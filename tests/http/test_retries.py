"""Retries of idempotent requests: which failures are retried, the jittered backoff between
attempts, giving up with a typed error that names the connection, and the statuses that
are handed back to the adapter untouched."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from adapters.base import DeskError, DeskUnavailable, RateLimited
from adapters.http import DeskHttp

CONN = "acme"
RETRIED = [
    httpx.ConnectError,
    httpx.ReadError,
    502,
    503,
    504,
    429,
]


def backoff_bound(http: DeskHttp, attempt: int) -> float:
    return min(http.backoff_cap, http.backoff_base * 2.0**attempt)


@pytest.mark.parametrize("failure", RETRIED, ids=str)
async def test_get_is_retried_with_jittered_backoff_then_succeeds(
    make_http: Any, fake_time: Any, failure: Any
) -> None:
    ok = httpx.Response(200, json={"tickets": [1, 2]})
    http, desk = make_http([failure, failure, ok])

    response = await http.request("GET", "/Tickets")

    assert response.status_code == 200
    assert response.json() == {"tickets": [1, 2]}
    assert len(desk.requests) == 3
    assert len(fake_time.sleeps) == 2
    for attempt, slept in enumerate(fake_time.sleeps):
        assert 0 <= slept <= backoff_bound(http, attempt)


@pytest.mark.parametrize("failure", [httpx.ConnectTimeout, httpx.ReadTimeout], ids=str)
async def test_a_timeout_is_tried_twice_only(make_http: Any, fake_time: Any, failure: Any) -> None:
    # A desk that did not answer within the deadline is unlikely to within the next: one
    # retry, not three (each would cost a whole deadline).
    ok = httpx.Response(200, json={"tickets": [1, 2]})
    http, desk = make_http([failure, ok])
    assert (await http.request("GET", "/Tickets")).status_code == 200
    http, desk = make_http([failure, failure, ok])
    with pytest.raises(DeskUnavailable, match="gave up after 2 attempts"):
        await http.request("GET", "/Tickets")
    assert len(desk.requests) == 2


async def test_backoff_is_full_jitter_over_a_growing_window(make_http: Any, fake_time: Any) -> None:
    # Over many seeds, attempt k sleeps anywhere in [0, base * 2**k]: the whole window is
    # used (full jitter), and the window doubles.
    per_attempt: dict[int, list[float]] = {0: [], 1: [], 2: []}
    for seed in range(60):
        fake_time.sleeps.clear()
        http, _ = make_http([503, 503, 503, 200], rng=random.Random(seed))
        await http.request("GET", "/Tickets")
        for attempt, slept in enumerate(fake_time.sleeps):
            per_attempt[attempt].append(slept)
    for attempt, sleeps in per_attempt.items():
        bound = 0.5 * 2**attempt
        assert len(sleeps) == 60
        assert all(0 <= s <= bound for s in sleeps)
        assert max(sleeps) > 0.8 * bound
        assert min(sleeps) < 0.2 * bound


async def test_backoff_is_capped(make_http: Any, fake_time: Any) -> None:
    http, desk = make_http(
        [503] * 7 + [200], max_retries=7, backoff_base=1.0, backoff_cap=2.5, rng=random.Random(3)
    )
    await http.request("GET", "/Tickets")
    assert len(desk.requests) == 8
    assert len(fake_time.sleeps) == 7
    assert all(0 <= s <= 2.5 for s in fake_time.sleeps)
    assert max(fake_time.sleeps[3:]) > 1.0  # later attempts use the capped, wider window


async def test_same_seed_gives_same_delays(make_http: Any, fake_time: Any) -> None:
    first, _ = make_http([httpx.ReadError] * 3 + [200], rng=random.Random(11))
    await first.request("GET", "/x")
    delays = list(fake_time.sleeps)
    fake_time.sleeps.clear()
    second, _ = make_http([httpx.ReadError] * 3 + [200], rng=random.Random(11))
    await second.request("GET", "/x")
    assert fake_time.sleeps == delays
    assert len(set(delays)) == 3


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError, 502, 503, 504]
)
async def test_get_gives_up_after_max_retries_with_desk_unavailable(
    make_http: Any, fake_time: Any, failure: Any
) -> None:
    http, desk = make_http([failure], max_retries=2)

    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/Tickets/Ticket/7")

    error = raised.value
    assert len(desk.requests) == 3
    assert len(fake_time.sleeps) == 2
    assert error.connection == CONN
    assert str(error).startswith(f"{CONN}: GET https://desk.example/api/index.php/Tickets/Ticket/7")
    expected = failure.__name__ if isinstance(failure, type) else f"HTTP {failure}"
    assert expected in str(error)
    assert "gave up after 3 attempts" in str(error)
    # A GET cannot have changed anything: no warning that it may have been applied.
    assert "may have applied" not in str(error)


async def test_get_gives_up_on_429_with_rate_limited_carrying_retry_after(
    make_http: Any, fake_time: Any
) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "4"})
    http, desk = make_http([limited], max_retries=3)

    with pytest.raises(RateLimited) as raised:
        await http.request("GET", "/Tickets")

    assert len(desk.requests) == 4
    assert fake_time.sleeps == [4.0, 4.0, 4.0]
    assert raised.value.retry_after == 4.0
    assert raised.value.connection == CONN
    assert str(raised.value).startswith(f"{CONN}: GET ")
    assert "retry after 4 s" in str(raised.value)


async def test_429_without_retry_after_backs_off_and_reports_no_retry_after(
    make_http: Any, fake_time: Any
) -> None:
    http, desk = make_http([429], max_retries=2)
    with pytest.raises(RateLimited) as raised:
        await http.request("GET", "/Tickets")
    assert raised.value.retry_after is None
    assert len(desk.requests) == 3
    assert [s <= backoff_bound(http, a) for a, s in enumerate(fake_time.sleeps)] == [True, True]


async def test_zero_retries_means_one_attempt(make_http: Any, fake_time: Any) -> None:
    http, desk = make_http([503], max_retries=0)
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/Tickets")
    assert len(desk.requests) == 1
    assert fake_time.sleeps == []
    assert "gave up" not in str(raised.value)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500, 302])
async def test_other_statuses_are_returned_untouched_and_sent_once(
    make_http: Any, fake_time: Any, method: str, status: int
) -> None:
    body = f"<error>vendor says {status}</error>"
    answer = httpx.Response(status, text=body, headers={"X-Vendor": "kept", "Location": "/x"})
    http, desk = make_http([answer])

    response = await http.request(method, "/Tickets/Ticket/1")

    assert response.status_code == status
    assert response.text == body
    assert response.headers["X-Vendor"] == "kept"
    assert len(desk.requests) == 1
    assert fake_time.sleeps == []


async def test_head_and_options_are_idempotent(make_http: Any) -> None:
    for method in ("HEAD", "OPTIONS", "get"):
        http, desk = make_http([httpx.ReadTimeout, 200])
        assert (await http.request(method, "/")).status_code == 200
        assert len(desk.requests) == 2
        assert desk.requests[0].method == method.upper()


async def test_get_can_opt_out_of_retries(make_http: Any) -> None:
    http, desk = make_http([httpx.ReadTimeout, 200])
    with pytest.raises(DeskUnavailable):
        await http.request("GET", "/report", idempotent=False)
    assert len(desk.requests) == 1


async def test_unsupported_protocol_is_not_retried(make_http: Any) -> None:
    http, desk = make_http([httpx.UnsupportedProtocol, 200])
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/")
    assert len(desk.requests) == 1
    assert "UnsupportedProtocol" in str(raised.value)


async def test_invalid_url_is_a_typed_error(make_http: Any) -> None:
    http, desk = make_http([200])
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "https://desk.example:notaport/x")
    assert raised.value.connection == CONN
    assert "invalid URL" in str(raised.value)
    assert desk.requests == []


async def test_every_error_is_a_desk_error(make_http: Any) -> None:
    # Adapters catch DeskError; nothing from httpx may leak past the HTTP layer.
    for outcome in (
        httpx.ConnectError,
        httpx.ReadError,
        httpx.WriteError,
        httpx.PoolTimeout,
        503,
        429,
    ):
        http, _ = make_http([outcome], max_retries=1)
        with pytest.raises(DeskError) as raised:
            await http.request("POST", "/Tickets", data={"subject": "x"})
        # The httpx exception (its text may hold a URL) is not chained into tracebacks.
        error = raised.value
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__


async def test_timeouts_are_set(make_http: Any) -> None:
    http, _ = make_http(timeout=12.0)
    assert http.client.timeout.read == 12.0
    assert http.client.timeout.write == 12.0
    assert http.client.timeout.connect == 10.0
    assert http.client.timeout.pool == 12.0


async def test_redirects_are_not_followed(make_http: Any) -> None:
    moved = httpx.Response(301, headers={"Location": "https://elsewhere.example/"})
    http, desk = make_http([moved, 200])
    response = await http.request("GET", "/")
    assert response.status_code == 301
    assert len(desk.requests) == 1


async def test_context_manager_closes_the_client(make_http: Any) -> None:
    http, _ = make_http()
    async with http as opened:
        assert opened is http
        assert not http.client.is_closed
    assert http.client.is_closed
