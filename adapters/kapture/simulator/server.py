"""The simulated Kapture server: the four "from other source" ticket endpoints.

Every action answers at ``/<action>.html`` and ``/<action>.html/v.2.0``, POST only. The
key in ``Authorization: Basic <key>`` is checked first, against the key configured for that
API (each API can have its own); then the body. Failures are JSON bodies
``{"message": …, "status": "failed"}``: a bad key with HTTP 401, a body that is not JSON
with 400, everything else with 200, as servlet endpoints of this kind answer. The older
Pull page's capitalised ``{"Message": …, "Status": "failed"}`` is kept for a missing date.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from typing import Any

from adapters.kapture.sim_data import KaptureDesk, Message, Ticket
from adapters.kapture.sim_data.config import (
    API_AGENT,
    FIELD_GROUPS,
    QUEUE_NAMES,
    SUB_STATUS_BY_KEY,
    TIMEZONE_OFFSET,
)
from adapters.kapture.simulator import render
from adapters.simulation import Faults, Router, SimRequest, SimResponse

ACTIONS = {
    "add": "add-ticket-from-other-source",
    "update": "update-ticket-from-other-source",
    "get": "search-ticket-by-ticket-id",
    "pull": "select-ticket-between-start-and-end-dates",
}
"""Operation -> the action's path name (``/<name>.html/v.2.0``)."""

CONVERSATION_TYPES = ("chat", "email", "notes")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CALLBACK = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_HTML = "text/html;charset=utf-8"


def failed(message: str, status: int = 200) -> SimResponse:
    return SimResponse.json({"message": message, "status": "failed"}, status=status)


def _tomcat(status: int, title: str) -> SimResponse:
    page = (
        f'<!doctype html><html lang="en"><head><title>HTTP Status {status} – {title}'
        f"</title></head><body><h1>HTTP Status {status} – {title}</h1></body></html>"
    )
    return SimResponse(status, page, _HTML)


def not_found(request: SimRequest) -> SimResponse:
    return _tomcat(404, "Not Found")


def not_allowed(request: SimRequest, allowed: object) -> SimResponse:
    response = _tomcat(405, "Method Not Allowed")
    response.headers = (("Allow", "POST"),)
    return response


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


class KaptureServer:
    """The endpoints over a :class:`KaptureDesk`; ``keys`` maps each operation to the key
    its API was configured with."""

    def __init__(
        self, desk: KaptureDesk, keys: Mapping[str, str], *, faults: Faults | None = None
    ) -> None:
        self.desk = desk
        self.keys = dict(keys)
        self.faults = faults if faults is not None else Faults()
        self.requests: list[tuple[str, Any]] = []
        router = Router(not_found=not_found, not_allowed=not_allowed)
        handlers = {
            "add": self.add,
            "update": self.update,
            "get": self.get,
            "pull": self.pull,
        }
        for operation, name in ACTIONS.items():
            handler = handlers[operation]
            for suffix in ("", "/v.2.0"):
                router.add("POST", f"/{name}.html{suffix}", self._guarded(operation, handler))
        self.router = router

    def handle(self, request: SimRequest) -> SimResponse:
        response = self.router(request)
        assert isinstance(response, SimResponse)
        return response

    def _guarded(self, operation: str, handler: Any) -> Any:
        def run(request: SimRequest, params: Mapping[str, str]) -> SimResponse:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "basic" or token.strip() != self.keys[operation]:
                return failed("Invalid Auth Key", 401)
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return failed("Invalid Json.", 400)
            self.requests.append((operation, body))
            response: SimResponse = handler(body)
            return response

        return run

    # ---- bodies ------------------------------------------------------------------

    @staticmethod
    def _one(body: object, *, array_only: bool) -> dict[str, Any] | None:
        """The object of an array body ``[ {…} ]`` (an object also serves Add and Update,
        as production clients send it)."""
        if isinstance(body, list):
            first = body[0] if body else None
            return first if isinstance(first, dict) else None
        if isinstance(body, dict) and not array_only:
            return body
        return None

    def _apply_fields(self, ticket: Ticket, item: Mapping[str, Any]) -> dict[str, Any]:
        """The tenant's additional-detail groups among the extra keys; the others are not
        mapped and are ignored. A group comes as ``[{…}]`` (or as one object)."""
        echoed: dict[str, Any] = {}
        for group in FIELD_GROUPS:
            if group not in item:
                continue
            raw = item[group]
            entry = raw[0] if isinstance(raw, list) and raw else raw
            if not isinstance(entry, dict):
                continue
            values = {str(name): _text(value) for name, value in entry.items()}
            self.desk.set_fields(ticket, group, values)
            echoed[group] = [dict(ticket.fields[group])]
        return echoed

    # ---- Add -----------------------------------------------------------------------

    def add(self, body: object) -> SimResponse:
        item = self._one(body, array_only=False)
        if item is None:
            return failed("Invalid Json.")
        title = _text(item.get("title"))
        if not title:
            return failed("title is missing")
        now = self.desk.clock()
        queue = _text(item.get("queue"))
        self.desk.next_task += 1
        ticket = Ticket(
            id=self.desk.next_task,
            ticket_id=self.desk.new_ticket_id(now * 1000),
            title=title,
            detail=_text(item.get("ticket_details")),
            source="O",
            substatus="P",
            queue=queue if queue in QUEUE_NAMES else "",
            disposition=_text(item.get("disposition")),
            assignee=0,
            creator=API_AGENT.id,
            customer_name=_text(item.get("customer_name")),
            email=_text(item.get("email_id")),
            phone=_text(item.get("phone")),
            created=now,
            updated=now,
            follow_up=now,
            callback=False,
            priority=0,
            escalated=False,
            ended=0,
        )
        self.desk.add(ticket)
        if ticket.detail:
            messages = self.desk.conversations.own(ticket)
            self.desk.next_message += 1
            messages.append(
                Message(
                    self.desk.next_message,
                    "email",
                    ticket.detail,
                    ticket.customer_name or ticket.email,
                    "",
                    now,
                    True,
                )
            )
        echoed = self._apply_fields(ticket, item)
        return SimResponse.json(
            {
                "ticket": render.ticket_object(self.desk, ticket),
                "Additional_details": echoed,
                "ticket_id": ticket.ticket_id,
                "status": "success",
            }
        )

    # ---- Update --------------------------------------------------------------------

    def update(self, body: object) -> SimResponse:
        item = self._one(body, array_only=False)
        if item is None:
            return failed("Invalid Json.")
        ticket = self.desk.find(_text(item.get("ticket_id")))
        if ticket is None:
            return failed("No Data found/ticket_id is missing")
        sub_status = _text(item.get("sub_status"))
        if not sub_status:
            return failed("sub_status is missing")
        callback = _text(item.get("callback_time"))
        if callback and not _CALLBACK.match(callback):
            return failed("Invalid Format.callback_date should be yyyy-MM-dd hh:mm:ss.")
        if callback:
            when = _parse_local(callback)
            if when is None:
                return failed("Invalid Format.callback_date should be yyyy-MM-dd hh:mm:ss.")
            ticket.follow_up = when
            ticket.callback = True
        comment = str(item.get("comment") or "")
        if comment.strip():
            self.desk.comment(ticket, comment)
        # Keys the tenant does not have are not applied (the answer shows what is).
        if sub_status in SUB_STATUS_BY_KEY and sub_status != ticket.substatus:
            self.desk.set_substatus(ticket, sub_status)
        queue = _text(item.get("queue"))
        if queue in QUEUE_NAMES:
            ticket.queue = queue
        disposition = _text(item.get("disposition"))
        if disposition:
            ticket.disposition = disposition
        self._apply_fields(ticket, item)
        ticket.updated = self.desk.clock()
        return SimResponse.json(
            {
                "ticket": render.ticket_object(self.desk, ticket),
                "Additional_details": {},
                "message": "Status and Comment have been updated.\n",
                "status": "success",
            }
        )

    # ---- Get -----------------------------------------------------------------------

    def get(self, body: object) -> SimResponse:
        if not isinstance(body, dict):
            return failed("Invalid Json.")
        refs = [ref.strip() for ref in _text(body.get("ticket_ids")).split(",") if ref.strip()]
        if not refs:
            return failed("ticket_ids are missing.")
        wanted = _text(body.get("conversation_type")).lower()
        kinds = (
            set(CONVERSATION_TYPES)
            if wanted == "all"
            else {k.strip() for k in wanted.split(",") if k.strip()}
        )
        found: list[dict[str, Any]] = []
        for ref in dict.fromkeys(refs):
            ticket = self.desk.find(ref)
            if ticket is None:
                continue  # unknown ids are skipped, not reported
            element: dict[str, Any] = {
                "additional_info": {g: dict(v) for g, v in ticket.fields.items()},
                "history": {},
                "task_details": render.task_details(self.desk, ticket),
            }
            if kinds:
                listed: dict[str, list[dict[str, Any]]] = {}
                for entry in self.desk.conversation(ticket):
                    if entry.kind in kinds:
                        listed.setdefault(entry.kind, []).append(render.message(entry))
                element["conversation_type"] = listed
            found.append(element)
        return SimResponse.json(found)

    # ---- Pull ----------------------------------------------------------------------

    def pull(self, body: object) -> SimResponse:
        item = self._one(body, array_only=True)
        if item is None:
            return failed("Invalid Json.")
        start_text, end_text = _text(item.get("start_date")), _text(item.get("end_date"))
        if not start_text:
            return SimResponse.json(
                {"Message": "either start_date is null or blank", "Status": "failed"}
            )
        if not end_text:
            return SimResponse.json(
                {"Message": "either end_date is null or blank", "Status": "failed"}
            )
        start, end = _day_start(start_text), _day_start(end_text)
        if start is None or end is None:
            return failed("Invalid Format.date should be yyyy-MM-dd.")
        if end < start or end - start >= 86400:
            return failed("Date range should not be more than 24 hours.")
        tickets = self.desk.created_between(start, end + 86400)
        total: int | None = None
        limit_text = _text(item.get("limit"))
        if limit_text:
            if not limit_text.isdigit():
                return failed("Invalid limit.")
            offset_text = _text(item.get("offset")) or "0"
            offset = int(offset_text) if offset_text.isdigit() else 0
            total = len(tickets)
            tickets = tickets[offset : offset + int(limit_text)]
        if not tickets:
            return SimResponse.json(
                {"totalCount": total, "message": "No Data Found", "status": "success"}
            )
        return SimResponse.json(
            {
                "totalCount": total,
                "message": [render.summary(self.desk, ticket) for ticket in tickets],
                "status": "success",
            }
        )


def _day_start(text: str) -> int | None:
    """Epoch seconds of the tenant's midnight starting ``yyyy-MM-dd``."""
    match = _DAY.match(text)
    if match is None:
        return None
    try:
        parsed = time.strptime(text, "%Y-%m-%d")
    except ValueError:
        return None
    import calendar

    return calendar.timegm(parsed) - TIMEZONE_OFFSET


def _parse_local(text: str) -> int | None:
    import calendar

    try:
        parsed = time.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return calendar.timegm(parsed) - TIMEZONE_OFFSET
