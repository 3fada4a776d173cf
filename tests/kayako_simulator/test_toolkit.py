"""The shared simulator toolkit (adapters.simulation): requests, ASGI plumbing, serving."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import socket
from typing import Any

import httpx
import pytest

from adapters.kayako.simulator import API_KEY, SECRET_KEY, create_app
from adapters.simulation import (
    Message,
    ServerThread,
    SimRequest,
    SimResponse,
    asgi_app,
    mount,
    request_from_scope,
)


def sign(salt: str) -> str:
    """The test's own signature: base64(HMAC-SHA256(secret, salt))."""
    digest = hmac.new(SECRET_KEY.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_request_parses_urlencoded_and_multipart_forms() -> None:
    form = SimRequest(
        method="POST",
        path="/x",
        headers={"content-type": "application/x-www-form-urlencoded"},
        body=b"a=1&b=two+words&a=3&empty=",
    )
    assert form.form() == [("a", "1"), ("b", "two words"), ("a", "3"), ("empty", "")]

    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="subject"\r\n\r\n'
        f'Héllo\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nline\r\n--{boundary}--\r\n'
    ).encode()
    multipart = SimRequest(
        method="POST",
        path="/x",
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        body=body,
    )
    assert multipart.form() == [("subject", "Héllo"), ("file", "line")]
    # Other bodies are not forms, but can still be read as a query string.
    text = SimRequest(method="POST", path="/x", headers={"content-type": "text/plain"}, body=b"q=1")
    assert text.form() == []
    assert text.urlencoded_body() == [("q", "1")]


def test_request_json_auth_headers_and_query() -> None:
    token = base64.b64encode(b"user@example.com:s3cret:with:colons").decode()
    request = SimRequest(
        method="GET",
        path="/x",
        query=(("a", "1"), ("b", "")),
        headers={"authorization": f"Basic {token}", "content-type": "application/json; x=y"},
        body=b'{"k": [1, 2]}',
    )
    assert request.json() == {"k": [1, 2]}
    assert request.basic_auth() == ("user@example.com", "s3cret:with:colons")
    assert request.bearer_token() is None
    assert request.content_type == "application/json"
    assert request.query_value("b") == ""
    assert request.query_value("missing") is None
    assert request.header("Content-Type") == "application/json; x=y"
    bearer = SimRequest(method="GET", path="/", headers={"authorization": "Bearer abc"})
    assert bearer.bearer_token() == "abc"
    assert bearer.basic_auth() is None
    broken = SimRequest(method="GET", path="/", headers={"authorization": "Basic !!!"})
    assert broken.basic_auth() is None


def test_request_from_scope_joins_repeated_headers() -> None:
    scope = {
        "type": "http",
        "method": "get",
        "path": "/p",
        "query_string": b"x=1&x=2",
        "headers": [(b"X-A", b"1"), (b"x-a", b"2")],
        "client": ("10.0.0.1", 5555),
        "root_path": "/kayako",
    }
    request = request_from_scope(scope, b"")
    assert request.method == "GET"
    assert request.headers["x-a"] == "1, 2"
    assert request.query == (("x", "1"), ("x", "2"))
    assert request.client == ("10.0.0.1", 5555)
    assert request.root_path == "/kayako"


async def test_asgi_app_handles_lifespan_messages() -> None:
    app = asgi_app(lambda request: SimResponse.text(200, "ok"))
    incoming: asyncio.Queue[Message] = asyncio.Queue()
    sent: list[Message] = []
    await incoming.put({"type": "lifespan.startup"})
    await incoming.put({"type": "lifespan.shutdown"})

    async def receive() -> Message:
        return await incoming.get()

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


async def test_asgi_app_serves_sync_and_async_handlers_and_contains_crashes() -> None:
    async def slow(request: SimRequest) -> SimResponse:
        return SimResponse.json({"path": request.path, "method": request.method}, status=201)

    def crash(request: SimRequest) -> SimResponse:
        raise RuntimeError("boom")

    def echo(request: SimRequest) -> SimResponse:
        return SimResponse(
            200, request.body, content_type="application/octet-stream", headers=[("X-Echo", "1")]
        )

    apps = {"a": asgi_app(slow), "b": asgi_app(crash), "c": asgi_app(echo, latency=(0.0, 0.0))}
    transport = httpx.ASGITransport(app=mount(apps))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        first = await client.put("/a/deep/path?x=1")
        assert first.status_code == 201
        assert first.json() == {"path": "/deep/path", "method": "PUT"}
        crashed = await client.get("/b/anything")
        assert crashed.status_code == 500
        assert crashed.text == "Internal Server Error"
        echoed = await client.post("/c/", content=b"\x00\x01bytes")
        assert echoed.content == b"\x00\x01bytes"
        assert echoed.headers["x-echo"] == "1"
        assert echoed.headers["content-length"] == "7"
        unknown = await client.get("/zzz/api")
        assert unknown.status_code == 404
        assert "/a, /b, /c" in unknown.text


async def test_mount_sets_root_path_for_the_child() -> None:
    seen: dict[str, Any] = {}

    def record(request: SimRequest) -> SimResponse:
        seen["path"], seen["root"] = request.path, request.root_path
        return SimResponse.text(200, "")

    transport = httpx.ASGITransport(app=mount({"/kayako/": asgi_app(record)}))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        await client.get("/kayako/api/index.php")
    assert seen == {"path": "/api/index.php", "root": "/kayako"}


def test_latency_bounds_are_validated() -> None:
    with pytest.raises(ValueError, match="latency"):
        asgi_app(lambda request: SimResponse(), latency=(0.2, 0.1))


@pytest.mark.loopback
def test_server_thread_serves_a_simulator_on_a_loopback_port() -> None:
    app = mount({"kayako": create_app(tickets=20, seed=3)})
    with ServerThread(app) as server:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        salt = "42"
        params = {"e": "/Base/Department", "apikey": API_KEY, "salt": salt}
        params["signature"] = sign(salt)
        response = httpx.get(f"{server.base_url}/kayako/api/index.php", params=params)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/xml;charset=UTF-8"
        assert "<departments>" in response.text
        port = server.port
    # Stopped: nothing listens on the port any more.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
