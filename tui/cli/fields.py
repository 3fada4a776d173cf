"""``triage fields KEY… [--set LABEL=VALUE…]``: show a ticket's custom fields, or set them.

Custom fields are typed by the desk (text, number, date, select, multi-select, checkbox);
``--set`` takes the field's label (or its key) and a value written as a person would (an
option's label or id, ``yes``/``no``, ``YYYY-MM-DD``), resolved the way desk actions are
(:func:`field_spec` turns the fields into an action spec), so a miss lists the options.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence

from adapters.actions import (
    resolve_values,
    show_value,
)
from adapters.base import Adapter, InvalidInput
from adapters.model import CustomField, CustomFieldValue, Lookups, TicketKey
from adapters.text import clean_line
from tui.cli.inputs import EXIT_OK, UsageError, parse_sets
from tui.cli.write import Context, Job, run_job
from tui.create import field_spec, to_custom_values


def custom_values(
    connection: str, fields: Sequence[CustomField], sets: Mapping[str, list[str]]
) -> tuple[dict[str, CustomFieldValue], tuple[tuple[str, str], ...]]:
    """``{CustomField.key: value}`` for ``sets`` (by label, or by key), and the dry-run
    lines. Select values are the option labels the adapter expects."""
    spec, by_name = field_spec(fields)
    by_key = {custom.key: name for name, custom in by_name.items()}
    given: dict[str, list[str]] = {}
    for label, texts in sets.items():
        name = by_key.get(label, label)
        try:
            field_ = spec.field(name)
        except KeyError:
            known = ", ".join(custom.label for custom in fields) or "(none)"
            raise UsageError(
                f"{connection}: no custom field {label!r}; its fields: {known}"
            ) from None
        if not by_name[field_.name].editable:
            raise UsageError(f"{connection}: custom field {label!r} cannot be set")
        given.setdefault(field_.name, []).extend(texts)
    try:
        values = resolve_values(connection, spec, given, Lookups())
    except InvalidInput as exc:
        custom = by_name.get(exc.field)
        reason = exc.reason
        raise UsageError(
            f"{connection}: {custom.label if custom else exc.field}: {reason}"
        ) from None
    result = to_custom_values(spec, by_name, {name: values[name] for name in given})
    lines = [
        (by_name[name].label, show_value(spec.field(name), values[name], Lookups()))
        for name in given
    ]
    return result, tuple(lines)


async def fields_command(context: Context) -> int:
    args = context.args
    keys = context.keys(args.keys)
    sets = parse_sets(args.set)
    details = await asyncio.gather(
        *(context.adapter(key.connection).get_ticket(key.native_id) for key in keys)
    )
    if not sets:
        return _print_fields(context, keys, [detail.custom_fields for detail in details])
    values: dict[TicketKey, dict[str, CustomFieldValue]] = {}
    shown: dict[str, tuple[tuple[str, str], ...]] = {}
    for key, detail in zip(keys, details, strict=True):
        values[key], shown[str(key)] = custom_values(key.connection, detail.custom_fields, sets)

    async def op(adapter: Adapter, native_id: str) -> object:
        return await adapter.set_custom_fields(
            native_id, values[TicketKey(adapter.name, native_id)]
        )

    return await run_job(context, keys, Job("custom_fields", op, shown))


def _print_fields(
    context: Context, keys: Sequence[TicketKey], fields: Sequence[Sequence[CustomField]]
) -> int:
    if context.args.json:
        items = [
            {"key": str(key), "fields": [custom.model_dump(mode="json") for custom in customs]}
            for key, customs in zip(keys, fields, strict=True)
        ]
        json.dump(items, context.out, indent=2, ensure_ascii=False)
        context.out.write("\n")
        return EXIT_OK
    for key, customs in zip(keys, fields, strict=True):
        context.out.write(f"{key}\n")
        if not customs:
            context.out.write("  (no custom fields)\n")
        for custom in customs:
            value = custom.value
            if isinstance(value, list):
                text = ", ".join(value)
            elif isinstance(value, bool):
                text = "yes" if value else "no"
            elif isinstance(value, float):
                text = str(int(value)) if value.is_integer() else repr(value)
            else:
                text = value or "-"
            flags = "" if custom.editable else " (read-only)"
            context.out.write(f"  {clean_line(custom.label)}{flags}: {clean_line(text)}\n")
    return EXIT_OK
