"""The normalised model: the only shapes the UI and the CLI ever see.

Every vendor adapter maps its wire format onto these classes (in its own ``wire.py``), so a
ticket from Kayako and one from HaloPSA sort, filter and render the same way. Rules that hold
for every field here:

* Text that came from a desk is clean: every text field below is typed :data:`CleanLine`
  (one line: :func:`adapters.text.clean_line`) or :data:`CleanText` (several lines:
  :func:`adapters.text.clean_text`), which clean on validation, so an adapter cannot
  forget. Controls, escape sequences and bidi overrides are gone; turning HTML into text
  stays the adapter's job (only it knows which bodies are HTML). The UI may still never
  treat desk text as markup.
* Times are timezone-aware UTC ``datetime`` objects.
* Vendor identifiers are strings, whatever the vendor's wire type, so the UI never has to
  know that one desk uses integers and another GUIDs.
* A ticket's people and lookup values are shared: equal ones are one instance (see
  :func:`shared`), so 100 000 tickets naming the same few hundred people and statuses
  hold them once.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from adapters.text import clean_line, clean_text

CleanLine = Annotated[str, AfterValidator(clean_line)]
"""One-line desk text (a subject, a name, a label): cleaned and whitespace-folded."""
CleanText = Annotated[str, AfterValidator(clean_text)]
"""Multi-line desk text (a post body, a text-area field): cleaned, line ends kept."""


class TicketKey(NamedTuple):
    """A ticket's identity across every configured desk, printed ``connection:native_id``."""

    connection: str
    native_id: str

    def __str__(self) -> str:
        return f"{self.connection}:{self.native_id}"

    @classmethod
    def parse(cls, text: str) -> TicketKey:
        """Parse ``conn:id``. Connection names never contain ``:``; native ids may."""
        connection, sep, native_id = text.partition(":")
        if not sep or not connection or not native_id:
            raise ValueError(f"ticket key {text!r} is not of the form connection:id")
        return cls(connection, native_id)


class StatusCategory(StrEnum):
    """What a desk's status means, whatever the desk calls it."""

    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_done(self) -> bool:
        return self in (StatusCategory.RESOLVED, StatusCategory.CLOSED)


class AuthorKind(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class PostKind(StrEnum):
    REPLY = "reply"
    NOTE = "note"
    RESOLUTION = "resolution"
    TIME_ENTRY = "time_entry"


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    CHECKBOX = "checkbox"


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class _Model(BaseModel):
    """Immutable by default: a ticket in the store is replaced, never edited in place."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_post_init(self, context: Any, /) -> None:
        # Pydantic gives every instance its own set of the names of the fields that were
        # set (~700 bytes). With 100 000 tickets in memory that is 70 MB of identical sets;
        # instances are frozen and copies copy the set first, so one shared set per shape
        # is safe.
        fields_set = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(fields_set), fields_set)
        object.__setattr__(self, "__pydantic_fields_set__", shared)


_SharedT = TypeVar("_SharedT", bound=Hashable)
_SHARED: dict[Any, Any] = {}
_SHARED_LIMIT = 1 << 16
"""Enough for every person and value of a big desk; past it the table starts over, so an
endless stream of distinct people costs a bounded table, never a growing one."""


def shared(value: _SharedT) -> _SharedT:
    """The one instance equal to ``value`` (it, the first time).

    A desk's list names the same requesters, agents, statuses, groups and tag sets again
    and again, and each mapped ticket brings its own copies: about 900 bytes per ticket
    for the two people alone. Models are frozen and tuples immutable, so equal instances
    are interchangeable. Safe from
    any thread (parsing runs off the event loop): a race costs at most a duplicate.
    """
    if len(_SHARED) >= _SHARED_LIMIT:
        _SHARED.clear()
    return _SHARED.setdefault(value, value)  # type: ignore[no-any-return]


class Choice(_Model):
    """One value of a desk's lookup: a status, priority, type, group, agent or option.

    ``category`` is set for statuses and ``rank`` (1 = highest … 5 = lowest) for priorities;
    the mapping tables live in the vendor's folder and can be overridden per connection.
    ``scope`` names the group the value is limited to, where the desk has such a rule
    (a Kayako status that exists only in one department); ``None`` means everywhere.
    """

    id: str
    label: CleanLine
    category: StatusCategory | None = None
    rank: int | None = None
    detail: CleanLine | None = None
    scope: str | None = None


class Person(_Model):
    """A requester or an agent as a ticket names them. ``id`` is the desk's, when known."""

    id: str | None = None
    name: CleanLine
    email: CleanLine | None = None


class Ticket(_Model):
    """A ticket as the list shows it. ``raw`` holds the vendor payload for the raw view;
    list pages may leave it empty to keep 100 000 tickets small (the detail has it)."""

    key: TicketKey
    display_id: CleanLine
    subject: CleanLine
    status: Choice | None = None
    priority: Choice | None = None
    type: Choice | None = None
    requester: Person | None = None
    assignee: Person | None = None
    group: Choice | None = None
    created: datetime
    updated: datetime
    due: datetime | None = None
    tags: tuple[CleanLine, ...] = ()
    raw: dict[str, Any] | None = Field(default=None, repr=False)

    @field_validator("status", "priority", "type", "group", "requester", "assignee", "tags")
    @classmethod
    def _share(cls, value: _SharedT | None) -> _SharedT | None:
        return value if not value else shared(value)

    @property
    def vendor_id(self) -> str:
        return self.key.native_id

    @property
    def is_done(self) -> bool:
        category = self.status.category if self.status else None
        return category is not None and category.is_done


class Attachment(_Model):
    """A file on a ticket. ``id`` is the desk's, when the desk lets the app fetch it by
    one; ``name`` is the sender's and never names a file on disk as it is."""

    name: CleanLine
    size: int | None = None
    content_type: CleanLine | None = None
    id: CleanLine | None = None
    created: datetime | None = None


class TimeEntry(_Model):
    """Time logged on a ticket; ``worked`` and ``billable`` are seconds, ``date`` the day
    worked (as the desk stores it)."""

    id: CleanLine
    worked: int = Field(ge=0)
    billable: int = Field(ge=0)
    note: CleanText = ""
    date: datetime
    agent: Person | None = None


class NewTimeEntry(_Model):
    """What logging time needs; ``billable`` ``None`` bills the time worked."""

    worked: int = Field(ge=0)
    billable: int | None = Field(default=None, ge=0)
    note: str
    day: date
    agent_id: str | None = None


class Post(_Model):
    """One entry of a ticket's conversation: a reply, a note, a resolution or time entry.

    ``body`` is plain text. ``time_spent`` and ``time_billable`` are seconds, set on time
    entries only.
    """

    id: str
    author: Person | None = None
    author_kind: AuthorKind
    created: datetime
    body: CleanText
    visibility: Visibility
    kind: PostKind
    attachments: tuple[Attachment, ...] = ()
    time_spent: int | None = None
    time_billable: int | None = None


CustomFieldValue = str | float | bool | list[str] | None
# The same, cleaned on validation: a text value may span lines, option labels may not.
_CleanFieldValue = CleanText | float | bool | list[CleanLine] | None


class CustomField(_Model):
    """A custom field with its current value.

    ``key`` is what the desk wants back when the field is set (Kayako's random field
    ``name``); ``value`` is typed by ``type``: text and date as ``str`` (ISO date for dates),
    number as ``float``, checkbox as ``bool``, select as the option label, multi-select as a
    list of labels. ``options`` carry the option ids the desk needs when writing.
    """

    key: str
    label: CleanLine
    group: CleanLine
    type: FieldType
    value: _CleanFieldValue = None
    options: tuple[Choice, ...] = ()
    editable: bool = True
    required: bool = False


class TicketDetail(_Model):
    """Everything the detail pane shows: the ticket, its conversation and custom fields."""

    ticket: Ticket
    posts: tuple[Post, ...] = ()
    custom_fields: tuple[CustomField, ...] = ()
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)


class Lookups(_Model):
    """A connection's pick-lists, fetched once and cached.

    ``lists`` holds the desk's own lists beyond the common five, by a name its desk
    actions use (HaloPSA's outcomes, Kapture's dispositions): a desk action's choice field
    draws from one with ``ActionField.desk_list``.
    """

    statuses: tuple[Choice, ...] = ()
    priorities: tuple[Choice, ...] = ()
    types: tuple[Choice, ...] = ()
    agents: tuple[Choice, ...] = ()
    groups: tuple[Choice, ...] = ()
    lists: dict[str, tuple[Choice, ...]] = Field(default_factory=dict)

    def find(self, kind: str, choice_id: str) -> Choice | None:
        """The choice with this id in ``statuses``/``priorities``/… or ``None``."""
        choices: tuple[Choice, ...] = getattr(self, kind)
        return next((choice for choice in choices if choice.id == choice_id), None)


class Change(_Model):
    """The fields an update sets. ``None`` leaves a field as it is.

    ``assignee_id`` set to :data:`UNASSIGNED` removes the assignee.
    """

    subject: str | None = None
    status_id: str | None = None
    priority_id: str | None = None
    type_id: str | None = None
    group_id: str | None = None
    assignee_id: str | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in self.model_dump().values())


UNASSIGNED = ""
"""``Change.assignee_id`` value that clears the assignee."""


class NewTicket(_Model):
    """What creating a ticket needs; vendors that need more say so through InvalidInput."""

    subject: str
    body: str
    requester_name: str
    requester_email: str
    group_id: str
    status_id: str | None = None
    priority_id: str | None = None
    type_id: str | None = None
    assignee_id: str | None = None


class TicketQuery(_Model):
    """Which tickets to list. Empty filters mean "any"; vendors apply what they can
    server-side and the rest client-side.

    ``changed_since`` is a watermark a previous listing returned (:attr:`TicketPage.watermark`):
    a desk that can list changes (``Capabilities.listing.changed_since``) then lists only
    tickets changed at or after it, a little earlier for clock skew, in whatever order it
    must; one that cannot ignores it and lists everything (the caller diffs, see
    :mod:`tui.sync`). The value is the adapter's own and means nothing to anyone else.
    """

    group_ids: tuple[str, ...] = ()
    status_ids: tuple[str, ...] = ()
    assignee_ids: tuple[str, ...] = ()
    requester_ids: tuple[str, ...] = ()
    include_done: bool = True
    page_size: int = Field(default=200, ge=1, le=1000)
    sort_field: str | None = None
    sort_descending: bool = True
    changed_since: str | None = None


class TicketPage(_Model):
    """One page of a listing. ``total`` is the desk's count of matching tickets when known.

    ``watermark`` is what a later listing passes as ``TicketQuery.changed_since`` to get
    only what changed after this one; it holds for the listing as a whole, so a caller
    keeps the last page's, and only once the listing has completed. ``None`` where the
    desk cannot list changes.

    ``skipped`` says, one line each, which tickets of the page could not be read and why:
    one unreadable ticket is left out, not the whole desk."""

    tickets: tuple[Ticket, ...]
    offset: int
    total: int | None = None
    watermark: str | None = None
    skipped: tuple[str, ...] = ()


class HealthState(StrEnum):
    OK = "ok"
    SYNCING = "syncing"
    AUTH_FAILED = "auth_failed"
    RATE_LIMITED = "rate_limited"
    UNREACHABLE = "unreachable"
    ERROR = "error"


class Health(_Model):
    """The result of ``Adapter.check()``."""

    connection: str
    state: HealthState
    message: str = ""
    latency_ms: float | None = None
    checked_at: datetime


class ActionResult(_Model):
    """The outcome of one action on one ticket; bulk actions return one per ticket."""

    key: TicketKey
    action: str
    ok: bool
    message: str = ""
