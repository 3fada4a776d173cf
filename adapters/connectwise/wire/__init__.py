"""ConnectWise PSA's wire format, read and written: the JSON mapping
(:mod:`~adapters.connectwise.wire.mapping`) and the ``conditions`` builder
(:mod:`~adapters.connectwise.wire.conditions`)."""

from adapters.connectwise.wire import conditions
from adapters.connectwise.wire.mapping import (
    Catalog,
    custom_fields_from,
    encode_value,
    ident,
    items_of,
    label,
    member_name,
    note_flags,
    note_kind,
    parse_time,
    post_from,
    record_of,
    ref,
    same_value,
    ticket_from,
)

__all__ = [
    "Catalog",
    "conditions",
    "custom_fields_from",
    "encode_value",
    "ident",
    "items_of",
    "label",
    "member_name",
    "note_flags",
    "note_kind",
    "parse_time",
    "post_from",
    "record_of",
    "ref",
    "same_value",
    "ticket_from",
]
