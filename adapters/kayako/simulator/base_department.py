"""Base\\API\\Controller_Department: the help desk's departments.

A department belongs to an app (``tickets`` or ``livechat``; ``module`` repeats it for old
clients), is public or private, may sit under a parent of the same app, and may be
visible to some user groups only (listed under ``<usergroups>``).
"""

from __future__ import annotations

from adapters.kayako.sim_data import Department
from adapters.kayako.simulator.core import Call, Controller, Methods, lookup_methods
from adapters.kayako.simulator.lookup import lookup
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


def write_department(xml: SwiftXml, dept: Department) -> None:
    xml.fields(
        ("id", str(dept.id)),
        ("title", dept.title),
        ("type", dept.type),
        ("module", dept.app),
        ("app", dept.app),
        ("displayorder", str(dept.displayorder)),
        ("parentdepartmentid", str(dept.parentdepartmentid)),
        ("uservisibilitycustom", str(dept.uservisibilitycustom)),
    )
    xml.open("usergroups")
    for group_id in dept.usergroupids:
        xml.tag("id", str(group_id))
    xml.close("usergroups")


class DepartmentController(Controller):
    php_class = "Base\\API\\Controller_Department"

    def methods(self) -> Methods:
        return lookup_methods(self.department_list)

    def department_list(self, call: Call, args: list[str]) -> SimResponse:
        desk = self.desk.departments.values()
        return lookup(
            call, args, desk, write_department, "departments", "department", cast_first=True
        )
