"""How the simulated PSA applies a write to a ticket: references resolved on the
ticket's board, each field checked, custom fields replaced whole, status, team and type
kept on the board, the closed state following the status, the record stamped.

The rules themselves are listed in :mod:`adapters.connectwise.simulator.tickets`'s
docstring; the ticket, note and merge endpoints share them from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.connectwise.sim_data.config import LEVELS
from adapters.connectwise.sim_data.notes import member_ref
from adapters.connectwise.sim_data.records import Record, parse_stamp, stamp
from adapters.connectwise.simulator.core import Site, field_error
from adapters.connectwise.simulator.ticket_schema import REFERENCES, WRITABLE

MAX_CC = 1000
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+$")


class TicketRules:
    """The site's tickets and the rules a write to one goes through."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.desk = site.desk

    def ticket(self, ticket_id: int) -> Record | None:
        return self.desk.tickets.get(ticket_id)

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
        return ticket_reference(name, found)

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
                ticket["status"] = ticket_reference("status", default)
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


def _person_name(record: Record) -> str:
    if "firstName" in record:
        return f"{record['firstName']} {record.get('lastName', '')}".strip()
    return str(record.get("name", ""))


def ticket_reference(name: str, record: Record) -> Record:
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


def default_board(boards: Mapping[int, Record]) -> int:
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
