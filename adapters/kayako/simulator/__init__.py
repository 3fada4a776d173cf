"""A local Kayako Classic (v4 REST API) server: the simulated desk the demo runs on.

It answers the way a live Kayako Classic install answers, byte for byte where we know
the bytes, over the data of :mod:`adapters.kayako.sim_data`. Serve it in-process with
``httpx.ASGITransport(app=create_app())`` (base URL ``http://kayako.sim/api/index.php``) or
on a port with :class:`adapters.simulation.ServerThread` (``triage simulate``).

Faithful (read in the server source and/or seen in live captures):

* Routing: the route travels in the query, ``?e=/Tickets/Ticket/1`` or ``?/Tickets/Ticket/1``;
  a segment naming a controller method (``ListAll``, ``GetTicketCount``, ``Filter``,
  ``ListOptions``, or a verb method) is called with the remaining segments, otherwise the HTTP
  verb picks ``Get``/``Post``/``Put``/``Delete`` with all segments as arguments, and a bare
  GET calls ``GetList`` (400 "Not Implemented, Call .../ListAll instead." for posts/tickets).
* Authentication (``Controller_api``): API disabled -> 403 with an empty body; salt missing or
  PHP-empty (including ``"0"``) -> 401 ``NO SALT PROVIDED!``; wrong key or signature -> 401
  ``FAILED TO AUTHENTICATE`` (spaces in the signature read as ``+``). Parameters come from
  the query for GET/DELETE and from the form body only for POST/PUT; a JSON body is used
  for authentication but its fields never reach the controllers. Auth failures are sent
  before the controller sets its content type, so they are ``text/html``; everything after
  is ``text/xml;charset=UTF-8``, including the plain-text error bodies.
* XML (``SWIFT_XML``): ``<?xml version="1.0" encoding="UTF-8"?>``, one element per line, no
  indentation, values in CDATA with C0 controls removed and ``]]>`` split, empty values
  self-closed (PHP 7's ``0 == ''`` makes integer zeros self-closed too: ``<userorganizationid />``),
  attributes escaped like ``htmlspecialchars``, output trimmed.
* Controllers, fields, element order and messages of Ticket (ListAll with the
  unresolved-only default, comma lists, -1, owner 0, offset paging, sort whitelist,
  GetTicketCount, get by ID or display mask, create validations, PUT ignoring invalid IDs,
  Delete), TicketSearch, TicketPost (``\\p{C}`` stripped from contents, attachments block),
  TicketNote, TicketTimeTrack, TicketCustomField, TicketAttachment, TicketStatus,
  TicketPriority, TicketType, TicketCount, Department, Staff, StaffGroup, User (Filter),
  UserSearch, UserGroup, UserOrganization, CustomField (+ListOptions).
* Base writes: Post, Put and Delete of Department, StaffGroup, User, UserGroup and
  UserOrganization with the controllers' checks, order and texts, the models' side
  effects (a deleted department's tickets go to the trash, a deleted organisation's users
  lose it) and the created or updated record answered as the element a GET returns.
* Two server quirks kept on purpose, as a client meets them on a real install:
  ListAll's default status list tests ``in_array($statusID, $departmentIDList)``, so
  department-specific unresolved statuses are *not* listed by default (pass status IDs
  explicitly); and ``User/Filter/$marker$`` returns IDs ``>=`` the marker (inclusive).
* PHP notices: none by default (SWIFT's error handler prints nothing for notices unless
  the install runs in debug mode). ``php_notices=True`` turns the fault on: then a
  deterministic ~4 % of single-ticket GETs and staff replies posted without ``isprivate``
  (``Undefined index: isprivate``) print one before ``<?xml``.

Simplified (not in the sources, or out of scope):

* Unknown app/controller -> 404 ``Controller not Found``; a verb the controller does not
  implement (e.g. writes to ticket lookups) -> 405 ``Not Allowed``; too few
  route arguments -> 500 with a PHP fatal-error line (a real PHP 7 server may send 200).
* App and controller names are matched case-insensitively.
* Search (TicketSearch, UserSearch) is substring/all-words matching, not MySQL full text.
* Custom field validation checks only the fields present in the POST (required and
  regexp rules, option IDs, m/d/Y dates); the error lists the failing field titles.
* Custom field groups shown for a ticket: those linked to its department plus any group
  with a stored value. No e-mail is sent, no SLA engine runs (due times are simple
  per-priority offsets), no rate limit exists (Kayako publishes none).
* Staff writes: the server source of Controller_Staff was not available; its fields are
  the REST docs', its shared texts the sibling controllers', and the texts of its own
  checks are this simulator's (see adapters/kayako/README.md).

Layout, after the server's own controllers: :mod:`~adapters.kayako.simulator.server` (front
controller), :mod:`~.auth` (signing), :mod:`~.swift_xml` (the XML writer), :mod:`~.php`
(PHP semantics), :mod:`~.core` (what controllers share), one module per controller
(``ticket``, ``ticket_search``, ``ticket_post``, ``ticket_note``, ``ticket_timetrack``,
``ticket_attachment``, ``ticket_customfield``, ``ticket_lookups``, ``ticket_count``,
``base_department``, ``base_staff``, ``base_staffgroup``, ``base_user``,
``base_usersearch``, ``base_usergroup``, ``base_userorganization``, ``base_customfield``),
:mod:`~.base_forms` (how the Base writes read forms and fail), :mod:`~.lookup` and
:mod:`~.ticket_render` (SWIFT_TicketAPIManager).

Sources: Kayako Classic REST docs (classichelp.kayako.com "Kayako REST API", "REST - Ticket",
"REST - TicketSearch"); the SWIFT server source (``Controller_api``, ``SWIFT_RESTServer``,
``SWIFT_XML``, ``SWIFT_TicketAPIManager``, ``Tickets\\Api\\Controller_Ticket``/``TicketPost``/
``TicketNote``/``TicketTimeTrack``/``TicketCustomField``/``TicketAttachment``/``TicketSearch``/
``TicketStatus``/``TicketPriority``/``TicketType``/``TicketCount``, ``Base\\API\\
Controller_Department``/``StaffGroup``/``User``/``UserSearch``/``UserGroup``/
``UserOrganization``/``CustomField``, and the models ``SWIFT_Department``/``SWIFT_StaffGroup``/
``SWIFT_UserGroup``/``SWIFT_UserOrganization``/``SWIFT_User``); "REST - Staff" (docs); the
official PHP client (kyRESTClient.php); live XML captures in the D3
Security "Kayako Classic" integration guide.
"""

from __future__ import annotations

from typing import Any

from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator.auth import API_KEY, DEMO_STAFF_ID, SECRET_KEY, expected_signature
from adapters.kayako.simulator.core import PHP_NOTICES
from adapters.kayako.simulator.server import KayakoServer
from adapters.simulation import ASGIApp, Faults, asgi_app


def app_for_desk(
    desk: KayakoDesk,
    *,
    latency: tuple[float, float] | None = None,
    api_enabled: bool = True,
    php_notices: bool = False,
    faults: Faults | None = None,
) -> ASGIApp:
    """The ASGI app serving ``desk`` (for callers that build or pin the desk themselves).

    ``php_notices=True`` makes the install print PHP notices before the XML, as one in
    debug mode does (``display_errors`` on); the default answers clean XML. ``faults`` are
    the shared fault injection and switches (:class:`adapters.simulation.Faults`);
    ``latency`` is its short form.
    """
    if faults is None:
        faults = Faults(latency=latency, seed=desk.seed)
    elif latency is not None:
        raise ValueError("give latency either directly or inside faults, not both")
    if php_notices:
        faults.switch(PHP_NOTICES)
    server = KayakoServer(desk, api_enabled=api_enabled, faults=faults)
    return asgi_app(server.handle, faults=faults)


def create_app(
    *,
    tickets: int = 400,
    seed: int = 1,
    latency: tuple[float, float] | None = None,
    api_enabled: bool = True,
    clientele: int = 0,
    php_notices: bool = False,
    faults: Faults | None = None,
) -> ASGIApp:
    """A simulated Kayako Classic desk with ``tickets`` seeded tickets, as an ASGI app.

    The API answers at any path ending in ``/api/index.php`` (both URL forms).
    ``clientele`` picks the customer organisations the desk serves (0: the canonical set;
    give each desk of a multi-desk demo its own). ``php_notices=True`` turns on the PHP
    notices a debug-mode install prints before its XML (off: clean XML, as by default).
    """
    desk = generate_desk(tickets=tickets, seed=seed, clientele=clientele)
    return app_for_desk(
        desk, latency=latency, api_enabled=api_enabled, php_notices=php_notices, faults=faults
    )


def connection_block(base_url: str) -> dict[str, Any]:
    """The config table of a connection to a simulator served at ``base_url``."""
    return {
        "vendor": "kayako",
        "url": base_url.rstrip("/") + "/api/index.php",
        "api_key": API_KEY,
        "secret_key": SECRET_KEY,
        "staff_id": DEMO_STAFF_ID,
    }


__all__ = [
    "API_KEY",
    "DEMO_STAFF_ID",
    "PHP_NOTICES",
    "SECRET_KEY",
    "KayakoServer",
    "app_for_desk",
    "connection_block",
    "create_app",
    "expected_signature",
]
