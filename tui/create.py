"""Creating a ticket through the outbox, for the TUI's create form and ``triage create``.

A new ticket is typed text like a reply, so it is kept like one: the draft is in the outbox
(on disk) before anything is sent, stays there with the reason when the desk refuses it or
cannot be reached, and leaves it once the desk has the ticket. Custom fields are set right
after, on the fields the new ticket turns out to have (a desk may attach fields to some
groups only); values for fields it does not have are reported, never silently dropped, and
so are required fields the new ticket still has empty.

The form is a desk action like any other (:func:`create_spec`): the ticket's own values,
the desk's lookups and its new-ticket custom fields (:func:`field_spec`), rendered by the
generic form and resolved by the same rules as ``triage create``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adapters.actions import (
    ActionField,
    ActionSpec,
    ActionValue,
    FieldKind,
    Scope,
    choices_for,
)
from adapters.base import Adapter, DeskError
from adapters.model import (
    CustomField,
    CustomFieldValue,
    FieldType,
    Lookups,
    NewTicket,
    TicketDetail,
    TicketKey,
)
from tui.outbox import Outbox
from tui.store import describe_error


@dataclass(frozen=True)
class Created:
    """What sending one new ticket came to.

    ``detail`` is the ticket when the desk created it (``ok`` may still be false when its
    custom fields failed); ``entry_id`` names the draft the outbox keeps when it was not.
    """

    connection: str
    ok: bool
    message: str
    detail: TicketDetail | None = None
    entry_id: str | None = None

    @property
    def key(self) -> TicketKey | None:
        return self.detail.ticket.key if self.detail is not None else None


async def send_new_ticket(
    adapter: Adapter,
    new: NewTicket,
    custom_fields: Mapping[str, CustomFieldValue],
    outbox: Outbox,
    *,
    entry_id: str | None = None,
) -> Created:
    """Store ``new`` in the outbox (or resend draft ``entry_id``), create it, set its
    custom fields. Never raises a desk's error: the outcome says what happened."""
    if entry_id is None:
        entry_id = outbox.add_new_ticket(adapter.name, new, custom_fields).id
    outbox.mark_sending(entry_id)
    try:
        detail = await adapter.create_ticket(new)
    except Exception as exc:
        # Typed desk errors and bugs alike: the draft stays, with the reason.
        reason = describe_error(exc)
        outbox.mark_failed(entry_id, reason)
        return Created(
            adapter.name, False, f"not created: {reason} (the draft is kept)", entry_id=entry_id
        )
    outbox.confirm(entry_id)
    created = f"created {detail.ticket.display_id or detail.ticket.key.native_id}"
    if not custom_fields:
        return Created(adapter.name, True, _with_empty(created, detail), detail)
    present = {field.key: field.label for field in detail.custom_fields}
    wanted = {key: value for key, value in custom_fields.items() if key in present}
    missing = [key for key in custom_fields if key not in present]
    notes: list[str] = []
    ok = True
    if wanted:
        try:
            fields = await adapter.set_custom_fields(detail.ticket.key.native_id, wanted)
        except DeskError as exc:
            ok = False
            notes.append(f"custom fields not set: {describe_error(exc)}")
        else:
            detail = detail.model_copy(update={"custom_fields": fields})
    if missing:
        ok = False
        notes.append(f"this ticket has no field {', '.join(missing)}; not set")
    message = "; ".join([created, *notes])
    return Created(adapter.name, ok, _with_empty(message, detail), detail)


def _with_empty(message: str, detail: TicketDetail) -> str:
    """``message``, naming the required fields the new ticket still has empty (a desk may
    not say before creation which fields a ticket of that group must have)."""
    empty = [
        field.label
        for field in detail.custom_fields
        if field.required and field.editable and field.value in (None, "", [])
    ]
    if not empty:
        return message
    return f"{message}; required fields still empty: {', '.join(empty)}"


# --------------------------------------------------------------------------------------
# The create form, and custom fields as action fields
# --------------------------------------------------------------------------------------

TICKET_FIELDS = (
    ActionField(name="subject", label="Subject", kind=FieldKind.TEXT, required=True),
    ActionField(name="body", label="Message", kind=FieldKind.MULTILINE, required=True),
    ActionField(name="requester_name", label="Requester", kind=FieldKind.TEXT, required=True),
    ActionField(name="requester_email", label="Email", kind=FieldKind.TEXT, required=True),
    ActionField(
        name="group_id", label="Group", kind=FieldKind.CHOICE, lookup="groups", required=True
    ),
    ActionField(name="status_id", label="Status", kind=FieldKind.CHOICE, lookup="statuses"),
    ActionField(name="priority_id", label="Priority", kind=FieldKind.CHOICE, lookup="priorities"),
    ActionField(name="type_id", label="Type", kind=FieldKind.CHOICE, lookup="types"),
    ActionField(name="assignee_id", label="Owner", kind=FieldKind.CHOICE, lookup="agents"),
)
_KINDS = {
    FieldType.TEXT: FieldKind.MULTILINE,
    FieldType.NUMBER: FieldKind.NUMBER,
    FieldType.DATE: FieldKind.DATE,
    FieldType.SELECT: FieldKind.CHOICE,
    FieldType.MULTI_SELECT: FieldKind.MULTICHOICE,
    FieldType.CHECKBOX: FieldKind.BOOL,
}


def custom_action_fields(
    fields: Sequence[CustomField], *, taken: Sequence[str] = ()
) -> tuple[tuple[ActionField, ...], dict[str, CustomField]]:
    """Editable custom fields as action fields named ``cf0``, ``cf1``… (desk keys are
    arbitrary text), labels made unique against each other and ``taken``."""
    specs: list[ActionField] = []
    by_name: dict[str, CustomField] = {}
    seen = {label.casefold() for label in taken}
    for index, custom in enumerate(fields):
        if not custom.editable:
            continue
        label = custom.label
        if label.casefold() in seen:
            label = f"{label} ({custom.group or 'custom'} #{index})"
        seen.add(label.casefold())
        kind = _KINDS[custom.type]
        if kind.has_choices and not custom.options:
            kind = FieldKind.TEXT
        name = f"cf{index}"
        by_name[name] = custom
        specs.append(
            ActionField(
                name=name,
                label=label,
                kind=kind,
                required=custom.required,
                choices=custom.options if kind.has_choices else (),
            )
        )
    return tuple(specs), by_name


def field_spec(fields: Sequence[CustomField]) -> tuple[ActionSpec, dict[str, CustomField]]:
    """A ticket's custom fields as an action spec (``triage fields --set``)."""
    specs, by_name = custom_action_fields(fields)
    spec = ActionSpec(id="fields", label="Custom fields", help="Set custom fields.", fields=specs)
    return spec, by_name


def to_custom_values(
    spec: ActionSpec, by_name: Mapping[str, CustomField], values: Mapping[str, ActionValue]
) -> dict[str, CustomFieldValue]:
    """Typed action values of custom fields as ``set_custom_fields`` takes them: by
    ``CustomField.key``, option labels for choices, numbers as floats; unset ones left out."""
    result: dict[str, CustomFieldValue] = {}
    for name, value in values.items():
        custom = by_name.get(name)
        if custom is None or value is None:
            continue
        field = spec.field(name)
        labels = {choice.id: choice.label for choice in choices_for(field, Lookups())}
        typed: CustomFieldValue
        if isinstance(value, tuple):
            typed = [labels[item] for item in value]
        elif field.kind is FieldKind.CHOICE and isinstance(value, str):
            typed = labels[value]
        elif isinstance(value, int) and not isinstance(value, bool):
            typed = float(value)
        else:
            typed = value
        result[custom.key] = typed
    return result


def create_spec(fields: Sequence[CustomField]) -> tuple[ActionSpec, dict[str, CustomField]]:
    """The create form: the ticket's values, then the desk's new-ticket custom fields."""
    custom, by_name = custom_action_fields(fields, taken=[f.label for f in TICKET_FIELDS])
    spec = ActionSpec(
        id="create",
        label="New ticket",
        help="Open a ticket on this desk; it is kept in the outbox until the desk has it.",
        scope=Scope.NONE,
        fields=(*TICKET_FIELDS, *custom),
    )
    return spec, by_name


def new_ticket_from(
    spec: ActionSpec, by_name: Mapping[str, CustomField], values: Mapping[str, ActionValue]
) -> tuple[NewTicket, dict[str, CustomFieldValue]]:
    """The create form's answer as the ticket to send and its custom field values."""
    text = {
        field.name: value
        for field in TICKET_FIELDS
        if isinstance(value := values.get(field.name), str)
    }
    new = NewTicket(
        subject=text.get("subject", ""),
        body=text.get("body", ""),
        requester_name=text.get("requester_name", ""),
        requester_email=text.get("requester_email", ""),
        group_id=text.get("group_id", ""),
        status_id=text.get("status_id"),
        priority_id=text.get("priority_id"),
        type_id=text.get("type_id"),
        assignee_id=text.get("assignee_id"),
    )
    custom = to_custom_values(spec, by_name, {k: v for k, v in values.items() if k in by_name})
    return new, custom


def draft_values(new: NewTicket) -> dict[str, ActionValue]:
    """A kept draft's values, to fill the create form again."""
    values: dict[str, ActionValue] = {
        "subject": new.subject,
        "body": new.body,
        "requester_name": new.requester_name,
        "requester_email": new.requester_email,
        "group_id": new.group_id,
    }
    for name in ("status_id", "priority_id", "type_id", "assignee_id"):
        if (value := getattr(new, name)) is not None:
            values[name] = value
    return values
