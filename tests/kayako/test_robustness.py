"""The adapter against what sits between it and a real desk: proxies answering HTML pages,
bodies that echo credentials, servers that ignore paging, and installs in debug mode that
print PHP notices before their XML (every simulated desk here has the notices switched on)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable

import httpx
import pytest

from adapters.base import AuthFailed, NotFound, ProtocolError
from adapters.kayako import KayakoAdapter, KayakoSettings
from adapters.kayako.simulator import API_KEY, SECRET_KEY, create_app
from adapters.model import TicketQuery, Visibility
from adapters.simulation import ASGIApp

CONN = "kayako-robust"
BASE_URL = "https://desk.example/api/index.php"

NGINX_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in</title></head>"
    b"<body><form action='/login'><input name='user'></form></body></html>"
)
_TAG = re.compile(r"</?(?:!doctype|html|head|title|body|form|input|center|h1|hr)\b", re.IGNORECASE)


def _answering(status: int, body: bytes, content_type: str) -> KayakoAdapter:
    settings = KayakoSettings.model_validate(
        {
            "name": CONN,
            "vendor": "kayako",
            "url": BASE_URL,
            "api_key": API_KEY,
            "secret_key": SECRET_KEY,
            "rate_limit": 10_000,
        }
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return KayakoAdapter(settings, transport=httpx.MockTransport(handler))


async def test_a_proxy_error_page_is_shown_as_its_text() -> None:
    async with _answering(404, NGINX_404, "text/html") as adapter:
        with pytest.raises(NotFound) as caught:
            await adapter.list_statuses()
    assert "404 Not Found nginx" in caught.value.message
    assert not _TAG.search(caught.value.message)


async def test_a_login_page_instead_of_xml_is_a_protocol_error_naming_the_page() -> None:
    async with _answering(200, LOGIN_PAGE, "text/html") as adapter:
        with pytest.raises(ProtocolError) as caught:
            await adapter.list_statuses()
    assert "got an HTML page: 'Sign in'" in caught.value.message
    assert not _TAG.search(caught.value.message)


async def test_a_non_xml_answer_echoing_the_credentials_is_quoted_redacted() -> None:
    body = f"Bad request for /api/index.php?apikey={API_KEY} key {SECRET_KEY}".encode()
    async with _answering(200, body, "text/plain") as adapter:
        with pytest.raises(ProtocolError) as caught:
            await adapter.list_statuses()
    assert "got text" in caught.value.message
    assert API_KEY not in str(caught.value)
    assert SECRET_KEY[:20] not in str(caught.value)


async def test_an_error_body_cannot_smuggle_a_secret_past_redaction_with_a_control() -> None:
    # Cleaning removes the escape sequence; it must not re-join a secret already checked.
    split = f"{SECRET_KEY[:10]}\x1b[0m{SECRET_KEY[10:]}"
    body = f"FAILED TO AUTHENTICATE {split}".encode()
    async with _answering(401, body, "text/plain") as adapter:
        with pytest.raises(AuthFailed) as caught:
            await adapter.list_statuses()
    assert "FAILED TO AUTHENTICATE" in caught.value.message
    assert SECRET_KEY[:20] not in str(caught.value)


class _IgnoresOffset(httpx.AsyncBaseTransport):
    """A server older than the paging fix that honours ``count`` but not ``start`` and has
    no ``GetTicketCount``: every page is the first one again."""

    def __init__(self, app: ASGIApp) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.list_calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if "/GetTicketCount/" in url:
            return httpx.Response(404, text="Not Found", request=request)
        if "/ListAll/" in url:
            self.list_calls += 1
            # .../ListAll/dept/status/owner/user/count/START/sort/order
            url = re.sub(r"(/ListAll/[^/]+/[^/]+/[^/]+/[^/]+/\d+/)\d+/", r"\g<1>0/", url)
            request = httpx.Request(
                request.method, url, headers=request.headers, content=request.content
            )
        return await self.inner.handle_async_request(request)


async def test_listing_ends_when_the_server_ignores_the_offset(sim_app: ASGIApp) -> None:
    transport = _IgnoresOffset(sim_app)
    settings = KayakoSettings.model_validate(
        {
            "name": CONN,
            "vendor": "kayako",
            "url": BASE_URL,
            "api_key": API_KEY,
            "secret_key": SECRET_KEY,
            "rate_limit": 10_000,
        }
    )
    keys: list[str] = []
    pages = 0
    async with KayakoAdapter(settings, transport=transport) as adapter:
        async for page in adapter.list_tickets(TicketQuery(page_size=10)):
            keys += [ticket.key.native_id for ticket in page.tickets]
            pages += 1
            if pages > 20:  # without the guard the listing never ends
                break
    assert pages == 2  # the first page, then the repeat that shows the offset is ignored
    assert len(keys) == len(set(keys)) == 10
    assert transport.list_calls == 2


async def test_a_custom_field_without_title_is_labelled_by_its_cleaned_name() -> None:
    # A right-to-left override is legal XML, so it survives parsing; the label must not
    # carry it (the key keeps it: the desk wants its field name back as it is).
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><customfields>'
        '<group id="1" title="G"><field id="9" type="1" name="ab\u202ecd" title="">'
        "v</field></group></customfields>"
    ).encode()
    async with _answering(200, body, "text/xml") as adapter:
        fields = await adapter.get_custom_fields("1")
    (field,) = fields
    assert field.label == "abcd"
    assert field.key == "ab\u202ecd"


@pytest.fixture
def sim_app() -> ASGIApp:
    """The conftest's desk, on an install in debug mode: PHP notices before the XML."""
    return create_app(tickets=120, seed=7, php_notices=True)


async def test_tickets_whose_answer_starts_with_a_php_notice_still_read(
    make_adapter: Callable[..., KayakoAdapter], sim_app: ASGIApp
) -> None:
    # With this seed the notice comes before tickets 15, 29, 96 and 112; every ticket reads.
    signature = base64.b64encode(hmac.new(SECRET_KEY.encode(), b"1", hashlib.sha256).digest())
    auth = {"apikey": API_KEY, "salt": "1", "signature": signature.decode()}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app)) as raw:
        answer = await raw.get(BASE_URL, params={"e": "/Tickets/Ticket/15", **auth})
    assert answer.text.startswith("<br />\n<b>Notice</b>:  Undefined offset: 1")
    async with make_adapter(sim_app) as adapter:
        keys = []
        async for page in adapter.list_tickets(TicketQuery(page_size=500)):
            keys += [ticket.key.native_id for ticket in page.tickets]
        assert {"15", "29", "96", "112"} <= set(keys)
        for native_id in keys:
            detail = await adapter.get_ticket(native_id)
            assert detail.ticket.key.native_id == native_id
        post = await adapter.add_post("15", "Noticed and read", Visibility.PUBLIC)
        assert post.body == "Noticed and read"
