"""SWIFT_XML: the server's XML writer, reproduced byte for byte.

Clients parse what this writes, and some parse it badly, so the simulator must write
exactly what the server does: ``<?xml version="1.0" encoding="UTF-8"?>``, one element per
line, no indentation, every value in CDATA with C0 controls removed and ``]]>`` split,
empty values self-closed (PHP 7's ``0 == ''`` makes integer zeros self-closed too:
``<userorganizationid />``), attributes escaped like ``htmlspecialchars``, and the whole
output trimmed. Element order is each controller's business; this only writes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from adapters.kayako.simulator.php import php_trim

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
