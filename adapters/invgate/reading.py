"""Reading one InvGate request in full: the request with its comments, time tracking,
links, observers, attachments and custom fields (definitions, options and which fields a
category has, each cached per connection), and the files themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import httpx

from adapters.actions import FileContent
from adapters.base import ConnectionSettings, InvalidInput, NotFound
from adapters.invgate.client import gather, instance_root
from adapters.invgate.listing import InvGateListing
from adapters.invgate.wire import custom_fields as cf
from adapters.invgate.wire import records, values
from adapters.invgate.wire.catalog import Catalog
from adapters.model import (
    Attachment,
    CustomField,
    FieldType,
    Ticket,
    TicketDetail,
    TimeEntry,
)

READ_ONLY_GROUP = "Request"


class InvGateReading(InvGateListing):
    """One request's detail, its custom fields, time tracking, links and files."""

    def __init__(
        self, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        super().__init__(settings, transport=transport)
        self._definitions: dict[str, cf.Definition] | None = None
        self._by_category: dict[str, tuple[str, ...]] = {}
        self._attachments: dict[str, Attachment] = {}

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

    async def new_ticket_fields(self) -> tuple[CustomField, ...]:
        """Every custom field, unset, with its options; required ones marked."""
        definitions = await self.field_definitions()
        return cf.fields_of([], definitions, tuple(definitions))

    # ----------------------------------------------------------------------------------
    # Time tracking, links
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

    async def linked(self, ticket_id: str) -> list[str]:
        """Seed "Lists all the linked requests": ``GET incident.link``."""
        number = self.request_id(ticket_id)
        answer = await self.call("GET", "incident.link", {"request_id": number})
        try:
            return values.ids(values.rows(answer, "links"))
        except values.BadValue as error:
            raise self.protocol(f"links of request {number}", error) from None

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
