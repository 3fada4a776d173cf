"""A local Kayako Classic (v4 REST API) server: the simulated desk the demo runs on.

It answers the way a live Kayako Classic install answers, byte for byte where we know
the bytes, over the data of :mod:`adapters.kayako.sim_data`. Serve it in-process with
``httpx.ASGITransport(app=create_app())`` (base URL ``http://kayako.sim/api/index.php``) or
on a port with :class:`adapters.simulation.ServerThread` (``triage simulate``).

Faithful (read in the server source and/or seen in live captures):

* Routing: the route travels in the query, ``?e=/Tickets/Ticket/1`` or ``?/Tickets/Ticket/1``;
  a segment naming a controller method (``ListAll``, ``GetTicketCount``, ``Filter``,
  ``ListOptions``, or a verb method) is called with the remaining segments, otherwise the HTTP
  verb picks ``Get``/``Post``/``Put``/``Delete`` with all segments as arguments, and a bare
  GET calls ``GetList`` (400 "Not Implemented, Call .../ListAll instead." for posts/tickets).
* Authentication (``Controller_api``): API disabled -> 403 with an empty body; salt missing or
  PHP-empty (including ``"0"``) -> 401 ``NO SALT PROVIDED!``; wrong key or signature -> 401
  ``FAILED TO AUTHENTICATE`` (spaces in the signature read as ``+``). Parameters come from
  the query for GET/DELETE and from the form body only for POST/PUT; a JSON body is used
  for authentication but its fields never reach the controllers. Auth failures are sent
  before the controller sets its content type, so they are ``text/html``; everything after
  is ``text/xml;charset=UTF-8``, including the plain-text error bodies.
* XML (``SWIFT_XML``): ``<?xml version="1.0" encoding="UTF-8"?>``, one element per line, no
  indentation, values in CDATA with C0 controls removed and ``]]>`` split, empty values
  self-closed (PHP 7's ``0 == ''`` makes integer zeros self-closed too: ``<userorganizationid />``),
  attributes escaped like ``htmlspecialchars``, output trimmed.
* Controllers, fields, element order and messages of Ticket (ListAll with the
  unresolved-only default, comma lists, -1, owner 0, offset paging, sort whitelist,
  GetTicketCount, get by ID or display mask, create validations, PUT ignoring invalid IDs,
  Delete), TicketSearch, TicketPost (``\\p{C}`` stripped from contents, attachments block),
  TicketNote, TicketTimeTrack, TicketCustomField, TicketAttachment, TicketStatus,
  TicketPriority, TicketType, TicketCount, Department, Staff, StaffGroup, User (Filter),
  UserSearch, UserGroup, UserOrganization, CustomField (+ListOptions).
* Two server quirks kept on purpose, as a client meets them on a real install:
  ListAll's default status list tests ``in_array($statusID, $departmentIDList)``, so
  department-specific unresolved statuses are *not* listed by default (pass status IDs
  explicitly); and ``User/Filter/$marker$`` returns IDs ``>=`` the marker (inclusive).
* PHP notices before ``<?xml``: on a deterministic ~4 % of single-ticket GETs, and when a
  staff reply is posted without ``isprivate`` (``Undefined index: isprivate``).

Simplified (not in the sources, or out of scope):

* Unknown app/controller -> 404 ``Controller not Found``; a verb the simulator does not
  implement on a known controller (e.g. writes to lookups) -> 405 ``Not Allowed``; too few
  route arguments -> 500 with a PHP fatal-error line (a real PHP 7 server may send 200).
* App and controller names are matched case-insensitively.
* Search (TicketSearch, UserSearch) is substring/all-words matching, not MySQL full text.
* Custom field validation checks only the fields present in the POST (required and
  regexp rules, option IDs, m/d/Y dates); the error lists the failing field titles.
* Custom field groups shown for a ticket: those linked to its department plus any group
  with a stored value. No e-mail is sent, no SLA engine runs (due times are simple
  per-priority offsets), no rate limit exists (Kayako publishes none).

Sources: Kayako Classic REST docs (classichelp.kayako.com "Kayako REST API", "REST - Ticket",
"REST - TicketSearch"); the SWIFT server source (``Controller_api``, ``SWIFT_RESTServer``,
``SWIFT_XML``, ``SWIFT_TicketAPIManager``, ``Tickets\\Api\\Controller_Ticket``/``TicketPost``/
``TicketNote``/``TicketTimeTrack``/``TicketCustomField``/``TicketAttachment``/``TicketSearch``/
``TicketStatus``/``TicketPriority``/``TicketType``/``TicketCount``, ``Base\\API\\
Controller_Department``/``User``/``UserSearch``/``UserGroup``/``UserOrganization``/
``CustomField``); the official PHP client (kyRESTClient.php); live XML captures in the D3
Security "Kayako Classic" integration guide; /work/shared/vendor-apis/kayako-classic.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

from adapters.kayako.sim_data import (
    CF_CHECKBOX,
    CF_DATE,
    CF_LINKEDSELECT,
    CF_MULTISELECT,
    CF_RADIO,
    CF_SELECT,
    TYPE_DEFAULT,
    TYPE_PHONE,
    CustomField,
    CustomValue,
    Department,
    KayakoDesk,
    Organization,
    Post,
    Staff,
    StaffGroup,
    Ticket,
    TicketNote,
    TicketPriority,
    TicketStatus,
    TicketType,
    TimeTrack,
    User,
    UserGroup,
    UserNote,
    generate_desk,
    parse_mdy,
    stable_hash,
)
from adapters.simulation import ASGIApp, SimRequest, SimResponse, asgi_app

# The simulator's own published demo credentials (they open nothing but this simulator).
API_KEY = "6c2b8f0e-4a1d-4e7b-9f3c-2d5a8e1b7c40"
SECRET_KEY = (
    "M2Y5ZDZjMWEtOGIzZS00YzVkLWE3ZjAtOTFlMmI0YzZkOGFh"
    "NWU3YTNiOWMtMWQyZi00ZTZhLWI4YzAtZDNmNWE3ZTliMWMy"
)
# Priya Raman, a Tier 1 support engineer who works the General and Technical queues.
DEMO_STAFF_ID = 2

XML_TYPE = "text/xml;charset=UTF-8"
HTML_TYPE = "text/html; charset=UTF-8"
SEARCH_RESULT_LIMIT = 1000  # the t_resultlimit setting's default
# The only sort fields ListAll accepts (Controller_Ticket::IsValidSortField).
SORT_FIELDS = frozenset(
    {
        "ticketstatustitle",
        "departmenttitle",
        "userid",
        "ownerstaffid",
        "dateline",
        "totalreplies",
        "hasattachments",
        "hasnotes",
        "lastactivity",
        "duetime",
        "creator",
        "isphonecall",
        "isescalated",
        "hasfollowup",
        "hasratings",
        "islinked",
        "tickettype",
        "tickettypetitle",
        "tickettypeid",
        "creationmode",
        "resolutiondateline",
        "isresolved",
        "iswatched",
        "prioritytitle",
        "lastreplier",
    }
)
PHP_ROOT = "/var/www/helpdesk"


# --------------------------------------------------------------------------------------
# PHP semantics the server's behaviour depends on
# --------------------------------------------------------------------------------------

PhpValue = str | dict[str, "PhpValue"]
Bucket = dict[str, int]
_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_INT_KEY = re.compile(r"-?[1-9]\d*|0")
_FORM_KEY = re.compile(r"([^\[]+)((?:\[[^\]]*\])*)")


def php_empty(value: object) -> bool:
    """PHP's empty(): null, "", "0" and empty arrays are empty."""
    if value is None:
        return True
    if isinstance(value, str):
        return value in ("", "0")
    if isinstance(value, dict):
        return not value
    return not value


def php_is_numeric(value: object) -> bool:
    return isinstance(value, str) and _NUMERIC.fullmatch(value) is not None


def php_intval(value: object) -> int:
    """PHP's (int) cast of a string: the leading integer part, else 0."""
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return 0
    match = re.match(r"[ \t\n\r\v\f]*([+-]?\d+)", value)
    return int(match.group(1)) if match else 0


def php_key(value: object) -> int | None:
    """The integer an array lookup ``$cache[$value]`` would use, or None for keys that
    cannot match an integer-keyed cache ("05", " 5", arrays...)."""
    if isinstance(value, str) and _INT_KEY.fullmatch(value):
        return int(value)
    return None


def php_trim(value: str) -> str:
    return value.strip(" \t\n\r\0\x0b")


def php_blank(form: Mapping[str, PhpValue], key: str) -> bool:
    """``!isset($_POST[k]) || empty($_POST[k]) || trim($_POST[k]) == ''``."""
    value = form.get(key)
    return not isinstance(value, str) or php_empty(value) or php_trim(value) == ""


def php_form(pairs: Iterable[tuple[str, str]]) -> dict[str, PhpValue]:
    """Decode form/query pairs into PHP's nested ``$_POST`` arrays (``a[]=1&b[x][y]=2``)."""
    result: dict[str, PhpValue] = {}
    for raw_key, value in pairs:
        match = _FORM_KEY.fullmatch(raw_key)
        if match is None:
            if not raw_key or raw_key.startswith("["):
                continue
            base, subkeys = raw_key, []
        else:
            base, subkeys = match.group(1), re.findall(r"\[([^\]]*)\]", match.group(2))
        base = base.replace(" ", "_").replace(".", "_")
        node: dict[str, PhpValue] = result
        key = base
        for sub in subkeys:
            container = node.get(key)
            if not isinstance(container, dict):
                container = {}
                node[key] = container
            if sub == "":
                numeric = [int(k) for k in container if _INT_KEY.fullmatch(k)]
                sub = str(max(numeric) + 1 if numeric else 0)
            node, key = container, sub
        node[key] = value
    return result


def php_b64decode(value: str) -> bytes:
    """PHP's lenient base64_decode: characters outside the alphabet are ignored."""
    cleaned = re.sub(r"[^A-Za-z0-9+/]", "", value)
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def _php_notice(message: str, path: str, line: int) -> str:
    return (
        f"<br />\n<b>Notice</b>:  {message} in <b>{PHP_ROOT}/{path}</b> on line "
        f"<b>{line}</b><br />\n"
    )


# --------------------------------------------------------------------------------------
# SWIFT_XML
# --------------------------------------------------------------------------------------

XmlValue = str | int | None
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def _attr(value: XmlValue) -> str:
    text = "" if value is None else str(value)
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _is_blank(value: XmlValue) -> bool:
    # PHP 7 loose comparison ``$value == ''``: null, '' and integer 0 are equal to ''.
    return value is None or value == "" or value == 0


def cdata_clean(text: str) -> str:
    """SWIFT_XML::Clean: drop C0 controls (bar tab/CR/LF) and DEL, split ``]]>``."""
    return _C0.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def strip_other_chars(text: str) -> str:
    """TicketPost's ``preg_replace('/(?![\\x{000d}\\x{000a}\\x{0009}])\\p{C}/u', '', ...)``."""
    return "".join(
        ch for ch in text if ch in "\r\n\t" or not unicodedata.category(ch).startswith("C")
    )


class SwiftXml:
    """Builds a response exactly as SWIFT_XML does."""

    def __init__(self) -> None:
        self._parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    @staticmethod
    def _attrs(attrs: Iterable[tuple[str, XmlValue]]) -> str:
        return "".join(f' {name}="{_attr(value)}"' for name, value in attrs)

    def open(self, tag: str, attrs: Iterable[tuple[str, XmlValue]] = ()) -> None:
        self._parts.append(f"<{tag}{self._attrs(attrs)}>\n")

    def close(self, tag: str) -> None:
        self._parts.append(f"</{tag}>\n")

    def tag(self, tag: str, value: XmlValue, attrs: Iterable[tuple[str, XmlValue]] = ()) -> None:
        rendered = self._attrs(attrs)
        if _is_blank(value):
            self._parts.append(f"<{tag}{rendered} />\n")
        else:
            self._parts.append(f"<{tag}{rendered}><![CDATA[{cdata_clean(str(value))}]]></{tag}>\n")

    def fields(self, *pairs: tuple[str, XmlValue]) -> None:
        """One element per (name, value), in order."""
        for name, value in pairs:
            self.tag(name, value)

    def comment(self, text: str) -> None:
        self._parts.append(f"<!-- {text} -->\n")

    def text(self) -> str:
        return php_trim("".join(self._parts))


Attrs = tuple[tuple[str, XmlValue], ...]


def _note_attrs(note: TicketNote) -> Attrs:
    """A ticket note's attributes, the same inside a ticket and in TicketNote."""
    return (
        ("type", "ticket"),
        ("id", note.id),
        ("ticketid", note.ticketid),
        ("notecolor", note.notecolor),
        ("creatorstaffid", note.staffid),
        ("forstaffid", note.forstaffid),
        ("creatorstaffname", note.staffname),
        ("creationdate", note.dateline),
    )


def _user_note_attrs(note: UserNote) -> Attrs:
    """A user or organisation note shown inside a ticket (``userid=`` or
    ``userorganizationid=`` names what it is on)."""
    return (
        ("type", note.linktype),
        ("id", note.id),
        (f"{note.linktype}id", note.linkid),
        ("notecolor", note.notecolor),
        ("creatorstaffid", note.staffid),
        ("forstaffid", "0"),
        ("creatorstaffname", note.staffname),
        ("creationdate", note.dateline),
    )


def _timetrack_attrs(track: TimeTrack) -> Attrs:
    """A time track's attributes (inside a ticket they follow ``type="timetrack"``)."""
    return (
        ("id", track.id),
        ("ticketid", track.ticketid),
        ("timeworked", track.timespent),
        ("timebillable", track.timebillable),
        ("billdate", track.billdate),
        ("workdate", track.workdate),
        ("workerstaffid", track.workerstaffid),
        ("workerstaffname", track.workerstaffname),
        ("creatorstaffid", track.creatorstaffid),
        ("creatorstaffname", track.creatorstaffname),
        ("notecolor", track.notecolor),
    )


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


_R = TypeVar("_R", bound=_HasId)


class _Texted(_HasId, Protocol):
    @property
    def text(self) -> str: ...


_T = TypeVar("_T", bound=_Texted)


def _attribute_list(
    root: str, element: str, records: Iterable[_T], only: int | None, attrs: Callable[[_T], Attrs]
) -> SwiftXml:
    """A list whose records carry their fields as attributes and their text as the
    element's value (notes, time tracks); ``only``: just the record with that ID."""
    xml = SwiftXml()
    xml.open(root)
    for record in records:
        if only is None or record.id == only:
            xml.tag(element, record.text, attrs(record))
    xml.close(root)
    return xml


# --------------------------------------------------------------------------------------
# Requests and dispatch
# --------------------------------------------------------------------------------------


@dataclass
class _Call:
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


Action = Callable[[_Call, list[str]], SimResponse]
# An action on the ticket its first argument names (see KayakoServer._on_ticket).
TicketAction = Callable[[_Call, Ticket, list[str]], SimResponse]


@dataclass(frozen=True)
class _Method:
    php_name: str
    action: Action
    required: int = 0


@dataclass(frozen=True)
class _Controller:
    php_class: str  # for error texts, e.g. Tickets\Api\Controller_Ticket
    methods: Mapping[str, _Method]  # lower-case PHP method name -> method


@dataclass(frozen=True)
class _ChildKind:
    """One child collection of a ticket (posts, notes, time tracks, attachments): what
    its controller's ListAll, Get and Delete differ by."""

    missing: str  # the 404 text for an ID that does not exist
    foreign: str  # the 400 text for an ID of another ticket's child
    owner_of: Callable[[int], int | None]  # the ticket owning a child ID (None: gone)
    render: Callable[[_Call, Ticket, int | None], SimResponse]  # (one or all) as XML
    delete: Callable[[Ticket, int], None]
    render_one: Callable[[_Call, Ticket, int | None], SimResponse] | None = None  # Get's


def _xml(xml: SwiftXml, call: _Call | None = None, prefix: str = "") -> SimResponse:
    notices = "".join(call.notices) if call is not None else ""
    return SimResponse(200, notices + prefix + xml.text(), XML_TYPE)


def _status(code: int, message: str = "") -> SimResponse:
    """RESTServer::DispatchStatus: a status line and a bare text body."""
    return SimResponse(code, message, XML_TYPE)


def _ok_empty() -> SimResponse:
    return SimResponse(200, "", XML_TYPE)


def _arg(args: Sequence[str], index: int, default: str | None = None) -> str | None:
    return args[index] if index < len(args) else default


MIME_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "zip": "application/zip",
    "json": "application/json",
    "xml": "text/xml",
    "html": "text/html",
    "htm": "text/html",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _mime_for(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return MIME_TYPES.get(extension, "application/octet-stream")


def _matcher(needle: str, *, phrase: bool) -> Callable[[str], bool]:
    """Whether a text holds the (case-folded) needle as a phrase, or else all its words."""
    words = [needle] if phrase else needle.split()

    def matches(text: str) -> bool:
        folded = text.casefold()
        return bool(words) and all(word in folded for word in words)

    return matches


def expected_signature(salt: str, secret: str = SECRET_KEY) -> str:
    """base64(HMAC-SHA256(key=secret, message=salt)), the request signature."""
    digest = hmac.new(secret.encode("utf-8"), salt.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class KayakoServer:
    """The Kayako front controller and API controllers over a :class:`KayakoDesk`."""

    def __init__(self, desk: KayakoDesk, *, api_enabled: bool = True) -> None:
        self.desk = desk
        self.api_enabled = api_enabled
        self.controllers: dict[tuple[str, str], _Controller] = self._build_routes()
        # User and organisation notes are not writable over this API: index them once.
        self._user_notes = desk.user_notes_by("user")
        self._org_notes = desk.user_notes_by("userorganization")

    # ---- front controller -------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        path = request.path.rstrip("/")
        if not (path.endswith("/api/index.php") or path.endswith("/api") or path == "/api"):
            return SimResponse(404, "404 Not Found\n", HTML_TYPE)
        route = self._route(request)
        segments = route.strip("/").split("/") if route.strip("/") else []
        if len(segments) < 2:
            return _status(404, "Controller not Found")
        controller = self.controllers.get((segments[0].lower(), segments[1].lower()))
        if controller is None:
            return _status(404, "Controller not Found")
        if request.method not in ("GET", "POST", "PUT", "DELETE"):
            return SimResponse(405, "", HTML_TYPE)
        if not self.api_enabled:
            return SimResponse(403, "", HTML_TYPE)
        variables, post = self._variables(request)
        salt = variables.get("salt")
        if php_empty(salt):
            return SimResponse(401, "NO SALT PROVIDED!", HTML_TYPE)
        if not self._authenticate(variables):
            return SimResponse(401, "FAILED TO AUTHENTICATE", HTML_TYPE)
        rest = segments[2:]
        method: _Method | None
        if rest and rest[0].lower() in controller.methods:
            method, args = controller.methods[rest[0].lower()], rest[1:]
        else:
            verb = {"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete"}[request.method]
            if not rest:
                verb = "getlist" if verb == "get" else verb
                rest = [""]  # SWIFT passes the default action's empty argument
            method, args = controller.methods.get(verb), rest
        if method is None:
            return _status(405, "Not Allowed")
        if len(args) < method.required:
            qualified = f"{controller.php_class}::{method.php_name}()"
            return SimResponse(
                500,
                "<br />\n<b>Fatal error</b>:  Uncaught ArgumentCountError: Too few arguments "
                f"to function {qualified}, {len(args)} passed and at least {method.required} "
                "expected<br />\n",
                HTML_TYPE,
            )
        call = _Call(request=request, post=post)
        return method.action(call, args)

    @staticmethod
    def _route(request: SimRequest) -> str:
        route = request.query_value("e")
        if route is not None:
            return route
        for key, _value in request.query:
            if key.startswith("/"):
                return key
        return ""

    @staticmethod
    def _variables(request: SimRequest) -> tuple[dict[str, PhpValue], dict[str, PhpValue]]:
        """(variables the authentication reads, $_POST the controllers read)."""
        if request.content_type == "application/json":
            try:
                decoded = request.json()
            except ValueError:
                decoded = None
            variables: dict[str, PhpValue] = {}
            if isinstance(decoded, dict):
                variables = {
                    str(k): v if isinstance(v, str) else str(v) for k, v in decoded.items()
                }
            return variables, {}
        if request.method in ("GET", "DELETE"):
            return php_form(request.query), {}
        if request.method == "POST":
            post = php_form(request.form())
            if post:
                return post, post
            # $_POST is empty (no form content type): PHP parses the raw body for auth.
            return php_form(request.urlencoded_body()), {}
        put = php_form(request.urlencoded_body())
        return put, put

    @staticmethod
    def _authenticate(variables: Mapping[str, PhpValue]) -> bool:
        apikey, signature, salt = (variables.get(k) for k in ("apikey", "signature", "salt"))
        if not isinstance(apikey, str) or not isinstance(salt, str):
            return False
        if not hmac.compare_digest(apikey.encode(), API_KEY.encode()):
            return False
        received = signature.replace(" ", "+") if isinstance(signature, str) else ""
        return hmac.compare_digest(received.encode(), expected_signature(salt).encode())

    def _build_routes(self) -> dict[tuple[str, str], _Controller]:
        """Every API controller: its PHP class, and its methods with the number of
        arguments each requires (fewer is PHP's ArgumentCountError)."""
        desk = self.desk
        tickets = "Tickets\\Api\\Controller_"
        base = "Base\\API\\Controller_"

        def ctrl(php_class: str, **methods: tuple[Action, int]) -> _Controller:
            table = {
                name.lower(): _Method(name, action, n) for name, (action, n) in methods.items()
            }
            return _Controller(php_class, table)

        def refer_to(route: str) -> tuple[Action, int]:
            """A verb the controller does not implement: 400 naming the call to use."""
            message = f"Not Implemented, Call {route} instead."
            return (lambda _call, _args: _status(400, message)), 0

        def search(action: Action, route: str) -> dict[str, tuple[Action, int]]:
            """A search controller: POST searches, every other verb is refused."""
            refused = refer_to(f"POST {route}")
            return {
                "Post": (action, 0),
                **dict.fromkeys(("GetList", "Get", "Put", "Delete"), refused),
            }

        def lookup(action: Action) -> dict[str, tuple[Action, int]]:
            """A lookup controller: a bare GET lists all, ``/$id$`` one (same method)."""
            return {"GetList": (action, 0), "Get": (action, 1)}

        def children(name: str, kind: _ChildKind, create: Action) -> _Controller:
            """A ticket's child collection: ``ListAll/$ticketid$[/$id$]``, Get and Delete
            ``/$ticketid$/$id$``, Post with the ticket ID in the form."""
            return ctrl(
                tickets + name,
                GetList=refer_to(f"/Tickets/{name}/ListAll"),
                ListAll=(self._on_ticket(partial(self._child_list, kind)), 1),
                Get=(self._on_ticket(partial(self._child_get, kind)), 2),
                Post=(create, 0),
                Delete=(self._on_ticket(partial(self._child_delete, kind)), 2),
            )

        posts = _ChildKind(
            missing="Ticket Post not Found",
            foreign="Post does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.post_ids, desk.posts)[0],
            render=self._posts_response,
            delete=desk.delete_post,
        )
        notes = _ChildKind(
            missing="Ticket note not Found",
            foreign="Ticket note does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.note_ids, desk.notes)[0],
            render=self._notes_response,
            delete=desk.delete_note,
        )
        timetracks = _ChildKind(
            missing="Ticket time tracking note not Found",
            foreign="Ticket time tracking note does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.timetrack_ids, desk.timetracks)[0],
            render=self._timetracks_response,
            delete=desk.delete_timetrack,
        )
        attachments = _ChildKind(
            missing="Attachment not Found",
            foreign="Attachment does not belong to the specified ticket",
            owner_of=lambda rid: desk.find_child(rid, desk.attachment_ids, desk.attachments)[0],
            # Only Get sends the file contents.
            render=partial(self._attachments_response, with_contents=False),
            render_one=partial(self._attachments_response, with_contents=True),
            delete=desk.delete_attachment,
        )
        return {
            ("tickets", "ticket"): ctrl(
                tickets + "Ticket",
                GetList=refer_to("/Tickets/Ticket/ListAll"),
                ListAll=(self.ticket_list, 1),
                GetTicketCount=(self.ticket_count, 1),
                Get=(self._on_ticket(self.ticket_get), 1),
                Post=(self.ticket_post, 0),
                Put=(self._on_ticket(self.ticket_put), 1),
                Delete=(self._on_ticket(self.ticket_delete), 1),
            ),
            ("tickets", "ticketsearch"): ctrl(
                tickets + "TicketSearch", **search(self.ticket_search, "/Tickets/TicketSearch")
            ),
            ("tickets", "ticketpost"): children("TicketPost", posts, self.post_create),
            ("tickets", "ticketnote"): children("TicketNote", notes, self.note_create),
            ("tickets", "tickettimetrack"): children(
                "TicketTimeTrack", timetracks, self.timetrack_create
            ),
            ("tickets", "ticketcustomfield"): ctrl(
                tickets + "TicketCustomField",
                GetList=refer_to("GET /Tickets/TicketCustomField/$ticketid$"),
                Get=(self._on_ticket(self.customfield_get), 1),
                Post=(self._on_ticket(self.customfield_post), 1),
            ),
            ("tickets", "ticketattachment"): children(
                "TicketAttachment", attachments, self.attachment_create
            ),
            ("tickets", "ticketstatus"): ctrl(tickets + "TicketStatus", **lookup(self.status_list)),
            ("tickets", "ticketpriority"): ctrl(
                tickets + "TicketPriority", **lookup(self.priority_list)
            ),
            ("tickets", "tickettype"): ctrl(tickets + "TicketType", **lookup(self.type_list)),
            ("tickets", "ticketcount"): ctrl(tickets + "TicketCount", GetList=(self.counts, 0)),
            ("base", "department"): ctrl(base + "Department", **lookup(self.department_list)),
            ("base", "staff"): ctrl(base + "Staff", **lookup(self.staff_list)),
            ("base", "staffgroup"): ctrl(base + "StaffGroup", **lookup(self.staffgroup_list)),
            ("base", "user"): ctrl(
                base + "User",
                GetList=(self.user_list, 0),
                Get=(self.user_get, 1),
                Filter=(self.user_filter, 0),
            ),
            ("base", "usersearch"): ctrl(
                base + "UserSearch", **search(self.user_search, "/Base/UserSearch")
            ),
            ("base", "usergroup"): ctrl(base + "UserGroup", **lookup(self.usergroup_list)),
            ("base", "userorganization"): ctrl(
                base + "UserOrganization", **lookup(self.organization_list)
            ),
            ("base", "customfield"): ctrl(
                base + "CustomField",
                GetList=(self.customfield_definitions, 0),
                ListOptions=(self.customfield_options, 1),
            ),
        }

    def _on_ticket(self, action: TicketAction) -> Action:
        """``action`` on the ticket the first argument names (ID or display mask), or 404
        ``Ticket not Found``."""

        def on_ticket(call: _Call, args: list[str]) -> SimResponse:
            ticket = self._ticket(args[0])
            if ticket is None:
                return _status(404, "Ticket not Found")
            return action(call, ticket, args)

        return on_ticket

    # ---- rendering --------------------------------------------------------------------

    def render_tickets(self, xml: SwiftXml, tickets: Sequence[Ticket], with_posts: bool) -> None:
        """SWIFT_TicketAPIManager::RenderTickets."""
        desk = self.desk
        notes_by_user, notes_by_org = self._user_notes, self._org_notes
        xml.open("tickets")
        for t in tickets:
            user = desk.users.get(t.userid)
            org_id, org_name = 0, ""
            if user is not None:
                org = desk.organizations.get(user.userorganizationid)
                org_id = user.userorganizationid
                org_name = org.name if org else ""
            xml.open("ticket", (("id", t.id), ("flagtype", t.flagtype)))
            xml.fields(
                ("displayid", t.displayid),
                ("departmentid", str(t.departmentid)),
                ("statusid", str(t.statusid)),
                ("priorityid", str(t.priorityid)),
                ("typeid", str(t.typeid)),
                ("userid", str(t.userid)),
                ("userorganization", org_name),
                ("userorganizationid", org_id),
                ("ownerstaffid", str(t.ownerstaffid)),
                ("ownerstaffname", desk.staff_name(t.ownerstaffid)),
                ("fullname", t.fullname),
                ("email", t.email),
                ("lastreplier", t.lastreplier),
                ("subject", t.subject),
                ("creationtime", str(t.creationtime)),
                ("lastactivity", str(t.lastactivity)),
                ("laststaffreply", str(t.laststaffreply)),
                ("lastuserreply", str(t.lastuserreply)),
                ("slaplanid", str(t.slaplanid)),
                ("nextreplydue", str(t.duetime)),
                ("resolutiondue", str(t.resolutiondue)),
                ("replies", str(t.replies)),
                ("ipaddress", t.ipaddress),
                ("creator", str(t.creator)),
                ("creationmode", str(t.creationmode)),
                ("creationtype", str(t.creationtype)),
                ("isescalated", str(t.isescalated)),
                ("escalationruleid", str(t.escalationruleid)),
                ("templategroupid", str(t.templategroupid)),
                ("tags", t.tags),
            )
            group = desk.template_groups.get(t.templategroupid)
            if group is not None:
                xml.tag("templategroupname", group.title)
            for staff_id in t.watchers:
                if staff_id in desk.staff:
                    xml.tag(
                        "watcher", "", (("staffid", staff_id), ("name", desk.staff_name(staff_id)))
                    )
            for workflow_id in t.workflows:
                workflow = desk.workflows.get(workflow_id)
                if workflow is not None:
                    xml.tag("workflow", "", (("id", workflow.id), ("title", workflow.title)))
            for note in sorted(desk.notes.get(t), key=lambda n: (n.dateline, n.id)):
                xml.tag("note", note.text, _note_attrs(note))
            user_notes = notes_by_user.get(t.userid, [])
            org_notes = notes_by_org.get(org_id, []) if org_id else []
            for unote in user_notes + org_notes:
                xml.tag("note", unote.text, _user_note_attrs(unote))
            for track in sorted(desk.timetracks.get(t), key=lambda x: (x.dateline, x.id)):
                xml.tag("note", track.text, (("type", "timetrack"), *_timetrack_attrs(track)))
            if with_posts:
                xml.open("posts")
                for post in sorted(desk.posts.get(t), key=lambda p: p.id):
                    xml.open("post")
                    self._post_fields(xml, post, post.contents)
                    xml.close("post")
                xml.close("posts")
            xml.close("ticket")
        xml.close("tickets")

    @staticmethod
    def _post_fields(xml: SwiftXml, post: Post, contents: str) -> None:
        xml.fields(
            ("id", str(post.id)),
            ("ticketpostid", str(post.id)),
            ("ticketid", str(post.ticketid)),
            ("dateline", str(post.dateline)),
            ("userid", str(post.userid)),
            ("fullname", post.fullname),
            ("email", post.email),
            ("emailto", post.emailto),
            ("ipaddress", post.ipaddress),
            ("hasattachments", str(post.hasattachments)),
            ("creator", str(post.creator)),
            ("isthirdparty", str(post.isthirdparty)),
            ("ishtml", str(post.ishtml)),
            ("isemailed", str(post.isemailed)),
            ("staffid", str(post.staffid)),
            ("issurveycomment", str(post.issurveycomment)),
            ("contents", contents),
            ("isprivate", str(post.isprivate)),
        )

    def _tickets_response(
        self, tickets: Sequence[Ticket], with_posts: bool, call: _Call, prefix: str = ""
    ) -> SimResponse:
        xml = SwiftXml()
        self.render_tickets(xml, tickets, with_posts)
        return _xml(xml, call, prefix)

    def _ticket(self, ref: str | None) -> Ticket | None:
        return self.desk.find_ticket(ref) if ref is not None else None

    # ---- Tickets/Ticket ---------------------------------------------------------------

    def _filter(self, args: Sequence[str]) -> list[Ticket]:
        """Controller_Ticket::ProcessTicketRelatedData, applied to the desk."""
        desk = self.desk

        def id_list(raw: str | None) -> list[int]:  # RetrieveIDListFromCSV
            if raw is not None and php_is_numeric(raw):
                return [int(float(raw))]
            if raw is not None and "," in raw:
                return [php_intval(v) for v in raw.split(",") if php_is_numeric(v)]
            return [0]

        def is_minus_one(raw: str | None) -> bool:  # $raw != -1 (PHP 7 loose)
            return raw is None or (php_is_numeric(raw) and float(raw) == -1)

        departments = [d for d in id_list(_arg(args, 0)) if d in desk.departments]
        status_raw, owner_raw, user_raw = _arg(args, 1), _arg(args, 2), _arg(args, 3)
        statuses = [
            s
            for s in ([] if is_minus_one(status_raw) else id_list(status_raw))
            if s in desk.statuses and desk.statuses[s].departmentid in (0, *departments)
        ]
        if not statuses:
            # The server's own test compares status IDs with department IDs (sic).
            statuses = [
                s.id
                for s in desk.statuses.values()
                if (s.departmentid == 0 or s.id in departments) and s.markasresolved == 0
            ]
        owners = set() if is_minus_one(owner_raw) else set(id_list(owner_raw))
        users = set() if is_minus_one(user_raw) else set(id_list(user_raw))
        department_set, status_set = set(departments), set(statuses)
        return [
            t
            for t in desk.tickets.values()
            if t.departmentid in department_set
            and t.statusid in status_set
            and (not owners or t.ownerstaffid in owners)
            and (not users or t.userid in users)
        ]

    def _sort_key(self, name: str) -> Callable[[Ticket], Any]:
        desk = self.desk

        def title(value: str) -> str:
            return value.casefold()

        keys: dict[str, Callable[[Ticket], Any]] = {
            "ticketstatustitle": lambda t: title(desk.statuses[t.statusid].title),
            "departmenttitle": lambda t: title(desk.departments[t.departmentid].title),
            "userid": lambda t: t.userid,
            "ownerstaffid": lambda t: t.ownerstaffid,
            "dateline": lambda t: t.creationtime,
            "totalreplies": lambda t: t.replies,
            "hasattachments": lambda t: t.hasattachments,
            "hasnotes": lambda t: t.hasnotes,
            "lastactivity": lambda t: t.lastactivity,
            "duetime": lambda t: t.duetime,
            "creator": lambda t: t.creator,
            "isphonecall": lambda t: 1 if t.creationtype == TYPE_PHONE else 0,
            "isescalated": lambda t: t.isescalated,
            "hasfollowup": lambda t: 0,
            "hasratings": lambda t: 0,
            "islinked": lambda t: 0,
            "tickettype": lambda t: t.creationtype,
            "tickettypetitle": lambda t: title(desk.types[t.typeid].title),
            "tickettypeid": lambda t: t.typeid,
            "creationmode": lambda t: t.creationmode,
            "resolutiondateline": lambda t: t.resolutiondateline,
            "isresolved": lambda t: t.isresolved,
            "iswatched": lambda t: 1 if t.watchers else 0,
            "prioritytitle": lambda t: title(desk.priorities[t.priorityid].title),
            "lastreplier": lambda t: title(t.lastreplier),
        }
        return keys.get(name, lambda t: t.id)

    def ticket_list(self, call: _Call, args: list[str]) -> SimResponse:
        matches = self._filter(args)
        sort_raw = re.sub(r"[^A-Za-z0-9_]", "", _arg(args, 6) or "").lower()
        order_raw = (_arg(args, 7) or "ASC").upper()
        descending = order_raw == "DESC"
        if sort_raw in SORT_FIELDS:
            matches.sort(key=self._sort_key(sort_raw), reverse=descending)
        elif descending:
            matches.reverse()
        rows_raw, offset_raw = _arg(args, 4), _arg(args, 5, "0")
        rows = -1 if php_empty(rows_raw) else php_intval(rows_raw)
        offset = max(php_intval(offset_raw), 0)
        page = matches[offset:] if rows < 0 else matches[offset : offset + rows]
        return self._tickets_response(page, False, call)

    def ticket_count(self, call: _Call, args: list[str]) -> SimResponse:
        xml = SwiftXml()
        xml.open("tickets")
        xml.tag("totalcount", str(len(self._filter(args))))
        xml.close("tickets")
        return _xml(xml, call)

    def ticket_get(self, call: _Call, ticket: Ticket, args: list[str]) -> SimResponse:
        prefix = ""
        # Real installs often run with display_errors on; a deterministic few tickets trip
        # a notice while rendering, which lands before the XML declaration.
        if stable_hash(self.desk.seed, ticket.id) % 25 == 0:
            prefix = _php_notice(
                "Undefined offset: 1",
                "__apps/tickets/models/Ticket/class.SWIFT_Ticket.php",
                2291,
            )
        return self._tickets_response([ticket], True, call, prefix)

    def ticket_post(self, call: _Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        for key, message in (
            ("subject", "Subject is empty"),
            ("fullname", "Fullname is empty"),
            ("email", "Email is empty"),
            ("contents", "Contents is empty"),
            ("departmentid", "Department ID is empty"),
            ("ticketstatusid", "Ticket Status ID is empty"),
            ("ticketpriorityid", "Ticket Priority ID is empty"),
            ("tickettypeid", "Ticket Type ID is empty"),
        ):
            if php_blank(post, key):
                return _status(400, message)
        if all(php_blank(post, key) for key in ("userid", "staffid", "autouserid")):
            return _status(
                400, "Staff ID, User ID and Auto User ID values are empty or not provided"
            )
        department = desk.departments.get(php_key(post.get("departmentid")) or -1)
        if department is None:
            return _status(400, "Department ID is Invalid")
        if department.app != "tickets":
            return _status(400, "Department App is not Tickets")
        status_id = php_key(post.get("ticketstatusid"))
        if status_id not in desk.statuses:
            return _status(400, "Ticket Status ID is Invalid")
        priority_id = php_key(post.get("ticketpriorityid"))
        if priority_id not in desk.priorities:
            return _status(400, "Ticket Priority ID is Invalid")
        type_id = php_key(post.get("tickettypeid"))
        if type_id not in desk.types:
            return _status(400, "Ticket Type ID is Invalid")
        if "staffid" in post and php_key(post.get("staffid")) not in desk.staff:
            return _status(400, "Staff ID is Invalid")
        assert status_id is not None and priority_id is not None and type_id is not None
        template_group = self._template_group(call.text("templategroup"))
        fullname = call.text("fullname") or ""
        email = call.text("email") or ""
        user_id = staff_id = 0
        if call.text("autouserid") == "1":
            user_id = desk.get_or_create_user(fullname, email).id
        elif "userid" in post:
            user_id = php_intval(call.text("userid"))
            user = desk.users.get(user_id)
            if user is not None:
                if email not in user.emails:
                    return _status(400, "User Email is Invalid")
                fullname = user.fullname
        elif "staffid" in post:
            staff_id = php_intval(call.text("staffid"))
            user_id = desk.get_or_create_user(fullname, email).id
        creationtype = TYPE_PHONE if call.text("type") == "phone" else TYPE_DEFAULT
        creator_name, creator_email, email_to = fullname, email, ""
        staff = desk.staff.get(staff_id)
        if staff is not None and creationtype == TYPE_DEFAULT and "@" in email:
            # A staff-created ticket mails the first post to the customer.
            email_to, creator_name, creator_email = email, staff.fullname, staff.email
        owner = php_key(post.get("ownerstaffid"))
        ticket = desk.create_ticket(
            subject=call.text("subject") or "",
            fullname=creator_name,
            email=creator_email,
            contents=call.text("contents") or "",
            departmentid=department.id,
            statusid=status_id,
            priorityid=priority_id,
            typeid=type_id,
            userid=user_id,
            staffid=staff_id,
            creationtype=creationtype,
            ownerstaffid=owner if owner in desk.staff and owner is not None else 0,
            templategroupid=template_group,
            ipaddress=call.client_ip,
            emailto=email_to,
        )
        return self._tickets_response([ticket], True, call)

    def _template_group(self, raw: str | None) -> int:
        groups = self.desk.template_groups
        if raw is None:
            return 1
        key = php_key(raw)
        if key is not None and key in groups:
            return key
        for group in groups.values():
            if group.title.lower() == raw.lower():
                return group.id
        return 1

    def ticket_put(self, call: _Call, ticket: Ticket, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        changes: dict[str, Any] = {}
        department = desk.departments.get(php_key(post.get("departmentid")) or -1)
        if department is not None and department.app == "tickets":
            changes["departmentid"] = department.id
        for key, name, table in (
            ("ticketstatusid", "statusid", desk.statuses),
            ("ticketpriorityid", "priorityid", desk.priorities),
            ("tickettypeid", "typeid", desk.types),
        ):
            value = php_key(post.get(key))
            if value is not None and value in table:
                changes[name] = value
        owner_raw = post.get("ownerstaffid")
        owner = php_key(owner_raw)
        if owner_raw == "0" or (owner is not None and owner in desk.staff):
            changes["ownerstaffid"] = owner or 0
        for key in ("subject", "fullname", "email"):
            text = post.get(key)
            if isinstance(text, str):
                changes[key] = text
        user_raw = post.get("userid")
        if not php_empty(user_raw) and php_key(user_raw) in desk.users:
            changes["userid"] = php_key(user_raw)
        template_raw = call.text("templategroup")
        if template_raw is not None:
            changes["templategroupid"] = self._template_group(template_raw)
        desk.update_ticket(ticket, **changes)
        return self._tickets_response([ticket], True, call)

    def ticket_delete(self, call: _Call, ticket: Ticket, args: list[str]) -> SimResponse:
        self.desk.delete_ticket(ticket)
        return _ok_empty()

    # ---- Tickets/TicketSearch ---------------------------------------------------------

    def ticket_search(self, call: _Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        raw_query = call.text("query")
        query = raw_query if raw_query is not None and not php_empty(raw_query) else ""
        needle = query.strip().casefold()
        matches = _matcher(needle, phrase=call.text("phrase") == "1")

        def flag(name: str) -> bool:
            return post.get(name) == "1"

        found: set[int] = set()
        for ticket in desk.tickets.values():
            user = desk.users.get(ticket.userid)
            org = desk.organizations.get(user.userorganizationid) if user else None
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
                or (
                    flag("usergroup")
                    and user is not None
                    and matches(desk.user_groups[user.usergroupid].title)
                )
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
        return self._tickets_response(result, True, call)

    # ---- a ticket's child collections (TicketPost, TicketNote, ...) ------------------

    def _child_list(
        self, kind: _ChildKind, call: _Call, ticket: Ticket, args: list[str]
    ) -> SimResponse:
        """``ListAll/$ticketid$[/$id$]``: every child, or the one named (0 or empty: all)."""
        only_raw = _arg(args, 1)
        only = php_intval(only_raw) if not php_empty(only_raw) else None
        return kind.render(call, ticket, only)

    def _child_found(
        self, kind: _ChildKind, ticket: Ticket, raw_id: str
    ) -> tuple[int, SimResponse | None]:
        """A child by global ID: 404 when missing, 400 when another ticket's."""
        rid = php_intval(raw_id)
        owner = kind.owner_of(rid)
        if owner is None:
            return rid, _status(404, kind.missing)
        if owner != ticket.id:
            return rid, _status(400, kind.foreign)
        return rid, None

    def _child_get(
        self, kind: _ChildKind, call: _Call, ticket: Ticket, args: list[str]
    ) -> SimResponse:
        """``Get/$ticketid$/$id$``."""
        rid, error = self._child_found(kind, ticket, args[1])
        return error or (kind.render_one or kind.render)(call, ticket, rid)

    def _child_delete(
        self, kind: _ChildKind, call: _Call, ticket: Ticket, args: list[str]
    ) -> SimResponse:
        """``Delete/$ticketid$/$id$``."""
        rid, error = self._child_found(kind, ticket, args[1])
        if error is not None:
            return error
        kind.delete(ticket, rid)
        return _ok_empty()

    # ---- Tickets/TicketPost -----------------------------------------------------------

    def _posts_response(self, call: _Call, ticket: Ticket, only: int | None) -> SimResponse:
        desk = self.desk
        xml = SwiftXml()
        xml.open("posts")
        attachments = desk.attachments.get(ticket)
        for post in sorted(desk.posts.get(ticket), key=lambda p: p.id):
            if only is not None and post.id != only:
                continue
            xml.open("post")
            self._post_fields(xml, post, strip_other_chars(post.contents))
            if post.hasattachments:
                xml.open("attachments")
                for attachment in attachments:
                    if attachment.postid != post.id:
                        continue
                    xml.open("attachment")
                    xml.tag("id", str(attachment.id))
                    xml.tag("filename", attachment.filename)
                    xml.tag("filesize", str(attachment.filesize))
                    xml.tag("filetype", attachment.filetype)
                    xml.tag("dateline", str(attachment.dateline))
                    xml.tag("contents", base64.b64encode(attachment.data).decode("ascii"))
                    xml.close("attachment")
                xml.close("attachments")
            xml.close("post")
        xml.close("posts")
        return _xml(xml, call)

    def post_create(self, call: _Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return _status(400, "No Ticket ID Specified")
        if php_blank(post, "contents"):
            return _status(400, "No Contents Specified")
        if php_blank(post, "userid") and php_blank(post, "staffid"):
            return _status(400, "Staff ID and User ID is empty")
        ticket = self._ticket(call.text("ticketid"))
        if ticket is None:
            return _status(404, "Ticket not Found")
        uploads: list[tuple[str, bytes]] = []
        for key in list(post):
            match = re.fullmatch(r"filename([0-9]?)", key)
            content = post.get(f"filecontent{match.group(1)}") if match else None
            name = post.get(key)
            if match and isinstance(content, str) and isinstance(name, str):
                uploads.append((name, php_b64decode(content)))
        if not php_empty(post.get("userid")):
            user = desk.users.get(php_key(post.get("userid")) or -1)
            if user is None:
                return _status(400, "User ID is Invalid")
            userid, staffid, fullname, isprivate = user.id, 0, user.fullname, 0
            email = user.emails[0] if user.emails else ""
        else:
            staff = desk.staff.get(php_key(post.get("staffid")) or -1)
            if staff is None:
                return _status(400, "Staff ID is Invalid")
            if "isprivate" not in post:
                call.notices.append(
                    _php_notice(
                        "Undefined index: isprivate",
                        "__apps/tickets/api/class.Controller_TicketPost.php",
                        327,
                    )
                )
            userid, staffid, fullname, email = 0, staff.id, staff.fullname, staff.email
            isprivate = 1 if call.text("isprivate") == "1" else 0
        new_post = desk.add_post(
            ticket,
            contents=call.text("contents") or "",
            userid=userid,
            staffid=staffid,
            fullname=fullname,
            email=email,
            isprivate=isprivate,
            ipaddress=call.client_ip,
        )
        for filename, data in uploads:
            desk.add_attachment(
                ticket, new_post, filename=filename, filetype=_mime_for(filename), data=data
            )
        return self._posts_response(call, ticket, new_post.id)

    # ---- Tickets/TicketNote -----------------------------------------------------------

    def _notes_response(self, call: _Call, ticket: Ticket, only: int | None) -> SimResponse:
        notes = sorted(self.desk.notes.get(ticket), key=lambda n: n.id)
        return _xml(_attribute_list("notes", "note", notes, only, _note_attrs), call)

    def note_create(self, call: _Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return _status(400, "No Ticket ID Specified")
        ticket = self._ticket(call.text("ticketid"))
        if ticket is None:
            return _status(404, "Ticket not Found")
        staff = desk.staff.get(php_key(post.get("staffid")) or -1)
        if php_blank(post, "fullname") and staff is None:
            return _status(400, "No fullname or staff id specified")
        if "contents" not in post:
            return _status(400, "No contents specified")
        name = staff.fullname if staff is not None else (call.text("fullname") or "")
        for_staff = php_key(post.get("forstaffid"))
        color_raw = post.get("notecolor")
        note = desk.add_note(
            ticket,
            staffid=staff.id if staff is not None else 0,
            staffname=name,
            forstaffid=for_staff if for_staff in desk.staff and for_staff is not None else 0,
            notecolor=php_intval(color_raw) if not php_empty(color_raw) else 1,
            text=call.text("contents") or "",
        )
        return self._notes_response(call, ticket, note.id)

    # ---- Tickets/TicketTimeTrack ------------------------------------------------------

    def _timetracks_response(self, call: _Call, ticket: Ticket, only: int | None) -> SimResponse:
        tracks = sorted(self.desk.timetracks.get(ticket), key=lambda x: x.id)
        return _xml(
            _attribute_list("timetracks", "timetrack", tracks, only, _timetrack_attrs), call
        )

    def timetrack_create(self, call: _Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return _status(400, "No Ticket ID Specified")
        ticket = self._ticket(call.text("ticketid"))
        if ticket is None:
            return _status(404, "Ticket not Found")
        creator = desk.staff.get(php_key(post.get("staffid")) or -1)
        if creator is None:
            return _status(400, "No staff id specified")
        if "contents" not in post:
            return _status(400, "No contents specified")
        for key, message in (
            ("worktimeline", "No work timeline specified"),
            ("billtimeline", "No bill timeline specified"),
        ):
            if php_empty(post.get(key)):
                return _status(400, message)
        if "timespent" not in post:
            return _status(400, "No time spent specified")
        if "timebillable" not in post:
            return _status(400, "No time billable specified")
        worker: Staff = creator
        if "workerstaffid" in post:
            chosen = desk.staff.get(php_key(post.get("workerstaffid")) or -1)
            if php_empty(post.get("workerstaffid")) or chosen is None:
                return _status(400, "Invalid worker staff id specified")
            worker = chosen
        color_raw = post.get("notecolor")
        track = desk.add_timetrack(
            ticket,
            creator=creator,
            worker=worker,
            timespent=php_intval(post.get("timespent")),
            timebillable=php_intval(post.get("timebillable")),
            workdate=php_intval(post.get("worktimeline")),
            billdate=php_intval(post.get("billtimeline")),
            notecolor=php_intval(color_raw) if not php_empty(color_raw) else 1,
            text=call.text("contents") or "",
        )
        return self._timetracks_response(call, ticket, track.id)

    # ---- Tickets/TicketCustomField ----------------------------------------------------

    def _render_value(self, cf: CustomField, value: CustomValue | None) -> str:
        options = self.desk.cf_options
        if value is None:
            return ""
        if cf.fieldtype in (CF_SELECT, CF_RADIO) and isinstance(value, int):
            option = options.get(value)
            return option.value if option else str(value)
        if cf.fieldtype in (CF_MULTISELECT, CF_CHECKBOX) and isinstance(value, list):
            labels = [options[v].value if v in options else str(v) for v in value]
            return ", ".join(label.replace(",", "\\,") for label in labels)
        if cf.fieldtype == CF_LINKEDSELECT and isinstance(value, tuple):
            parent, child = options.get(value[0]), options.get(value[1])
            if parent is None:
                return ""
            text = parent.value
            if child is not None and child.parentid == parent.id:
                text += " &gt; " + child.value
            return text
        return str(value)

    def customfield_get(self, call: _Call, ticket: Ticket, args: list[str]) -> SimResponse:
        return self._customfields_response(call, ticket)

    def _customfields_response(self, call: _Call, ticket: Ticket) -> SimResponse:
        values = self.desk.custom_values.get(ticket)
        xml = SwiftXml()
        xml.open("customfields")
        groups = sorted(self.desk.linked_groups(ticket), key=lambda g: (g.displayorder, g.id))
        for group in groups:
            xml.open(
                "group",
                (("id", group.id), ("title", group.title), ("displayorder", group.displayorder)),
            )
            for cf in sorted(group.fields, key=lambda f: (f.displayorder, f.id)):
                xml.tag(
                    "field",
                    self._render_value(cf, values.get(cf.id)),
                    (
                        ("id", cf.id),
                        ("title", cf.title),
                        ("type", cf.fieldtype),
                        ("name", cf.name),
                    ),
                )
            xml.close("group")
        xml.close("customfields")
        return _xml(xml, call)

    def _parse_custom_value(self, cf: CustomField, raw: PhpValue) -> tuple[bool, CustomValue]:
        """(valid, value to store); "" stores nothing (clears the field)."""
        top = {o.id for o in cf.options if not o.parentid}
        if cf.fieldtype in (CF_SELECT, CF_RADIO):
            if isinstance(raw, str) and php_trim(raw) == "":
                return not cf.isrequired, ""
            key = php_key(raw)
            return (key is not None and key in top), key or 0
        if cf.fieldtype in (CF_MULTISELECT, CF_CHECKBOX):
            items = list(raw.values()) if isinstance(raw, dict) else [raw]
            keys = [php_key(v) for v in items if not (isinstance(v, str) and v == "")]
            if not keys:
                return not cf.isrequired, ""
            ok = all(k is not None and k in top for k in keys)
            return ok, sorted({k for k in keys if k is not None})
        if cf.fieldtype == CF_LINKEDSELECT:
            if not isinstance(raw, dict):
                return (isinstance(raw, str) and raw == "" and not cf.isrequired), ""
            parent = php_key(raw.get("0"))
            if parent is None or parent not in top:
                return False, ""
            children = raw.get("1")
            child_raw = children.get(str(parent)) if isinstance(children, dict) else None
            child = php_key(child_raw) if child_raw is not None else None
            valid_children = {o.id for o in cf.options if o.parentid == parent}
            if child is None or child not in valid_children:
                return (not valid_children), (parent, 0)
            return True, (parent, child)
        if not isinstance(raw, str):
            return False, ""
        if php_trim(raw) == "":
            return not cf.isrequired, ""
        if cf.fieldtype == CF_DATE:
            return parse_mdy(raw) is not None, php_trim(raw)
        if cf.regexpvalidate and re.search(cf.regexpvalidate, raw) is None:
            return False, raw
        return True, raw

    def customfield_post(self, call: _Call, ticket: Ticket, args: list[str]) -> SimResponse:
        desk = self.desk
        fields = [
            cf
            for group in desk.cf_groups.values()
            if ticket.departmentid in group.departmentids
            for cf in group.fields
        ]
        updates: dict[int, CustomValue] = {}
        invalid: list[str] = []
        for cf in fields:
            if cf.name not in call.post:
                continue
            ok, value = self._parse_custom_value(cf, call.post[cf.name])
            if not ok:
                invalid.append(cf.title)
            else:
                updates[cf.id] = value
        if invalid:
            return _status(400, "Custom Field Data is Invalid: " + ", ".join(invalid))
        if updates:
            desk.materialise(ticket)
            stored = desk.custom_values.own(ticket)
            for fid, value in updates.items():
                if value == "" or value == []:
                    stored.pop(fid, None)
                else:
                    stored[fid] = value
        return self._customfields_response(call, ticket)

    # ---- Tickets/TicketAttachment -----------------------------------------------------

    def _attachments_response(
        self, call: _Call, ticket: Ticket, only: int | None, with_contents: bool
    ) -> SimResponse:
        xml = SwiftXml()
        xml.open("attachments")
        for attachment in sorted(self.desk.attachments.get(ticket), key=lambda a: a.id):
            if only is not None and attachment.id != only:
                continue
            xml.open("attachment")
            xml.tag("id", str(attachment.id))
            xml.tag("ticketid", str(attachment.ticketid))
            xml.tag("ticketpostid", str(attachment.postid))
            xml.tag("filename", attachment.filename)
            xml.tag("filesize", str(attachment.filesize))
            xml.tag("filetype", attachment.filetype)
            xml.tag("dateline", str(attachment.dateline))
            if with_contents:
                xml.tag("contents", base64.b64encode(attachment.data).decode("ascii"))
            xml.close("attachment")
        xml.close("attachments")
        return _xml(xml, call)

    def attachment_create(self, call: _Call, args: list[str]) -> SimResponse:
        desk, post = self.desk, call.post
        if php_blank(post, "ticketid"):
            return _status(400, "No Ticket ID Specified")
        if php_blank(post, "ticketpostid"):
            return _status(400, "No Ticket Post ID Specified")
        ticket = self._ticket(call.text("ticketid"))
        if ticket is None:
            return _status(404, "Ticket not Found")
        owner, target = desk.find_child(
            php_intval(call.text("ticketpostid")), desk.post_ids, desk.posts
        )
        if target is None or owner != ticket.id:
            return _status(404, "Ticket Post not found")
        if php_blank(post, "filename"):
            return _status(400, "No file name specified")
        if "contents" not in post:
            return _status(400, "No contents specified")
        filename = call.text("filename") or ""
        attachment = desk.add_attachment(
            ticket,
            target,
            filename=filename,
            filetype=_mime_for(filename),
            data=php_b64decode(call.text("contents") or ""),
        )
        return self._attachments_response(call, ticket, attachment.id, False)

    # ---- lookups ----------------------------------------------------------------------

    @staticmethod
    def _pick_one(args: Sequence[str], cast_first: bool) -> int | None:
        """The ID a lookup's Get filters on, or None for "all".

        Some controllers test ``!empty($id)`` on the raw argument and cast afterwards,
        others cast first (so ``/abc`` lists everything); both are mirrored.
        """
        raw = _arg(args, 0)
        if raw is None:
            return None
        if cast_first:
            value = php_intval(raw)
            return value or None
        return None if php_empty(raw) else php_intval(raw)

    def _lookup(
        self,
        call: _Call,
        args: list[str],
        records: Iterable[_R],
        write: Callable[[SwiftXml, _R], None],
        root: str,
        element: str,
        *,
        cast_first: bool,
    ) -> SimResponse:
        """A lookup controller's answer: every record by ID, or only the one ``/$id$``
        names; ``write`` renders one record's fields."""
        only = self._pick_one(args, cast_first=cast_first) if args else None
        xml = SwiftXml()
        xml.open(root)
        for record in sorted(records, key=lambda r: r.id):
            if only is None or record.id == only:
                xml.open(element)
                write(xml, record)
                xml.close(element)
        xml.close(root)
        return _xml(xml, call)

    def status_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, status: TicketStatus) -> None:
            xml.fields(
                ("id", str(status.id)),
                ("title", status.title),
                ("displayorder", str(status.displayorder)),
                ("departmentid", str(status.departmentid)),
                ("displayicon", status.displayicon),
                ("type", status.type),
                ("displayinmainlist", str(status.displayinmainlist)),
                ("markasresolved", str(status.markasresolved)),
                ("displaycount", str(status.displaycount)),
                ("statuscolor", status.statuscolor),
                ("statusbgcolor", status.statusbgcolor),
                ("resetduetime", str(status.resetduetime)),
                ("triggersurvey", str(status.triggersurvey)),
                ("staffvisibilitycustom", str(status.staffvisibilitycustom)),
            )
            for group_id in status.staffgroupids:
                xml.tag("staffgroupid", str(group_id))

        return self._lookup(
            call,
            args,
            self.desk.statuses.values(),
            write,
            "ticketstatuses",
            "ticketstatus",
            cast_first=False,
        )

    def priority_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, priority: TicketPriority) -> None:
            xml.fields(
                ("id", str(priority.id)),
                ("title", priority.title),
                ("displayorder", str(priority.displayorder)),
                ("frcolorcode", priority.frcolorcode),
                ("bgcolorcode", priority.bgcolorcode),
                ("type", priority.type),
                ("uservisibilitycustom", str(priority.uservisibilitycustom)),
            )
            for group_id in priority.usergroupids:
                xml.tag("usergroupid", str(group_id))

        return self._lookup(
            call,
            args,
            self.desk.priorities.values(),
            write,
            "ticketpriorities",
            "ticketpriority",
            cast_first=False,
        )

    def type_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, ttype: TicketType) -> None:
            xml.fields(
                ("id", str(ttype.id)),
                ("title", ttype.title),
                ("displayorder", str(ttype.displayorder)),
                ("departmentid", str(ttype.departmentid)),
                ("displayicon", ttype.displayicon),
                ("type", ttype.type),
                ("uservisibilitycustom", str(ttype.uservisibilitycustom)),
            )
            for group_id in ttype.usergroupids:
                xml.tag("usergroupid", str(group_id))

        return self._lookup(
            call,
            args,
            self.desk.types.values(),
            write,
            "tickettypes",
            "tickettype",
            cast_first=False,
        )

    def counts(self, call: _Call, args: list[str]) -> SimResponse:
        """TicketCount: the ticket count cache, recomputed from the live data."""
        desk = self.desk

        def bump(bucket: Bucket, ticket: Ticket, resolved: bool, unresolved: bool) -> None:
            bucket["totalitems"] = bucket.get("totalitems", 0) + 1
            bucket["lastactivity"] = max(bucket.get("lastactivity", 0), ticket.lastactivity)
            if unresolved:
                bucket.setdefault("totalunresolveditems", 0)
                if not resolved:
                    bucket["totalunresolveditems"] += 1

        departments: dict[int, dict[str, Any]] = {}
        statuses: dict[int, Bucket] = {}
        owners: dict[int, Bucket] = {}
        for t in sorted(desk.tickets.values(), key=lambda x: x.id):
            resolved = bool(desk.statuses[t.statusid].markasresolved)
            dept = departments.setdefault(
                t.departmentid, {"all": {}, "ticketstatus": {}, "tickettypes": {}, "ownerstaff": {}}
            )
            bump(dept["all"], t, resolved, True)
            bump(dept["ticketstatus"].setdefault(t.statusid, {}), t, resolved, False)
            bump(dept["tickettypes"].setdefault(t.typeid, {}), t, resolved, True)
            bump(dept["ownerstaff"].setdefault(t.ownerstaffid, {}), t, resolved, True)
            bump(statuses.setdefault(t.statusid, {}), t, resolved, False)
            bump(owners.setdefault(t.ownerstaffid, {}), t, resolved, True)
        xml = SwiftXml()

        def count(tag: str, item_id: int, bucket: Bucket) -> None:
            attrs: list[tuple[str, XmlValue]] = [
                ("id", item_id),
                ("lastactivity", bucket["lastactivity"]),
                ("totalitems", bucket["totalitems"]),
            ]
            if "totalunresolveditems" in bucket:  # only in buckets bumped with unresolved
                attrs.append(("totalunresolveditems", bucket["totalunresolveditems"]))
            xml.tag(tag, "", attrs)

        xml.open("ticketcount")
        xml.open("departments")
        for dept_id in sorted(departments):
            dept = departments[dept_id]
            xml.open("department", (("id", dept_id),))
            xml.tag("totalitems", str(dept["all"]["totalitems"]))
            xml.tag("lastactivity", str(dept["all"]["lastactivity"]))
            xml.tag("totalunresolveditems", str(dept["all"]["totalunresolveditems"]))
            for key, tag in (
                ("ticketstatus", "ticketstatus"),
                ("tickettypes", "tickettype"),
                ("ownerstaff", "ownerstaff"),
            ):
                for item_id in sorted(dept[key]):
                    count(tag, item_id, dept[key][item_id])
            xml.close("department")
        xml.close("departments")
        xml.comment("Ticket Count grouped by Status")
        xml.open("statuses")
        for status_id in sorted(statuses):
            count("ticketstatus", status_id, statuses[status_id])
        xml.close("statuses")
        xml.comment("Ticket Count grouped by Owner Staff")
        xml.open("owners")
        for staff_id in sorted(owners):
            count("ownerstaff", staff_id, owners[staff_id])
        xml.close("owners")
        xml.comment("Unassigned Ticket Count grouped by Department")
        xml.open("unassigned")
        for dept_id in sorted(departments):
            unassigned = departments[dept_id]["ownerstaff"].get(0)
            if unassigned is not None:
                count("department", dept_id, unassigned)
        xml.close("unassigned")
        xml.close("ticketcount")
        return _xml(xml, call)

    def department_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, dept: Department) -> None:
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

        return self._lookup(
            call,
            args,
            self.desk.departments.values(),
            write,
            "departments",
            "department",
            cast_first=True,
        )

    def staff_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, staff: Staff) -> None:
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

        return self._lookup(
            call, args, self.desk.staff.values(), write, "staffusers", "staff", cast_first=True
        )

    def staffgroup_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, group: StaffGroup) -> None:
            xml.tag("id", str(group.id))
            xml.tag("title", group.title)
            xml.tag("isadmin", str(group.isadmin))

        return self._lookup(
            call,
            args,
            self.desk.staff_groups.values(),
            write,
            "staffgroups",
            "staffgroup",
            cast_first=True,
        )

    def _users_response(self, call: _Call, users: Iterable[User]) -> SimResponse:
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
        return _xml(xml, call)

    def _users_from(self, marker: int, limit: int) -> list[User]:
        users = sorted(self.desk.users.values(), key=lambda u: u.id)
        selected = [u for u in users if u.id >= marker] if marker else users
        return selected if limit < 0 else selected[:limit]

    def user_list(self, call: _Call, args: list[str]) -> SimResponse:
        return self._users_response(call, self._users_from(0, 1000))

    def user_get(self, call: _Call, args: list[str]) -> SimResponse:
        raw = args[0]
        if php_empty(raw):
            return self._users_response(call, self._users_from(0, 1000))
        user = self.desk.users.get(php_intval(raw))
        return self._users_response(call, [user] if user is not None else [])

    def user_filter(self, call: _Call, args: list[str]) -> SimResponse:
        marker_raw, max_raw = _arg(args, 0, "0"), _arg(args, 1, "1000")
        marker = 0 if php_empty(marker_raw) else php_intval(marker_raw)
        limit = php_intval(max_raw)
        limit = min(limit, 1000)
        return self._users_response(call, self._users_from(marker, limit))

    def user_search(self, call: _Call, args: list[str]) -> SimResponse:
        desk = self.desk
        query = call.text("query")
        if query is None or php_empty(query):
            return _status(400, "Query should not be empty")
        needle = query.strip().casefold()
        matches = _matcher(needle, phrase=php_intval(call.text("phrase")) == 1)

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

    def usergroup_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, group: UserGroup) -> None:
            xml.tag("id", str(group.id))
            xml.tag("title", group.title)
            xml.tag("grouptype", group.grouptype)
            xml.tag("ismaster", str(group.ismaster))

        return self._lookup(
            call,
            args,
            self.desk.user_groups.values(),
            write,
            "usergroups",
            "usergroup",
            cast_first=True,
        )

    def organization_list(self, call: _Call, args: list[str]) -> SimResponse:
        def write(xml: SwiftXml, org: Organization) -> None:
            xml.fields(
                ("id", str(org.id)),
                ("name", org.name),
                ("organizationtype", org.organizationtype),
                ("address", org.address),
                ("city", org.city),
                ("state", org.state),
                ("postalcode", org.postalcode),
                ("country", org.country),
                ("phone", org.phone),
                ("fax", org.fax),
                ("website", org.website),
            )
            xml.comment("Timeline Properties")
            xml.tag("dateline", str(org.dateline))
            xml.tag("lastupdate", str(org.lastupdate))
            xml.comment("Custom SLA Properties")
            xml.tag("slaplanid", str(org.slaplanid))
            xml.tag("slaplanexpiry", str(org.slaplanexpiry))

        return self._lookup(
            call,
            args,
            self.desk.organizations.values(),
            write,
            "userorganizations",
            "userorganization",
            cast_first=True,
        )

    def customfield_definitions(self, call: _Call, args: list[str]) -> SimResponse:
        desk = self.desk
        xml = SwiftXml()
        xml.open("customfields")
        fields = sorted(desk.cf_fields.values(), key=lambda f: (f.displayorder, f.id))
        for cf in fields:
            group = desk.cf_groups[cf.groupid]
            xml.tag(
                "customfield",
                "",
                (
                    ("customfieldid", cf.id),
                    ("customfieldgroupid", cf.groupid),
                    ("title", cf.title),
                    ("fieldtype", cf.fieldtype),
                    ("fieldname", cf.name),
                    ("defaultvalue", cf.defaultvalue),
                    ("isrequired", cf.isrequired),
                    ("usereditable", cf.usereditable),
                    ("staffeditable", cf.staffeditable),
                    ("regexpvalidate", cf.regexpvalidate),
                    ("displayorder", cf.displayorder),
                    ("encryptindb", cf.encryptindb),
                    ("description", cf.description),
                    ("grouptype", group.grouptype),
                ),
            )
        xml.close("customfields")
        return _xml(xml, call)

    def customfield_options(self, call: _Call, args: list[str]) -> SimResponse:
        if php_empty(args[0]):
            return _status(400, "No Custom Field ID Provided")
        cf = self.desk.cf_fields.get(php_intval(args[0]))
        xml = SwiftXml()
        xml.open("customfieldoptions")
        for option in sorted(cf.options if cf else [], key=lambda o: (o.displayorder, o.id)):
            xml.tag(
                "option",
                "",
                (
                    ("customfieldoptionid", option.id),
                    ("customfieldid", option.fieldid),
                    ("optionvalue", option.value),
                    ("displayorder", option.displayorder),
                    ("isselected", option.isselected),
                    ("parentcustomfieldoptionid", option.parentid),
                ),
            )
        xml.close("customfieldoptions")
        return _xml(xml, call)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def app_for_desk(
    desk: KayakoDesk,
    *,
    latency: tuple[float, float] | None = None,
    api_enabled: bool = True,
) -> ASGIApp:
    """The ASGI app serving ``desk`` (for callers that build or pin the desk themselves)."""
    server = KayakoServer(desk, api_enabled=api_enabled)
    return asgi_app(server.handle, latency=latency, seed=desk.seed)


def create_app(
    *,
    tickets: int = 400,
    seed: int = 1,
    latency: tuple[float, float] | None = None,
    api_enabled: bool = True,
) -> ASGIApp:
    """A simulated Kayako Classic desk with ``tickets`` seeded tickets, as an ASGI app.

    The API answers at any path ending in ``/api/index.php`` (both URL forms).
    """
    return app_for_desk(
        generate_desk(tickets=tickets, seed=seed), latency=latency, api_enabled=api_enabled
    )


def connection_block(base_url: str) -> dict[str, Any]:
    """The config table of a connection to a simulator served at ``base_url``."""
    return {
        "vendor": "kayako",
        "url": base_url.rstrip("/") + "/api/index.php",
        "api_key": API_KEY,
        "secret_key": SECRET_KEY,
        "staff_id": DEMO_STAFF_ID,
    }


__all__ = [
    "API_KEY",
    "DEMO_STAFF_ID",
    "SECRET_KEY",
    "KayakoServer",
    "app_for_desk",
    "connection_block",
    "create_app",
    "expected_signature",
]
