"""A local Kapture CRM server: the four ticket APIs "from other source", as the simulated
desk the demo and the tests run on.

It answers the way Kapture's documentation and production clients show it, over the data
of :mod:`adapters.kapture.sim_data`. Serve it in-process with
``httpx.ASGITransport(app=create_app())`` (base URL ``http://kapture.sim``) or on a port with
:class:`adapters.simulation.ServerThread` (``triage simulate``).

Faithful (Kapture's docs, the Namma Yatri client and customer scripts):

* routes ``/add-ticket-from-other-source.html``, ``/update-ticket-from-other-source.html``,
  ``/search-ticket-by-ticket-id.html`` and ``/select-ticket-between-start-and-end-dates.html``,
  each with and without ``/v.2.0``; POST only (other verbs: 405, unknown paths: 404, as a
  servlet container's HTML pages);
* ``Authorization: Basic <key>``, the key compared as given; each API may have its own key
  (``create_app(keys=…)``); a missing or wrong one is ``{"message": "Invalid Auth Key",
  "status": "failed"}`` with HTTP 401;
* Add, Update and Pull take an array with one object (Add and Update also an object, as
  the production client sends); Get takes an object and answers ``Invalid Json.`` to an
  array; a body that is not JSON is ``Invalid Json.`` with HTTP 400;
* the documented messages: ``title is missing``, ``No Data found/ticket_id is missing``,
  ``Invalid Format.callback_date should be yyyy-MM-dd hh:mm:ss.``, ``ticket_ids are
  missing.``, and the older Pull page's capitalised ``{"Message": "either start_date is null
  or blank", "Status": "failed"}``;
* Pull covers at most 24 hours: ``start_date`` and ``end_date`` name one day; ``limit``
  (and ``offset``) page within it with ``totalCount``, without ``limit`` everything and
  ``totalCount: null``; no match gives ``message`` as a string;
* two ids per ticket (numeric ``id``/``taskId``, string ``ticketId``); three date formats
  (see :mod:`~adapters.kapture.simulator.render`); Get answers an array, one element per
  known id, unknown ids skipped.

Assumed (not in the sources, or cut off in them): the wording of the 24-hour, date-format,
``limit`` and ``sub_status`` refusals; queue keys and names, customer fields and the
conversation's ``id`` in Pull and Get answers; ``conversation_type`` taking ``all`` or a
comma list of ``chat``, ``email``, ``notes``; Update ignoring sub-status and queue keys the
tenant does not have; ``history`` always empty; no rate limit (Kapture publishes none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.kapture.sim_data import KaptureDesk, generate_desk
from adapters.kapture.sim_data.config import DISPOSITIONS, QUEUES, SUB_STATUSES, TIMEZONE
from adapters.kapture.simulator.server import ACTIONS, KaptureServer
from adapters.simulation import ASGIApp, Faults, asgi_app

API_KEY = "a2FwdHVyZS1zaW0tZGVtby1rZXktZm9yLXRyaWFnZQ=="
"""The demo tenant's key for every ticket API (opaque: used exactly as given)."""

OPERATION_KEYS = {
    "add": "YWRkLWtleS1vZi10aGUtc2ltdWxhdGVkLXRlbmFudA==",
    "update": "dXBkYXRlLWtleS1vZi10aGUtc2ltdWxhdGVkLXRlbmFudA==",
    "get": "Z2V0LWtleS1vZi10aGUtc2ltdWxhdGVkLXRlbmFudA==",
    "pull": "cHVsbC1rZXktb2YtdGhlLXNpbXVsYXRlZC10ZW5hbnQ=",
}
"""One key per API, for a tenant configured like that (``create_app(keys=OPERATION_KEYS)``)."""

DAYS = 15
"""How far back the demo connection lists: the desk's whole two weeks, in any time zone."""


def app_for_desk(
    desk: KaptureDesk,
    *,
    keys: Mapping[str, str] | None = None,
    latency: tuple[float, float] | None = None,
    faults: Faults | None = None,
) -> tuple[ASGIApp, KaptureServer]:
    """The ASGI app serving ``desk``, and the server behind it (for tests)."""
    if faults is None:
        faults = Faults(latency=latency, seed=desk.seed)
    elif latency is not None:
        raise ValueError("give latency either directly or inside faults, not both")
    server = KaptureServer(desk, keys or dict.fromkeys(ACTIONS, API_KEY), faults=faults)
    return asgi_app(server.handle, faults=faults), server


def create_app(
    *,
    tickets: int = 400,
    seed: int = 1,
    latency: tuple[float, float] | None = None,
    keys: Mapping[str, str] | None = None,
    faults: Faults | None = None,
) -> ASGIApp:
    """A simulated Kapture tenant with ``tickets`` tickets over two weeks, as an ASGI app."""
    desk = generate_desk(tickets=tickets, seed=seed)
    app, _ = app_for_desk(desk, keys=keys, latency=latency, faults=faults)
    return app


def connection_block(base_url: str) -> dict[str, Any]:
    """The config table of a connection to a simulator served at ``base_url``, with the
    label tables an admin of this tenant would copy from its configuration."""
    return {
        "vendor": "kapture",
        "url": base_url.rstrip("/"),
        "api_key": API_KEY,
        "days": DAYS,
        "timezone": TIMEZONE,
        "statuses": {sub.key: sub.name for sub in SUB_STATUSES},
        "queues": dict(QUEUES),
        "dispositions": sorted({d for paths in DISPOSITIONS.values() for d in paths}),
    }


__all__ = [
    "API_KEY",
    "DAYS",
    "OPERATION_KEYS",
    "KaptureServer",
    "app_for_desk",
    "connection_block",
    "create_app",
]
