"""Tickets\\Api\\Controller_TicketSearch: POST a query and the areas to search in.

Areas are form flags set to ``1`` (ticket ID or mask, contents, author, e-mail, creator
e-mail, full name, notes, user group, organisation, user, tags). The server runs MySQL
full-text search; the simulator matches the query as a phrase or all of its words,
case-insensitively, which finds what a full-text index finds for the demo's texts.
Results are capped at the ``t_resultlimit`` setting's default.
"""

from __future__ import annotations

from adapters.kayako.simulator.core import (
    Call,
    Controller,
    Methods,
    Site,
    matcher,
    search_methods,
)
from adapters.kayako.simulator.php import php_empty
from adapters.kayako.simulator.ticket_render import TicketRenderer
from adapters.simulation import SimResponse

SEARCH_RESULT_LIMIT = 1000  # the t_resultlimit setting's default


class TicketSearchController(Controller):
    php_class = "Tickets\\Api\\Controller_TicketSearch"

    def __init__(self, site: Site) -> None:
        super().__init__(site)
        self.render = TicketRenderer(site)

    def methods(self) -> Methods:
        return search_methods(self.ticket_search, "/Tickets/TicketSearch")

    def ticket_search(self, call: Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        raw_query = call.text("query")
        query = raw_query if raw_query is not None and not php_empty(raw_query) else ""
        needle = query.strip().casefold()
        matches = matcher(needle, phrase=call.text("phrase") == "1")

        def flag(name: str) -> bool:
            return post.get(name) == "1"

        found: set[int] = set()
        for ticket in desk.tickets.values():
            user = desk.users.get(ticket.userid)
            org = desk.organizations.get(user.userorganizationid) if user else None
            # A deleted user group stays on its users (see base_usergroup).
            group = desk.user_groups.get(user.usergroupid) if user else None
            hit = bool(
                (
                    flag("ticketid")
                    and needle
                    and (needle == str(ticket.id) or needle == ticket.displayid.casefold())
                )
                or (
                    flag("contents")
                    and (
                        matches(ticket.subject)
                        or any(matches(p.contents) for p in desk.posts.peek(ticket))
                    )
                )
                or (flag("author") and (matches(ticket.fullname) or matches(ticket.email)))
                or (flag("email") and matches(ticket.email))
                or (flag("creatoremail") and matches(ticket.email))
                or (flag("fullname") and matches(ticket.fullname))
                or (flag("notes") and any(matches(n.text) for n in desk.notes.peek(ticket)))
                or (flag("usergroup") and group is not None and matches(group.title))
                or (flag("userorganization") and org is not None and matches(org.name))
                or (
                    flag("user")
                    and user is not None
                    and (matches(user.fullname) or any(matches(e) for e in user.emails))
                )
                or (flag("tags") and bool(needle) and needle in ticket.tags.casefold().split())
            )
            if hit:
                found.add(ticket.id)
        result = [desk.tickets[tid] for tid in sorted(found)][:SEARCH_RESULT_LIMIT]
        return self.render.response(result, True, call)
