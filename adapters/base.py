"""The seam between the app and the vendors: the async adapter protocol, what a desk can do
(:class:`Capabilities`), the connection settings every vendor shares, and the typed errors.

An adapter is created from one connection's settings and owns one HTTP client. The UI calls
only the methods below and reads only :mod:`adapters.model` objects; anything vendor-shaped
stays in ``adapters/<vendor>/``.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from adapters.model import (
    ActionResult,
    Change,
    CustomField,
    CustomFieldValue,
    Health,
    Lookups,
    NewTicket,
    Post,
    StatusCategory,
    Ticket,
    TicketDetail,
    TicketPage,
    TicketQuery,
    Visibility,
)

# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class DeskError(Exception):
    """Base of every error an adapter raises. Always names the connection.

    Messages never contain secrets: the HTTP layer redacts them before an error is built.
    """

    kind: ClassVar[str] = "error"

    def __init__(self, connection: str, message: str) -> None:
        super().__init__(f"{connection}: {message}")
        self.connection = connection
        self.message = message


class AuthFailed(DeskError):
    """The desk refused the credentials (or the API is switched off)."""

    kind = "auth_failed"


class NotFound(DeskError):
    """The ticket (or post, note, …) does not exist on the desk."""

    kind = "not_found"


class RateLimited(DeskError):
    """The desk asked us to slow down; ``retry_after`` is in seconds when it said so."""

    kind = "rate_limited"

    def __init__(self, connection: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(connection, message)
        self.retry_after = retry_after


class InvalidInput(DeskError):
    """The desk (or our own validation) rejected a value; ``field`` names which."""

    kind = "invalid_input"

    def __init__(self, connection: str, field: str, message: str) -> None:
        super().__init__(connection, f"{field}: {message}")
        self.field = field
        self.reason = message


class DeskUnavailable(DeskError):
    """The desk could not be reached, timed out, or answered 5xx."""

    kind = "unreachable"


class ProtocolError(DeskError):
    """The desk answered something we cannot read; ``what`` names what was malformed."""

    kind = "protocol_error"

    def __init__(self, connection: str, what: str, message: str) -> None:
        super().__init__(connection, f"malformed {what}: {message}")
        self.what = what


class Unsupported(DeskError):
    """The desk cannot do this action; the message says why."""

    kind = "unsupported"


# --------------------------------------------------------------------------------------
# Capabilities
# --------------------------------------------------------------------------------------


class Capability(BaseModel):
    """Whether a desk can do one action, and if not (or only by emulation) why."""

    model_config = ConfigDict(frozen=True)

    supported: bool
    reason: str = ""
    emulated: bool = False

    @classmethod
    def yes(cls, reason: str = "") -> Capability:
        return cls(supported=True, reason=reason)

    @classmethod
    def no(cls, reason: str) -> Capability:
        return cls(supported=False, reason=reason)

    @classmethod
    def emulate(cls, reason: str) -> Capability:
        return cls(supported=True, emulated=True, reason=reason)


UPDATE_FIELDS = frozenset(Change.model_fields)


class Capabilities(BaseModel):
    """What one desk can do. The UI offers only supported actions and shows ``reason``
    for the others; an emulated action is labelled as such before the agent confirms."""

    model_config = ConfigDict(frozen=True)

    update: Capability
    update_fields: frozenset[str] = UPDATE_FIELDS
    assign: Capability
    close: Capability
    merge: Capability
    reply: Capability
    note: Capability
    custom_fields: Capability
    create: Capability
    # Requests the desk tolerates at once from one client; the bulk runner uses it.
    max_concurrency: int = 4

    def for_action(self, action: str) -> Capability:
        capability = getattr(self, action, None)
        if not isinstance(capability, Capability):
            raise KeyError(f"unknown action {action!r}")
        return capability


# --------------------------------------------------------------------------------------
# Connection settings
# --------------------------------------------------------------------------------------


class ConnectionSettings(BaseModel):
    """What every connection has. Vendors subclass it with their own fields; fields typed
    ``SecretStr`` are secrets, which the config loader resolves from a reference
    (env, command, keyring) and which never print."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    vendor: str
    url: str
    timeout: float = Field(default=20.0, gt=0, description="seconds per request")
    verify_tls: bool = True
    rate_limit: float | None = Field(
        default=None, gt=0, description="requests per second; default: the vendor's limit"
    )
    refresh_interval: float = Field(default=300.0, ge=0, description="seconds; 0 = off")
    status_map: dict[str, StatusCategory] = Field(
        default_factory=dict, description="status label or id -> category override"
    )

    def secrets(self) -> list[str]:
        """Every secret value of this connection, for redaction."""
        values: list[str] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                values.append(value.get_secret_value())
        return values


# --------------------------------------------------------------------------------------
# The adapter protocol
# --------------------------------------------------------------------------------------


class Adapter(abc.ABC):
    """One connection to one desk.

    Methods take and return normalised model objects and raise :class:`DeskError`
    subclasses only. ``ticket_id`` arguments are the native id (``TicketKey.native_id``).
    """

    vendor: ClassVar[str]
    settings_class: ClassVar[type[ConnectionSettings]] = ConnectionSettings
    capabilities: ClassVar[Capabilities]

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport

    @property
    def name(self) -> str:
        return self.settings.name

    async def __aenter__(self) -> Adapter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @abc.abstractmethod
    async def aclose(self) -> None:
        """Close the HTTP client."""

    @abc.abstractmethod
    async def check(self) -> Health:
        """Probe the desk cheaply; never raises, reports the failure in the result."""

    @abc.abstractmethod
    async def lookups(self) -> Lookups:
        """Statuses, priorities, types, agents and groups."""

    @abc.abstractmethod
    def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """Pages of tickets, as the desk serves them."""

    @abc.abstractmethod
    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        """The ticket with its conversation, notes and custom fields."""

    @abc.abstractmethod
    async def update(self, ticket_id: str, change: Change) -> Ticket:
        """Set the fields in ``change``; returns the ticket as the desk now has it."""

    @abc.abstractmethod
    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        """Assign to an agent and/or a group (``UNASSIGNED`` agent clears it)."""

    @abc.abstractmethod
    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        """A public reply or a private note."""

    @abc.abstractmethod
    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        """Close or resolve the ticket the desk's own way, with an optional note."""

    @abc.abstractmethod
    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Merge the sources into the target (natively, or emulated as DESIGN.md says)."""

    @abc.abstractmethod
    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        """Set custom fields by ``CustomField.key``; returns them all as the desk has them."""

    @abc.abstractmethod
    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        """Open a new ticket."""

    def describe(self) -> dict[str, Any]:
        """Connection facts that are safe to show (no secrets)."""
        return {"name": self.name, "vendor": self.vendor, "url": self.settings.url}
