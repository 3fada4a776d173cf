"""The one form for every desk action: renders any :class:`~adapters.actions.ActionSpec`.

A desk declares what it can do beyond the common actions (log time, upload a file, create
a ticket…) as data; this screen turns a spec into a dialog without knowing the desk or the
action. Each field gets the editor of its kind: one-line text, number, date, duration and
path in an input (with the kind's placeholder), multi-line text in a text area, yes/no in
a check box, a choice in a drop-down (a filtered pick list when the desk has many, as it
may have hundreds of agents), several choices in a list of check boxes. Required fields
are marked ``*`` and may not be left empty; the field's help is the line under it.

On submit every editor is read through the same parsers the command line uses
(:func:`adapters.actions.parse_text`) and the whole set through
:func:`adapters.actions.check_values`, so the form and ``triage action … --set`` accept
exactly the same values; each problem is shown under its field. A destructive action says
so above its fields; an action for one ticket refuses a selection of several.

Dismisses with ``{field name: typed value}`` for every field (defaults filled in), or
``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, TextArea
from textual.widgets.selection_list import Selection

from adapters.actions import (
    ActionField,
    ActionSpec,
    ActionValue,
    FieldKind,
    Scope,
    check_values,
    choices_for,
    format_duration,
    parse_text,
)
from adapters.base import InvalidInput
from adapters.model import Choice, Lookups, Ticket
from tui.screens.forms.base import FORM_ERROR, FormScreen, describe_targets, fid, field_error
from tui.screens.forms.picklist import PickItem, PickList

MAX_DROPDOWN = 12
"""More choices than this are offered in a pick list narrowed by typing."""

PLACEHOLDERS: dict[FieldKind, str] = {
    FieldKind.NUMBER: "a number",
    FieldKind.DATE: "YYYY-MM-DD",
    FieldKind.DURATION: "e.g. 1h30m, 90m, 1:30",
    FieldKind.PATH: "a file path, e.g. ~/report.pdf",
}
NONE_LABEL = "(none)"


def widget_name(field: ActionField) -> str:
    """The form name of ``field``: prefixed so that no field name can be the form's own
    (``form`` is the form-level error line)."""
    return f"act-{field.name}"


class ActionFormScreen(FormScreen[dict[str, ActionValue]]):
    """The form for ``spec`` on desk ``connection``.

    Args:
        spec: the action, as the desk declares it.
        connection: the desk's connection name (errors name it).
        lookups: that desk's lookups, for choice fields that draw from them.
        tickets: the targeted tickets, all of ``connection``; none for a
            :attr:`~adapters.actions.Scope.NONE` action.
        initial: starting values by field name (typed), over the spec's defaults.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Run", priority=True),
    ]
    SUBMIT_LABEL = "Run"

    def __init__(
        self,
        spec: ActionSpec,
        connection: str,
        lookups: Lookups,
        tickets: Sequence[Ticket] = (),
        *,
        initial: Mapping[str, ActionValue] | None = None,
    ) -> None:
        others = sorted({t.key.connection for t in tickets} - {connection})
        if others:
            raise ValueError(f"{spec.label} runs on {connection} only, not on {', '.join(others)}")
        if spec.scope is Scope.NONE:
            title = f"{spec.label} on {connection}"
        elif tickets:
            title = f"{spec.label}: {describe_targets(tickets)}"
        else:
            raise ValueError(f"{spec.label} needs at least one ticket")
        super().__init__(title)
        self.spec = spec
        self.connection = connection
        self.lookups = lookups
        self.tickets = list(tickets)
        self.initial = dict(initial or {})
        unknown = set(self.initial) - {field.name for field in spec.fields}
        if unknown:
            raise ValueError(f"{spec.label} has no field {', '.join(sorted(unknown))}")

    @property
    def can_submit(self) -> bool:
        return not self._scope_problem()

    def _scope_problem(self) -> str:
        if self.spec.scope is Scope.ONE and len(self.tickets) > 1:
            count = len(self.tickets)
            return f"{self.spec.label} works on one ticket at a time; {count} are marked."
        return ""

    def _start(self, field: ActionField) -> ActionValue:
        return self.initial.get(field.name, field.default)

    # -- composing ------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Label(self.spec.help, classes="form-hint", markup=False)
        problem = self._scope_problem()
        if problem:
            yield Label(problem, classes="notice -unsupported", markup=False)
            return
        if self.spec.destructive:
            yield Label(
                "Destructive: this cannot be undone.", classes="notice -destructive", markup=False
            )
        for field in self.spec.fields:
            name = widget_name(field)
            with Horizontal(classes="form-row"):
                mark = " *" if field.required else ""
                yield Label(f"{field.label}{mark}", classes="field-label", markup=False)
                with Vertical(classes="field-box"):
                    yield self._editor(field, name)
                    if field.help:
                        yield Label(field.help, classes="field-help", markup=False)
                    yield field_error(name)
        if not self.spec.fields:
            yield Label("Nothing to fill in: run it or cancel.", classes="form-hint")

    def _editor(self, field: ActionField, name: str) -> Widget:
        start = self._start(field)
        kind = field.kind
        if kind is FieldKind.BOOL:
            checked = start is True
            return Checkbox(_yes_no(checked), value=checked, id=fid(name), compact=True)
        if kind is FieldKind.MULTILINE:
            text = start if isinstance(start, str) else ""
            return TextArea(text, id=fid(name), soft_wrap=True, compact=True, classes="multi-line")
        if kind is FieldKind.CHOICE:
            return self._choice_editor(field, name, start)
        if kind is FieldKind.MULTICHOICE:
            chosen = set(start) if isinstance(start, tuple) else set()
            return SelectionList[str](
                *(
                    Selection(Content(choice.label), choice.id, choice.id in chosen)
                    for choice in choices_for(field, self.lookups)
                ),
                id=fid(name),
                compact=True,
            )
        return Input(
            _start_text(field, start),
            placeholder=PLACEHOLDERS.get(kind, ""),
            id=fid(name),
            compact=True,
        )

    def _choice_editor(self, field: ActionField, name: str, start: ActionValue) -> Widget:
        choices = choices_for(field, self.lookups)
        current = start if isinstance(start, str) else None
        if len(choices) > MAX_DROPDOWN:
            items = [] if field.required else [PickItem(None, NONE_LABEL)]
            items += [PickItem(choice.id, choice.label, choice.detail or "") for choice in choices]
            if not items:
                return Label("The desk lists no choices.", id=fid(name), classes="read-only")
            return PickList(field.label, items, value=current, id=fid(name))
        known = {choice.id for choice in choices}
        return Select(
            [(Text(_choice_label(choice)), choice.id) for choice in choices],
            prompt=NONE_LABEL,
            allow_blank=True,
            value=current if current in known else Select.NULL,
            id=fid(name),
            compact=True,
        )

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        # The words say the state, so it never depends on colour alone.
        event.checkbox.label = _yes_no(event.value)

    # -- reading --------------------------------------------------------------------------

    def build_result(self, errors: dict[str, str]) -> dict[str, ActionValue] | None:
        values: dict[str, ActionValue] = {}
        for field in self.spec.fields:
            name = widget_name(field)
            try:
                value = self._read(field, name)
            except ValueError as exc:
                errors[name] = str(exc)
                continue
            if field.required and value is None and field.default is None:
                errors[name] = _required(field)
            values[field.name] = value
        if errors:
            return None
        try:
            return check_values(self.connection, self.spec, values, self.lookups)
        except InvalidInput as exc:
            names = {field.name: widget_name(field) for field in self.spec.fields}
            errors[names.get(exc.field, FORM_ERROR)] = exc.reason
            return None

    def _read(self, field: ActionField, name: str) -> ActionValue:
        """The typed value of one editor; ``ValueError`` with the reason when invalid."""
        selector = f"#{fid(name)}"
        kind = field.kind
        if kind is FieldKind.BOOL:
            return self.query_one(selector, Checkbox).value
        if kind is FieldKind.MULTILINE:
            return parse_text(field, self.query_one(selector, TextArea).text)
        if kind is FieldKind.CHOICE:
            editor = self.query_one(selector, Widget)
            if isinstance(editor, PickList):
                return editor.value
            if isinstance(editor, Select):
                picked = editor.value
                return picked if isinstance(picked, str) else None
            return None
        if kind is FieldKind.MULTICHOICE:
            picked_ids = set(self.query_one(selector, SelectionList).selected)
            order = [c.id for c in choices_for(field, self.lookups) if c.id in picked_ids]
            return tuple(order) or None
        return parse_text(field, self.query_one(selector, Input).value)


def _start_text(field: ActionField, start: ActionValue) -> str:
    if start is None or isinstance(start, bool | tuple):
        return ""
    if field.kind is FieldKind.DURATION and isinstance(start, int):
        return format_duration(start)
    if isinstance(start, float):
        return str(int(start)) if start.is_integer() else repr(start)
    return str(start)


def _choice_label(choice: Choice) -> str:
    return f"{choice.label} ({choice.detail})" if choice.detail else choice.label


def _required(field: ActionField) -> str:
    if field.kind is FieldKind.MULTICHOICE:
        return "Required: pick at least one."
    if field.kind is FieldKind.CHOICE:
        return "Required: pick one."
    return "Required: this field cannot be empty."


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
