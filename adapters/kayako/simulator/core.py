"""What every simulated Kayako controller shares: the call, the answers, the site.

The front controller (:mod:`adapters.kayako.simulator.server`) authenticates a request and
hands the controller method a :class:`Call` (``$_POST`` as PHP decoded it, the client's
address, notices printed so far) and the route's remaining segments. The method answers
through the same few shapes the server has: XML from SWIFT_XML (:func:`xml_response`),
``RESTServer::DispatchStatus`` (:func:`status`, a status line and a bare text body), or an
empty 200. Each controller is a :class:`Controller` over the :class:`Site`: the desk,
the faults switched on, and the indexes several controllers read.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from adapters.kayako.sim_data import KayakoDesk, Ticket, UserNote
from adapters.kayako.simulator.php import PhpValue
from adapters.kayako.simulator.swift_xml import SwiftXml
from adapters.simulation import Faults, SimRequest, SimResponse

XML_TYPE = "text/xml;charset=UTF-8"
HTML_TYPE = "text/html; charset=UTF-8"

PHP_NOTICES = "php-notices"
"""The fault switch of PHP notices printed before the XML (``display_errors`` on)."""


@dataclass
class Call:
    """One authenticated API call: what the controller method can see."""

    request: SimRequest
    post: dict[str, PhpValue]  # $_POST
    notices: list[str] = field(default_factory=list)

    def text(self, key: str) -> str | None:
        value = self.post.get(key)
        return value if isinstance(value, str) else None

    @property
    def client_ip(self) -> str:
        return self.request.client[0] if self.request.client else ""


Action = Callable[[Call, list[str]], SimResponse]
TicketAction = Callable[[Call, Ticket, list[str]], SimResponse]
"""An action on the ticket its first argument names (see :meth:`Site.on_ticket`)."""
Methods = dict[str, tuple[Action, int]]
"""PHP method name -> (action, number of arguments it requires)."""


def xml_response(xml: SwiftXml, call: Call | None = None, prefix: str = "") -> SimResponse:
    """SWIFT_XML::EchoXML, after whatever PHP printed first."""
    notices = "".join(call.notices) if call is not None else ""
    return SimResponse(200, notices + prefix + xml.text(), XML_TYPE)


def status(code: int, message: str = "") -> SimResponse:
    """RESTServer::DispatchStatus: a status line and a bare text body."""
    return SimResponse(code, message, XML_TYPE)


def ok_empty() -> SimResponse:
    """A successful Delete: 200 and nothing else."""
    return SimResponse(200, "", XML_TYPE)


def arg(args: Sequence[str], index: int, default: str | None = None) -> str | None:
    """Route argument ``index``, or the PHP default of a parameter not given."""
    return args[index] if index < len(args) else default


def matcher(needle: str, *, phrase: bool) -> Callable[[str], bool]:
    """Whether a text holds the (case-folded) needle as a phrase, or else all its words."""
    words = [needle] if phrase else needle.split()

    def matches(text: str) -> bool:
        folded = text.casefold()
        return bool(words) and all(word in folded for word in words)

    return matches


def refer_to(route: str) -> tuple[Action, int]:
    """A verb the controller does not implement: 400 naming the call to use."""
    message = f"Not Implemented, Call {route} instead."

    def refuse(call: Call, args: list[str]) -> SimResponse:
        return status(400, message)

    return refuse, 0


class Site:
    """The simulated install the controllers work on."""

    def __init__(self, desk: KayakoDesk, faults: Faults) -> None:
        self.desk = desk
        self.faults = faults
        # User and organisation notes are not writable over this API: index them once,
        # and again when deleting a user or an organisation drops theirs.
        self.user_notes: dict[int, list[UserNote]] = {}
        self.org_notes: dict[int, list[UserNote]] = {}
        self.refresh_notes()

    def refresh_notes(self) -> None:
        self.user_notes = self.desk.user_notes_by("user")
        self.org_notes = self.desk.user_notes_by("userorganization")

    def ticket(self, ref: str | None) -> Ticket | None:
        """A ticket by ID or display mask, as the controllers look one up."""
        return self.desk.find_ticket(ref) if ref is not None else None

    def on_ticket(self, action: TicketAction) -> Action:
        """``action`` on the ticket the first argument names, or 404 ``Ticket not Found``."""

        def on_ticket(call: Call, args: list[str]) -> SimResponse:
            ticket = self.ticket(args[0])
            if ticket is None:
                return status(404, "Ticket not Found")
            return action(call, ticket, args)

        return on_ticket

    def notices_on(self) -> bool:
        """Whether this install prints PHP notices (debug mode, ``display_errors`` on)."""
        return self.faults.is_on(PHP_NOTICES)


class Controller(abc.ABC):
    """One API controller: its PHP class (for error texts) and its methods."""

    php_class: ClassVar[str]

    def __init__(self, site: Site) -> None:
        self.site = site
        self.desk = site.desk

    @abc.abstractmethod
    def methods(self) -> Methods:
        """The controller's public methods, by PHP name."""


def lookup_methods(action: Action) -> Methods:
    """A lookup controller: a bare GET lists all, ``/$id$`` one (same method)."""
    return {"GetList": (action, 0), "Get": (action, 1)}


def search_methods(action: Action, route: str) -> Methods:
    """A search controller: POST searches, every other verb is refused."""
    refused = refer_to(f"POST {route}")
    return {"Post": (action, 0), **dict.fromkeys(("GetList", "Get", "Put", "Delete"), refused)}
