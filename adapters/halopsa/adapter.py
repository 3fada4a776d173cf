"""HaloPSA adapter: the :class:`adapters.base.Adapter` operations, and the seed's other
commands, over Halo's REST API (requests, lookups and the rate limit are in
:mod:`adapters.halopsa.client`, the JSON in :mod:`adapters.halopsa.wire`).

How each operation is done on the wire:

* **list**: ``GET /Tickets?pageinate=true&page_size=…&page_no=…`` (at most 100 a page),
  newest change first (``order=last_update&orderdesc=true``), filtered by team ids
  (``team``, or the connection's ``teams`` by name), statuses, agents, users and
  ``open_only``; the envelope's ``record_count`` is the total.
* **get**: ``GET /Tickets/{id}?includedetails=true`` and ``GET /Actions?ticket_id=…``; the
  conversation is the ticket's ``details`` followed by its actions, oldest first.
* **update / assign / custom fields / create**: a one-element array POSTed to
  ``/Tickets``; values are checked against the lookups first, and the answer is checked
  for what Halo silently does not apply (an agent outside the team given with them).
* **reply / note / close / resolve / outcomes**: an array POSTed to ``/Actions``; every
  action needs an outcome, chosen from ``GET /Outcome`` by its flags (a note hidden from
  the user, an e-mail to the user, one that sets a closed status).
* **merge**: emulated (the API has no merge).
* **changes since a watermark**: the watermark is the newest ``last_update`` a listing saw
  (the desk's own clock, so ours may be skewed); a listing of changes asks ``/Tickets``
  for ``lastupdatefromdate`` = the watermark less :data:`CHANGED_SINCE_OVERLAP`, newest
  first, with the query's other filters. Halo stamps ``last_update`` on every change
  (fields, actions, attachments), so edits, new tickets and moves within the view come
  back; deletions and moves out of it are reconciliation's (:meth:`HaloAdapter.
  count_tickets`: ``record_count`` of a one-ticket page; Halo has no id-only listing).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from adapters.actions import ActionOutcome, ActionSpec, ActionValue
from adapters.base import (
    Capabilities,
    Capability,
    InvalidInput,
    ListingCapabilities,
    NotFound,
    Unsupported,
)
from adapters.halopsa import desk_actions, wire
from adapters.halopsa.operations import HaloOperations
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    Change,
    CustomField,
    CustomFieldValue,
    NewTicket,
    Post,
    StatusCategory,
    Ticket,
    TicketDetail,
    TicketPage,
    TicketQuery,
    Visibility,
)
from adapters.paging import FetchedPage, PageRequest, ticket_pages

log = logging.getLogger("triage.halopsa")

MAX_PAGE_SIZE = 100
"""Halo's largest ``page_size`` for ``/Tickets``."""
UPDATE_BATCH = 50
"""Tickets per POST when one object updates many (one request instead of fifty)."""
CHANGED_SINCE_OVERLAP = timedelta(minutes=5)
"""How far before the watermark a listing of changes still reads (see the module docstring)."""
"""Tickets per POST when one object updates many (one request instead of fifty)."""

SORT_FIELDS = {
    "updated": "last_update",
    "created": "dateoccurred",
    "id": "id",
    "key": "id",
    "display_id": "id",
    "subject": "summary",
    "status": "status_id",
    "priority": "priority_id",
    "due": "fixbydate",
    "type": "tickettype_id",
    "assignee": "agent_id",
}


def _first(body: Any) -> dict[str, Any]:
    """The saved record of a POST answer (an object, or an array of one)."""
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return body[0]
    if isinstance(body, dict):
        return body
    raise ValueError("the answer is not the saved record")


def _all(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    return [_first(body)]


class HaloAdapter(HaloOperations):
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes("summary, status, priority, type, team and agent"),
        assign=Capability.yes("a team and/or an agent of that team"),
        close=Capability.yes("a closing action with a private note, setting a closed status"),
        merge=Capability.emulate("Halo's API has no merge: notes are copied, sources closed"),
        reply=Capability.yes("an action e-mailed to the end user"),
        note=Capability.yes("an action hidden from the end user"),
        custom_fields=Capability.yes("the ticket's custom fields, written by name"),
        create=Capability.yes("a new ticket in a team"),
        time_entries=Capability.no(
            "Halo keeps time on actions (timetaken); the app has no time command for it"
        ),
        attachments=Capability.yes("GET /Attachment?ticket_id= and each file's bytes"),
        upload=Capability.yes("POST /Attachment with the file in base64"),
        delete=Capability.yes("DELETE /Tickets/{id}, with a reason from the desk action"),
        search=Capability.yes("GET /Tickets?search= (summary, details, id)"),
        listing=ListingCapabilities(
            changed_since=Capability.yes(
                "/Tickets from lastupdatefromdate (the watermark less 5 minutes), newest first"
            ),
            id_listing=Capability.no(
                "Halo has no id-only listing: record_count of a one-ticket page first, the "
                "full listing only when the counts differ"
            ),
        ),
        max_concurrency=4,
    )

    # ---- ids and checks ---------------------------------------------------------------

    def _ids(self, values: Iterable[str], field: str) -> list[str]:
        found = []
        for value in values:
            text = str(value).strip()
            if not text.isdigit():
                raise InvalidInput(self.name, field, f"{value!r} is not an id of this desk")
            found.append(text)
        return found

    async def _team_ids(self, query: TicketQuery) -> list[str]:
        if query.group_ids:
            return self._ids(query.group_ids, "group_ids")
        if not self.settings.teams:
            return []
        catalog = await self.catalog.get()
        ids = []
        for name in self.settings.teams:
            team = catalog.team_ids.get(name.strip().casefold())
            if team is None:
                known = ", ".join(sorted(catalog.team_names.values()))
                raise InvalidInput(self.name, "teams", f"no team named {name!r} (teams: {known})")
            ids.append(team)
        return ids

    def _map(self, row: Mapping[str, Any], catalog: wire.Catalog, *, raw: bool = False) -> Ticket:
        try:
            return wire.ticket(self.name, row, catalog, raw=raw)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.protocol("ticket", exc) from None

    # ---- listing ----------------------------------------------------------------------

    async def _list_params(self, query: TicketQuery) -> dict[str, Any]:
        """The ``/Tickets`` filters of ``query`` (listing and counting share them)."""
        params: dict[str, Any] = {"pageinate": "true"}
        teams = await self._team_ids(query)
        if teams:
            params["team"] = ",".join(teams)
        if query.status_ids:
            params["status"] = ",".join(self._ids(query.status_ids, "status_ids"))
        if query.assignee_ids:
            agents = ["1" if a == UNASSIGNED else a for a in query.assignee_ids]
            params["agent"] = ",".join(self._ids(agents, "assignee_ids"))
        if query.requester_ids:
            params["user_id"] = ",".join(self._ids(query.requester_ids, "requester_ids"))
        if not query.include_done:
            params["open_only"] = "true"
        return params

    def _watermark(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise InvalidInput(self.name, "changed_since", f"{value!r} is not a Halo watermark")
        return moment

    async def list_tickets(self, query: TicketQuery | None = None) -> AsyncIterator[TicketPage]:
        query = query or TicketQuery()
        since = self._watermark(query.changed_since)
        catalog = await self.catalog.get()
        size = min(query.page_size, MAX_PAGE_SIZE)
        params = await self._list_params(query)
        if since is not None:
            # Changes only: Halo's last-updated range, newest first, from the watermark
            # less the overlap (a change stamped late, a server clock put back).
            order, descending = "last_update", True
            params["lastupdatefromdate"] = wire.format_query_time(since - CHANGED_SINCE_OVERLAP)
        else:
            found = SORT_FIELDS.get((query.sort_field or "updated").strip().lower())
            if found is None:
                log.debug("%s: cannot sort by %r on the desk", self.name, query.sort_field)
            order, descending = found or "last_update", query.sort_descending
        params.update(page_size=size, order=order, orderdesc="true" if descending else "false")

        async def fetch(page: PageRequest) -> FetchedPage:
            body = await self.json("GET", "/Tickets", params={**params, "page_no": page.number})
            try:
                rows = wire.records(body, "tickets")
                total = body.get("record_count") if isinstance(body, dict) else None
            except ValueError as exc:
                raise self.protocol("ticket list", exc) from None
            tickets = [self._map(row, catalog) for row in rows]
            return FetchedPage(tickets, total=total if isinstance(total, int) else None)

        newest = since
        async for page in ticket_pages(self.name, fetch, page_size=size):
            for ticket in page.tickets:
                newest = ticket.updated if newest is None or ticket.updated > newest else newest
            mark = None if newest is None else newest.astimezone(UTC).isoformat()
            yield page.model_copy(update={"watermark": mark})

    async def count_tickets(self, query: TicketQuery | None = None) -> int | None:
        """The envelope's ``record_count`` of a one-ticket page with the listing's filters."""
        query = (query or TicketQuery()).model_copy(update={"changed_since": None})
        params = {**await self._list_params(query), "page_size": 1, "page_no": 1}
        body = await self.json("GET", "/Tickets", params=params)
        total = body.get("record_count") if isinstance(body, dict) else None
        if not isinstance(total, int) or isinstance(total, bool):
            raise self.protocol("answer to GET /Tickets", ValueError("no record_count"))
        return total

    # ---- one ticket -------------------------------------------------------------------

    async def _ticket_row(self, number: str, *, details: bool = True) -> dict[str, Any]:
        params = {"includedetails": "true"} if details else None
        body = await self.json("GET", f"/Tickets/{number}", params=params)
        if not isinstance(body, dict) or "id" not in body:
            raise self.protocol(f"answer to GET /Tickets/{number}", ValueError("not a ticket"))
        return body

    async def get_ticket(self, ticket_id: str) -> TicketDetail:
        number = self.number(ticket_id)
        row = await self._ticket_row(number)
        actions = await self.listed("/Actions", "actions", {"ticket_id": number})
        catalog = await self.catalog.get()
        definitions = await self.definitions.get()
        try:
            posts = [wire.post(a, catalog.closed_status_ids) for a in actions]
            opening = wire.opening_post(row)
            fields = wire.custom_fields(row.get("customfields"), definitions)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.protocol("ticket actions", exc) from None
        ordered = sorted(
            (p for p in [opening, *posts] if p is not None),
            key=lambda p: (p.created, not p.id.startswith("details-"), _order(p.id)),
        )
        return TicketDetail(
            ticket=self._map(row, catalog, raw=True),
            posts=tuple(ordered),
            custom_fields=fields,
            raw={"ticket": row, "actions": actions},
        )

    # ---- changes ----------------------------------------------------------------------

    async def _fields(self, change: Change) -> dict[str, Any]:
        """The wire fields of ``change``, each checked against the lookups."""
        catalog = await self.catalog.get()
        choices = catalog.choices.lookups()
        body: dict[str, Any] = {}
        if change.subject is not None:
            if not change.subject.strip():
                raise InvalidInput(self.name, "subject", "must not be empty")
            body["summary"] = change.subject.strip()
        for field, kind, wire_name in (
            ("status_id", "statuses", "status_id"),
            ("priority_id", "priorities", "priority_id"),
            ("type_id", "types", "tickettype_id"),
        ):
            value = getattr(change, field)
            if value is None:
                continue
            if choices.find(kind, value) is None:
                raise InvalidInput(self.name, field, f"{value!r} is not one of the desk's {kind}")
            body[wire_name] = int(value)
        team = None
        if change.group_id is not None:
            team = catalog.team_names.get(change.group_id)
            if team is None:
                raise InvalidInput(self.name, "group_id", f"{change.group_id!r} is not a team")
            body["team"] = team
        if change.assignee_id is not None:
            if change.assignee_id == UNASSIGNED:
                body["agent_id"] = 0
            else:
                agent = choices.find("agents", change.assignee_id)
                if agent is None:
                    raise InvalidInput(
                        self.name, "assignee_id", f"{change.assignee_id!r} is not an agent"
                    )
                if change.group_id is not None and change.group_id not in catalog.agent_teams.get(
                    agent.id, frozenset()
                ):
                    raise InvalidInput(
                        self.name,
                        "assignee_id",
                        f"{agent.label} is not a member of the team {team}: Halo would not "
                        "assign them",
                    )
                body["agent_id"] = int(agent.id)
        return body

    async def post_ticket(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """POST one ticket record; the saved record."""
        body = await self.json("POST", "/Tickets", body=[dict(record)])
        try:
            return _first(body)
        except ValueError as exc:
            raise self.protocol("answer to POST /Tickets", exc) from None

    async def update(self, ticket_id: str, change: Change) -> Ticket:
        if change.is_empty():
            raise InvalidInput(self.name, "change", "nothing to change")
        number = self.number(ticket_id)
        fields = await self._fields(change)
        saved = await self.post_ticket({"id": int(number), **fields})
        catalog = await self.catalog.get()
        result = self._map(saved, catalog)
        if fields.get("agent_id"):
            got = result.assignee.id if result.assignee else None
            if got != str(fields["agent_id"]):
                raise InvalidInput(
                    self.name,
                    "assignee_id",
                    f"the desk did not assign agent {fields['agent_id']} "
                    "(not a member of the ticket's team?)",
                )
        return result

    async def assign(self, ticket_id: str, agent_id: str | None, group_id: str | None) -> Ticket:
        if agent_id is None and group_id is None:
            raise InvalidInput(self.name, "agent_id", "give an agent and/or a team")
        return await self.update(ticket_id, Change(assignee_id=agent_id, group_id=group_id))

    # ---- actions ----------------------------------------------------------------------

    async def outcomes(self) -> list[dict[str, Any]]:
        return await self.outcome_cache.get()

    async def _pick_outcome(self, purpose: str) -> dict[str, Any]:
        """The outcome for a note, a reply, a close or a resolve (see the module docstring)."""
        catalog = await self.catalog.get()
        closed = catalog.closed_status_ids
        usable = [o for o in await self.outcomes() if not o.get("hidden") and not o.get("systemid")]

        def named(o: dict[str, Any], *words: str) -> bool:
            text = f"{o.get('outcome', '')} {o.get('buttonname', '')}".casefold()
            return any(word in text for word in words)

        sets_closed = [o for o in usable if wire.ident(o.get("newstatus")) in closed]
        plain = [o for o in usable if wire.ident(o.get("newstatus")) in ("", "0")]
        if purpose == "note":
            options = [o for o in plain if o.get("hidefromuser")]
            preferred = [o for o in options if named(o, "private", "note")]
        elif purpose == "reply":
            options = [o for o in plain if not o.get("hidefromuser")]
            preferred = [o for o in options if o.get("sendemail") and named(o, "email")]
        elif purpose == "close":
            options = sets_closed
            preferred = [o for o in options if named(o, "close") and o.get("hidefromuser")]
        else:
            options = sets_closed
            preferred = [o for o in options if named(o, "resolv")]
        chosen = (preferred or options)[:1]
        if not chosen:
            raise Unsupported(self.name, f"the desk has no outcome (action) for a {purpose}")
        return chosen[0]

    async def post_actions(self, actions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """POST actions (each needs ``ticket_id`` and ``outcome_id`` or ``outcome``)."""
        if not actions:
            raise InvalidInput(self.name, "actions", "give at least one action")
        for index, action in enumerate(actions):
            if not str(action.get("ticket_id") or "").strip():
                raise InvalidInput(self.name, f"actions[{index}].ticket_id", "is required")
            if not (action.get("outcome_id") or action.get("outcome")):
                raise InvalidInput(
                    self.name, f"actions[{index}].outcome", "an outcome or outcome_id is required"
                )
        body = await self.json("POST", "/Actions", body=[dict(a) for a in actions])
        try:
            return _all(body)
        except ValueError as exc:
            raise self.protocol("answer to POST /Actions", exc) from None

    def _as_post(self, action: Mapping[str, Any], catalog: wire.Catalog) -> Post:
        try:
            post = wire.post(action, catalog.closed_status_ids)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.protocol("answer to POST /Actions", exc) from None
        if post is None:
            raise self.protocol("answer to POST /Actions", ValueError("the action has no note"))
        return post

    async def add_post(self, ticket_id: str, text: str, visibility: Visibility) -> Post:
        if not text.strip():
            raise InvalidInput(self.name, "text", "must not be empty")
        number = self.number(ticket_id)
        private = visibility is Visibility.PRIVATE
        outcome = await self._pick_outcome("note" if private else "reply")
        action: dict[str, Any] = {
            "ticket_id": int(number),
            "outcome_id": outcome["id"],
            "note": text,
            "hiddenfromuser": private,
        }
        if not private:
            action["sendemail"] = True
        saved = await self.post_actions([action])
        return self._as_post(saved[0], await self.catalog.get())

    async def _closed_status(self, prefer: StatusCategory) -> str:
        statuses = (await self.catalog.get()).choices.lookups().statuses
        done = [s for s in statuses if s.category is not None and s.category.is_done]
        if not done:
            raise Unsupported(self.name, "the desk has no closed status")
        return next((s.id for s in done if s.category is prefer), done[0].id)

    async def close(self, ticket_id: str, note: str = "", resolution: str = "") -> Ticket:
        number = self.number(ticket_id)
        text = "\n\n".join(part for part in (note.strip(), resolution.strip()) if part)
        outcome = await self._pick_outcome("close")
        status = wire.ident(outcome.get("newstatus")) or await self._closed_status(
            StatusCategory.CLOSED
        )
        await self.post_actions(
            [
                {
                    "ticket_id": int(number),
                    "outcome_id": outcome["id"],
                    "note": text,
                    "new_status": int(status),
                    "hiddenfromuser": True,
                }
            ]
        )
        return self._map(await self._ticket_row(number, details=False), await self.catalog.get())

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        return await self.emulated_merge(target_id, source_ids)

    async def merge_ticket_id(self, ticket_id: str) -> str:
        return self.number(ticket_id, "source_ids")

    # ---- custom fields ----------------------------------------------------------------

    async def set_custom_fields(
        self, ticket_id: str, values: Mapping[str, CustomFieldValue]
    ) -> tuple[CustomField, ...]:
        if not values:
            raise InvalidInput(self.name, "values", "nothing to change")
        number = self.number(ticket_id)
        definitions = await self.definitions.get()
        row = await self._ticket_row(number, details=False)
        current = {f.key: f for f in wire.custom_fields(row.get("customfields"), definitions)}
        entries = []
        for key, value in values.items():
            field = current.get(key)
            if field is None:
                raise InvalidInput(self.name, key, "the ticket has no such custom field")
            if not field.editable:
                raise InvalidInput(self.name, key, "cannot be written through the API")
            try:
                entries.append({"name": field.key, "value": wire.write_value(field, value)})
            except ValueError as exc:
                raise InvalidInput(self.name, key, str(exc)) from None
        try:
            saved = await self.post_ticket({"id": int(number), "customfields": entries})
        except InvalidInput as exc:
            named = next((f.key for f in current.values() if f.label in exc.reason), None)
            if named is None:
                raise
            raise InvalidInput(self.name, named, exc.reason) from None
        return wire.custom_fields(saved.get("customfields"), definitions)

    # ---- new tickets ------------------------------------------------------------------

    async def _user_for(self, email: str) -> dict[str, Any] | None:
        wanted = email.strip().casefold()
        if not wanted:
            return None
        users = await self.listed("/Users", "users", {"search": email.strip(), "count": 20})
        return next(
            (u for u in users if str(u.get("emailaddress") or "").casefold() == wanted), None
        )

    async def new_ticket_fields(self) -> tuple[CustomField, ...]:
        """Every custom field the instance defines (``GET /FieldInfo``), unset, mandatory
        ones marked: what the create form offers. The kit sets them right after the
        ticket is created, on the fields the new ticket has."""
        return wire.blank_fields(await self.definitions.get())

    async def create_ticket(self, new: NewTicket) -> TicketDetail:
        if not new.subject.strip():
            raise InvalidInput(self.name, "subject", "must not be empty")
        fields = await self._fields(
            Change(
                status_id=new.status_id,
                priority_id=new.priority_id,
                type_id=new.type_id,
                group_id=new.group_id,
                assignee_id=new.assignee_id or None,
            )
        )
        record: dict[str, Any] = {"summary": new.subject.strip(), "details": new.body, **fields}
        user = await self._user_for(new.requester_email)
        if user is not None:
            record["user_id"] = user.get("id")
        else:
            record["user_name"] = new.requester_name
            record["reportedby"] = new.requester_email
        saved = await self.post_ticket(record)
        catalog = await self.catalog.get()
        definitions = await self.definitions.get()
        opening = wire.opening_post(saved)
        return TicketDetail(
            ticket=self._map(saved, catalog, raw=True),
            posts=(opening,) if opening else (),
            custom_fields=wire.custom_fields(saved.get("customfields"), definitions),
            raw={"ticket": saved, "actions": []},
        )

    # ==================================================================================
    # The seed's other commands (desk actions once the app declares them)
    # ==================================================================================

    async def apply_outcome(
        self,
        ticket_id: str,
        outcome: str,
        *,
        note: str = "",
        new_status: str | None = None,
        private: bool | None = None,
    ) -> dict[str, Any]:
        """Take an action named by its outcome (``Triage``, ``Claim``, …) or outcome id."""
        number = self.number(ticket_id)
        options = await self.outcomes()
        wanted = outcome.strip().casefold()
        found = next(
            (
                o
                for o in options
                if wire.ident(o.get("id")) == wanted
                or str(o.get("outcome") or "").casefold() == wanted
                or str(o.get("buttonname") or "").casefold() == wanted
            ),
            None,
        )
        if found is None:
            names = ", ".join(str(o.get("outcome")) for o in options)
            raise InvalidInput(self.name, "outcome", f"no outcome {outcome!r} (outcomes: {names})")
        action: dict[str, Any] = {"ticket_id": int(number), "outcome_id": found["id"], "note": note}
        if new_status is not None:
            if (await self.catalog.get()).choices.status(
                new_status
            ) is None or not new_status.isdigit():
                raise InvalidInput(self.name, "new_status", f"{new_status!r} is not a status")
            action["new_status"] = int(new_status)
        if private is not None:
            action["hiddenfromuser"] = private
        return (await self.post_actions([action]))[0]

    async def assign_ticket(
        self,
        ticket_id: str,
        *,
        team: str | None = None,
        agent_id: str | None = None,
        note: str = "",
    ) -> Ticket:
        """Assign to a team (by name) and/or an agent, with an optional private note."""
        group_id = None
        if team is not None:
            group_id = (await self.catalog.get()).team_ids.get(team.strip().casefold())
            if group_id is None:
                raise InvalidInput(self.name, "team", f"no team named {team!r}")
        assigned = await self.assign(ticket_id, agent_id, group_id)
        if note.strip():
            await self.add_post(ticket_id, note, Visibility.PRIVATE)
        return assigned

    async def attach_file(
        self, ticket_id: str, path: Path, name: str | None = None
    ) -> dict[str, Any]:
        """Attach a local file (``POST /Attachment`` with its bytes in base64)."""
        self.number(ticket_id)
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            raise InvalidInput(self.name, "path", f"cannot read {path}: {exc.strerror}") from None
        return await self.attach(ticket_id, name or path.name, content)

    async def resolve(
        self,
        ticket_id: str,
        email_to: Sequence[str],
        *,
        note: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> Ticket:
        """Resolve with the resolving outcome, e-mailing ``email_to`` (required)."""
        number = self.number(ticket_id)
        addresses = [a.strip() for a in email_to if a and a.strip()]
        if not addresses:
            raise InvalidInput(self.name, "email_to", "name at least one address to notify")
        bad = [a for a in addresses if "@" not in a]
        if bad:
            raise InvalidInput(self.name, "email_to", f"not e-mail addresses: {', '.join(bad)}")
        outcome = await self._pick_outcome("resolve")
        status = wire.ident(outcome.get("newstatus")) or await self._closed_status(
            StatusCategory.RESOLVED
        )
        action: dict[str, Any] = {
            "ticket_id": int(number),
            "outcome_id": outcome["id"],
            "note": note.strip() or "Resolved.",
            "new_status": int(status),
            "hiddenfromuser": True,
            "sendemail": True,
            "emailto": ";".join(addresses),
            **dict(extra or {}),
        }
        await self.post_actions([action])
        return self._map(await self._ticket_row(number, details=False), await self.catalog.get())

    async def update_tickets(
        self, ticket_ids: Sequence[str], fields: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """Apply one object of wire fields to many tickets, ``UPDATE_BATCH`` per POST."""
        if not fields:
            raise InvalidInput(self.name, "fields", "nothing to change")
        if "id" in fields:
            raise InvalidInput(self.name, "fields", "the ticket ids are given separately")
        numbers = [int(self.number(t)) for t in ticket_ids]
        if not numbers:
            raise InvalidInput(self.name, "ticket_ids", "name at least one ticket")
        saved: list[dict[str, Any]] = []
        for start in range(0, len(numbers), UPDATE_BATCH):
            batch = [{**fields, "id": n} for n in numbers[start : start + UPDATE_BATCH]]
            body = await self.json("POST", "/Tickets", body=batch)
            try:
                saved.extend(_all(body))
            except ValueError as exc:
                raise self.protocol("answer to POST /Tickets", exc) from None
        return saved

    async def create_tickets(self, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Create tickets from Halo ticket objects (one POST)."""
        if not records:
            raise InvalidInput(self.name, "tickets", "give at least one ticket")
        for index, record in enumerate(records):
            if record.get("id"):
                raise InvalidInput(self.name, f"tickets[{index}].id", "new tickets have no id")
            if not str(record.get("summary") or "").strip():
                raise InvalidInput(self.name, f"tickets[{index}].summary", "is required")
        body = await self.json("POST", "/Tickets", body=[dict(r) for r in records])
        try:
            return _all(body)
        except ValueError as exc:
            raise self.protocol("answer to POST /Tickets", exc) from None

    async def fetch_tickets(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
        type_ids: Sequence[str] = (),
        status_ids: Sequence[str] = (),
        area_ids: Sequence[str] = (),
        search: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Tickets last updated between ``start`` (default: a day before ``end``) and
        ``end`` (default: now), newest first, at most ``limit`` (1…1000)."""
        if limit is not None and not 1 <= limit <= 1000:
            raise InvalidInput(self.name, "limit", "must be between 1 and 1000")
        until = end or datetime.now(UTC)
        since = start or until - timedelta(hours=24)
        if since > until:
            raise InvalidInput(self.name, "start", "is after the end")
        params: dict[str, Any] = {
            **{k: v for k, v in (extra or {}).items() if k not in ("page_no", "pageinate")},
            "pageinate": "true",
            "page_size": MAX_PAGE_SIZE,
            "order": "last_update",
            "orderdesc": "true",
            "lastupdatefromdate": wire.format_query_time(since),
            "lastupdatetodate": wire.format_query_time(until),
        }
        for name, values, field in (
            ("requesttype", type_ids, "type_ids"),
            ("status", status_ids, "status_ids"),
            ("ticketarea_id", area_ids, "area_ids"),
        ):
            if values:
                params[name] = ",".join(self._ids(values, field))
        if search.strip():
            params["search"] = search.strip()
        rows: list[dict[str, Any]] = []
        page = 1
        while limit is None or len(rows) < limit:
            body = await self.json("GET", "/Tickets", params={**params, "page_no": page})
            try:
                found = wire.records(body, "tickets")
            except ValueError as exc:
                raise self.protocol("ticket list", exc) from None
            rows.extend(found)
            total = body.get("record_count") if isinstance(body, dict) else None
            if len(found) < MAX_PAGE_SIZE or (isinstance(total, int) and len(rows) >= total):
                break
            page += 1
        return rows[:limit] if limit is not None else rows

    async def get_tickets(
        self, ticket_ids: Sequence[str], *, details: bool = False
    ) -> list[dict[str, Any]]:
        """Tickets as Halo sends them; a missing one is :class:`NotFound`."""
        return [await self._ticket_row(self.number(t), details=details) for t in ticket_ids]

    async def ticket_report(self, ticket_id: str) -> str:
        """A plain-text report of one ticket: its fields, custom fields and conversation."""
        detail = await self.get_ticket(ticket_id)
        ticket = detail.ticket
        row = detail.raw.get("ticket", {})

        def label(choice: Any) -> str:
            return str(choice.label) if choice is not None else "-"

        lines = [
            f"Ticket {ticket.display_id}: {ticket.subject}",
            f"Status: {label(ticket.status)}   Priority: {label(ticket.priority)}   "
            f"Type: {label(ticket.type)}",
            f"Team: {label(ticket.group)}   "
            f"Agent: {ticket.assignee.name if ticket.assignee else '-'}",
            f"Client: {row.get('client_name') or '-'}   Site: {row.get('site_name') or '-'}",
            f"Requester: {ticket.requester.name if ticket.requester else '-'}",
            f"Opened: {ticket.created:%Y-%m-%d %H:%M} UTC   "
            f"Updated: {ticket.updated:%Y-%m-%d %H:%M} UTC",
            f"Category: {row.get('category_1') or '-'}",
        ]
        set_fields = [f for f in detail.custom_fields if f.value not in (None, "", [])]
        if set_fields:
            lines.append("")
            lines.append("Custom fields:")
            for field in set_fields:
                value = ", ".join(field.value) if isinstance(field.value, list) else field.value
                lines.append(f"  {field.label}: {value}")
        lines.append("")
        lines.append(f"Conversation ({len(detail.posts)} entries):")
        for post in detail.posts:
            who = post.author.name if post.author else post.author_kind.value
            lines.append(f"--- {post.created:%Y-%m-%d %H:%M} · {who} ({post.visibility.value})")
            lines.append(post.body)
        return "\n".join(lines)

    async def list_agents(self, *, search: str = "", team: str = "") -> list[dict[str, Any]]:
        params = {k: v for k, v in (("search", search.strip()), ("team", team.strip())) if v}
        return await self.listed("/Agent", params=params or None)

    async def list_categories(
        self, *, type_id: str | None = None, team_name: str = ""
    ) -> list[dict[str, Any]]:
        if team_name.strip() and type_id is None:
            raise InvalidInput(self.name, "team_name", "filters only with a category type id")
        params: dict[str, Any] = {}
        if type_id is not None:
            params["type_id"] = self._ids([type_id], "type_id")[0]
            if team_name.strip():
                params["team_name"] = team_name.strip()
        return await self.listed("/Category", params=params or None)

    async def list_teams(
        self,
        *,
        names: Sequence[str] = (),
        team_type: str | None = None,
        department_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Teams; ``names`` are the teams whose agents are listed with them."""
        params: dict[str, Any] = {}
        if names:
            params["includeagentsforteams"] = ",".join(n.strip() for n in names)
        if team_type:
            kinds = {"tickets": "reqs", "opportunities": "opps", "projects": "prjs"}
            kind = kinds.get(team_type.strip().lower(), team_type.strip().lower())
            if kind not in ("reqs", "opps", "prjs"):
                raise InvalidInput(self.name, "team_type", "Tickets, Opportunities or Projects")
            params["type"] = kind
        if department_id is not None:
            params["department_id"] = self._ids([department_id], "department_id")[0]
        return await self.listed("/Team", params=params or None)

    async def list_ticket_areas(self) -> list[dict[str, Any]]:
        return await self.listed("/TicketArea")

    async def list_statuses(self) -> list[dict[str, Any]]:
        return await self.listed("/Status", params={"type": "ticket"})

    async def list_ticket_types(self, *, domain: str | None = None) -> list[dict[str, Any]]:
        params = None
        if domain:
            kinds = {"tickets": "reqs", "opportunities": "opps", "projects": "prjs"}
            kind = kinds.get(domain.strip().lower(), domain.strip().lower())
            if kind not in ("reqs", "opps", "prjs"):
                raise InvalidInput(self.name, "domain", "Tickets, Opportunities or Projects")
            params = {"domain": kind}
        return await self.listed("/TicketType", params=params)

    # ---- desk actions (adapters/halopsa/desk_actions.py) -----------------------------

    def desk_actions(self) -> Sequence[ActionSpec]:
        return desk_actions.SPECS

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        return await desk_actions.run(self, spec, ticket_id, values)


def _order(post_id: str) -> int:
    return int(post_id) if post_id.isdigit() else 0


__all__ = ["MAX_PAGE_SIZE", "HaloAdapter", "NotFound"]
