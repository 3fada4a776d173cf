"""ConnectWise reading: ticket paths and PATCH, listings (and listing changes since a
watermark), counts, id-only listings for reconciliation, and one ticket with its notes.

The rest of :class:`adapters.connectwise.adapter.ConnectWiseAdapter` builds on these; the
decisions are in that module's docstring.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime, timedelta

from adapters.base import InvalidInput
from adapters.connectwise import wire
from adapters.connectwise.client import ConnectWiseClient, require_ids
from adapters.connectwise.wire import conditions as cond
from adapters.connectwise.wire.mapping import Json
from adapters.model import UNASSIGNED, TicketDetail, TicketPage, TicketQuery
from adapters.paging import FetchedPage, PageRequest, ticket_pages
from adapters.tasks import together

log = logging.getLogger("triage.connectwise")

CHANGED_SINCE_OVERLAP = timedelta(minutes=5)
"""How far before the watermark a listing of changes still reads (:mod:`.adapter`)."""
ID_PAGE_SIZE = 1000
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


class ConnectWiseListing(ConnectWiseClient):
    """Requests about one ticket, listings and counts of one PSA site."""

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

    def _watermark(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise InvalidInput(
                self.name, "changed_since", f"{value!r} is not a ConnectWise watermark"
            )
        return moment

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """``GET /service/tickets`` pages (see :mod:`.adapter`, also on listing
        changes). Every page carries the watermark of the listing so far."""
        query = query or TicketQuery()
        since = self._watermark(query.changed_since)
        catalog = await self.catalog.get()
        conditions = self._query_conditions(query)
        total: int | None = None
        if since is not None:
            # Changes only: newest first, no count, from the watermark less the overlap.
            floor = cond.compare("lastUpdated", ">=", since - CHANGED_SINCE_OVERLAP)
            conditions = cond.all_of([conditions, floor])
            params: dict[str, str | int] = {"orderBy": "_info/lastUpdated desc, id desc"}
        else:
            sort = SORT_FIELDS.get((query.sort_field or "updated").strip().lower())
            if sort is None:
                log.debug("%s: cannot sort by %r on the desk", self.name, query.sort_field)
                sort = SORT_FIELDS["updated"]
            order = f"{sort} {'desc' if query.sort_descending else 'asc'}"
            params = {"orderBy": order if sort == "id" else f"{order}, id desc"}
            total = await self._count(conditions)
        if conditions:
            params["conditions"] = conditions

        async def fetch(page: PageRequest) -> FetchedPage:
            items, more = await self.page("service/tickets", params, page.number, page.size)
            tickets = [wire.ticket_from(item, catalog, self.name) for item in items]
            return FetchedPage(tickets, more=more)

        newest = since
        async for page in ticket_pages(self.name, fetch, page_size=query.page_size, total=total):
            for ticket in page.tickets:
                newest = ticket.updated if newest is None or ticket.updated > newest else newest
            watermark = None if newest is None else _stamp(newest)
            yield page.model_copy(update={"watermark": watermark})

    async def count_tickets(self, query: TicketQuery | None = None) -> int | None:
        """``GET /service/tickets/count`` with the listing's conditions (one request)."""
        return await self._count(self._query_conditions(query or TicketQuery()))

    async def list_ticket_ids(self, query: TicketQuery | None = None) -> AsyncIterator[list[str]]:
        """The listing's ids only (``fields=id``), by id, a page of 1000 at a time."""
        conditions = self._query_conditions(query or TicketQuery())
        params: dict[str, str | int] = {"orderBy": "id asc", "fields": "id"}
        if conditions:
            params["conditions"] = conditions
        number = 1
        while True:
            items, more = await self.page("service/tickets", params, number, ID_PAGE_SIZE)
            yield [str(wire.ident(item, what="ticket id", connection=self.name)) for item in items]
            if not more or len(items) < ID_PAGE_SIZE:
                return
            number += 1

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


def _stamp(moment: datetime) -> str:
    """A watermark: the moment in UTC, ISO 8601, to the second (what conditions take)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
