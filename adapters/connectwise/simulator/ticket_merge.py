"""``POST /service/tickets/{parent}/merge``: the sources' notes copied to the parent
(flagged merged in ``allNotes``), each source given the closed status and a
``mergedParentTicket``; ids must be bare integers, as on a real site.
"""

from __future__ import annotations

import copy

from adapters.connectwise.simulator.core import (
    BodyError,
    answer,
    error,
    field_error,
    invalid,
    json_object,
    not_found,
)
from adapters.connectwise.simulator.ticket_rules import TicketRules, ticket_reference
from adapters.simulation import SimRequest, SimResponse


class TicketMerge(TicketRules):
    """The merge endpoint of the site's tickets."""

    # ---- merge -----------------------------------------------------------------------

    def merge(self, request: SimRequest, parent_id: int) -> SimResponse:
        parent = self.ticket(parent_id)
        if parent is None:
            return not_found("Service Ticket", parent_id)
        try:
            body = json_object(request)
        except BodyError as exc:
            return exc.response
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
            child["status"] = ticket_reference("status", status)
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
