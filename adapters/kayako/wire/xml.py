"""Reading the Kayako Classic REST API's XML into plain dicts and :class:`Node` views.

The v4 REST API answers XML whose every value is a string element (live servers wrap them in
CDATA, the docs' examples do not), leaves empty values self-closed, and repeats an element for
a list without marking it as one: a list of one ticket looks exactly like a single ticket. PHP
notices may precede the document, some payloads carry their data in attributes (notes, time
tracks, custom fields) and errors are plain text. :func:`parse_xml` turns a document into
dicts with the known lists always lists; :class:`Node` reads one element's fields by type.

Anything malformed becomes :class:`adapters.errors.ProtocolError` naming what was
malformed; nothing here lets a ``KeyError`` or an expat error escape.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from xml.parsers.expat import ExpatError, errors

import xmltodict

from adapters.errors import ProtocolError
from adapters.parsing import check_depth
from adapters.text import clean_line, clean_text, html_to_text, looks_like_html

log = logging.getLogger("triage.kayako")

# Elements that are lists even when the server sends one of them, by parent element.
_LIST_CHILDREN: dict[str, frozenset[str]] = {
    "tickets": frozenset({"ticket"}),
    "ticket": frozenset({"note", "watcher", "workflow"}),
    "posts": frozenset({"post"}),
    "notes": frozenset({"note"}),
    "timetracks": frozenset({"timetrack"}),
    "attachments": frozenset({"attachment"}),
    "customfields": frozenset({"group", "customfield"}),
    "group": frozenset({"field"}),
    "departments": frozenset({"department"}),
    "staffusers": frozenset({"staff"}),
    "staffgroups": frozenset({"staffgroup"}),
    "users": frozenset({"user"}),
    "user": frozenset({"email"}),
    "ticketstatuses": frozenset({"ticketstatus"}),
    "ticketpriorities": frozenset({"ticketpriority"}),
    "tickettypes": frozenset({"tickettype"}),
}
# ListOptions' wrapper element is not documented; its children are always lists.
_ALWAYS_LISTS = frozenset({"option"})

# Characters XML 1.0 forbids (C0 controls but tab, LF, CR). PHP happily emits them inside
# CDATA when a customer's mail contained them, and expat then rejects the whole document.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REPAIRABLE = frozenset(
    {
        errors.codes[errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT],
        errors.codes[errors.XML_ERROR_MISPLACED_XML_PI],
    }
)
_TRUNCATED = frozenset(
    {
        errors.codes[errors.XML_ERROR_NO_ELEMENTS],
        errors.codes[errors.XML_ERROR_UNCLOSED_TOKEN],
        errors.codes[errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
        errors.codes[errors.XML_ERROR_PARTIAL_CHAR],
    }
)
_MAX_REPAIRS = 4
# The title of an HTML page (a login wall's body text may be nothing but a form).
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _force_list(path: list[tuple[str, Any]], key: str, value: Any) -> bool:
    if key in _ALWAYS_LISTS:
        return True
    if not path:
        return False
    return key in _LIST_CHILDREN.get(path[-1][0], frozenset())


def _start_of(text: str, root: str | None) -> int:
    """Where the XML document starts: its declaration, else the root element's tag."""
    start = text.find("<?xml")
    if start >= 0:
        return start
    pattern = rf"<{re.escape(root)}[\s/>]" if root else r"<[A-Za-z_]"
    match = re.search(pattern, text)
    return match.start() if match else -1


def _expat_parse(document: str) -> Any:
    return xmltodict.parse(document, force_list=_force_list)


def _describe(exc: ExpatError) -> str:
    detail = str(exc)
    if exc.code in _TRUNCATED:
        return f"the XML ends early (truncated?): {detail}"
    return f"not well-formed XML: {detail}"


def _cut_after_root(document: str, root: str | None) -> Any:
    """Parse ``document`` up to a closing root tag, dropping what follows it (a PHP notice
    printed after the document, or a second copy of it). ``None`` when no cut parses."""
    if root is None:
        return None
    for attempt, match in enumerate(re.finditer(rf"</{re.escape(root)}\s*>", document)):
        if attempt >= _MAX_REPAIRS:
            break
        try:
            parsed = _expat_parse(document[: match.end()])
        except (ExpatError, ValueError):
            continue
        log.debug("dropped %d characters after </%s>", len(document) - match.end(), root)
        return parsed
    return None


def parse_xml(
    body: bytes | str,
    *,
    connection: str,
    root: str | None,
    what: str,
    redact: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The content of the document's root element as xmltodict gives it (``{}`` if empty).

    ``root`` is the element the answer must have (``None``: any). Junk before ``<?xml`` is
    skipped, junk after the root element dropped; anything else unreadable raises
    :class:`ProtocolError` naming ``what``. ``redact`` removes secrets from the excerpt of
    a non-XML answer quoted in that error (a proxy page may echo the signed URL).
    """
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    start = _start_of(text, root)
    if start < 0:
        stripped = text.strip()
        if not stripped:
            raise ProtocolError(connection, what, "empty answer where XML was expected")
        expected = f"<{root}>" if root else "XML"
        if looks_like_html(stripped):
            # A proxy's error or login page in front of the desk: show what it says.
            title = _HTML_TITLE.search(stripped[:8192])
            page = clean_line(html_to_text(stripped)) or (
                clean_line(html_to_text(title.group(1))) if title else ""
            )
            page = redact(page) if redact else page
            shown = f": {page[:160]!r}" if page else ""
            raise ProtocolError(connection, what, f"expected {expected}, got an HTML page{shown}")
        excerpt = clean_line(stripped[:4096])
        excerpt = redact(excerpt) if redact else excerpt
        raise ProtocolError(connection, what, f"expected {expected}, got text: {excerpt[:160]!r}")
    document = text[start:]
    # Before any parser: absurd nesting costs expat and xmltodict the square of its depth.
    check_depth(document, connection=connection, what=what)
    if _XML_FORBIDDEN.search(document):
        # clean_text removes whole escape sequences and the controls XML forbids; the text
        # would be cleaned the same way after parsing anyway.
        document = clean_text(document)
    try:
        parsed = _expat_parse(document)
    except ExpatError as exc:
        parsed = _cut_after_root(document, root) if exc.code in _REPAIRABLE else None
        if parsed is None:
            raise ProtocolError(connection, what, _describe(exc)) from None
    except ValueError as exc:  # xmltodict refuses entity declarations
        raise ProtocolError(connection, what, f"unsupported XML: {exc}") from None
    if not isinstance(parsed, dict) or len(parsed) != 1:
        raise ProtocolError(connection, what, "no single root element")
    name, content = next(iter(parsed.items()))
    if root is not None and name != root:
        raise ProtocolError(connection, what, f"expected <{root}>, got <{clean_line(name)}>")
    if content is None:
        return {}
    if isinstance(content, list):
        raise ProtocolError(connection, what, f"<{name}> appears more than once")
    if not isinstance(content, dict):
        raise ProtocolError(connection, what, f"<{name}> holds text instead of elements")
    return content


_TICKET_ELEMENT = re.compile(r"<ticket\b[^>]*>.*?</ticket\s*>", re.DOTALL)
_TICKET_OPENING = re.compile(r"<ticket[\s/>]")
# The ticket's id: an attribute of <ticket> (live servers), else an <id> element.
_TICKET_ID = re.compile(r"""^<ticket\b[^>]*?\bid=["'](\d+)|<id>\s*(?:<!\[CDATA\[)?\s*(\d+)""")


def parse_ticket_list(
    body: bytes | str,
    *,
    connection: str,
    what: str,
    redact: Callable[[str], str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """A ``<tickets>`` answer as :func:`parse_xml` gives it, and the tickets left out.

    When the whole document cannot be read because of what one ticket holds (an invalid
    character reference in a customer's subject, say), each ``<ticket>`` is read on its own
    and the unreadable ones are left out, one line each naming the ticket. A fault outside
    the tickets, or a document cut short (an opened ``<ticket>`` never closed), still fails
    the whole answer: leaving out tickets must never hide a truncation."""
    try:
        return parse_xml(body, connection=connection, root="tickets", what=what, redact=redact), []
    except ProtocolError as whole:
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
        elements = _TICKET_ELEMENT.findall(text)
        if not elements or len(elements) != len(_TICKET_OPENING.findall(text)):
            raise whole from None
        kept: list[Any] = []
        skipped: list[str] = []
        for element in elements:
            try:
                content = parse_xml(
                    f"<tickets>{element}</tickets>",
                    connection=connection,
                    root="tickets",
                    what=what,
                )
            except ProtocolError as exc:
                found = _TICKET_ID.search(element)
                number = (found.group(1) or found.group(2)) if found else None
                name = f"ticket {number}" if number else "a ticket"
                skipped.append(f"{name} left out: {exc.message}")
                continue
            kept.extend(content.get("ticket") or [])
        if not skipped:
            raise whole from None
        for line in skipped:
            log.info("%s: %s", connection, line)
        return {"ticket": kept}, skipped


# --------------------------------------------------------------------------------------
# Reading one element
# --------------------------------------------------------------------------------------


def text_of(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get("#text")
        return text if isinstance(text, str) else None
    if isinstance(value, list):
        return text_of(value[0]) if value else None
    return str(value)


class Node:
    """Read access to one xmltodict element.

    A name is looked up as a child element first, then as an attribute, because Kayako puts
    the same kind of data in either (a post's ``<id>``, a note's ``id="…"``). Bad values raise
    :class:`ProtocolError` naming the element and the field.
    """

    __slots__ = ("connection", "data", "what")

    def __init__(self, data: Any, *, what: str, connection: str) -> None:
        if not isinstance(data, dict):
            raise ProtocolError(connection, what, "an element without fields")
        self.data: dict[str, Any] = data
        self.what = what
        self.connection = connection

    def error(self, message: str) -> ProtocolError:
        return ProtocolError(self.connection, self.what, message)

    def raw(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            value = self.data.get("@" + name)
        return text_of(value)

    def text(self, name: str) -> str:
        """One-line text, cleaned; ``""`` when absent or empty."""
        return clean_line(self.raw(name))

    @property
    def content(self) -> str:
        """The element's own text (``#text``), uncleaned."""
        text = self.data.get("#text")
        return text if isinstance(text, str) else ""

    def number(self, name: str, default: int = 0) -> int:
        value = self.raw(name)
        if value is None or not value.strip():
            return default
        try:
            return int(value.strip())
        except ValueError:
            raise self.error(f"{name} {clean_line(value)[:40]!r} is not a number") from None

    def flag(self, name: str) -> bool:
        return self.number(name) != 0

    def time(self, name: str) -> datetime | None:
        """An epoch-seconds value as aware UTC; ``0`` or empty means none."""
        seconds = self.number(name)
        if seconds <= 0:
            return None
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise self.error(f"{name} {seconds} is not a usable time") from None

    def ident(self, *names: str) -> str:
        """A required numeric id from the first of ``names`` that is present."""
        for name in names:
            value = (self.raw(name) or "").strip()
            if value:
                if not value.isdigit():
                    raise self.error(f"{name} {clean_line(value)[:40]!r} is not an id")
                return value
        raise self.error(f"missing {' / '.join(names)}")

    def items(self, name: str, what: str | None = None) -> list[Node]:
        """Child elements ``name`` (a list whatever the count); each must have fields."""
        value = self.data.get(name)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        label = what or f"<{name}> in {self.what}"
        return [Node(item, what=label, connection=self.connection) for item in values]

    def wrapper(self, name: str) -> Node | None:
        """A wrapper child such as ``<posts>``; ``None`` when absent or empty."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, list):
            value = value[0]
        if isinstance(value, str):
            if not value.strip():
                return None
            raise self.error(f"<{name}> holds text instead of elements")
        return Node(value, what=f"<{name}> in {self.what}", connection=self.connection)


def root_node(content: dict[str, Any], *, what: str, connection: str) -> Node:
    return Node(content, what=what, connection=connection)


def items_of(content: dict[str, Any], element: str, *, connection: str, what: str) -> list[Node]:
    """The repeated ``element`` children of a document's root."""
    return root_node(content, what=what, connection=connection).items(element, f"<{element}>")
