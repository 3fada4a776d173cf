"""A local HaloPSA instance (the "Halo API v2" REST API): the simulated desk the demo runs on.

It answers as a hosted Halo instance does, over the data of :mod:`adapters.halopsa.sim_data`.
Serve it in-process with ``httpx.ASGITransport(app=create_app())`` (the instance at
``http://halopsa.sim``: API under ``/api``, authorisation server under ``/auth``) or on a
port with :class:`adapters.simulation.ServerThread` (``triage simulate``).

Faithful (from Halo's OpenAPI document and production clients):

* OAuth2 client credentials at ``POST /auth/token`` (form ``grant_type``, ``client_id``,
  ``client_secret``, ``scope``), ``?tenant=`` optional (a wrong tenant is refused); a bad
  client is 401 ``{"error": "invalid_client", "error_description": …}``. Bearer tokens
  expire after ``token_lifetime`` seconds; a missing, unknown or expired token is a 401
  with an empty body and a ``WWW-Authenticate`` challenge.
* The rolling limit per instance: ``rate_limit`` requests per ``rate_window`` seconds
  (500 per 300 s), counted over every ``/api`` request the server serves; past it, 429 with
  the text ``Rate Limit Reached - 500 Requests per rolling 5 minute window`` and no
  ``Retry-After``.
* JSON in and out; create and update are an array POSTed to the resource, answered 201
  with the saved record; lists are bare arrays except the enveloped ones (``/Tickets``,
  ``/Actions``, ``/Attachment``, ``/Client``, ``/Users``); paths are case-insensitive;
  unknown query parameters are ignored.
* Errors in Halo's several shapes: plain-text business messages (400), ASP.NET model-state
  maps keyed by field path (400), .NET exception objects for missing records (404).
* Timestamps with seven fractional digits or none, ``0001-01-01T00:00:00`` and
  ``1900-01-01T00:00:00`` for "none".

Simplified (not in the sources): ticket rules, SLA timers and e-mail delivery do not run
(sent e-mails are kept in :attr:`HaloDesk.outbox`); ``search`` is a substring match; a page
size over 100 is cut to 100; ``view_id`` and column profiles are accepted and ignored;
deleted tickets stay readable only through ``deleted=true``; requests to ``/auth`` do not
count against the rate limit.

Layout: :mod:`~.server` (front door, token endpoint, limiter, parameter reading, error
shapes), :mod:`~.tickets`, :mod:`~.actions` (also attachments), :mod:`~.lookups`,
:mod:`~.render` (records as JSON).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.halopsa.sim_data import HaloDesk, generate_desk
from adapters.halopsa.simulator.server import HaloServer
from adapters.simulation import ASGIApp, Faults, asgi_app

CLIENT_ID = "8d7f0c1e-3b5a-4f6e-9a21-5c0d7e4b9f10"
CLIENT_SECRET = "halo-sim-3f9a1c7e5b2d4a8f9e0c1b7d6a5f4e3c2b1a0f9e8d7c6b5a"
TENANT = "harbourline"
TOKEN_LIFETIME = 3600
RATE_LIMIT = 500
RATE_WINDOW = 300.0


def app_for_desk(
    desk: HaloDesk,
    *,
    latency: tuple[float, float] | None = None,
    faults: Faults | None = None,
    tenant: str | None = TENANT,
    token_lifetime: int = TOKEN_LIFETIME,
    rate_limit: int = RATE_LIMIT,
    rate_window: float = RATE_WINDOW,
    clock: Callable[[], float] | None = None,
) -> tuple[ASGIApp, HaloServer]:
    """The ASGI app serving ``desk``, and its server (for tests that look inside).

    ``clock`` (epoch seconds) drives token expiry in tests.
    """
    if faults is None:
        faults = Faults(latency=latency, seed=desk.seed)
    elif latency is not None:
        raise ValueError("give latency either directly or inside faults, not both")
    server = HaloServer(
        desk,
        clients={CLIENT_ID: CLIENT_SECRET},
        tenant=tenant,
        token_lifetime=token_lifetime,
        rate_limit=rate_limit,
        rate_window=rate_window,
        faults=faults,
        clock=clock,
    )
    return asgi_app(server.handle, faults=faults), server


def create_app(
    *,
    tickets: int = 400,
    seed: int = 1,
    latency: tuple[float, float] | None = None,
    faults: Faults | None = None,
    tenant: str | None = TENANT,
    token_lifetime: int = TOKEN_LIFETIME,
    rate_limit: int = RATE_LIMIT,
    rate_window: float = RATE_WINDOW,
) -> ASGIApp:
    """A simulated HaloPSA instance with ``tickets`` seeded tickets, as an ASGI app."""
    app, _server = app_for_desk(
        generate_desk(tickets=tickets, seed=seed),
        latency=latency,
        faults=faults,
        tenant=tenant,
        token_lifetime=token_lifetime,
        rate_limit=rate_limit,
        rate_window=rate_window,
    )
    return app


def connection_block(base_url: str) -> dict[str, Any]:
    """The config table of a connection to a simulator served at ``base_url``."""
    return {
        "vendor": "halopsa",
        "url": base_url.rstrip("/"),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "tenant": TENANT,
    }


__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "RATE_LIMIT",
    "RATE_WINDOW",
    "TENANT",
    "TOKEN_LIFETIME",
    "HaloServer",
    "app_for_desk",
    "connection_block",
    "create_app",
]
