"""Base\\API\\Controller_Department: the help desk's departments, listed and written.

A department belongs to an app (``tickets`` or ``livechat``; ``module`` repeats it for old
clients), is public or private, may sit under a parent of the same app (one level deep:
the model refuses a parent that has a parent), and may be visible to some user groups
only (listed under ``<usergroups>``). Post and Put check in the controller's order with
its texts; a Put without ``parentdepartmentid`` or ``uservisibilitycustom=1`` clears them,
as the server's does. Delete sends the department's tickets to the trash.
"""

from __future__ import annotations

from adapters.kayako.sim_data import Department
from adapters.kayako.sim_data.directory import delete_department, next_id, reset_children
from adapters.kayako.simulator.base_forms import (
    CLASS_NOT_LOADED,
    INVALID_DATA,
    REQUIRED_EMPTY,
    by_row_id,
    filled,
    given,
    int_of,
    load_failed,
    loosely_one,
    remove_tags,
    uncaught,
)
from adapters.kayako.simulator.core import (
    Call,
    Controller,
    Methods,
    ok_empty,
    status,
    xml_response,
)
from adapters.kayako.simulator.lookup import lookup, render_records
from adapters.kayako.simulator.php import PhpValue
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse

APPS = ("tickets", "livechat")
TYPES = ("public", "private")
INVALID_APP = "Invalid App Specified. You can only create departments for tickets and livechat app."
INVALID_TYPE = 'Invalid Department Type Specified. Valid values are "public" and "private".'
INVALID_PARENT = "Invalid Parent Department"
PARENT_APP = (
    "Invalid Parent Department App. The app type of both parent and child department should match."
)


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
        return {
            "GetList": (self.department_list, 0),
            "Get": (self.department_list, 1),
            "Post": (self.department_post, 0),
            "Put": (self.department_put, 1),
            "Delete": (self.department_delete, 1),
        }

    def department_list(self, call: Call, args: list[str]) -> SimResponse:
        desk = self.desk.departments.values()
        return lookup(
            call, args, desk, write_department, "departments", "department", cast_first=True
        )

    def _answer(self, call: Call, department: Department) -> SimResponse:
        xml = render_records(
            "departments", "department", [department], write_department, department.id
        )
        return xml_response(xml, call)

    def _parent(self, post: dict[str, PhpValue], app: str) -> tuple[int, SimResponse | None]:
        """The parent department the form names (0: none), or the controller's error."""
        raw = filled(post, "parentdepartmentid")
        if raw is None:
            return 0, None
        parent = by_row_id(self.desk.departments, raw)
        if parent is None:
            return 0, status(400, INVALID_PARENT)
        if parent.app != app:
            return 0, status(400, PARENT_APP)
        return parent.id, None

    def _visibility(self, post: dict[str, PhpValue]) -> tuple[int, tuple[int, ...]]:
        if not loosely_one(post.get("uservisibilitycustom")):
            return 0, ()
        groups = post.get("usergroupid")
        if not isinstance(groups, dict) or not groups:
            return 1, ()
        return 1, tuple(int_of(value) for value in groups.values())

    def _nested_parent(self, parent_id: int) -> bool:
        """SWIFT_Department::IsValidParentDepartment fails: the parent has a parent."""
        parent = self.desk.departments.get(parent_id)
        return parent is not None and parent.parentdepartmentid != 0

    def department_post(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        app_raw = post.get("module") if "module" in post else post.get("app")
        if not isinstance(app_raw, str) or app_raw not in APPS:
            return status(400, INVALID_APP)
        kind = post.get("type")
        if not isinstance(kind, str) or kind not in TYPES:
            return status(400, INVALID_TYPE)
        parent_id, error = self._parent(post, app_raw)
        if error is not None:
            return error
        if not given(post, "title"):
            return status(400, REQUIRED_EMPTY)
        if self._nested_parent(parent_id):
            return uncaught(
                "SWIFT_Department_Exception",
                INVALID_DATA,
                "__apps/base/models/Department/class.SWIFT_Department.php",
                245,
            )
        visibility, groups = self._visibility(post)
        order_raw = post.get("displayorder")
        department = Department(
            id=next_id(self.desk.departments),
            title=remove_tags(call.text("title") or "", decode=True),
            type=kind,
            app=app_raw,
            displayorder=int_of(order_raw) if "displayorder" in post else 1,
            parentdepartmentid=parent_id,
            uservisibilitycustom=visibility,
            usergroupids=groups,
        )
        self.desk.departments[department.id] = department
        return self._answer(call, department)

    def department_put(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        department = by_row_id(self.desk.departments, args[0])
        if department is None:
            return load_failed("Department", CLASS_NOT_LOADED)
        kind = post.get("type")
        if "type" in post and kind not in TYPES:
            return status(400, INVALID_TYPE)
        parent_id, error = self._parent(post, department.app)
        if error is not None:
            return error
        if not given(post, "title"):
            return status(400, REQUIRED_EMPTY)
        visibility, groups = self._visibility(post)
        if self._nested_parent(parent_id):
            # SWIFT_Department::Update returns false and changes nothing; the controller
            # answers with the department as it was.
            return self._answer(call, department)
        if parent_id:
            reset_children(self.desk, department.id)
        department.title = remove_tags(call.text("title") or "", decode=False)
        if isinstance(kind, str):
            department.type = kind
        if "displayorder" in post:
            department.displayorder = int_of(post.get("displayorder"))
        department.parentdepartmentid = parent_id
        department.uservisibilitycustom = visibility
        department.usergroupids = groups
        return self._answer(call, department)

    def department_delete(self, call: Call, args: list[str]) -> SimResponse:
        department = by_row_id(self.desk.departments, args[0])
        if department is None:
            return load_failed("Department", CLASS_NOT_LOADED)
        delete_department(self.desk, department.id)
        return ok_empty()
