"""Base\\API\\Controller_StaffGroup: the teams staff belong to, listed and written.

``isadmin`` marks administrator groups. Post needs a title and ``isadmin``; Put a title
(``isadmin`` kept unless given as 1 or 0); Delete refuses a group that still has staff.
"""

from __future__ import annotations

from adapters.kayako.sim_data import StaffGroup
from adapters.kayako.sim_data.directory import next_id
from adapters.kayako.simulator.base_forms import (
    CLASS_NOT_LOADED,
    REQUIRED_EMPTY,
    by_row_id,
    given,
    load_failed,
    loosely_one,
    loosely_zero,
)
from adapters.kayako.simulator.core import Call, Controller, Methods, ok_empty, status, xml_response
from adapters.kayako.simulator.lookup import lookup, render_records
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


def write_staffgroup(xml: SwiftXml, group: StaffGroup) -> None:
    xml.tag("id", str(group.id))
    xml.tag("title", group.title)
    xml.tag("isadmin", str(group.isadmin))


class StaffGroupController(Controller):
    php_class = "Base\\API\\Controller_StaffGroup"

    def methods(self) -> Methods:
        return {
            "GetList": (self.staffgroup_list, 0),
            "Get": (self.staffgroup_list, 1),
            "Post": (self.staffgroup_post, 0),
            "Put": (self.staffgroup_put, 1),
            "Delete": (self.staffgroup_delete, 1),
        }

    def staffgroup_list(self, call: Call, args: list[str]) -> SimResponse:
        groups = self.desk.staff_groups.values()
        return lookup(
            call, args, groups, write_staffgroup, "staffgroups", "staffgroup", cast_first=True
        )

    def _answer(self, call: Call, group: StaffGroup) -> SimResponse:
        xml = render_records("staffgroups", "staffgroup", [group], write_staffgroup, group.id)
        return xml_response(xml, call)

    def staffgroup_post(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        if not given(post, "title") or "isadmin" not in post:
            return status(400, REQUIRED_EMPTY)
        group = StaffGroup(
            id=next_id(self.desk.staff_groups),
            title=call.text("title") or "",
            isadmin=1 if loosely_one(post.get("isadmin")) else 0,
        )
        self.desk.staff_groups[group.id] = group
        return self._answer(call, group)

    def staffgroup_put(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        group = by_row_id(self.desk.staff_groups, args[0])
        if group is None:
            return load_failed("Staff Group", CLASS_NOT_LOADED)
        if not given(post, "title"):
            return status(400, REQUIRED_EMPTY)
        group.title = call.text("title") or ""
        if loosely_one(post.get("isadmin")):
            group.isadmin = 1
        elif loosely_zero(post.get("isadmin")):
            group.isadmin = 0
        return self._answer(call, group)

    def staffgroup_delete(self, call: Call, args: list[str]) -> SimResponse:
        group = by_row_id(self.desk.staff_groups, args[0])
        if group is None:
            return load_failed("Staff Group", CLASS_NOT_LOADED)
        members = sum(1 for staff in self.desk.staff.values() if staff.staffgroupid == group.id)
        if members:
            return status(
                400,
                f'Staff Group Deletion Failed. There are "{members}" staff members assigned to '
                "this group. Please delete them or change their group to continue.",
            )
        del self.desk.staff_groups[group.id]
        return ok_empty()
