"""The CLI's JSON is as clean as the screen: a desk's hostile text (C1 controls, escape
sequences, bidi overrides) inside the vendor payload (``raw``) of ``show --json`` is cleaned,
the structure kept."""

from __future__ import annotations

import json
import unicodedata

import pytest

from tui.cli import main
from tui.cli.output import clean_strings

ACTIVE = {"\x1b", "\x9b", "\x9d", "\x9c", "\x90", "\x07", "\u202e", "\u2066", "\u200f"}


def _active(text: str) -> set[str]:
    return {
        char
        for char in text
        if char in ACTIVE or (unicodedata.category(char) in ("Cc", "Cf") and char not in "\n\t")
    }


def test_show_json_cleans_the_vendor_payload(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "tickets", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    hostile = [
        ":".join(item["key"])
        for item in listed
        if "PAPER JAM" in item["subject"] or "fdp.exe" in item["subject"]
    ]
    assert hostile, "the demo desks carry hostile tickets"
    for key in hostile:
        assert main(["--demo", "show", key, "--json"]) == 0
        out = capsys.readouterr().out
        assert _active(out) == set(), key
        data = json.loads(out)
        assert data["raw"], "the payload is still there, cleaned"


def test_clean_strings_keeps_the_structure_and_survives_depth() -> None:
    value = {"a\u202eb": ["x\x9b31my", {"k": "\x1b]0;t\x07ok", "n": 3, "z": None}], "t": True}
    assert clean_strings(value) == {"ab": ["xy", {"k": "ok", "n": 3, "z": None}], "t": True}
    deep: object = "\x9b31mleaf"
    for _ in range(100_000):
        deep = [deep]
    cleaned = clean_strings(deep)
    for _ in range(100_000):
        assert isinstance(cleaned, list)
        cleaned = cleaned[0]
    assert cleaned == "leaf"
