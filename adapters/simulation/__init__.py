"""The simulator toolkit: what every simulated desk is built from.

* :mod:`~adapters.simulation.request`: a request as a simulator reads it, the response it
  writes (every byte under its control);
* :mod:`~adapters.simulation.asgi`: a handler as an ASGI app, several apps on one port;
* :mod:`~adapters.simulation.server`: serving an app on a loopback port (uvicorn);
* :mod:`~adapters.simulation.router`: method + path pattern routing, the vendor's 404/405;
* :mod:`~adapters.simulation.paging`: slicing lists in the vendors' paging styles;
* :mod:`~adapters.simulation.oauth`: an OAuth2 client-credentials token endpoint;
* :mod:`~adapters.simulation.ratelimit`: a rolling-window limiter answering 429;
* :mod:`~adapters.simulation.faults`: latency, server errors, dropped connections and
  vendor-specific fault switches.

The same app object works in-process through ``httpx.ASGITransport`` and over a socket,
so the demo, ``triage simulate`` and the contract tests all talk to identical code.
"""

from adapters.simulation.asgi import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    asgi_app,
    mount,
    request_from_scope,
    send_response,
)
from adapters.simulation.faults import ConnectionDropped, Faults, Injected, plain_server_error
from adapters.simulation.oauth import TokenIssuer
from adapters.simulation.paging import Page, link_header, numbered_page, offset_page
from adapters.simulation.ratelimit import LimitState, RateLimiter, retry_after_header
from adapters.simulation.request import (
    FORM_URLENCODED,
    MULTIPART_FORM,
    Handler,
    SimRequest,
    SimResponse,
)
from adapters.simulation.router import Router
from adapters.simulation.server import ServerThread

__all__ = [
    "FORM_URLENCODED",
    "MULTIPART_FORM",
    "ASGIApp",
    "ConnectionDropped",
    "Faults",
    "Handler",
    "Injected",
    "LimitState",
    "Message",
    "Page",
    "RateLimiter",
    "Receive",
    "Router",
    "Scope",
    "Send",
    "ServerThread",
    "SimRequest",
    "SimResponse",
    "TokenIssuer",
    "asgi_app",
    "link_header",
    "mount",
    "numbered_page",
    "offset_page",
    "plain_server_error",
    "request_from_scope",
    "retry_after_header",
    "send_response",
]
