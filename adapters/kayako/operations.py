"""Kayako Classic's operations beyond the common ones: time tracks, attachments, deleting
a ticket, the fields of a new ticket, and the desk's own actions (seed 000's extra
commands), over the signed client of :mod:`adapters.kayako.client`.

Decisions where the sources disagree or say nothing:

* **Time entries** are time tracks (``/Tickets/TicketTimeTrack``), created by the
  connection's ``staff_id`` and worked by the chosen staff member (default: the same). A
  time entry's date is noon UTC of the day worked, for both the work and the bill date.
* **Uploads** go to ``POST /Tickets/TicketAttachment``, which attaches a file to a *post*
  (``ticketpostid`` is required): the ticket's latest post takes it.
* **Delete** is ``DELETE /Tickets/Ticket/$id$``: the vendor documents it and the server
  has it, although seed 000 lists no such command.
* **A new ticket's custom fields** are the ticket groups' fields of ``/Base/CustomField``
  (group types 3, 4 and 9: user, staff, and staff-and-user ticket fields).
* **Desk actions**: ``time-entry`` (seed "Get Ticket Time Track Note") and ``users``
  (seed "List Users", paged by user id from a marker) beside the standard actions.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from adapters.actions import (
    ActionField,
    ActionOutcome,
    ActionSpec,
    ActionValue,
    FieldKind,
    FileContent,
    Scope,
)
from adapters.base import InvalidInput, NotFound, ProtocolError, Unsupported
from adapters.kayako import wire
from adapters.kayako.client import KayakoClient
from adapters.model import (
    Attachment,
    NewTimeEntry,
    Person,
    TimeEntry,
)
from adapters.operations import entry_time, time_entry_line

MAX_USERS = 1000
"""The most users ``/Base/User/Filter`` returns in one call."""

TIME_ENTRY = ActionSpec(
    id="time-entry",
    label="Show a time entry",
    help="One time track of the ticket, by its id.",
    scope=Scope.ONE,
    fields=(ActionField(name="entry", label="Entry id", kind=FieldKind.TEXT, required=True),),
)
USERS = ActionSpec(
    id="users",
    label="List users",
    help="The desk's users (customers), by user id from a starting id.",
    scope=Scope.NONE,
    fields=(
        ActionField(
            name="from_id", label="From user id", kind=FieldKind.NUMBER, help="default: the first"
        ),
        ActionField(
            name="limit", label="At most", kind=FieldKind.NUMBER, default=100.0, help="1 to 1000"
        ),
    ),
)


class KayakoOperations(KayakoClient):
    """The optional operations and desk actions; :class:`~adapters.kayako.adapter.
    KayakoAdapter` adds the common ones."""

    # ----------------------------------------------------------------------------------
    # Time tracking
    # ----------------------------------------------------------------------------------

    async def list_time_tracks(self, ticket_id: str) -> list[wire.TimeTrack]:
        """Seed "Get Ticket Time Track Notes List": ``GET …/TicketTimeTrack/ListAll/$id$``."""
        number = await self._ticket_number(ticket_id)
        nodes = await self._items(
            ["Tickets", "TicketTimeTrack", "ListAll", number], "timetracks", "timetrack"
        )
        return [wire.TimeTrack.from_node(node) for node in nodes]

    async def get_time_track(self, ticket_id: str, track_id: int) -> wire.TimeTrack:
        """Seed "Get Ticket Time Track Note": ``GET …/TicketTimeTrack/$id$/$trackid$``."""
        number = await self._ticket_number(ticket_id)
        nodes = await self._items(
            ["Tickets", "TicketTimeTrack", number, track_id], "timetracks", "timetrack"
        )
        if not nodes:
            raise NotFound(self.name, f"time track {track_id} of ticket {number} not found")
        return wire.TimeTrack.from_node(nodes[0])

    async def create_time_track(
        self,
        ticket_id: str,
        *,
        contents: str,
        time_spent: int,
        time_billable: int,
        work_date: datetime,
        bill_date: datetime | None = None,
        worker_staff_id: int | None = None,
        note_color: int | str | None = None,
    ) -> wire.TimeTrack:
        """Seed "Create Ticket Time Track Note": ``POST /Tickets/TicketTimeTrack``, created
        by the connection's ``staff_id``; ``note_color`` 1-5 or yellow/purple/blue/green/red."""
        staff_id = self._staff_id("logs time")
        if not contents.strip():
            raise InvalidInput(self.name, "contents", "must not be empty")
        for name, seconds in (("time_spent", time_spent), ("time_billable", time_billable)):
            if seconds < 0:
                raise InvalidInput(self.name, name, "must not be negative")
        for name, moment in (("work_date", work_date), ("bill_date", bill_date)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidInput(self.name, name, "needs a timezone")
        number = await self._ticket_number(ticket_id)
        form = {
            "ticketid": number,
            "contents": contents,
            "staffid": staff_id,
            "worktimeline": str(int(work_date.timestamp())),
            "billtimeline": str(int((bill_date or work_date).timestamp())),
            "timespent": str(time_spent),
            "timebillable": str(time_billable),
        }
        if worker_staff_id is not None:
            form["workerstaffid"] = str(worker_staff_id)
        if note_color is not None:
            form["notecolor"] = str(self._note_color(note_color))
        content = await self._xml("POST", ["Tickets", "TicketTimeTrack"], "timetracks", form)
        items = wire.items_of(content, "timetrack", connection=self.name, what="new time track")
        if not items:
            raise ProtocolError(self.name, "answer to POST /Tickets/TicketTimeTrack", "empty")
        return wire.TimeTrack.from_node(items[0])

    def _note_color(self, color: int | str) -> int:
        if isinstance(color, str) and not color.isdigit():
            value = wire.NOTE_COLORS.get(color.strip().lower())
            if value is None:
                raise InvalidInput(self.name, "note_color", f"use {', '.join(wire.NOTE_COLORS)}")
            return value
        number = int(color)
        if not 1 <= number <= 5:
            raise InvalidInput(self.name, "note_color", "must be 1 to 5")
        return number

    async def delete_time_track(self, ticket_id: str, track_id: int) -> None:
        """Seed "Delete Ticket Time Track Note": ``DELETE …/TicketTimeTrack/$id$/$trackid$``.
        The answer (empty per the server, a copy of the entry per seed 000) is not read."""
        number = await self._ticket_number(ticket_id)
        await self._send("DELETE", ["Tickets", "TicketTimeTrack", number, track_id])

    # ----------------------------------------------------------------------------------
    # Time entries (the normalised face of time tracks)
    # ----------------------------------------------------------------------------------

    async def list_time_entries(self, ticket_id: str) -> list[TimeEntry]:
        tracks = await self.list_time_tracks(ticket_id)
        return [time_entry(track) for track in sorted(tracks, key=_track_order)]

    async def add_time_entry(self, ticket_id: str, entry: NewTimeEntry) -> TimeEntry:
        worker = None
        if entry.agent_id is not None:
            if not entry.agent_id.isdigit():
                raise InvalidInput(self.name, "agent", f"{entry.agent_id!r} is not a staff id")
            worker = int(entry.agent_id)
        track = await self.create_time_track(
            ticket_id,
            contents=entry.note,
            time_spent=entry.worked,
            time_billable=entry.worked if entry.billable is None else entry.billable,
            work_date=entry_time(entry.day),
            worker_staff_id=worker,
        )
        return time_entry(track)

    async def delete_time_entry(self, ticket_id: str, entry_id: str) -> None:
        await self.delete_time_track(ticket_id, _number(self.name, "entry", entry_id))

    # ----------------------------------------------------------------------------------
    # Attachments
    # ----------------------------------------------------------------------------------

    async def list_attachments(self, ticket_id: str) -> list[Attachment]:
        """``GET /Tickets/TicketAttachment/ListAll/$id$`` (without the contents)."""
        number = await self._ticket_number(ticket_id)
        nodes = await self._items(
            ["Tickets", "TicketAttachment", "ListAll", number], "attachments", "attachment"
        )
        return [_attachment(node) for node in nodes]

    async def download_attachment(self, ticket_id: str, attachment_id: str) -> FileContent:
        """``GET /Tickets/TicketAttachment/$id$/$attachmentid$``: the base64 contents."""
        number = await self._ticket_number(ticket_id)
        wanted = _number(self.name, "attachment", attachment_id)
        nodes = await self._items(
            ["Tickets", "TicketAttachment", number, wanted], "attachments", "attachment"
        )
        if not nodes:
            raise NotFound(self.name, f"attachment {wanted} of ticket {number} not found")
        node = nodes[0]
        encoded = node.raw("contents") or ""
        try:
            data = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(
                self.name, f"attachment {wanted}", "contents are not base64"
            ) from None
        return FileContent(
            name=node.text("filename") or f"attachment-{wanted}",
            data=data,
            content_type=node.text("filetype") or None,
        )

    async def upload_attachment(self, ticket_id: str, name: str, data: bytes) -> Attachment:
        """``POST /Tickets/TicketAttachment`` onto the ticket's latest post."""
        if not name.strip():
            raise InvalidInput(self.name, "path", "the file needs a name")
        node = await self._ticket_node(ticket_id)
        number = node.ident("id", "ticketid")
        posts = node.wrapper("posts")
        post_ids = [
            int(post_id)
            for post in (posts.items("post") if posts is not None else [])
            if (post_id := post.text("ticketpostid") or post.text("id")).isdigit()
        ]
        if not post_ids:
            raise Unsupported(self.name, f"ticket {number} has no post to attach a file to")
        form = {
            "ticketid": number,
            "ticketpostid": str(max(post_ids)),
            "filename": name,
            "contents": base64.b64encode(data).decode("ascii"),
        }
        content = await self._xml("POST", ["Tickets", "TicketAttachment"], "attachments", form)
        items = wire.items_of(content, "attachment", connection=self.name, what="new attachment")
        if not items:
            raise ProtocolError(self.name, "answer to POST /Tickets/TicketAttachment", "empty")
        return _attachment(items[0])

    # ----------------------------------------------------------------------------------
    # Deleting
    # ----------------------------------------------------------------------------------

    async def delete_ticket(self, ticket_id: str) -> None:
        """``DELETE /Tickets/Ticket/$id$`` (the answer is empty)."""
        number = await self._ticket_number(ticket_id)
        await self._send("DELETE", ["Tickets", "Ticket", number])
        self._masks = {mask: n for mask, n in self._masks.items() if n != number}

    # ----------------------------------------------------------------------------------
    # The desk's own actions
    # ----------------------------------------------------------------------------------

    def desk_actions(self) -> Sequence[ActionSpec]:
        return (TIME_ENTRY, USERS)

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        if spec.id == TIME_ENTRY.id and ticket_id is not None:
            entry = values.get("entry")
            track_id = _number(self.name, "entry", entry if isinstance(entry, str) else "")
            found = time_entry(await self.get_time_track(ticket_id, track_id))
            return ActionOutcome(message=f"time entry {found.id}", lines=(time_entry_line(found),))
        if spec.id == USERS.id:
            return await self._users(values)
        return await super().run_desk_action(spec, ticket_id, values)

    async def _users(self, values: Mapping[str, ActionValue]) -> ActionOutcome:
        start = values.get("from_id")
        limit = values.get("limit")
        marker = int(start) if isinstance(start, float) else None
        count = int(limit) if isinstance(limit, float) else 100
        if marker is not None and marker < 0:
            raise InvalidInput(self.name, "from_id", "must not be negative")
        if not 1 <= count <= MAX_USERS:
            raise InvalidInput(self.name, "limit", f"must be 1 to {MAX_USERS}")
        users = await self.list_users(marker, count)
        lines = tuple(
            f"{user.id}  {user.fullname}  {', '.join(user.emails) or '-'}"
            + ("" if user.isenabled else "  (disabled)")
            for user in users
        )
        return ActionOutcome(message=f"{len(users)} user{'s' * (len(users) != 1)}", lines=lines)


def time_entry(track: wire.TimeTrack) -> TimeEntry:
    """A time track as the model's :class:`TimeEntry`."""
    staff_id = track.workerstaffid or track.creatorstaffid
    name = track.workerstaffname or track.creatorstaffname
    when = track.workdate or track.billdate or datetime.fromtimestamp(0, UTC)
    return TimeEntry(
        id=str(track.id),
        worked=max(0, track.timeworked),
        billable=max(0, track.timebillable),
        note=track.contents,
        date=when,
        agent=Person(id=str(staff_id) if staff_id else None, name=name) if name else None,
    )


def _track_order(track: wire.TimeTrack) -> tuple[float, int]:
    when = track.workdate or track.billdate
    return (when.timestamp() if when else 0.0, track.id)


def _attachment(node: wire.Node) -> Attachment:
    return Attachment(
        id=node.ident("id", "attachmentid"),
        name=node.text("filename") or "attachment",
        size=node.number("filesize", 0) if node.raw("filesize") else None,
        content_type=node.text("filetype") or None,
        created=node.time("dateline"),
    )


def _number(connection: str, field: str, text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit():
        raise InvalidInput(connection, field, f"{text!r} is not an id of this desk")
    return int(cleaned)
