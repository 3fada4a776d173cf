"""``triage cache clear [--connection NAME]``: forget the local cache (:mod:`tui.cache`).

Without ``--connection`` the file goes, with its WAL companions; with it, that connection's
rows, whatever URL or account they were kept under (so a connection removed from the
configuration can still be cleared). Neither needs the configuration file: clearing must
work when the configuration is what is broken. The next start lists the desk afresh.
"""

from __future__ import annotations

import sys

from tui.cli.common import error

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def clear(args: argparse.Namespace) -> int:
    from tui.cache import Cache, default_cache_path, remove_cache_file

    path = default_cache_path()
    if args.connection is None:
        removed = remove_cache_file(path)
        print(f"removed the cache {path}" if removed else f"no cache at {path}")
        return 0
    if not path.exists():
        print(f"no cache at {path}")
        return 0
    with Cache(path) as cache:
        names = cache.clear(args.connection)
        for notice in cache.take_notices():
            error(f"warning: {notice}")
    if names:
        print(f"removed the cached tickets of {args.connection!r} from {path}")
    else:
        print(f"nothing cached for {args.connection!r} in {path}")
    sys.stdout.flush()
    return 0
