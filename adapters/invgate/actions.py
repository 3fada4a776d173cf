"""InvGate's own actions: the API reference's request commands beyond the common ones, as
desk actions (:mod:`adapters.actions`) the TUI's form and ``triage action`` both run.

Solutions (propose, accept with a rating, reject), the waiting states, cancel, reject and
reopen, links and observers, the attributes ``update`` does not cover (description,
category, source), clearing a custom field, and listings of users and categories. Each
runs one adapter method of :class:`~adapters.invgate.adapter.InvGateAdapter`, so the
checks (a rating below 4 needs a comment, a date in the future) are the adapter's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from adapters.actions import (
    ActionField,
    ActionOutcome,
    ActionSpec,
    ActionValue,
    FieldKind,
    Scope,
)
from adapters.errors import InvalidInput, Unsupported
from adapters.model import Choice, Ticket
from adapters.operations import entry_time

if TYPE_CHECKING:
    from adapters.invgate.adapter import InvGateAdapter


def _text(name: str, label: str, *, required: bool = True, help: str = "") -> ActionField:
    return ActionField(
        name=name, label=label, kind=FieldKind.MULTILINE, required=required, help=help
    )


PROPOSE = ActionSpec(
    id="propose-solution",
    label="Propose a solution",
    help="A public comment marked as the solution: the request becomes solved.",
    fields=(_text("solution", "Solution"),),
)
ACCEPT = ActionSpec(
    id="accept-solution",
    label="Accept the solution",
    help="Close a solved request with the customer's rating (below 4 needs a comment).",
    fields=(
        ActionField(
            name="rating",
            label="Rating",
            kind=FieldKind.CHOICE,
            choices=tuple(Choice(id=str(n), label=f"{n} stars") for n in range(5, 0, -1)),
            default="5",
            required=True,
        ),
        _text("comment", "Comment", required=False, help="required below 4 stars"),
    ),
)
REJECT_SOLUTION = ActionSpec(
    id="reject-solution",
    label="Reject the solution",
    help="Send a solved request back to the agents, with the reason.",
    fields=(_text("comment", "Reason"),),
)
CANCEL = ActionSpec(
    id="cancel",
    label="Cancel the request",
    help="Cancel an active request, with an optional reason for the customer.",
    fields=(_text("reason", "Reason", required=False),),
)
REJECT = ActionSpec(id="reject", label="Reject the request", help="Reject an active request.")
REOPEN = ActionSpec(id="reopen", label="Reopen", help="Reopen a solved or finished request.")
WAIT_CUSTOMER = ActionSpec(
    id="wait-customer", label="Wait for the customer", help="Set waiting for the customer."
)
WAIT_AGENT = ActionSpec(
    id="wait-agent", label="Wait for an agent", help="Set waiting for an agent."
)
WAIT_DATE = ActionSpec(
    id="wait-until",
    label="Wait until a date",
    help="Set waiting until a date (noon UTC of that day).",
    fields=(ActionField(name="until", label="Until", kind=FieldKind.DATE, required=True),),
)
WAIT_ENTITY = ActionSpec(
    id="wait-external-entity",
    label="Wait for an external entity",
    help="Set waiting for an external entity already linked to the request.",
    fields=(
        ActionField(name="entity", label="Entity link id", kind=FieldKind.NUMBER, required=True),
    ),
)
WAIT_REQUEST = ActionSpec(
    id="wait-request",
    label="Wait for another request",
    help="Set waiting until another request is done.",
    fields=(ActionField(name="request", label="Request", kind=FieldKind.TEXT, required=True),),
)
LINK = ActionSpec(
    id="link",
    label="Link requests",
    help="Link the request to others (ids separated by spaces or commas).",
    fields=(ActionField(name="requests", label="Requests", kind=FieldKind.TEXT, required=True),),
)
LINKED = ActionSpec(
    id="linked", label="List linked requests", help="The requests linked to this one.",
    scope=Scope.ONE,
)  # fmt: skip
OBSERVE = ActionSpec(
    id="observe",
    label="Add an observer",
    help="Add an agent as an observer of the request.",
    fields=(
        ActionField(
            name="agent", label="Observer", kind=FieldKind.CHOICE, lookup="agents", required=True
        ),
    ),
)
ATTRIBUTES = ActionSpec(
    id="attributes",
    label="Change attributes",
    help="Description, category (id or name) or source (id or name) of the request.",
    fields=(
        _text("description", "Description", required=False),
        ActionField(name="category", label="Category", kind=FieldKind.TEXT),
        ActionField(name="source", label="Source", kind=FieldKind.TEXT),
    ),
)
CLEAR_FIELD = ActionSpec(
    id="clear-field",
    label="Clear a custom field",
    help="Remove a custom field's value (by its label or uid).",
    fields=(ActionField(name="field", label="Custom field", kind=FieldKind.TEXT, required=True),),
)
USERS = ActionSpec(
    id="users",
    label="List users",
    help="Agents and customers with their ids, optionally those matching a text.",
    scope=Scope.NONE,
    fields=(ActionField(name="matching", label="Matching", kind=FieldKind.TEXT),),
)
CATEGORIES = ActionSpec(
    id="categories",
    label="List categories",
    help="The request categories (a tree) with their ids.",
    scope=Scope.NONE,
)

SPECS: tuple[ActionSpec, ...] = (
    PROPOSE,
    ACCEPT,
    REJECT_SOLUTION,
    CANCEL,
    REJECT,
    REOPEN,
    WAIT_CUSTOMER,
    WAIT_AGENT,
    WAIT_DATE,
    WAIT_ENTITY,
    WAIT_REQUEST,
    LINK,
    LINKED,
    OBSERVE,
    ATTRIBUTES,
    CLEAR_FIELD,
    USERS,
    CATEGORIES,
)


def _str(values: Mapping[str, ActionValue], name: str) -> str:
    value = values.get(name)
    return value if isinstance(value, str) else ""


def _changed(ticket: Ticket, what: str) -> ActionOutcome:
    status = ticket.status.label if ticket.status else "?"
    return ActionOutcome(message=f"{what}; now {status}", ticket=ticket)


async def run(
    adapter: InvGateAdapter,
    spec: ActionSpec,
    ticket_id: str | None,
    values: Mapping[str, ActionValue],
) -> ActionOutcome:
    """Run ``spec`` (its values already checked against it)."""
    if spec.scope is Scope.NONE:
        if spec.id == USERS.id:
            return await _users(adapter, _str(values, "matching"))
        if spec.id == CATEGORIES.id:
            catalog = await adapter.catalog.get()
            lines = tuple(f"{c.id}  {catalog.category_label(c.id)}" for c in catalog.categories)
            return ActionOutcome(message=f"{len(lines)} categories", lines=lines)
    elif ticket_id is not None:
        return await _on_ticket(adapter, spec, ticket_id, values)
    raise Unsupported(adapter.name, f"the desk has no action {spec.id!r}")


async def _on_ticket(
    adapter: InvGateAdapter, spec: ActionSpec, ticket_id: str, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    if spec.id == PROPOSE.id:
        await adapter.propose_solution(ticket_id, _str(values, "solution"))
        return _changed(await adapter.ticket(ticket_id), "solution proposed")
    if spec.id == ACCEPT.id:
        rating = int(_str(values, "rating") or "5")
        ticket = await adapter.accept_solution(ticket_id, rating, _str(values, "comment"))
        return _changed(ticket, f"solution accepted ({rating} stars)")
    if spec.id == REJECT_SOLUTION.id:
        return _changed(
            await adapter.reject_solution(ticket_id, _str(values, "comment")), "solution rejected"
        )
    simple = {
        CANCEL.id: lambda: adapter.cancel(ticket_id, _str(values, "reason")),
        REJECT.id: lambda: adapter.reject(ticket_id),
        REOPEN.id: lambda: adapter.reopen(ticket_id),
        WAIT_CUSTOMER.id: lambda: adapter.wait_for_customer(ticket_id),
        WAIT_AGENT.id: lambda: adapter.wait_for_agent(ticket_id),
    }
    if spec.id in simple:
        return _changed(await simple[spec.id](), spec.label.lower())
    if spec.id == WAIT_DATE.id:
        day = date.fromisoformat(_str(values, "until"))
        return _changed(
            await adapter.wait_until(ticket_id, entry_time(day)), f"waiting until {day}"
        )
    if spec.id == WAIT_ENTITY.id:
        entity = values.get("entity")
        if not isinstance(entity, float) or not entity.is_integer() or entity <= 0:
            raise InvalidInput(adapter.name, "entity", "an entity link id is a positive number")
        ticket = await adapter.wait_for_external_entity(ticket_id, int(entity))
        return _changed(ticket, "waiting for the external entity")
    if spec.id == WAIT_REQUEST.id:
        other = _str(values, "request")
        ticket = await adapter.wait_for_request(ticket_id, other)
        return _changed(ticket, f"waiting for request {other}")
    if spec.id == LINK.id:
        others = [part for part in re.split(r"[\s,;]+", _str(values, "requests")) if part]
        linked = await adapter.link(ticket_id, others)
        return ActionOutcome(message=f"linked; {len(linked)} linked requests")
    if spec.id == LINKED.id:
        return await _linked(adapter, ticket_id)
    if spec.id == OBSERVE.id:
        observers = await adapter.add_observer(ticket_id, [_str(values, "agent")])
        return ActionOutcome(message=f"{len(observers)} observers")
    if spec.id == ATTRIBUTES.id:
        return await _attributes(adapter, ticket_id, values)
    if spec.id == CLEAR_FIELD.id:
        return await _clear(adapter, ticket_id, _str(values, "field"))
    raise Unsupported(adapter.name, f"the desk has no action {spec.id!r}")


async def _linked(adapter: InvGateAdapter, ticket_id: str) -> ActionOutcome:
    number = adapter.request_id(ticket_id)
    answer = await adapter.call("GET", "incident.link", {"request_id": number})
    rows = answer if isinstance(answer, list) else []
    lines = tuple(
        f"{row.get('id')}  {row.get('title', '')}" for row in rows if isinstance(row, dict)
    )
    return ActionOutcome(message=f"{len(lines)} linked requests", lines=lines)


async def _attributes(
    adapter: InvGateAdapter, ticket_id: str, values: Mapping[str, ActionValue]
) -> ActionOutcome:
    catalog = await adapter.catalog.get()
    attributes: dict[str, object] = {}
    if _str(values, "description").strip():
        attributes["description"] = _str(values, "description")
    for name, choices in (("category", catalog.categories), ("source", catalog.sources)):
        wanted = _str(values, name).strip()
        if not wanted:
            continue
        labels = {c.id: catalog.category_label(c.id) or c.name for c in choices}
        found = next(
            (
                c.id
                for c in choices
                if wanted.casefold() in (c.id, c.name.casefold(), (labels[c.id] or "").casefold())
            ),
            None,
        )
        if found is None:
            listed = ", ".join(f"{labels[c.id]} ({c.id})" for c in choices[:20])
            raise InvalidInput(adapter.name, name, f"no {name} {wanted!r}; choose one of: {listed}")
        attributes[f"{name}_id"] = found
    if not attributes:
        raise InvalidInput(adapter.name, "description", "give a description, category or source")
    ticket = await adapter.update_attributes(ticket_id, **attributes)
    return ActionOutcome(message=f"changed {', '.join(sorted(attributes))}", ticket=ticket)


async def _clear(adapter: InvGateAdapter, ticket_id: str, wanted: str) -> ActionOutcome:
    definitions = await adapter.field_definitions()
    folded = wanted.strip().casefold()
    key = next((d.uid for d in definitions.values() if folded in (d.uid, d.label.casefold())), None)
    if key is None:
        listed = ", ".join(f"{d.label} ({d.uid})" for d in definitions.values())
        raise InvalidInput(
            adapter.name, "field", f"no custom field {wanted!r}; the desk has: {listed}"
        )
    await adapter.clear_custom_field(ticket_id, key)
    return ActionOutcome(message=f"cleared {definitions[key].label}")


async def _users(adapter: InvGateAdapter, matching: str) -> ActionOutcome:
    folded = matching.strip().casefold()
    users = sorted(await adapter.list_users(), key=lambda u: (not u.agent, u.name))
    lines = tuple(
        f"{u.id}  {u.name}  {u.email or '-'}  {'agent' if u.agent else 'end user'}"
        + ("  (disabled)" if u.disabled else "")
        for u in users
        if not folded or folded in f"{u.name} {u.email} {u.username}".casefold()
    )
    return ActionOutcome(message=f"{len(lines)} users", lines=lines)
