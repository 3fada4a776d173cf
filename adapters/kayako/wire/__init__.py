"""Kayako Classic wire format, one module per idea:

* :mod:`.xml`: reading the REST API's XML (:func:`parse_xml`, :class:`Node`);
* :mod:`.records`: the vendor records (:class:`Status`, :class:`TimeTrack`, …);
* :mod:`.catalog`: lookups as the model's choices (:class:`Catalog`);
* :mod:`.mapping`: tickets, posts and notes as the model has them, error bodies, sorting;
* :mod:`.custom_fields`: custom fields read and encoded.

The adapter reads everything through this package (``wire.Catalog``, ``wire.parse_xml``).
"""

from adapters.kayako.wire.catalog import Catalog, priority_ranks, status_category
from adapters.kayako.wire.custom_fields import (
    EncodedField,
    custom_fields_from_node,
    encode_custom_field,
    field_types,
    field_value,
    iso_date,
    kayako_date,
    same_value,
    split_multi,
)
from adapters.kayako.wire.mapping import (
    SORT_ALIASES,
    SORT_FIELDS,
    conversation,
    field_from_message,
    note_from_node,
    post_from_node,
    sort_field,
    ticket_from_node,
    ticket_items,
)
from adapters.kayako.wire.records import (
    FIELD_TYPES,
    NOTE_COLORS,
    CustomFieldDef,
    CustomFieldOption,
    Department,
    FieldDefinition,
    Priority,
    Staff,
    Status,
    TicketType,
    TimeTrack,
    User,
)
from adapters.kayako.wire.xml import Node, items_of, parse_ticket_list, parse_xml, root_node

__all__ = [
    "FIELD_TYPES",
    "NOTE_COLORS",
    "SORT_ALIASES",
    "SORT_FIELDS",
    "Catalog",
    "CustomFieldDef",
    "CustomFieldOption",
    "Department",
    "EncodedField",
    "FieldDefinition",
    "Node",
    "Priority",
    "Staff",
    "Status",
    "TicketType",
    "TimeTrack",
    "User",
    "conversation",
    "custom_fields_from_node",
    "encode_custom_field",
    "field_from_message",
    "field_types",
    "field_value",
    "iso_date",
    "items_of",
    "kayako_date",
    "note_from_node",
    "parse_ticket_list",
    "parse_xml",
    "post_from_node",
    "priority_ranks",
    "root_node",
    "same_value",
    "sort_field",
    "split_multi",
    "status_category",
    "ticket_from_node",
    "ticket_items",
]
