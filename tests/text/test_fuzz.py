"""A deterministic fuzz of the cleaners (hypothesis is not a dependency): seeded random
strings rich in controls, escape-sequence fragments, bidi characters, surrogates, markup
and HTML, checked against invariants that must hold for every input."""

from __future__ import annotations

import random

import pytest

from adapters.text import clean_line, clean_text, html_to_text

# Pieces that make hostile strings likely: every introducer and terminator, half
# sequences, line ends, markup, HTML fragments, and ordinary text.
FRAGMENTS = [
    "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b\\", "\x07", "\x9b", "\x9c", "\x9d", "\x90",
    "\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\x1b]0;t\x1b\\", "\x1b(B", "[31m", ";", "?",
    "\r", "\n", "\r\n", "\t", "\x85", "\u2028", "\u2029", "\x00", "\x7f",
    "\u202e", "\u2066", "\u2069", "\u200e", "\u061c", "\ud800", "\udfff",
    "[bold]", "[/]", "[@click=app.quit]", "\\[",
    "<p>", "</p>", "<br>", "<li>", "<ol>", "<pre>", "</pre>", "<blockquote>", "<td>",
    "<script>", "</script>", "<!--", "-->", "<a href='https://x.example'>", "</a>",
    '<a b="', "'", '"', "=", ">", "<", "&amp;", "&#27;", "&#x9b;", "&nbsp;", "&",
    " ", "  ", "word", "ünï", "你好", "👩‍💻",
]  # fmt: skip


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 24)):
        roll = rng.random()
        if roll < 0.55:
            parts.append(rng.choice(FRAGMENTS))
        elif roll < 0.75:
            parts.append(chr(rng.randint(0, 0xFF)))
        elif roll < 0.9:
            parts.append(chr(rng.randint(0x100, 0x3000)))
        else:
            parts.append(chr(rng.randint(0, 0x10FFFF)))
    return "".join(parts)


def reference_clean(text: str, forbidden: frozenset[str]) -> str:
    """What clean_text must give for text with no escape-sequence introducer: line ends
    normalised, forbidden characters gone, surrogates replaced; nothing else touched."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char in "\x85\u2028\u2029":
            out.append("\n")
        elif "\ud800" <= char <= "\udfff":
            out.append("\ufffd")
        elif char not in forbidden:
            out.append(char)
    return "".join(out)


INTRODUCERS = set("\x1b\x90\x98\x9b\x9d\x9e\x9f")
SEEDS = range(8)
PER_SEED = 1500


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_text_invariants(seed: int, forbidden: frozenset[str]) -> None:
    rng = random.Random(seed)
    for _ in range(PER_SEED):
        text = random_text(rng)
        cleaned = clean_text(text)
        assert not set(cleaned) & forbidden, repr(text)
        assert clean_text(cleaned) == cleaned, repr(text)  # idempotent
        cleaned.encode("utf-8")  # always writable to a terminal
        if not set(text) & INTRODUCERS:
            # Without escape sequences, exactly the forbidden characters go.
            assert cleaned == reference_clean(text, forbidden), repr(text)
        else:
            assert len(cleaned) <= len(text)


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_line_invariants(seed: int, forbidden: frozenset[str]) -> None:
    rng = random.Random(1000 + seed)
    for _ in range(PER_SEED):
        text = random_text(rng)
        line = clean_line(text)
        assert not set(line) & forbidden, repr(text)
        assert "\n" not in line and "\t" not in line, repr(text)
        assert line == line.strip(), repr(text)
        assert "  " not in line, repr(text)
        assert clean_line(line) == line, repr(text)
        assert clean_text(line) == line, repr(text)
        assert line == " ".join(clean_text(text).split()), repr(text)


@pytest.mark.parametrize("seed", SEEDS)
def test_html_to_text_invariants(seed: int, forbidden: frozenset[str]) -> None:
    rng = random.Random(2000 + seed)
    for _ in range(PER_SEED):
        markup = random_text(rng)
        text = html_to_text(markup)  # never raises
        assert not set(text) & forbidden, repr(markup)
        assert clean_text(text) == text, repr(markup)
        assert text == text.strip(), repr(markup)
        assert "\n\n\n" not in text, repr(markup)
        assert all(line == line.rstrip() for line in text.split("\n")), repr(markup)
        text.encode("utf-8")


def test_markup_survives_the_fuzz() -> None:
    # Markup is text: whatever surrounds it, a markup tag in plain text comes out intact.
    rng = random.Random(99)
    for _ in range(300):
        prefix, suffix = random_text(rng), random_text(rng)
        text = f"{prefix}\n[@click=app.quit]y\n{suffix}"
        assert "[@click=app.quit]y" in clean_text(text)
