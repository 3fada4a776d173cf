"""``Retry-After``: both forms parsed, honoured exactly, and a wait longer than the client
will sit through raised at once instead of slept."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.base import DeskUnavailable, RateLimited
from adapters.http import parse_retry_after

NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (http_date(NOW + 30), 30.0),
        (http_date(NOW - 30), 0.0),  # already past: go now
        ("Tue, 14 Nov 2023 22:14:00 GMT", 40.0),
        ("Tue, 14 Nov 2023 22:14:00 -0000", 40.0),  # parses as naive; still GMT
        ("Tue, 14 Nov 2023 23:14:00 +0100", 40.0),
        # The two obsolete forms a recipient must still accept (RFC 9110, 5.6.7).
        ("Tuesday, 14-Nov-23 22:14:00 GMT", 40.0),
        ("Tue Nov 14 22:14:00 2023", 40.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("nan", None),
        ("inf", None),
        ("1e3", None),
        ("\x00", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


def test_parse_retry_after_uses_the_real_clock_by_default() -> None:
    far = parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT")
    assert far is not None
    assert far > 365 * 24 * 3600


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds_is_slept_exactly(
    make_http: Any, fake_time: Any, status: int
) -> None:
    wait = httpx.Response(status, headers={"Retry-After": "7"})
    http, desk = make_http([wait, 200])

    assert (await http.request("GET", "/Tickets")).status_code == 200

    assert fake_time.sleeps == [7.0]
    assert len(desk.requests) == 2


async def test_retry_after_date_is_slept_exactly(make_http: Any, fake_time: Any) -> None:
    wait = httpx.Response(429, headers={"Retry-After": http_date(fake_time.time() + 30)})
    http, _ = make_http([wait, wait, 200])

    await http.request("GET", "/Tickets")

    # The second answer names the same moment, which is 30 s nearer after the first sleep.
    assert fake_time.sleeps == [30.0, 0.0]


async def test_retry_after_overrides_backoff(make_http: Any, fake_time: Any) -> None:
    http, _ = make_http(
        [httpx.Response(503, headers={"Retry-After": "0"}), 503, 200], backoff_base=0.25
    )
    await http.request("GET", "/Tickets")
    assert fake_time.sleeps[0] == 0.0
    assert 0 <= fake_time.sleeps[1] <= 0.5


@pytest.mark.parametrize("header", ["3600", http_date(NOW + 3600)])
async def test_long_retry_after_raises_rate_limited_at_once(
    make_http: Any, fake_time: Any, header: str
) -> None:
    fake_time.wall_start = NOW
    http, desk = make_http([httpx.Response(429, headers={"Retry-After": header}), 200])

    with pytest.raises(RateLimited) as raised:
        await http.request("POST", "/Tickets/TicketPost", data={"contents": "x"})

    assert len(desk.requests) == 1
    assert fake_time.sleeps == []
    assert raised.value.retry_after == 3600.0
    assert raised.value.connection == "acme"
    assert "retry after 1 h" in str(raised.value)


@pytest.mark.parametrize(
    ("header", "said"),
    [("1000000000", "more than a day"), ("9" * 400, "more than a day"), ("150", "2 min")],
)
async def test_absurd_retry_after_reads_as_a_person_says_it_and_is_clamped(
    make_http: Any, fake_time: Any, header: str, said: str
) -> None:
    # "retry after 1e+09s" and "infs" are what a desk's header used to print as.
    http, _ = make_http([httpx.Response(429, headers={"Retry-After": header}), 200])
    with pytest.raises(RateLimited) as raised:
        await http.request("POST", "/Tickets/TicketPost", data={"contents": "x"})
    assert f"retry after {said}" in str(raised.value)
    assert "e+" not in str(raised.value) and "inf" not in str(raised.value)
    assert raised.value.retry_after is not None and raised.value.retry_after <= 86400
    assert fake_time.sleeps == []


async def test_long_retry_after_on_503_raises_desk_unavailable_at_once(
    make_http: Any, fake_time: Any
) -> None:
    http, desk = make_http([httpx.Response(503, headers={"Retry-After": "61"}), 200])
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/Tickets")
    assert len(desk.requests) == 1
    assert fake_time.sleeps == []
    assert "retry after 61 s" in str(raised.value)


async def test_max_retry_after_is_per_client(make_http: Any, fake_time: Any) -> None:
    wait = httpx.Response(429, headers={"Retry-After": "90"})
    patient, _ = make_http([wait, 200], max_retry_after=120.0)
    assert (await patient.request("GET", "/")).status_code == 200
    assert fake_time.sleeps == [90.0]

    impatient, _ = make_http([wait, 200], max_retry_after=5.0)
    with pytest.raises(RateLimited):
        await impatient.request("GET", "/")
    assert patient.max_retry_after == 120.0
    assert impatient.max_retry_after == 5.0


async def test_retry_after_exactly_at_the_limit_is_slept(make_http: Any, fake_time: Any) -> None:
    http, _ = make_http([httpx.Response(429, headers={"Retry-After": "60"}), 200])
    assert (await http.request("GET", "/")).status_code == 200
    assert fake_time.sleeps == [60.0]


async def test_unreadable_retry_after_falls_back_to_backoff(make_http: Any, fake_time: Any) -> None:
    http, _ = make_http([httpx.Response(429, headers={"Retry-After": "later"}), 200])
    assert (await http.request("GET", "/")).status_code == 200
    assert len(fake_time.sleeps) == 1
    assert 0 <= fake_time.sleeps[0] <= 0.5


@pytest.fixture
def far_timezone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time far from UTC, where a naive date read as local time would be hours off."""
    monkeypatch.setenv("TZ", "Asia/Kathmandu")  # +05:45, no daylight saving
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_timezone")
@pytest.mark.parametrize("header", ["Tue, 14 Nov 2023 22:14:00 -0000", "Tue Nov 14 22:14:00 2023"])
def test_dates_without_a_zone_are_gmt_whatever_the_local_zone(header: str) -> None:
    assert time.localtime(NOW).tm_gmtoff == 5 * 3600 + 45 * 60
    assert parse_retry_after(header, now=NOW) == 40.0
