"""A local ConnectWise PSA (REST API 3.0) site: the simulated desk the demo runs on.

It answers the way a PSA cloud site answers, over the data of
:mod:`adapters.connectwise.sim_data`. Serve it in-process with
``httpx.ASGITransport(app=create_app())`` (site URL ``http://connectwise.sim``) or on a port
with :class:`adapters.simulation.ServerThread` (``triage simulate``).

Faithful (ConnectWise's Developer Guide; the OpenAPI model as generated SDKs carry it;
long-lived production clients; real responses kept in an integration's tests):

* ``/login/companyinfo/{company}`` (no auth; ``null`` for an unknown company), the codebase
  prefix (``v2025_1/`` and ``v4_6_release/``), Basic ``company+public:private`` and the
  ``clientId`` header, 429 with ``Retry-After`` over the rolling minute;
* ``conditions``/``childConditions``/``customFieldConditions`` (the grammar in
  :mod:`~.conditions`, 400 ``ApiFindCondition`` on a bad one), ``orderBy``, ``fields``,
  ``page``/``pageSize`` (default 25, capped at 1000) with the ``Link`` header, forward-only
  paging (``pagination-type`` + ``pageId``), ``/count``;
* tickets: bare-array lists, 201 on create (``initialDescription`` becomes the first
  Discussion note), PATCH with JSON-patch operations (references replaced whole, sub-paths
  a silent no-op), PUT replacing the record, DELETE 204, per-board statuses/teams/types,
  closed statuses closing the ticket, ``customFields`` replaced whole;
* notes with their three flags (400 "Please choose where to display the notes…" with
  none), ``processNotifications`` e-mailing the contact, resources and the automatic CC
  list (kept in ``Site.outbox``), ``allNotes``;
* merge: ``mergeTicketIds`` as bare integers (objects fail with Json.NET's 500), a closed
  ``status`` required (400 "Merged ticket status must be a closed status."), no merging
  into itself; children closed with ``mergedParentTicket``, their notes copied to the
  parent (``mergedFlag`` in ``allNotes``), the parent's ``hasMergedChildTicketFlag`` set.

Simplified or decided here (not confirmed against a live site; the vendor README lists
each decision): the 401 messages, the merge answer's message, the 400 bodies of syntax
errors in conditions, the message for a team or status of another board, what a board
change does to status and team, that ``closedFlag`` writes are ignored, and the string
escapes (``\\"``) inside condition strings. No SLA engine runs; e-mail is recorded, not sent.
"""

from __future__ import annotations

from typing import Any

from adapters.connectwise.sim_data import ConnectWiseDesk, generate_desk
from adapters.connectwise.sim_data.config import (
    CLIENT_ID,
    LOGIN_COMPANY,
    PRIVATE_KEY,
    PUBLIC_KEY,
)
from adapters.connectwise.simulator.server import ConnectWiseServer
from adapters.simulation import ASGIApp, Faults, asgi_app


def app_for_desk(
    desk: ConnectWiseDesk,
    *,
    latency: tuple[float, float] | None = None,
    faults: Faults | None = None,
    requests_per_minute: int = 1000,
) -> ASGIApp:
    """The ASGI app serving ``desk``."""
    if faults is None:
        faults = Faults(latency=latency, seed=desk.seed)
    elif latency is not None:
        raise ValueError("give latency either directly or inside faults, not both")
    server = ConnectWiseServer(desk, faults=faults, requests_per_minute=requests_per_minute)
    return asgi_app(server.handle, faults=faults)


def create_app(
    *,
    tickets: int = 400,
    seed: int = 1,
    latency: tuple[float, float] | None = None,
    faults: Faults | None = None,
    requests_per_minute: int = 1000,
) -> ASGIApp:
    """A simulated PSA site with ``tickets`` seeded service tickets, as an ASGI app."""
    desk = generate_desk(tickets=tickets, seed=seed)
    return app_for_desk(
        desk, latency=latency, faults=faults, requests_per_minute=requests_per_minute
    )


def connection_block(base_url: str) -> dict[str, Any]:
    """The config table of a connection to a simulator served at ``base_url``."""
    return {
        "vendor": "connectwise",
        "url": base_url.rstrip("/"),
        "company": LOGIN_COMPANY,
        "public_key": PUBLIC_KEY,
        "private_key": PRIVATE_KEY,
        "client_id": CLIENT_ID,
    }


__all__ = [
    "CLIENT_ID",
    "LOGIN_COMPANY",
    "PRIVATE_KEY",
    "PUBLIC_KEY",
    "ConnectWiseServer",
    "app_for_desk",
    "connection_block",
    "create_app",
]
