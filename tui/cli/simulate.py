"""``triage simulate``: serve the vendor simulators on 127.0.0.1 and print a configuration
for them, until Ctrl-C or SIGTERM.

One vendor is served at the root; several share one port, each under ``/<vendor>/``.
"""

from __future__ import annotations

import sys

from tui.cli.common import error

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

SIMULATE_SERVING = "# Serving; press Ctrl-C to stop."
"""Last line ``triage simulate`` prints once the simulators answer (scripts wait for it)."""


def simulate(args: argparse.Namespace) -> int:
    import signal
    import time

    import tomli_w

    from adapters import registry
    from adapters.simulation import ServerThread, mount

    vendors = registry.vendor_names()
    if args.vendor is not None:
        if args.vendor not in vendors:
            error(f"unknown vendor {args.vendor!r} (known: {', '.join(vendors)})")
            return 2
        vendors = [args.vendor]
    options: dict[str, Any] = {} if args.tickets is None else {"tickets": args.tickets}
    apps = {vendor: registry.simulator_module(vendor).create_app(**options) for vendor in vendors}
    app = apps[vendors[0]] if args.vendor is not None else mount(apps)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    server = ServerThread(app, host="127.0.0.1", port=args.port)
    try:
        server.start()
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        error(f"cannot serve on 127.0.0.1:{args.port}: {reason}")
        return 1
    # `kill` stops the simulators as cleanly as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        base = server.base_url.rstrip("/")
        connections = {
            vendor: registry.simulator_module(vendor).connection_block(
                base if args.vendor is not None else f"{base}/{vendor}"
            )
            for vendor in vendors
        }
        out = sys.stdout
        out.write(
            f"# triage simulators on 127.0.0.1:{server.port} "
            f"({', '.join(vendors)}; demo credentials, not secrets).\n"
            "# Save this output as a file, e.g. sim.toml, then:\n"
            "#   triage --config sim.toml tickets --json\n"
            "#   triage --config sim.toml\n"
            "\n"
        )
        out.write(tomli_w.dumps({"connections": connections}))
        out.write(f"\n{SIMULATE_SERVING}\n")
        out.flush()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("triage: simulators stopped", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    return 0
