"""``/service/tickets/{id}/notes`` (list, count, read, add, change, delete) and the
read-only merged timeline ``allNotes``; a note with ``processNotifications`` e-mails the
ticket's contact, resources and CC list (kept in the site's outbox).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from adapters.connectwise.sim_data.notes import note_record
from adapters.connectwise.sim_data.records import Record
from adapters.connectwise.simulator.core import (
    BodyError,
    Schema,
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
from adapters.connectwise.simulator.ticket_rules import TicketRules
from adapters.connectwise.simulator.ticket_schema import NOTE_FLAGS, NOTE_SCHEMA
from adapters.simulation import SimRequest, SimResponse


class TicketNotes(TicketRules):
    """The note endpoints of the site's tickets."""

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
            body = json_object(request)
        except BodyError as exc:
            return exc.response
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
