"""``python -m tui``: the same as the ``triage`` command."""

from tui.cli import main

raise SystemExit(main())
