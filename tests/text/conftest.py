"""Shared definitions of the remote-text tests: the characters that must never survive
cleaning, defined here independently of the implementation's own tables."""

from __future__ import annotations

import pytest

C0 = {chr(c) for c in range(0x20)} - {"\t", "\n"}
C1 = {chr(c) for c in range(0x80, 0xA0)}
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]}
SURROGATES = {chr(c) for c in range(0xD800, 0xE000)}
LINE_SEPARATORS = {"\u2028", "\u2029"}
FORBIDDEN = frozenset(C0 | C1 | BIDI | SURROGATES | LINE_SEPARATORS | {"\x7f"})


@pytest.fixture
def forbidden() -> frozenset[str]:
    return FORBIDDEN
