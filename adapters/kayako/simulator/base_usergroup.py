"""Base\\API\\Controller_UserGroup: the groups customers belong to (registered or guest;
``ismaster``: the two built-in groups).
"""

from __future__ import annotations

from adapters.kayako.sim_data import UserGroup
from adapters.kayako.simulator.core import Call, Controller, Methods, lookup_methods
from adapters.kayako.simulator.lookup import lookup
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import SimResponse


def write_usergroup(xml: SwiftXml, group: UserGroup) -> None:
    xml.tag("id", str(group.id))
    xml.tag("title", group.title)
    xml.tag("grouptype", group.grouptype)
    xml.tag("ismaster", str(group.ismaster))


class UserGroupController(Controller):
    php_class = "Base\\API\\Controller_UserGroup"

    def methods(self) -> Methods:
        return lookup_methods(self.usergroup_list)

    def usergroup_list(self, call: Call, args: list[str]) -> SimResponse:
        groups = self.desk.user_groups.values()
        return lookup(
            call, args, groups, write_usergroup, "usergroups", "usergroup", cast_first=True
        )
