"""ConnectWise PSA's desk actions: the seed 002 commands beyond the common operations,
declared as typed specs so the TUI's ``A`` form, the bulk runner and ``triage action``
reach them, and run over the adapter's seed methods
(:class:`~adapters.connectwise.adapter.ConnectWiseAdapter`).

Decisions where the sources disagree or say nothing:

* **Statuses and teams are typed as names**, looked up on each ticket's own board (on the
  new board when the board changes), as seed "Update Tickets" takes them: the same name
  ("New", "Closed") is a different status on every board, so a site-wide pick list would
  be ambiguous. Boards and priorities are choices from the desk's lookups.
* **Urgency and impact** are the seed's three levels (urgency is ``severity`` on the wire).
* **Fetch** takes whole days: the start day from midnight UTC, the end day to its last
  second (the seed's time range is "updated between").
* **Merge into a parent** is the seed's command with its explicit status: the closed
  status is named, or the parent board's first closed status is used (what the common
  merge does). The bulk runner merges each marked ticket on its own.
* **Optional operations**: tickets can be deleted (``DELETE /service/tickets/{id}``) and
  searched (``summary contains`` the text, newest first). Time entries and attachments
  (``/time/entries``, ``/system/documents``) are not among the seed's commands and are
  refused with that reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from adapters.actions import (
    ActionField,
    ActionOutcome,
    ActionSpec,
    ActionValue,
    FieldKind,
    Scope,
)
from adapters.errors import InvalidInput, Unsupported
from adapters.model import ActionResult, Choice, Ticket
from adapters.text import clean_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from adapters.connectwise.adapter import ConnectWiseAdapter, ServiceTicketFields

MAX_FETCH = 1000
"""The most tickets seed "Fetch Event" returns in one run."""
MAX_SEARCH = 100
"""Search results shown, newest first."""

LEVEL_CHOICES = tuple(Choice(id=level, label=level) for level in ("High", "Medium", "Low"))

_SPLIT = re.compile(r"[,;\s]+")


def _level(name: str, label: str) -> ActionField:
    return ActionField(name=name, label=label, kind=FieldKind.CHOICE, choices=LEVEL_CHOICES)


def _ticket_fields(*, creating: bool) -> tuple[ActionField, ...]:
    """The fields of seed "Create Ticket" and "Update Tickets" (update adds the CC list)."""
    fields = [
        ActionField(
            name="company_id",
            label="Company id",
            kind=FieldKind.NUMBER,
            required=creating,
            help="see the companies action",
        ),
        ActionField(name="summary", label="Summary", kind=FieldKind.TEXT, required=creating),
        ActionField(name="board", label="Board", kind=FieldKind.CHOICE, lookup="groups"),
        ActionField(
            name="status", label="Status", kind=FieldKind.TEXT, help="a status name of the board"
        ),
        ActionField(name="priority", label="Priority", kind=FieldKind.CHOICE, lookup="priorities"),
        _level("urgency", "Urgency"),
        _level("impact", "Impact"),
        ActionField(name="contact_name", label="Contact name", kind=FieldKind.TEXT),
        ActionField(name="contact_phone", label="Contact phone", kind=FieldKind.TEXT),
        ActionField(name="contact_email", label="Contact e-mail", kind=FieldKind.TEXT),
        ActionField(
            name="team", label="Team", kind=FieldKind.TEXT, help="a team name of the board"
        ),
        ActionField(
            name="extra",
            label="Additional fields",
            kind=FieldKind.MULTILINE,
            help='other ticket fields as a JSON object, e.g. {"source": {"name": "Email"}}',
        ),
    ]
    if not creating:
        fields.append(
            ActionField(
                name="cc",
                label="Automatic e-mail CC",
                kind=FieldKind.TEXT,
                help="addresses separated by commas; e-mailed when notes are added",
            )
        )
    return tuple(fields)


ADD_NOTE = ActionSpec(
    id="add-note",
    label="Add a ticket note",
    help="One note on each ticket, with the Discussion, Internal and Resolution flags chosen.",
    fields=(
        ActionField(name="text", label="Note", kind=FieldKind.MULTILINE, required=True),
        ActionField(
            name="discussion",
            label="Discussion",
            kind=FieldKind.BOOL,
            default=True,
            help="e-mailed as the ticket's notifications say",
        ),
        ActionField(name="internal", label="Internal", kind=FieldKind.BOOL, default=False),
        ActionField(name="resolution", label="Resolution", kind=FieldKind.BOOL, default=False),
    ),
)
UPDATE_FIELDS = ActionSpec(
    id="update-fields",
    label="Update ticket fields",
    help="Summary, company, board, status, priority, urgency, impact, contact, team, CC list.",
    fields=_ticket_fields(creating=False),
)
CREATE_TICKET = ActionSpec(
    id="create-ticket",
    label="Create a service ticket",
    help="A ticket for a company, on a board, with the seed's fields.",
    scope=Scope.NONE,
    fields=_ticket_fields(creating=True),
)
MERGE_INTO = ActionSpec(
    id="merge-into",
    label="Merge into a parent",
    help="Merge each ticket into the parent ticket, closing it with a closed status.",
    fields=(
        ActionField(name="parent", label="Parent ticket id", kind=FieldKind.TEXT, required=True),
        ActionField(
            name="status",
            label="Closed status",
            kind=FieldKind.TEXT,
            help="a closed status of the parent's board; default: its first",
        ),
    ),
)
FETCH = ActionSpec(
    id="fetch",
    label="Fetch tickets",
    help="Tickets updated in a time range, by status, priority, impact, urgency, conditions.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="start", label="Updated from", kind=FieldKind.DATE),
        ActionField(name="end", label="Updated to", kind=FieldKind.DATE),
        ActionField(name="status", label="Status", kind=FieldKind.TEXT, help="a status name"),
        ActionField(name="priority", label="Priority", kind=FieldKind.CHOICE, lookup="priorities"),
        _level("impact", "Impact"),
        _level("urgency", "Urgency"),
        ActionField(
            name="conditions",
            label="Conditions",
            kind=FieldKind.TEXT,
            help='the desk\'s own conditions, e.g. closedFlag=false and summary contains "VPN"',
        ),
        ActionField(
            name="limit",
            label="At most",
            kind=FieldKind.NUMBER,
            default=50.0,
            help=f"1 to {MAX_FETCH}, newest first",
        ),
    ),
)
CONTACTS = ActionSpec(
    id="contacts",
    label="List company contacts",
    help="The contacts of the given companies, by company then last name.",
    scope=Scope.NONE,
    fields=(
        ActionField(
            name="companies",
            label="Company ids",
            kind=FieldKind.TEXT,
            required=True,
            help="separated by commas",
        ),
    ),
)
BOARDS = ActionSpec(
    id="boards",
    label="List boards",
    help="The service boards by name, filtered by name, business unit and location.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="name", label="Board name", kind=FieldKind.TEXT, help="full or partial"),
        ActionField(name="business_unit", label="Business unit", kind=FieldKind.TEXT),
        ActionField(name="location", label="Location", kind=FieldKind.TEXT),
    ),
)
_BOARD = ActionField(
    name="board", label="Board", kind=FieldKind.CHOICE, lookup="groups", required=True
)
BOARD_STATUSES = ActionSpec(
    id="board-statuses",
    label="List board statuses",
    help="The statuses of one board, by name; closed ones are marked.",
    scope=Scope.NONE,
    fields=(_BOARD,),
)
BOARD_TEAMS = ActionSpec(
    id="board-teams",
    label="List board teams",
    help="The teams of one board, by name.",
    scope=Scope.NONE,
    fields=(_BOARD,),
)
COMPANIES = ActionSpec(
    id="companies",
    label="List companies",
    help="The companies by name, filtered by name, status and type.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="name", label="Company name", kind=FieldKind.TEXT, help="full or partial"),
        ActionField(name="status", label="Status", kind=FieldKind.TEXT, help="e.g. Active"),
        ActionField(name="type", label="Type", kind=FieldKind.TEXT, help="e.g. Customer, Partner"),
    ),
)

DESK_ACTIONS: tuple[ActionSpec, ...] = (
    ADD_NOTE,
    UPDATE_FIELDS,
    MERGE_INTO,
    CREATE_TICKET,
    FETCH,
    CONTACTS,
    BOARDS,
    BOARD_STATUSES,
    BOARD_TEAMS,
    COMPANIES,
)


# --------------------------------------------------------------------------------------
# Running them
# --------------------------------------------------------------------------------------


async def run_desk_action(
    adapter: ConnectWiseAdapter,
    spec: ActionSpec,
    ticket_id: str | None,
    values: Mapping[str, ActionValue],
) -> ActionOutcome:
    """Run one of :data:`DESK_ACTIONS` (values already checked against ``spec``)."""
    name = adapter.name
    if ticket_id is not None:
        if spec.id == ADD_NOTE.id:
            return _one(
                await adapter.add_ticket_notes(
                    [ticket_id],
                    _text(values, "text") or "",
                    discussion=values.get("discussion") is True,
                    internal=values.get("internal") is True,
                    resolution=values.get("resolution") is True,
                )
            )
        if spec.id == UPDATE_FIELDS.id:
            fields = await _service_fields(adapter, values)
            outcome = _one(await adapter.update_tickets([ticket_id], fields))
            ticket, _ = await adapter.get_tickets([ticket_id])
            return ActionOutcome(message=outcome.message, ticket=ticket[0] if ticket else None)
        if spec.id == MERGE_INTO.id:
            return await _merge_into(adapter, ticket_id, values)
    if spec.id == CREATE_TICKET.id:
        created = await adapter.create_service_ticket(await _service_fields(adapter, values))
        return ActionOutcome(
            message=f"created ticket {created.key.native_id}: {created.subject}",
            created=created.key,
        )
    if spec.id == FETCH.id:
        return await _fetch(adapter, values)
    if spec.id == CONTACTS.id:
        ids = _ids(name, "companies", _text(values, "companies") or "")
        contacts = await adapter.company_contacts(ids)
        return ActionOutcome(
            message=_count(len(contacts), "contact", "contacts"),
            lines=tuple(_join(c.id, c.name, c.company, c.email, c.phone) for c in contacts),
        )
    if spec.id == BOARDS.id:
        boards = await adapter.list_boards(
            _text(values, "name"), _text(values, "business_unit"), _text(values, "location")
        )
        return _listing(boards, "board", "boards", _board_line)
    if spec.id in (BOARD_STATUSES.id, BOARD_TEAMS.id):
        board = int(_text(values, "board") or "0")
        if spec.id == BOARD_STATUSES.id:
            statuses = await adapter.list_board_statuses(board)
            return _listing(statuses, "status", "statuses", _status_line)
        teams = await adapter.list_board_teams(board)
        return _listing(teams, "team", "teams", _named_line)
    if spec.id == COMPANIES.id:
        companies = await adapter.list_companies(
            _text(values, "name"), _text(values, "status"), _text(values, "type")
        )
        return _listing(companies, "company", "companies", _company_line)
    raise Unsupported(name, f"the desk has no action {spec.id!r}")


async def _service_fields(
    adapter: ConnectWiseAdapter, values: Mapping[str, ActionValue]
) -> ServiceTicketFields:
    from adapters.connectwise.adapter import ServiceTicketFields

    lookups = await adapter.lookups()
    board_id = _text(values, "board")
    priority_id = _text(values, "priority")
    board = lookups.find("groups", board_id) if board_id else None
    priority = lookups.find("priorities", priority_id) if priority_id else None
    company = values.get("company_id")
    cc = _text(values, "cc")
    return ServiceTicketFields(
        summary=_text(values, "summary"),
        company_id=_whole(adapter.name, "company_id", company),
        board_name=board.label if board is not None else None,
        status=_text(values, "status"),
        priority=priority.label if priority is not None else None,
        urgency=_text(values, "urgency"),
        impact=_text(values, "impact"),
        contact_name=_text(values, "contact_name"),
        contact_phone=_text(values, "contact_phone"),
        contact_email=_text(values, "contact_email"),
        team=_text(values, "team"),
        extra=_extra(adapter.name, _text(values, "extra")),
        automatic_email_cc=[a for a in _SPLIT.split(cc) if a] if cc is not None else None,
    )


async def _merge_into(
    adapter: ConnectWiseAdapter, ticket_id: str, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    name = adapter.name
    parent = _ids(name, "parent", _text(values, "parent") or "")
    child = _ids(name, "ticket", ticket_id)
    if len(parent) != 1:
        raise InvalidInput(name, "parent", "name one parent ticket")
    wanted = _text(values, "status")
    closing = await adapter.closed_statuses_of(parent[0])
    if wanted is None:
        if not closing:
            raise Unsupported(name, "the parent's board has no closed status")
        status = closing[0]
    else:
        found = [s for s in closing if s[1].casefold() == wanted.strip().casefold()]
        if not found:
            offered = ", ".join(label for _, label in closing) or "none"
            raise InvalidInput(
                name,
                "status",
                f"the parent's board has no closed status {wanted!r}; its closed statuses: "
                f"{offered}",
            )
        status = found[0]
    results = await adapter.merge_tickets(parent[0], child, status[0])
    failed = [r for r in results if not r.ok]
    if failed:
        raise InvalidInput(name, "parent", failed[0].message)
    return ActionOutcome(message=f"merged into {parent[0]} as {status[1]}")


async def _fetch(adapter: ConnectWiseAdapter, values: Mapping[str, ActionValue]) -> ActionOutcome:
    from adapters.connectwise.adapter import TicketFetch

    start = _text(values, "start")
    end = _text(values, "end")
    limit = _whole(adapter.name, "limit", values.get("limit")) or 50
    if not 1 <= limit <= MAX_FETCH:
        raise InvalidInput(adapter.name, "limit", f"must be 1 to {MAX_FETCH}")
    priority_id = _text(values, "priority")
    priority = (await adapter.lookups()).find("priorities", priority_id) if priority_id else None
    tickets = await adapter.fetch_tickets(
        TicketFetch(
            start=_day_start(start) if start else None,
            end=_day_start(end) + timedelta(days=1, seconds=-1) if end else None,
            limit=limit,
            status=_text(values, "status"),
            priority=priority.label if priority is not None else None,
            impact=_text(values, "impact"),
            urgency=_text(values, "urgency"),
            conditions=_text(values, "conditions"),
        )
    )
    return ActionOutcome(
        message=_count(len(tickets), "ticket", "tickets"),
        lines=tuple(ticket_line(ticket) for ticket in tickets),
    )


def ticket_line(ticket: Ticket) -> str:
    """``250101  2024-05-01 12:00  In Progress  Priority 3  VPN down``."""
    status = ticket.status.label if ticket.status is not None else "-"
    priority = ticket.priority.label if ticket.priority is not None else "-"
    when = ticket.updated.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    return _join(ticket.key.native_id, when, status, priority, ticket.subject)


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _one(results: Sequence[ActionResult]) -> ActionOutcome:
    """The outcome of a seed method run on one ticket; its failure raised as such."""
    (result,) = results
    if not result.ok:
        raise InvalidInput(result.key.connection, "ticket", result.message)
    return ActionOutcome(message=result.message)


def _text(values: Mapping[str, ActionValue], name: str) -> str | None:
    value = values.get(name)
    return value if isinstance(value, str) and value.strip() else None


def _whole(connection: str, field: str, value: ActionValue) -> int | None:
    if value is None:
        return None
    if not isinstance(value, float | int) or isinstance(value, bool) or value != int(value):
        raise InvalidInput(connection, field, "must be a whole number")
    return int(value)


def _ids(connection: str, field: str, text: str) -> list[int]:
    parts = [part.strip().lstrip("#") for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise InvalidInput(connection, field, f"{text!r} is not a list of ids")
    return [int(part) for part in parts]


def _extra(connection: str, text: str | None) -> dict[str, object]:
    if text is None:
        return {}
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(connection, "extra", f"not JSON: {exc.msg}") from None
    if not isinstance(parsed, dict):
        raise InvalidInput(connection, "extra", "must be a JSON object")
    return parsed


def _day_start(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(0, 0), tzinfo=UTC)


def _join(*parts: object) -> str:
    """One line of a listing: each part (untrusted desk text) cleaned to one line, ``-``
    for none, two spaces between."""
    return "  ".join(clean_line(str(part)) or "-" if part is not None else "-" for part in parts)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _label(record: Mapping[str, object], key: str = "name") -> str:
    """A name from the desk, untrusted: one clean line."""
    value = record.get(key)
    return (clean_line(value) or "-") if isinstance(value, str) else "-"


def _ref_label(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    return _label(value) if isinstance(value, dict) else "-"


def _board_line(board: Mapping[str, object]) -> str:
    return _join(
        board.get("id"),
        _label(board),
        _ref_label(board, "department"),
        _ref_label(board, "location"),
    )


def _status_line(status: Mapping[str, object]) -> str:
    closed = "  (closed)" if status.get("closedStatus") else ""
    return _join(status.get("id"), _label(status)) + closed


def _named_line(record: Mapping[str, object]) -> str:
    return _join(record.get("id"), _label(record))


def _company_line(company: Mapping[str, object]) -> str:
    types = company.get("types")
    names = [_label(t) for t in types if isinstance(t, dict)] if isinstance(types, list) else []
    return _join(
        company.get("id"), _label(company), _ref_label(company, "status"), ", ".join(names) or None
    )


def _listing(
    records: Sequence[Mapping[str, object]],
    one: str,
    many: str,
    line: Callable[[Mapping[str, object]], str],
) -> ActionOutcome:
    return ActionOutcome(
        message=_count(len(records), one, many),
        lines=tuple(line(record) for record in records),
    )
