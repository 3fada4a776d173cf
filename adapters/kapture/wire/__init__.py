"""Kapture's wire format: dates (:mod:`.dates`), the label catalogue (:mod:`.labels`) and
the mapping of answers to the normalised model (:mod:`.mapping`)."""

from adapters.kapture.wire import dates
from adapters.kapture.wire.labels import DOCUMENTED_STATUSES, Labels, disposition_label
from adapters.kapture.wire.mapping import (
    CALLBACK_KEY,
    DISPOSITION_KEY,
    current_status_key,
    custom_fields,
    failure_message,
    field_key,
    group_values,
    posts_from_conversation,
    split_field_key,
    text,
    ticket_from_listing,
    ticket_from_object,
)

__all__ = [
    "CALLBACK_KEY",
    "DISPOSITION_KEY",
    "DOCUMENTED_STATUSES",
    "Labels",
    "current_status_key",
    "custom_fields",
    "dates",
    "disposition_label",
    "failure_message",
    "field_key",
    "group_values",
    "posts_from_conversation",
    "split_field_key",
    "text",
    "ticket_from_listing",
    "ticket_from_object",
]
