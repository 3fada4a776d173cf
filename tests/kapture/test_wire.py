"""Kapture's wire quirks that the simulator cannot produce on its own: failure bodies
with any HTTP status, malformed and non-JSON answers, answers missing what they promise."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.base import AuthFailed, DeskUnavailable, InvalidInput, NotFound, ProtocolError
from adapters.kapture import KaptureAdapter
from adapters.kapture.simulator import API_KEY
from tests.kapture.conftest import MakeAdapter


def answering(
    status: int, body: bytes, content_type: str = "application/json"
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return httpx.MockTransport(handler)


def adapter_for(
    make_adapter: MakeAdapter,
    status: int,
    body: bytes,
    content_type: str = "application/json",
    **settings: Any,
) -> KaptureAdapter:
    return make_adapter(answering(status, body, content_type), **settings)


@pytest.mark.parametrize(
    ("status", "body", "error", "field"),
    [
        (200, b'{"message": "Invalid Auth Key", "status": "failed"}', AuthFailed, None),
        (401, b'{"message": "Invalid Auth Key", "status": "failed"}', AuthFailed, None),
        (
            400,
            b'{"message": "No Data found/ticket_id is missing", "status": "failed"}',
            NotFound,
            None,
        ),
        (
            200,
            b'{"Message": "either start_date is null or blank", "Status": "failed"}',
            InvalidInput,
            "start_date",
        ),
        (200, b'{"message": "Invalid Json.", "status": "failed"}', InvalidInput, "request"),
        (500, b'{"message": "Something broke", "status": "failed"}', DeskUnavailable, None),
        (403, b'{"message": "Not yours", "status": "failed"}', AuthFailed, None),
    ],
)
async def test_failed_bodies_are_typed_whatever_the_status(
    make_adapter: MakeAdapter, status: int, body: bytes, error: type[Exception], field: str | None
) -> None:
    async with adapter_for(make_adapter, status, body) as adapter:
        with pytest.raises(error) as caught:
            await adapter.get_ticket("713516551148")
    if field is not None:
        assert isinstance(caught.value, InvalidInput) and caught.value.field == field


async def test_a_callback_format_refusal_names_the_field(make_adapter: MakeAdapter) -> None:
    body = (
        b'{"message": "Invalid Format.callback_date should be yyyy-MM-dd hh:mm:ss.", '
        b'"status": "failed"}'
    )
    async with adapter_for(make_adapter, 200, body) as adapter:
        with pytest.raises(InvalidInput) as caught:
            await adapter.call("update", [{"ticket_id": "1", "sub_status": "P"}])
    assert caught.value.field == "callback_time"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"totalCount": 3, "message": [{"ticketId": "7135', "application/json"),
        (b"<html><body><h1>Login</h1></body></html>", "text/html"),
        (b"", "application/json"),
    ],
)
async def test_malformed_answers(make_adapter: MakeAdapter, body: bytes, content_type: str) -> None:
    async with adapter_for(make_adapter, 200, body, content_type=content_type) as adapter:
        with pytest.raises(ProtocolError):
            await adapter.get_ticket("713516551148")


@pytest.mark.parametrize(
    "body",
    [
        b'{"totalCount": null, "message": 7, "status": "success"}',
        b'{"totalCount": null, "message": [{"ticketId": "1", "date": "someday"}], '
        b'"status": "success"}',
        b'[{"ticketId": "1"}]',
    ],
)
async def test_pull_answers_that_make_no_sense(make_adapter: MakeAdapter, body: bytes) -> None:
    async with adapter_for(make_adapter, 200, body, days=1) as adapter:
        with pytest.raises(ProtocolError):
            async for _ in adapter.list_tickets():
                pass


async def test_the_key_travels_as_given(make_adapter: MakeAdapter) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"totalCount": 0, "message": "No Data Found", "status": "success"}
        )

    async with make_adapter(httpx.MockTransport(handler), days=2) as adapter:
        pages = [page async for page in adapter.list_tickets()]
    assert [len(p.tickets) for p in pages] == [0] and pages[0].total == 0
    assert [r.url.path for r in seen] == [
        "/select-ticket-between-start-and-end-dates.html/v.2.0"
    ] * 2
    assert all(r.method == "POST" for r in seen)
    assert all(r.headers["authorization"] == f"Basic {API_KEY}" for r in seen)
    assert all(r.headers["content-type"] == "application/json" for r in seen)


async def test_get_without_the_ticket_is_not_found(make_adapter: MakeAdapter) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[])

    async with make_adapter(httpx.MockTransport(handler)) as adapter:
        with pytest.raises(NotFound):
            await adapter.get_ticket("713516551148")
        with pytest.raises(InvalidInput):
            await adapter.get_ticket("RRQ-1; drop")
