"""What a ConnectWise service ticket and its notes hold, and which ticket fields a write
may name (:data:`WRITABLE`) or names and changes nothing (:data:`READ_ONLY`): the
schemas the ticket and note endpoints list, filter and check writes by.
"""

from __future__ import annotations

from adapters.connectwise.simulator.core import Schema

REFERENCES = frozenset(
    {
        "board",
        "status",
        "company",
        "site",
        "contact",
        "type",
        "subType",
        "item",
        "team",
        "owner",
        "priority",
        "source",
        "mergedParentTicket",
    }
)
SCALARS = frozenset(
    {
        "id",
        "summary",
        "recordType",
        "contactName",
        "contactEmailAddress",
        "contactPhoneNumber",
        "severity",
        "impact",
        "requiredDate",
        "closedFlag",
        "closedDate",
        "closedBy",
        "resources",
        "isInSla",
        "slaStatus",
        "hasChildTicket",
        "hasMergedChildTicketFlag",
        "parentTicketId",
        "automaticEmailCc",
        "automaticEmailCcFlag",
        "automaticEmailContactFlag",
        "automaticEmailResourceFlag",
        "addressLine1",
        "addressLine2",
        "city",
        "stateIdentifier",
        "zip",
        "escalationStartDateUTC",
        "_info",
    }
)
TICKET_SCHEMA = Schema(
    "ticket",
    fields=SCALARS,
    references=REFERENCES,
    arrays={"customFields": frozenset({"caption", "value", "id"})},
    aliases={
        "lastupdated": "_info/lastUpdated",
        "dateentered": "_info/dateEntered",
        "updatedby": "_info/updatedBy",
        "enteredby": "_info/enteredBy",
    },
)
NOTE_SCHEMA = Schema(
    "note",
    fields=frozenset(
        {
            "id",
            "ticketId",
            "text",
            "detailDescriptionFlag",
            "internalAnalysisFlag",
            "resolutionFlag",
            "issueFlag",
            "dateCreated",
            "createdBy",
            "internalFlag",
            "externalFlag",
            "customerUpdatedFlag",
            "_info",
        }
    ),
    references=frozenset({"member", "contact"}),
)
WRITABLE = frozenset(
    {
        "summary",
        "board",
        "status",
        "company",
        "site",
        "contact",
        "type",
        "subType",
        "item",
        "team",
        "owner",
        "priority",
        "source",
        "severity",
        "impact",
        "requiredDate",
        "contactName",
        "contactEmailAddress",
        "contactPhoneNumber",
        "automaticEmailCc",
        "automaticEmailCcFlag",
        "automaticEmailContactFlag",
        "automaticEmailResourceFlag",
        "addressLine1",
        "addressLine2",
        "city",
        "stateIdentifier",
        "zip",
        "customFields",
    }
)
READ_ONLY = frozenset(
    {
        "id",
        "recordType",
        "closedFlag",
        "closedDate",
        "closedBy",
        "resources",
        "isInSla",
        "slaStatus",
        "hasChildTicket",
        "hasMergedChildTicketFlag",
        "mergedParentTicket",
        "parentTicketId",
        "escalationStartDateUTC",
        "_info",
    }
)
NOTE_FLAGS = ("detailDescriptionFlag", "internalAnalysisFlag", "resolutionFlag")
