"""Kapture's own desk actions: the Update Ticket API (seed 004) as the agent reaches it
from the TUI's ``A`` and ``triage action``, beyond what the common verbs already cover.

Close, reopen (sub-status), assign (queue), note (comment) and custom fields go through the
common verbs. What is left of the seed's one command is declared here, so that every one
of its fields is reachable without knowing the wire:

==================  ======  ==========================================================
action              scope   sends
==================  ======  ==========================================================
``update-ticket``   many    one Update with any of sub-status, queue, comment, callback
                            time and disposition (the seed command whole)
``callback``        many    ``callback_time`` from a date and a time, with a comment
``disposition``     many    ``disposition`` (a path ``A|B|C``), with a comment
``dispositions``    none    lists the dispositions the connection knows (no lookup API)
==================  ======  ==========================================================

Choices come from the desk's lookups (sub-statuses, queues) and from the connection's
disposition catalogue (:meth:`~adapters.kapture.wire.labels.Labels.disposition_choices`:
the ``dispositions`` table and paths learned from tickets); with none known the
disposition is typed as a path. Kapture has none of the optional operations (time
entries, attachments, upload, delete, search): :data:`REFUSED` gives the capability
reasons the UI shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from adapters.actions import ActionField, ActionOutcome, ActionSpec, ActionValue, FieldKind, Scope
from adapters.base import Capability, InvalidInput
from adapters.kapture.wire.labels import Labels
from adapters.model import Choice

TYPE_CHECKING = False
if TYPE_CHECKING:
    from adapters.kapture.adapter import KaptureAdapter

REFUSED: dict[str, Capability] = {
    "time_entries": Capability.no("Kapture's ticket APIs keep no time entries"),
    "attachments": Capability.no(
        "Kapture's ticket APIs cannot fetch a file: the conversation shows its links"
    ),
    "upload": Capability.no("Kapture's ticket APIs take no files"),
    "delete": Capability.no("Kapture's ticket APIs cannot delete a ticket"),
    "search": Capability.no(
        "Kapture's ticket APIs have no search: filter the list (pulled day by day) instead"
    ),
}
"""The optional operations Kapture lacks, each with the reason shown instead."""

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")

COMMENT = ActionField(
    name="comment",
    label="Comment",
    kind=FieldKind.MULTILINE,
    help="sent with it as a note (Kapture has no public/private choice)",
)
CALLBACK = ActionSpec(
    id="callback",
    label="Schedule a callback",
    help="Set the callback time of each ticket (the desk's clock), with an optional comment.",
    fields=(
        ActionField(name="day", label="Callback date", kind=FieldKind.DATE, required=True),
        ActionField(
            name="at",
            label="Callback time",
            kind=FieldKind.TEXT,
            required=True,
            help="HH:MM, 24-hour, on the desk's clock",
        ),
        COMMENT,
    ),
)
DISPOSITIONS = ActionSpec(
    id="dispositions",
    label="List dispositions",
    help="The dispositions this connection knows, path and label (Kapture has no lookup API).",
    scope=Scope.NONE,
)


def _disposition_field(choices: tuple[Choice, ...], *, required: bool) -> ActionField:
    if choices:
        return ActionField(
            name="disposition",
            label="Disposition",
            kind=FieldKind.CHOICE,
            required=required,
            choices=choices,
        )
    return ActionField(
        name="disposition",
        label="Disposition",
        kind=FieldKind.TEXT,
        required=required,
        help="its path, e.g. Support|Query|Refunds",
    )


def desk_actions(labels: Labels) -> tuple[ActionSpec, ...]:
    """Kapture's actions, with the dispositions the connection knows now."""
    choices = labels.disposition_choices()
    update = ActionSpec(
        id="update-ticket",
        label="Update ticket (Kapture)",
        help="One Update: any of sub-status, queue, comment, callback time and disposition.",
        fields=(
            ActionField(
                name="sub_status",
                label="Sub-status",
                kind=FieldKind.CHOICE,
                lookup="statuses",
                help="default: the ticket's current one",
            ),
            ActionField(name="queue", label="Queue", kind=FieldKind.CHOICE, lookup="groups"),
            COMMENT,
            ActionField(
                name="callback",
                label="Callback at",
                kind=FieldKind.TEXT,
                help="YYYY-MM-DD HH:MM on the desk's clock",
            ),
            _disposition_field(choices, required=False),
        ),
    )
    disposition = ActionSpec(
        id="disposition",
        label="Set the disposition",
        help="Record how each ticket was disposed, with an optional comment.",
        fields=(_disposition_field(choices, required=True), COMMENT),
    )
    return (update, CALLBACK, disposition, DISPOSITIONS)


def _text(values: Mapping[str, ActionValue], name: str) -> str:
    value = values.get(name)
    return value.strip() if isinstance(value, str) else ""


def _comment(values: Mapping[str, ActionValue]) -> str:
    value = values.get("comment")
    return value if isinstance(value, str) and value.strip() else ""


async def run_desk_action(
    adapter: KaptureAdapter,
    spec: ActionSpec,
    ticket_id: str | None,
    values: Mapping[str, ActionValue],
) -> ActionOutcome | None:
    """Run one of :func:`desk_actions` (values checked); ``None`` if ``spec`` is not one."""
    if spec.id == DISPOSITIONS.id:
        return _dispositions(adapter.labels.disposition_choices())
    if ticket_id is None:
        return None
    if spec.id == "update-ticket":
        callback = _text(values, "callback")
        return await adapter.update_ticket(
            ticket_id,
            sub_status=_text(values, "sub_status"),
            queue=_text(values, "queue"),
            comment=_comment(values),
            callback=adapter.callback_time(callback, "callback") if callback else "",
            disposition=_text(values, "disposition"),
        )
    if spec.id == CALLBACK.id:
        at = _text(values, "at")
        if not _CLOCK.fullmatch(at):
            raise InvalidInput(adapter.name, "at", f"{at!r} is not a time like 15:30")
        hours, minutes = at.split(":")
        when = f"{_text(values, 'day')} {int(hours):02d}:{minutes}"
        return await adapter.update_ticket(
            ticket_id, comment=_comment(values), callback=adapter.callback_time(when, "at")
        )
    if spec.id == "disposition":
        return await adapter.update_ticket(
            ticket_id, comment=_comment(values), disposition=_text(values, "disposition")
        )
    return None


def _dispositions(choices: Sequence[Choice]) -> ActionOutcome:
    count = len(choices)
    return ActionOutcome(
        message=f"{count} disposition{'s' * (count != 1)}",
        lines=tuple(f"{choice.id}  {choice.label}" for choice in choices),
    )
