"""Message bodies as mail clients send them: HTML detection and plain text as HTML.

Part of every desk's traffic is HTML (mail clients' HTML parts, rich-text editors), so
the world renders some messages that way, and servers flag posts that look like HTML.
"""

from __future__ import annotations

import re

HTML_TAG = re.compile(
    r"<\s*/?\s*(p|br|div|span|a|b|i|u|strong|em|ul|ol|li|table|tr|td|"
    r"html|body|h[1-6]|blockquote|pre|img|font)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a message body is HTML (any common HTML tag), as desks detect it."""
    return HTML_TAG.search(text) is not None


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_to_html(text: str) -> str:
    """Render a plain message the way a mail client's HTML part would carry it."""
    blocks: list[str] = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_escape_html(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br />".join(_escape_html(line) for line in lines) + "</p>")
    return '<div dir="ltr">' + "\n".join(blocks) + "<div>&nbsp;</div></div>"
