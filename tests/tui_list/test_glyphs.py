"""ASCII stand-ins for the app's symbols when the locale is not UTF-8 (tui.glyphs)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tui.glyphs import ASCII, UNICODE, choose, utf8_locale


@pytest.mark.parametrize(
    ("env", "utf8"),
    [
        ({}, True),  # nothing set: nearly every terminal emulator is UTF-8
        ({"LANG": "en_US.UTF-8"}, True),
        ({"LANG": "de_DE.utf8"}, True),
        ({"LANG": "C"}, False),
        ({"LANG": "POSIX"}, False),
        ({"LANG": "en_US.ISO-8859-1"}, False),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, False),  # LC_ALL wins
        ({"LANG": "C", "LC_CTYPE": "en_GB.UTF-8"}, True),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, False),  # Python's coercion (PEP 538)
        ({"LC_CTYPE": "C.UTF-8"}, True),  # coerced from no locale at all
        ({"LANG": "C.UTF-8"}, True),
        ({"LANG": "C", "TRIAGE_GLYPHS": "unicode"}, True),
        ({"LANG": "en_US.UTF-8", "TRIAGE_GLYPHS": "ascii"}, False),
    ],
)
def test_the_locale_decides(env: dict[str, str], utf8: bool) -> None:
    assert utf8_locale(env) is utf8
    assert choose(env) is (UNICODE if utf8 else ASCII)


def test_ascii_glyphs_are_ascii_and_differ_where_unicode_does() -> None:
    for name, value in vars(ASCII).items():
        assert value.isascii(), name
    assert ASCII.checked != ASCII.unchecked and ASCII.up != ASCII.down
    assert len({ASCII.ok, ASCII.auth_failed, ASCII.unreachable, ASCII.rate_limited}) == 4


def test_a_c_locale_draws_ascii_everywhere() -> None:
    script = (
        "from tui.widgets import ticket_list, sidebar, status_bar, detail\n"
        "from tui import presentation\n"
        "print(ticket_list.CURSOR_MARK, ticket_list.SELECT_MARK, sidebar.CURRENT_GLYPH,"
        " status_bar.DRAFT_GLYPH, detail.PUBLIC_LABEL, presentation.EMPTY,"
        " presentation.CHECKED)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "TRIAGE_"))}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "LANG": "C"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.split() == [">", "*", ">", "&", "o", "PUBLIC", "-", "[x]", "yes"]
