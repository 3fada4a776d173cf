"""Base\\API\\Controller_User: the customers, listed, paged, created, updated, deleted.

``Filter/$marker$/$maxitems$`` pages by user ID from the marker (inclusive, as the
server's ``userid >= marker`` is), at most 1000 a call. Post and Put check in the
controller's order with its texts: a registered user group, a known organisation, e-mail
addresses no other user has, a known SLA plan, then the full name (and, to create, a
password). Two server quirks are kept: a valid ``slaplanid`` is stored as 1 (the controller
casts the cached plan *array* to int), and a Put without e-mails keeps the old ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from adapters.kayako.sim_data import User
from adapters.kayako.sim_data.directory import delete_user, next_id
from adapters.kayako.simulator.base_forms import (
    INVALID_DATA,
    REQUIRED_EMPTY,
    by_row_id,
    email_valid,
    filled,
    given,
    in_cache,
    int_of,
    load_failed,
)
from adapters.kayako.simulator.core import (
    Call,
    Controller,
    Methods,
    arg,
    ok_empty,
    status,
    xml_response,
)
from adapters.kayako.simulator.php import PhpValue, php_empty, php_intval, php_key
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


def users_response(call: Call, users: Iterable[User]) -> SimResponse:
    """``<users>``, each user's fields in ProcessUsers' order."""
    xml = SwiftXml()
    xml.open("users")
    for user in users:
        xml.open("user")
        xml.tag("id", str(user.id))
        xml.tag("usergroupid", user.usergroupid)  # (int) cast in the controller
        xml.tag("userrole", user.userrole)
        xml.tag("userorganizationid", user.userorganizationid)  # (int) cast as well
        xml.tag("salutation", user.salutation)
        xml.tag("userexpiry", str(user.userexpiry))
        xml.tag("fullname", user.fullname)
        for address in user.emails:
            xml.tag("email", address)
        xml.fields(
            ("designation", user.designation),
            ("phone", user.phone),
            ("dateline", str(user.dateline)),
            ("lastvisit", str(user.lastvisit)),
            ("isenabled", str(user.isenabled)),
            ("timezone", user.timezone),
            ("enabledst", str(user.enabledst)),
            ("slaplanid", str(user.slaplanid)),
            ("slaplanexpiry", str(user.slaplanexpiry)),
        )
        xml.close("user")
    xml.close("users")
    return xml_response(xml, call)


SALUTATIONS = ("", "Mr.", "Ms.", "Mrs.", "Dr.")
"""SWIFT_User::RetrieveSalutationList, as the English language pack words them."""


class UserController(Controller):
    php_class = "Base\\API\\Controller_User"

    def methods(self) -> Methods:
        return {
            "GetList": (self.user_list, 0),
            "Get": (self.user_get, 1),
            "Filter": (self.user_filter, 0),
            "Post": (self.user_post, 0),
            "Put": (self.user_put, 1),
            "Delete": (self.user_delete, 1),
        }

    def _users_from(self, marker: int, limit: int) -> list[User]:
        users = sorted(self.desk.users.values(), key=lambda u: u.id)
        selected = [u for u in users if u.id >= marker] if marker else users
        return selected if limit < 0 else selected[:limit]

    def user_list(self, call: Call, args: list[str]) -> SimResponse:
        return users_response(call, self._users_from(0, 1000))

    def user_get(self, call: Call, args: list[str]) -> SimResponse:
        raw = args[0]
        if php_empty(raw):
            return users_response(call, self._users_from(0, 1000))
        user = self.desk.users.get(php_intval(raw))
        return users_response(call, [user] if user is not None else [])

    def user_filter(self, call: Call, args: list[str]) -> SimResponse:
        marker_raw, max_raw = arg(args, 0, "0"), arg(args, 1, "1000")
        marker = 0 if php_empty(marker_raw) else php_intval(marker_raw)
        limit = php_intval(max_raw)
        limit = min(limit, 1000)
        return users_response(call, self._users_from(marker, limit))

    # ---- writes -------------------------------------------------------------------------

    def _group_error(self, raw: PhpValue | None) -> SimResponse | None:
        group = self.desk.user_groups.get(php_key(raw) or -1) if not php_empty(raw) else None
        if group is None:
            return status(400, "Invalid User Group")
        if group.grouptype != "registered":
            return status(400, 'User Group Specified is not of "Registered" type')
        return None

    @staticmethod
    def _salutation(post: dict[str, PhpValue], current: str) -> str:
        raw = post.get("salutation")
        if not isinstance(raw, str):
            return current
        for title in SALUTATIONS:
            if title.lower() == raw.lower():
                current = title
        return current

    def _emails(
        self, post: dict[str, PhpValue], user_id: int, verb: str
    ) -> tuple[list[str], SimResponse | None]:
        raw = post.get("email")
        if isinstance(raw, dict):
            emails = [v for v in raw.values() if isinstance(v, str) and email_valid(v)]
        elif isinstance(raw, str) and email_valid(raw):
            emails = [raw]
        else:
            emails = []
        for address in emails:
            owner = self.desk.user_by_email(address)
            if owner is not None and owner.id != user_id:
                message = f"Unable to {verb} user. Email address belongs to an existing user."
                return emails, status(400, message)
        return emails, None

    def _sla(self, post: dict[str, PhpValue], current: int) -> tuple[int, SimResponse | None]:
        raw = filled(post, "slaplanid")
        if raw is None:
            return current, None
        if not in_cache(self.desk.sla_plans, raw):
            return current, status(400, "Invalid SLA Plan")
        return 1, None  # (int) of the cached plan, an array: 1 whichever plan (sic)

    def user_post(self, call: Call, args: list[str]) -> SimResponse:
        post, desk = call.post, self.desk
        error = self._group_error(post.get("usergroupid"))
        if error is not None:
            return error
        salutation = self._salutation(post, "")
        org_id = 0
        if filled(post, "userorganizationid") is not None:
            if by_row_id(desk.organizations, post.get("userorganizationid")) is None:
                return status(400, "Invalid User Organization ID")
            org_id = int_of(post.get("userorganizationid"))
        isenabled = int_of(post.get("isenabled")) if "isenabled" in post else 1
        emails, error = self._emails(post, 0, "insert")
        if error is not None:
            return error
        if not emails:
            return status(400, "Invalid Email Specified")
        plan, error = self._sla(post, 0)
        if error is not None:
            return error
        if not given(post, "fullname") or not given(post, "password"):
            return status(400, REQUIRED_EMPTY)
        user = User(
            id=next_id(desk.users),
            usergroupid=php_intval(post.get("usergroupid")),
            userrole="manager" if post.get("userrole") == "manager" else "user",
            userorganizationid=org_id,
            salutation=salutation,
            fullname=call.text("fullname") or "",
            emails=emails,
            designation=filled(post, "designation") or "",
            phone=filled(post, "phone") or "",
            dateline=desk.clock(),
            lastvisit=0,
            userexpiry=int_of(filled(post, "userexpiry")),
            isenabled=isenabled,
            timezone=filled(post, "timezone") or "",
            enabledst=int_of(post.get("enabledst")),
            slaplanid=plan,
            slaplanexpiry=int_of(filled(post, "slaplanexpiry")) if plan else 0,
        )
        desk.users[user.id] = user
        desk.forget_emails()
        return users_response(call, [user])

    def user_put(self, call: Call, args: list[str]) -> SimResponse:
        post, desk = call.post, self.desk
        user = by_row_id(desk.users, args[0])
        if user is None:
            return load_failed("User", INVALID_DATA)
        org_id = user.userorganizationid
        if filled(post, "userorganizationid") is not None:
            if by_row_id(desk.organizations, post.get("userorganizationid")) is None:
                return status(400, "Invalid User Organization ID")
            org_id = int_of(post.get("userorganizationid"))
        emails, error = self._emails(post, user.id, "update")
        if error is not None:
            return error
        plan, error = self._sla(post, user.slaplanid)
        if error is not None:
            return error
        if not given(post, "fullname"):
            return status(400, REQUIRED_EMPTY)
        group_id = user.usergroupid
        if "usergroupid" in post:
            error = self._group_error(post.get("usergroupid"))
            if error is not None:
                return error
            group_id = php_intval(post.get("usergroupid"))
        role = post.get("userrole")
        user.usergroupid = group_id
        user.userorganizationid = org_id
        user.salutation = self._salutation(post, user.salutation)
        user.fullname = call.text("fullname") or ""
        user.designation = filled(post, "designation") or user.designation
        user.phone = filled(post, "phone") or user.phone
        if "isenabled" in post:
            user.isenabled = int_of(post.get("isenabled"))
        if role in ("manager", "user"):
            user.userrole = str(role)
        if emails:
            user.emails = emails
            desk.forget_emails()
        user.timezone = filled(post, "timezone") or user.timezone
        if "enabledst" in post:
            user.enabledst = int_of(post.get("enabledst"))
        user.slaplanid = plan
        if filled(post, "slaplanexpiry") is not None:
            user.slaplanexpiry = int_of(post.get("slaplanexpiry"))
        if filled(post, "userexpiry") is not None:
            user.userexpiry = int_of(post.get("userexpiry"))
        return users_response(call, [user])

    def user_delete(self, call: Call, args: list[str]) -> SimResponse:
        user = by_row_id(self.desk.users, args[0])
        if user is None:
            return load_failed("User", INVALID_DATA)
        delete_user(self.desk, user.id)
        self.site.refresh_notes()
        return ok_empty()
