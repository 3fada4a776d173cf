"""The Update form: status, priority, type, subject and group of the targeted tickets.

One desk at a time, by design: a status, priority, type or group id only means something on
its own desk (Kayako's "Open" and HaloPSA's "Open" are different ids with different rules),
and a cross-desk form could offer only the normalised categories, which do not say which of
a desk's several "open" statuses to set. So the tickets must all belong to one connection;
for a selection spanning desks the caller asks once per desk (``step=(n, of)`` puts
"desk n of of" in the title) and runs one bulk action with each desk's :class:`Change`.

The pickers are filled from the desk's :class:`Lookups`; fields the desk cannot set
(``Capabilities.update_fields``) are listed as such instead of offered. With one ticket
the pickers start at its current values and the subject can be edited; with several they
start at "leave as is" and the subject is not offered (one subject for many tickets would
destroy theirs). A status limited to one group (``Choice.scope``) is refused, beside the
status, for tickets that would not be in that group.

Dismisses with the :class:`Change` (only what differs), or ``None`` when cancelled.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from adapters.model import Change, Choice, Ticket
from tui.screens.forms.base import (
    FORM_ERROR,
    DeskForm,
    capability_notice,
    fid,
    field_error,
)

# Form field -> (Change field, Lookups attribute, label)
PICKERS: tuple[tuple[str, str, str, str], ...] = (
    ("status", "status_id", "statuses", "Status"),
    ("priority", "priority_id", "priorities", "Priority"),
    ("type", "type_id", "types", "Type"),
    ("group", "group_id", "groups", "Group"),
)
LEAVE = "(leave as is)"
MAX_SUBJECT = 255


class UpdateScreen(DeskForm[Change]):
    """Update ``tickets`` (all on one desk), with pickers from the desk's lookups and only
    the fields its capabilities (``update`` and ``update_fields``) allow."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Update", priority=True),
    ]
    SUBMIT_LABEL = "Update"

    @property
    def single(self) -> Ticket | None:
        return self.tickets[0] if len(self.tickets) == 1 else None

    @property
    def can_submit(self) -> bool:
        return self.capabilities.update.supported and bool(self._editable())

    def _editable(self) -> list[str]:
        """The form fields this desk lets us set, in form order."""
        fields = self.capabilities.update_fields
        names = ["subject"] if self.single is not None and "subject" in fields else []
        names += [name for name, change_field, _, _ in PICKERS if change_field in fields]
        return names

    def compose_body(self) -> ComposeResult:
        notice = capability_notice("update", self.capabilities.update)
        if notice is not None:
            yield notice
        if not self.capabilities.update.supported:
            return
        editable = self._editable()
        ticket = self.single
        if ticket is not None and "subject" in editable:
            with Horizontal(classes="form-row"):
                yield Label("Subject", classes="field-label")
                with Vertical(classes="field-box"):
                    yield Input(ticket.subject, id=fid("subject"), compact=True)
                    yield field_error("subject")
        cannot: list[str] = []
        for name, _, lookup, label in PICKERS:
            if name not in editable:
                cannot.append(label.lower())
                continue
            with Horizontal(classes="form-row"):
                yield Label(label, classes="field-label")
                with Vertical(classes="field-box"):
                    yield self._picker(name, lookup)
                    yield field_error(name)
        if cannot:
            yield Label(
                f"This desk does not let the app change the {', '.join(cannot)}.",
                classes="form-hint",
                markup=False,
            )

    def _picker(self, name: str, lookup: str) -> Select[str]:
        choices: tuple[Choice, ...] = getattr(self.lookups, lookup)
        options = [(Text(self._choice_label(choice)), choice.id) for choice in choices]
        current = self._current_id(name)
        known = {choice.id for choice in choices}
        return Select(
            options,
            prompt=LEAVE,
            allow_blank=True,
            value=current if current in known else Select.NULL,
            id=fid(name),
            compact=True,
        )

    def _choice_label(self, choice: Choice) -> str:
        if choice.scope is None:
            return choice.label
        group = self.lookups.find("groups", choice.scope)
        return f"{choice.label} (only in {group.label if group else choice.scope})"

    def _current_id(self, name: str) -> str | None:
        ticket = self.single
        if ticket is None:
            return None
        current: Choice | None = getattr(ticket, name)
        return current.id if current is not None else None

    def _picked(self, name: str) -> str | None:
        if name not in self._editable():
            return None
        value = self.query_one(f"#{fid(name)}", Select).value
        return value if isinstance(value, str) else None

    def build_result(self, errors: dict[str, str]) -> Change | None:
        values: dict[str, str] = {}
        if "subject" in self._editable():
            subject = " ".join(self.query_one(f"#{fid('subject')}", Input).value.split())
            ticket = self.single
            if not subject:
                errors["subject"] = "The subject cannot be empty."
            elif len(subject) > MAX_SUBJECT:
                errors["subject"] = f"At most {MAX_SUBJECT} characters ({len(subject)} now)."
            elif ticket is not None and subject != " ".join(ticket.subject.split()):
                values["subject"] = subject
        for name, change_field, _, _ in PICKERS:
            picked = self._picked(name)
            if picked is not None and picked != self._current_id(name):
                values[change_field] = picked
        status_id = self._picked("status")
        if status_id is not None:
            problem = self._scope_problem(status_id, self._picked("group"))
            if problem:
                errors["status"] = problem
        if errors:
            return None
        change = Change(**values)
        if change.is_empty():
            errors[FORM_ERROR] = "Nothing to change: every field is as it was."
            return None
        return change

    def _scope_problem(self, status_id: str, group_id: str | None) -> str:
        """Why the status cannot be set on some ticket (``""`` when it can)."""
        status = self.lookups.find("statuses", status_id)
        if status is None or status.scope is None:
            return ""
        outside = [
            ticket
            for ticket in self.tickets
            if (group_id or (ticket.group.id if ticket.group else None)) != status.scope
        ]
        if not outside:
            return ""
        group = self.lookups.find("groups", status.scope)
        where = group.label if group is not None else status.scope
        if len(self.tickets) == 1:
            count = "the ticket is"
        else:
            count = f"{len(outside)} ticket{'s are' if len(outside) != 1 else ' is'}"
        return f"{status.label} exists only in {where}; {count} not there (set the group)."
