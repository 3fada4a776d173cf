"""Cleaning remote text: the one function every adapter runs desk text through.

Ticket subjects and bodies come from strangers. Textual passes raw escape sequences and
bidi overrides straight to the terminal even with markup off, so they are removed here,
when the adapter normalises a payload, before anything can display it:

* C0 and C1 control characters except newline and tab (this kills ESC, so no CSI/OSC
  sequence survives; the printable tail of a removed sequence stays as harmless text);
* Unicode bidi embedding/override/isolate controls, which can make text read differently
  from what it is ("Trojan Source");
* HTML, which is converted to plain text (block elements become line breaks, entities are
  decoded, scripts and styles dropped).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# C0 controls except \t (0x09) and \n (0x0a); DEL; C1 controls (0x80-0x9f).
_CONTROLS = "".join(
    chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]
)
# Bidi: LRE RLE PDF LRO RLO (U+202A-202E), LRI RLI FSI PDI (U+2066-2069), LRM RLM ALM.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_DROP = str.maketrans("", "", _CONTROLS + _BIDI)
# A complete escape sequence, removed whole so that its parameters do not linger as text.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC ... ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)


def clean_text(text: str | None) -> str:
    """Plain, terminal-safe text: escape sequences, controls and bidi controls removed.

    ``\\r\\n`` and lone ``\\r`` become ``\\n``.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return text.translate(_DROP)


def clean_line(text: str | None) -> str:
    """:func:`clean_text` for one-line values (subjects, names): whitespace runs folded."""
    return " ".join(clean_text(text).split())


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str | None) -> str:
    """Plain text from an HTML fragment, cleaned with :func:`clean_text`."""
    if not markup:
        return ""
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
        text = "".join(extractor.parts)
    except Exception:  # HTMLParser is lenient, but never let a body crash a listing
        text = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    text = clean_text(text)
    # Collapse the blank lines that nested blocks leave behind.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_HTML_HINT = re.compile(
    r"<\s*(?:p|br|div|span|html|body|table|ul|ol|li|b|i|a|strong|em|h[1-6])\b", re.I
)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))
