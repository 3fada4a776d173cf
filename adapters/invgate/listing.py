"""InvGate's listings: which ``by.*`` endpoint serves a :class:`TicketQuery`, paging it,
hydrating the request IDs it gives, counting and listing IDs for reconciliation, and the
saved view's changes since a watermark.

Decisions where the sources disagree or say nothing (``adapters/invgate/README.md`` has
the sources):

* **Listing.** No single filtered search exists. The source is chosen from the query: a
  saved view when the connection names one (``incidents.details.by.view``, ``page_key``
  paging, whose rows carry the last update: a refresh re-hydrates only the requests that
  changed; ``incidents.by.view`` with offsets on an instance without it); one agent's
  or one customer's open requests (``incidents.by.agent``, ``incidents.by.customer``:
  ``page_key`` paging, requests inline);
  open requests of help desks (``incidents.by.helpdesk``, no paging: the IDs are sliced
  here); otherwise requests by status (``incidents.by.status``, offset paging with a
  total), every status unless the query names some (without the finished ones when
  ``include_done`` is off). IDs are hydrated with ``incidents?ids[]=`` in batches of
  :data:`HYDRATE_BATCH`, concurrently, under the per-endpoint limits
  (:mod:`adapters.invgate.limits`).
* **Listing changes** (``TicketQuery.changed_since``) needs a saved view: only
  ``incidents.details.by.view`` says when each request last changed. A connection with
  ``view_id`` is an :class:`~adapters.invgate.adapter.InvGateViewAdapter`: its watermark
  is the newest last update a listing saw (the desk's clock), and a listing of changes
  reads the view by last update, newest first, down to the watermark less
  :data:`CHANGED_SINCE_OVERLAP`, hydrating only requests that changed. Without a view the
  capability says no and the kit's fallback applies. Reconciliation is cheap everywhere:
  :meth:`InvGateListing.count_tickets` (the ``total`` of ``incidents.by.status`` with
  ``limit=1``, or the help desks' IDs) and :meth:`InvGateListing.list_ticket_ids`
  (``requestIds`` without hydrating).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import httpx

from adapters.base import Capability, ConnectionSettings, InvalidInput, NotFound
from adapters.invgate.client import InvGateClient, gather
from adapters.invgate.wire import records, values
from adapters.invgate.wire.catalog import Catalog, is_done
from adapters.model import Ticket, TicketPage, TicketQuery
from adapters.paging import FetchedPage, PageRequest, ticket_pages

HYDRATE_BATCH = 50
"""Request IDs per ``incidents`` call when hydrating a page."""
ID_PAGE = 1000
"""Request IDs per call of an id-only listing (``limit``)."""
CHANGED_SINCE_OVERLAP = 300
"""Seconds before the watermark a listing of changes still reads (clock skew, late stamps)."""
ID_LISTING = Capability.yes("the requestIds of incidents.by.status, by.helpdesk or by.view")


class InvGateListing(InvGateClient):
    """The listings of an InvGate instance, over :class:`InvGateClient`."""

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        # Hydrated requests by id, for the listings that say when a request last changed.
        self._hydrated: dict[str, Ticket] = {}

    async def _rows_to_tickets(self, rows: Sequence[Mapping[str, Any]], what: str) -> list[Ticket]:
        try:
            people = [values.ident(r.get(k)) for r in rows for k in ("user_id", "assigned_id")]
            catalog = await self.know_users(people)
            return [records.ticket_from(row, catalog, self.name) for row in rows]
        except values.BadValue as error:
            raise self.protocol(what, error) from None

    async def hydrate(self, ids: Sequence[str]) -> list[Ticket]:
        """``incidents?ids[]=`` in batches, concurrently; tickets in the order of ``ids``
        (an ID the desk no longer has is left out)."""
        batches = [ids[i : i + HYDRATE_BATCH] for i in range(0, len(ids), HYDRATE_BATCH)]
        answers = await gather(*(self.call("GET", "incidents", {"ids": list(b)}) for b in batches))
        found: dict[str, Mapping[str, Any]] = {}
        try:
            for answer in answers:
                for row in values.rows(answer, "incidents"):
                    found[values.required_ident(row.get("id"), "request id")] = row
        except values.BadValue as error:
            raise self.protocol("answer to GET incidents", error) from None
        rows = [found[i] for i in ids if i in found]
        tickets = await self._rows_to_tickets(rows, "answer to GET incidents")
        for ticket in tickets:
            self._hydrated[ticket.key.native_id] = ticket
        return tickets

    def _id_page(self, answer: Any, endpoint: str) -> tuple[list[str], int | None]:
        if not isinstance(answer, dict):
            raise self.protocol(f"answer to GET {endpoint}", values.BadValue("not an object"))
        try:
            ids = values.ids(answer.get("requestIds"))
            total = values.integer(answer.get("total"))
        except values.BadValue as error:
            raise self.protocol(f"answer to GET {endpoint}", error) from None
        return ids, total

    def _source(self, query: TicketQuery, catalog: Catalog) -> tuple[str, list[str]]:
        """Which listing serves ``query`` (module docstring), and the help desks it is
        limited to."""
        groups = list(query.group_ids) or [str(h) for h in self.settings.helpdesks]
        for group in query.group_ids:
            if catalog.group(group) is None:
                raise InvalidInput(self.name, "group_ids", f"{group!r} is not a help desk")
        open_only = not query.include_done and not query.status_ids
        if self.settings.view_id is not None:
            return "view", groups
        if len(query.assignee_ids) == 1 and open_only:
            return "agent", groups
        if len(query.requester_ids) == 1 and open_only:
            return "customer", groups
        if groups and open_only:
            return "helpdesk", groups
        return "status", groups

    def _watermark(self, value: str | None) -> int | None:
        if value is None:
            return None
        if not value.isdigit():
            raise InvalidInput(self.name, "changed_since", f"{value!r} is not an InvGate watermark")
        return int(value)

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """The listing of ``query`` (module docstring). With a saved view, pages carry a
        watermark (the newest last update seen, the desk's clock) and a listing
        ``changed_since`` one reads the view newest first down to it, less
        :data:`CHANGED_SINCE_OVERLAP`; without a view ``changed_since`` is ignored."""
        query = query or TicketQuery()
        catalog = await self.catalog.get()
        source, groups = self._source(query, catalog)
        since = self._watermark(query.changed_since) if source == "view" else None
        if source == "view":
            assert self.settings.view_id is not None
            fetch = self._from_view(self.settings.view_id, since)
        elif source == "agent":
            fetch = self._from_person("incidents.by.agent", query.assignee_ids[0], "assignee_ids")
        elif source == "customer":
            fetch = self._from_person(
                "incidents.by.customer", query.requester_ids[0], "requester_ids"
            )
        elif source == "helpdesk":
            fetch = self._from_helpdesks(groups)
        else:
            fetch = self._from_statuses(query, catalog, groups)
        newest = since
        async for page in ticket_pages(self.name, fetch, page_size=query.page_size):
            if source != "view":
                yield page
                continue
            for ticket in page.tickets:
                moment = int(ticket.updated.timestamp())
                newest = moment if newest is None or moment > newest else newest
            yield page.model_copy(update={"watermark": None if newest is None else str(newest)})

    async def count_tickets(self, query: TicketQuery | None = None) -> int | None:
        """One request: ``incidents.by.status`` with ``limit=1`` (its ``total``), or the
        ``incidents.by.helpdesk`` IDs; ``None`` for the other listings."""
        query = query or TicketQuery()
        catalog = await self.catalog.get()
        source, groups = self._source(query, catalog)
        if source == "helpdesk":
            return len(await self._helpdesk_ids(groups))
        if source != "status" or groups:
            return None
        wanted = self._statuses(query, catalog)
        if not wanted:
            return 0
        answer = await self.call(
            "GET", "incidents.by.status", {"status_ids": wanted, "limit": 1, "offset": 0}
        )
        return self._id_page(answer, "incidents.by.status")[1]

    async def list_ticket_ids(self, query: TicketQuery | None = None) -> AsyncIterator[list[str]]:
        """IDs without hydrating: ``incidents.by.status`` (offset paging),
        ``incidents.by.helpdesk`` or ``incidents.by.view``; the others list requests."""
        query = query or TicketQuery()
        catalog = await self.catalog.get()
        source, groups = self._source(query, catalog)
        if source == "helpdesk":
            yield await self._helpdesk_ids(groups)
            return
        if source == "view" or (source == "status" and not groups):
            endpoint = "incidents.by.view" if source == "view" else "incidents.by.status"
            params: dict[str, Any] = (
                {"view_id": self.settings.view_id}
                if source == "view"
                else {"status_ids": self._statuses(query, catalog)}
            )
            if source == "status" and not params["status_ids"]:
                return
            offset, size = 0, ID_PAGE
            while True:
                answer = await self.call(
                    "GET", endpoint, {**params, "limit": size, "offset": offset}
                )
                ids, total = self._id_page(answer, endpoint)
                if ids:
                    yield ids
                offset += len(ids)
                if len(ids) < size or (total is not None and offset >= total):
                    return
        async for batch in super().list_ticket_ids(query):
            yield batch

    def _from_view(self, view_id: int, since: int | None = None) -> Any:
        """A saved view: ``incidents.details.by.view`` (rows with their last update, so
        only requests that changed since they were last hydrated are fetched again), or
        ``incidents.by.view`` (offset paging) on an instance without it."""
        details = True

        async def fetch(page: PageRequest) -> FetchedPage:
            nonlocal details
            if details:
                params: dict[str, Any] = {"view_id": view_id, "sort_by": "id", "order_by": "asc"}
                if since is not None:
                    params.update(sort_by="last_update", order_by="desc")
                if page.cursor:
                    params["page_key"] = page.cursor
                try:
                    answer = await self.call("GET", "incidents.details.by.view", params)
                except NotFound:
                    if page.cursor:
                        raise
                    details = False
                else:
                    floor = None if since is None else since - CHANGED_SINCE_OVERLAP
                    return await self._view_rows(answer, floor)
            answer = await self.call(
                "GET",
                "incidents.by.view",
                {"view_id": view_id, "limit": page.size, "offset": page.offset},
            )
            ids, _ = self._id_page(answer, "incidents.by.view")
            return FetchedPage(await self.hydrate(ids))

        return fetch

    async def _view_rows(self, answer: Any, floor: int | None = None) -> FetchedPage:
        what = "answer to GET incidents.details.by.view"
        try:
            if not isinstance(answer, dict):
                raise values.BadValue("not an object")
            rows = values.rows(answer.get("data") or [], "data")
            stamps = {
                values.required_ident(_cell(row.get("id")), "id"): values.moment(
                    _cell(row.get("last_update"))
                )
                for row in rows
            }
            key = answer.get("next_page_key")
        except values.BadValue as error:
            raise self.protocol(what, error) from None
        reached = False
        if floor is not None:
            recent = {
                rid: stamp
                for rid, stamp in stamps.items()
                if stamp is None or stamp.timestamp() >= floor
            }
            reached = len(recent) < len(stamps)
            stamps = recent
        changed = [
            rid
            for rid, stamp in stamps.items()
            if rid not in self._hydrated or stamp is None or self._hydrated[rid].updated != stamp
        ]
        await self.hydrate(changed)
        tickets = [self._hydrated[rid] for rid in stamps if rid in self._hydrated]
        cursor = str(key) if key and not reached else None
        return FetchedPage(tickets, more=cursor is not None, cursor=cursor)

    def _from_person(self, endpoint: str, person_id: str, field: str) -> Any:
        """One agent's or customer's open requests: inline, keyed by ID, by ``page_key``."""

        async def fetch(page: PageRequest) -> FetchedPage:
            params: dict[str, Any] = {"id": person_id, "limit": page.size}
            if page.cursor:
                params["page_key"] = page.cursor
            answer = await self.call("GET", endpoint, params, field=field)
            if not isinstance(answer, dict):
                raise self.protocol(
                    "answer to GET incidents.by.agent", values.BadValue("not an object")
                )
            try:
                rows = values.rows(answer.get("requests") or [], "requests")
                key = answer.get("next_page_key")
            except values.BadValue as error:
                raise self.protocol("answer to GET incidents.by.agent", error) from None
            tickets = await self._rows_to_tickets(rows, "answer to GET incidents.by.agent")
            cursor = str(key) if key else None
            return FetchedPage(tickets, more=cursor is not None, cursor=cursor)

        return fetch

    async def _helpdesk_ids(self, groups: list[str]) -> list[str]:
        answer = await self.call(
            "GET", "incidents.by.helpdesk", {"helpdesk_ids": groups}, field="group_ids"
        )
        return self._id_page(answer, "incidents.by.helpdesk")[0]

    def _statuses(self, query: TicketQuery, catalog: Catalog) -> list[str]:
        """The status IDs a by-status listing asks for (every one, or the query's; without
        the finished ones when ``include_done`` is off)."""
        known = {s.id: s for s in catalog.statuses}
        for status in query.status_ids:
            if status not in known:
                raise InvalidInput(self.name, "status_ids", f"{status!r} is not a status")
        wanted = [s for s in (query.status_ids or tuple(known)) if s in known]
        if not query.include_done:
            wanted = [s for s in wanted if not is_done(known[s].name)]
        return wanted

    def _from_helpdesks(self, groups: list[str]) -> Any:
        listed: list[str] | None = None

        async def fetch(page: PageRequest) -> FetchedPage:
            nonlocal listed
            if listed is None:
                listed = await self._helpdesk_ids(groups)
            ids = listed[page.offset : page.offset + page.size]
            more = page.offset + len(ids) < len(listed)
            return FetchedPage(await self.hydrate(ids), total=len(listed), more=more)

        return fetch

    def _from_statuses(self, query: TicketQuery, catalog: Catalog, groups: list[str]) -> Any:
        wanted = self._statuses(query, catalog)
        allowed = catalog.within(groups) if groups else None

        async def fetch(page: PageRequest) -> FetchedPage:
            if not wanted:
                return FetchedPage([], total=0, more=False)
            offset = int(page.cursor) if page.cursor else 0
            answer = await self.call(
                "GET",
                "incidents.by.status",
                {"status_ids": wanted, "limit": page.size, "offset": offset},
                field="status_ids",
            )
            ids, total = self._id_page(answer, "incidents.by.status")
            tickets = await self.hydrate(ids)
            after = offset + len(ids)
            more = bool(ids) and (after < total if total is not None else len(ids) == page.size)
            if allowed is not None:
                tickets = [t for t in tickets if t.group is not None and t.group.id in allowed]
                return FetchedPage(tickets, more=more, cursor=str(after))
            return FetchedPage(tickets, total=total, more=more, cursor=str(after))

        return fetch


def _cell(value: Any) -> Any:
    """A view row's cell: a plain value, or an object with ``value`` (or ``id``)."""
    if isinstance(value, dict):
        return value.get("value", value.get("id"))
    return value
