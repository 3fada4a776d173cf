"""Base\\API\\Controller_UserGroup: the groups customers belong to, listed and written.

A group is ``registered`` or ``guest``; ``ismaster`` marks the two built-in groups, which
cannot be deleted. Put changes only the title (the type stays what it was).
"""

from __future__ import annotations

from adapters.kayako.sim_data import UserGroup
from adapters.kayako.sim_data.directory import next_id
from adapters.kayako.simulator.base_forms import REQUIRED_EMPTY, by_row_id, given, load_failed
from adapters.kayako.simulator.core import Call, Controller, Methods, ok_empty, status, xml_response
from adapters.kayako.simulator.lookup import lookup, render_records
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse

GROUP_TYPES = ("guest", "registered")


def write_usergroup(xml: SwiftXml, group: UserGroup) -> None:
    xml.tag("id", str(group.id))
    xml.tag("title", group.title)
    xml.tag("grouptype", group.grouptype)
    xml.tag("ismaster", str(group.ismaster))


class UserGroupController(Controller):
    php_class = "Base\\API\\Controller_UserGroup"

    def methods(self) -> Methods:
        return {
            "GetList": (self.usergroup_list, 0),
            "Get": (self.usergroup_list, 1),
            "Post": (self.usergroup_post, 0),
            "Put": (self.usergroup_put, 1),
            "Delete": (self.usergroup_delete, 1),
        }

    def usergroup_list(self, call: Call, args: list[str]) -> SimResponse:
        groups = self.desk.user_groups.values()
        return lookup(
            call, args, groups, write_usergroup, "usergroups", "usergroup", cast_first=True
        )

    def _answer(self, call: Call, group: UserGroup) -> SimResponse:
        xml = render_records("usergroups", "usergroup", [group], write_usergroup, group.id)
        return xml_response(xml, call)

    @staticmethod
    def _not_loaded(raw: str) -> SimResponse:
        # SWIFT_UserGroup's constructor names the ID as it was given.
        return load_failed("User Group", f"Unable to Load User Group ID: {raw}")

    def usergroup_post(self, call: Call, args: list[str]) -> SimResponse:
        post = call.post
        kind = post.get("grouptype")
        if not given(post, "title") or not isinstance(kind, str) or kind not in GROUP_TYPES:
            return status(400, REQUIRED_EMPTY)
        group = UserGroup(
            id=next_id(self.desk.user_groups),
            title=call.text("title") or "",
            grouptype=kind,
            ismaster=0,
        )
        self.desk.user_groups[group.id] = group
        return self._answer(call, group)

    def usergroup_put(self, call: Call, args: list[str]) -> SimResponse:
        group = by_row_id(self.desk.user_groups, args[0])
        if group is None:
            return self._not_loaded(args[0])
        if not given(call.post, "title"):
            return status(400, REQUIRED_EMPTY)
        group.title = call.text("title") or ""
        return self._answer(call, group)

    def usergroup_delete(self, call: Call, args: list[str]) -> SimResponse:
        group = by_row_id(self.desk.user_groups, args[0])
        if group is None:
            return self._not_loaded(args[0])
        if group.ismaster == 1:
            return status(400, "Cannot delete master user group")
        # The server leaves the group's users pointing at it (its DeleteList says TODO).
        del self.desk.user_groups[group.id]
        return ok_empty()
