"""A write that may have reached the desk is never sent twice; a write that certainly did
not (the connection never opened, or the desk refused it with 429) is; and a write the
vendor documents as repeatable can opt in with ``idempotent=True``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.base import DeskUnavailable, RateLimited

CONN = "acme"
WRITES = ["POST", "PUT", "DELETE", "PATCH"]
# Each of these can happen after the desk has received (and applied) the request.
MAY_HAVE_LANDED = [
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.WriteTimeout,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    502,
    503,
    504,
]


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("failure", MAY_HAVE_LANDED, ids=str)
async def test_write_that_may_have_landed_is_sent_exactly_once(
    make_http: Any, fake_time: Any, method: str, failure: Any
) -> None:
    http, desk = make_http([failure, 201], max_retries=5)

    with pytest.raises(DeskUnavailable) as raised:
        await http.request(method, "/Tickets/TicketPost", data={"contents": "Hello"})

    assert len(desk.requests) == 1
    assert fake_time.sleeps == []
    error = raised.value
    assert error.connection == CONN
    assert str(error).startswith(f"{CONN}: {method} https://desk.example/")
    assert "may have applied it" in str(error)
    assert "not repeated" in str(error)


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.PoolTimeout])
async def test_write_that_never_left_is_retried(
    make_http: Any, fake_time: Any, method: str, failure: Any
) -> None:
    http, desk = make_http([failure, failure, 201])

    response = await http.request(method, "/Tickets/TicketPost", data={"contents": "Hello"})

    assert response.status_code == 201
    assert len(desk.requests) == 3
    assert len(fake_time.sleeps) == 2
    # The same request each time: same target, same body.
    assert {str(r.url) for r in desk.requests} == {str(desk.requests[0].url)}
    assert {r.read() for r in desk.requests} == {b"contents=Hello"}


@pytest.mark.parametrize("method", WRITES)
async def test_write_whose_connection_timed_out_is_retried_once(
    make_http: Any, fake_time: Any, method: str
) -> None:
    # It never left (no connection), so resending is safe; but a desk that did not accept
    # a connection within the deadline rarely does on the next try: two attempts in all.
    http, desk = make_http([httpx.ConnectTimeout, 201])
    response = await http.request(method, "/Tickets/TicketPost", data={"contents": "Hello"})
    assert response.status_code == 201
    assert len(desk.requests) == 2
    http, desk = make_http([httpx.ConnectTimeout, httpx.ConnectTimeout, 201])
    with pytest.raises(DeskUnavailable, match="gave up after 2 attempts") as raised:
        await http.request(method, "/Tickets/TicketPost", data={"contents": "Hello"})
    assert not raised.value.may_have_landed


async def test_write_that_never_left_gives_up_without_the_may_have_applied_warning(
    make_http: Any,
) -> None:
    http, desk = make_http([httpx.ConnectError], max_retries=2)
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("POST", "/Tickets/Ticket", data={"subject": "x"})
    assert len(desk.requests) == 3
    assert "may have applied" not in str(raised.value)
    assert "gave up after 3 attempts" in str(raised.value)


@pytest.mark.parametrize("method", WRITES)
async def test_write_refused_with_429_is_retried_after_the_wait(
    make_http: Any, fake_time: Any, method: str
) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "2"})
    http, desk = make_http([limited, 201])

    response = await http.request(method, "/Tickets/TicketPost", data={"contents": "Hi"})

    assert response.status_code == 201
    assert len(desk.requests) == 2
    assert fake_time.sleeps == [2.0]


async def test_write_refused_with_429_until_the_end_is_rate_limited(make_http: Any) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "1"})
    http, desk = make_http([limited], max_retries=2)
    with pytest.raises(RateLimited) as raised:
        await http.request("POST", "/Tickets/TicketPost", data={"contents": "Hi"})
    assert len(desk.requests) == 3
    assert raised.value.retry_after == 1.0
    assert "may have applied" not in str(raised.value)


@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.ReadError, 502, 503, 504])
async def test_put_that_opts_in_as_idempotent_is_retried(
    make_http: Any, fake_time: Any, failure: Any
) -> None:
    http, desk = make_http([failure, 200])

    response = await http.request(
        "PUT", "/Tickets/Ticket/5", data={"ticketstatusid": "3"}, idempotent=True
    )

    assert response.status_code == 200
    assert len(desk.requests) == 2
    assert len(fake_time.sleeps) == 1


async def test_idempotent_write_that_keeps_failing_does_not_warn_it_may_have_applied(
    make_http: Any,
) -> None:
    http, desk = make_http([httpx.ReadTimeout], max_retries=1)
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("PUT", "/Tickets/Ticket/5", data={"a": "b"}, idempotent=True)
    assert len(desk.requests) == 2
    assert "may have applied" not in str(raised.value)


async def test_post_that_reads_can_opt_in(make_http: Any) -> None:
    # Kapture serves its reads as POSTs; the adapter marks them idempotent.
    http, desk = make_http([httpx.ReadTimeout, 200])
    response = await http.request("POST", "/search", json={"from": "2024-01-01"}, idempotent=True)
    assert response.status_code == 200
    assert len(desk.requests) == 2
