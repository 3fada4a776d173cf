"""Kapture CRM adapter: the :class:`adapters.base.Adapter` operations over Kapture's four
ticket APIs (Add, Update, Get, Pull by date range).

The requests, settings and per-operation keys are in :mod:`adapters.kapture.client`; the
answers' shapes, dates and labels in :mod:`adapters.kapture.wire`.

Decisions where the sources disagree or say nothing (the README has the sources):

* **The list** is Pull, which covers one day per request: a list of the last ``days``
  asks for each of those days on the tenant's clock (today included), at most
  :data:`WINDOWS_AT_ONCE` at a time, pages within a day with ``limit``/``offset``, and
  merges. Filters Pull lacks (status, queue, assignee, requester, done) apply here, and the
  merged list is sorted here (last activity, newest first, unless asked otherwise).
* **No listing of changes.** Pull selects by the ticket's date, which the docs show only as
  the creation date (unconfirmed that it is not the last update), so a ticket edited today
  but created last week is only in last week's window: ``changed_since`` is ignored (the
  kit's fallback, ``capabilities.listing``), every listing pulls every day window, and no
  page carries a watermark.
* **Every write is an Update** with the ticket's ``sub_status``, which the API requires: a
  comment, a queue or a custom field is sent with the sub-status the ticket has *now*
  (read just before, so that a change someone else made is not undone). Update ignores keys
  the tenant does not have, so the answer is compared with what was sent and a value the
  desk did not apply is :class:`InvalidInput` naming the field.
* **Notes, not replies.** Update's ``comment`` has no public/private switch, so comments
  are notes and a public reply is :class:`Unsupported` with the reason.
* **Assign** sets the queue; Kapture's ticket APIs cannot assign a named agent, nor set a
  priority, type or subject (:class:`Unsupported`, with the reason).
* **Close** and reopen are sub-statuses: close sets ``close_status`` (default ``CL``) with
  the note as the comment, in one Update.
* **Merge** is emulated (:meth:`adapters.base.Adapter.emulated_merge`): the sources'
  conversations become notes on the target, each source gets a note and is closed;
  ``mergeTicketId`` is read-only.
* **Desk actions** (:mod:`adapters.kapture.operations`): the whole Update (any of
  sub-status, queue, comment, callback time, disposition in one request), a callback, a
  disposition, and the known dispositions; the optional operations are all refused.
* **Custom fields** are the additional-detail groups (``group.field``; a group is sent
  whole, with its other fields' current values), the disposition and the callback time.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from adapters.actions import ActionOutcome, ActionSpec, ActionValue
from adapters.base import (
    Capabilities,
    Capability,
    DeskError,
    InvalidInput,
    ListingCapabilities,
    NotFound,
    ProtocolError,
    Unsupported,
)
from adapters.kapture import operations, wire
from adapters.kapture.client import (
    DEFAULT_CONCURRENCY,
    KaptureClient,
    KaptureSettings,
)
from adapters.model import (
    ActionResult,
    AuthorKind,
    Change,
    CustomField,
    CustomFieldValue,
    Lookups,
    NewTicket,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketDetail,
    TicketPage,
    TicketQuery,
    Visibility,
)
from adapters.paging import FetchedPage, PageRequest, ticket_pages
from adapters.tasks import first_error, together

__all__ = ["KaptureAdapter", "KaptureSettings"]

log = logging.getLogger("triage.kapture")

WINDOWS_AT_ONCE = 3
"""Day windows pulled concurrently: polite to a desk that publishes no limit."""
PULL_LIMIT = 100
"""Tickets per Pull request within one day."""
_TICKET_ID = re.compile(r"^[0-9]{1,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_CALLBACK_INPUT = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")

REPLY_REASON = "Kapture's ticket API adds comments only, with no public/private choice: add a note"
AGENT_REASON = "Kapture's ticket APIs cannot assign a named agent, only a queue"
_SORTS = {"created", "updated", "subject", "display_id"}


class KaptureAdapter(KaptureClient):
    """One Kapture CRM tenant."""

    vendor: ClassVar[str] = "kapture"
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes(
            "sub-status and queue only: Kapture's Update API cannot set priority, type or subject"
        ),
        update_fields=frozenset({"status_id", "group_id"}),
        assign=Capability.yes(f"to a queue only: {AGENT_REASON}"),
        close=Capability.yes("sets the closing sub-status (close_status, default CL)"),
        merge=Capability.emulate(
            "Kapture has no merge API: the sources' conversations are copied into the target "
            "as a note, each source gets a note and is closed"
        ),
        reply=Capability.no(REPLY_REASON),
        note=Capability.yes(
            "a comment on the ticket (Update API); Kapture does not say whether the customer "
            "sees it"
        ),
        custom_fields=Capability.yes("additional details, disposition and callback time"),
        create=Capability.yes("Add Ticket API: title, details, customer and queue"),
        **operations.REFUSED,
        max_concurrency=DEFAULT_CONCURRENCY,
        listing=ListingCapabilities(
            changed_since=Capability.no(
                "Kapture's Pull selects tickets by their date (the day created, as far as the "
                "docs show), so an edit to an older ticket shows in no newer window: every "
                "refresh pulls each day of the last `days` again (one request a day) and the "
                "changes are found locally"
            ),
            id_listing=Capability.no(
                "Kapture has no id-only listing: reconciliation pulls the day windows"
            ),
        ),
    )
    settings: KaptureSettings
    _requesters: dict[str, Person]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._requesters = {}

    # ----------------------------------------------------------------------------------
    # Health and lookups
    # ----------------------------------------------------------------------------------

    async def _pull(self, day: str, limit: int, offset: int) -> tuple[list[Ticket], int | None]:
        body = [{"start_date": day, "end_date": day, "limit": limit, "offset": offset}]
        data = await self.call("pull", body)
        what = f"Pull answer for {day}"
        if not isinstance(data, dict):
            raise ProtocolError(self.name, what, "not an object")
        items = data.get("message")
        total_raw = data.get("totalCount")
        total = (
            total_raw if isinstance(total_raw, int) and not isinstance(total_raw, bool) else None
        )
        if isinstance(items, str) or items is None:
            return [], total  # "No Data Found": nothing that day
        if not isinstance(items, list):
            raise ProtocolError(self.name, what, "message is neither a list nor a text")
        tickets = [
            wire.ticket_from_listing(item, self.labels, self.name, self.zone, what=what)
            for item in items
            if isinstance(item, dict)
        ]
        self._remember(tickets)
        return tickets, total

    async def probe(self) -> str:
        """Pull for today, one ticket: the cheapest request that proves the key."""
        day = wire.dates.day_text(wire.dates.today(self.zone))
        _, total = await self._pull(day, 1, 0)
        return "pull API answers" if total is None else f"{total} tickets today"

    async def lookups(self) -> Lookups:
        """The configured and documented labels, with those learned from the tickets of
        today and yesterday (two Pulls, which also prove the key): Kapture has no lookup
        API. Yesterday too, because just after the tenant's midnight today has no tickets
        to learn from."""
        days = wire.dates.window_days(wire.dates.today(self.zone), 2)
        async with together() as group:
            for day in days:
                group.create_task(self._pull(wire.dates.day_text(day), PULL_LIMIT, 0))
        return self.labels.lookups()

    # ----------------------------------------------------------------------------------
    # Listing and reading
    # ----------------------------------------------------------------------------------

    async def _window(self, day: str, gate: asyncio.Semaphore) -> list[Ticket]:
        async def fetch(page: PageRequest) -> FetchedPage:
            tickets, total = await self._pull(day, page.size, page.offset)
            return FetchedPage(tickets, total=total)

        found: list[Ticket] = []
        async with gate:
            async for page in ticket_pages(self.name, fetch, page_size=PULL_LIMIT):
                found.extend(page.tickets)
        return found

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        """Pull, one request per day of the last ``days`` (see the module docstring)."""
        query = query or TicketQuery()
        days = wire.dates.window_days(wire.dates.today(self.zone), self.settings.days)
        gate = asyncio.Semaphore(WINDOWS_AT_ONCE)
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [
                    group.create_task(self._window(wire.dates.day_text(day), gate)) for day in days
                ]
        except BaseExceptionGroup as failed:
            # A day that failed fails the list with its own (typed) error.
            raise first_error(failed) from None
        merged: dict[str, Ticket] = {}
        for task in tasks:
            for ticket in task.result():
                merged.setdefault(ticket.key.native_id, ticket)
        tickets = [ticket for ticket in merged.values() if self._matches(ticket, query)]
        field = query.sort_field if query.sort_field in _SORTS else "updated"
        tickets.sort(
            key=lambda t: (getattr(t, field or "updated"), t.key.native_id),
            reverse=query.sort_descending,
        )
        if not tickets:
            yield TicketPage(tickets=(), offset=0, total=0)
            return
        for offset in range(0, len(tickets), query.page_size):
            chunk = tuple(tickets[offset : offset + query.page_size])
            yield TicketPage(tickets=chunk, offset=offset, total=len(tickets))

    @staticmethod
    def _matches(ticket: Ticket, query: TicketQuery) -> bool:
        if not query.include_done and ticket.is_done:
            return False
        if query.status_ids and (ticket.status is None or ticket.status.id not in query.status_ids):
            return False
        if query.group_ids and (ticket.group is None or ticket.group.id not in query.group_ids):
            return False
        if query.assignee_ids:
            who = ticket.assignee
            names = {"" if who is None else (who.id or who.name), "" if who is None else who.name}
            if not names & set(query.assignee_ids):
                return False
        if query.requester_ids:
            person = ticket.requester
            known = {person.email or "", person.name} if person else {""}
            if not known & set(query.requester_ids):
                return False
        return True

    def _remember(self, tickets: Sequence[Ticket]) -> None:
        for ticket in tickets:
            if ticket.requester is not None:
                self._requesters[ticket.key.native_id] = ticket.requester

    def _with_requester(self, ticket: Ticket) -> Ticket:
        """Add and Update answers name the customer by e-mail only: keep the name the
        list or Get showed."""
        known = self._requesters.get(ticket.key.native_id)
        if known is None:
            return ticket
        return ticket.model_copy(update={"requester": known})

    def _ticket_ref(self, ticket_id: str) -> str:
        ref = ticket_id.strip()
        if not _TICKET_ID.match(ref):
            raise InvalidInput(self.name, "ticket_id", f"{ticket_id!r} is not a Kapture ticket id")
        return ref

    async def _get(self, ticket_id: str) -> dict[str, Any]:
        """Get's element for one ticket, with its whole conversation."""
        ref = self._ticket_ref(ticket_id)
        body = {
            "ticket_ids": ref,
            "conversation_type": "all",
            "history_type": "all",
            "assigned": "",
            "disposed": "",
            "response": "",
            "landing_queue": "",
            "create": "",
            "resolved": "",
            "include_emailbody": "1",
        }
        data = await self.call("get", body)
        if not isinstance(data, list):
            raise ProtocolError(self.name, f"Get answer for {ref}", "not a list")
        for element in data:
            details = element.get("task_details") if isinstance(element, dict) else None
            if isinstance(details, dict) and wire.text(details.get("ticketId")) == ref:
                assert isinstance(element, dict)
                return element
        raise NotFound(self.name, f"ticket {ref} not found")

    def _detail(self, element: Mapping[str, Any]) -> TicketDetail:
        details = element.get("task_details")
        assert isinstance(details, dict)
        what = "Get answer"
        ticket = wire.ticket_from_listing(
            details, self.labels, self.name, self.zone, what=what, keep_raw=True
        )
        self._remember([ticket])
        requester = ticket.requester.name if ticket.requester else ""
        posts = wire.posts_from_conversation(
            element.get("conversation_type"),
            self.name,
            self.zone,
            requester=requester,
            fallback=ticket.created,
        )
        follow_up = wire.dates.parse(details.get("nextFollowUp"), self.zone)
        callback = follow_up if follow_up is not None and follow_up != ticket.created else None
        fields = wire.custom_fields(
            element.get("additional_info"),
            self.labels,
            self.zone,
            disposition=wire.text(details.get("disposition")),
            callback=callback,
        )
        return TicketDetail(ticket=ticket, posts=posts, custom_fields=fields, raw=dict(element))

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        """Get (``search-ticket-by-ticket-id``) with the conversation and additional info."""
        return self._detail(await self._get(ticket_id))

    # ----------------------------------------------------------------------------------
    # Writing: every change is an Update carrying the current sub-status
    # ----------------------------------------------------------------------------------

    def _status_key_of(self, ticket: Ticket) -> str:
        key = wire.current_status_key(ticket, self.labels)
        if key is None:
            shown = ticket.status.label if ticket.status else "none"
            raise InvalidInput(
                self.name,
                "status_id",
                f"ticket {ticket.display_id}'s sub-status {shown!r} has no known key, and "
                f"Update needs one: add it to statuses in connection {self.name!r}",
            )
        return key

    async def _update(
        self,
        ticket_id: str,
        fields: Mapping[str, Any],
        *,
        current: Ticket | None = None,
        expect: Mapping[str, tuple[str, str]] = {},
    ) -> tuple[Ticket, dict[str, Any]]:
        """One Update; ``sub_status`` defaults to the ticket's current key (read now).
        ``expect`` maps an answer field to (Change field, value) that must show there."""
        ref = self._ticket_ref(ticket_id)
        item: dict[str, Any] = {"ticket_id": ref, **fields}
        if "sub_status" not in item:
            if current is None:
                current = self._detail(await self._get(ref)).ticket
            item["sub_status"] = self._status_key_of(current)
        data = await self.call("update", [item])
        obj = data.get("ticket") if isinstance(data, dict) else None
        if not isinstance(obj, dict):
            raise ProtocolError(self.name, f"Update answer for {ref}", "no ticket")
        ticket = self._with_requester(
            wire.ticket_from_object(obj, self.labels, self.name, self.zone, what="Update")
        )
        missed = [
            (name, value, wire.text(obj.get(answer)) or "none")
            for answer, (name, value) in expect.items()
            if wire.text(obj.get(answer)) != value
        ]
        if missed:
            detail = "; ".join(f"{n} {v!r} (it has {actual!r})" for n, v, actual in missed)
            raise InvalidInput(
                self.name,
                missed[0][0],
                f"the desk did not apply {detail}: Kapture ignores keys the tenant does not have",
            )
        return ticket, obj

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        """Update's ``sub_status`` (``status_id``) and ``queue`` (``group_id``)."""
        if change.is_empty():
            raise InvalidInput(self.name, "change", "nothing to change")
        other = [
            name
            for name, value in change.model_dump().items()
            if value is not None and name not in self.capabilities.update_fields
        ]
        if other:
            raise Unsupported(
                self.name, f"cannot set {', '.join(other)}: {self.capabilities.update.reason}"
            )
        fields: dict[str, Any] = {}
        expect: dict[str, tuple[str, str]] = {}
        if change.status_id is not None:
            key = change.status_id.strip()
            if not key:
                raise InvalidInput(self.name, "status_id", "must not be empty")
            fields["sub_status"] = key
            expect["substatus"] = ("status_id", key)
        if change.group_id is not None:
            queue = change.group_id.strip()
            if not queue:
                raise InvalidInput(self.name, "group_id", "Kapture cannot clear the queue")
            fields["queue"] = queue
            expect["queueKey"] = ("group_id", queue)
        ticket, _ = await self._update(ticket_id, fields, expect=expect)
        return ticket

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        """The queue only (see :data:`AGENT_REASON`)."""
        if agent_id is None and group_id is None:
            raise InvalidInput(self.name, "agent_id", "give a queue")
        if agent_id is not None:
            raise Unsupported(self.name, AGENT_REASON)
        return await self.update(ticket_id, Change(group_id=group_id))

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        """A note: Update's ``comment``; a public reply is :class:`Unsupported`."""
        if visibility is Visibility.PUBLIC:
            raise Unsupported(self.name, REPLY_REASON)
        if not text.strip():
            raise InvalidInput(self.name, "text", "must not be empty")
        ticket, obj = await self._update(ticket_id, {"comment": text})
        return self._comment_post(obj, text, ticket)

    def _comment_post(self, obj: Mapping[str, Any], text: str, ticket: Ticket) -> Post:
        moment = wire.dates.parse(obj.get("lastConversationTime"), self.zone)
        ident = wire.text(obj.get("lastConversationId")) or str(int(datetime.now(UTC).timestamp()))
        return Post(
            id=f"notes:{ident}",
            author=Person(name="API"),
            author_kind=AuthorKind.AGENT,
            created=moment or ticket.updated,
            body=text,
            visibility=Visibility.PRIVATE,
            kind=PostKind.NOTE,
        )

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        """``close_status`` with the note (and resolution) as the comment, in one Update."""
        text = "\n\n".join(
            part
            for part in (note.strip(), f"Resolution: {resolution.strip()}" if resolution else "")
            if part
        )
        key = self.settings.close_status
        fields: dict[str, Any] = {"sub_status": key}
        if text:
            fields["comment"] = text
        ticket, _ = await self._update(ticket_id, fields, expect={"substatus": ("status_id", key)})
        return ticket

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Emulated (:meth:`Adapter.emulated_merge`): Kapture has no merge API."""
        return await self.emulated_merge(target_id, source_ids)

    async def merge_ticket_id(self, ticket_id: str) -> str:
        return self._ticket_ref(ticket_id)

    # ----------------------------------------------------------------------------------
    # Custom fields
    # ----------------------------------------------------------------------------------

    def _callback_value(self, value: CustomFieldValue) -> str:
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            raise InvalidInput(
                self.name, wire.CALLBACK_KEY, "Kapture's API cannot clear a callback time"
            )
        return self.callback_time(text, wire.CALLBACK_KEY)

    def callback_time(self, text: str, field: str) -> str:
        """A callback time as Update takes it (``yyyy-MM-dd HH:mm:ss`` on the tenant's
        clock) from ``2024-04-22 15:30`` (the tenant's clock) or an ISO time with a zone;
        :class:`InvalidInput` naming ``field`` otherwise."""
        for pattern in _CALLBACK_INPUT:
            try:
                moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        try:
            aware = datetime.fromisoformat(text)
        except ValueError:
            aware = None
        if aware is not None and aware.tzinfo is not None:
            return wire.dates.wall_clock(aware, self.zone)
        raise InvalidInput(self.name, field, f"{text!r} is not a time like 2024-04-22 15:30")

    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        """Update with ``disposition``, ``callback_time`` and whole additional-detail
        groups, then Get to show (and check) what the desk now has."""
        if not values:
            raise InvalidInput(self.name, "values", "nothing to set")
        element = await self._get(ticket_id)
        detail = self._detail(element)
        by_key = {field.key: field for field in detail.custom_fields}
        fields: dict[str, Any] = {}
        groups: dict[str, dict[str, str]] = {}
        for key, value in values.items():
            if key == wire.DISPOSITION_KEY:
                path = value.strip() if isinstance(value, str) else ""
                if not path:
                    raise InvalidInput(self.name, key, "Kapture's API cannot clear it")
                # An option's label stands for its path.
                match = next((c.id for c in by_key[key].options if c.label == path), path)
                fields["disposition"] = match
            elif key == wire.CALLBACK_KEY:
                fields["callback_time"] = self._callback_value(value)
            else:
                parts = wire.split_field_key(key)
                if parts is None or key not in by_key:
                    raise InvalidInput(self.name, key, f"ticket {ticket_id} has no such field")
                if isinstance(value, list | bool):
                    raise InvalidInput(self.name, key, "takes text")
                group, name = parts
                if group not in groups:
                    groups[group] = wire.group_values(element.get("additional_info"), group)
                groups[group][name] = "" if value is None else str(value).strip()
        for group, content in groups.items():
            fields[group] = [content]
        await self._update(ticket_id, fields, current=detail.ticket)
        after = self._detail(await self._get(ticket_id))
        now = {field.key: field for field in after.custom_fields}
        for key, value in values.items():
            if key == wire.CALLBACK_KEY:
                continue  # shown on the tenant's clock, to the minute
            wanted = fields.get("disposition") if key == wire.DISPOSITION_KEY else value
            got = now.get(key)
            shown = None if got is None else got.value
            if key == wire.DISPOSITION_KEY and got is not None:
                label = self.labels.dispositions.get(str(wanted), str(wanted))
                if shown == label:
                    continue
            if (shown or None) != (wanted or None):
                raise InvalidInput(
                    self.name, key, f"the desk did not apply {wanted!r} (it shows {shown!r})"
                )
        return after.custom_fields

    # ----------------------------------------------------------------------------------
    # The whole Update, and the desk actions built on it
    # ----------------------------------------------------------------------------------

    async def update_ticket(
        self,
        ticket_id: str,
        *,
        sub_status: str = "",
        queue: str = "",
        comment: str = "",
        callback: str = "",
        disposition: str = "",
    ) -> ActionOutcome:
        """Seed 004's Update Ticket API in one request: any of ``sub_status`` (default: the
        ticket's current key), ``queue``, ``comment``, ``callback`` (already in Update's
        format, see :meth:`callback_time`) and ``disposition`` (a path). The answer is
        checked for the sub-status and queue; a disposition, which the answer does not
        show, is read back with Get."""
        fields: dict[str, Any] = {}
        expect: dict[str, tuple[str, str]] = {}
        done: list[str] = []
        if sub_status:
            fields["sub_status"] = sub_status
            expect["substatus"] = ("sub_status", sub_status)
            shown = self.labels.status(key=sub_status)
            done.append(f"sub-status {shown.label if shown else sub_status}")
        if queue:
            fields["queue"] = queue
            expect["queueKey"] = ("queue", queue)
            named = self.labels.queue(key=queue)
            done.append(f"queue {named.label if named else queue}")
        if comment.strip():
            fields["comment"] = comment
            done.append("comment")
        if callback:
            fields["callback_time"] = callback
            done.append(f"callback {callback[:16]}")
        if disposition:
            fields["disposition"] = disposition
            done.append(f"disposition {wire.disposition_label(disposition)}")
        if not fields:
            raise InvalidInput(self.name, "sub_status", "give at least one value")
        ticket, _ = await self._update(ticket_id, fields, expect=expect)
        if disposition:
            after = self._detail(await self._get(ticket_id))
            got = next(
                (f.value for f in after.custom_fields if f.key == wire.DISPOSITION_KEY), None
            )
            wanted = self.labels.dispositions.get(disposition, disposition)
            if got not in (wanted, disposition):
                raise InvalidInput(
                    self.name,
                    "disposition",
                    f"the desk did not apply {disposition!r} (it shows {got!r})",
                )
            ticket = after.ticket
        return ActionOutcome(message="updated " + ", ".join(done), ticket=ticket)

    def desk_actions(self) -> Sequence[ActionSpec]:
        return operations.desk_actions(self.labels)

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        outcome = await operations.run_desk_action(self, spec, ticket_id, values)
        if outcome is None:
            return await super().run_desk_action(spec, ticket_id, values)
        return outcome

    # ----------------------------------------------------------------------------------
    # Creating
    # ----------------------------------------------------------------------------------

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        """Add (``add-ticket-from-other-source``) with the title, details, customer and
        queue; a sub-status other than the tenant's default is set by an Update after."""
        subject = new.subject.strip()
        if not subject:
            raise InvalidInput(self.name, "subject", "must not be empty")
        email = new.requester_email.strip()
        if email and not _EMAIL.match(email):
            raise InvalidInput(self.name, "requester_email", "is not an email address")
        for name in ("priority_id", "type_id", "assignee_id"):
            if getattr(new, name):
                raise InvalidInput(self.name, name, "Kapture's Add Ticket API cannot set it")
        queue = new.group_id.strip()
        item = {
            "title": subject,
            "ticket_details": new.body,
            "due_date": "",
            "email_id": email,
            "customer_name": new.requester_name.strip(),
            "phone": "",
            "queue": queue,
        }
        data = await self.call("add", [item])
        obj = data.get("ticket") if isinstance(data, dict) else None
        ref = wire.text(data.get("ticket_id")) if isinstance(data, dict) else ""
        if not isinstance(obj, dict):
            raise ProtocolError(self.name, "Add answer", "no ticket")
        ticket = wire.ticket_from_object(obj, self.labels, self.name, self.zone, what="Add")
        ref = ref or ticket.key.native_id
        if queue and wire.text(obj.get("queueKey")) != queue:
            raise InvalidInput(
                self.name,
                "group_id",
                f"ticket {ref} was created without queue {queue!r}: the tenant has no such key",
            )
        if new.status_id and (ticket.status is None or ticket.status.id != new.status_id):
            ticket, obj = await self._update(
                ref,
                {"sub_status": new.status_id},
                expect={"substatus": ("status_id", new.status_id)},
            )
        try:
            return await self.get_ticket(ref)
        except DeskError as exc:
            # The ticket exists: failing now would invite a duplicate. Show what Add said.
            log.warning("%s: new ticket %s: %s", self.name, ref, exc.message)
            return TicketDetail(ticket=ticket, raw=dict(obj))
