"""ASGI plumbing shared by the vendor simulators.

:func:`asgi_app` turns a simulator's handler into an ASGI application, with the shared
faults (:mod:`adapters.simulation.faults`) applied around it; :func:`mount` puts several
apps under path prefixes on one port. The same app object works in-process through
``httpx.ASGITransport`` and over a real socket (:mod:`adapters.simulation.server`), so the
demo, the CLI's ``triage simulate`` and the contract tests all talk to identical code.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from adapters.simulation.faults import ConnectionDropped, Faults
from adapters.simulation.request import Handler, SimRequest, SimResponse

log = logging.getLogger("triage.simulation")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


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
    handler: Handler,
    *,
    latency: tuple[float, float] | None = None,
    seed: int = 0,
    faults: Faults | None = None,
) -> ASGIApp:
    """Wrap ``handler`` as an ASGI app.

    ``faults`` decides, per request and before the handler runs, how long to wait and
    whether to answer a server error or drop the connection. ``latency`` = (low, high)
    seconds is the short form of ``Faults(latency=latency, seed=seed)``: each request
    waits a uniformly drawn delay, reproducible from the seed. A handler that raises
    yields a plain 500, as a crashing server would, and is logged.
    """
    if faults is None:
        faults = Faults(latency=latency, seed=seed)
    elif latency is not None:
        raise ValueError("give latency either directly or inside faults, not both")
    plan = faults

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
        delay = plan.delay()
        if delay:
            await asyncio.sleep(delay)
        fault = plan.decide()
        if fault is not None and fault.kind == "reset":
            await _drop_connection(send)
            return
        if fault is not None:
            await send_response(send, plan.error_page(request, fault.status))
            return
        try:
            result = handler(request)
            response = await result if inspect.isawaitable(result) else result
        except Exception:
            log.exception("simulator handler failed for %s %s", request.method, request.path)
            response = SimResponse.text(500, "Internal Server Error")
        await send_response(send, response)

    return app


async def _drop_connection(send: Send) -> None:
    """Start an answer and abandon it: over a socket the server closes the connection
    mid-body; in-process the client meets :class:`ConnectionDropped`."""
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"64")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": True})
    raise ConnectionDropped()


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
