"""ConnectWise writes to one ticket: update and assign (PATCH, verified), replies and
notes, close, custom fields (the whole array) and create (the requester's contact or
the default company).

The decisions are in :mod:`adapters.connectwise.adapter`'s docstring.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from adapters.base import DeskError, InvalidInput, ProtocolError, Unsupported
from adapters.connectwise import wire
from adapters.connectwise.client import require_ids
from adapters.connectwise.listing import ConnectWiseListing
from adapters.connectwise.wire import conditions as cond
from adapters.connectwise.wire.mapping import Json
from adapters.model import (
    UNASSIGNED,
    Change,
    CustomField,
    CustomFieldValue,
    NewTicket,
    Post,
    Ticket,
    TicketDetail,
    Visibility,
)

log = logging.getLogger("triage.connectwise")

EMAIL_ADDRESS = re.compile(r"^[^@\s;,]+@[^@\s;,]+$")


class ConnectWiseWrites(ConnectWiseListing):
    """The common ticket writes (:class:`adapters.base.Adapter`'s) of one PSA site."""

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
        if not EMAIL_ADDRESS.match(email):
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
