"""HaloPSA's wire format: timestamps (:mod:`~.times`), error bodies (:mod:`~.errors`) and
the JSON records as the normalised model (:mod:`~.mapping`)."""

from adapters.halopsa.wire.errors import HINTS, field_of, message_of, response_message
from adapters.halopsa.wire.mapping import (
    UNASSIGNED_IDS,
    Catalog,
    FieldDefinition,
    blank_fields,
    build_catalog,
    custom_fields,
    field_definitions,
    ident,
    opening_post,
    outcome_choices,
    post,
    read_value,
    records,
    ticket,
    write_value,
)
from adapters.halopsa.wire.times import format_query_time, parse_time

__all__ = [
    "HINTS",
    "UNASSIGNED_IDS",
    "Catalog",
    "FieldDefinition",
    "blank_fields",
    "build_catalog",
    "custom_fields",
    "field_definitions",
    "field_of",
    "format_query_time",
    "ident",
    "message_of",
    "opening_post",
    "outcome_choices",
    "parse_time",
    "post",
    "read_value",
    "records",
    "response_message",
    "ticket",
    "write_value",
]
