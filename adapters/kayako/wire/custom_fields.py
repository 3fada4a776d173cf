"""Kayako Classic's custom fields: reading a ``<customfields>`` answer into the model's
:class:`~adapters.model.CustomField` values, and encoding values back into the form
``POST /Tickets/TicketCustomField`` takes.

Values are typed by Kayako's field type: text as it is (a text area keeps its lines),
selects as option labels, multi-selects and checkbox groups as lists of labels (commas in a
label arrive as ``\\,``), linked selects as ``Parent > Child``, dates as ISO dates (the
desk renders ``m/d/Y``), file fields as the file name, read-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from adapters.errors import InvalidInput
from adapters.kayako.wire.records import (
    DATE_TYPE,
    FIELD_TYPES,
    FILE_TYPE,
    LINKED_SELECT,
    LINKED_SEPARATOR,
    MULTI_TYPES,
    SELECT_TYPES,
    CustomFieldOption,
    FieldDefinition,
)
from adapters.kayako.wire.xml import Node, root_node
from adapters.model import CustomField, CustomFieldValue, FieldType
from adapters.text import clean_line, clean_text


def split_multi(text: str) -> list[str]:
    """A multi-value as Kayako renders it: joined by ``", "``, commas in values as ``\\,``."""
    if not text:
        return []
    parts = re.split(r"(?<!\\), ", text)
    return [clean_line(part.replace("\\,", ",")) for part in parts if part.strip()]


def iso_date(text: str) -> str | None:
    """A Kayako date value as ``YYYY-MM-DD``; ``None`` when it is not a date.

    Kayako renders dates in the helpdesk's format, ``m/d/Y`` by default; ``d/m/Y`` is read
    when the first number cannot be a month, and epoch seconds and ISO dates are accepted.
    """
    value = text.strip()
    if not value:
        return None
    if value.isdigit():
        try:
            return datetime.fromtimestamp(int(value), UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    for pattern in ("%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def kayako_date(value: str) -> str:
    """An ISO date (or ``m/d/Y``) as the ``m/d/Y`` Kayako's custom fields take."""
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            parsed = datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern)
        except ValueError:
            continue
        return parsed.strftime("%m/%d/%Y")
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)")


def field_value(kayako_type: int, node: Node) -> CustomFieldValue:
    """The typed value of a ``<field>`` as the model holds it."""
    raw = node.content
    if kayako_type == FILE_TYPE:
        return node.text("filename") or None
    if kayako_type in MULTI_TYPES:
        return split_multi(raw)
    if kayako_type == DATE_TYPE:
        return iso_date(raw) or (clean_line(raw) or None)
    if kayako_type == LINKED_SELECT:
        # The server escapes the separator before wrapping the value in CDATA, so it
        # arrives as a literal "&gt;" (the PHP library splits on " &gt; " too).
        return clean_line(raw.replace(" &gt; ", LINKED_SEPARATOR)) or None
    if kayako_type == 2:
        return clean_text(raw).strip() or None
    return clean_line(raw) or None


def custom_fields_from_node(
    content: dict[str, Any],
    *,
    connection: str,
    what: str,
    definitions: Mapping[str, FieldDefinition] | None = None,
) -> tuple[CustomField, ...]:
    """The fields of a ``<customfields>`` answer, grouped as the desk groups them."""
    definitions = definitions or {}
    fields: list[CustomField] = []
    root = root_node(content, what=what, connection=connection)
    for group in root.items("group", "custom field <group>"):
        group_title = group.text("title")
        group.what = f"custom field group {group_title or group.raw('id')!r}"
        for item in group.items("field", f"<field> in {group.what}"):
            key = (item.raw("name") or "").strip()
            if not key:
                raise item.error("a <field> without a name")
            item.what = f"custom field {key!r}"
            kayako_type = item.number("type", 1)
            known = definitions.get(key)
            editable = kayako_type != FILE_TYPE and (
                known is None or known.definition.staffeditable
            )
            fields.append(
                CustomField(
                    key=key,
                    label=item.text("title") or key,  # the model cleans labels
                    group=group_title,
                    type=FIELD_TYPES.get(kayako_type, FieldType.TEXT),
                    value=field_value(kayako_type, item),
                    options=known.choices() if known else (),
                    editable=editable,
                    required=known.definition.isrequired if known else False,
                )
            )
    return tuple(fields)


def field_types(content: dict[str, Any], *, connection: str, what: str) -> dict[str, int]:
    """Kayako type code of each field in a ``<customfields>`` answer, by name."""
    types: dict[str, int] = {}
    root = root_node(content, what=what, connection=connection)
    for group in root.items("group"):
        for item in group.items("field"):
            name = (item.raw("name") or "").strip()
            if name:
                types[name] = item.number("type", 1)
    return types


def _option_for(
    known: FieldDefinition, label: str, connection: str, *, children_of: int | None = None
) -> CustomFieldOption:
    name = known.definition.name
    candidates = [o for o in known.options if o.parentid == children_of]
    wanted = label.strip()
    for match in (
        lambda o: o.value == wanted,
        lambda o: o.value.casefold() == wanted.casefold(),
        lambda o: str(o.id) == wanted,
    ):
        found = [o for o in candidates if match(o)]
        if found:
            return found[0]
    choices = ", ".join(o.value for o in candidates) or "none"
    raise InvalidInput(connection, name, f"{label!r} is not one of its options ({choices})")


@dataclass(frozen=True)
class EncodedField:
    """Form fields for one custom field, and the value the desk should then show."""

    form: dict[str, str]
    expected: CustomFieldValue


def _plain(value: CustomFieldValue, name: str, connection: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        raise InvalidInput(connection, name, "takes one value, not a list")
    return value


def encode_custom_field(
    known: FieldDefinition, value: CustomFieldValue, connection: str
) -> EncodedField:
    """Form fields that set ``value`` on the field: text as is, select labels as option
    ids, multi-values as ``name[i]``, linked selects as ``name[0]``/``name[1][parent]``,
    dates as ``m/d/Y``. Raises :class:`InvalidInput` naming the field."""
    definition = known.definition
    name = definition.name
    kind = definition.fieldtype
    if kind == FILE_TYPE:
        raise InvalidInput(connection, name, "file fields cannot be set from here")
    if kind in MULTI_TYPES:
        if value is None:
            labels: list[str] = []
        elif isinstance(value, bool):
            # A one-box checkbox field reads naturally as a boolean.
            if len(known.options) != 1:
                raise InvalidInput(connection, name, "takes a list of option labels")
            labels = [known.options[0].value] if value else []
        elif isinstance(value, list):
            labels = [str(v) for v in value]
        else:
            labels = split_multi(str(value))
        options = [_option_for(known, label, connection) for label in labels]
        options = list({o.id: o for o in options}.values())
        if not options:
            return EncodedField({name: ""}, [])
        form = {f"{name}[{index}]": str(o.id) for index, o in enumerate(options)}
        return EncodedField(form, [o.value for o in options])
    if kind in SELECT_TYPES or kind == LINKED_SELECT:
        label = _plain(value, name, connection)
        if not label:
            return EncodedField({name: ""}, None)
        if kind == LINKED_SELECT:
            parent_label, _, child_label = label.partition(LINKED_SEPARATOR.strip())
            parent = _option_for(known, parent_label, connection)
            if not child_label.strip():
                return EncodedField({f"{name}[0]": str(parent.id)}, parent.value)
            child = _option_for(known, child_label, connection, children_of=parent.id)
            form = {f"{name}[0]": str(parent.id), f"{name}[1][{parent.id}]": str(child.id)}
            return EncodedField(form, f"{parent.value}{LINKED_SEPARATOR}{child.value}")
        option = _option_for(known, label, connection)
        return EncodedField({name: str(option.id)}, option.value)
    if kind == DATE_TYPE:
        text = _plain(value, name, connection)
        if not text:
            return EncodedField({name: ""}, None)
        try:
            formatted = kayako_date(text)
        except ValueError as exc:
            raise InvalidInput(connection, name, str(exc)) from None
        return EncodedField({name: formatted}, iso_date(formatted))
    text = _plain(value, name, connection)
    return EncodedField({name: text}, clean_text(text).strip() or None)


def same_value(expected: CustomFieldValue, actual: CustomFieldValue) -> bool:
    """Whether the desk shows the value that was sent (labels compared case-insensitively,
    multi-values as sets, empty values alike)."""

    def norm(value: CustomFieldValue) -> object:
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, list):
            return frozenset(clean_line(v).casefold() for v in value)
        if isinstance(value, str):
            return " ".join(value.split()).casefold()
        return value

    return norm(expected) == norm(actual)
