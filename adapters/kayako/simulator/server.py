"""The Kayako front controller: from an HTTP request to a controller method.

The API answers at any path ending in ``/api/index.php`` (or ``/api``); anything else is
the web server's 404 page. The route travels in the query (``?e=/Tickets/Ticket/1`` or
``?/Tickets/Ticket/1``). A segment naming a controller method (``ListAll``, ``Filter``, …)
is called with the remaining segments; otherwise the HTTP verb picks ``Get``/``Post``/
``Put``/``Delete`` with all segments as arguments, and a bare GET calls ``GetList``.
Authentication (:mod:`adapters.kayako.simulator.auth`) runs before the controller sets its
content type, so its failures are ``text/html``; too few arguments are PHP's fatal
``ArgumentCountError``. The controllers are one class each, in the modules named after
them (``ticket``, ``ticket_post``, ``base_department``, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from adapters.kayako.sim_data import KayakoDesk
from adapters.kayako.simulator.auth import authenticate, request_variables
from adapters.kayako.simulator.base_customfield import CustomFieldController
from adapters.kayako.simulator.base_department import DepartmentController
from adapters.kayako.simulator.base_staff import StaffController
from adapters.kayako.simulator.base_staffgroup import StaffGroupController
from adapters.kayako.simulator.base_user import UserController
from adapters.kayako.simulator.base_usergroup import UserGroupController
from adapters.kayako.simulator.base_userorganization import UserOrganizationController
from adapters.kayako.simulator.base_usersearch import UserSearchController
from adapters.kayako.simulator.core import HTML_TYPE, Action, Call, Controller, Site, status
from adapters.kayako.simulator.php import php_empty
from adapters.kayako.simulator.ticket import TicketController
from adapters.kayako.simulator.ticket_attachment import TicketAttachmentController
from adapters.kayako.simulator.ticket_count import TicketCountController
from adapters.kayako.simulator.ticket_customfield import TicketCustomFieldController
from adapters.kayako.simulator.ticket_lookups import (
    TicketPriorityController,
    TicketStatusController,
    TicketTypeController,
)
from adapters.kayako.simulator.ticket_note import TicketNoteController
from adapters.kayako.simulator.ticket_post import TicketPostController
from adapters.kayako.simulator.ticket_search import TicketSearchController
from adapters.kayako.simulator.ticket_timetrack import TicketTimeTrackController
from adapters.simulation import Faults, Router, SimRequest, SimResponse

CONTROLLERS: Mapping[tuple[str, str], type[Controller]] = {
    ("tickets", "ticket"): TicketController,
    ("tickets", "ticketsearch"): TicketSearchController,
    ("tickets", "ticketpost"): TicketPostController,
    ("tickets", "ticketnote"): TicketNoteController,
    ("tickets", "tickettimetrack"): TicketTimeTrackController,
    ("tickets", "ticketcustomfield"): TicketCustomFieldController,
    ("tickets", "ticketattachment"): TicketAttachmentController,
    ("tickets", "ticketstatus"): TicketStatusController,
    ("tickets", "ticketpriority"): TicketPriorityController,
    ("tickets", "tickettype"): TicketTypeController,
    ("tickets", "ticketcount"): TicketCountController,
    ("base", "department"): DepartmentController,
    ("base", "staff"): StaffController,
    ("base", "staffgroup"): StaffGroupController,
    ("base", "user"): UserController,
    ("base", "usersearch"): UserSearchController,
    ("base", "usergroup"): UserGroupController,
    ("base", "userorganization"): UserOrganizationController,
    ("base", "customfield"): CustomFieldController,
}
"""(app, controller) as routed (case-insensitive) -> the controller class."""

VERBS = {"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete"}


@dataclass(frozen=True)
class Method:
    php_name: str
    action: Action
    required: int = 0


@dataclass(frozen=True)
class Routed:
    """A controller as the front controller dispatches to it."""

    php_class: str  # for error texts, e.g. Tickets\Api\Controller_Ticket
    methods: Mapping[str, Method]  # lower-case PHP method name -> method


def web_server_404(request: SimRequest) -> SimResponse:
    return SimResponse(404, "404 Not Found\n", HTML_TYPE)


class KayakoServer:
    """The Kayako front controller and API controllers over a :class:`KayakoDesk`."""

    def __init__(
        self, desk: KayakoDesk, *, api_enabled: bool = True, faults: Faults | None = None
    ) -> None:
        self.desk = desk
        self.api_enabled = api_enabled
        self.site = Site(desk, faults if faults is not None else Faults())
        self.controllers = {key: self._routed(cls(self.site)) for key, cls in CONTROLLERS.items()}
        router = Router(not_found=web_server_404)
        router.add("*", "{prefix:path}/api/index.php", self.dispatch)
        router.add("*", "{prefix:path}/api", self.dispatch)
        self.router = router

    @staticmethod
    def _routed(controller: Controller) -> Routed:
        table = {
            name.lower(): Method(name, action, required)
            for name, (action, required) in controller.methods().items()
        }
        return Routed(controller.php_class, table)

    def handle(self, request: SimRequest) -> SimResponse:
        response = self.router(request)
        assert isinstance(response, SimResponse)  # every route here answers synchronously
        return response

    def dispatch(self, request: SimRequest, params: Mapping[str, str]) -> SimResponse:
        route = self._route(request)
        segments = route.strip("/").split("/") if route.strip("/") else []
        if len(segments) < 2:
            return status(404, "Controller not Found")
        controller = self.controllers.get((segments[0].lower(), segments[1].lower()))
        if controller is None:
            return status(404, "Controller not Found")
        if request.method not in VERBS:
            return SimResponse(405, "", HTML_TYPE)
        if not self.api_enabled:
            return SimResponse(403, "", HTML_TYPE)
        variables, post = request_variables(request)
        if php_empty(variables.get("salt")):
            return SimResponse(401, "NO SALT PROVIDED!", HTML_TYPE)
        if not authenticate(variables):
            return SimResponse(401, "FAILED TO AUTHENTICATE", HTML_TYPE)
        rest = segments[2:]
        method: Method | None
        if rest and rest[0].lower() in controller.methods:
            method, args = controller.methods[rest[0].lower()], rest[1:]
        else:
            verb = VERBS[request.method]
            if not rest:
                verb = "getlist" if verb == "get" else verb
                rest = [""]  # SWIFT passes the default action's empty argument
            method, args = controller.methods.get(verb), rest
        if method is None:
            return status(405, "Not Allowed")
        if len(args) < method.required:
            qualified = f"{controller.php_class}::{method.php_name}()"
            return SimResponse(
                500,
                "<br />\n<b>Fatal error</b>:  Uncaught ArgumentCountError: Too few arguments "
                f"to function {qualified}, {len(args)} passed and at least {method.required} "
                "expected<br />\n",
                HTML_TYPE,
            )
        return method.action(Call(request=request, post=post), args)

    @staticmethod
    def _route(request: SimRequest) -> str:
        route = request.query_value("e")
        if route is not None:
            return route
        for key, _value in request.query:
            if key.startswith("/"):
                return key
        return ""
