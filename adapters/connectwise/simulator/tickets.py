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
from collections.abc import Mapping
from typing import Any

from adapters.connectwise.sim_data.config import FIRST_TICKET_ID
from adapters.connectwise.sim_data.notes import note_record
from adapters.connectwise.sim_data.records import Record
from adapters.connectwise.simulator.core import (
    BodyError,
    count_answer,
    error,
    field_error,
    invalid,
    json_body,
    json_object,
    list_answer,
    not_found,
    one_answer,
)
from adapters.connectwise.simulator.ticket_merge import TicketMerge
from adapters.connectwise.simulator.ticket_notes import TicketNotes
from adapters.connectwise.simulator.ticket_rules import default_board, ticket_reference
from adapters.connectwise.simulator.ticket_schema import READ_ONLY, TICKET_SCHEMA, WRITABLE
from adapters.simulation import SimRequest, SimResponse


class TicketController(TicketNotes, TicketMerge):
    """The service ticket endpoints over the site: reading and writing tickets here,
    notes and merge in their own modules."""

    # ---- reading ---------------------------------------------------------------------

    def listing(self, request: SimRequest, codebase: str) -> SimResponse:
        return list_answer(request, self.desk.tickets.values(), TICKET_SCHEMA, codebase)

    def count(self, request: SimRequest) -> SimResponse:
        return count_answer(request, self.desk.tickets.values(), TICKET_SCHEMA)

    def search(self, request: SimRequest, codebase: str) -> SimResponse:
        """``POST /service/tickets/search``: the list, with the conditions in the body."""
        try:
            body = json_object(request)
        except BodyError as exc:
            return exc.response
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
        changes.setdefault("board", {"id": default_board(self.desk.boards)})
        errors = self._apply(ticket, changes, set())
        if errors:
            return ticket, errors
        board_id = ticket["board"]["id"]
        if "team" not in changes:
            team = self.desk.default_team(board_id)
            if team is not None:
                ticket["team"] = ticket_reference("team", team)
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
            ticket["priority"] = ticket_reference("priority", default_priority)
        ticket["status"] = {"id": 0, "name": ""}
        return ticket

    def create(self, request: SimRequest, codebase: str) -> SimResponse:
        try:
            body = json_object(request)
        except BodyError as exc:
            return exc.response
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
            body = json_object(request)
        except BodyError as exc:
            return exc.response
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
