"""ConnectWise PSA adapter: the :class:`adapters.base.Adapter` operations, and the other
commands of seed 002, over the REST API 3.0.

Requests, settings and the setup tables are in :mod:`adapters.connectwise.client`; the
JSON mapping and the conditions builder in :mod:`adapters.connectwise.wire`.

Decisions (the README gives their sources):

* **Groups are boards.** Statuses, teams and types belong to a board; the lookups scope
  each status and type to its board, an update checks that a status belongs to the
  ticket's (new) board before sending it, and moving a ticket to another board without a
  status sends that board's default status with it.
* **Listing** builds ``conditions`` from the query (every value a quoted, escaped literal)
  and joins the connection's own ``conditions`` in parentheses; it is ordered by
  ``_info/lastUpdated`` (newest first unless asked otherwise), paged by ``page``/
  ``pageSize`` until the ``Link`` header names no next page, with ``/count`` for the total.
* **Updates** are PATCH JSON-patch operations replacing whole references
  (``{"id": …}``), never sub-paths (those come back 200 and change nothing); the answer is
  checked and a value the site did not take is :class:`InvalidInput` naming the field.
* **Replies and notes**: a public reply is a Discussion note sent with
  ``processNotifications`` (the contact, resources and CC list are e-mailed as the ticket
  says); a private note is an Internal note, not e-mailed.
* **Close** adds the note (Internal) and the resolution (Resolution) first, then sets a
  closed status of the ticket's own board, preferring one titled "Closed".
* **Merge** is native: ``POST …/{parent}/merge`` with the sources as bare integers and a
  closed status of the parent's board.
* **Custom fields** are written as the whole ``customFields`` array (the current values
  with the new ones), since ConnectWise replaces the array.
* **Create**: the requester is looked up among contacts by e-mail; a known contact brings
  their company, anyone else goes to ``default_company`` (``Catchall``) with their name and
  e-mail on the ticket.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from adapters.base import (
    Capabilities,
    Capability,
    DeskError,
    InvalidInput,
    NotFound,
    ProtocolError,
    Unsupported,
)
from adapters.connectwise import wire
from adapters.connectwise.client import (
    DEFAULT_CONCURRENCY,
    ConnectWiseClient,
    ConnectWiseSettings,
    require_ids,
    site_url,
    together,
)
from adapters.connectwise.wire import conditions as cond
from adapters.connectwise.wire.mapping import Json
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    Change,
    CustomField,
    CustomFieldValue,
    NewTicket,
    Post,
    Ticket,
    TicketDetail,
    TicketKey,
    TicketPage,
    TicketQuery,
    Visibility,
)
from adapters.paging import FetchedPage, PageRequest, ticket_pages

__all__ = [
    "ConnectWiseAdapter",
    "ConnectWiseSettings",
    "Contact",
    "ServiceTicketFields",
    "TicketFetch",
    "site_url",
]

log = logging.getLogger("triage.connectwise")

LEVELS = ("Low", "Medium", "High")
MAX_CC = 1000
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+$")
SORT_FIELDS: Mapping[str, str] = {
    "updated": "_info/lastUpdated",
    "created": "_info/dateEntered",
    "id": "id",
    "key": "id",
    "display_id": "id",
    "subject": "summary",
    "status": "status/name",
    "priority": "priority/sort",
    "group": "board/name",
    "type": "type/name",
    "assignee": "owner/name",
    "requester": "contactName",
    "due": "requiredDate",
}


@dataclass(frozen=True)
class TicketFetch:
    """Seed "Fetch Event": tickets by updated time, status, priority, impact, urgency and
    the agent's own conditions, newest first, at most ``limit`` (1-1000; None: all)."""

    start: datetime | None = None
    end: datetime | None = None
    limit: int | None = None
    status: str | None = None
    priority: str | None = None
    impact: str | None = None
    urgency: str | None = None
    conditions: str | None = None


@dataclass(frozen=True)
class ServiceTicketFields:
    """The fields seed "Create Ticket" and "Update Tickets" take. Names (board, status,
    priority, team) are the site's; ``extra`` is any other ticket field as JSON
    (``{"source": {"name": "Email"}, "city": "LA"}``)."""

    summary: str | None = None
    company_id: int | None = None
    board_name: str | None = None
    status: str | None = None
    priority: str | None = None
    urgency: str | None = None
    impact: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    team: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    automatic_email_cc: Sequence[str] | None = None


@dataclass(frozen=True)
class Contact:
    """A company contact (seed "Get Company Contacts")."""

    id: str
    name: str
    company_id: str
    company: str
    email: str | None
    phone: str | None
    title: str | None
    raw: Json


class ConnectWiseAdapter(ConnectWiseClient):
    """One ConnectWise PSA site."""

    vendor: ClassVar[str] = "connectwise"
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes("summary, status, priority, type, owner and board (PATCH)"),
        assign=Capability.yes("owner member and/or board"),
        close=Capability.yes("sets a closed status of the ticket's own board"),
        merge=Capability.yes(
            "native merge: the sources are closed with a closed status of the target's board"
        ),
        reply=Capability.yes("Discussion note, e-mailed as the ticket's notifications say"),
        note=Capability.yes("Internal note"),
        custom_fields=Capability.yes("ticket custom fields (the whole array is written)"),
        create=Capability.yes("on a board, for the contact with the requester's e-mail"),
        max_concurrency=DEFAULT_CONCURRENCY,
    )
    settings: ConnectWiseSettings

    # ----------------------------------------------------------------------------------
    # Helpers
    # ----------------------------------------------------------------------------------

    def _number(self, ticket_id: str) -> int:
        text = ticket_id.strip().lstrip("#")
        if not text.isdigit():
            raise InvalidInput(self.name, "ticket_id", f"{ticket_id!r} is not a ticket id")
        return int(text)

    async def _record(self, number: int) -> Json:
        payload = await self.get_json(f"service/tickets/{number}")
        return wire.record_of(payload, what=f"ticket {number}", connection=self.name)

    async def _patch(self, number: int, operations: list[Json]) -> Json:
        response = await self.send(
            "PATCH", f"service/tickets/{number}", json=operations, idempotent=True
        )
        return wire.record_of(
            self.decode(response, f"answer to PATCH ticket {number}"),
            what=f"ticket {number}",
            connection=self.name,
        )

    @staticmethod
    def _replace(path: str, value: object) -> Json:
        return {"op": "replace", "path": path, "value": value}

    # ----------------------------------------------------------------------------------
    # Listing and reading
    # ----------------------------------------------------------------------------------

    def _query_conditions(self, query: TicketQuery) -> str:
        parts: list[str | None] = []
        if self.settings.conditions:
            parts.append(cond.raw(self.settings.conditions))
        if query.group_ids:
            parts.append(
                cond.one_of("board/id", require_ids(query.group_ids, "group_ids", self.name))
            )
        if query.status_ids:
            parts.append(
                cond.one_of("status/id", require_ids(query.status_ids, "status_ids", self.name))
            )
        if query.assignee_ids:
            wanted = [a for a in query.assignee_ids if a.strip() != UNASSIGNED]
            terms = []
            if wanted:
                terms.append(
                    cond.one_of("owner/id", require_ids(wanted, "assignee_ids", self.name))
                )
            if len(wanted) != len(query.assignee_ids):
                terms.append("owner/id = null")
            parts.append(terms[0] if len(terms) == 1 else f"({' OR '.join(terms)})")
        if query.requester_ids:
            parts.append(
                cond.one_of(
                    "contact/id", require_ids(query.requester_ids, "requester_ids", self.name)
                )
            )
        if not query.include_done:
            parts.append(cond.equals("closedFlag", False))
        return cond.all_of(parts)

    async def _count(self, conditions: str) -> int | None:
        params = {"conditions": conditions} if conditions else None
        payload = await self.get_json("service/tickets/count", params)
        count = payload.get("count") if isinstance(payload, dict) else None
        return count if isinstance(count, int) else None

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """``GET /service/tickets`` pages (see the module docstring)."""
        query = query or TicketQuery()
        catalog = await self.catalog.get()
        conditions = self._query_conditions(query)
        sort = SORT_FIELDS.get((query.sort_field or "updated").strip().lower())
        if sort is None:
            log.debug("%s: cannot sort by %r on the desk", self.name, query.sort_field)
            sort = SORT_FIELDS["updated"]
        order = f"{sort} {'desc' if query.sort_descending else 'asc'}"
        params: dict[str, str | int] = {"orderBy": order if sort == "id" else f"{order}, id desc"}
        if conditions:
            params["conditions"] = conditions
        total = await self._count(conditions)

        async def fetch(page: PageRequest) -> FetchedPage:
            items, more = await self.page("service/tickets", params, page.number, page.size)
            tickets = [wire.ticket_from(item, catalog, self.name) for item in items]
            return FetchedPage(tickets, more=more)

        async for page in ticket_pages(self.name, fetch, page_size=query.page_size, total=total):
            yield page

    async def _notes(self, number: int) -> list[Json]:
        return await self.every(f"service/tickets/{number}/notes", {"orderBy": "id asc"})

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        """Seed "Get Tickets" (one): the ticket, its notes in time order, custom fields."""
        number = self._number(ticket_id)
        catalog = await self.catalog.get()
        async with together() as group:
            record_task = group.create_task(self._record(number))
            notes_task = group.create_task(self._notes(number))
        record = record_task.result()
        return self._detail(record, notes_task.result(), catalog)

    def _detail(self, record: Json, notes: Iterable[Json], catalog: wire.Catalog) -> TicketDetail:
        posts = sorted((wire.post_from(n, self.name) for n in notes), key=lambda p: p.created)
        return TicketDetail(
            ticket=wire.ticket_from(record, catalog, self.name, keep_raw=True),
            posts=tuple(posts),
            custom_fields=wire.custom_fields_from(record, self.name),
            raw=record,
        )

    # ----------------------------------------------------------------------------------
    # Changing tickets
    # ----------------------------------------------------------------------------------

    def _check_status(
        self, catalog: wire.Catalog, status_id: int, board_id: int, field_name: str = "status_id"
    ) -> None:
        status = catalog.status_by_id.get(status_id)
        if status is None:
            raise InvalidInput(self.name, field_name, f"no status {status_id} on this site")
        owner = catalog.board_of_status(status)
        if owner != board_id:
            where = wire.label(catalog.board_by_id.get(owner or 0, {})) or f"board {owner}"
            here = wire.label(catalog.board_by_id.get(board_id, {})) or f"board {board_id}"
            raise InvalidInput(
                self.name,
                field_name,
                f"status {wire.label(status)!r} belongs to {where}; the ticket is on {here}",
            )

    async def _change_operations(
        self, number: int, change: Change
    ) -> tuple[list[Json], dict[str, tuple[str, int | str | None]]]:
        """PATCH operations for ``change`` and what the answer must show
        (ticket path -> (Change field, expected id or text; None: absent))."""
        catalog = await self.catalog.get()
        operations: list[Json] = []
        expected: dict[str, tuple[str, int | str | None]] = {}
        if change.subject is not None:
            subject = change.subject.strip()
            if not subject:
                raise InvalidInput(self.name, "subject", "must not be empty")
            if len(subject) > 100:
                raise InvalidInput(
                    self.name, "subject", "ConnectWise summaries hold 100 characters"
                )
            operations.append(self._replace("summary", subject))
            expected["summary"] = ("subject", subject)
        ids: dict[str, int] = {}
        for name in ("status_id", "priority_id", "type_id", "group_id"):
            value = getattr(change, name)
            if value is not None:
                ids[name] = require_ids([value], name, self.name)[0]
        board_id: int | None = ids.get("group_id")
        if "status_id" in ids or "type_id" in ids or board_id is not None:
            current = await self._record(number)
            current_board = wire.ref(current, "board")
            target_board = board_id if board_id is not None else (current_board or {}).get("id")
            if target_board is None:
                raise ProtocolError(self.name, f"ticket {number}", "no board")
            if board_id is not None:
                if board_id not in catalog.board_by_id:
                    raise InvalidInput(self.name, "group_id", f"no board {board_id} on this site")
                operations.append(self._replace("board", {"id": board_id}))
                expected["board"] = ("group_id", board_id)
                if "status_id" not in ids and board_id != (current_board or {}).get("id"):
                    default = catalog.default_status(board_id)
                    if default is not None:
                        ids["status_id"] = default["id"]
            if "status_id" in ids:
                self._check_status(catalog, ids["status_id"], target_board)
            if "type_id" in ids:
                kind = next((t for t in catalog.types if t["id"] == ids["type_id"]), None)
                if kind is None or (kind.get("board") or {}).get("id") != target_board:
                    raise InvalidInput(
                        self.name,
                        "type_id",
                        f"type {ids['type_id']} is not a type of the ticket's board",
                    )
        for name, path in (
            ("status_id", "status"),
            ("priority_id", "priority"),
            ("type_id", "type"),
        ):
            if name in ids:
                operations.append(self._replace(path, {"id": ids[name]}))
                expected[path] = (name, ids[name])
        if change.assignee_id is not None:
            if change.assignee_id.strip() == UNASSIGNED:
                operations.append({"op": "remove", "path": "owner"})
                expected["owner"] = ("assignee_id", None)
            else:
                member = require_ids([change.assignee_id], "assignee_id", self.name)[0]
                operations.append(self._replace("owner", {"id": member}))
                expected["owner"] = ("assignee_id", member)
        return operations, expected

    def _verify(self, record: Json, expected: Mapping[str, tuple[str, int | str | None]]) -> None:
        missed = []
        for path, (name, value) in expected.items():
            actual: object = record.get(path)
            if isinstance(actual, dict):
                actual = actual.get("id")
            if actual != value:
                missed.append((name, value, actual))
        if missed:
            detail = "; ".join(f"{n} {v!r} (it has {a!r})" for n, v, a in missed)
            raise InvalidInput(self.name, missed[0][0], f"the site did not apply {detail}")

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        """Seed "Update Tickets" (one, normalised fields): PATCH, verified."""
        if change.is_empty():
            raise InvalidInput(self.name, "change", "nothing to change")
        number = self._number(ticket_id)
        operations, expected = await self._change_operations(number, change)
        record = await self._patch(number, operations)
        self._verify(record, expected)
        return wire.ticket_from(record, await self.catalog.get(), self.name, keep_raw=True)

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        """Owner member (``UNASSIGNED`` clears it) and/or board, in one PATCH."""
        if agent_id is None and group_id is None:
            raise InvalidInput(self.name, "agent_id", "give an agent and/or a group")
        return await self.update(ticket_id, Change(assignee_id=agent_id, group_id=group_id))

    async def _post_note(
        self,
        number: int,
        text: str,
        flags: Mapping[str, bool],
        *,
        notify: bool,
    ) -> Json:
        if not text.strip():
            raise InvalidInput(self.name, "text", "must not be empty")
        body: Json = {
            "text": text,
            **flags,
            "processNotifications": notify,
            "customerUpdatedFlag": False,
        }
        if self.settings.member_id is not None:
            body["member"] = {"id": self.settings.member_id}
        response = await self.send("POST", f"service/tickets/{number}/notes", json=body)
        return wire.record_of(
            self.decode(response, f"answer to POST ticket {number} note"),
            what="new note",
            connection=self.name,
        )

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        """PUBLIC: a Discussion note, e-mailed; PRIVATE: an Internal note."""
        number = self._number(ticket_id)
        note = await self._post_note(
            number, text, wire.note_flags(visibility), notify=visibility is Visibility.PUBLIC
        )
        return wire.post_from(note, self.name)

    async def _close_record(self, record: Json) -> Json:
        catalog = await self.catalog.get()
        number = wire.ident(record, what="ticket", connection=self.name)
        board = wire.ref(record, "board")
        if board is None:
            raise ProtocolError(self.name, f"ticket {number}", "no board")
        closing = catalog.closing_statuses(board["id"])
        if not closing:
            raise Unsupported(
                self.name, f"board {wire.label(board) or board['id']} has no closed status"
            )
        status_id = closing[0]["id"]
        updated = await self._patch(number, [self._replace("status", {"id": status_id})])
        self._verify(updated, {"status": ("status_id", status_id)})
        return updated

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        """The note (Internal) and resolution (Resolution) first, then a closed status of
        the ticket's board."""
        number = self._number(ticket_id)
        record = await self._record(number)
        if note.strip():
            await self._post_note(number, note, wire.note_flags(Visibility.PRIVATE), notify=False)
        if resolution.strip():
            flags = {
                "detailDescriptionFlag": False,
                "internalAnalysisFlag": False,
                "resolutionFlag": True,
            }
            await self._post_note(number, resolution, flags, notify=False)
        updated = await self._close_record(record)
        return wire.ticket_from(updated, await self.catalog.get(), self.name, keep_raw=True)

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Native merge into ``target_id`` with a closed status of its board."""
        parent = self._number(target_id)
        children = require_ids(source_ids, "source_ids", self.name)
        if parent in children:
            raise InvalidInput(self.name, "source_ids", "the target cannot be a source")
        if not children:
            raise InvalidInput(self.name, "source_ids", "name at least one ticket to merge")
        catalog = await self.catalog.get()
        record = await self._record(parent)
        board = wire.ref(record, "board")
        closing = catalog.closing_statuses(board["id"]) if board else []
        if not closing:
            raise Unsupported(self.name, "the target's board has no closed status")
        return await self.merge_tickets(parent, children, closing[0]["id"])

    async def merge_tickets(
        self, parent_id: int, merge_ids: Sequence[int], status_id: int
    ) -> list[ActionResult]:
        """Seed "Merge Tickets": ``POST /service/tickets/{parent}/merge`` with the ids as
        bare integers and the (closed) status the merged tickets get."""
        children = list(dict.fromkeys(int(i) for i in merge_ids))
        if parent_id in children:
            raise InvalidInput(self.name, "source_ids", "a ticket cannot be merged into itself")
        if not children:
            raise InvalidInput(self.name, "source_ids", "name at least one ticket to merge")
        catalog = await self.catalog.get()
        status = catalog.status_by_id.get(status_id)
        if status is not None and not status.get("closedStatus"):
            raise InvalidInput(
                self.name, "status", f"{wire.label(status)!r} is not a closed status"
            )
        body = {"mergeTicketIds": children, "status": {"id": status_id}}
        try:
            response = await self.send("POST", f"service/tickets/{parent_id}/merge", json=body)
        except DeskError as exc:
            results = [
                ActionResult(
                    key=TicketKey(self.name, str(c)), action="merge", ok=False, message=exc.message
                )
                for c in children
            ]
            results.append(
                ActionResult(
                    key=TicketKey(self.name, str(parent_id)),
                    action="merge",
                    ok=False,
                    message=f"nothing merged: {exc.message}",
                )
            )
            return results
        answer = self.decode(response, "answer to merge")
        message = answer.get("message") if isinstance(answer, dict) else None
        results = [
            ActionResult(
                key=TicketKey(self.name, str(c)),
                action="merge",
                ok=True,
                message=f"merged into {parent_id}",
            )
            for c in children
        ]
        results.append(
            ActionResult(
                key=TicketKey(self.name, str(parent_id)),
                action="merge",
                ok=True,
                message=message
                if isinstance(message, str) and message
                else f"{len(children)} merged",
            )
        )
        return results

    # ----------------------------------------------------------------------------------
    # Custom fields
    # ----------------------------------------------------------------------------------

    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        """PATCH ``customFields`` with the whole array: current values, the new ones in."""
        if not values:
            raise InvalidInput(self.name, "values", "nothing to set")
        number = self._number(ticket_id)
        record = await self._record(number)
        items = record.get("customFields")
        if not isinstance(items, list):
            raise InvalidInput(self.name, next(iter(values)), "the ticket has no custom fields")
        by_key = {str(i.get("id")): i for i in items if isinstance(i, dict)}
        for key in values:
            if key not in by_key:
                raise InvalidInput(self.name, key, f"ticket {number} has no such custom field")
        written: list[Json] = []
        expected: dict[str, object] = {}
        for key, item in by_key.items():
            entry: Json = {"id": item["id"]}
            if key in values:
                value = wire.encode_value(item, values[key], self.name)
                expected[key] = value
            else:
                value = item.get("value")
            if value is not None:
                entry["value"] = value
            written.append(entry)
        try:
            updated = await self._patch(number, [self._replace("customFields", written)])
        except InvalidInput as exc:
            named = [k for k in values if wire.label(by_key[k], "caption") in exc.reason]
            raise InvalidInput(self.name, (named or list(values))[0], exc.reason) from None
        fields = wire.custom_fields_from(updated, self.name)
        after = {f.key: f for f in fields}
        for key, wanted in expected.items():
            got = after.get(key)
            if got is None or (wanted is not None and not wire.same_value(wanted, got.value)):
                shown = "nothing" if got is None else repr(got.value)
                raise InvalidInput(
                    self.name, key, f"the site did not apply {wanted!r} (it shows {shown})"
                )
        return fields

    # ----------------------------------------------------------------------------------
    # Creating
    # ----------------------------------------------------------------------------------

    async def find_contact(self, email: str) -> Json | None:
        """The contact with this e-mail address, if any."""
        items, _ = await self.page(
            "company/contacts",
            {
                "childConditions": cond.all_of(
                    [
                        cond.equals("communicationItems/value", email),
                        cond.equals("communicationItems/communicationType", "Email"),
                    ]
                ),
                "orderBy": "id asc",
            },
            1,
            1,
        )
        return items[0] if items else None

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        """A ticket on board ``group_id`` for the requester, the body as its description."""
        subject = new.subject.strip()
        email = new.requester_email.strip()
        for name, value in (("subject", subject), ("body", new.body), ("requester_email", email)):
            if not value.strip():
                raise InvalidInput(self.name, name, "must not be empty")
        if len(subject) > 100:
            raise InvalidInput(self.name, "subject", "ConnectWise summaries hold 100 characters")
        if not _EMAIL.match(email):
            raise InvalidInput(self.name, "requester_email", "is not an e-mail address")
        board_id = require_ids([new.group_id], "group_id", self.name)[0]
        catalog = await self.catalog.get()
        if board_id not in catalog.board_by_id:
            raise InvalidInput(self.name, "group_id", f"no board {board_id} on this site")
        body: Json = {
            "summary": subject,
            "board": {"id": board_id},
            "initialDescription": new.body,
            "contactEmailAddress": email,
        }
        contact = await self.find_contact(email)
        if contact is not None and isinstance(contact.get("company"), dict):
            body["company"] = {"id": contact["company"]["id"]}
            body["contact"] = {"id": contact["id"]}
        else:
            body["company"] = {"identifier": self.settings.default_company}
        if new.requester_name.strip():
            body["contactName"] = new.requester_name.strip()
        if new.status_id is not None:
            status_id = require_ids([new.status_id], "status_id", self.name)[0]
            self._check_status(catalog, status_id, board_id)
            body["status"] = {"id": status_id}
        for name, path in (("priority_id", "priority"), ("type_id", "type")):
            value = getattr(new, name)
            if value is not None:
                body[path] = {"id": require_ids([value], name, self.name)[0]}
        if new.assignee_id and new.assignee_id != UNASSIGNED:
            body["owner"] = {"id": require_ids([new.assignee_id], "assignee_id", self.name)[0]}
        record = await self._create(body)
        number = wire.ident(record, what="new ticket", connection=self.name)
        try:
            notes = await self._notes(number)
        except DeskError as exc:
            # The ticket exists: failing now would invite a duplicate.
            log.warning("%s: new ticket %s: notes: %s", self.name, number, exc.message)
            notes = []
        return self._detail(record, notes, catalog)

    async def _create(self, body: Json) -> Json:
        response = await self.send("POST", "service/tickets", json=body)
        return wire.record_of(
            self.decode(response, "answer to POST /service/tickets"),
            what="new ticket",
            connection=self.name,
        )

    # ----------------------------------------------------------------------------------
    # The other seed commands
    # ----------------------------------------------------------------------------------

    def _fields_body(
        self, fields: ServiceTicketFields, catalog: wire.Catalog, board_id: int | None
    ) -> Json:
        """The JSON of seed "Create Ticket"/"Update Tickets" fields (names resolved by the
        site: ``{"name": …}`` references)."""
        body: Json = dict(fields.extra)
        if fields.summary is not None:
            if not fields.summary.strip() or len(fields.summary) > 100:
                raise InvalidInput(self.name, "summary", "1 to 100 characters")
            body["summary"] = fields.summary
        if fields.company_id is not None:
            body["company"] = {"id": fields.company_id}
        if fields.board_name is not None:
            board = next(
                (
                    b
                    for b in catalog.boards
                    if wire.label(b).casefold() == fields.board_name.strip().casefold()
                ),
                None,
            )
            if board is None:
                raise InvalidInput(self.name, "board_name", f"no board named {fields.board_name!r}")
            body["board"] = {"id": board["id"]}
            board_id = board["id"]
        if fields.status is not None:
            if board_id is None:
                body["status"] = {"name": fields.status}
            else:
                status = next(
                    (
                        s
                        for s in catalog.statuses
                        if catalog.board_of_status(s) == board_id
                        and wire.label(s).casefold() == fields.status.strip().casefold()
                    ),
                    None,
                )
                if status is None:
                    raise InvalidInput(
                        self.name, "status", f"the board has no status {fields.status!r}"
                    )
                body["status"] = {"id": status["id"]}
        if fields.priority is not None:
            body["priority"] = {"name": fields.priority}
        for name, path in (("urgency", "severity"), ("impact", "impact")):
            value = getattr(fields, name)
            if value is not None:
                level = value.strip().capitalize()
                if level not in LEVELS:
                    raise InvalidInput(self.name, name, "is High, Medium or Low")
                body[path] = level
        if fields.contact_name is not None:
            body["contactName"] = fields.contact_name
        if fields.contact_phone is not None:
            body["contactPhoneNumber"] = fields.contact_phone
        if fields.contact_email is not None:
            body["contactEmailAddress"] = fields.contact_email
        if fields.team is not None:
            body["team"] = {"name": fields.team}
        if fields.automatic_email_cc is not None:
            addresses = [a.strip() for a in fields.automatic_email_cc if a.strip()]
            for address in addresses:
                if not _EMAIL.match(address):
                    raise InvalidInput(
                        self.name, "automatic_email_cc", f"{address!r} is not an e-mail address"
                    )
            joined = ";".join(addresses)
            if len(joined) > MAX_CC:
                raise InvalidInput(
                    self.name, "automatic_email_cc", f"at most {MAX_CC} characters in all"
                )
            body["automaticEmailCc"] = joined
            body["automaticEmailCcFlag"] = bool(addresses)
        return body

    async def create_service_ticket(self, fields: ServiceTicketFields) -> Ticket:
        """Seed "Create Ticket": company required; board, status, team, priority, urgency
        and impact default to the board's and the site's defaults."""
        if fields.company_id is None:
            raise InvalidInput(self.name, "company_id", "a ticket needs a company")
        if not (fields.summary or "").strip():
            raise InvalidInput(self.name, "summary", "must not be empty")
        catalog = await self.catalog.get()
        body = self._fields_body(fields, catalog, None)
        record = await self._create(body)
        return wire.ticket_from(record, catalog, self.name, keep_raw=True)

    async def update_tickets(
        self, ticket_ids: Sequence[str], fields: ServiceTicketFields
    ) -> list[ActionResult]:
        """Seed "Update Tickets": the same fields (plus the automatic e-mail CC list) on
        each ticket, one PATCH each; a status by name is looked up on each ticket's board."""
        catalog = await self.catalog.get()
        results: list[ActionResult] = []
        for ticket_id in ticket_ids:
            key = TicketKey(self.name, ticket_id.strip())
            try:
                number = self._number(ticket_id)
                board_id = None
                if fields.status is not None and fields.board_name is None:
                    board = wire.ref(await self._record(number), "board")
                    board_id = board["id"] if board else None
                body = self._fields_body(fields, catalog, board_id)
                if not body:
                    raise InvalidInput(self.name, "fields", "nothing to change")
                await self._patch(number, [self._replace(k, v) for k, v in body.items()])
            except DeskError as exc:
                results.append(
                    ActionResult(key=key, action="update", ok=False, message=exc.message)
                )
                continue
            results.append(ActionResult(key=key, action="update", ok=True, message="updated"))
        return results

    async def add_ticket_notes(
        self,
        ticket_ids: Sequence[str],
        text: str,
        *,
        discussion: bool = True,
        internal: bool = False,
        resolution: bool = False,
    ) -> list[ActionResult]:
        """Seed "Add Ticket Notes": one note with the chosen flags on each ticket."""
        if not (discussion or internal or resolution):
            raise InvalidInput(self.name, "flags", "choose Discussion, Internal and/or Resolution")
        flags = {
            "detailDescriptionFlag": discussion,
            "internalAnalysisFlag": internal,
            "resolutionFlag": resolution,
        }
        results = []
        for ticket_id in ticket_ids:
            key = TicketKey(self.name, ticket_id.strip())
            try:
                note = await self._post_note(
                    self._number(ticket_id), text, flags, notify=discussion
                )
            except DeskError as exc:
                results.append(ActionResult(key=key, action="note", ok=False, message=exc.message))
                continue
            results.append(
                ActionResult(key=key, action="note", ok=True, message=f"note {note.get('id')}")
            )
        return results

    async def delete_tickets(self, ticket_ids: Sequence[str]) -> list[ActionResult]:
        """Seed "Delete Tickets": ``DELETE /service/tickets/{id}`` (204) each."""
        results = []
        for ticket_id in ticket_ids:
            key = TicketKey(self.name, ticket_id.strip())
            try:
                await self.send("DELETE", f"service/tickets/{self._number(ticket_id)}")
            except DeskError as exc:
                results.append(
                    ActionResult(key=key, action="delete", ok=False, message=exc.message)
                )
                continue
            results.append(ActionResult(key=key, action="delete", ok=True, message="deleted"))
        return results

    async def get_tickets(
        self, ticket_ids: Sequence[str]
    ) -> tuple[list[Ticket], list[ActionResult]]:
        """Seed "Get Tickets": the tickets found, and a failed result for each other id."""
        catalog = await self.catalog.get()
        found: list[Ticket] = []
        failed: list[ActionResult] = []
        for ticket_id in ticket_ids:
            try:
                record = await self._record(self._number(ticket_id))
            except (NotFound, InvalidInput) as exc:
                failed.append(
                    ActionResult(
                        key=TicketKey(self.name, ticket_id.strip()),
                        action="get",
                        ok=False,
                        message=exc.message,
                    )
                )
                continue
            found.append(wire.ticket_from(record, catalog, self.name, keep_raw=True))
        return found, failed

    def fetch_conditions(self, fetch: TicketFetch) -> str:
        """The conditions of a seed "Fetch Event" query (every value a literal)."""
        parts: list[str | None] = []
        if fetch.start is not None:
            parts.append(cond.compare("lastUpdated", ">=", fetch.start))
        if fetch.end is not None:
            parts.append(cond.compare("lastUpdated", "<=", fetch.end))
        if fetch.status:
            parts.append(cond.equals("status/name", fetch.status))
        if fetch.priority:
            parts.append(cond.equals("priority/name", fetch.priority))
        for name, path in (("impact", "impact"), ("urgency", "severity")):
            value = getattr(fetch, name)
            if value:
                level = value.strip().capitalize()
                if level not in LEVELS:
                    raise InvalidInput(self.name, name, "is High, Medium or Low")
                parts.append(cond.equals(path, level))
        if fetch.conditions and fetch.conditions.strip():
            parts.append(cond.raw(fetch.conditions))
        return cond.all_of(parts)

    async def fetch_tickets(self, fetch: TicketFetch) -> list[Ticket]:
        """Seed "Fetch Event": newest first by ``_info/lastUpdated``."""
        for name in ("start", "end"):
            moment = getattr(fetch, name)
            if moment is not None and moment.tzinfo is None:
                raise InvalidInput(self.name, name, "needs a timezone")
        if fetch.limit is not None and not 1 <= fetch.limit <= 1000:
            raise InvalidInput(self.name, "limit", "must be between 1 and 1000")
        catalog = await self.catalog.get()
        params: dict[str, str | int] = {"orderBy": "_info/lastUpdated desc, id desc"}
        conditions = self.fetch_conditions(fetch)
        if conditions:
            params["conditions"] = conditions
        items = await self.every("service/tickets", params, limit=fetch.limit)
        return [wire.ticket_from(item, catalog, self.name) for item in items]

    async def company_contacts(self, company_ids: Sequence[int]) -> list[Contact]:
        """Seed "Get Company Contacts": by company name, then last name."""
        if not company_ids:
            raise InvalidInput(self.name, "company_ids", "name at least one company")
        items = await self.every(
            "company/contacts",
            {
                "conditions": cond.one_of("company/id", list(company_ids)),
                "orderBy": "company/name asc, lastName asc",
            },
        )
        contacts = []
        for item in items:
            company = wire.ref(item, "company") or {"id": 0}
            emails = [
                c.get("value")
                for c in item.get("communicationItems") or []
                if isinstance(c, dict) and c.get("communicationType") == "Email"
            ]
            phones = [
                c.get("value")
                for c in item.get("communicationItems") or []
                if isinstance(c, dict) and c.get("communicationType") == "Phone"
            ]
            contacts.append(
                Contact(
                    id=str(item.get("id")),
                    name=wire.member_name(item),
                    company_id=str(company["id"]),
                    company=wire.label(company),
                    email=emails[0] if emails else None,
                    phone=phones[0] if phones else None,
                    title=item.get("title") if isinstance(item.get("title"), str) else None,
                    raw=item,
                )
            )
        contacts.sort(
            key=lambda c: (c.company.casefold(), str(c.raw.get("lastName", "")).casefold())
        )
        return contacts

    async def list_boards(
        self, name: str | None = None, business_unit: str | None = None, location: str | None = None
    ) -> list[Json]:
        """Seed "List Boards": by full or partial name, business unit and location names."""
        parts = [
            cond.compare("name", "contains", name) if name else None,
            cond.compare("department/name", "contains", business_unit) if business_unit else None,
            cond.compare("location/name", "contains", location) if location else None,
        ]
        conditions = cond.all_of(parts)
        params: dict[str, str | int] = {"orderBy": "name asc"}
        if conditions:
            params["conditions"] = conditions
        return await self.every("service/boards", params)

    async def list_board_statuses(self, board_id: int) -> list[Json]:
        """Seed "List Board Statuses", by name."""
        return await self.every(f"service/boards/{int(board_id)}/statuses", {"orderBy": "name asc"})

    async def list_board_teams(self, board_id: int) -> list[Json]:
        """Seed "List Board Teams", by name."""
        return await self.every(f"service/boards/{int(board_id)}/teams", {"orderBy": "name asc"})

    async def list_companies(
        self, name: str | None = None, status: str | None = None, company_type: str | None = None
    ) -> list[Json]:
        """Seed "List Companies": by full or partial name, status and type names."""
        params: dict[str, str | int] = {"orderBy": "name asc"}
        conditions = cond.all_of(
            [
                cond.compare("name", "contains", name) if name else None,
                cond.equals("status/name", status) if status else None,
            ]
        )
        if conditions:
            params["conditions"] = conditions
        if company_type:
            params["childConditions"] = cond.equals("types/name", company_type)
        return await self.every("company/companies", params)
