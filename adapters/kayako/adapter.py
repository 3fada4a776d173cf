"""Kayako Classic adapter: the :class:`adapters.base.Adapter` operations (and the extra
commands seed 000 lists) over the signed v4 REST API.

The signed requests, the settings and the lookups are in :mod:`adapters.kayako.client`;
the XML and its mapping in :mod:`adapters.kayako.wire`.

Decisions where the sources disagree or say nothing:

* **Listing done tickets.** The server's ``ListAll`` returns only unresolved tickets when no
  status is given (server source), while seed 000 says "all statuses". ``TicketQuery`` decides,
  and the adapter always names the statuses: with ``include_done`` (and no status filter)
  every status id, without it every status not marked as resolved. ``-1`` is not used for
  the latter because the server's default keeps a department's own unresolved statuses only
  when the status id equals a listed department id (it compares the wrong ids), so tickets
  in, say, "Awaiting Payment" of Billing would vanish. ``-1`` is sent only when the desk
  lists no statuses at all. Explicit ``status_ids`` are passed as given (minus the resolved
  ones when ``include_done`` is off).
* **Paging.** ``count``/``start`` is a row offset; ``GetTicketCount`` gives the total. A server
  without ``GetTicketCount`` (404/400) lists without a total; one that ignores paging (returns
  more rows than asked) is read as a single page. Tickets repeated across pages are dropped.
* **Silent PUTs.** ``PUT /Tickets/Ticket`` ignores ids it does not like, so every update is
  checked against the answer and a value the desk did not apply is :class:`InvalidInput`
  naming the field.
* **Close** adds the note first (if any), then sets a status with ``markasresolved=1`` that
  is valid in the ticket's department, preferring one titled "Closed".
* **Merge** is emulated (:meth:`adapters.base.Adapter.emulated_merge`): the REST API has
  none, and Kayako's ticket linking is not in it either, so sources are not linked.
* **Listing changes.** The watermark is the largest ``lastactivity`` a listing saw (epoch
  seconds, the desk's own clock, so our clock's skew does not matter). A listing
  ``changed_since`` it sorts by ``lastactivity`` descending whatever the query's sort, asks
  no ``GetTicketCount``, and stops at the first page that reaches activity older than the
  watermark less :data:`CHANGED_SINCE_OVERLAP` (5 minutes): the overlap takes in a ticket
  whose activity was stamped late (a transaction that committed after our listing read
  past it, a server clock put back), at the cost of re-reading what was touched in those
  minutes. The server stamps ``lastactivity`` on every change to a ticket (a reply, a
  note, a field, a move to another department), so edits, new tickets and moves within
  the view are found; deletions and moves out of the view are not (reconciliation:
  :meth:`KayakoAdapter.count_tickets` first, then the listing itself, since Kayako has no
  id-only listing).
* **Custom fields** are written with the current values of the ticket's other editable
  fields, as the official PHP library does, so a server that clears fields missing from the
  form loses nothing. File fields cannot be written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from adapters.base import (
    Capabilities,
    Capability,
    DeskError,
    InvalidInput,
    ListingCapabilities,
    MergeRead,
    NotFound,
    ProtocolError,
    Unsupported,
)
from adapters.kayako import wire
from adapters.kayako.client import (
    DEFAULT_CONCURRENCY,
    KayakoSettings,
    api_root,
    new_salt,
    request_url,
    route_of,
    signature,
)
from adapters.kayako.operations import KayakoOperations
from adapters.kayako.wire.records import FILE_TYPE
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    Change,
    CustomField,
    CustomFieldValue,
    FieldType,
    NewTicket,
    Post,
    Ticket,
    TicketDetail,
    TicketPage,
    TicketQuery,
    Visibility,
)
from adapters.paging import FetchedPage, PageRequest, ticket_pages
from adapters.parsing import OFF_LOOP_ITEMS, off_loop, parse_off_loop
from adapters.tasks import together

__all__ = [
    "KayakoAdapter",
    "KayakoSettings",
    "api_root",
    "new_salt",
    "request_url",
    "route_of",
    "signature",
]

log = logging.getLogger("triage.kayako")

SEARCH_AREAS = (
    "ticketid",
    "contents",
    "author",
    "email",
    "creatoremail",
    "fullname",
    "notes",
    "usergroup",
    "userorganization",
    "user",
    "tags",
)
CHANGED_SINCE_OVERLAP = 300
"""Seconds before the watermark a listing of changes still reads (see the module docstring)."""
DEFAULT_SEARCH_AREAS = ("ticketid", "contents", "author", "email", "fullname", "notes", "tags")
TICKET_GROUP_TYPES = frozenset({3, 4, 9})
"""``grouptype`` of the custom field groups that belong to tickets (user, staff, both)."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

# --------------------------------------------------------------------------------------
# The adapter
# --------------------------------------------------------------------------------------

_CHANGE_FIELDS: tuple[tuple[str, str, str], ...] = (
    # Change field, PUT form field, field of the ticket in the answer
    ("status_id", "ticketstatusid", "statusid"),
    ("priority_id", "ticketpriorityid", "priorityid"),
    ("type_id", "tickettypeid", "typeid"),
    ("group_id", "departmentid", "departmentid"),
    ("assignee_id", "ownerstaffid", "ownerstaffid"),
)


class KayakoAdapter(KayakoOperations):
    """One Kayako Classic helpdesk."""

    vendor: ClassVar[str] = "kayako"
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes("subject, status, priority, type, owner and department"),
        assign=Capability.yes("owner staff and/or department"),
        close=Capability.yes(
            "sets a status marked as resolved in the ticket's department, preferring Closed"
        ),
        merge=Capability.emulate(
            "Kayako Classic's REST API cannot merge: the sources' conversations are copied "
            "into the target as a private note, each source gets a note and is closed"
        ),
        reply=Capability.yes("public staff reply, posted as the connection's staff_id"),
        note=Capability.yes("internal ticket note, posted as the connection's staff_id"),
        custom_fields=Capability.yes("ticket custom fields by field name"),
        create=Capability.yes("in a department, the requester found or created by email"),
        time_entries=Capability.yes("time tracks, logged as the connection's staff_id"),
        attachments=Capability.yes("attachments of the ticket's posts"),
        upload=Capability.yes("onto the ticket's latest post"),
        delete=Capability.yes("DELETE /Tickets/Ticket: the ticket and its posts are gone"),
        search=Capability.yes("the desk's ticket search (id, contents, people, notes, tags)"),
        max_concurrency=DEFAULT_CONCURRENCY,
        listing=ListingCapabilities(
            changed_since=Capability.yes(
                "ListAll sorted by last activity, read down to the watermark less 5 minutes"
            ),
            id_listing=Capability.no(
                "Kayako has no id-only listing: GetTicketCount first, the full listing only "
                "when the counts differ"
            ),
        ),
    )
    settings: KayakoSettings

    def _ids(self, values: Iterable[str], field: str, *, unassigned: bool = False) -> list[str]:
        ids: list[str] = []
        for value in values:
            text = value.strip()
            if unassigned and text == UNASSIGNED:
                ids.append("0")
            elif text.isdigit():
                ids.append(text)
            else:
                raise InvalidInput(self.name, field, f"{value!r} is not a Kayako id")
        return list(dict.fromkeys(ids))

    def _status_filter(self, query: TicketQuery, catalog: wire.Catalog) -> list[str] | None:
        """Status ids to ask ListAll for; ``None`` = ``-1`` (the server's own default)."""
        if query.status_ids:
            ids = self._ids(query.status_ids, "status_ids")
            return ids if query.include_done else [i for i in ids if not catalog.is_done(i)]
        if not catalog.statuses:
            return None
        return [
            str(status.id)
            for status in catalog.statuses
            if query.include_done or not catalog.is_done(str(status.id))
        ]

    def _filters(self, query: TicketQuery, catalog: wire.Catalog) -> list[str] | None:
        """The four ``ListAll``/``GetTicketCount`` filter segments of ``query``; ``None``
        when nothing can match (no department, or every status filtered out)."""
        if query.group_ids:
            departments = self._ids(query.group_ids, "group_ids")
        elif self.settings.departments:
            departments = [str(d) for d in self.settings.departments]
        else:
            departments = [str(d) for d in catalog.ticket_department_ids()]
        statuses = self._status_filter(query, catalog)
        owners = self._ids(query.assignee_ids, "assignee_ids", unassigned=True)
        users = self._ids(query.requester_ids, "requester_ids")
        if not departments or statuses == []:
            return None
        return [
            ",".join(departments),
            ",".join(statuses) if statuses else "-1",
            ",".join(owners) or "-1",
            ",".join(users) or "-1",
        ]

    def _watermark(self, value: str | None) -> int | None:
        if value is None:
            return None
        if not value.isdigit():
            raise InvalidInput(self.name, "changed_since", f"{value!r} is not a Kayako watermark")
        return int(value)

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """Seed "List Tickets": ``ListAll`` pages (see the module docstring on statuses and
        on listing changes). Every page carries the watermark of the listing so far."""
        query = query or TicketQuery()
        since = self._watermark(query.changed_since)
        catalog = await self.catalog.get()
        filters = self._filters(query, catalog)
        if filters is None:
            watermark = None if since is None else str(since)
            yield TicketPage(tickets=(), offset=0, total=0, watermark=watermark)
            return
        floor: int | None = None
        if since is not None:
            # Changes only: newest activity first, no count, stop below the watermark.
            sort, order, total = "lastactivity", "DESC", None
            floor = since - CHANGED_SINCE_OVERLAP
        else:
            found = wire.sort_field(query.sort_field)
            if found is None:
                # The desk cannot sort so; the list sorts client-side (see TicketQuery).
                log.debug("%s: cannot sort by %r on the desk", self.name, query.sort_field)
            sort = found or "lastactivity"
            order = "DESC" if query.sort_descending else "ASC"
            total = await self._ticket_count(filters)

        async def fetch(page: PageRequest) -> FetchedPage:
            segments: list[str | int] = ["Tickets", "Ticket", "ListAll", *filters]
            segments += [page.size, page.offset, sort, order]
            response = await self._send("GET", segments)
            body = response.content
            content, skipped = await parse_off_loop(
                partial(
                    wire.parse_ticket_list,
                    body,
                    connection=self.name,
                    what="ticket list",
                    redact=self.http.redact,
                ),
                len(body),
            )

            def read() -> list[Ticket]:
                nodes = wire.ticket_items(content, connection=self.name, what="ticket list")
                tickets = []
                for node in nodes:
                    try:
                        tickets.append(wire.ticket_from_node(node, catalog, self.name))
                    except ProtocolError as exc:
                        # One ticket the desk garbled does not hide the others.
                        log.info("%s: %s", self.name, exc.message)
                        skipped.append(f"{exc.message}; left out")
                return tickets

            # A desk that ignores paging may send every ticket at once: read them aside.
            listed = content.get("ticket")
            large = isinstance(listed, list) and len(listed) > OFF_LOOP_ITEMS
            tickets = await off_loop(read, large=large)
            if floor is not None:
                recent = [t for t in tickets if _epoch(t.updated) >= floor]
                if len(recent) < len(tickets):
                    return FetchedPage(recent, more=False, skipped=skipped)
            return FetchedPage(tickets, skipped=skipped)

        newest = since
        async for page in ticket_pages(self.name, fetch, page_size=query.page_size, total=total):
            for ticket in page.tickets:
                moment = _epoch(ticket.updated)
                newest = moment if newest is None or moment > newest else newest
            yield page.model_copy(update={"watermark": None if newest is None else str(newest)})

    async def count_tickets(self, query: TicketQuery | None = None) -> int | None:
        """``GetTicketCount`` with the listing's own filters (one request)."""
        query = query or TicketQuery()
        filters = self._filters(query, await self.catalog.get())
        return 0 if filters is None else await self._ticket_count(filters)

    async def _ticket_count(self, filters: Sequence[str]) -> int | None:
        segments = ["Tickets", "Ticket", "GetTicketCount", *filters]
        try:
            content = await self._xml("GET", segments, "tickets")
        except (NotFound, InvalidInput) as exc:
            # Servers older than the paging fix have no GetTicketCount.
            log.info("%s: no ticket count (%s)", self.name, exc.message)
            return None
        node = wire.root_node(content, what="ticket count", connection=self.name)
        return node.number("totalcount")

    async def search_tickets(
        self, query: str, areas: Sequence[str] = DEFAULT_SEARCH_AREAS
    ) -> list[Ticket]:
        """``POST /Tickets/TicketSearch``: tickets matching ``query`` in the given areas
        (any of :data:`SEARCH_AREAS`). The desk does not page search results."""
        text = query.strip()
        if not text:
            raise InvalidInput(self.name, "query", "must not be empty")
        unknown = sorted(set(areas) - set(SEARCH_AREAS))
        if unknown or not areas:
            raise InvalidInput(
                self.name, "areas", f"use some of {', '.join(SEARCH_AREAS)} (not {unknown})"
            )
        catalog = await self.catalog.get()
        form = {"query": text, **dict.fromkeys(areas, "1")}
        content = await self._xml("POST", ["Tickets", "TicketSearch"], "tickets", form)
        nodes = wire.ticket_items(content, connection=self.name, what="search results")
        return [wire.ticket_from_node(node, catalog, self.name) for node in nodes]

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        """Seed "Get Ticket": the ticket with posts, notes and time entries in time order,
        and its custom fields (seed "Get Ticket Custom Fields")."""
        ref = self._ticket_ref(ticket_id)
        catalog = await self.catalog.get()
        if ref.isdigit():
            async with together() as group:
                ticket_task = group.create_task(self._ticket_node(ref))
                fields_task = group.create_task(self._custom_fields_content(ref))
            node, fields_content = ticket_task.result(), fields_task.result()
        else:
            node = await self._ticket_node(ref)
            fields_content = await self._custom_fields_content(node.ident("id", "ticketid"))
        ticket = wire.ticket_from_node(node, catalog, self.name, keep_raw=True)
        posts = wire.conversation(node, self.name)
        fields = await self._custom_fields(fields_content, ticket.key.native_id, required=False)
        return TicketDetail(ticket=ticket, posts=posts, custom_fields=fields, raw=node.data)

    # ----------------------------------------------------------------------------------
    # Changing tickets
    # ----------------------------------------------------------------------------------

    def _change_form(self, change: Change) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
        """PUT fields for ``change``, and what the answer must then show (answer field ->
        (Change field, value))."""
        form: dict[str, str] = {}
        expected: dict[str, tuple[str, str]] = {}
        if change.subject is not None:
            subject = change.subject.strip()
            if not subject:
                raise InvalidInput(self.name, "subject", "must not be empty")
            form["subject"] = subject
        for name, form_field, answer_field in _CHANGE_FIELDS:
            value: str | None = getattr(change, name)
            if value is None:
                continue
            if name == "assignee_id" and value.strip() == UNASSIGNED:
                value = "0"
            value = value.strip()
            if not value.isdigit():
                raise InvalidInput(self.name, name, f"{value!r} is not a Kayako id")
            form[form_field] = value
            expected[answer_field] = (name, value)
        return form, expected

    async def _put_ticket(
        self, number: str, form: Mapping[str, str], expected: Mapping[str, tuple[str, str]]
    ) -> Ticket:
        """PUT the fields, then check the answer: the desk drops bad ids without a word."""
        catalog = await self.catalog.get()
        # Setting absolute values: repeating the PUT cannot do harm.
        content = await self._xml(
            "PUT", ["Tickets", "Ticket", number], "tickets", form, idempotent=True
        )
        nodes = wire.ticket_items(content, connection=self.name, what=f"ticket {number}")
        if not nodes:
            raise ProtocolError(self.name, f"answer to PUT ticket {number}", "no <ticket>")
        node = nodes[0]
        ticket = wire.ticket_from_node(node, catalog, self.name, keep_raw=True)
        missed = [
            (name, value, node.text(answer_field) or "none")
            for answer_field, (name, value) in expected.items()
            if node.text(answer_field) != value
        ]
        if missed:
            name = missed[0][0]
            detail = "; ".join(f"{n} {v} (it has {actual})" for n, v, actual in missed)
            raise InvalidInput(
                self.name,
                name,
                f"the desk did not apply {detail}: it ignores ids that do not exist or do not "
                f"fit the ticket's department; the other fields were applied",
            )
        return ticket

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        """Seed "Update Ticket": ``PUT /Tickets/Ticket/$id$``, verified."""
        if change.is_empty():
            raise InvalidInput(self.name, "change", "nothing to change")
        form, expected = self._change_form(change)
        number = await self._ticket_number(ticket_id)
        return await self._put_ticket(number, form, expected)

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        """Owner staff (``UNASSIGNED`` clears it) and/or department, in one PUT."""
        if agent_id is None and group_id is None:
            raise InvalidInput(self.name, "agent_id", "give an agent and/or a group")
        return await self.update(ticket_id, Change(assignee_id=agent_id, group_id=group_id))

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        """PUBLIC: a staff reply (``TicketPost``); PRIVATE: an internal ticket note
        (``TicketNote``). Both are posted as the connection's ``staff_id``."""
        if visibility is Visibility.PUBLIC:
            return await self.add_staff_reply(ticket_id, text, private=False)
        return await self._add_note(ticket_id, text)

    async def add_staff_reply(self, ticket_id: str, text: str, *, private: bool) -> Post:
        """A staff reply; ``private`` keeps it from the customer (``isprivate=1``)."""
        staff_id = self._staff_id("replies")
        contents = self._contents(text)
        number = await self._ticket_number(ticket_id)
        form = {"ticketid": number, "contents": contents, "staffid": staff_id}
        if private:
            form["isprivate"] = "1"
        content = await self._xml("POST", ["Tickets", "TicketPost"], "posts", form)
        items = wire.items_of(content, "post", connection=self.name, what="new post")
        if not items:
            raise ProtocolError(self.name, "answer to POST /Tickets/TicketPost", "no <post>")
        return wire.post_from_node(items[0], self.name)

    async def _add_note(self, ticket_id: str, text: str) -> Post:
        staff_id = self._staff_id("writes notes")
        contents = self._contents(text)
        number = await self._ticket_number(ticket_id)
        form = {"ticketid": number, "contents": contents, "staffid": staff_id}
        content = await self._xml("POST", ["Tickets", "TicketNote"], "notes", form)
        items = wire.items_of(content, "note", connection=self.name, what="new note")
        if not items:
            raise ProtocolError(self.name, "answer to POST /Tickets/TicketNote", "no <note>")
        return wire.note_from_node(items[0], self.name)

    def _contents(self, text: str) -> str:
        if not text.strip():
            raise InvalidInput(self.name, "text", "must not be empty")
        return text

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        """A private note first (note and resolution, if given), then a resolved status
        valid in the ticket's department (preferring "Closed")."""
        text = "\n\n".join(
            part
            for part in (note.strip(), f"Resolution: {resolution.strip()}" if resolution else "")
            if part
        )
        if text:
            self._staff_id("writes notes")
        node = await self._ticket_node(ticket_id)
        number = node.ident("id", "ticketid")
        status = await self._closing_status(node)
        # Closing again after the status failed must not post the note a second time.
        operation = self.steps.operation("close", number, text)
        if text:
            await operation.step("the closing note", lambda: self._add_note(number, text))
        expected = {"statusid": ("status_id", str(status.id))}
        ticket = await self._put_ticket(number, {"ticketstatusid": str(status.id)}, expected)
        operation.finish()
        return ticket

    async def _closing_status(self, node: wire.Node) -> wire.Status:
        catalog = await self.catalog.get()
        department = node.number("departmentid")
        status = catalog.resolved_status_for(department)
        if status is None:
            raise Unsupported(
                self.name,
                f"department {department} has no status marked as resolved to close with",
            )
        return status

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Emulated (:meth:`Adapter.emulated_merge`): the REST API has no merge. Each
        source's conversation is copied into the target as a private note, the source gets
        a note "merged into <target>" and is closed. One result per source, then one for
        the target."""
        self._staff_id("writes notes")
        return await self.emulated_merge(target_id, source_ids)

    async def merge_ticket_id(self, ticket_id: str) -> str:
        return await self._ticket_number(ticket_id)

    async def merge_read(self, ticket_id: str) -> MergeRead:
        """The single-ticket answer only: it holds the conversation, and custom fields
        are not needed to merge."""
        node = await self._ticket_node(ticket_id)
        catalog = await self.catalog.get()
        ticket = wire.ticket_from_node(node, catalog, self.name)
        return MergeRead(ticket, wire.conversation(node, self.name), node)

    async def merge_close(self, source: MergeRead) -> None:
        """The closing status from the answer already read, then one verified PUT."""
        assert isinstance(source.native, wire.Node)
        status = await self._closing_status(source.native)
        await self._put_ticket(
            source.ticket.key.native_id,
            {"ticketstatusid": str(status.id)},
            {"statusid": ("status_id", str(status.id))},
        )

    # ----------------------------------------------------------------------------------
    # Custom fields
    # ----------------------------------------------------------------------------------

    async def _custom_fields_content(self, number: str) -> dict[str, Any]:
        return await self._xml("GET", ["Tickets", "TicketCustomField", number], "customfields")

    async def _field_definitions(
        self, names: Iterable[str], *, required: bool
    ) -> dict[str, wire.FieldDefinition]:
        """Definitions and options of the named fields (``/Base/CustomField``, cached).

        Reading a ticket does not need them (``required=False``): a server too old for
        ``/Base/CustomField`` still shows values, without option lists.
        """
        try:
            if self._definitions is None:
                nodes = await self._items(["Base", "CustomField"], "customfields", "customfield")
                definitions = [wire.CustomFieldDef.from_node(node) for node in nodes]
                self._definitions = {d.name: d for d in definitions}
            known = {name: self._definitions[name] for name in names if name in self._definitions}
            missing = [d for d in known.values() if d.has_options and d.id not in self._options]
            if missing:
                async with together() as group:
                    tasks = [(d.id, group.create_task(self._field_options(d.id))) for d in missing]
                for field_id, task in tasks:
                    self._options[field_id] = task.result()
        except (NotFound, InvalidInput, ProtocolError) as exc:
            if required:
                raise
            log.warning("%s: custom field definitions unavailable: %s", self.name, exc.message)
            return {}
        return {
            name: wire.FieldDefinition(definition, self._options.get(definition.id, ()))
            for name, definition in known.items()
        }

    async def _field_options(self, field_id: int) -> tuple[wire.CustomFieldOption, ...]:
        nodes = await self._items(["Base", "CustomField", "ListOptions", field_id], None, "option")
        return tuple(wire.CustomFieldOption.from_node(node) for node in nodes)

    async def _custom_fields(
        self, content: dict[str, Any], number: str, *, required: bool
    ) -> tuple[CustomField, ...]:
        what = f"custom fields of ticket {number}"
        names = wire.field_types(content, connection=self.name, what=what)
        definitions = await self._field_definitions(names, required=required)
        return wire.custom_fields_from_node(
            content, connection=self.name, what=what, definitions=definitions
        )

    async def get_custom_fields(self, ticket_id: str) -> tuple[CustomField, ...]:
        """Seed "Get Ticket Custom Fields": ``GET /Tickets/TicketCustomField/$id$``."""
        number = await self._ticket_number(ticket_id)
        content = await self._custom_fields_content(number)
        return await self._custom_fields(content, number, required=False)

    async def new_ticket_fields(self) -> tuple[CustomField, ...]:
        """The ticket groups' custom fields, unset, from ``/Base/CustomField``.

        None is marked required: a group may apply to some departments only, and the API
        does not say which, so a field required in Billing would block a ticket in
        Support. The created ticket's fields carry the real flags."""
        nodes = await self._items(["Base", "CustomField"], "customfields", "customfield")
        ticket_fields = [
            node.text("fieldname")
            for node in nodes
            if node.number("grouptype", 0) in TICKET_GROUP_TYPES
        ]
        definitions = await self._field_definitions(ticket_fields, required=True)
        fields: list[CustomField] = []
        for name in ticket_fields:
            known = definitions.get(name)
            if known is None or known.definition.fieldtype == FILE_TYPE:
                continue
            fields.append(
                CustomField(
                    key=name,
                    label=known.definition.title or name,
                    group="",
                    type=wire.FIELD_TYPES.get(known.definition.fieldtype, FieldType.TEXT),
                    options=known.choices(),
                    editable=known.definition.staffeditable,
                    # Not enforced before creation: the API does not say which departments
                    # a group applies to (the new ticket's own fields say; see tui.create).
                    required=False,
                )
            )
        return tuple(fields)

    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        """Seed "Update Ticket Custom Fields": ``POST /Tickets/TicketCustomField/$id$``
        with values by field key (name); labels become option ids, dates ``m/d/Y``."""
        if not values:
            raise InvalidInput(self.name, "values", "nothing to set")
        number = await self._ticket_number(ticket_id)
        current = await self.get_custom_fields(number)
        by_key = {f.key: f for f in current}
        for key in values:
            if key not in by_key:
                raise InvalidInput(self.name, key, f"ticket {number} has no such custom field")
            if not by_key[key].editable:
                raise InvalidInput(self.name, key, "is not editable")
        definitions = await self._field_definitions(by_key, required=True)
        form: dict[str, str] = {}
        expected: dict[str, CustomFieldValue] = {}
        for item in current:
            known = definitions.get(item.key)
            if item.key in values:
                if known is None:
                    raise InvalidInput(self.name, item.key, "the desk does not describe it")
                encoded = wire.encode_custom_field(known, values[item.key], self.name)
                expected[item.key] = encoded.expected
                form.update(encoded.form)
            elif known is not None and item.editable:
                # Resend what the ticket has, so that nothing is cleared by omission.
                try:
                    form.update(wire.encode_custom_field(known, item.value, self.name).form)
                except InvalidInput as exc:
                    log.info("%s: not resending %s: %s", self.name, item.key, exc.reason)
        try:
            content = await self._xml(
                "POST", ["Tickets", "TicketCustomField", number], "customfields", form
            )
        except InvalidInput as exc:
            raise self._custom_field_error(exc, current, values) from None
        fields = await self._custom_fields(content, number, required=False)
        after = {f.key: f for f in fields}
        for key, wanted in expected.items():
            field = after.get(key)
            # Passwords may come back masked; nothing to compare them with.
            if definitions[key].definition.fieldtype == 3:
                continue
            if field is None or not wire.same_value(wanted, field.value):
                shown = "nothing" if field is None else repr(field.value)
                raise InvalidInput(
                    self.name, key, f"the desk did not apply {wanted!r} (it shows {shown})"
                )
        return fields

    def _custom_field_error(
        self,
        error: InvalidInput,
        fields: Sequence[CustomField],
        values: Mapping[str, CustomFieldValue],
    ) -> InvalidInput:
        """``Custom Field Data is Invalid: Version, Plan`` names fields by title (or name):
        report it against the key of the first one, preferring those being set."""
        keys: list[str] = []
        for named in error.field.split(", "):
            wanted = named.strip().casefold()
            keys += [f.key for f in fields if wanted in (f.key.casefold(), f.label.casefold())]
        if not keys:
            return error
        keys.sort(key=lambda key: key not in values)
        return InvalidInput(self.name, keys[0], error.reason)

    # ----------------------------------------------------------------------------------
    # Creating tickets
    # ----------------------------------------------------------------------------------

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        """Seed "Create Ticket": ``POST /Tickets/Ticket`` with ``autouserid=1`` (the
        requester is found or created by email) and, when configured, ``staffid``. Status,
        priority and type default to the department's first new/normal ones."""
        fields = {
            "subject": new.subject.strip(),
            "text": new.body,
            "requester_name": new.requester_name.strip(),
            "requester_email": new.requester_email.strip(),
        }
        for name, value in fields.items():
            if not value.strip():
                raise InvalidInput(self.name, name, "must not be empty")
        if not _EMAIL.match(fields["requester_email"]):
            raise InvalidInput(self.name, "requester_email", "is not an email address")
        (department,) = self._ids([new.group_id], "group_id")
        catalog = await self.catalog.get()
        status_id = new.status_id or _id_of(catalog.default_status_for(int(department)))
        priority_id = new.priority_id or _id_of(catalog.default_priority())
        type_id = new.type_id or _id_of(catalog.default_type_for(int(department)))
        form = {
            "subject": fields["subject"],
            "fullname": fields["requester_name"],
            "email": fields["requester_email"],
            "contents": new.body,
            "departmentid": department,
            "autouserid": "1",
        }
        required: tuple[tuple[str, str, str | None], ...] = (
            ("status_id", "ticketstatusid", status_id),
            ("priority_id", "ticketpriorityid", priority_id),
            ("type_id", "tickettypeid", type_id),
        )
        for name, form_field, choice in required:
            if choice is None:
                raise InvalidInput(self.name, name, f"department {department} offers none")
            form[form_field] = self._ids([choice], name)[0]
        owner = None
        if new.assignee_id and new.assignee_id != UNASSIGNED:
            owner = self._ids([new.assignee_id], "assignee_id")[0]
            form["ownerstaffid"] = owner
        if self.settings.staff_id is not None:
            form["staffid"] = str(self.settings.staff_id)
        content = await self._xml("POST", ["Tickets", "Ticket"], "tickets", form)
        nodes = wire.ticket_items(content, connection=self.name, what="new ticket")
        if not nodes:
            raise ProtocolError(self.name, "answer to POST /Tickets/Ticket", "no <ticket>")
        node = nodes[0]
        number = node.ident("id", "ticketid")
        ticket = wire.ticket_from_node(node, catalog, self.name, keep_raw=True)
        if owner is not None and node.text("ownerstaffid") != owner:
            # Some servers ignore the owner when the creator is staff: set it afterwards.
            ticket = await self._put_ticket(
                number, {"ownerstaffid": owner}, {"ownerstaffid": ("assignee_id", owner)}
            )
        try:
            fields_content = await self._custom_fields_content(number)
            custom = await self._custom_fields(fields_content, number, required=False)
        except DeskError as exc:
            # The ticket exists: failing now would invite a duplicate. Show it without them.
            log.warning("%s: new ticket %s: custom fields: %s", self.name, number, exc.message)
            custom = ()
        return TicketDetail(
            ticket=ticket,
            posts=wire.conversation(node, self.name),
            custom_fields=custom,
            raw=node.data,
        )


def _id_of(item: wire.Status | wire.Priority | wire.TicketType | None) -> str | None:
    return None if item is None else str(item.id)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())
