"""InvGate Service Management adapter: the :class:`adapters.base.Adapter` operations and
the API reference's other request commands (solutions, waiting states, cancel, reject,
reopen, links, observers, custom-field clearing, time tracking), over API v1.

The connection, the lookups and the error mapping are in :mod:`adapters.invgate.client`;
the JSON and its mapping in :mod:`adapters.invgate.wire`.

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
  ``view_id`` is an :class:`InvGateViewAdapter`: its watermark is the newest last update a
  listing saw (the desk's clock), and a listing of changes reads the view by last update,
  newest first, down to the watermark less :data:`CHANGED_SINCE_OVERLAP`, hydrating only
  requests that changed. Without a view the capability says no and the kit's fallback
  applies. Reconciliation is cheap everywhere: :meth:`InvGateAdapter.count_tickets` (the
  ``total`` of ``incidents.by.status`` with ``limit=1``, or the help desks' IDs) and
  :meth:`InvGateAdapter.list_ticket_ids` (``requestIds`` without hydrating).
* **Status.** ``PUT incident`` cannot change it: a target status is reached through its
  endpoint (waiting for customer, cancel, reject, reopen, close for closed); a status no
  endpoint reaches from the current one is :class:`InvalidInput` naming ``status_id``.
  "Solved" needs a solution text: :meth:`InvGateAdapter.propose_solution`.
* **Close** is the desk's own path: a solution comment, then its acceptance with rating 5
  (``close_as = "solution"``, the default), or ``incident.cancel`` with the text as
  reason (``close_as = "cancel"``).
* **Merge** is emulated by the kit; the merged sources are then linked to the target
  with ``incident.link``.
* **Bodies.** Replies, notes and descriptions are sent as HTML made from the plain text
  (escaped, line breaks as ``<br />``), as the web UI stores them.
"""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin

import httpx

from adapters.actions import ActionOutcome, ActionSpec, ActionValue, FileContent
from adapters.base import (
    Capabilities,
    Capability,
    ConnectionSettings,
    DeskError,
    InvalidInput,
    ListingCapabilities,
    NotFound,
)
from adapters.invgate import actions as desk_actions
from adapters.invgate.client import (
    DEFAULT_CONCURRENCY,
    InvGateClient,
    InvGateSettings,
    api_root,
    gather,
    instance_root,
)
from adapters.invgate.wire import custom_fields as cf
from adapters.invgate.wire import records, values
from adapters.invgate.wire.catalog import Catalog, is_done
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    Attachment,
    Change,
    CustomField,
    CustomFieldValue,
    FieldType,
    NewTicket,
    NewTimeEntry,
    Post,
    Ticket,
    TicketDetail,
    TicketPage,
    TicketQuery,
    TimeEntry,
    Visibility,
)
from adapters.operations import entry_time
from adapters.paging import FetchedPage, PageRequest, ticket_pages

__all__ = [
    "HYDRATE_BATCH",
    "InvGateAdapter",
    "InvGateSettings",
    "InvGateViewAdapter",
    "api_root",
    "to_html",
]

log = logging.getLogger("triage.invgate")

HYDRATE_BATCH = 50
"""Request IDs per ``incidents`` call when hydrating a page."""
ID_PAGE = 1000
"""Request IDs per call of an id-only listing (``limit``)."""
CHANGED_SINCE_OVERLAP = 300
"""Seconds before the watermark a listing of changes still reads (clock skew, late stamps)."""
READ_ONLY_GROUP = "Request"
ID_LISTING = Capability.yes("the requestIds of incidents.by.status, by.helpdesk or by.view")


def to_html(text: str) -> str:
    """Plain text as the HTML a comment or description holds."""
    return "<br />".join(html.escape(line, quote=False) for line in text.split("\n"))


class InvGateAdapter(InvGateClient):
    """One InvGate Service Management instance."""

    vendor: ClassVar[str] = "invgate"
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes(
            "title, priority and type; status through its own endpoints; help desk and agent"
        ),
        assign=Capability.yes("help desk (or level) and/or agent, by incident.reassign"),
        close=Capability.yes(
            "a solution accepted on the customer's behalf (rating 5), or a cancellation "
            '(close_as = "cancel")'
        ),
        merge=Capability.emulate(
            "InvGate has no merge: the sources' conversations are copied into the target "
            "as an internal comment, each source is noted, closed and linked to the target"
        ),
        reply=Capability.yes("public comment, written as the acting user"),
        note=Capability.yes("internal comment (customer_visible 0), written as the acting user"),
        custom_fields=Capability.yes("request custom fields by uid; an empty value clears"),
        create=Capability.yes("the customer found by e-mail (or created), then reassigned"),
        time_entries=Capability.yes(
            "time tracking (timetracking): worked time only, InvGate keeps no billable time"
        ),
        attachments=Capability.yes("the request's and its comments' files (incident.attachment)"),
        upload=Capability.no("InvGate takes files only with a new comment or request"),
        delete=Capability.no("InvGate's API cannot delete a request (cancel or reject it)"),
        search=Capability.no("InvGate's API has no request search (only the by.* listings)"),
        max_concurrency=DEFAULT_CONCURRENCY,
        listing=ListingCapabilities(
            changed_since=Capability.no(
                "InvGate lists changes only through a saved view (set view_id): every refresh "
                "lists everything and the changes are found locally"
            ),
            id_listing=ID_LISTING,
        ),
    )

    def __new__(
        cls, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> InvGateAdapter:
        """A connection with ``view_id`` is an :class:`InvGateViewAdapter`, whose
        capabilities say it lists changes."""
        view = isinstance(settings, InvGateSettings) and settings.view_id is not None
        if cls is InvGateAdapter and view:
            return super().__new__(InvGateViewAdapter)
        return super().__new__(cls)

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        self._definitions: dict[str, cf.Definition] | None = None
        self._by_category: dict[str, tuple[str, ...]] = {}
        self._attachments: dict[str, Attachment] = {}
        # Hydrated requests by id, for the listings that say when a request last changed.
        self._hydrated: dict[str, Ticket] = {}

    # ----------------------------------------------------------------------------------
    # Reading requests
    # ----------------------------------------------------------------------------------

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

    async def _request_row(self, number: str) -> dict[str, Any]:
        row = await self.call("GET", "incident", {"id": number}, field="ticket_id")
        if not isinstance(row, dict) or not row.get("id"):
            if isinstance(row, list) and row and isinstance(row[0], dict):
                return row[0]  # the spec says "an array of objects"
            raise NotFound(self.name, f"request {number} not found")
        return row

    async def ticket(self, ticket_id: str) -> Ticket:
        number = self.request_id(ticket_id)
        row = await self._request_row(number)
        tickets = await self._rows_to_tickets([row], f"request {number}")
        return tickets[0].model_copy(update={"raw": row})

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        """``incident`` with its comments, time tracking, links, observers, attachments
        and custom fields (definitions, options and category applicability cached)."""
        number = self.request_id(ticket_id)
        row, comments, entries, links, observers = await gather(
            self._request_row(number),
            self.call("GET", "incident.comment", {"request_id": number}),
            self.call("GET", "timetracking", {"request_id": number}),
            self.call("GET", "incident.link", {"request_id": number}),
            self.call("GET", "incident.observer", {"request_id": number}),
        )
        what = f"request {number}"
        try:
            comment_rows = values.rows(comments, "comments")
            entry_rows = values.rows(entries, "time tracking")
            link_rows = values.rows(links, "links")
            observer_ids = values.ids(observers)
            authors = [values.ident(c.get("author_id")) for c in comment_rows]
            authors += [values.ident(e.get("user_id")) for e in entry_rows]
            catalog = await self.know_users(
                [*authors, *observer_ids, values.ident(row.get("user_id")),
                 values.ident(row.get("assigned_id"))]
            )  # fmt: skip
            files = await self._files(f for c in comment_rows for f in records.comment_files(c))
            ticket = records.ticket_from(row, catalog, self.name, keep_raw=True)
            posts = [records.description_post(row, catalog)]
            posts += [records.post_from_comment(c, catalog, files) for c in comment_rows]
            posts += [records.post_from_time_entry(e, catalog) for e in entry_rows]
            fields = await self._custom_fields(row)
            extras = self._request_facts(row, catalog, link_rows, observer_ids)
        except values.BadValue as error:
            raise self.protocol(what, error) from None
        ordered = sorted((p for p in posts if p is not None), key=lambda p: p.created)
        raw = {**row, "comments": comment_rows, "timetracking": entry_rows, "links": link_rows}
        return TicketDetail(
            ticket=ticket, posts=tuple(ordered), custom_fields=fields + extras, raw=raw
        )

    async def _files(self, ids: Any) -> dict[str, Attachment]:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._attachments]
        answers = await gather(
            *(self.call("GET", "incident.attachment", {"id": i}) for i in wanted)
        )
        for file_id, answer in zip(wanted, answers, strict=True):
            if isinstance(answer, dict):
                self._attachments[file_id] = records.attachment_from(answer)
        return self._attachments

    def _request_facts(
        self,
        row: Mapping[str, Any],
        catalog: Catalog,
        links: list[dict[str, Any]],
        observers: list[str],
    ) -> tuple[CustomField, ...]:
        """Category, source, linked requests and observers, shown as read-only fields."""
        source = next(
            (s.name for s in catalog.sources if s.id == values.ident(row.get("source_id"))), None
        )
        linked = "; ".join(
            f"#{values.ident(link.get('id'))} {values.text(link.get('title'))}" for link in links
        )
        watching = ", ".join(
            catalog.users[o].name if o in catalog.users else f"#{o}" for o in observers
        )
        facts = (
            ("_category", "Category", catalog.category_label(values.ident(row.get("category_id")))),
            ("_source", "Source", source),
            ("_links", "Linked requests", linked or None),
            ("_observers", "Observers", watching or None),
        )
        return tuple(
            CustomField(
                key=key, label=label, group=READ_ONLY_GROUP, type=FieldType.TEXT, value=value,
                editable=False,
            )
            for key, label, value in facts
        )  # fmt: skip

    # ----------------------------------------------------------------------------------
    # Custom fields
    # ----------------------------------------------------------------------------------

    async def field_definitions(self) -> dict[str, cf.Definition]:
        """``cf.fields.all`` with type names and options (lists and trees), cached."""
        if self._definitions is None:
            rows, types = await gather(
                self.call("GET", "cf.fields.all"), self.call("GET", "cf.fields.types")
            )
            try:
                names = {
                    values.required_ident(t.get("id"), "type id"): values.text(t.get("name"))
                    for t in values.rows(types, "custom field types")
                }
                definitions = [cf.read_definition(r, names) for r in values.rows(rows, "fields")]
            except values.BadValue as error:
                raise self.protocol("custom field definitions", error) from None
            selects = [
                d for d in definitions if d.type in (FieldType.SELECT, FieldType.MULTI_SELECT)
            ]
            answers = await gather(
                *(
                    self.call(
                        "GET",
                        "cf.field.options.tree" if d.is_tree else "cf.field.options.list",
                        {"uid": d.uid},
                    )
                    for d in selects
                )
            )
            options: dict[str, tuple[Any, ...]] = {}
            try:
                for definition, answer in zip(selects, answers, strict=True):
                    reader = cf.tree_options if definition.is_tree else cf.list_options
                    options[definition.uid] = reader(answer)
            except values.BadValue as error:
                raise self.protocol("custom field options", error) from None
            self._definitions = {
                d.uid: (
                    cf.Definition(d.uid, d.label, d.type, d.type_name, d.required, options[d.uid])
                    if d.uid in options
                    else d
                )
                for d in definitions
            }
        return self._definitions

    async def _applicable(self, category_id: str | None) -> tuple[str, ...]:
        if category_id is None:
            return ()
        if category_id not in self._by_category:
            try:
                answer = await self.call(
                    "GET", "cf.fields.by.category", {"category_id": category_id}
                )
                self._by_category[category_id] = tuple(values.ids(answer))
            except NotFound:
                self._by_category[category_id] = ()
        return self._by_category[category_id]

    async def _custom_fields(self, row: Mapping[str, Any]) -> tuple[CustomField, ...]:
        definitions, applicable = await gather(
            self.field_definitions(), self._applicable(values.ident(row.get("category_id")))
        )
        return cf.fields_of(row.get("custom_fields"), definitions, applicable)

    async def set_custom_fields(
        self, ticket_id: str, values_by_key: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        """``POST incident.custom_field`` per field (``values[]``), ``DELETE`` to clear."""
        if not values_by_key:
            raise InvalidInput(self.name, "values", "nothing to set")
        number = self.request_id(ticket_id)
        definitions = await self.field_definitions()
        encoded: dict[str, str] = {}
        for key, value in values_by_key.items():
            definition = definitions.get(key)
            if definition is None:
                raise InvalidInput(self.name, key, "no such custom field")
            encoded[key] = cf.encode(definition, value, self.name)
        author = await self.author()
        for key, item in encoded.items():
            base = {"request_id": number, "author_id": author, "custom_field_uid": key}
            if item == "":
                await self.call("DELETE", "incident.custom_field", base, field=key)
            else:
                await self.call(
                    "POST", "incident.custom_field", {**base, "values": [item]}, field=key
                )
        fields = await self._custom_fields(await self._request_row(number))
        after = {f.key: f.value for f in fields}
        for key, value in values_by_key.items():
            definition = definitions[key]
            wanted = cf.value_of(None, definition) if encoded[key] == "" else value
            shown = after.get(key, cf.value_of(None, definition))
            if not _same(wanted, shown, definition):
                raise InvalidInput(
                    self.name, key, f"the desk did not apply {value!r} (it shows {shown!r})"
                )
        return fields

    async def clear_custom_field(self, ticket_id: str, key: str) -> tuple[CustomField, ...]:
        """Seed "Deletes value in the associated custom field": ``DELETE incident.custom_field``."""
        return await self.set_custom_fields(ticket_id, {key: None})

    # ----------------------------------------------------------------------------------
    # Changing requests
    # ----------------------------------------------------------------------------------

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        if change.is_empty():
            raise InvalidInput(self.name, "change", "nothing to change")
        number = self.request_id(ticket_id)
        catalog = await self.catalog.get()
        form: dict[str, Any] = {"id": number}
        if change.subject is not None:
            if not change.subject.strip():
                raise InvalidInput(self.name, "subject", "must not be empty")
            form["title"] = change.subject.strip()
        for name, wire_name, choices in (
            ("priority_id", "priority_id", catalog.priorities),
            ("type_id", "type_id", catalog.types),
        ):
            value = getattr(change, name)
            if value is not None:
                if value not in {c.id for c in choices}:
                    raise InvalidInput(self.name, name, f"{value!r} is not one of this desk's")
                form[wire_name] = value
        if change.status_id is not None and catalog.status(change.status_id) is None:
            raise InvalidInput(self.name, "status_id", f"{change.status_id!r} is not a status")
        if len(form) > 1:
            await self.call("PUT", "incident", form, field=_field_of_form(form))
        if change.group_id is not None or change.assignee_id is not None:
            await self.assign(number, change.assignee_id, change.group_id)
        if change.status_id is not None:
            await self._move_to(number, change.status_id, catalog)
        return await self.ticket(number)

    async def update_attributes(self, ticket_id: str, **attributes: Any) -> Ticket:
        """Seed "Change attributes of a request" (``PUT incident``): ``title``,
        ``description`` (plain text), ``category_id``, ``priority_id``, ``type_id``,
        ``source_id``, ``location_id``, ``customer_id``, ``date`` (epoch), ``reassignment``."""
        allowed = {"title", "description", "category_id", "priority_id", "type_id",
                   "source_id", "location_id", "customer_id", "date", "reassignment"}  # fmt: skip
        unknown = set(attributes) - allowed
        if unknown or not attributes:
            raise InvalidInput(self.name, "attributes", f"use {', '.join(sorted(allowed))}")
        number = self.request_id(ticket_id)
        form = {"id": number, **attributes}
        if "description" in form:
            form["description"] = to_html(str(form["description"]))
        await self.call("PUT", "incident", form, field=_field_of_form(form))
        return await self.ticket(number)

    async def _move_to(self, number: str, status_id: str, catalog: Catalog) -> None:
        """Reach ``status_id`` through the endpoint that sets it (module docstring)."""
        target = catalog.status(status_id)
        row = await self._request_row(number)
        current = catalog.status(values.ident(row.get("status_id")))
        if target is None or (current is not None and current.id == target.id):
            return
        name = target.name.lower()
        current_done = current is not None and is_done(current.name)
        if "wait" in name:
            await self.wait_for_customer(number)
        elif "cancel" in name:
            await self.cancel(number)
        elif "reject" in name:
            await self.reject(number)
        elif "clos" in name:
            await self.close(number)
        elif "solv" in name or "resol" in name:
            raise InvalidInput(
                self.name, "status_id", f"{target.name} needs a solution: propose one (or close)"
            )
        elif current_done:
            await self.reopen(number)
        else:
            shown = current.name if current else "its status"
            raise InvalidInput(
                self.name,
                "status_id",
                f"no InvGate endpoint sets {target.name} on a request in {shown}",
            )

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        """``POST incident.reassign``: a help desk is required, so the current one is kept
        (or, for an agent outside it, the first of the agent's own)."""
        if agent_id is None and group_id is None:
            raise InvalidInput(self.name, "agent_id", "give an agent and/or a help desk")
        number = self.request_id(ticket_id)
        catalog = await self.catalog.get()
        row = await self._request_row(number)
        current_group = values.ident(row.get("assigned_group_id"))
        current_agent = values.ident(row.get("assigned_id"))
        if group_id is not None and catalog.group(group_id) is None:
            raise InvalidInput(self.name, "group_id", f"{group_id!r} is not a help desk")
        agent = current_agent if agent_id is None else (agent_id or None)
        group = group_id or current_group
        outside = group is None or agent not in catalog.members_of(group)
        if agent is not None and agent_id is not None and group_id is None and outside:
            own = catalog.groups_of(agent)
            if not own:
                raise InvalidInput(self.name, "agent_id", f"{agent!r} is in no help desk")
            group = own[0].id
        if group is None:
            raise InvalidInput(self.name, "group_id", "reassigning needs a help desk")
        if agent is not None and agent_id is None and agent not in catalog.members_of(group):
            agent = None  # the current agent does not follow to another help desk
        form = {
            "request_id": number,
            "author_id": await self.author(),
            "group_id": group,
            "agent_id": agent,
        }
        await self.call(
            "POST", "incident.reassign", form, field="agent_id" if agent_id else "group_id"
        )
        return await self.ticket(number)

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        return await self._comment(ticket_id, text, public=visibility is Visibility.PUBLIC)

    async def _comment(
        self, ticket_id: str, text: str, *, public: bool, solution: bool = False
    ) -> Post:
        if not text.strip():
            raise InvalidInput(self.name, "text", "must not be empty")
        number = self.request_id(ticket_id)
        author = await self.author()
        form = {
            "request_id": number,
            "author_id": author,
            "comment": to_html(text),
            "customer_visible": public,
            "is_solution": solution,
        }
        answer = await self.call("POST", "incident.comment", form, field="text")
        made = values.ident(answer.get("comment_id")) if isinstance(answer, dict) else None
        comments = await self.call("GET", "incident.comment", {"request_id": number})
        try:
            rows = values.rows(comments, "comments")
            mine = [
                r
                for r in rows
                if values.ident(r.get("id")) == made
                or (made is None and values.ident(r.get("author_id")) == author)
            ]
            if not mine:
                raise values.BadValue("the new comment is not among the request's comments")
            newest = max(mine, key=lambda r: int(values.required_ident(r.get("id"), "id")))
            catalog = await self.know_users([author])
            return records.post_from_comment(
                newest, catalog, await self._files(records.comment_files(newest))
            )
        except values.BadValue as error:
            raise self.protocol(f"comments of request {number}", error) from None

    # ----------------------------------------------------------------------------------
    # Solutions, closing and the other transitions (seed commands)
    # ----------------------------------------------------------------------------------

    async def propose_solution(self, ticket_id: str, text: str) -> Post:
        """Seed "Adds a reply" with ``is_solution=1``: the request becomes solved."""
        return await self._comment(ticket_id, text, public=True, solution=True)

    async def accept_solution(self, ticket_id: str, rating: int, comment: str = "") -> Ticket:
        """Seed "Accepts the solution": ``PUT incident.solution.accept``; below 4 stars the
        API requires a comment."""
        if not 1 <= rating <= 5:
            raise InvalidInput(self.name, "rating", "must be 1 to 5")
        if rating < 4 and not comment.strip():
            raise InvalidInput(self.name, "comment", "a rating below 4 needs a comment")
        number = self.request_id(ticket_id)
        form: dict[str, Any] = {"id": number, "rating": rating}
        if comment.strip():
            form["comment"] = comment.strip()
        await self.call("PUT", "incident.solution.accept", form, field="rating")
        return await self.ticket(number)

    async def reject_solution(self, ticket_id: str, comment: str) -> Ticket:
        """Seed "Rejects the solution": ``PUT incident.solution.reject`` with a reason."""
        if not comment.strip():
            raise InvalidInput(self.name, "comment", "give the reason")
        number = self.request_id(ticket_id)
        await self.call(
            "PUT", "incident.solution.reject", {"id": number, "comment": comment.strip()},
            field="comment",
        )  # fmt: skip
        return await self.ticket(number)

    async def cancel(self, ticket_id: str, reason: str = "") -> Ticket:
        """Seed "Cancel a request": ``POST incident.cancel``."""
        number = self.request_id(ticket_id)
        form = {
            "request_id": number,
            "author_id": await self.author(),
            "comment": reason.strip() or None,
        }
        await self.call("POST", "incident.cancel", form, field="status_id")
        return await self.ticket(number)

    async def reject(self, ticket_id: str) -> Ticket:
        """Seed "Rejects a request": ``POST incident.reject``."""
        number = self.request_id(ticket_id)
        form = {"request_id": number, "author_id": await self.author()}
        await self.call("POST", "incident.reject", form, field="status_id")
        return await self.ticket(number)

    async def reopen(self, ticket_id: str) -> Ticket:
        """Seed "Reopens a request": ``PUT incident.reopen``."""
        number = self.request_id(ticket_id)
        form = {"request_id": number, "author_id": await self.author()}
        await self.call("PUT", "incident.reopen", form, field="status_id")
        return await self.ticket(number)

    async def _wait(
        self, endpoint: str, ticket_id: str, extra: Mapping[str, Any], field: str
    ) -> Ticket:
        """A waiting state; a refusal names ``field`` when it is about the value given, and
        ``status_id`` when the request cannot wait (it is not active)."""
        number = self.request_id(ticket_id)
        try:
            await self.call("POST", endpoint, {"request_id": number, **extra}, field=field)
        except InvalidInput as exc:
            if "active" in exc.reason or "already" in exc.reason:
                raise InvalidInput(self.name, "status_id", exc.reason) from None
            raise
        return await self.ticket(number)

    async def wait_for_customer(self, ticket_id: str) -> Ticket:
        """Seed "Sets the waiting for customer status"."""
        return await self._wait("incident.waitingfor.customer", ticket_id, {}, "status_id")

    async def wait_for_agent(self, ticket_id: str) -> Ticket:
        """Seed "Sets the agent waiting status"."""
        return await self._wait("incident.waitingfor.agent", ticket_id, {}, "status_id")

    async def wait_until(self, ticket_id: str, when: datetime) -> Ticket:
        """Seed "Sets the waiting for date status" (``timestamp``, epoch)."""
        if when.tzinfo is None:
            raise InvalidInput(self.name, "timestamp", "needs a timezone")
        stamp = int(when.astimezone(UTC).timestamp())
        return await self._wait(
            "incident.waitingfor.date", ticket_id, {"timestamp": stamp}, "timestamp"
        )

    async def wait_for_external_entity(self, ticket_id: str, entity_link_id: int) -> Ticket:
        """Seed "waiting for external entity" (the entity already linked)."""
        return await self._wait(
            "incident.waitingfor.external_entity", ticket_id,
            {"entity_link_id": entity_link_id}, "entity_link_id",
        )  # fmt: skip

    async def wait_for_request(self, ticket_id: str, other_id: str) -> Ticket:
        """Seed "waiting for another request"."""
        other = self.request_id(other_id)
        return await self._wait(
            "incident.waitingfor.incident", ticket_id, {"wait_request_id": other}, "wait_request_id"
        )

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        number = self.request_id(ticket_id)
        if note.strip():
            await self.add_post(number, note, Visibility.PRIVATE)
        catalog = await self.catalog.get()
        row = await self._request_row(number)
        status = catalog.status(values.ident(row.get("status_id")))
        name = status.name.lower() if status else ""
        if status is not None and is_done(status.name) and "solv" not in name:
            return await self.ticket(number)
        if self.settings.close_as == "cancel":
            return await self.cancel(number, resolution or note or "Closed from triage")
        if "solv" not in name:
            await self.propose_solution(number, resolution.strip() or "Resolved.")
        return await self.accept_solution(number, 5)

    # ----------------------------------------------------------------------------------
    # Links, observers, merge
    # ----------------------------------------------------------------------------------

    async def link(self, ticket_id: str, other_ids: Sequence[str]) -> list[str]:
        """Seed "Links a request to another request": ``POST incident.link``; returns the
        IDs the request is linked to afterwards."""
        number = self.request_id(ticket_id)
        others = [self.request_id(o) for o in other_ids]
        if not others:
            raise InvalidInput(self.name, "request_ids", "name at least one request")
        await self.call(
            "POST", "incident.link", {"request_id": number, "request_ids": others},
            field="request_ids",
        )  # fmt: skip
        return await self.linked(number)

    async def linked(self, ticket_id: str) -> list[str]:
        """Seed "Lists all the linked requests": ``GET incident.link``."""
        number = self.request_id(ticket_id)
        answer = await self.call("GET", "incident.link", {"request_id": number})
        try:
            return values.ids(values.rows(answer, "links"))
        except values.BadValue as error:
            raise self.protocol(f"links of request {number}", error) from None

    async def add_observer(self, ticket_id: str, user_ids: Sequence[str]) -> list[str]:
        """Seed "Adds a user as observer": ``POST incident.observer``."""
        number = self.request_id(ticket_id)
        form = {"request_id": number, "author_id": await self.author(), "users_id": list(user_ids)}
        await self.call("POST", "incident.observer", form, field="users_id")
        return values.ids(await self.call("GET", "incident.observer", {"request_id": number}))

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        results = await self.emulated_merge(target_id, source_ids)
        target = results[-1].key
        merged = [r.key.native_id for r in results[:-1] if r.ok]
        if merged:
            try:
                await self.link(target.native_id, merged)
            except DeskError as exc:
                results[-1] = ActionResult(
                    key=target,
                    action="merge",
                    ok=False,
                    message=f"{results[-1].message}; linking them failed: {exc.message}",
                )
        return results

    async def merge_ticket_id(self, ticket_id: str) -> str:
        return self.request_id(ticket_id)

    # ----------------------------------------------------------------------------------
    # Time tracking
    # ----------------------------------------------------------------------------------

    async def _time_rows(self, number: str) -> list[dict[str, Any]]:
        answer = await self.call("GET", "timetracking", {"request_id": number})
        try:
            return values.rows(answer, "time tracking")
        except values.BadValue as error:
            raise self.protocol(f"time tracking of request {number}", error) from None

    async def list_time_entries(self, ticket_id: str) -> list[TimeEntry]:
        """Seed "Lists all the available time tracking records" of a request, oldest first."""
        number = self.request_id(ticket_id)
        rows = await self._time_rows(number)
        try:
            catalog = await self.know_users(values.ident(r.get("user_id")) for r in rows)
            entries = [records.time_entry_from(r, catalog) for r in rows]
        except values.BadValue as error:
            raise self.protocol(f"time tracking of request {number}", error) from None
        return sorted(entries, key=lambda e: (e.date, int(e.id) if e.id.isdigit() else 0))

    async def add_time_entry(self, ticket_id: str, entry: NewTimeEntry) -> TimeEntry:
        """``POST timetracking``: ``from`` noon UTC of the day worked, ``to`` that plus the
        time worked, by the chosen agent (default: the acting user). InvGate keeps no
        billable time apart from the time worked."""
        number = self.request_id(ticket_id)
        start = entry_time(entry.day)
        user = entry.agent_id or await self.author()
        form = {
            "request_id": number,
            "user_id": user,
            "from": int(start.timestamp()),
            "to": int(start.timestamp()) + entry.worked,
            "comment": entry.note.strip() or None,
        }
        answer = await self.call("POST", "timetracking", form, field="worked")
        made = values.ident(answer.get("timetracking_id")) if isinstance(answer, dict) else None
        found = next((e for e in await self.list_time_entries(number) if e.id == made), None)
        if found is None:
            raise self.protocol("answer to POST timetracking", values.BadValue("no new entry"))
        return found

    async def delete_time_entry(self, ticket_id: str, entry_id: str) -> None:
        """Seed "Deletes a time log entry": ``DELETE timetracking``."""
        number = self.request_id(ticket_id)
        tid = entry_id.strip().removeprefix("time-")
        if not tid.isdigit():
            raise InvalidInput(self.name, "entry", f"{entry_id!r} is not a time entry id")
        form = {"request_id": number, "timetracking_id": tid, "user_id": await self.author()}
        await self.call("DELETE", "timetracking", form, field="entry")

    # ----------------------------------------------------------------------------------
    # Attachments
    # ----------------------------------------------------------------------------------

    async def list_attachments(self, ticket_id: str) -> list[Attachment]:
        """The request's files and its comments' (``attachments``, ``attached_files``),
        each described by ``incident.attachment``."""
        number = self.request_id(ticket_id)
        row, comments = await gather(
            self._request_row(number),
            self.call("GET", "incident.comment", {"request_id": number}),
        )
        try:
            ids = values.ids(row.get("attachments"))
            ids += [f for c in values.rows(comments, "comments") for f in records.comment_files(c)]
        except values.BadValue as error:
            raise self.protocol(f"attachments of request {number}", error) from None
        files = await self._files(ids)
        return [files[i] for i in dict.fromkeys(ids) if i in files]

    async def download_attachment(self, ticket_id: str, attachment_id: str) -> FileContent:
        """``incident.attachment`` gives the file's instance-relative ``url``; the file is
        fetched from the instance with the same credentials."""
        self.request_id(ticket_id)
        wanted = attachment_id.strip()
        if not wanted.isdigit():
            raise InvalidInput(self.name, "attachment", f"{attachment_id!r} is not an id")
        row = await self.call("GET", "incident.attachment", {"id": wanted}, field="attachment")
        if not isinstance(row, dict) or not values.text(row.get("url")).strip():
            raise self.protocol(f"attachment {wanted}", values.BadValue("no url"))
        url = urljoin(instance_root(self.settings.url) + "/", values.text(row.get("url")).strip())
        if not url.startswith(instance_root(self.settings.url) + "/"):
            raise self.protocol(f"attachment {wanted}", values.BadValue("url leaves the instance"))
        await self.limits.acquire("attachment", "GET")
        response = await self.http.request("GET", url)
        self.http.raise_for_status(response, f"GET attachment {wanted}")
        name = records.attachment_from(row).name
        return FileContent(
            name=name, data=response.content, content_type=response.headers.get("content-type")
        )

    # ----------------------------------------------------------------------------------
    # The desk's own actions (adapters/invgate/actions.py)
    # ----------------------------------------------------------------------------------

    def desk_actions(self) -> Sequence[ActionSpec]:
        return desk_actions.SPECS

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values_by_name: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        return await desk_actions.run(self, spec, ticket_id, values_by_name)

    async def new_ticket_fields(self) -> tuple[CustomField, ...]:
        """Every custom field, unset, with its options; required ones marked."""
        definitions = await self.field_definitions()
        return cf.fields_of([], definitions, tuple(definitions))

    # ----------------------------------------------------------------------------------
    # Creating requests
    # ----------------------------------------------------------------------------------

    async def _customer(self, name: str, email: str) -> str:
        try:
            found = await self.call("GET", "user.by", {"email": email})
            if isinstance(found, dict) and values.ident(found.get("id")):
                return values.required_ident(found.get("id"), "user id")
        except NotFound:
            pass
        first, _, last = name.strip().partition(" ")
        made = await self.call(
            "POST", "user", {"name": first, "lastname": last or None, "email": email},
            field="requester_email",
        )  # fmt: skip
        try:
            return values.required_ident(made.get("id") if isinstance(made, dict) else None, "id")
        except values.BadValue as error:
            raise self.protocol("answer to POST user", error) from None

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        """``POST incident``: the customer by e-mail (created when unknown), the first
        category, priority Medium and type Incident unless given; then reassigned to the
        help desk (and agent) asked for."""
        for name in ("subject", "body", "requester_name", "requester_email"):
            if not str(getattr(new, name)).strip():
                raise InvalidInput(self.name, name, "must not be empty")
        if "@" not in new.requester_email:
            raise InvalidInput(self.name, "requester_email", "is not an e-mail address")
        catalog = await self.catalog.get()
        if catalog.group(new.group_id) is None:
            raise InvalidInput(self.name, "group_id", f"{new.group_id!r} is not a help desk")
        priority = new.priority_id or _named_id(catalog.priorities, "medium")
        type_id = new.type_id or _named_id(catalog.types, "incident")
        if not catalog.categories:
            raise InvalidInput(self.name, "category_id", "the desk has no categories")
        customer = await self._customer(new.requester_name, new.requester_email.strip())
        form = {
            "creator_id": await self.author(),
            "customer_id": customer,
            "category_id": catalog.categories[0].id,
            "priority_id": priority,
            "type_id": type_id,
            "title": new.subject.strip(),
            "description": to_html(new.body),
        }
        answer = await self.call("POST", "incident", form, field="request")
        try:
            number = values.required_ident(
                answer.get("request_id") if isinstance(answer, dict) else None, "request_id"
            )
        except values.BadValue as error:
            raise self.protocol("answer to POST incident", error) from None
        try:
            agent = new.assignee_id if new.assignee_id != UNASSIGNED else None
            await self.assign(number, agent, new.group_id)
            if new.status_id is not None:
                await self._move_to(number, new.status_id, catalog)
        except DeskError as exc:
            # The request exists: failing now would invite a duplicate.
            log.warning("%s: new request %s: %s", self.name, number, exc.message)
        return await self.get_ticket(number)

    def describe(self) -> dict[str, Any]:
        facts = super().describe()
        facts.update(api=self.root, plan=self.settings.plan)
        return facts


class InvGateViewAdapter(InvGateAdapter):
    """An instance listed through a saved view (``view_id``): ``incidents.details.by.view``
    says when each request last changed, so a refresh reads only the changes."""

    capabilities: ClassVar[Capabilities] = InvGateAdapter.capabilities.model_copy(
        update={
            "listing": ListingCapabilities(
                changed_since=Capability.yes(
                    "the saved view by last update, newest first, down to the watermark less "
                    "5 minutes"
                ),
                id_listing=ID_LISTING,
            )
        }
    )


def _cell(value: Any) -> Any:
    """A view row's cell: a plain value, or an object with ``value`` (or ``id``)."""
    if isinstance(value, dict):
        return value.get("value", value.get("id"))
    return value


def _named_id(choices: Sequence[Any], word: str) -> str:
    found = next((c for c in choices if word in c.name.lower()), None)
    return str((found or choices[0]).id) if choices else "1"


def _field_of_form(form: Mapping[str, Any]) -> str:
    names = {"title": "subject", "priority_id": "priority_id", "type_id": "type_id"}
    fields = [names.get(k, k) for k in form if k != "id"]
    return fields[0] if len(fields) == 1 else "change"


def _same(wanted: CustomFieldValue, shown: CustomFieldValue, definition: cf.Definition) -> bool:
    if definition.type is FieldType.NUMBER and wanted not in (None, "") and shown is not None:
        try:
            return float(str(wanted)) == float(str(shown))
        except ValueError:
            return False
    if definition.type is FieldType.SELECT and isinstance(wanted, str) and isinstance(shown, str):
        return (
            any(
                o.label == shown and wanted in (o.id, o.label, o.label.split(" › ")[-1])
                for o in definition.options
            )
            or wanted == shown
        )
    if definition.type is FieldType.DATE and isinstance(wanted, str) and isinstance(shown, str):
        return wanted[:10] == shown[:10]
    return wanted == shown
