"""Custom fields: definitions (``cf.fields.all`` with ``cf.fields.types``), option lists
and trees, a request's values, and what ``incident.custom_field`` is sent to set one.

A request's ``custom_fields`` is ``{"<uid>": value}`` (``[]`` when empty); list and tree
values come as ``{"<key or hash>": "<label>"}``, checkboxes as booleans (``"1"``/``"0"``
on old instances), dates as ``YYYY-MM-DD``. Field types are read by their names, since
type IDs are the instance's: list-like names are selects (tree options flattened to
``Parent › Child``), checkbox, date and number names are those, anything else is text.
A field shows on a request when it applies to the request's category or has a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.errors import InvalidInput
from adapters.invgate.wire import values
from adapters.model import Choice, CustomField, CustomFieldValue, FieldType

GROUP = "Custom fields"


def field_type(type_name: str) -> FieldType:
    name = type_name.lower()
    if "check" in name or "boolean" in name:
        return FieldType.CHECKBOX
    if "date" in name:
        return FieldType.DATE
    if any(word in name for word in ("number", "numeric", "integer", "decimal")):
        return FieldType.NUMBER
    if "multiple" in name:
        return FieldType.MULTI_SELECT
    if any(word in name for word in ("list", "tree", "select", "option", "combo")):
        return FieldType.SELECT
    return FieldType.TEXT


@dataclass(frozen=True)
class Definition:
    uid: str
    label: str
    type: FieldType
    type_name: str
    required: bool
    options: tuple[Choice, ...] = ()

    @property
    def is_tree(self) -> bool:
        return "tree" in self.type_name.lower()


def read_definition(row: Mapping[str, Any], type_names: Mapping[str, str]) -> Definition:
    type_id = values.ident(row.get("type")) or ""
    type_name = type_names.get(type_id, values.text(row.get("type")))
    return Definition(
        uid=values.required_ident(row.get("uid"), "custom field uid"),
        label=values.text(row.get("label")).strip() or f"Field {row.get('uid')}",
        type=field_type(type_name),
        type_name=type_name,
        required=values.flag(row.get("is_required")),
    )


def list_options(answer: Any) -> tuple[Choice, ...]:
    """``cf.field.options.list``: a key-value object, bare or under ``key-value``."""
    if isinstance(answer, dict) and "key-value" in answer:
        answer = answer["key-value"]
    if isinstance(answer, list) and not answer:
        return ()
    if not isinstance(answer, dict):
        raise values.BadValue("options are not a key-value object")
    return tuple(Choice(id=str(key), label=values.text(label)) for key, label in answer.items())


def tree_options(answer: Any, prefix: str = "") -> tuple[Choice, ...]:
    """``cf.field.options.tree``: every node, labelled with its path; ``id`` is its hash."""
    choices: list[Choice] = []
    for node in values.rows(answer, "tree options"):
        name = values.text(node.get("name")).strip()
        label = f"{prefix} › {name}" if prefix else name
        choices.append(Choice(id=values.text(node.get("hash")), label=label))
        children = node.get("children") or []
        if children:
            choices.extend(tree_options(children, label))
    return tuple(choices)


def _selected(raw: Any, definition: Definition) -> list[str]:
    """Labels of a list/tree value: ``{"key": "label"}`` (or a bare key or list of keys)."""
    by_id = {o.id: o.label for o in definition.options}
    if isinstance(raw, dict):
        return [by_id.get(str(key), values.text(label)) for key, label in raw.items()]
    if isinstance(raw, list):
        return [by_id.get(str(item), str(item)) for item in raw]
    text = values.text(raw)
    return [by_id.get(text, text)] if text else []


def value_of(raw: Any, definition: Definition) -> CustomFieldValue:
    """A request's value for the model, typed as the definition says."""
    if raw is None or raw == "" or raw == []:
        return False if definition.type is FieldType.CHECKBOX else None
    kind = definition.type
    if kind is FieldType.CHECKBOX:
        return values.flag(raw)
    if kind is FieldType.NUMBER:
        return values.number(raw)
    if kind is FieldType.SELECT:
        labels = _selected(raw, definition)
        return labels[0] if labels else None
    if kind is FieldType.MULTI_SELECT:
        return _selected(raw, definition)
    if isinstance(raw, dict | list):
        return ", ".join(_selected(raw, definition))
    return values.text(raw)


def fields_of(
    raw_values: Any, definitions: Mapping[str, Definition], applicable: Sequence[str]
) -> tuple[CustomField, ...]:
    current: dict[str, Any] = {}
    if isinstance(raw_values, dict):
        current = {str(key): value for key, value in raw_values.items()}
    elif raw_values not in (None, [], ""):
        raise values.BadValue("custom_fields is neither an object nor []")
    shown = [uid for uid in applicable if uid in definitions]
    shown += [uid for uid in current if uid not in shown and uid in definitions]
    fields: list[CustomField] = []
    for uid in shown:
        definition = definitions[uid]
        fields.append(
            CustomField(
                key=uid,
                label=definition.label,
                group=GROUP,
                type=definition.type,
                value=value_of(current.get(uid), definition),
                options=definition.options,
                required=definition.required,
            )
        )
    return tuple(fields)


def encode(definition: Definition, value: CustomFieldValue, connection: str) -> str:
    """The ``values[]`` item that sets ``value``: ``""`` clears; an option by its key (a
    list) or hash (a tree), found by id or label; a date as ``YYYY-MM-DD``."""
    if value is None or value == "" or value == []:
        return ""
    kind = definition.type
    if kind is FieldType.CHECKBOX:
        if not isinstance(value, bool):
            raise InvalidInput(connection, definition.uid, "takes true or false")
        return "1" if value else "0"
    if kind is FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidInput(connection, definition.uid, "takes a number")
        try:
            number = float(value)
        except ValueError:
            raise InvalidInput(connection, definition.uid, f"{value!r} is not a number") from None
        return str(int(number)) if number.is_integer() else str(number)
    if kind is FieldType.DATE:
        try:
            return dt.date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError:
            raise InvalidInput(connection, definition.uid, "takes a date YYYY-MM-DD") from None
    if kind in (FieldType.SELECT, FieldType.MULTI_SELECT):
        wanted = value[0] if isinstance(value, list) else str(value)
        for option in definition.options:
            if wanted in (option.id, option.label) or option.label.endswith(f" › {wanted}"):
                return option.id
        raise InvalidInput(connection, definition.uid, f"{wanted!r} is not one of its options")
    if isinstance(value, list | bool):
        raise InvalidInput(connection, definition.uid, "takes text")
    return str(value)
