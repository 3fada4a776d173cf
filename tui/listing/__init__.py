"""The ticket list's logic without any widget, fast enough for 100 000 tickets.

* :mod:`tui.listing.columns`: what each column shows (:func:`cell_text`, the desks' short
  names :func:`desk_abbreviations`) and how tickets sort by it (:func:`sort_positions`,
  :func:`toggle_sort`);
* :mod:`tui.listing.filter`: the quick-filter language (:class:`TicketFilter`,
  :func:`parse_filter`) and the search strings of a ticket;
* :mod:`tui.listing.index`: :class:`TicketIndex`, the tickets sorted, scoped to a desk and
  filtered, kept up to date as tickets stream in.

How a ticket is named (:func:`ticket_name`, :func:`key_name`) lives in
:mod:`tui.presentation`, shared with the detail pane and the command line; it is
re-exported here with the rest of the list's vocabulary.
"""

from tui.listing.columns import (
    COLUMNS,
    COLUMNS_BY_NAME,
    DEFAULT_SORT,
    DUE_WIDTH,
    ID_COLUMN,
    Column,
    ColumnName,
    SortKeys,
    age_text,
    cell_text,
    column,
    desk_abbreviations,
    due_text,
    is_overdue,
    priority_short,
    sort_positions,
    sort_tickets,
    ticket_comparator,
    ticket_sort_key,
    toggle_sort,
)
from tui.listing.filter import (
    FIELDS,
    QUALIFIERS,
    FieldBuilder,
    Fields,
    FilterField,
    FilterTerm,
    TicketFilter,
    TicketRecord,
    filter_tickets,
    fold,
    parse_filter,
    record_for,
    ticket_fields,
)
from tui.listing.index import TicketIndex
from tui.presentation import display_id_text, key_name, ticket_name

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_NAME",
    "DEFAULT_SORT",
    "DUE_WIDTH",
    "FIELDS",
    "ID_COLUMN",
    "QUALIFIERS",
    "Column",
    "ColumnName",
    "FieldBuilder",
    "Fields",
    "FilterField",
    "FilterTerm",
    "SortKeys",
    "TicketFilter",
    "TicketIndex",
    "TicketRecord",
    "age_text",
    "cell_text",
    "column",
    "desk_abbreviations",
    "display_id_text",
    "due_text",
    "filter_tickets",
    "fold",
    "is_overdue",
    "key_name",
    "parse_filter",
    "priority_short",
    "record_for",
    "sort_positions",
    "sort_tickets",
    "ticket_comparator",
    "ticket_fields",
    "ticket_name",
    "ticket_sort_key",
    "toggle_sort",
]
