"""The custom-field editor: one typed editor per field, grouped as the desk groups them.

Text is an input (a text area when the value already spans lines: a one-line input would
write its line breaks to the terminal, and flatten them on save); a number an input that
must parse as a finite number; a date an input that must be a real ``YYYY-MM-DD`` date; a
select a drop-down of its options; a multi-select a list of check boxes; a checkbox a
checkbox. Fields the desk marks as not editable, and every field when the desk cannot set
custom fields, are shown read-only. Required fields may not be emptied. Errors appear
under their field.

Dismisses with ``{CustomField.key: new value}`` holding only the fields that changed
(numbers as ``float``, dates as ISO strings, an emptied number or date as ``None``), or
``None`` when cancelled.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.validation import Function, Number
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, TextArea
from textual.widgets.selection_list import Selection

from adapters.base import Capabilities
from adapters.model import CustomField, CustomFieldValue, FieldType, Ticket
from tui.screens.forms.base import (
    FORM_ERROR,
    FormScreen,
    capability_notice,
    describe_targets,
    fid,
    field_error,
)
from tui.widgets.checks import ShapeCheckbox, ShapeSelectionList

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UNGROUPED = "Other"


def parse_date(text: str) -> date | None:
    """The date in a strict ``YYYY-MM-DD`` string, or ``None``."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """A finite number, or ``None``."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def show_value(field: CustomField) -> str:
    """The field's value as text, for inputs and read-only display."""
    value = field.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ", ".join(value)
    return value


class CustomFieldsScreen(FormScreen[dict[str, CustomFieldValue]]):
    """Edit ``ticket``'s custom ``fields``.

    Args:
        ticket: the ticket the fields belong to (named in the title).
        fields: its custom fields, as ``get_ticket`` returned them.
        capabilities: its desk's capabilities (``custom_fields``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", priority=True),
    ]
    SUBMIT_LABEL = "Save"

    def __init__(
        self, ticket: Ticket, fields: Sequence[CustomField], capabilities: Capabilities
    ) -> None:
        super().__init__(f"Custom fields of {describe_targets([ticket])}")
        self.ticket = ticket
        self.fields = list(fields)
        self.capabilities = capabilities
        # Desk keys are arbitrary text; widget ids must be identifiers, so index them.
        self._ids = {field.key: f"cf{index}" for index, field in enumerate(self.fields)}

    def _editable(self, field: CustomField) -> bool:
        return field.editable and self.capabilities.custom_fields.supported

    @property
    def can_submit(self) -> bool:
        return any(self._editable(field) for field in self.fields)

    def compose_body(self) -> ComposeResult:
        notice = capability_notice("set custom fields", self.capabilities.custom_fields)
        if notice is not None:
            yield notice
        if not self.fields:
            yield Label("This ticket has no custom fields.", classes="form-hint")
            return
        groups: dict[str, list[CustomField]] = {}
        for field in self.fields:
            groups.setdefault(field.group or UNGROUPED, []).append(field)
        for group, fields in groups.items():
            yield Label(group, classes="group-heading", markup=False)
            for field in fields:
                name = self._ids[field.key]
                with Horizontal(classes="form-row"):
                    required = " *" if field.required and self._editable(field) else ""
                    yield Label(f"{field.label}{required}", classes="field-label", markup=False)
                    with Vertical(classes="field-box"):
                        yield self._editor(field, name)
                        yield field_error(name)

    def _editor(self, field: CustomField, name: str) -> Widget:
        if not self._editable(field):
            return Label(show_value(field) or "-", id=fid(name), classes="read-only", markup=False)
        if field.type is FieldType.NUMBER:
            return Input(
                show_value(field),
                id=fid(name),
                compact=True,
                validators=[Number(failure_description="Enter a number.")],
            )
        if field.type is FieldType.DATE:
            return Input(
                show_value(field),
                placeholder="YYYY-MM-DD",
                id=fid(name),
                compact=True,
                validators=[
                    Function(
                        lambda text: parse_date(text) is not None,
                        "Enter a date as YYYY-MM-DD.",
                    )
                ],
            )
        if field.type is FieldType.SELECT:
            labels = [option.label for option in field.options]
            current = field.value if isinstance(field.value, str) else None
            return Select(
                [(Text(label), label) for label in labels],
                prompt="(none)",
                allow_blank=True,
                value=current if current in labels else Select.NULL,
                id=fid(name),
                compact=True,
            )
        if field.type is FieldType.MULTI_SELECT:
            chosen = set(field.value) if isinstance(field.value, list) else set()
            return ShapeSelectionList(
                *(
                    Selection(Content(option.label), option.label, option.label in chosen)
                    for option in field.options
                ),
                id=fid(name),
                compact=True,
            )
        if field.type is FieldType.CHECKBOX:
            checked = field.value is True
            return ShapeCheckbox(_yes_no(checked), value=checked, id=fid(name), compact=True)
        text = show_value(field)
        if "\n" in text:
            return TextArea(text, id=fid(name), soft_wrap=True, compact=True, classes="multi-line")
        return Input(text, id=fid(name), compact=True)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        # The words say the state, so it never depends on colour alone.
        event.checkbox.label = _yes_no(event.value)

    def build_result(self, errors: dict[str, str]) -> dict[str, CustomFieldValue] | None:
        changed: dict[str, CustomFieldValue] = {}
        for field in self.fields:
            if not self._editable(field):
                continue
            name = self._ids[field.key]
            problem, value = self._read(field, name)
            if problem:
                errors[name] = problem
            elif not _same(field, value):
                changed[field.key] = value
        if errors:
            return None
        if not changed:
            errors[FORM_ERROR] = "Nothing changed."
            return None
        return changed

    def _read(self, field: CustomField, name: str) -> tuple[str, CustomFieldValue]:
        """``(error, value)`` of one editor; the error is ``""`` when the value is valid."""
        empty_required = "Required: this field cannot be empty."
        if field.type is FieldType.CHECKBOX:
            return "", self.query_one(f"#{fid(name)}", Checkbox).value
        if field.type is FieldType.MULTI_SELECT:
            picked = set(self.query_one(f"#{fid(name)}", SelectionList).selected)
            values = [option.label for option in field.options if option.label in picked]
            if field.required and not values:
                return "Required: pick at least one.", values
            return "", values
        if field.type is FieldType.SELECT:
            selected = self.query_one(f"#{fid(name)}", Select).value
            value = selected if isinstance(selected, str) else None
            if field.required and value is None:
                return "Required: pick one.", None
            return "", value
        editor = self.query_one(f"#{fid(name)}", Widget)
        if isinstance(editor, TextArea):
            text = editor.text.strip()
        else:
            text = self.query_one(f"#{fid(name)}", Input).value.strip()
        if not text:
            if field.required:
                return empty_required, None
            return "", "" if field.type is FieldType.TEXT else None
        if field.type is FieldType.NUMBER:
            number = parse_number(text)
            return ("", number) if number is not None else ("Enter a number.", None)
        if field.type is FieldType.DATE:
            day = parse_date(text)
            if day is None:
                return "Enter a real date as YYYY-MM-DD.", None
            return "", day.isoformat()
        return "", text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _same(field: CustomField, value: CustomFieldValue) -> bool:
    """Whether ``value`` is what the field already holds (empty and unset are the same)."""
    old = field.value
    if field.type is FieldType.CHECKBOX:
        return bool(old) == bool(value)
    if field.type is FieldType.MULTI_SELECT:
        return sorted(old if isinstance(old, list) else []) == sorted(
            value if isinstance(value, list) else []
        )
    if field.type is FieldType.NUMBER and isinstance(old, int | float) and value is not None:
        return float(old) == value
    if old in (None, "") and value in (None, ""):
        return True
    if isinstance(old, str) and isinstance(value, str):
        return old.strip() == value.strip()
    return old == value
