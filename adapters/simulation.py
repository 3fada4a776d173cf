"""A tiny ASGI toolkit shared by the vendor simulators.

A simulator is a plain function ``handler(SimRequest) -> SimResponse`` (sync or async).
This module turns it into an ASGI application (:func:`asgi_app`), mounts several of them
under path prefixes (:func:`mount`), and serves any ASGI app on a loopback port from a
background thread (:class:`ServerThread`, uvicorn). The same app object works in-process
through ``httpx.ASGITransport`` and over a real socket, so the demo, the CLI's
``triage simulate`` and the contract tests all talk to identical code.

No web framework: the simulators must control every byte of their responses (header
spelling, content types, bodies that are not what the content type says) to be faithful
to the vendors they imitate.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.parser
import email.policy
import inspect
import json as jsonlib
import logging
import random
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import uvicorn

log = logging.getLogger("triage.simulation")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART_FORM = "multipart/form-data"


@dataclass(frozen=True)
class SimRequest:
    """One HTTP request as a simulator sees it.

    ``path`` is relative to the mount point (``root_path`` holds the prefix); ``query``
    keeps every pair in order, blank values included; header names are lower-case.
    """

    method: str
    path: str
    query_string: str = ""
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    root_path: str = ""
    client: tuple[str, int] | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ("" when absent)."""
        raw = self.headers.get("content-type", "")
        return raw.split(";", 1)[0].strip().lower()

    def query_value(self, name: str) -> str | None:
        """The first value of query parameter ``name``."""
        for key, value in self.query:
            if key == name:
                return value
        return None

    def form(self) -> list[tuple[str, str]]:
        """Form fields of an urlencoded or multipart body, in order; [] for other bodies.

        Multipart file parts are returned with their content decoded as UTF-8 (with
        replacement): simulators only need the text fields and small test uploads.
        """
        ctype = self.content_type
        if ctype == FORM_URLENCODED:
            return self.urlencoded_body()
        if ctype == MULTIPART_FORM:
            return _parse_multipart(self.headers.get("content-type", ""), self.body)
        return []

    def urlencoded_body(self) -> list[tuple[str, str]]:
        """The body parsed as ``a=b&c=d`` whatever its content type says."""
        text = self.body.decode("utf-8", errors="replace")
        return parse_qsl(text, keep_blank_values=True)

    def json(self) -> Any:
        """The body decoded as JSON; raises ValueError when it is not JSON."""
        return jsonlib.loads(self.body.decode("utf-8"))

    def basic_auth(self) -> tuple[str, str] | None:
        """(user, password) from an ``Authorization: Basic`` header, else None."""
        raw = self.headers.get("authorization", "")
        scheme, _, token = raw.partition(" ")
        if scheme.lower() != "basic" or not token:
            return None
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        if not sep:
            return None
        return user, password

    def bearer_token(self) -> str | None:
        """The token of an ``Authorization: Bearer`` header, else None."""
        raw = self.headers.get("authorization", "")
        scheme, _, token = raw.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()


@dataclass
class SimResponse:
    """What a simulator answers. ``content_type`` is sent verbatim (None: no header)."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: Sequence[tuple[str, str]] = ()

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body

    @classmethod
    def text(cls, status: int, body: str) -> SimResponse:
        return cls(status=status, body=body, content_type="text/plain; charset=utf-8")

    @classmethod
    def json(
        cls, payload: Any, status: int = 200, headers: Sequence[tuple[str, str]] = ()
    ) -> SimResponse:
        return cls(
            status=status,
            body=jsonlib.dumps(payload, ensure_ascii=False),
            content_type="application/json",
            headers=headers,
        )


Handler = Callable[[SimRequest], "SimResponse | Awaitable[SimResponse]"]


def _parse_multipart(content_type: str, body: bytes) -> list[tuple[str, str]]:
    # The stdlib email parser handles boundaries, quoting and transfer encodings, which is
    # all a form post needs; building the MIME preamble from the request header suffices.
    preamble = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(preamble + body)
    fields: list[tuple[str, str]] = []
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields.append((name, data.decode("utf-8", errors="replace")))
    return fields


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    # The simulators hold no resources, so startup and shutdown always succeed.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def send_response(send: Send, response: SimResponse) -> None:
    body = response.body_bytes()
    headers: list[tuple[bytes, bytes]] = []
    if response.content_type is not None:
        headers.append((b"content-type", response.content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(body)).encode("ascii")))
    for name, value in response.headers:
        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def request_from_scope(scope: Scope, body: bytes) -> SimRequest:
    raw_query = scope.get("query_string", b"")
    query_string = raw_query.decode("latin-1") if isinstance(raw_query, bytes) else ""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    client = scope.get("client")
    return SimRequest(
        method=str(scope.get("method", "GET")).upper(),
        path=str(scope.get("path", "/")),
        query_string=query_string,
        query=tuple(parse_qsl(query_string, keep_blank_values=True)),
        headers=headers,
        body=body,
        root_path=str(scope.get("root_path", "")),
        client=(str(client[0]), int(client[1])) if client else None,
    )


def asgi_app(
    handler: Handler, *, latency: tuple[float, float] | None = None, seed: int = 0
) -> ASGIApp:
    """Wrap ``handler`` as an ASGI app.

    ``latency`` = (low, high) seconds: each request waits a uniformly drawn delay first
    (drawn from a ``random.Random(seed)``, so a run's delays are reproducible). A handler
    that raises yields a plain 500, as a crashing server would, and is logged.
    """
    if latency is not None and not 0 <= latency[0] <= latency[1]:
        raise ValueError(f"latency must be (low, high) with 0 <= low <= high, got {latency}")
    rng = random.Random(seed)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":
            # Websockets are not part of any simulated desk: refuse the handshake.
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1003})
            return
        body = await _read_body(receive)
        request = request_from_scope(scope, body)
        if latency is not None:
            await asyncio.sleep(rng.uniform(latency[0], latency[1]))
        try:
            result = handler(request)
            response = await result if inspect.isawaitable(result) else result
        except Exception:
            log.exception("simulator handler failed for %s %s", request.method, request.path)
            response = SimResponse.text(500, "Internal Server Error")
        await send_response(send, response)

    return app


def mount(apps: Mapping[str, ASGIApp]) -> ASGIApp:
    """One ASGI app dispatching on the first path segment.

    ``/kayako/api/index.php`` reaches ``apps["kayako"]`` with path ``/api/index.php`` and
    ``root_path`` extended by ``/kayako``. Unknown prefixes get a plain 404. Lifespan
    events are answered here (the simulators have no startup work of their own).
    """
    table = {name.strip("/"): app for name, app in apps.items()}

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path = str(scope.get("path", "/"))
        first, _, rest = path.lstrip("/").partition("/")
        child = table.get(first)
        if child is None:
            if scope["type"] == "http":
                await _read_body(receive)
                known = ", ".join(f"/{name}" for name in sorted(table))
                await send_response(
                    send, SimResponse.text(404, f"Not Found (simulators: {known})\n")
                )
            return
        child_scope = dict(scope)
        child_scope["path"] = "/" + rest
        child_scope["raw_path"] = ("/" + rest).encode("utf-8")
        child_scope["root_path"] = str(scope.get("root_path", "")) + "/" + first
        await child(child_scope, receive, send)

    return dispatch


class ServerThread:
    """Serve an ASGI app with uvicorn on ``host:port`` from a daemon thread.

    ``port=0`` picks a free port; :attr:`port` and :attr:`base_url` are valid once
    :meth:`start` (or ``with``) returns. :meth:`stop` asks uvicorn to finish open requests
    and waits for the thread.
    """

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("server not started")
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("server already started")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            raise
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            lifespan="on",
            loop="asyncio",
            http="h11",
            ws="none",
            log_config=None,  # never reconfigure the host program's logging
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # uvicorn exits with SystemExit on startup errors
                self._failure = exc
            finally:
                sock.close()

        thread = threading.Thread(target=run, name=f"sim-server-{self._port}", daemon=True)
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(
                    f"simulator server on {self.host}:{self._port} failed to start"
                ) from self._failure
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"simulator server on {self.host}:{self._port} did not start")
            time.sleep(0.005)

    def stop(self, timeout: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            # Open keep-alive connections outlived the graceful period: force the exit.
            server.force_exit = True
            thread.join(timeout)
        self._server = None
        self._thread = None

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
