"""What every modal form shares: the dialog frame, validation with errors beside the
field, and the submit/cancel keys.

A form subclasses :class:`FormScreen` (or :class:`DeskForm`, when its values are one desk's
ids), yields its fields from :meth:`FormScreen.compose_body`
and turns them into its result in :meth:`FormScreen.build_result`, recording any problem
in the ``errors`` mapping under the field's name. The frame shows each message in the
``#f-<name>-error`` label that :func:`field_error` placed under that field (the name ``form`` is
the form-level line above the buttons), focuses the first field in error, and dismisses
only when there is none. Escape dismisses with ``None``.

Remote text (subjects, names, messages) is only ever shown through :func:`plain`, or a
``Label(..., markup=False)``, never interpolated into markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label

from adapters.base import Capabilities, Capability
from adapters.model import Lookups, Ticket
from tui.presentation import ticket_name

ResultT = TypeVar("ResultT")

FORM_ERROR = "form"
"""The ``errors`` key of a problem that belongs to the whole form, not one field."""


def plain(text: str) -> Content:
    """Remote or composed text as literal content: no markup is parsed in it."""
    return Content(text)


def fid(name: str) -> str:
    """The widget id of form field ``name``. Prefixed, because the app's stylesheet is
    global and the main screen has ids of its own (``#body``, ``#status``…)."""
    return f"f-{name}"


def field_error(name: str) -> Label:
    """The (initially hidden) line under field ``name`` where its error is shown."""
    return Label("", id=f"{fid(name)}-error", classes="field-error", markup=False)


def capability_notice(action: str, capability: Capability) -> Label | None:
    """A line saying why ``action`` is missing or how it is done, or ``None`` if plain."""
    if not capability.supported:
        reason = capability.reason or "the desk does not support it"
        return Label(f"Cannot {action} here: {reason}", classes="notice -unsupported", markup=False)
    if capability.emulated:
        reason = f": {capability.reason}" if capability.reason else ""
        return Label(f"Emulated{reason}", classes="notice -emulated", markup=False)
    return None


def by_desk(tickets: Iterable[Ticket]) -> dict[str, list[Ticket]]:
    """Tickets grouped by connection, desks in the order they first appear."""
    desks: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        desks.setdefault(ticket.key.connection, []).append(ticket)
    return desks


def single_desk(tickets: Sequence[Ticket], form: str) -> str:
    """The one connection ``tickets`` belong to; forms whose values are desk ids need it."""
    if not tickets:
        raise ValueError(f"{form} needs at least one ticket")
    desks = by_desk(tickets)
    if len(desks) > 1:
        raise ValueError(f"{form} works on one desk at a time, got {', '.join(desks)}")
    return next(iter(desks))


def describe_targets(tickets: Sequence[Ticket]) -> str:
    """``acme:T-12  Printer on fire`` for one ticket (named by :func:`ticket_name`),
    ``3 tickets (3 on acme)`` for several."""
    if len(tickets) == 1:
        return f"{ticket_name(tickets[0])}  {tickets[0].subject}"
    desks = by_desk(tickets)
    where = ", ".join(f"{len(group)} on {name}" for name, group in desks.items())
    return f"{len(tickets)} tickets ({where})"


BODY_LINES = 16
"""The most lines a form's body takes before it scrolls (it fits 80x24)."""


class FormScreen(ModalScreen[ResultT]):
    """A dialog: title, scrolling body, form-level error line, buttons, and a footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Confirm", priority=True),
    ]

    SUBMIT_LABEL: ClassVar[str] = "Confirm"

    def __init__(self, title: str) -> None:
        super().__init__()
        self.form_title = title
        self.errors: dict[str, str] = {}
        """The messages shown now, by field name."""

    # -- what subclasses provide ----------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        """The form's fields, each followed by its :func:`field_error` label."""
        yield from ()

    def build_result(self, errors: dict[str, str]) -> ResultT | None:
        """Read the fields into the result, recording problems in ``errors``."""
        raise TypeError(f"{type(self).__name__} must define build_result")

    @property
    def can_submit(self) -> bool:
        """False when the form can only be cancelled (the desk cannot do the action)."""
        return True

    # -- the frame ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Label(self.form_title, id="form-title", markup=False)
            # Not focusable itself: tab goes field to field, and focus scrolls the body.
            with VerticalScroll(id="form-body", can_focus=False):
                yield from self.compose_body()
            yield field_error(FORM_ERROR)
            with Horizontal(id="form-buttons"):
                if self.can_submit:
                    yield Button(
                        self.SUBMIT_LABEL, id="form-submit", variant="primary", compact=True
                    )
                yield Button("Cancel", id="form-cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._fit_body()

    def on_resize(self) -> None:
        self._fit_body()

    def _fit_body(self) -> None:
        """Keep the buttons on screen: the body gets what the screen has left after the
        frame (title, error line, buttons, borders, footer), up to its usual 16 lines,
        and scrolls beyond. A 60x20 terminal still shows Send and Cancel."""
        height = self.size.height or self.app.size.height
        title = 2 if len(self.form_title) > max(1, self.size.width - 6) else 1
        error = 1 if self.query_one(f"#{fid(FORM_ERROR)}-error").has_class("-visible") else 0
        frame = 1 + 2 + title + 1 + error + 2  # footer, borders, title, margin, buttons
        body = self.query_one("#form-body")
        body.styles.max_height = max(3, min(BODY_LINES, height - frame - 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.can_submit
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if not self.can_submit:
            return
        errors: dict[str, str] = {}
        result = self.build_result(errors)
        self.show_errors(errors)
        if not errors:
            self.dismiss(result)

    @on(Button.Pressed, "#form-submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        # Enter in a one-line field submits the form, as it does in any dialog.
        event.stop()
        self.action_submit()

    # -- errors ---------------------------------------------------------------------------

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message under its field, clear the others, focus the first failure."""
        for name in errors:
            if not self.query(f"#{fid(name)}-error"):
                raise KeyError(f"{type(self).__name__} has no error label for field {name!r}")
        self.errors = {name: message for name, message in errors.items() if message}
        first: Widget | None = None
        for label in self.query(".field-error").results(Label):
            name = (label.id or "")[len("f-") : -len("-error")]
            message = errors.get(name, "")
            label.update(plain(message))
            label.set_class(bool(message), "-visible")
            if message and first is None and name:
                first = self._field_widget(name)
        if first is not None:
            first.focus()
        self._fit_body()

    def set_error(self, name: str, message: str) -> None:
        """Show (or with ``""`` clear) one field's error without touching the others."""
        label = self.query_one(f"#{fid(name)}-error", Label)
        label.update(plain(message))
        label.set_class(bool(message), "-visible")
        self._fit_body()
        if message:
            self.errors[name] = message
        else:
            self.errors.pop(name, None)

    def error_text(self, name: str) -> str:
        """The error currently shown under field ``name`` (``""`` if none)."""
        return self.errors.get(name, "")

    def _field_widget(self, name: str) -> Widget | None:
        try:
            widget = self.query_one(f"#{fid(name)}")
        except NoMatches:
            return None
        if widget.focusable:
            return widget
        # A compound field (a filter over a list) focuses its first focusable part.
        return next((child for child in widget.query("*") if child.focusable), None)


class DeskForm(FormScreen[ResultT]):
    """A form whose values are one desk's ids (statuses, priorities, agents, groups), its
    pickers filled from that desk's lookups.

    An id only means something on its own desk, so the tickets must all belong to one
    connection. For a selection spanning several desks the caller asks once per desk,
    passing ``step=(n, of)`` so that the title says "desk n of of".

    Args:
        tickets: the targeted tickets, all of one connection.
        lookups: that desk's lookups.
        capabilities: that desk's capabilities.
        step: ``(n, of)`` when the caller asks desk by desk.
    """

    def __init__(
        self,
        tickets: Sequence[Ticket],
        lookups: Lookups,
        capabilities: Capabilities,
        *,
        step: tuple[int, int] | None = None,
    ) -> None:
        verb = self.SUBMIT_LABEL
        self.connection = single_desk(tickets, verb)
        title = f"{verb} {describe_targets(tickets)}"
        if step is not None:
            title = f"{title}  (desk {step[0]} of {step[1]})"
        super().__init__(title)
        self.tickets = list(tickets)
        self.lookups = lookups
        self.capabilities = capabilities
