"""Base\\API\\Controller_Staff: the agents (staff users), listed and written.

The element and its fields are the documented ones (REST - Staff). The server source of
this one controller was not available to us, so its writes follow the REST docs' fields
(``firstname``, ``lastname``, ``username``, ``password``, ``staffgroupid``, ``email``;
optional ``designation``, ``mobilenumber``, ``staffsignature``, ``isenabled``,
``greeting``, ``timezone``, ``enabledst``) and the sibling controllers' texts
(``One of the required fields is empty``, ``Staff Load Failed: …``); the texts of its own
checks (staff group, e-mail, username) are this simulator's wording, listed in the README.
"""

from __future__ import annotations

from adapters.kayako.sim_data import Staff
from adapters.kayako.sim_data.directory import next_id
from adapters.kayako.simulator.base_forms import (
    CLASS_NOT_LOADED,
    REQUIRED_EMPTY,
    by_row_id,
    email_valid,
    given,
    in_cache,
    int_of,
    load_failed,
)
from adapters.kayako.simulator.core import Call, Controller, Methods, ok_empty, status, xml_response
from adapters.kayako.simulator.lookup import lookup, render_records
from adapters.kayako.simulator.php import PhpValue, php_intval
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse

REQUIRED = ("firstname", "lastname", "username", "email")
INVALID_GROUP = "Invalid Staff Group ID"
INVALID_EMAIL = "Invalid Email Specified"
USERNAME_TAKEN = "Username already in use"


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
        return {
            "GetList": (self.staff_list, 0),
            "Get": (self.staff_list, 1),
            "Post": (self.staff_post, 0),
            "Put": (self.staff_put, 1),
            "Delete": (self.staff_delete, 1),
        }

    def staff_list(self, call: Call, args: list[str]) -> SimResponse:
        staff = self.desk.staff.values()
        return lookup(call, args, staff, write_staff, "staffusers", "staff", cast_first=True)

    def _answer(self, call: Call, staff: Staff) -> SimResponse:
        xml = render_records("staffusers", "staff", [staff], write_staff, staff.id)
        return xml_response(xml, call)

    def _invalid(self, post: dict[str, PhpValue], staff_id: int) -> SimResponse | None:
        """The checks after the required fields: group, e-mail, username."""
        if not in_cache(self.desk.staff_groups, post.get("staffgroupid")):
            return status(400, INVALID_GROUP)
        email = post.get("email")
        if not isinstance(email, str) or not email_valid(email):
            return status(400, INVALID_EMAIL)
        username = str(post.get("username")).strip().lower()
        for other in self.desk.staff.values():
            if other.id != staff_id and other.username.lower() == username:
                return status(400, USERNAME_TAKEN)
        return None

    @staticmethod
    def _apply(staff: Staff, post: dict[str, PhpValue]) -> None:
        """The optional fields the form sends."""
        texts = {
            "designation": "designation",
            "mobilenumber": "mobilenumber",
            "staffsignature": "signature",
            "greeting": "greeting",
            "timezone": "timezone",
        }
        for key, name in texts.items():
            value = post.get(key)
            if isinstance(value, str):
                setattr(staff, name, value)
        for key in ("isenabled", "enabledst"):
            if key in post:
                setattr(staff, key, 1 if int_of(post.get(key)) else 0)

    def staff_post(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        if not all(given(post, key) for key in (*REQUIRED, "password", "staffgroupid")):
            return status(400, REQUIRED_EMPTY)
        error = self._invalid(post, 0)
        if error is not None:
            return error
        staff = Staff(
            id=next_id(self.desk.staff),
            staffgroupid=php_intval(post.get("staffgroupid")),
            firstname=call.text("firstname") or "",
            lastname=call.text("lastname") or "",
            username=call.text("username") or "",
            email=call.text("email") or "",
            designation="",
        )
        self._apply(staff, post)
        self.desk.staff[staff.id] = staff
        return self._answer(call, staff)

    def staff_put(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        staff = by_row_id(self.desk.staff, args[0])
        if staff is None:
            return load_failed("Staff", CLASS_NOT_LOADED)
        if not all(given(post, key) for key in (*REQUIRED, "staffgroupid")):
            return status(400, REQUIRED_EMPTY)
        error = self._invalid(post, staff.id)
        if error is not None:
            return error
        staff.staffgroupid = php_intval(post.get("staffgroupid"))
        staff.firstname = call.text("firstname") or ""
        staff.lastname = call.text("lastname") or ""
        staff.username = call.text("username") or ""
        staff.email = call.text("email") or ""
        self._apply(staff, post)
        return self._answer(call, staff)

    def staff_delete(self, call: Call, args: list[str]) -> SimResponse:
        staff = by_row_id(self.desk.staff, args[0])
        if staff is None:
            return load_failed("Staff", CLASS_NOT_LOADED)
        del self.desk.staff[staff.id]
        return ok_empty()
