"""Reading a desk's answer without letting a hostile one freeze the app.

Two defences every vendor's parser shares:

* **Depth.** Nesting costs more than its size: expat and xmltodict spent 42 s of CPU on
  1.4 MB of XML nested 200 000 deep (the cost grows with the square of the depth). No desk
  nests a ticket more than a few dozen levels, so :func:`check_depth` refuses XML deeper
  than :data:`MAX_DEPTH` before a parser builds anything; JSON (:func:`parse_json`) is
  refused when Python's reader reaches its recursion limit, which it does in linear time.
* **The event loop.** A large body is parsed in a worker thread (:func:`parse_off_loop`),
  so the interface keeps answering keys while one desk's answer is read; a small one, the
  common case, is parsed in place (a thread costs more than it saves there).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TypeVar
from xml.parsers import expat

from adapters.errors import ProtocolError

ResultT = TypeVar("ResultT")

MAX_DEPTH = 512
"""Elements (or JSON arrays and objects) nested deeper than this are refused."""
OFF_LOOP_BYTES = 64 * 1024
"""Bodies larger than this are parsed in a worker thread."""


class _TooDeep(Exception):
    """Raised inside expat's handler to stop at the first depth above the limit."""


class _Stop(Exception):
    """Raised inside expat's handler to stop at an entity declaration."""


def xml_depth(text: str, stop_above: int | None = None) -> int:
    """The deepest element nesting in ``text``, or the first depth above ``stop_above``.

    Measured by expat with nothing but two counters as handlers (a fraction of a full
    parse, stopping at once on a deep document); comments, CDATA and quoted attributes are
    read as XML reads them. A document declaring entities is not read further (the real
    parse refuses it), and a malformed one gives the depth reached so far."""
    parser = expat.ParserCreate()
    depth = deepest = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth, deepest
        depth += 1
        if depth > deepest:
            deepest = depth
            if stop_above is not None and deepest > stop_above:
                raise _TooDeep

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(*args: object) -> None:
        raise _Stop

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    with contextlib.suppress(_TooDeep, _Stop, expat.ExpatError):
        parser.Parse(text, True)
    return deepest


def check_depth(text: str, *, connection: str, what: str, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`ProtocolError` naming ``what`` when the XML ``text`` nests deeper than
    ``limit``."""
    if xml_depth(text, stop_above=limit) > limit:
        raise ProtocolError(connection, what, f"nested more than {limit} levels deep; not read")


OFF_LOOP_ITEMS = 500
"""Records (tickets of one answer) above which mapping them runs in a worker thread."""


async def parse_off_loop(parse: Callable[[], ResultT], size: int) -> ResultT:
    """``parse()``, in a worker thread when the body is ``size`` bytes and large."""
    return await off_loop(parse, large=size > OFF_LOOP_BYTES)


async def off_loop(work: Callable[[], ResultT], *, large: bool) -> ResultT:
    """``work()``, in a worker thread when ``large`` (a body or a list of records a
    hostile or mistaken desk made huge), else here and now."""
    if not large:
        return work()
    return await asyncio.to_thread(work)


async def parse_json(body: bytes, *, connection: str, what: str) -> object:
    """A JSON answer, parsed off the loop when large; anything unreadable, absurd nesting
    included (Python's reader gives up past its recursion limit, in linear time), is a
    :class:`ProtocolError` naming ``what``."""
    import json

    def parse() -> object:
        try:
            return json.loads(body)
        except RecursionError:
            raise ProtocolError(connection, what, "nested too deep; not read") from None
        except ValueError as exc:
            raise ProtocolError(connection, what, f"not JSON: {exc}") from None

    return await parse_off_loop(parse, len(body))
