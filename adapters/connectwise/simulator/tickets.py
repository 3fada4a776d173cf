"""``/service/tickets``: list, count, search, read, create, PATCH, PUT, delete, notes,
the merged timeline (``allNotes``) and merge.

Write rules, as the PSA applies them (see the package docstring for sources):

* a reference is written whole: ``{"id": …}``, or ``{"name": …}`` (``{"identifier": …}``
  for companies and members); a PATCH path naming a sub-field (``company/identifier``) is
  accepted and changes nothing (the "false 200" clients warn about);
* statuses, teams and types belong to a board: one from another board is refused; moving
  a ticket to another board without a status gives it the new board's default status, and
  drops a team that is not on the new board;
* a closed status closes the ticket (``closedFlag``, ``closedDate``, ``closedBy``); leaving
  one reopens it; ``closedFlag`` itself is read-only;
* ``customFields`` is replaced whole: an entry left out loses its value;
* every validation failure is one 400 ``InvalidObject`` listing each bad field, and
  nothing is applied.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from adapters.connectwise.sim_data.config import FIRST_TICKET_ID, LEVELS
from adapters.connectwise.sim_data.notes import member_ref, note_record
from adapters.connectwise.sim_data.records import Record, parse_stamp, stamp
from adapters.connectwise.simulator.core import (
    BodyError,
    Schema,
    Site,
    answer,
    count_answer,
    error,
    field_error,
    invalid,
    json_body,
    list_answer,
    not_found,
    one_answer,
)
from adapters.simulation import SimRequest, SimResponse

REFERENCES = frozenset(
    {
        "board",
        "status",
        "company",
        "site",
        "contact",
        "type",
        "subType",
        "item",
        "team",
        "owner",
        "priority",
        "source",
        "mergedParentTicket",
    }
)
SCALARS = frozenset(
    {
        "id",
        "summary",
        "recordType",
        "contactName",
        "contactEmailAddress",
        "contactPhoneNumber",
        "severity",
        "impact",
        "requiredDate",
        "closedFlag",
        "closedDate",
        "closedBy",
        "resources",
        "isInSla",
        "slaStatus",
        "hasChildTicket",
        "hasMergedChildTicketFlag",
        "parentTicketId",
        "automaticEmailCc",
        "automaticEmailCcFlag",
        "automaticEmailContactFlag",
        "automaticEmailResourceFlag",
        "addressLine1",
        "addressLine2",
        "city",
        "stateIdentifier",
        "zip",
        "escalationStartDateUTC",
        "_info",
    }
)
TICKET_SCHEMA = Schema(
    "ticket",
    fields=SCALARS,
    references=REFERENCES,
    arrays={"customFields": frozenset({"caption", "value", "id"})},
    aliases={
        "lastupdated": "_info/lastUpdated",
        "dateentered": "_info/dateEntered",
        "updatedby": "_info/updatedBy",
        "enteredby": "_info/enteredBy",
    },
)
NOTE_SCHEMA = Schema(
    "note",
    fields=frozenset(
        {
            "id",
            "ticketId",
            "text",
            "detailDescriptionFlag",
            "internalAnalysisFlag",
            "resolutionFlag",
            "issueFlag",
            "dateCreated",
            "createdBy",
            "internalFlag",
            "externalFlag",
            "customerUpdatedFlag",
            "_info",
        }
    ),
    references=frozenset({"member", "contact"}),
)
WRITABLE = frozenset(
    {
        "summary",
        "board",
        "status",
        "company",
        "site",
        "contact",
        "type",
        "subType",
        "item",
        "team",
        "owner",
        "priority",
        "source",
        "severity",
        "impact",
        "requiredDate",
        "contactName",
        "contactEmailAddress",
        "contactPhoneNumber",
        "automaticEmailCc",
        "automaticEmailCcFlag",
        "automaticEmailContactFlag",
        "automaticEmailResourceFlag",
        "addressLine1",
        "addressLine2",
        "city",
        "stateIdentifier",
        "zip",
        "customFields",
    }
)
READ_ONLY = frozenset(
    {
        "id",
        "recordType",
        "closedFlag",
        "closedDate",
        "closedBy",
        "resources",
        "isInSla",
        "slaStatus",
        "hasChildTicket",
        "hasMergedChildTicketFlag",
        "mergedParentTicket",
        "parentTicketId",
        "escalationStartDateUTC",
        "_info",
    }
)
NOTE_FLAGS = ("detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag")
MAX_CC = 1000
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+$")


class TicketController:
    """The service ticket endpoints over the site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.desk = site.desk

    # ---- reading ---------------------------------------------------------------------

    def listing(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.tickets.values(), TICKET_SCHEMA, codebase)

    def count(self, request: SimRequest) -> SimResponse:
        return count_answer(request, self.desk.tickets.values(), TICKET_SCHEMA)

    def search(self, request: SimRequest, codebase: str) -> SimResponse:
        """``POST /service/tickets/search``: the list, with the conditions in the body."""
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        if not isinstance(body, dict):
            return error(400, "InvalidObject", "The request body must be an object.")
        query = [(k, v) for k, v in request.query if k not in ("conditions", "orderBy")]
        for name in ("conditions", "childConditions", "customFieldConditions", "orderBy"):
            value = body.get(name)
            if isinstance(value, str) and value:
                query.append((name, value))
        moved = SimRequest(
            method="GET",
            path=request.path,
            query_string=request.query_string,
            query=tuple(query),
            headers=request.headers,
            root_path=request.root_path,
        )
        return self.listing(moved, codebase)

    def ticket(self, ticket_id: int) -> Record | None:
        return self.desk.tickets.get(ticket_id)

    def get(self, request: SimRequest, ticket_id: int, codebase: str) -> SimResponse:
        ticket = self.ticket(ticket_id)
        if ticket is None:
            return not_found("Service Ticket", ticket_id)
        return one_answer(request, ticket, codebase)

    def delete(self, ticket_id: int) -> SimResponse:
        if ticket_id not in self.desk.tickets:
            return not_found("Service Ticket", ticket_id)
        self.desk.drop_ticket(ticket_id)
        return SimResponse(status=204, body=b"", content_type=None)

    # ---- references ------------------------------------------------------------------

    def _resolve(
        self, name: str, value: Any, ticket: Record, errors: list[dict[str, str]]
    ) -> Record | None:
        """The stored reference for a written one, or None (an error is added)."""
        if not isinstance(value, dict):
            errors.append(field_error("InvalidField", f"{name} must be an object", "ticket", name))
            return None
        board_id = ticket.get("board", {}).get("id")
        pool: list[Record]
        if name == "board":
            pool = list(self.desk.boards.values())
        elif name == "status":
            pool = self.desk.board_statuses(board_id) if board_id else []
        elif name == "team":
            pool = self.desk.board_teams(board_id) if board_id else []
        elif name == "type":
            pool = self.desk.board_types(board_id) if board_id else []
        elif name == "priority":
            pool = list(self.desk.priorities.values())
        elif name == "company":
            pool = list(self.desk.companies.values())
        elif name == "owner":
            pool = [m for m in self.desk.members.values() if not m["inactiveFlag"]]
        elif name == "contact":
            pool = list(self.desk.contacts.values())
        elif name == "source":
            pool = [
                {"id": i, "name": n}
                for i, n in ((1, "Email"), (2, "Phone"), (3, "Portal"), (4, "Monitoring"))
            ]
        elif name == "site":
            company = ticket.get("company", {})
            pool = [{"id": company.get("id", 0) * 10 + 1, "name": "Main"}]
        else:
            errors.append(field_error("InvalidField", f"{name} cannot be set", "ticket", name))
            return None
        found: Record | None = None
        for key in ("id", "identifier", "name"):
            if key in value and value[key] is not None:
                wanted = value[key]
                found = next(
                    (
                        r
                        for r in pool
                        if (
                            r.get(key) == wanted
                            if key == "id"
                            else str(r.get(key, "")).casefold() == str(wanted).casefold()
                        )
                        or (
                            key == "name"
                            and name in ("owner", "contact")
                            and _person_name(r).casefold() == str(wanted).casefold()
                        )
                    ),
                    None,
                )
                break
        else:
            errors.append(
                field_error("InvalidField", f"{name} needs an id or a name", "ticket", name)
            )
            return None
        if found is None:
            shown = value.get("id", value.get("identifier", value.get("name")))
            where = f" on board {board_id}" if name in ("status", "team", "type") else ""
            errors.append(
                field_error("NotFound", f"{name} {shown} not found{where}", "ticket", f"{name}/id")
            )
            return None
        return _reference(name, found)

    # ---- applying a change -----------------------------------------------------------

    def _apply(
        self, ticket: Record, changes: Mapping[str, Any], removals: set[str]
    ) -> list[dict[str, str]]:
        """Apply ``changes`` (field -> written value) and ``removals`` to ``ticket`` in
        place; the errors found (nothing should be kept when there are any)."""
        errors: list[dict[str, str]] = []
        # The board first: statuses, teams and types are looked up on the ticket's board.
        if "board" in changes:
            board = self._resolve("board", changes["board"], ticket, errors)
            if board is not None:
                ticket["board"] = board
        for name, value in changes.items():
            if name == "board":
                continue
            if name in REFERENCES:
                if value is None:
                    removals.add(name)
                    continue
                resolved = self._resolve(name, value, ticket, errors)
                if resolved is not None:
                    ticket[name] = resolved
            elif name == "summary":
                if not isinstance(value, str) or not value.strip():
                    errors.append(
                        field_error("NullValue", "summary may not be empty", "ticket", "summary")
                    )
                elif len(value) > 100:
                    errors.append(
                        field_error(
                            "InvalidField",
                            "summary may not exceed 100 characters",
                            "ticket",
                            "summary",
                        )
                    )
                else:
                    ticket["summary"] = value
            elif name in ("severity", "impact"):
                if value not in LEVELS:
                    errors.append(
                        field_error(
                            "InvalidField",
                            f"{name} must be one of Low, Medium, High",
                            "ticket",
                            name,
                        )
                    )
                else:
                    ticket[name] = value
            elif name == "requiredDate":
                if value is None:
                    removals.add(name)
                elif not isinstance(value, str) or parse_stamp(value) is None:
                    errors.append(
                        field_error("InvalidField", "requiredDate is not a date", "ticket", name)
                    )
                else:
                    ticket[name] = stamp(parse_stamp(value).timestamp())  # type: ignore[union-attr]
            elif name == "automaticEmailCc":
                if value is None:
                    removals.add(name)
                elif not isinstance(value, str) or len(value) > MAX_CC:
                    errors.append(
                        field_error(
                            "InvalidField",
                            f"automaticEmailCc may not exceed {MAX_CC} characters",
                            "ticket",
                            name,
                        )
                    )
                elif any(not _EMAIL.match(a.strip()) for a in value.split(";") if a.strip()):
                    errors.append(
                        field_error(
                            "InvalidField",
                            "automaticEmailCc holds an invalid e-mail address",
                            "ticket",
                            name,
                        )
                    )
                else:
                    ticket[name] = value
            elif name.startswith("automaticEmail"):
                if not isinstance(value, bool):
                    errors.append(
                        field_error("InvalidField", f"{name} must be true or false", "ticket", name)
                    )
                else:
                    ticket[name] = value
            elif name == "customFields":
                self._custom_fields(ticket, value, errors)
            elif name in WRITABLE:
                if value is None:
                    removals.add(name)
                elif not isinstance(value, str):
                    errors.append(
                        field_error("InvalidField", f"{name} must be text", "ticket", name)
                    )
                else:
                    ticket[name] = value
        for name in removals:
            if name in ("summary", "board", "company", "status", "priority"):
                errors.append(field_error("NullValue", f"{name} may not be empty", "ticket", name))
            else:
                ticket.pop(name, None)
        self._fit_board(ticket, explicit_status="status" in changes)
        return errors

    def _custom_fields(self, ticket: Record, value: Any, errors: list[dict[str, str]]) -> None:
        if not isinstance(value, list):
            errors.append(
                field_error(
                    "InvalidField", "customFields must be an array", "ticket", "customFields"
                )
            )
            return
        definitions = {d["id"]: d for d in self.desk.custom_fields}
        written: dict[int, Any] = {}
        for item in value:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                errors.append(
                    field_error(
                        "InvalidField", "a custom field needs its id", "ticket", "customFields"
                    )
                )
                continue
            definition = definitions.get(item["id"])
            if definition is None:
                errors.append(
                    field_error(
                        "NotFound", f"custom field {item['id']} not found", "ticket", "customFields"
                    )
                )
                continue
            if "value" in item and item["value"] is not None:
                problem = _field_value_problem(definition, item["value"])
                if problem:
                    errors.append(
                        field_error(
                            "InvalidField",
                            f"{definition['caption']}: {problem}",
                            "ticket",
                            "customFields",
                        )
                    )
                    continue
                written[item["id"]] = _stored_value(definition, item["value"])
        fields = []
        for definition in self.desk.custom_fields:
            entry = dict(definition)
            if definition["id"] in written:
                entry["value"] = written[definition["id"]]
            fields.append(entry)
        ticket["customFields"] = fields

    def _fit_board(self, ticket: Record, *, explicit_status: bool) -> None:
        """Keep status, team and type on the ticket's board; follow the closed status."""
        board_id = ticket["board"]["id"]
        if ticket.get("status", {}).get("id") not in {
            s["id"] for s in self.desk.board_statuses(board_id)
        }:
            default = self.desk.default_status(board_id)
            if default is not None and not explicit_status:
                ticket["status"] = _reference("status", default)
        team = ticket.get("team")
        if team is not None and team["id"] not in {
            t["id"] for t in self.desk.board_teams(board_id)
        }:
            ticket.pop("team")
        kind = ticket.get("type")
        if kind is not None and kind["id"] not in {
            t["id"] for t in self.desk.board_types(board_id)
        }:
            ticket.pop("type")
        status = self.desk.statuses.get(ticket["status"]["id"])
        closed = bool(status and status["closedStatus"])
        if closed and not ticket.get("closedFlag"):
            ticket["closedFlag"] = True
            ticket["closedDate"] = self.site.now()
            ticket["closedBy"] = self.site.api_member()["identifier"]
        elif not closed:
            ticket["closedFlag"] = False
            ticket.pop("closedDate", None)
            ticket.pop("closedBy", None)
        owner = ticket.get("owner")
        if owner is not None:
            ticket["resources"] = owner["identifier"]
        else:
            ticket.pop("resources", None)

    def _touch(self, ticket: Record) -> None:
        ticket["_info"]["lastUpdated"] = self.site.now()
        ticket["_info"]["updatedBy"] = self.site.api_member()["identifier"]

    # ---- writes ----------------------------------------------------------------------

    def patch(self, request: SimRequest, ticket_id: int, codebase: str) -> SimResponse:
        ticket = self.ticket(ticket_id)
        if ticket is None:
            return not_found("Service Ticket", ticket_id)
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        if not isinstance(body, list):
            return error(400, "InvalidObject", "The request body must be an array of operations.")
        changes: dict[str, Any] = {}
        removals: set[str] = set()
        errors: list[dict[str, str]] = []
        for operation in body:
            if not isinstance(operation, dict):
                return error(400, "InvalidObject", "Each operation must be an object.")
            op = str(operation.get("op", "")).lower()
            path = str(operation.get("path", "")).strip("/")
            if op not in ("add", "replace", "remove"):
                errors.append(
                    field_error("InvalidField", f"op {op!r} is not supported", "ticket", path)
                )
                continue
            if "/" in path:
                continue  # a sub-field: accepted, and nothing changes
            if path in READ_ONLY:
                continue
            if path not in WRITABLE:
                errors.append(
                    field_error("InvalidField", f"{path} is not a field of ticket", "ticket", path)
                )
                continue
            if op == "remove":
                removals.add(path)
            else:
                changes[path] = operation.get("value")
        if errors:
            return invalid("ticket", errors)
        updated = copy.deepcopy(ticket)
        errors = self._apply(updated, changes, removals)
        if errors:
            return invalid("ticket", errors)
        self._touch(updated)
        self.desk.tickets[ticket_id] = updated
        return one_answer(request, updated, codebase)

    def _from_body(
        self, body: Mapping[str, Any], base: Record
    ) -> tuple[Record, list[dict[str, str]]]:
        """A ticket built from a whole written record (create and PUT)."""
        errors: list[dict[str, str]] = []
        ticket = base
        if not isinstance(body.get("company"), dict):
            errors.append(field_error("NullValue", "company may not be empty", "ticket", "company"))
        if not isinstance(body.get("summary"), str) or not body["summary"].strip():
            errors.append(field_error("NullValue", "summary may not be empty", "ticket", "summary"))
        if errors:
            return ticket, errors
        changes = {k: v for k, v in body.items() if k in WRITABLE}
        changes.setdefault("board", {"id": _default_board(self.desk.boards)})
        errors = self._apply(ticket, changes, set())
        if errors:
            return ticket, errors
        board_id = ticket["board"]["id"]
        if "team" not in changes:
            team = self.desk.default_team(board_id)
            if team is not None:
                ticket["team"] = _reference("team", team)
        contact = ticket.get("contact")
        if contact is not None:
            record = self.desk.contacts[contact["id"]]
            ticket.setdefault("contactName", contact["name"])
            email = next(
                (
                    i["value"]
                    for i in record["communicationItems"]
                    if i["communicationType"] == "Email"
                ),
                None,
            )
            if email:
                ticket.setdefault("contactEmailAddress", email)
        self._fit_board(ticket, explicit_status="status" in changes)
        return ticket, []

    def _blank(self, ticket_id: int) -> Record:
        now = self.site.now()
        by = self.site.api_member()["identifier"]
        default_priority = next(
            (p for p in self.desk.priorities.values() if p["defaultFlag"]), None
        )
        ticket: Record = {
            "id": ticket_id,
            "summary": "",
            "recordType": "ServiceTicket",
            "severity": "Medium",
            "impact": "Medium",
            "closedFlag": False,
            "hasChildTicket": False,
            "hasMergedChildTicketFlag": False,
            "automaticEmailContactFlag": True,
            "automaticEmailResourceFlag": False,
            "automaticEmailCcFlag": False,
            "isInSla": True,
            "slaStatus": "Respond",
            "customFields": [dict(d) for d in self.desk.custom_fields],
            "_info": {"lastUpdated": now, "updatedBy": by, "dateEntered": now, "enteredBy": by},
        }
        if default_priority is not None:
            ticket["priority"] = _reference("priority", default_priority)
        ticket["status"] = {"id": 0, "name": ""}
        return ticket

    def create(self, request: SimRequest, codebase: str) -> SimResponse:
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        if not isinstance(body, dict):
            return error(400, "InvalidObject", "The request body must be an object.")
        ticket_id = self.desk.next_ticket_id
        ticket, errors = self._from_body(body, self._blank(ticket_id))
        if errors:
            return invalid("ticket", errors)
        self.desk.next_ticket_id = max(ticket_id, FIRST_TICKET_ID) + 1
        self.desk.tickets[ticket_id] = ticket
        notes = self.desk.own_notes(ticket_id)
        for key, flag in (
            ("initialDescription", "discussion"),
            ("initialInternalAnalysis", "internal"),
            ("initialResolution", "resolution"),
        ):
            text = body.get(key)
            if isinstance(text, str) and text.strip():
                notes.append(
                    note_record(
                        note_id=self.desk.new_note_id(ticket_id),
                        ticket_id=ticket_id,
                        text=text,
                        created=int(self.site.clock()),
                        member_id=self.site.api_member()["id"],
                        discussion=flag == "discussion",
                        internal=flag == "internal",
                        resolution=flag == "resolution",
                    )
                )
        return one_answer(request, ticket, codebase, status=201)

    def put(self, request: SimRequest, ticket_id: int, codebase: str) -> SimResponse:
        """PUT replaces the record: what the body leaves out goes back to its default."""
        current = self.ticket(ticket_id)
        if current is None:
            return not_found("Service Ticket", ticket_id)
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        if not isinstance(body, dict):
            return error(400, "InvalidObject", "The request body must be an object.")
        blank = self._blank(ticket_id)
        blank["_info"]["dateEntered"] = current["_info"]["dateEntered"]
        blank["_info"]["enteredBy"] = current["_info"]["enteredBy"]
        if current.get("closedFlag"):
            for key in ("closedFlag", "closedDate", "closedBy"):
                if key in current:
                    blank[key] = current[key]
        ticket, errors = self._from_body(body, blank)
        if errors:
            return invalid("ticket", errors)
        self.desk.tickets[ticket_id] = ticket
        return one_answer(request, ticket, codebase)

    # ---- notes -----------------------------------------------------------------------

    def notes(self, request: SimRequest, ticket_id: int, codebase: str) -> SimResponse:
        if ticket_id not in self.desk.tickets:
            return not_found("Service Ticket", ticket_id)
        return list_answer(request, self.desk.notes(ticket_id), NOTE_SCHEMA, codebase)

    def notes_count(self, request: SimRequest, ticket_id: int) -> SimResponse:
        if ticket_id not in self.desk.tickets:
            return not_found("Service Ticket", ticket_id)
        return count_answer(request, self.desk.notes(ticket_id), NOTE_SCHEMA)

    def note(self, request: SimRequest, ticket_id: int, note_id: int, codebase: str) -> SimResponse:
        if ticket_id not in self.desk.tickets:
            return not_found("Service Ticket", ticket_id)
        found = next((n for n in self.desk.notes(ticket_id) if n["id"] == note_id), None)
        if found is None:
            return not_found("Service Note", note_id)
        return one_answer(request, found, codebase)

    def _note_problems(self, body: Mapping[str, Any]) -> list[dict[str, str]]:
        errors: list[dict[str, str]] = []
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            errors.append(field_error("NullValue", "text may not be empty", "note", "text"))
        if not any(body.get(flag) is True for flag in NOTE_FLAGS):
            errors.extend(
                field_error(
                    "InvalidField",
                    "Please choose where to display the notes in order to save this record.",
                    "note",
                    flag,
                )
                for flag in NOTE_FLAGS
            )
        return errors

    def add_note(self, request: SimRequest, ticket_id: int, codebase: str) -> SimResponse:
        ticket = self.ticket(ticket_id)
        if ticket is None:
            return not_found("Service Ticket", ticket_id)
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        if not isinstance(body, dict):
            return error(400, "InvalidObject", "The request body must be an object.")
        errors = self._note_problems(body)
        if errors:
            return error(
                400,
                "InvalidObject",
                "Please choose where to display the notes in order to save this record."
                if any(e["field"] in NOTE_FLAGS for e in errors)
                else "note object is invalid",
                errors,
            )
        contact = None
        member_id = self.site.api_member()["id"]
        if isinstance(body.get("contact"), dict):
            record = self.desk.contacts.get(body["contact"].get("id"))
            if record is None:
                return invalid(
                    "note", [field_error("NotFound", "contact not found", "note", "contact/id")]
                )
            contact = {"id": record["id"], "name": f"{record['firstName']} {record['lastName']}"}
        elif isinstance(body.get("member"), dict):
            member = self.desk.members.get(body["member"].get("id"))
            if member is None:
                return invalid(
                    "note", [field_error("NotFound", "member not found", "note", "member/id")]
                )
            member_id = member["id"]
        note = note_record(
            note_id=self.desk.new_note_id(ticket_id),
            ticket_id=ticket_id,
            text=body["text"],
            created=int(self.site.clock()),
            discussion=body.get("detailDescriptionFlag") is True,
            internal=body.get("internalAnalysisFlag") is True,
            resolution=body.get("resolutionFlag") is True,
            member_id=member_id,
            contact=contact,
        )
        if body.get("customerUpdatedFlag") is True:
            note["customerUpdatedFlag"] = True
        self.desk.own_notes(ticket_id).append(note)
        self._touch(ticket)
        if body.get("processNotifications") is True:
            self._notify(ticket, note)
        return one_answer(request, note, codebase, status=201)

    def _notify(self, ticket: Record, note: Record) -> None:
        """The e-mails a note with ``processNotifications`` sends (kept for tests)."""
        recipients: list[str] = []
        if ticket.get("automaticEmailContactFlag") and ticket.get("contactEmailAddress"):
            recipients.append(ticket["contactEmailAddress"])
        if ticket.get("automaticEmailResourceFlag") and ticket.get("owner"):
            member = self.desk.members.get(ticket["owner"]["id"])
            if member is not None:
                recipients.append(member["officeEmail"])
        if ticket.get("automaticEmailCcFlag") and ticket.get("automaticEmailCc"):
            recipients.extend(a.strip() for a in ticket["automaticEmailCc"].split(";") if a.strip())
        if recipients:
            self.site.outbox.append({"ticket": ticket["id"], "note": note["id"], "to": recipients})

    def change_note(
        self, request: SimRequest, ticket_id: int, note_id: int, codebase: str
    ) -> SimResponse:
        if ticket_id not in self.desk.tickets:
            return not_found("Service Ticket", ticket_id)
        notes = self.desk.own_notes(ticket_id)
        found = next((n for n in notes if n["id"] == note_id), None)
        if found is None:
            return not_found("Service Note", note_id)
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        updated = copy.deepcopy(found)
        if request.method == "PATCH":
            if not isinstance(body, list):
                return error(
                    400, "InvalidObject", "The request body must be an array of operations."
                )
            for operation in body:
                if isinstance(operation, dict) and operation.get("op") in ("add", "replace"):
                    path = str(operation.get("path", ""))
                    if path == "text" or path in NOTE_FLAGS:
                        updated[path] = operation.get("value")
        else:
            if not isinstance(body, dict):
                return error(400, "InvalidObject", "The request body must be an object.")
            for key in ("text", *NOTE_FLAGS):
                updated[key] = body.get(key, False if key in NOTE_FLAGS else None)
        errors = self._note_problems(updated)
        if errors:
            return invalid("note", errors)
        updated["_info"]["lastUpdated"] = self.site.now()
        notes[notes.index(found)] = updated
        return one_answer(request, updated, codebase)

    def delete_note(self, ticket_id: int, note_id: int) -> SimResponse:
        if ticket_id not in self.desk.tickets:
            return not_found("Service Ticket", ticket_id)
        notes = self.desk.own_notes(ticket_id)
        found = next((n for n in notes if n["id"] == note_id), None)
        if found is None:
            return not_found("Service Note", note_id)
        notes.remove(found)
        return SimResponse(status=204, body=b"", content_type=None)

    def all_notes(self, request: SimRequest, ticket_id: int, codebase: str) -> SimResponse:
        """``allNotes``: the read-only timeline, notes of merged tickets flagged."""
        ticket = self.ticket(ticket_id)
        if ticket is None:
            return not_found("Service Ticket", ticket_id)
        timeline: list[Record] = []
        for note in self.desk.notes(ticket_id):
            item: Record = {
                "id": note["id"],
                "ticket": {"id": ticket_id, "summary": ticket["summary"]},
                "text": note["text"],
                "noteType": "TicketNote",
                **{flag: note[flag] for flag in NOTE_FLAGS},
                "issueFlag": note["issueFlag"],
                "isMarkdownFlag": False,
                "timeStart": note["dateCreated"],
                "mergedFlag": note["id"] in self.site.merged_notes,
                "bundledFlag": False,
                "_info": dict(note["_info"]),
            }
            for author in ("member", "contact"):
                if author in note:
                    item[author] = dict(note[author])
            timeline.append(item)
        schema = Schema("note", fields=frozenset(timeline[0]) if timeline else frozenset({"id"}))
        return list_answer(request, timeline, schema, codebase)

    # ---- merge -----------------------------------------------------------------------

    def merge(self, request: SimRequest, parent_id: int) -> SimResponse:
        parent = self.ticket(parent_id)
        if parent is None:
            return not_found("Service Ticket", parent_id)
        try:
            body = json_body(request)
        except BodyError as exc:
            return exc.response
        if not isinstance(body, dict):
            return error(400, "InvalidObject", "The request body must be an object.")
        ids = body.get("mergeTicketIds")
        if not isinstance(ids, list) or not ids:
            return invalid(
                "ticketMerge",
                [
                    field_error(
                        "NullValue",
                        "mergeTicketIds may not be empty",
                        "ticketMerge",
                        "mergeTicketIds",
                    )
                ],
            )
        for index, value in enumerate(ids):
            if not isinstance(value, int) or isinstance(value, bool):
                shown = "{" if isinstance(value, dict) else str(value)[:1]
                return error(
                    500,
                    "UnexpectedError",
                    f"Unexpected character encountered while parsing value: {shown}. "
                    f"Path 'mergeTicketIds[{index}]', line 1, position {20 + index}.",
                )
        status_ref = body.get("status")
        status = None
        if isinstance(status_ref, dict):
            if isinstance(status_ref.get("id"), int):
                status = self.desk.statuses.get(status_ref["id"])
            elif isinstance(status_ref.get("name"), str):
                board_id = parent["board"]["id"]
                status = next(
                    (
                        s
                        for s in self.desk.board_statuses(board_id)
                        if s["name"].casefold() == status_ref["name"].casefold()
                    ),
                    None,
                )
        if status is None:
            return invalid(
                "ticketMerge",
                [field_error("NullValue", "status may not be empty", "ticketMerge", "status")],
            )
        if not status["closedStatus"]:
            return error(400, "InvalidObject", "Merged ticket status must be a closed status.")
        if parent_id in ids:
            return error(400, "InvalidObject", "A ticket cannot be merged into itself.")
        children = []
        for child_id in dict.fromkeys(ids):
            child = self.ticket(child_id)
            if child is None:
                return not_found("Service Ticket", child_id)
            children.append(child)
        parent_notes = self.desk.own_notes(parent_id)
        for child in children:
            for note in self.desk.notes(child["id"]):
                copied = copy.deepcopy(note)
                copied["id"] = self.desk.new_note_id(parent_id)
                copied["ticketId"] = parent_id
                parent_notes.append(copied)
                self.site.merged_notes.add(copied["id"])
            child["status"] = _reference("status", status)
            child["mergedParentTicket"] = {"id": parent_id, "summary": parent["summary"]}
            child["closedFlag"] = False  # _fit_board closes it with the status
            if child["board"]["id"] != status["board"]["id"]:
                # A closed status of another board: the child keeps its board, closed.
                child["closedFlag"] = True
                child["closedDate"] = self.site.now()
                child["closedBy"] = self.site.api_member()["identifier"]
            else:
                self._fit_board(child, explicit_status=True)
            self._touch(child)
        parent_notes.sort(key=lambda n: n["dateCreated"])
        parent["hasMergedChildTicketFlag"] = True
        self._touch(parent)
        return answer(
            {"success": True, "message": f"{len(children)} ticket(s) merged into {parent_id}"}
        )


def _person_name(record: Record) -> str:
    if "firstName" in record:
        return f"{record['firstName']} {record.get('lastName', '')}".strip()
    return str(record.get("name", ""))


def _reference(name: str, record: Record) -> Record:
    """How a ticket refers to a record of this kind."""
    if name == "owner":
        return member_ref(record["id"])
    if name == "company":
        return {"id": record["id"], "identifier": record["identifier"], "name": record["name"]}
    if name == "contact":
        return {"id": record["id"], "name": _person_name(record)}
    if name == "status":
        return {"id": record["id"], "name": record["name"], "Sort": record.get("sortOrder", 0)}
    if name == "priority":
        return {"id": record["id"], "name": record["name"], "sort": record.get("sortOrder", 0)}
    return {"id": record["id"], "name": record["name"]}


def _default_board(boards: Mapping[int, Record]) -> int:
    return int(next(b["id"] for b in boards.values() if not b["inactiveFlag"]))


def _field_value_problem(definition: Record, value: Any) -> str:
    kind = definition["type"]
    if kind in ("Number", "Percent", "Currency"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "must be a number"
        if (
            definition["numberOfDecimals"] == 0
            and isinstance(value, float)
            and not value.is_integer()
        ):
            return "must be a whole number"
        return ""
    if kind == "Checkbox":
        return "" if isinstance(value, bool) else "must be true or false"
    if kind == "Date":
        return "" if isinstance(value, str) and parse_stamp(value) is not None else "must be a date"
    if kind == "Button":
        return "cannot be set"
    return "" if isinstance(value, str) else "must be text"


def _stored_value(definition: Record, value: Any) -> Any:
    kind = definition["type"]
    if kind in ("Number", "Percent", "Currency") and definition["numberOfDecimals"] == 0:
        return int(value)
    if kind == "Date":
        moment = parse_stamp(value)
        assert moment is not None
        return stamp(moment.timestamp())
    return value
