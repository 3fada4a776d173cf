"""The main triage screen: the view (:mod:`~tui.screens.main.screen`), the controller that
keeps it in step with the desks (:mod:`~tui.screens.main.controller`), and the ticket
action flows (:mod:`~tui.screens.main.actions`)."""

from tui.screens.main.screen import MainScreen

__all__ = ["MainScreen"]
