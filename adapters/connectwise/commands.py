"""ConnectWise's other seed commands (seed 002 beyond the common operations): create and
update by field names, notes with chosen flags, delete, search, get, fetch by event, and
the company, contact and board lookups; :mod:`.operations` offers them as desk actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from adapters.base import DeskError, InvalidInput, NotFound
from adapters.connectwise import operations, wire
from adapters.connectwise.wire import conditions as cond
from adapters.connectwise.wire.mapping import Json
from adapters.connectwise.writes import EMAIL_ADDRESS, ConnectWiseWrites
from adapters.model import ActionResult, Ticket, TicketKey

LEVELS = ("Low", "Medium", "High")
MAX_CC = 1000


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


class ConnectWiseCommands(ConnectWiseWrites):
    """The seed commands beyond :class:`adapters.base.Adapter`'s, on one PSA site."""

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
                if not EMAIL_ADDRESS.match(address):
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

    async def delete_ticket(self, ticket_id: str) -> None:
        """``DELETE /service/tickets/{id}`` (204; a missing ticket is :class:`NotFound`)."""
        await self.send("DELETE", f"service/tickets/{self._number(ticket_id)}")

    async def search_tickets(self, query: str) -> list[Ticket]:
        """Tickets whose summary contains ``query`` (a quoted, escaped literal), newest
        first, at most :data:`operations.MAX_SEARCH`; the connection's conditions apply."""
        text = " ".join(query.split())
        if not text:
            raise InvalidInput(self.name, "query", "must not be empty")
        catalog = await self.catalog.get()
        parts = [cond.raw(self.settings.conditions) if self.settings.conditions else None]
        parts.append(cond.compare("summary", "contains", text))
        params: dict[str, str | int] = {
            "conditions": cond.all_of(parts),
            "orderBy": "_info/lastUpdated desc, id desc",
        }
        items = await self.every("service/tickets", params, limit=operations.MAX_SEARCH)
        return [wire.ticket_from(item, catalog, self.name) for item in items]

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
