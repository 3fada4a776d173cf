"""Base\\API\\Controller_StaffGroup: the teams staff belong to (``isadmin``: administrators)."""

from __future__ import annotations

from adapters.kayako.sim_data import StaffGroup
from adapters.kayako.simulator.core import Call, Controller, Methods, lookup_methods
from adapters.kayako.simulator.lookup import lookup
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


def write_staffgroup(xml: SwiftXml, group: StaffGroup) -> None:
    xml.tag("id", str(group.id))
    xml.tag("title", group.title)
    xml.tag("isadmin", str(group.isadmin))


class StaffGroupController(Controller):
    php_class = "Base\\API\\Controller_StaffGroup"

    def methods(self) -> Methods:
        return lookup_methods(self.staffgroup_list)

    def staffgroup_list(self, call: Call, args: list[str]) -> SimResponse:
        groups = self.desk.staff_groups.values()
        return lookup(
            call, args, groups, write_staffgroup, "staffgroups", "staffgroup", cast_first=True
        )
