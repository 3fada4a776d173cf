"""clean_text / clean_line against hostile remote text: escape sequences, controls, bidi
overrides, markup (kept verbatim: the UI never parses it), line ends."""

from __future__ import annotations

import pytest

from adapters.text import clean_line, clean_text

MARKUP = [
    "[bold red]x",
    "[@click=app.quit]y",
    "[/bold]",
    "[link=file:///etc/passwd]z[/link]",
    "[b]unclosed",
    "\\[escaped]",
    "[@click=app.bell]ring[/]",
]


@pytest.mark.parametrize("text", MARKUP)
def test_markup_survives_verbatim(text: str) -> None:
    # Not escaped and not stripped: it is text, and the UI shows it only as text.
    assert clean_text(text) == text
    assert clean_line(text) == text


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("a\x1b[2Jb", "ab"),  # CSI clear screen
        ("\x1b[31mred\x1b[0m", "red"),  # SGR colour
        ("a\x1b[?1049hb", "ab"),  # private mode (alternate screen)
        ("a\x1b[1;31;4mb", "ab"),
        ("a\x1b[2 qb", "ab"),  # CSI with an intermediate byte
        ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),  # OSC 52 clipboard write, BEL-terminated
        ("a\x1b]0;pwned title\x1b\\b", "ab"),  # OSC title, ST-terminated
        ("a\x1b]2;title\x9cb", "ab"),  # OSC ended by 8-bit ST
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 link
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x9b31mb", "ab"),
        ("a\x9d52;c;ZXZpbA==\x07b", "ab"),  # 8-bit OSC
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x90payload\x9cb", "ab"),  # 8-bit DCS
        ("a\x1b_apc\x1b\\b", "ab"),  # APC
        ("a\x1b(Bb", "ab"),  # charset designation
        ("a\x1b7b\x1b8c", "abc"),  # save/restore cursor
        ("a\x1bcb", "ab"),  # full reset
        ("a\x1b", "a"),  # a lone ESC at the end
        ("a\x1b[", "a"),  # an incomplete CSI
        ("a\x1b[12", "a12"),  # incomplete: the ESC goes, the digits are harmless text
    ],
)
def test_escape_sequences_are_removed_whole(hostile: str, expected: str) -> None:
    assert clean_text(hostile) == expected


def test_unterminated_osc_does_not_swallow_the_rest_of_the_body() -> None:
    cleaned = clean_text("Hello\x1b]0;title\nthe rest of the message")
    assert cleaned == "Hello\nthe rest of the message"
    assert clean_text("a\x1b]52;c;abc\x1b[2Jb") == "ab"  # stops at the next ESC


@pytest.mark.parametrize("code", [*range(0x00, 0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20), 0x7F])
def test_c0_controls_and_del_are_removed(code: int) -> None:
    # (ESC also takes the character after it: "ESC b" is itself an escape sequence.)
    assert clean_text(f"a{chr(code)}\nb") == "a\nb"
    assert clean_text(f"a{chr(code)}") == "a"
    if code != 0x1B:
        assert clean_text(f"a{chr(code)}b") == "ab"


@pytest.mark.parametrize("code", [c for c in range(0x80, 0xA0) if c != 0x85])
def test_c1_controls_are_removed(code: int) -> None:
    # The 8-bit introducers (CSI, OSC, DCS…) take their sequence with them, as ESC does.
    assert clean_text(f"a{chr(code)}\nb") == "a\nb"
    assert clean_text(f"a{chr(code)}") == "a"
    if code not in (0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F):
        assert clean_text(f"a{chr(code)}b") == "ab"


def test_nul_is_removed() -> None:
    assert clean_text("nul\x00byte\x00") == "nulbyte"


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_bidi_overrides_and_isolates_are_removed(code: int) -> None:
    assert clean_text(f"a{chr(code)}b") == "ab"


def test_trojan_source_reads_as_it_is() -> None:
    # Displayed with the override, this reads "access_level = 'user'"-ish; cleaned, the
    # characters are in their real order with nothing to reorder them.
    hostile = "access_level != \u202e \u2066// Check if admin\u2069 \u2066"
    cleaned = clean_text(hostile)
    assert cleaned == "access_level !=  // Check if admin "
    assert clean_text("\u200eleft\u200fright\u061c") == "leftright"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
        ("a\x85b", "a\nb"),  # NEL
        ("a\u2028b\u2029c", "a\nb\nc"),  # line / paragraph separator
    ],
)
def test_line_ends_become_newlines(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_tabs_and_newlines_are_kept() -> None:
    text = "Name:\tAda\nRole:\tagent\n\n  indented\n"
    assert clean_text(text) == text


def test_ordinary_unicode_is_untouched() -> None:
    text = "Grüße — 你好 — مرحبا — שלום — 👩‍💻 — e\u0301 — \u00a0nbsp — \u200bzwsp — ﷽"
    assert clean_text(text) == text


def test_lone_surrogates_become_replacement_characters() -> None:
    cleaned = clean_text("bad \ud800 pair \udfff end")
    assert cleaned == "bad \ufffd pair \ufffd end"
    cleaned.encode("utf-8")  # would raise on a surrogate


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_gives_empty_text(empty: str | None) -> None:
    assert clean_text(empty) == ""
    assert clean_line(empty) == ""


def test_everything_at_once() -> None:
    hostile = (
        "\x1b]52;c;ZXZpbA==\x07[@click=app.quit]Refund\x1b[2J \u202eplease\x00\r\n"
        "\x9b31mline two\x7f\t[bold red]x"
    )
    assert clean_text(hostile) == "[@click=app.quit]Refund please\nline two\t[bold red]x"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Printer\n\non   fire\t! ", "Printer on fire !"),
        ("a\r\nb", "a b"),
        ("a\u2028b", "a b"),
        ("\x1b[1mBold\x1b[0m subject", "Bold subject"),
        ("[bold]  spaced  [/bold]", "[bold] spaced [/bold]"),
        ("tab\tseparated", "tab separated"),
        ("\u00a0nbsp\u00a0edges\u00a0", "nbsp edges"),
        ("\n\n", ""),
    ],
)
def test_clean_line_folds_whitespace(text: str, expected: str) -> None:
    assert clean_line(text) == expected


def test_clean_text_is_idempotent_on_examples() -> None:
    for text in [*MARKUP, "a\x1b]0;t\x07b\r\n\x9b2J\u202e\ud800"]:
        once = clean_text(text)
        assert clean_text(once) == once
