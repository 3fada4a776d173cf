"""Base\\API\\Controller_Staff: the agents (staff users) of the help desk."""

from __future__ import annotations

from adapters.kayako.sim_data import Staff
from adapters.kayako.simulator.core import Call, Controller, Methods, lookup_methods
from adapters.kayako.simulator.lookup import lookup
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


def write_staff(xml: SwiftXml, staff: Staff) -> None:
    xml.fields(
        ("id", str(staff.id)),
        ("staffgroupid", str(staff.staffgroupid)),
        ("firstname", staff.firstname),
        ("lastname", staff.lastname),
        ("fullname", staff.fullname),
        ("username", staff.username),
        ("email", staff.email),
        ("designation", staff.designation),
        ("greeting", staff.greeting),
        ("mobilenumber", staff.mobilenumber),
        ("isenabled", str(staff.isenabled)),
        ("timezone", staff.timezone),
        ("enabledst", str(staff.enabledst)),
        ("signature", staff.signature),
    )


class StaffController(Controller):
    php_class = "Base\\API\\Controller_Staff"

    def methods(self) -> Methods:
        return lookup_methods(self.staff_list)

    def staff_list(self, call: Call, args: list[str]) -> SimResponse:
        staff = self.desk.staff.values()
        return lookup(call, args, staff, write_staff, "staffusers", "staff", cast_first=True)
