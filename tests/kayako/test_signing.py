"""Signing, URL shapes and status mapping of the Kayako adapter, against a recording
transport (what goes on the wire, byte for byte)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import pytest
from pydantic import ValidationError

from adapters.base import AuthFailed, DeskError, DeskUnavailable, InvalidInput, NotFound
from adapters.kayako import ADAPTER, KayakoAdapter, KayakoSettings, wire
from adapters.kayako.adapter import api_root, request_url, route_of, signature
from adapters.model import Change, HealthState, Visibility

SECRET = "s3cr3t+/=key"
KEY = "api-key-0123456789"
STATUSES = (
    '<?xml version="1.0" encoding="UTF-8"?><ticketstatuses><ticketstatus><id>1</id>'
    "<title>Open</title><markasresolved>0</markasresolved></ticketstatus></ticketstatuses>"
)


def test_signature_known_answer() -> None:
    # penguinboy/kayako-api's test vector, re-verified in the wire notes.
    secret = (
        "MDA4YzBiMWMtN2RiOC1hZTY0LTMxODgtMzE1MThjNmU5NDJlYTM1ZTgwY2YtYjA1ZS1jMzQ0LWY5MjktMzQ1"
        "ZjliMDA4ODIx"
    )
    assert signature(secret, "3777329113") == "gFhgQ1Gydk+DLsn6BnHO/eqs1KxPwqmlj2bRWfjFFYs="


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://help.example.com/api/index.php", "https://help.example.com/api/index.php"),
        ("https://help.example.com/api/", "https://help.example.com/api/index.php"),
        ("https://help.example.com/api", "https://help.example.com/api/index.php"),
        ("https://help.example.com/", "https://help.example.com/api/index.php"),
        ("https://help.example.com/admin", "https://help.example.com/admin/api/index.php"),
        ("https://h.example.com/api/index.php?e=/x", "https://h.example.com/api/index.php"),
    ],
)
def test_api_root(url: str, root: str) -> None:
    assert api_root(url) == root


def test_both_url_forms() -> None:
    route = route_of(["Tickets", "Ticket", "ListAll", "2,3", -1, 50, 0, "lastactivity", "DESC"])
    assert route == "/Tickets/Ticket/ListAll/2,3/-1/50/0/lastactivity/DESC"
    query = [("apikey", "k"), ("salt", "s"), ("signature", "a+b/c=")]
    assert request_url("http://x/api/index.php", route, "standard", query) == (
        "http://x/api/index.php?/Tickets/Ticket/ListAll/2,3/-1/50/0/lastactivity/DESC"
        "&apikey=k&salt=s&signature=a%2Bb%2Fc%3D"
    )
    assert request_url("http://x/api/index.php", "/Base/Staff", "query") == (
        "http://x/api/index.php?e=/Base/Staff"
    )
    # Segments are encoded: a mask cannot smuggle query parameters in.
    assert route_of(["Tickets", "Ticket", "A&b=c"]) == "/Tickets/Ticket/A%26b%3Dc"


def test_settings_validate_and_hide_secrets() -> None:
    settings = KayakoSettings(
        name="acme", vendor="kayako", url="https://x/api/", api_key=KEY, secret_key=SECRET
    )
    assert ADAPTER is KayakoAdapter
    assert KayakoAdapter.settings_class is KayakoSettings
    assert (settings.url_type, settings.departments, settings.staff_id) == ("standard", [], None)
    assert SECRET not in repr(settings) and KEY not in repr(settings)
    assert set(settings.secrets()) == {KEY, SECRET}
    with pytest.raises(ValidationError, match="secret_key"):
        KayakoSettings(name="a", vendor="kayako", url="https://u", api_key=KEY, secret_key=" ")
    with pytest.raises(ValidationError, match="url_type"):
        KayakoSettings.model_validate(
            {
                "name": "a",
                "vendor": "kayako",
                "url": "https://u",
                "api_key": KEY,
                "secret_key": SECRET,
                "url_type": "pretty",
            }
        )
    with pytest.raises(ValidationError, match="http"):
        KayakoSettings(
            name="a", vendor="kayako", url="support.example.com", api_key=KEY, secret_key=SECRET
        )
    with pytest.raises(ValidationError, match="departments"):
        KayakoSettings(
            name="a",
            vendor="kayako",
            url="https://u",
            api_key=KEY,
            secret_key=SECRET,
            departments=[0],
        )


class Recorder:
    """A transport that records requests and answers from a handler."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self.handler = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


def adapter_with(
    handler: Callable[[httpx.Request], httpx.Response], **overrides: Any
) -> tuple[KayakoAdapter, Recorder]:
    recorder = Recorder(handler)
    values: dict[str, Any] = {
        "name": "acme",
        "vendor": "kayako",
        "url": "https://help.example.com/api/index.php",
        "api_key": KEY,
        "secret_key": SECRET,
        "staff_id": 3,
    }
    values.update(overrides)
    adapter = KayakoAdapter(
        KayakoSettings.model_validate(values), transport=httpx.MockTransport(recorder)
    )
    return adapter, recorder


def xml_answer(body: str, status: int = 200) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, text=body, headers={"content-type": "text/xml"})


def assert_signed(params: dict[str, str]) -> None:
    assert params["apikey"] == KEY
    assert params["salt"]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), params["salt"].encode(), hashlib.sha256).digest()
    ).decode()
    assert params["signature"] == expected


@pytest.mark.parametrize("url_type", ["standard", "query"])
async def test_get_signs_in_the_query(url_type: str) -> None:
    adapter, recorder = adapter_with(xml_answer(STATUSES), url_type=url_type)
    async with adapter:
        statuses = await adapter.list_statuses()
        await adapter.list_statuses()
    assert [s.title for s in statuses] == ["Open"]
    request = recorder.requests[0]
    raw_query = request.url.query.decode()
    if url_type == "standard":
        assert raw_query.startswith("/Tickets/TicketStatus&")
    else:
        assert raw_query.startswith("e=/Tickets/TicketStatus&")
    params = dict(parse_qsl(raw_query, keep_blank_values=True))
    assert_signed(params)
    # A fresh salt for every request.
    second = dict(parse_qsl(recorder.requests[1].url.query.decode()))
    assert second["salt"] != params["salt"]
    assert request.method == "GET" and not request.content


async def test_post_signs_in_the_form_body_never_the_query() -> None:
    note = (
        '<?xml version="1.0" encoding="UTF-8"?><notes><note type="ticket" id="5" ticketid="9" '
        'creatorstaffid="3" creatorstaffname="Ann" creationdate="1670974143">'
        "<![CDATA[hi & bye]]></note></notes>"
    )
    adapter, recorder = adapter_with(xml_answer(note))
    async with adapter:
        post = await adapter.add_post("9", "hi & bye", Visibility.PRIVATE)
    assert post.body == "hi & bye"
    request = recorder.requests[0]
    assert request.method == "POST"
    assert request.url.query.decode() == "/Tickets/TicketNote"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = dict(parse_qsl(request.content.decode()))
    assert_signed(form)
    assert (form["ticketid"], form["contents"], form["staffid"]) == ("9", "hi & bye", "3")
    # The signature's + / = are percent-encoded in the body.
    encoded = dict(pair.split("=", 1) for pair in request.content.decode().split("&"))
    assert unquote(encoded["signature"]) == form["signature"]
    assert "+" not in encoded["signature"] and "/" not in encoded["signature"]


@pytest.mark.parametrize(
    ("status", "body", "error", "text"),
    [
        (401, "FAILED TO AUTHENTICATE", AuthFailed, "FAILED TO AUTHENTICATE"),
        (401, "NO SALT PROVIDED!: Get", AuthFailed, "NO SALT PROVIDED!"),
        (403, "", AuthFailed, "REST API is disabled"),
        (404, "Ticket not Found", NotFound, "Ticket not Found"),
        (400, "Department ID is Invalid", InvalidInput, "Department ID is Invalid"),
        (500, "Fatal error", DeskUnavailable, "HTTP 500"),
        (503, "busy", DeskUnavailable, "503"),
        (405, "Method Not Allowed", DeskError, "HTTP 405"),
        (302, "", DeskError, "redirects"),
    ],
)
async def test_status_codes_become_typed_errors(
    status: int, body: str, error: type[DeskError], text: str
) -> None:
    adapter, _ = adapter_with(xml_answer(body, status))
    adapter.http.max_retries = 0
    async with adapter:
        with pytest.raises(error) as caught:
            await adapter.list_statuses()
    assert text in str(caught.value)
    assert caught.value.connection == "acme"
    assert KEY not in str(caught.value) and SECRET not in str(caught.value)
    if isinstance(caught.value, InvalidInput):
        assert caught.value.field == "group_id"


async def test_health_check_reports_instead_of_raising() -> None:
    adapter, _ = adapter_with(xml_answer("FAILED TO AUTHENTICATE", 401))
    async with adapter:
        health = await adapter.check()
    assert health.state is HealthState.AUTH_FAILED
    assert "FAILED TO AUTHENTICATE" in health.message
    assert health.latency_ms is not None and health.connection == "acme"

    adapter, _ = adapter_with(xml_answer("<html>oops"))
    async with adapter:
        health = await adapter.check()
    assert health.state is HealthState.ERROR and "malformed" in health.message

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    adapter, _ = adapter_with(refuse)
    adapter.http.max_retries = 0
    async with adapter:
        health = await adapter.check()
    assert health.state is HealthState.UNREACHABLE

    adapter, _ = adapter_with(xml_answer(STATUSES))
    async with adapter:
        health = await adapter.check()
    assert (health.state, health.message) == (HealthState.OK, "1 ticket statuses")


async def test_writes_are_not_repeated_but_puts_are() -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(502, text="bad gateway")

    adapter, _ = adapter_with(flaky)
    adapter.http._sleep = _no_sleep
    adapter.catalog.set(wire.Catalog())  # no lookups needed for this
    async with adapter:
        with pytest.raises(DeskUnavailable):
            await adapter.add_post("9", "once only", Visibility.PUBLIC)
        assert calls == ["POST"]
        calls.clear()
        with pytest.raises(DeskUnavailable):
            await adapter.update("9", Change(subject="absolute value"))
        assert calls == ["PUT"] * (adapter.http.max_retries + 1)


async def _no_sleep(seconds: float) -> None:
    return None


async def test_replies_need_a_staff_id() -> None:
    adapter, recorder = adapter_with(xml_answer(STATUSES), staff_id=None)
    async with adapter:
        for visibility in Visibility:
            with pytest.raises(InvalidInput) as caught:
                await adapter.add_post("9", "hello", visibility)
            assert caught.value.field == "staff_id"
            assert "acme" in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("bad", ["", "  ", "12 3", "../Base/Staff", "1&apikey=x"])
async def test_ticket_ids_are_checked_before_sending(bad: str) -> None:
    adapter, recorder = adapter_with(xml_answer(STATUSES))
    async with adapter:
        with pytest.raises(InvalidInput) as caught:
            await adapter.get_ticket(bad)
    assert caught.value.field == "ticket_id"
    assert recorder.requests == []
