"""Base\\API\\Controller_UserSearch: POST a query, get the users it matches.

The query matches e-mails, names, phone numbers, organisation and group names, as a
phrase (``phrase=1``) or all of its words, case-insensitively; the server's SQL ``LIKE``
search finds the same for the demo's data. Every other verb is refused.
"""

from __future__ import annotations

from adapters.kayako.simulator.base_user import users_response
from adapters.kayako.simulator.core import (
    Call,
    Controller,
    Methods,
    matcher,
    search_methods,
    status,
)
from adapters.kayako.simulator.php import php_empty, php_intval
from adapters.simulation import SimResponse


class UserSearchController(Controller):
    php_class = "Base\\API\\Controller_UserSearch"

    def methods(self) -> Methods:
        return search_methods(self.user_search, "/Base/UserSearch")

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
        return users_response(call, found)
