"""The symbols the app draws (cursor, marks, desk states, post kinds, sort arrows), and
their ASCII stand-ins for a terminal whose locale is not UTF-8.

The choice is made once, from the locale the agent's environment names (``LC_ALL``, else
``LC_CTYPE``, else ``LANG``): a locale naming another character set, or ``C``/``POSIX``,
gets ASCII. With no locale set at all the app assumes UTF-8, as nearly every terminal
emulator is. Python's own stream encoding cannot tell: in the C locale it switches itself
to UTF-8 and sets ``LC_CTYPE=C.UTF-8`` in its own environment (PEP 538), so that value,
beside a ``LANG`` of C, POSIX or nothing, is read as what it replaced (``LANG``, or no
locale at all).
``TRIAGE_GLYPHS=ascii`` (or ``unicode``) overrides the guess.

Every state also has a word beside its symbol, so ASCII loses nothing but looks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Glyphs:
    cursor: str
    mark: str
    ellipsis: str
    up: str
    down: str
    arrow: str
    empty: str
    ok: str
    syncing: str
    auth_failed: str
    rate_limited: str
    unreachable: str
    error: str
    public: str
    private: str
    time: str
    draft: str
    checked: str
    unchecked: str


UNICODE = Glyphs(
    cursor="▶",
    mark="●",
    ellipsis="…",
    up="▲",
    down="▼",
    arrow="→",
    empty="—",
    ok="✓",
    syncing="↻",
    auth_failed="✗",
    rate_limited="⧖",
    unreachable="⊘",
    error="!",
    public="◎",
    private="▣",
    time="◷",
    draft="✎",
    checked="☑",
    unchecked="☐",
)

ASCII = Glyphs(
    cursor=">",
    mark="*",
    ellipsis="~",
    up="^",
    down="v",
    arrow="->",
    empty="-",
    ok="+",
    syncing="~",
    auth_failed="x",
    rate_limited="%",
    unreachable="/",
    error="!",
    public="o",
    private="#",
    time="@",
    draft="&",
    checked="[x]",
    unchecked="[ ]",
)


_COERCED = frozenset({"C.UTF-8", "C.utf8"})


def utf8_locale(env: Mapping[str, str]) -> bool:
    """Whether the environment's locale can show the Unicode glyphs (see the module)."""
    chosen = env.get("TRIAGE_GLYPHS", "").casefold()
    if chosen in ("ascii", "unicode"):
        return chosen == "unicode"
    lang = env.get("LANG") or ""
    ctype = env.get("LC_CTYPE") or ""
    if ctype in _COERCED and lang in ("", "C", "POSIX") and not env.get("LC_ALL"):
        ctype = lang  # Python's own coercion of the C locale, not the agent's choice
    locale = env.get("LC_ALL") or ctype or lang
    if not locale:
        return True
    charset = locale.partition(".")[2].partition("@")[0].casefold().replace("-", "")
    return charset in ("utf8", "utf16")


def choose(env: Mapping[str, str] | None = None) -> Glyphs:
    return UNICODE if utf8_locale(os.environ if env is None else env) else ASCII


GLYPHS = choose()
"""The glyphs of this run."""
