"""Changing InvGate requests: attributes, assignment, comments, custom fields, links,
observers, time tracking, new requests, and status transitions through their own
endpoints (solutions, waiting states, cancel, reject, reopen, close).

Decisions where the sources disagree or say nothing (``adapters/invgate/README.md`` has
the sources):

* **Status.** ``PUT incident`` cannot change it: a target status is reached through its
  endpoint (waiting for customer, cancel, reject, reopen, close for closed); a status no
  endpoint reaches from the current one is :class:`InvalidInput` naming ``status_id``.
  "Solved" needs a solution text: :meth:`InvGateWrites.propose_solution`.
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
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.base import DeskError, InvalidInput, NotFound
from adapters.invgate.reading import InvGateReading
from adapters.invgate.wire import custom_fields as cf
from adapters.invgate.wire import records, values
from adapters.invgate.wire.catalog import Catalog, is_done
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    Change,
    CustomField,
    CustomFieldValue,
    FieldType,
    NewTicket,
    NewTimeEntry,
    Post,
    Ticket,
    TicketDetail,
    TimeEntry,
    Visibility,
)
from adapters.operations import entry_time

log = logging.getLogger("triage.invgate")


def to_html(text: str) -> str:
    """Plain text as the HTML a comment or description holds."""
    return "<br />".join(html.escape(line, quote=False) for line in text.split("\n"))


class InvGateWrites(InvGateReading):
    """Every change to a request, each checked against what the desk shows afterwards."""

    # ----------------------------------------------------------------------------------
    # Custom fields
    # ----------------------------------------------------------------------------------

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
