"""Base\\API\\Controller_User and _UserSearch: the customers, listed, paged, searched.

``Filter/$marker$/$maxitems$`` pages by user ID from the marker (inclusive, as the
server's ``userid >= marker`` is), at most 1000 a call. UserSearch matches a query against
e-mails, names, phone numbers, organisation and group names.
"""

from __future__ import annotations

from collections.abc import Iterable

from adapters.kayako.sim_data import User
from adapters.kayako.simulator.core import (
    Call,
    Controller,
    Methods,
    arg,
    matcher,
    search_methods,
    status,
    xml_response,
)
from adapters.kayako.simulator.php import php_empty, php_intval
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


class UserController(Controller):
    php_class = "Base\\API\\Controller_User"

    def methods(self) -> Methods:
        return {
            "GetList": (self.user_list, 0),
            "Get": (self.user_get, 1),
            "Filter": (self.user_filter, 0),
        }

    def _users_response(self, call: Call, users: Iterable[User]) -> SimResponse:
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

    def _users_from(self, marker: int, limit: int) -> list[User]:
        users = sorted(self.desk.users.values(), key=lambda u: u.id)
        selected = [u for u in users if u.id >= marker] if marker else users
        return selected if limit < 0 else selected[:limit]

    def user_list(self, call: Call, args: list[str]) -> SimResponse:
        return self._users_response(call, self._users_from(0, 1000))

    def user_get(self, call: Call, args: list[str]) -> SimResponse:
        raw = args[0]
        if php_empty(raw):
            return self._users_response(call, self._users_from(0, 1000))
        user = self.desk.users.get(php_intval(raw))
        return self._users_response(call, [user] if user is not None else [])

    def user_filter(self, call: Call, args: list[str]) -> SimResponse:
        marker_raw, max_raw = arg(args, 0, "0"), arg(args, 1, "1000")
        marker = 0 if php_empty(marker_raw) else php_intval(marker_raw)
        limit = php_intval(max_raw)
        limit = min(limit, 1000)
        return self._users_response(call, self._users_from(marker, limit))

    def user_search(self, call: Call, args: list[str]) -> SimResponse:
        desk = self.desk
        query = call.text("query")
        if query is None or php_empty(query):
            return status(400, "Query should not be empty")
        needle = query.strip().casefold()
        matches = matcher(needle, phrase=php_intval(call.text("phrase")) == 1)

        found = []
        for user in sorted(desk.users.values(), key=lambda u: u.id):
            org = desk.organizations.get(user.userorganizationid)
            group = desk.user_groups.get(user.usergroupid)
            if (
                any(matches(e) for e in user.emails)
                or matches(user.fullname)
                or matches(user.phone)
                or (org is not None and matches(org.name))
                or (group is not None and matches(group.title))
            ):
                found.append(user)
        return self._users_response(call, found)


class UserSearchController(UserController):
    php_class = "Base\\API\\Controller_UserSearch"

    def methods(self) -> Methods:
        return search_methods(self.user_search, "/Base/UserSearch")
