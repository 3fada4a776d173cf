"""The optional operations of the adapter seam, and the standard actions built on them.

Beyond the common actions some desks keep time entries, hold attachments, delete tickets
or search on the server. Each of these is an optional :class:`~adapters.base.Adapter`
method with a :class:`~adapters.base.Capability` saying whether the desk has it and, if
not, why. The TUI shows time entries and attachments in the detail pane; the command line
reaches them as actions, so every desk that has them gets the same standard actions
(:func:`standard_actions`) with no code of its own:

============================  ======  ===============================================
action                        scope   does
============================  ======  ===============================================
``time-entries``              one     lists the ticket's time entries
``log-time``                  many    adds a time entry (duration, billable, note, date)
``delete-time-entry``         one     deletes a time entry (destructive)
``attachments``               one     lists the ticket's attachments
``download``                  one     fetches an attachment; the front end saves it
``upload``                    many    attaches a local file
============================  ======  ===============================================

:func:`run_standard` runs them by calling the adapter's optional methods, so a desk
implements ``add_time_entry`` once and the form, the bulk runner and ``triage action``
all use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import ClassVar

from adapters.actions import (
    ActionField,
    ActionOutcome,
    ActionSpec,
    ActionValue,
    FieldKind,
    FileContent,
    PathUse,
    Scope,
    format_duration,
)
from adapters.errors import InvalidInput, NotFound, Unsupported
from adapters.model import (
    Attachment,
    Choice,
    CustomField,
    Lookups,
    NewTimeEntry,
    Ticket,
    TimeEntry,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from adapters.base import Capabilities, ConnectionSettings

MAX_UPLOAD = 20 * 1024 * 1024
"""Uploads beyond this are refused before they are read (desks refuse far less)."""


class DeskOperations:
    """The optional operations, as :class:`~adapters.base.Adapter` inherits them: each
    raises :class:`~adapters.errors.Unsupported` with the reason its capability gives,
    until a vendor that has the operation overrides it (and says yes in its
    :class:`~adapters.base.Capabilities`)."""

    settings: ConnectionSettings
    capabilities: ClassVar[Capabilities]

    def _refuse(self, capability: str) -> Unsupported:
        reason = self.capabilities.for_action(capability).reason
        return Unsupported(self.settings.name, reason or "the desk does not support it")

    async def list_time_entries(self, ticket_id: str) -> list[TimeEntry]:
        """The time logged on the ticket, oldest first (``capabilities.time_entries``)."""
        raise self._refuse("time_entries")

    async def add_time_entry(self, ticket_id: str, entry: NewTimeEntry) -> TimeEntry:
        """Log time on the ticket; returns the entry as the desk stored it."""
        raise self._refuse("time_entries")

    async def delete_time_entry(self, ticket_id: str, entry_id: str) -> None:
        """Remove one time entry (:class:`~adapters.errors.NotFound` if it is not there)."""
        raise self._refuse("time_entries")

    async def list_attachments(self, ticket_id: str) -> list[Attachment]:
        """The files on the ticket with their ids (``capabilities.attachments``)."""
        raise self._refuse("attachments")

    async def download_attachment(self, ticket_id: str, attachment_id: str) -> FileContent:
        """One attachment's bytes and the desk's name for it."""
        raise self._refuse("attachments")

    async def upload_attachment(self, ticket_id: str, name: str, data: bytes) -> Attachment:
        """Attach a file to the ticket (``capabilities.upload``)."""
        raise self._refuse("upload")

    async def delete_ticket(self, ticket_id: str) -> None:
        """Delete the ticket for good (``capabilities.delete``)."""
        raise self._refuse("delete")

    async def search_tickets(self, query: str) -> list[Ticket]:
        """Tickets matching ``query`` by the desk's own search (``capabilities.search``)."""
        raise self._refuse("search")

    async def new_ticket_fields(self) -> tuple[CustomField, ...]:
        """The custom fields a new ticket takes (values unset), required ones marked, for
        the create form and ``triage create --set``. A desk without custom fields has
        none."""
        return ()

    def desk_actions(self) -> Sequence[ActionSpec]:
        """The desk's own actions beyond the standard ones; none by default."""
        return ()

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        """Run one of :meth:`desk_actions` (values already checked against ``spec``)."""
        raise Unsupported(self.settings.name, f"the desk has no action {spec.id!r}")


# --------------------------------------------------------------------------------------
# The standard actions
# --------------------------------------------------------------------------------------

TIME_ENTRIES = ActionSpec(
    id="time-entries",
    label="List time entries",
    help="The time logged on the ticket, one entry a line.",
    scope=Scope.ONE,
)
LOG_TIME = ActionSpec(
    id="log-time",
    label="Log time",
    help="Record time worked on each ticket.",
    fields=(
        ActionField(
            name="worked",
            label="Time worked",
            kind=FieldKind.DURATION,
            required=True,
            help="e.g. 1h30m, 90m or 1:30",
        ),
        ActionField(
            name="billable", label="Billable", kind=FieldKind.DURATION, help="default: as worked"
        ),
        ActionField(name="note", label="Note", kind=FieldKind.MULTILINE, required=True),
        ActionField(name="date", label="Work date", kind=FieldKind.DATE, help="default: today"),
        ActionField(name="agent", label="Worked by", kind=FieldKind.CHOICE, lookup="agents"),
    ),
)
DELETE_TIME_ENTRY = ActionSpec(
    id="delete-time-entry",
    label="Delete a time entry",
    help="Remove one time entry from the ticket.",
    scope=Scope.ONE,
    destructive=True,
    fields=(ActionField(name="entry", label="Entry id", kind=FieldKind.TEXT, required=True),),
)
ATTACHMENTS = ActionSpec(
    id="attachments",
    label="List attachments",
    help="The files attached to the ticket, with their size.",
    scope=Scope.ONE,
)
DOWNLOAD = ActionSpec(
    id="download",
    label="Save an attachment",
    help="Save one attachment to a file; it is never opened.",
    scope=Scope.ONE,
    fields=(
        ActionField(
            name="attachment",
            label="Attachment",
            kind=FieldKind.TEXT,
            required=True,
            help="its id or file name",
        ),
        ActionField(
            name="save_to",
            label="Save to",
            kind=FieldKind.PATH,
            path_use=PathUse.WRITE,
            help="default: its own (made safe) name in the current folder",
        ),
    ),
)
UPLOAD = ActionSpec(
    id="upload",
    label="Upload a file",
    help="Attach a local file to each ticket.",
    fields=(ActionField(name="path", label="File", kind=FieldKind.PATH, required=True),),
)

LOOKUP_LISTS: dict[str, str] = {
    "statuses": "Statuses",
    "priorities": "Priorities",
    "types": "Types",
    "agents": "Agents",
    "groups": "Groups",
}
LIST_LOOKUPS = ActionSpec(
    id="lookups",
    label="List the desk's values",
    help="Statuses, priorities, types, agents and groups with their ids.",
    scope=Scope.NONE,
    fields=(
        ActionField(
            name="list",
            label="Which",
            kind=FieldKind.CHOICE,
            choices=tuple(Choice(id=key, label=label) for key, label in LOOKUP_LISTS.items()),
            help="default: all of them",
        ),
    ),
)

STANDARD_IDS = frozenset(
    spec.id for spec in (TIME_ENTRIES, LOG_TIME, DELETE_TIME_ENTRY, ATTACHMENTS, DOWNLOAD, UPLOAD)
)


def standard_actions(*, time_entries: bool, attachments: bool, upload: bool) -> list[ActionSpec]:
    """The standard actions of a desk with these optional operations (every desk lists
    its values)."""
    specs: list[ActionSpec] = [LIST_LOOKUPS]
    if time_entries:
        specs += [TIME_ENTRIES, LOG_TIME, DELETE_TIME_ENTRY]
    if attachments:
        specs += [ATTACHMENTS, DOWNLOAD]
    if upload:
        specs.append(UPLOAD)
    return specs


# --------------------------------------------------------------------------------------
# Running them
# --------------------------------------------------------------------------------------


def size_text(size: int | None) -> str:
    """``532 B``, ``12.5 KB``, ``3.1 MB``; ``?`` when the desk did not say."""
    if size is None:
        return "?"
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size_f = size / 1024
        if size_f < 1024 or unit == "GB":
            return f"{size_f:.1f} {unit}"
        size = int(size_f)
    return f"{size} B"


def lookups_outcome(lookups: Lookups, values: Mapping[str, ActionValue]) -> ActionOutcome:
    """:data:`LIST_LOOKUPS`: each list's values, ``id  label``, under its heading; all of
    them lists the desk's own lists (:attr:`Lookups.lists`) too."""
    wanted = values.get("list")
    names = [wanted] if isinstance(wanted, str) else list(LOOKUP_LISTS)
    lists: list[tuple[str, str, tuple[Choice, ...]]] = [
        (name, LOOKUP_LISTS[name], getattr(lookups, name)) for name in names
    ]
    if not isinstance(wanted, str):
        lists += [(name, name.capitalize(), lookups.lists[name]) for name in sorted(lookups.lists)]
    lines: list[str] = []
    counts: list[str] = []
    for name, heading, choices in lists:
        counts.append(f"{len(choices)} {name}")
        lines.append(f"{heading}:")
        for choice in choices:
            detail = f"  ({choice.detail})" if choice.detail else ""
            lines.append(f"  {choice.id}  {choice.label}{detail}")
    return ActionOutcome(message=", ".join(counts), lines=tuple(lines))


def time_entry_line(entry: TimeEntry) -> str:
    """``7  2024-05-01  1h30m worked, 1h billable  Alice Archer  Fixed the printer``."""
    who = entry.agent.name if entry.agent is not None else "-"
    note = " ".join(entry.note.split())
    return (
        f"{entry.id}  {entry.date.date().isoformat()}  {format_duration(entry.worked)} worked, "
        f"{format_duration(entry.billable)} billable  {who}  {note}"
    ).rstrip()


def attachment_line(attachment: Attachment) -> str:
    return f"{attachment.id or '-'}  {attachment.name}  {size_text(attachment.size)}"


async def run_standard(
    adapter: DeskOperations,
    spec: ActionSpec,
    ticket_id: str,
    values: Mapping[str, ActionValue],
) -> ActionOutcome:
    """Run standard action ``spec`` (values already checked against it) on one ticket."""
    if spec.id == TIME_ENTRIES.id:
        entries = await adapter.list_time_entries(ticket_id)
        total = sum(entry.worked for entry in entries)
        return ActionOutcome(
            message=f"{_count(len(entries), 'time entry', 'time entries')}, "
            f"{format_duration(total)} in all",
            lines=tuple(time_entry_line(entry) for entry in entries),
        )
    if spec.id == LOG_TIME.id:
        return await _log_time(adapter, ticket_id, values)
    if spec.id == DELETE_TIME_ENTRY.id:
        entry_id = _text(values, "entry")
        await adapter.delete_time_entry(ticket_id, entry_id)
        return ActionOutcome(message=f"deleted time entry {entry_id}")
    if spec.id == ATTACHMENTS.id:
        attachments = await adapter.list_attachments(ticket_id)
        return ActionOutcome(
            message=_count(len(attachments), "attachment", "attachments"),
            lines=tuple(attachment_line(item) for item in attachments),
        )
    if spec.id == DOWNLOAD.id:
        wanted = _text(values, "attachment")
        attachment = _find_attachment(
            adapter.settings.name, await adapter.list_attachments(ticket_id), wanted
        )
        if attachment.id is None:
            raise NotFound(adapter.settings.name, f"attachment {wanted!r} has no id to fetch it by")
        content = await adapter.download_attachment(ticket_id, attachment.id)
        return ActionOutcome(
            message=f"fetched {attachment.name} ({size_text(len(content.data))})", file=content
        )
    if spec.id == UPLOAD.id:
        path = Path(_text(values, "path"))
        data = _read_upload(adapter.settings.name, path)
        uploaded = await adapter.upload_attachment(ticket_id, path.name, data)
        return ActionOutcome(
            message=f"uploaded {uploaded.name} ({size_text(len(data))})",
            created_id=uploaded.id,
        )
    raise KeyError(f"{spec.id!r} is not a standard action")


async def _log_time(
    adapter: DeskOperations, ticket_id: str, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    worked = values.get("worked")
    billable = values.get("billable")
    day = values.get("date")
    agent = values.get("agent")
    if not isinstance(worked, int):
        raise InvalidInput(adapter.settings.name, "worked", "Time worked is required.")
    entry = NewTimeEntry(
        worked=worked,
        billable=billable if isinstance(billable, int) else None,
        note=_text(values, "note"),
        day=date.fromisoformat(day) if isinstance(day, str) else datetime.now(UTC).date(),
        agent_id=agent if isinstance(agent, str) else None,
    )
    created = await adapter.add_time_entry(ticket_id, entry)
    return ActionOutcome(
        message=f"logged {format_duration(created.worked)} "
        f"({format_duration(created.billable)} billable) as entry {created.id}",
        created_id=created.id,
    )


def _text(values: Mapping[str, ActionValue], name: str) -> str:
    value = values.get(name)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text, got {value!r}")
    return value


def _find_attachment(connection: str, attachments: Sequence[Attachment], wanted: str) -> Attachment:
    for attachment in attachments:
        if attachment.id == wanted:
            return attachment
    named = [attachment for attachment in attachments if attachment.name == wanted]
    if len(named) == 1:
        return named[0]
    listed = ", ".join(f"{a.name} ({a.id})" for a in attachments) or "none"
    if named:
        raise InvalidInput(
            connection, "attachment", f"{wanted!r} names several; give the id: {listed}"
        )
    raise InvalidInput(
        connection, "attachment", f"no attachment {wanted!r}; the ticket has: {listed}"
    )


def _read_upload(connection: str, path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD:
            raise InvalidInput(
                connection,
                "path",
                f"{path.name} is {size_text(size)}; at most {size_text(MAX_UPLOAD)}",
            )
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(connection, "path", f"{path}: {exc.strerror or exc}") from None


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def entry_time(day: date) -> datetime:
    """Noon UTC of ``day``: a time entry's date as a moment the desk stores, the same
    calendar day in every timezone within twelve hours of UTC."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)
