"""The Compose form: a public reply or a private note, in a multi-line editor.

Which one it is shows in the title and in a banner (the customer sees a reply; only agents
see a note), styled differently so the two cannot be confused. ctrl+s sends, ctrl+e opens
the draft in $VISUAL/$EDITOR (the app is suspended meanwhile) and reads it back.

Nothing typed is lost: escape with text in the editor first asks for a second escape
before throwing the draft away, and the caller stores the returned text in the outbox
before sending it, so a failed send keeps it. Empty text is refused beside the editor.

Dismisses with the text (trailing whitespace removed), or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.widgets import Label, TextArea

from adapters.base import Capabilities
from adapters.model import Ticket, Visibility
from tui.screens.forms.base import (
    FORM_ERROR,
    FormScreen,
    by_desk,
    describe_targets,
    fid,
    field_error,
)
from tui.screens.forms.editor import EditorError, edit_in_editor

BANNERS = {
    Visibility.PUBLIC: "PUBLIC REPLY: the customer will see this.",
    Visibility.PRIVATE: "PRIVATE NOTE: only agents will see this.",
}
DISCARD_PROMPT = "Press escape again to throw this draft away (ctrl+s sends it)."


class ComposeScreen(FormScreen[str]):
    """Write a reply (``Visibility.PUBLIC``) or a note (``Visibility.PRIVATE``).

    Args:
        tickets: the targeted tickets (one, or several for the same text on each).
        visibility: public reply or private note.
        capabilities: connection -> that desk's capabilities, for every desk in ``tickets``.
        text: the draft to start from (a failed send from the outbox, say).
        restored: a line saying the text is a restored draft (and why it was not sent),
            shown in the form, not as a notification that could cover the form's own
            messages ("escape again discards").
        editor_env: where VISUAL/EDITOR are read (``os.environ`` by default).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Send", priority=True),
        Binding("ctrl+e", "editor", "$EDITOR", priority=True),
    ]
    SUBMIT_LABEL = "Send"

    def __init__(
        self,
        tickets: Sequence[Ticket],
        visibility: Visibility,
        capabilities: Mapping[str, Capabilities],
        *,
        text: str = "",
        restored: str = "",
        editor_env: Mapping[str, str] | None = None,
    ) -> None:
        if not tickets:
            raise ValueError("Compose needs at least one ticket")
        verb = "Reply to" if visibility is Visibility.PUBLIC else "Private note on"
        super().__init__(f"{verb} {describe_targets(tickets)}")
        self.tickets = list(tickets)
        self.visibility = visibility
        self.capabilities = capabilities
        self.initial_text = text
        self.restored = restored
        self.editor_env = editor_env
        self._discard_armed = False

    @property
    def action_name(self) -> str:
        return "reply" if self.visibility is Visibility.PUBLIC else "note"

    def _blocked(self) -> list[tuple[str, int, str]]:
        """Desks of the selection that cannot take this post: (name, count, reason)."""
        blocked = []
        for name, group in by_desk(self.tickets).items():
            caps = self.capabilities.get(name)
            if caps is None:
                blocked.append((name, len(group), "this connection is not configured"))
                continue
            capability = caps.for_action(self.action_name)
            if not capability.supported:
                reason = capability.reason or "the desk does not support it"
                blocked.append((name, len(group), reason))
        return blocked

    @property
    def can_submit(self) -> bool:
        return sum(count for _, count, _ in self._blocked()) < len(self.tickets)

    def compose_body(self) -> ComposeResult:
        kind = "-public" if self.visibility is Visibility.PUBLIC else "-private"
        yield Label(BANNERS[self.visibility], id=fid("visibility"), classes=f"banner {kind}")
        what = "public replies" if self.visibility is Visibility.PUBLIC else "private notes"
        for name, count, reason in self._blocked():
            tickets = "ticket" if count == 1 else "tickets"
            yield Label(
                f"{name} cannot take {what} ({count} {tickets} skipped): {reason}",
                classes="notice -unsupported",
                markup=False,
            )
        if not self.can_submit:
            return
        if self.restored:
            yield Label(self.restored, id=fid("restored"), classes="form-hint", markup=False)
        area = TextArea(self.initial_text, id=fid("body"), soft_wrap=True, classes=kind)
        area.border_title = "Reply" if self.visibility is Visibility.PUBLIC else "Private note"
        yield area
        yield field_error("body")

    def on_mount(self) -> None:
        if self.can_submit:
            area = self.query_one(f"#{fid('body')}", TextArea)
            area.focus()
            area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(f"#{fid('body')}", TextArea).text

    def build_result(self, errors: dict[str, str]) -> str | None:
        text = self.text.rstrip()
        if not text.strip():
            errors["body"] = "Write something first: an empty message cannot be sent."
            return None
        return text

    def action_cancel(self) -> None:
        if not self.can_submit or not self.text.strip() or self._discard_armed:
            self.dismiss(None)
            return
        self._discard_armed = True
        self.set_error(FORM_ERROR, DISCARD_PROMPT)

    @on(TextArea.Changed, "#f-body")
    def _text_changed(self) -> None:
        if self._discard_armed:
            self._discard_armed = False
            self.set_error(FORM_ERROR, "")
        if self.error_text("body"):
            self.set_error("body", "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "editor":
            return self.can_submit
        return super().check_action(action, parameters)

    def action_editor(self) -> None:
        """Hand the draft to the agent's editor, once the editor area has taken the keys
        typed before ctrl+e: a priority key runs at once, while the keys before it may
        still wait in the area's queue, and would land in the edited text afterwards."""
        area = self.query_one(f"#{fid('body')}", TextArea)
        area.call_later(self._edit_externally, area)

    def _edit_externally(self, area: TextArea) -> None:
        """Run the agent's editor on the draft and take back what it saved."""
        edited: str | None = None
        problem = ""
        try:
            with self.app.suspend():
                # Nothing may escape this block: the app only resumes the terminal when
                # the block ends normally.
                try:
                    edited = edit_in_editor(area.text, env=self.editor_env)
                except EditorError as exc:
                    problem = str(exc)
        except SuspendNotSupported:
            problem = "This terminal cannot hand over to an external editor; edit here."
        if problem:
            self.set_error("body", problem)
            return
        if edited is not None:
            area.load_text(edited)
            area.move_cursor(area.document.end)
            area.focus()
