"""Kayako Classic's connection: settings, request signing and URLs, and the signed XML
requests every operation is built on, with the lookups they need.

Wire rules (``adapters/kayako/README.md`` lists the sources): the route travels in the
query string (``index.php?/Route`` or ``index.php?e=/Route``); every request is signed with
a fresh random ``salt`` and ``signature = base64(HMAC-SHA256(secret_key, salt))``; GET and
DELETE carry ``apikey``/``salt``/``signature`` in the query, POST and PUT in the form body
with the other fields (never in the query: the server reads only the body then). Answers
are XML, errors plain text with the HTTP status (:data:`_STATUS_HINTS` reads them).

**Rate limit.** Kayako publishes none and self-hosted servers have none by default; the
client stays modest: 5 requests/s, bursts of 5, 4 in flight (``rate_limit`` overrides).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any, ClassVar, Literal, Self
from urllib.parse import quote

import httpx
from pydantic import Field, SecretStr, field_validator

from adapters.base import (
    Adapter,
    ConnectionSettings,
    InvalidInput,
    NotFound,
)
from adapters.http import StatusHints
from adapters.kayako import wire
from adapters.lookups import LookupCache
from adapters.model import (
    Lookups,
)
from adapters.parsing import parse_off_loop
from adapters.tasks import together

log = logging.getLogger("triage.kayako")

DEFAULT_RATE = 5.0
DEFAULT_BURST = 5
DEFAULT_CONCURRENCY = 4
SEARCH_AREAS = (
    "ticketid",
    "contents",
    "author",
    "email",
    "creatoremail",
    "fullname",
    "notes",
    "usergroup",
    "userorganization",
    "user",
    "tags",
)
DEFAULT_SEARCH_AREAS = ("ticketid", "contents", "author", "email", "fullname", "notes", "tags")
# How Kayako's plain-text error bodies read as typed errors (Adapter docstring, "errors").
_STATUS_HINTS = StatusHints(
    field_of=wire.field_from_message,
    unauthorized="check api_key and secret_key",
    forbidden="REST API is disabled or forbidden",
    forbidden_hint="enable it under Admin CP > REST API > Settings",
    excerpt_chars=300,
)
_TICKET_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class KayakoSettings(ConnectionSettings):
    """A Kayako Classic connection.

    ``url`` is the REST API URL shown under Admin CP → REST API → API Information
    (``…/api/index.php``); a helpdesk root or ``…/api/`` is completed to it. ``staff_id`` is
    the staff member replies, notes and time tracks are posted as.
    """

    api_key: SecretStr
    secret_key: SecretStr
    departments: list[int] = Field(
        default_factory=list, description="department ids to list; empty: every ticket one"
    )
    url_type: Literal["standard", "query"] = "standard"
    staff_id: int | None = Field(default=None, gt=0)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.strip().lower().startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// address")
        return value.strip()

    @field_validator("api_key", "secret_key")
    @classmethod
    def _not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("departments")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(item <= 0 for item in value):
            raise ValueError("department ids are positive numbers")
        return value


# --------------------------------------------------------------------------------------
# Signing and URLs
# --------------------------------------------------------------------------------------


def signature(secret_key: str, salt: str) -> str:
    """``base64(HMAC-SHA256(key=secret_key, message=salt))``, as Kayako checks it."""
    digest = hmac.new(secret_key.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def new_salt() -> str:
    """A fresh random salt for one request."""
    return secrets.token_hex(12)


def api_root(url: str) -> str:
    """The ``…/api/index.php`` front controller for a configured url."""
    base = url.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    if base.endswith("/index.php"):
        return base
    if base.endswith("/api"):
        return f"{base}/index.php"
    return f"{base}/api/index.php"


def route_of(segments: Sequence[str | int]) -> str:
    """``/Tickets/Ticket/ListAll/2,3/-1`` from its segments, each URL-encoded."""
    return "/" + "/".join(quote(str(segment), safe=",-") for segment in segments)


def request_url(
    root: str,
    route: str,
    url_type: Literal["standard", "query"],
    query: Iterable[tuple[str, str]] = (),
) -> str:
    """The full URL, built by hand: httpx's ``params=`` would encode the ``?/Route`` form."""
    url = f"{root}?e={route}" if url_type == "query" else f"{root}?{route}"
    return url + "".join(f"&{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)


# --------------------------------------------------------------------------------------
# The signed client
# --------------------------------------------------------------------------------------


class KayakoClient(Adapter):
    """Signed requests and lookups of one Kayako Classic helpdesk; the operations are
    :class:`adapters.kayako.adapter.KayakoAdapter`'s."""

    settings_class: ClassVar[type[ConnectionSettings]] = KayakoSettings
    settings: KayakoSettings
    default_rate: ClassVar[float] = DEFAULT_RATE
    default_burst: ClassVar[int] = DEFAULT_BURST

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        assert isinstance(settings, KayakoSettings)  # checked by Adapter.__init__
        self.settings = settings
        self.root = api_root(settings.url)
        self.http = self.build_http(self.root)
        self.catalog = LookupCache(self._load_catalog)
        self._definitions: dict[str, wire.CustomFieldDef] | None = None
        self._options: dict[int, tuple[wire.CustomFieldOption, ...]] = {}
        self._masks: dict[str, str] = {}

    async def __aenter__(self) -> Self:
        return self

    # ----------------------------------------------------------------------------------
    # Requests
    # ----------------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        segments: Sequence[str | int],
        fields: Mapping[str, str] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        route = route_of(segments)
        salt = new_salt()
        auth = {
            "apikey": self.settings.api_key.get_secret_value(),
            "salt": salt,
            "signature": signature(self.settings.secret_key.get_secret_value(), salt),
        }
        if method in ("GET", "DELETE"):
            url = request_url(self.root, route, self.settings.url_type, auth.items())
            response = await self.http.request(method, url, idempotent=idempotent)
        else:
            url = request_url(self.root, route, self.settings.url_type)
            form = {**(fields or {}), **auth}
            response = await self.http.request(method, url, data=form, idempotent=idempotent)
        self.http.raise_for_status(response, f"{method} {route}", _STATUS_HINTS)
        return response

    async def _xml(
        self,
        method: str,
        segments: Sequence[str | int],
        root: str | None,
        fields: Mapping[str, str] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> dict[str, Any]:
        response = await self._send(method, segments, fields, idempotent=idempotent)
        body = response.content
        # A large answer is read in a worker thread: one desk's slow parse never holds
        # up the others, nor the keys of the app.
        return await parse_off_loop(
            partial(
                wire.parse_xml,
                body,
                connection=self.name,
                root=root,
                what=f"answer to {method} {route_of(segments)}",
                redact=self.http.redact,
            ),
            len(body),
        )

    async def _items(
        self, segments: Sequence[str | int], root: str | None, element: str
    ) -> list[wire.Node]:
        content = await self._xml("GET", segments, root)
        return wire.items_of(
            content, element, connection=self.name, what=f"answer to GET {route_of(segments)}"
        )

    def _staff_id(self, action: str) -> str:
        if self.settings.staff_id is None:
            raise InvalidInput(
                self.name,
                "staff_id",
                f"set staff_id in connection {self.name!r} to the staff member who {action}",
            )
        return str(self.settings.staff_id)

    def _ticket_ref(self, ticket_id: str) -> str:
        ref = ticket_id.strip()
        if not ref or not _TICKET_REF.match(ref):
            raise InvalidInput(self.name, "ticket_id", f"{ticket_id!r} is not a ticket id or mask")
        return ref

    async def _ticket_node(self, ticket_id: str) -> wire.Node:
        """The single-ticket answer (``GET /Tickets/Ticket/$id$``, id or display mask)."""
        ref = self._ticket_ref(ticket_id)
        content = await self._xml("GET", ["Tickets", "Ticket", ref], "tickets")
        nodes = wire.ticket_items(content, connection=self.name, what=f"ticket {ref}")
        if not nodes:
            raise NotFound(self.name, f"ticket {ref} not found")
        node = nodes[0]
        number = node.ident("id", "ticketid")
        mask = node.text("displayid")
        if mask:
            self._masks[mask] = number
        return node

    async def _ticket_number(self, ticket_id: str) -> str:
        """The numeric id for an id or a display mask (looked up once per mask)."""
        ref = self._ticket_ref(ticket_id)
        if ref.isdigit():
            return ref
        if ref not in self._masks:
            node = await self._ticket_node(ref)
            self._masks[ref] = node.ident("id", "ticketid")
        return self._masks[ref]

    # ----------------------------------------------------------------------------------
    # Health and lookups
    # ----------------------------------------------------------------------------------

    async def probe(self) -> str:
        """``GET /Tickets/TicketStatus``: small, and signed like every other request."""
        statuses = await self.list_statuses()
        return f"{len(statuses)} ticket statuses"

    async def _load_catalog(self) -> wire.Catalog:
        async with together() as group:
            statuses = group.create_task(self.list_statuses())
            priorities = group.create_task(self.list_priorities())
            types = group.create_task(self.list_ticket_types())
            departments = group.create_task(self.list_departments())
            staff = group.create_task(self.list_staff())
        return wire.Catalog(
            statuses=tuple(statuses.result()),
            priorities=tuple(priorities.result()),
            types=tuple(types.result()),
            departments=tuple(departments.result()),
            staff=tuple(staff.result()),
            status_map=self.settings.status_map,
        )

    async def lookups(self) -> Lookups:
        return (await self.catalog.get(refresh=True)).lookups()

    async def list_statuses(self) -> list[wire.Status]:
        """Seed "Ticket Status" values: ``GET /Tickets/TicketStatus``."""
        nodes = await self._items(["Tickets", "TicketStatus"], "ticketstatuses", "ticketstatus")
        return [wire.Status.from_node(node) for node in nodes]

    async def list_priorities(self) -> list[wire.Priority]:
        """``GET /Tickets/TicketPriority``."""
        nodes = await self._items(
            ["Tickets", "TicketPriority"], "ticketpriorities", "ticketpriority"
        )
        return [wire.Priority.from_node(node) for node in nodes]

    async def list_ticket_types(self) -> list[wire.TicketType]:
        """``GET /Tickets/TicketType``."""
        nodes = await self._items(["Tickets", "TicketType"], "tickettypes", "tickettype")
        return [wire.TicketType.from_node(node) for node in nodes]

    async def list_departments(self) -> list[wire.Department]:
        """Seed "List Departments": ``GET /Base/Department`` (every module)."""
        nodes = await self._items(["Base", "Department"], "departments", "department")
        return [wire.Department.from_node(node) for node in nodes]

    async def list_staff(self) -> list[wire.Staff]:
        """Seed "List Staff": ``GET /Base/Staff``."""
        nodes = await self._items(["Base", "Staff"], "staffusers", "staff")
        return [wire.Staff.from_node(node) for node in nodes]

    async def list_users(self, marker: int | None = None, limit: int = 1000) -> list[wire.User]:
        """Seed "List Users": ``GET /Base/User/Filter/$marker$/$limit$``.

        Users from ``marker`` on (whether the marker itself is included is unconfirmed;
        ``None`` starts at the beginning), at most ``limit`` (1…1000) of them.
        """
        if not 1 <= limit <= 1000:
            raise InvalidInput(self.name, "limit", "must be between 1 and 1000")
        if marker is not None and marker < 0:
            raise InvalidInput(self.name, "marker", "must not be negative")
        nodes = await self._items(["Base", "User", "Filter", marker or 0, limit], "users", "user")
        return [wire.User.from_node(node) for node in nodes]

    # ----------------------------------------------------------------------------------
    # Listing and reading tickets
    # ----------------------------------------------------------------------------------
