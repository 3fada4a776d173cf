"""Tickets\\Api\\Controller_TicketStatus, _TicketPriority and _TicketType: read-only lookups.

Each lists its records by ID, or the one ``/$id$`` names (testing the raw argument for
emptiness before the cast, as these three controllers do), with its fields in the
server's order and the staff or user groups it is restricted to.
"""

from __future__ import annotations

from adapters.kayako.sim_data import TicketPriority, TicketStatus, TicketType
from adapters.kayako.simulator.core import Call, Controller, Methods, lookup_methods
from adapters.kayako.simulator.lookup import lookup
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


class TicketStatusController(Controller):
    php_class = "Tickets\\Api\\Controller_TicketStatus"

    def methods(self) -> Methods:
        return lookup_methods(self.status_list)

    def status_list(self, call: Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, status: TicketStatus) -> None:
            xml.fields(
                ("id", str(status.id)),
                ("title", status.title),
                ("displayorder", str(status.displayorder)),
                ("departmentid", str(status.departmentid)),
                ("displayicon", status.displayicon),
                ("type", status.type),
                ("displayinmainlist", str(status.displayinmainlist)),
                ("markasresolved", str(status.markasresolved)),
                ("displaycount", str(status.displaycount)),
                ("statuscolor", status.statuscolor),
                ("statusbgcolor", status.statusbgcolor),
                ("resetduetime", str(status.resetduetime)),
                ("triggersurvey", str(status.triggersurvey)),
                ("staffvisibilitycustom", str(status.staffvisibilitycustom)),
            )
            for group_id in status.staffgroupids:
                xml.tag("staffgroupid", str(group_id))

        return lookup(
            call,
            args,
            self.desk.statuses.values(),
            write,
            "ticketstatuses",
            "ticketstatus",
            cast_first=False,
        )


class TicketPriorityController(Controller):
    php_class = "Tickets\\Api\\Controller_TicketPriority"

    def methods(self) -> Methods:
        return lookup_methods(self.priority_list)

    def priority_list(self, call: Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, priority: TicketPriority) -> None:
            xml.fields(
                ("id", str(priority.id)),
                ("title", priority.title),
                ("displayorder", str(priority.displayorder)),
                ("frcolorcode", priority.frcolorcode),
                ("bgcolorcode", priority.bgcolorcode),
                ("type", priority.type),
                ("uservisibilitycustom", str(priority.uservisibilitycustom)),
            )
            for group_id in priority.usergroupids:
                xml.tag("usergroupid", str(group_id))

        return lookup(
            call,
            args,
            self.desk.priorities.values(),
            write,
            "ticketpriorities",
            "ticketpriority",
            cast_first=False,
        )


class TicketTypeController(Controller):
    php_class = "Tickets\\Api\\Controller_TicketType"

    def methods(self) -> Methods:
        return lookup_methods(self.type_list)

    def type_list(self, call: Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, ttype: TicketType) -> None:
            xml.fields(
                ("id", str(ttype.id)),
                ("title", ttype.title),
                ("displayorder", str(ttype.displayorder)),
                ("departmentid", str(ttype.departmentid)),
                ("displayicon", ttype.displayicon),
                ("type", ttype.type),
                ("uservisibilitycustom", str(ttype.uservisibilitycustom)),
            )
            for group_id in ttype.usergroupids:
                xml.tag("usergroupid", str(group_id))

        return lookup(
            call,
            args,
            self.desk.types.values(),
            write,
            "tickettypes",
            "tickettype",
            cast_first=False,
        )
