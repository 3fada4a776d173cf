"""Cleaning remote text: the one function every adapter runs desk text through.

Ticket subjects and bodies come from strangers. Textual passes raw escape sequences and
bidi overrides straight to the terminal even with markup off, so they are removed here,
when the adapter normalises a payload, before anything can display it:

* escape sequences (CSI, OSC, DCS/SOS/PM/APC, 7-bit and 8-bit forms) are removed whole, so
  their parameters do not linger as text;
* C0 and C1 control characters except newline and tab, and DEL (this kills any ESC an
  incomplete sequence left behind; its printable tail stays as harmless text);
* Unicode bidi embedding/override/isolate controls and marks, which can make text read
  differently from what it is ("Trojan Source");
* lone surrogates (JSON can carry ``"\\ud800"``), which cannot be encoded for the
  terminal and would crash the write; they become U+FFFD;
* line ends are normalised: ``\\r\\n``, ``\\r``, NEL, LS and PS all become ``\\n``.

Markup is **not** escaped: ``[bold]`` stays ``[bold]``. The UI shows remote text only as
``Content``/``Text`` objects, never as a markup string, so it is never parsed.

HTML bodies are converted to plain text by :func:`html_to_text`, a small tokenizer of our
own: the standard library's ``HTMLParser`` takes quadratic time on some malformed input
(``'<a b="' * 20000`` takes half a minute), and a ticket body must never stall the app.
"""

from __future__ import annotations

import html
import re

# C0 controls except \t (0x09) and \n (0x0a); DEL; C1 controls (0x80-0x9f) except NEL.
_CONTROLS = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]
# Bidi: LRE RLE PDF LRO RLO (U+202A-202E), LRI RLI FSI PDI (U+2066-2069), LRM RLM ALM.
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]
_SURROGATES = range(0xD800, 0xE000)
_NEWLINES = [0x85, 0x2028, 0x2029]  # NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR
_TABLE: dict[int, str | None] = {
    **dict.fromkeys(_CONTROLS),
    **dict.fromkeys(_BIDI),
    **dict.fromkeys(_SURROGATES, "\ufffd"),
    **dict.fromkeys(_NEWLINES, "\n"),
}
# A string-type sequence runs to BEL or ST (ESC \ or 8-bit 0x9c). One that is never
# terminated stops at the next ESC or line end rather than swallowing the rest of the body.
_STRING_BODY = r"[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
_ESCAPE_SEQUENCE = re.compile(
    # OSC, DCS, SOS, PM, APC
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
    + _STRING_BODY
    + r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI, 7-bit and 8-bit
    + r"|\x1b[ -/]*[0-~]"  # every other escape: nF (ESC ( B), Fp, Fe, Fs
)
_INTRODUCER = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")


def clean_text(text: str | None) -> str:
    """Plain, terminal-safe text: escape sequences, controls and bidi controls removed.

    Newlines and tabs are kept; every kind of line end becomes ``\\n``. Idempotent.
    """
    if not text:
        return ""
    if text.isprintable():
        # No control, escape, bidi, surrogate or line-end character can be in it: every
        # character that is not printable is Unicode "Other" or "Separator" (ASCII space
        # excepted), which covers all of them. Most desk text takes this path.
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _INTRODUCER.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    return text.translate(_TABLE)


def clean_line(text: str | None) -> str:
    """:func:`clean_text` for one-line values (subjects, names): whitespace runs folded."""
    if text and text.isprintable() and "  " not in text and text[0] != " " != text[-1]:
        # Printable text holds no whitespace but the ASCII space (see clean_text), so
        # without doubled or outer spaces it is already folded.
        return text
    return " ".join(clean_text(text).split())


# --------------------------------------------------------------------------------------
# HTML to text
# --------------------------------------------------------------------------------------

# Blocks that stand apart with a blank line, and blocks that only start a new line.
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "table", "figure", "blockquote"}
)
_LINE_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dt",
        "fieldset",
        "figcaption",
        "footer",
        "form",
        "header",
        "li",
        "main",
        "nav",
        "section",
        "summary",
        "tr",
    }
)
_LIST_TAGS = frozenset({"ul", "ol", "dl", "menu"})
# Elements whose content is raw text up to their end tag and is never shown.
_RAW_TEXT_TAGS = frozenset({"script", "style", "title", "textarea", "xmp", "noembed"})
# Elements whose (parsed) content is not shown.
# (Not <head>: its end tag is optional, and its content is title/style/script anyway.)
_HIDDEN_TAGS = frozenset({"template"})
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")

# Where markup starts; any other "<" is text ("1 < 2").
_MARKUP_START = re.compile(r"<[A-Za-z!?/]")
_TAG_NAME = re.compile(r"(/?)([A-Za-z][^\s/>]*)")
_EQUALS_OR_GT = re.compile(r"[=>]")
_HTML_SPACE = " \t\n\r\f"
_HTML_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_BLANK_LINES = re.compile(r"\n{3,}")
_MAX_NESTING = 8  # deepest list indent / quote prefix shown
_LIST_START = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and short: int() must not fail


def _tag_end(markup: str, start: int) -> int:
    """Index just past the ``>`` that closes the tag whose attributes start at ``start``,
    or -1 when the tag never closes. A ``>`` inside a quoted attribute value does not count.

    Linear: each character is looked at once, and an unclosed quote ends the search.
    """
    position = start
    while True:
        found = _EQUALS_OR_GT.search(markup, position)
        if found is None:
            return -1
        if found.group() == ">":
            return found.end()
        # After "=", a quoted value may hold ">"; skip to its closing quote.
        position = found.end()
        while position < len(markup) and markup[position] in _HTML_SPACE:
            position += 1
        if position < len(markup) and markup[position] in "\"'":
            close = markup.find(markup[position], position + 1)
            if close < 0:
                return -1
            position = close + 1


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found.setdefault(name, html.unescape(value))
    return found


class _TextWriter:
    """Builds plain text from a stream of tags and text, the way a browser lays out blocks:
    a block boundary asks for a line break (or a blank line), and breaks that meet collapse
    into the largest one instead of piling up."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._pending_break = 0
        self._at_line_start = True
        self._after_space = True
        self._pre = 0
        self._hidden = 0
        self._quote = 0
        self._lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self._marker = ""
        self._cell_separator = False
        self._link: tuple[str, int] | None = None

    # -- layout --------------------------------------------------------------------------

    def block(self, lines: int) -> None:
        self._pending_break = max(self._pending_break, lines)
        self._cell_separator = False

    def line_break(self) -> None:
        self._flush_break()
        self.parts.append("\n")
        self._at_line_start = True
        self._after_space = True

    def _flush_break(self) -> None:
        if self._pending_break and self.parts:
            self.parts.append("\n" * self._pending_break)
            self._at_line_start = True
            self._after_space = True
        self._pending_break = 0

    def _start_line(self) -> None:
        if self._at_line_start:
            # Capped, so that hostile nesting cannot make the output grow quadratically.
            indent = "  " * min(_MAX_NESTING, max(0, len(self._lists) - 1))
            self.parts.append("> " * min(_MAX_NESTING, self._quote) + indent + self._marker)
            self._marker = ""
            self._at_line_start = False

    def text(self, data: str) -> None:
        if self._hidden or not data:
            return
        if self._pre:
            for index, line in enumerate(data.split("\n")):
                if index:
                    self.line_break()
                if line:
                    self._flush_break()
                    self._start_line()
                    self.parts.append(line)
                    self._after_space = False
            return
        data = _HTML_SPACE_RUN.sub(" ", data)
        if self._after_space or self._pending_break:
            data = data.lstrip(" ")
        if not data:
            return
        self._flush_break()
        if self._cell_separator and not self._at_line_start:
            self.parts.append(" | ")
        self._cell_separator = False
        self._start_line()
        self.parts.append(data)
        self._after_space = data.endswith(" ")

    # -- tags ----------------------------------------------------------------------------

    def start(self, tag: str, attributes: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif self._hidden:
            return
        elif tag == "br":
            self.line_break()
        elif tag in _LIST_TAGS:
            self.block(1 if self._lists else 2)
            start = _attributes(attributes).get("start", "") if tag == "ol" else ""
            first = int(start) if _LIST_START.fullmatch(start) else 1
            self._lists.append([first] if tag == "ol" else [])
        elif tag == "li":
            self.block(1)
            numbering = self._lists[-1] if self._lists else []
            if numbering:
                self._marker = f"{numbering[0]}. "
                numbering[0] += 1
            else:
                self._marker = "- "
        elif tag in ("td", "th"):
            self._cell_separator = True
        elif tag == "a":
            href = _attributes(attributes).get("href", "").strip()
            self._link = (href, len(self.parts)) if href.startswith(_LINK_SCHEMES) else None
        else:
            if tag == "pre":
                self._pre += 1
            elif tag == "blockquote":
                self._quote += 1
            if tag in _PARAGRAPH_TAGS:
                self.block(2)
            elif tag in _LINE_TAGS:
                self.block(1)

    def end(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif self._hidden:
            return
        elif tag == "br":  # browsers read a stray </br> as <br>
            self.line_break()
        elif tag in _LIST_TAGS:
            if self._lists:
                self._lists.pop()
            self.block(1 if self._lists else 2)
        elif tag == "a":
            self._end_link()
        else:
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag == "blockquote":
                self._quote = max(0, self._quote - 1)
            if tag in _PARAGRAPH_TAGS:
                self.block(2)
            elif tag in _LINE_TAGS:
                self.block(1)

    def _end_link(self) -> None:
        # Show where a link really goes when its text says something else: an agent must
        # be able to see that "your invoice" points at a stranger's site.
        if self._link is None:
            return
        href, first_part = self._link
        self._link = None
        label = "".join(self.parts[first_part:]).strip()
        if label and _bare_url(label) != _bare_url(href):
            self.text(f" ({href})")


def _bare_url(url: str) -> str:
    """A URL without what link texts usually leave out, for comparing a link's text to it."""
    url = url.strip().lower()
    for prefix in (*_LINK_SCHEMES, "www."):
        url = url.removeprefix(prefix)
    return url.rstrip("/")


def html_to_text(markup: str | None) -> str:
    """Plain text from an HTML fragment or document, cleaned with :func:`clean_text`.

    Paragraphs and headings are separated by a blank line; divs, list items, table rows
    and ``<br>`` start a new line; list items get ``- `` or ``1. ``; table cells are joined
    with `` | ``; blockquotes are prefixed with ``> ``; scripts, styles, comments and the
    title are dropped; entities are decoded. Malformed HTML never raises, and the time taken
    grows linearly with the input.
    """
    if not markup:
        return ""
    writer = _TextWriter()
    position = 0
    length = len(markup)
    while position < length:
        found = _MARKUP_START.search(markup, position)
        if found is None:
            writer.text(html.unescape(markup[position:]))
            break
        lt = found.start()
        if lt > position:
            writer.text(html.unescape(markup[position:lt]))
        position = _consume_markup(markup, lt, writer)
    text = clean_text("".join(writer.parts))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _consume_markup(markup: str, lt: int, writer: _TextWriter) -> int:
    """Handle what starts with the ``<`` at ``lt``; return where text resumes. Anything
    unterminated (comment, tag, raw-text element) runs to the end, as in a browser."""
    end_of_input = len(markup)
    if markup.startswith("<!--", lt):
        close = markup.find("-->", lt + 4)
        return end_of_input if close < 0 else close + 3
    tag = _TAG_NAME.match(markup, lt + 1)
    if tag is None:  # "<!doctype", "<![CDATA[", "<?xml", "</ 3": a bogus comment up to ">"
        close = markup.find(">", lt + 2)
        return end_of_input if close < 0 else close + 1
    close = _tag_end(markup, tag.end())
    if close < 0:
        return end_of_input
    name = tag.group(2).lower()
    if tag.group(1):
        writer.end(name)
        return close
    writer.start(name, markup[tag.end() : close - 1])
    if name in _RAW_TEXT_TAGS:
        end_tag = re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE).search(markup, close)
        if end_tag is None:
            return end_of_input
        after = markup.find(">", end_tag.start())
        return end_of_input if after < 0 else after + 1
    return close


_HTML_HINT = re.compile(
    r"</?(?:p|br|div|span|html|body|table|tr|td|ul|ol|li|b|i|u|a|strong|em|img|"
    r"blockquote|pre|font|h[1-6])\b[^<>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a body that a desk did not label is HTML: it holds a common HTML tag."""
    return bool(_HTML_HINT.search(text))
