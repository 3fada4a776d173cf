"""The seam between the app and the vendors: the async adapter protocol, what a desk can do
(:class:`Capabilities`), the connection settings every vendor shares, and the work every
adapter would otherwise repeat.

An adapter is created from one connection's settings and owns one HTTP client. The UI calls
only the abstract methods below and reads only :mod:`adapters.model` objects; anything
vendor-shaped stays in ``adapters/<vendor>/``. What the base does for every vendor:

* :meth:`Adapter.check` is a template around the vendor's cheapest request
  (:meth:`Adapter.probe`): it times it and turns any failure into a :class:`Health` through
  the one error-to-health mapping (:func:`adapters.errors.health_state_for`);
* :meth:`Adapter.build_http` builds the connection's :class:`DeskHttp` from class defaults
  (the vendor's published rate, burst and concurrency) and the connection's overrides;
* :meth:`Adapter.emulated_merge` merges where the desk cannot: each source's conversation
  is copied into the target as a private note, the source gets a private note naming the
  target and is closed. One :class:`ActionResult` per source, then one for the target;
  a failed source is reported and the others go on, since a half-merged batch must say
  exactly which tickets were merged. It is built only from :meth:`Adapter.add_post` and
  :meth:`Adapter.close`, plus hooks a vendor may override to save requests. Its steps
  go through :attr:`Adapter.steps` (:mod:`adapters.steps`), as a vendor's close with a
  note should: merging again resumes at the first step the desk did not confirm;
* paging (:mod:`adapters.paging`), lookup heuristics and the lookup cache
  (:mod:`adapters.lookups`), status-code mapping and error excerpts (:mod:`adapters.http`)
  and OAuth2 (:mod:`adapters.oauth`) are tools the adapter calls.

The typed errors live in :mod:`adapters.errors` and are re-exported here.
"""

from __future__ import annotations

import abc
import logging
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from adapters.actions import ActionOutcome, ActionSpec, ActionValue, Scope, check_values
from adapters.errors import (
    AuthFailed,
    DeskError,
    DeskUnavailable,
    InvalidInput,
    NotFound,
    OutcomeUnknown,
    ProtocolError,
    RateLimited,
    Unsupported,
    health_state_for,
)
from adapters.http import DeskHttp
from adapters.model import (
    ActionResult,
    Change,
    CustomField,
    CustomFieldValue,
    Health,
    HealthState,
    Lookups,
    NewTicket,
    Post,
    PostKind,
    StatusCategory,
    Ticket,
    TicketDetail,
    TicketKey,
    TicketPage,
    TicketQuery,
    Visibility,
)
from adapters.operations import (
    LIST_LOOKUPS,
    STANDARD_IDS,
    DeskOperations,
    lookups_outcome,
    run_standard,
    standard_actions,
)
from adapters.steps import StepLedger

__all__ = [
    "Adapter",
    "AuthFailed",
    "Capabilities",
    "Capability",
    "ConnectionSettings",
    "DeskError",
    "DeskUnavailable",
    "InvalidInput",
    "ListingCapabilities",
    "MergeRead",
    "NotFound",
    "OutcomeUnknown",
    "ProtocolError",
    "RateLimited",
    "Unsupported",
    "health_state_for",
    "transcript",
]

log = logging.getLogger("triage.adapter")

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

CHANGED_SINCE_FALLBACK = (
    "the desk cannot list changes: every refresh lists everything and the changes are found locally"
)
ID_LISTING_FALLBACK = "the desk has no id-only listing: reconciliation lists the tickets"


class ListingCapabilities(BaseModel):
    """How cheaply a desk can be kept in step (see :mod:`tui.sync`).

    ``changed_since``: the listing honours ``TicketQuery.changed_since`` and returns a
    watermark, so a refresh costs what changed. ``id_listing``: :meth:`Adapter.list_ticket_ids`
    asks the desk for ids only, so reconciliation is cheap. Each ``no`` says what is done
    instead; those are the defaults, so a vendor that does nothing gets the fallbacks.
    """

    model_config = ConfigDict(frozen=True)

    changed_since: Capability = Capability.no(CHANGED_SINCE_FALLBACK)
    id_listing: Capability = Capability.no(ID_LISTING_FALLBACK)


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
    # The optional operations (adapters/operations.py): refused unless a desk says yes.
    time_entries: Capability = Capability.no("the app cannot reach time entries on this desk")
    attachments: Capability = Capability.no("the app cannot reach attachments on this desk")
    upload: Capability = Capability.no("the app cannot upload files to this desk")
    delete: Capability = Capability.no("the app cannot delete tickets on this desk")
    search: Capability = Capability.no("this desk has no search the app can use")
    # Requests the desk tolerates at once from one client; the bulk runner uses it.
    max_concurrency: int = 4
    listing: ListingCapabilities = ListingCapabilities()

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
    reconcile_interval: float = Field(
        default=3600.0,
        ge=0,
        description="seconds between checks for tickets that left the view; 0 = off",
    )
    max_response_mb: float = Field(
        default=64.0, gt=0, le=4096, description="decoded megabytes one answer may have"
    )
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


@dataclass(frozen=True)
class MergeRead:
    """What the emulated merge read of one ticket: the ticket, its conversation, and the
    vendor's own record of it (``native``) for the vendor's hooks to reuse."""

    ticket: Ticket
    posts: tuple[Post, ...]
    native: object = None


class Adapter(DeskOperations, abc.ABC):
    """One connection to one desk.

    Methods take and return normalised model objects and raise :class:`DeskError`
    subclasses only. ``ticket_id`` arguments are the native id (``TicketKey.native_id``).
    A subclass builds its client in ``__init__`` with :meth:`build_http` and sets
    :attr:`http`.
    """

    vendor: ClassVar[str]
    settings_class: ClassVar[type[ConnectionSettings]] = ConnectionSettings
    capabilities: ClassVar[Capabilities]
    # The client's defaults when the connection sets no ``rate_limit``: the vendor's
    # published limit (requests per second) and the burst it tolerates.
    default_rate: ClassVar[float] = 5.0
    default_burst: ClassVar[int] = 5

    http: DeskHttp

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        if not isinstance(settings, self.settings_class):
            raise TypeError(f"{type(settings).__name__} is not {self.settings_class.__name__}")
        self.settings = settings
        self.transport = transport
        self.steps = StepLedger(settings.name)
        """Steps of composite actions (close with a note, emulated merge) the desk
        confirmed or may have got: doing one again resumes, never repeats."""

    @property
    def name(self) -> str:
        return self.settings.name

    async def __aenter__(self) -> Adapter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def build_http(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
    ) -> DeskHttp:
        """The connection's client: timeout, TLS and secrets from the settings; the rate
        from ``rate_limit`` or :attr:`default_rate` (an explicit rate also sets the burst,
        rounded); requests in flight capped at ``capabilities.max_concurrency``."""
        settings = self.settings
        rate = settings.rate_limit or self.default_rate
        return DeskHttp(
            settings.name,
            base_url,
            timeout=settings.timeout,
            max_body_bytes=int(settings.max_response_mb * 1024 * 1024),
            verify=settings.verify_tls,
            rate_limit=rate,
            burst=self.default_burst if settings.rate_limit is None else max(1, round(rate)),
            max_concurrency=self.capabilities.max_concurrency,
            secrets=settings.secrets(),
            headers=headers,
            auth=auth,
            transport=self.transport,
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()

    # ----------------------------------------------------------------------------------
    # Health
    # ----------------------------------------------------------------------------------

    async def probe(self) -> str:
        """The cheapest request that proves the connection works (credentials included).

        The default fetches the lookups; a vendor with a cheaper signed request overrides
        it.

        Returns:
            A short fact for the sidebar (``"12 ticket statuses"``).

        Raises:
            DeskError: whatever the request failed with; :meth:`check` reports it.
        """
        lookups = await self.lookups()
        return f"{len(lookups.statuses)} statuses"

    async def check(self) -> Health:
        """Probe the desk cheaply; never raises.

        Returns:
            The health: OK with the probe's message, or the state the failure means
            (:func:`health_state_for`) with its (redacted) message, and the latency.
        """
        started = time.perf_counter()
        state = HealthState.OK
        try:
            message = await self.probe()
        except DeskError as exc:
            state, message = health_state_for(exc), exc.message
        except Exception as exc:  # check() never raises: report whatever went wrong
            log.exception("%s: health check failed", self.name)
            state, message = HealthState.ERROR, self.http.redact(f"{type(exc).__name__}: {exc}")
        return Health(
            connection=self.name,
            state=state,
            message=message,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            checked_at=datetime.now(UTC),
        )

    # ----------------------------------------------------------------------------------
    # The operations
    # ----------------------------------------------------------------------------------

    @abc.abstractmethod
    async def lookups(self) -> Lookups:
        """Statuses, priorities, types, agents and groups, fetched afresh.

        Returns:
            The connection's pick-lists, statuses with their category (the connection's
            ``status_map`` applied) and priorities with their rank.

        Raises:
            DeskError: the desk could not be read.
        """

    @abc.abstractmethod
    def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """Pages of tickets, as the desk serves them.

        Args:
            query: the filters, page size and sort; ``None`` lists everything. Filters the
                desk cannot apply are left to the caller (see :class:`TicketQuery`).

        Returns:
            An async iterator of pages, each with its offset and the total when known; no
            ticket appears twice (see :mod:`adapters.paging`).

        Raises:
            InvalidInput: a filter value is not an id of this desk.
            DeskError: the desk could not be read.
        """

    async def count_tickets(self, query: TicketQuery | None = None) -> int | None:
        """How many tickets the listing of ``query`` would give, in one cheap request.

        Reconciliation uses it to learn, without listing, that nothing left the view. The
        default is ``None`` (unknown): the desk has no count, and reconciliation lists ids.

        Raises:
            DeskError: the desk could not be read.
        """
        return None

    async def list_ticket_ids(self, query: TicketQuery | None = None) -> AsyncIterator[list[str]]:
        """The native ids the listing of ``query`` would give, a batch at a time.

        Vendors with an id-only listing override this (and say so in
        ``capabilities.listing.id_listing``); the default lists the tickets themselves
        (``changed_since`` cleared) and keeps their ids.

        Raises:
            DeskError: the desk could not be read.
        """
        query = (query or TicketQuery()).model_copy(update={"changed_since": None})
        async for page in self.list_tickets(query):
            yield [ticket.key.native_id for ticket in page.tickets]

    @abc.abstractmethod
    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        """The ticket with its conversation, notes and custom fields.

        Args:
            ticket_id: the native id (or a form the desk also accepts, such as a mask).

        Returns:
            The detail; posts in time order, ``raw`` holding the vendor payload.

        Raises:
            NotFound: no such ticket.
            InvalidInput: ``ticket_id`` cannot be an id of this desk.
        """

    @abc.abstractmethod
    async def update(self, ticket_id: str, change: Change) -> Ticket:
        """Set the fields in ``change``.

        Args:
            ticket_id: the ticket.
            change: the fields to set; ``None`` leaves one as it is.

        Returns:
            The ticket as the desk now has it.

        Raises:
            InvalidInput: nothing to change, or a value the desk rejected or did not apply
                (``field`` names the :class:`Change` field).
            NotFound: no such ticket.
        """

    @abc.abstractmethod
    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        """Assign to an agent and/or a group.

        Args:
            ticket_id: the ticket.
            agent_id: the agent, :data:`UNASSIGNED` to clear it, ``None`` to leave it.
            group_id: the group, ``None`` to leave it.

        Returns:
            The ticket as the desk now has it.

        Raises:
            InvalidInput: neither given, or an id the desk rejected.
            Unsupported: the desk cannot assign so (see ``capabilities.assign``).
        """

    @abc.abstractmethod
    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        """A public reply or a private note.

        Args:
            ticket_id: the ticket.
            text: plain text; must not be blank.
            visibility: PUBLIC for a reply the customer sees, PRIVATE for a note.

        Returns:
            The post as the desk stored it.

        Raises:
            InvalidInput: blank text, or the desk refused it.
            Unsupported: the desk has no such post (see ``capabilities.reply``/``note``).
        """

    @abc.abstractmethod
    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        """Close or resolve the ticket the desk's own way.

        Args:
            ticket_id: the ticket.
            note: a private note to add first, if any.
            resolution: a resolution text, if the desk keeps one (else it joins the note).

        Returns:
            The ticket as the desk now has it (its status done).

        Raises:
            Unsupported: the ticket cannot be closed here (no closing status).
            NotFound: no such ticket.
        """

    @abc.abstractmethod
    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Merge the sources into the target, natively or by :meth:`emulated_merge`.

        Args:
            target_id: the ticket that stays.
            source_ids: the tickets merged into it (closed afterwards).

        Returns:
            One result per source, then one for the target.

        Raises:
            InvalidInput: no sources, or the target among them.
            Unsupported: the desk cannot merge (see ``capabilities.merge``).
        """

    @abc.abstractmethod
    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        """Set custom fields.

        Args:
            ticket_id: the ticket.
            values: new values by ``CustomField.key``, typed as :class:`CustomField` says.

        Returns:
            Every custom field of the ticket as the desk now has it.

        Raises:
            InvalidInput: an unknown or read-only field, or a value the desk rejected
                (``field`` names the key).
        """

    @abc.abstractmethod
    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        """Open a new ticket.

        Args:
            new: what the ticket needs; unset status, priority and type take the desk's
                defaults.

        Returns:
            The new ticket's detail.

        Raises:
            InvalidInput: a missing or rejected value (``field`` names it).
        """

    def describe(self) -> dict[str, Any]:
        """Connection facts that are safe to show (no secrets)."""
        return {"name": self.name, "vendor": self.vendor, "url": self.settings.url}

    # ----------------------------------------------------------------------------------
    # Actions (adapters/actions.py, adapters/operations.py)
    # ----------------------------------------------------------------------------------

    def actions(self) -> list[ActionSpec]:
        """Every action the desk offers beyond the common ones: the standard actions of
        its optional operations, then its own (:meth:`desk_actions`)."""
        caps = self.capabilities
        return [
            *standard_actions(
                time_entries=caps.time_entries.supported,
                attachments=caps.attachments.supported,
                upload=caps.upload.supported,
            ),
            *self.desk_actions(),
        ]

    def action(self, action_id: str) -> ActionSpec:
        """The offered action ``action_id``; :class:`Unsupported` naming those offered."""
        for spec in self.actions():
            if spec.id == action_id:
                return spec
        offered = ", ".join(spec.id for spec in self.actions()) or "none"
        raise Unsupported(self.name, f"no action {action_id!r} here (offered: {offered})")

    async def run_action(
        self, action_id: str, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        """Run one of :meth:`actions` on one ticket (``None`` for a ticketless action).

        ``values`` are typed as :mod:`adapters.actions` says; they are checked against the
        spec (defaults filled, choices against the lookups) before anything is sent.

        Raises:
            Unsupported: the desk offers no such action.
            InvalidInput: a value is missing, of the wrong type or not the desk's; or a
                ticket given to a ticketless action, or none to one that needs it.
        """
        spec = self.action(action_id)
        lookups = await self.lookups() if any(f.needs_lookups for f in spec.fields) else Lookups()
        checked = check_values(self.name, spec, values, lookups)
        if spec.scope is Scope.NONE:
            if ticket_id is not None:
                raise InvalidInput(self.name, "ticket", f"{spec.label} runs on no ticket")
        elif ticket_id is None:
            raise InvalidInput(self.name, "ticket", f"{spec.label} needs a ticket")
        if spec.id == LIST_LOOKUPS.id:
            return lookups_outcome(await self.lookups(), checked)
        if spec.id in STANDARD_IDS and ticket_id is not None:
            return await run_standard(self, spec, ticket_id, checked)
        return await self.run_desk_action(spec, ticket_id, checked)

    # ----------------------------------------------------------------------------------
    # The emulated merge
    # ----------------------------------------------------------------------------------

    async def merge_ticket_id(self, ticket_id: str) -> str:
        """The native id of a ticket named by the agent (a vendor with masks looks it up)."""
        ref = ticket_id.strip()
        if not ref:
            raise InvalidInput(self.name, "ticket_id", "must not be empty")
        return ref

    async def merge_read(self, ticket_id: str) -> MergeRead:
        """A ticket and its conversation; a vendor may read less than the full detail."""
        detail = await self.get_ticket(ticket_id)
        return MergeRead(detail.ticket, detail.posts, detail)

    async def merge_close(self, source: MergeRead) -> None:
        """Close a merged source; a vendor may reuse what :meth:`merge_read` got."""
        await self.close(source.ticket.key.native_id)

    async def emulated_merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Merge by notes and closing, as the module docstring says."""
        target = await self.merge_read(target_id)
        target_number = target.ticket.key.native_id
        target_mask = target.ticket.display_id or target_number
        sources: list[str] = []
        for source_id in source_ids:
            number = await self.merge_ticket_id(source_id)
            if number == target_number:
                raise InvalidInput(self.name, "source_ids", "the target cannot be a source")
            if number not in sources:
                sources.append(number)
        if not sources:
            raise InvalidInput(self.name, "source_ids", "name at least one ticket to merge")
        results: list[ActionResult] = []
        merged: list[str] = []
        for number in sources:
            key = TicketKey(self.name, number)
            step = "reading it"
            # Per source: merging it again after a failure resumes where the desk stopped.
            operation = self.steps.operation("merge", number, target_number)
            try:
                source = await self.merge_read(number)
                step = "copying its conversation into the target"
                text = transcript(source.ticket, source.posts)
                await operation.step(
                    "the copy of its conversation in the target",
                    partial(self.add_post, target_number, text, Visibility.PRIVATE),
                )
                step = "noting the merge on it"
                note = f"Merged into {target_mask} (#{target_number})."
                await operation.step(
                    "the merge note on it", partial(self.add_post, number, note, Visibility.PRIVATE)
                )
                step = "closing it"
                await self.merge_close(source)
                operation.finish()
            except DeskError as exc:
                results.append(
                    ActionResult(
                        key=key, action="merge", ok=False, message=f"{step}: {exc.message}"
                    )
                )
                continue
            merged.append(source.ticket.display_id)
            results.append(
                ActionResult(key=key, action="merge", ok=True, message=f"merged into {target_mask}")
            )
        results.append(
            ActionResult(
                key=TicketKey(self.name, target_number),
                action="merge",
                ok=len(merged) == len(sources),
                message=(
                    f"emulated merge: {len(merged)} of {len(sources)} tickets copied in"
                    + (f" ({', '.join(merged)})" if merged else "")
                ),
            )
        )
        return results


_KIND_LABELS = {
    PostKind.REPLY: "reply",
    PostKind.NOTE: "note",
    PostKind.RESOLUTION: "resolution",
    PostKind.TIME_ENTRY: "time entry",
}


def transcript(ticket: Ticket, posts: Sequence[Post]) -> str:
    """A merged ticket's conversation as one plain-text note."""
    lines = [f"Merged from {ticket.display_id} (#{ticket.key.native_id}): {ticket.subject}"]
    if ticket.requester is not None:
        email = f" <{ticket.requester.email}>" if ticket.requester.email else ""
        lines.append(f"Requester: {ticket.requester.name}{email}")
    for post in posts:
        who = post.author.name if post.author else post.author_kind.value
        when = post.created.strftime("%Y-%m-%d %H:%M UTC")
        spent = f", {post.time_spent // 60} min" if post.time_spent else ""
        label = f"{_KIND_LABELS[post.kind]}, {post.visibility.value}{spent}"
        lines.extend(["", f"--- {when} · {who} ({label})", post.body])
    return "\n".join(lines)
