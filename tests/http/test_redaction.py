"""Secrets never reach an error message, a log line (ours or httpx's) or ``describe()``:
not as given, not URL-encoded, not plus-encoded, not inside a Basic header."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest

from adapters.base import DeskError, DeskUnavailable, RateLimited
from adapters.http import REDACTED, Redactor

API_KEY = "a1b2c3d4-e5f6/api+key=&? x"  # every character a URL encoder treats specially
SECRET_KEY = "Sup3r/Secret+Key=="
PASSWORD = "hunter2&pass word"
CLIENT_SECRET = "cs-9f8e7d6c5b4a"  # never given to the client: only its name gives it away
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
SALT = "5f2b9c0e7a1d"
SIGNATURE = base64.b64encode(
    hmac.new(SECRET_KEY.encode(), SALT.encode(), hashlib.sha256).digest()
).decode()
BASIC = base64.b64encode(f"agent@example.com:{PASSWORD}".encode()).decode()
SECRETS = [API_KEY, SECRET_KEY, PASSWORD]

# Kayako Classic signs every request in its query string, in either URL form.
SIGNED_QUERY = (
    f"https://desk.example/api/index.php?e=/Tickets/Ticket/42&apikey={quote(API_KEY, safe='')}"
    f"&salt={SALT}&signature={quote(SIGNATURE, safe='')}"
)
SIGNED_STANDARD = (
    f"https://desk.example/api/index.php?/Tickets/Ticket/42&apikey={quote_plus(API_KEY)}"
    f"&salt={SALT}&signature={quote_plus(SIGNATURE)}"
)


def forms(value: str) -> set[str]:
    return {value, quote(value, safe=""), quote(value), quote_plus(value)}


FORBIDDEN = set().union(
    *(forms(v) for v in [API_KEY, SECRET_KEY, PASSWORD, CLIENT_SECRET, TOKEN, SIGNATURE, BASIC])
)


def assert_clean(text: str) -> None:
    leaked = [secret for secret in FORBIDDEN if secret in text]
    assert not leaked, f"secret {leaked} in {text!r}"


def echo_everything(status: int) -> Any:
    """A desk that echoes the whole request (URL, headers, body) into its error page."""

    def desk(request: httpx.Request) -> httpx.Response:
        body = (
            f"bad request {request.url} headers={dict(request.headers)!r} "
            f"body={request.content!r} raw key {API_KEY} basic {BASIC} "
            f'json {{"access_token": "{TOKEN}", "password": "{PASSWORD}"}}'
        )
        return httpx.Response(status, text=body)

    return desk


def fail_with_url(exception: type[httpx.RequestError]) -> Any:
    def desk(request: httpx.Request) -> httpx.Response:
        raise exception(f"cannot reach {request.url} ({request.content!r})", request=request)

    return desk


@pytest.mark.parametrize("url", [SIGNED_QUERY, SIGNED_STANDARD])
async def test_transport_error_message_is_redacted(make_http: Any, url: str) -> None:
    http, _ = make_http(transport=httpx.MockTransport(fail_with_url(httpx.ConnectError)))
    http.redact.add(API_KEY)  # as an adapter does with the connection's secrets

    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", url)

    message = str(raised.value)
    assert_clean(message)
    assert f"apikey={REDACTED}" in message
    assert f"signature={REDACTED}" in message
    assert "/Tickets/Ticket/42" in message  # the route is still there to read
    assert raised.value.connection == "acme"


async def test_signed_params_are_redacted_even_when_the_key_is_unknown(make_http: Any) -> None:
    # No secrets given: the parameter names alone give the values away.
    http, _ = make_http(transport=httpx.MockTransport(fail_with_url(httpx.ReadTimeout)))
    params = {"e": "/Tickets/Ticket/42", "apikey": API_KEY, "salt": SALT, "signature": SIGNATURE}
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "", params=params)
    assert_clean(str(raised.value))
    assert SALT not in str(raised.value)


async def test_rate_limited_message_is_redacted(make_http: Any) -> None:
    http, _ = make_http([429], secrets=SECRETS, max_retries=1)
    with pytest.raises(RateLimited) as raised:
        await http.request("GET", SIGNED_QUERY)
    assert_clean(str(raised.value))
    assert "rate limited" in str(raised.value)


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_error_body_excerpt_is_redacted(make_http: Any, status: int) -> None:
    http, _ = make_http(
        transport=httpx.MockTransport(echo_everything(status)),
        secrets=SECRETS,
        headers={"Authorization": f"Basic {BASIC}"},
        max_retries=0,
    )
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", SIGNED_QUERY)
    message = str(raised.value)
    assert_clean(message)
    assert f"HTTP {status} bad request" in message


async def test_form_body_secrets_are_redacted(make_http: Any) -> None:
    http, _ = make_http(
        transport=httpx.MockTransport(fail_with_url(httpx.ReadError)), secrets=SECRETS
    )
    form = {
        "grant_type": "client_credentials",
        "client_secret": CLIENT_SECRET,
        "password": PASSWORD,
    }
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("POST", "/auth/token", data=form)
    message = str(raised.value)
    assert_clean(message)
    assert "grant_type=client_credentials" in message
    assert "may have applied" in message


async def test_basic_auth_header_value_is_a_secret(make_http: Any) -> None:
    # The desk echoes the bare base64 credential, with no header name to hint at it.
    http, _ = make_http(
        transport=httpx.MockTransport(echo_everything(503)),
        headers={"Authorization": f"Basic {BASIC}"},
        max_retries=0,
    )
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/Tickets")
    assert BASIC not in str(raised.value)


async def test_basic_auth_object_is_redacted(make_http: Any) -> None:
    seen: list[str] = []

    def desk(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(503, text=f"you sent {request.headers['Authorization'].split()[1]}")

    http, _ = make_http(
        transport=httpx.MockTransport(desk),
        auth=httpx.BasicAuth("agent@example.com", PASSWORD),
        max_retries=0,
    )
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/Tickets")
    assert seen == [f"Basic {BASIC}"]  # the auth really went out
    assert_clean(str(raised.value))
    assert "you sent ***" in str(raised.value)


async def test_per_request_bearer_header_is_redacted(make_http: Any) -> None:
    def desk(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text=f"token {TOKEN} rejected")

    http, _ = make_http(transport=httpx.MockTransport(desk), max_retries=0)
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/Tickets", headers={"Authorization": f"Bearer {TOKEN}"})
    assert TOKEN not in str(raised.value)


async def test_no_log_record_holds_a_secret(make_http: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    desks = [
        (fail_with_url(httpx.ConnectError), "GET", SIGNED_QUERY),
        (fail_with_url(httpx.ReadTimeout), "POST", SIGNED_STANDARD),
        (echo_everything(503), "GET", SIGNED_STANDARD),
        (echo_everything(429), "GET", SIGNED_QUERY),
        (echo_everything(200), "GET", SIGNED_QUERY),
        (echo_everything(404), "PUT", SIGNED_STANDARD),
    ]
    for handler, method, url in desks:
        http, _ = make_http(
            transport=httpx.MockTransport(handler),
            secrets=SECRETS,
            headers={"Authorization": f"Basic {BASIC}"},
            max_retries=1,
        )
        try:
            await http.request(method, url, data={"client_secret": CLIENT_SECRET})
        except DeskError as error:
            assert_clean(str(error))

    names = {record.name for record in caplog.records}
    assert {"httpx", "triage.http"} <= names  # httpx's own request lines are covered too
    for record in caplog.records:
        assert_clean(record.getMessage())
    assert_clean(caplog.text)
    httpx_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any(f"apikey={REDACTED}" in line for line in httpx_lines)


async def test_httpx_and_httpcore_loggers_are_filtered(make_http: Any, caplog: Any) -> None:
    # The filter knows the secrets of every live client (kept alive here by the name).
    http, _ = make_http(secrets=SECRETS)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").info("HTTP Request: GET %s", SIGNED_QUERY)
    logging.getLogger("httpcore.http11").debug(
        "receive_response_headers.complete return_value=%r",
        [(b"Set-Cookie", b"session=" + TOKEN.encode()), (b"Authorization", BASIC.encode())],
    )
    logging.getLogger("httpx").info("the password is %s", PASSWORD)
    assert len(caplog.records) == 3
    for record in caplog.records:
        assert_clean(record.getMessage())
    assert caplog.records[2].getMessage() == f"the password is {REDACTED}"
    await http.aclose()


async def test_unformattable_log_record_does_not_raise_or_leak(make_http: Any, caplog: Any) -> None:
    http, _ = make_http(secrets=SECRETS)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").info("two %s %s", API_KEY)  # one argument short
    assert len(caplog.records) == 1
    assert "unformattable" in caplog.records[0].getMessage()
    assert_clean(caplog.text)
    await http.aclose()


@pytest.mark.parametrize("url", [SIGNED_QUERY, SIGNED_STANDARD])
async def test_describe_is_redacted(make_http: Any, url: str) -> None:
    http, _ = make_http(secrets=SECRETS)
    request = http.client.build_request("GET", url)
    described = http.describe("GET", request, url)
    assert_clean(described)
    assert described.startswith("GET https://desk.example/api/index.php?")
    assert_clean(http.describe("GET", None, url))


def test_redactor_replaces_every_encoding_of_a_known_secret() -> None:
    redact = Redactor([API_KEY])
    for form in forms(API_KEY) | {str(httpx.QueryParams({"k": API_KEY}))[2:]}:
        assert redact(f"before {form} after") == f"before {REDACTED} after"


@pytest.mark.parametrize(
    "text",
    [
        "?apikey=abc123&e=/x",
        "&signature=Zm9vYmFy%2B%3D",
        "token=t0k3n",
        "access_token=xyz&refresh_token=abc",
        "client_secret=qqq",
        "session_id=s1",
        "_KAPTURECRM_SESSION=sss",
        '{"access_token": "xyz"}',
        "{'password': 'xyz'}",
        "Authorization: Basic dXNlcjpwYXNz",
        "{'authorization': 'Bearer xyz'}",
        "Cookie: JSESSIONID=xyz; other=1",
        "X-Api-Key: xyz",
        "[(b'Authorization', b'Basic xyz')]",
        "sent Bearer xyz.abc",
        "https://agent:xyz@desk.example/",
    ],
)
def test_redactor_finds_unknown_credentials_by_name(text: str) -> None:
    redacted = Redactor()(text)
    assert REDACTED in redacted
    for value in ("abc123", "Zm9vYmFy", "t0k3n", "xyz", "qqq", "s1", "sss", "dXNlcjpwYXNz"):
        assert value not in redacted, redacted


@pytest.mark.parametrize(
    "text",
    [
        "GET https://desk.example/api/index.php?e=/Tickets/Ticket/42&departmentid=3",
        "status=open&priority=high",
        "Authorization failed for this staff member",
        "a normal sentence with key words like token and secret",
        '{"subject": "Printer on fire", "status": "open"}',
    ],
)
def test_redactor_leaves_innocent_text_alone(text: str) -> None:
    assert Redactor(["unrelated-secret"])(text) == text


def test_redactor_ignores_very_short_values() -> None:
    # A three-letter "secret" would blank out ordinary words everywhere.
    assert Redactor(["abc"])("abc def") == "abc def"


def test_redactor_repr_shows_no_secret() -> None:
    assert API_KEY not in repr(Redactor([API_KEY]))


async def test_error_text_from_the_desk_is_cleaned(make_http: Any) -> None:
    hostile = (
        "<html><body><h1>Bad\x1b]52;c;ZXZpbA==\x07 gateway</h1>\n"
        "<p>[bold]x[/bold]</p></body></html>"
    )
    http, _ = make_http([httpx.Response(502, text=hostile)], max_retries=0)
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/")
    message = str(raised.value)
    assert "\x1b" not in message
    assert "\x07" not in message
    assert "\n" not in message
    assert "<h1>" not in message
    assert "HTTP 502 Bad gateway [bold]x[/bold]" in message


async def test_long_error_body_is_cut_after_redaction(make_http: Any) -> None:
    # The secret straddles the cut: it must be redacted whole, not half shown.
    body = "x" * 195 + " " + API_KEY + " " + "y" * 500
    http, _ = make_http([httpx.Response(503, text=body)], secrets=SECRETS, max_retries=0)
    with pytest.raises(DeskUnavailable) as raised:
        await http.request("GET", "/")
    message = str(raised.value)
    assert API_KEY[:5] not in message
    assert message.count("x") >= 195
    assert "y" * 300 not in message
