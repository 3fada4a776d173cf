"""The lookup controllers' shared shape: every record by ID, or the one ``/$id$`` names.

Status, priority, type, department, staff, group and organisation lookups all answer
``<plural><singular>…</singular></plural>`` ordered by ID. Some controllers test
``!empty($id)`` on the raw argument and cast afterwards, others cast first (so ``/abc``
lists everything); :func:`pick_one` mirrors both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from adapters.kayako.simulator.core import Call, arg, xml_response
from adapters.kayako.simulator.php import php_empty, php_intval
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


class HasId(Protocol):
    @property
    def id(self) -> int: ...


RecordT = TypeVar("RecordT", bound=HasId)


def pick_one(args: Sequence[str], cast_first: bool) -> int | None:
    """The ID a lookup's Get filters on, or None for "all"."""
    raw = arg(args, 0)
    if raw is None:
        return None
    if cast_first:
        value = php_intval(raw)
        return value or None
    return None if php_empty(raw) else php_intval(raw)


def render_records(
    root: str,
    element: str,
    records: Iterable[RecordT],
    write: Callable[[SwiftXml, RecordT], None],
    only: int | None = None,
) -> SwiftXml:
    """``<root><element>…</element>…</root>`` of ``records`` by ID (``only``: one ID)."""
    xml = SwiftXml()
    xml.open(root)
    for record in sorted(records, key=lambda r: r.id):
        if only is None or record.id == only:
            xml.open(element)
            write(xml, record)
            xml.close(element)
    xml.close(root)
    return xml


def lookup(
    call: Call,
    args: list[str],
    records: Iterable[RecordT],
    write: Callable[[SwiftXml, RecordT], None],
    root: str,
    element: str,
    *,
    cast_first: bool,
) -> SimResponse:
    """A lookup controller's answer; ``write`` renders one record's fields."""
    only = pick_one(args, cast_first=cast_first) if args else None
    return xml_response(render_records(root, element, records, write, only), call)
