"""The outbox: drafts survive failures and restarts, the file is private and atomic."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from adapters.model import TicketKey, Visibility
from tui.outbox import INTERRUPTED, Outbox, OutboxError, OutboxState, default_outbox_path


def test_a_failed_send_keeps_the_draft_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "data" / "outbox.json"
    outbox = Outbox(path)
    entry = outbox.add(TicketKey("acme", "12"), "Hello [b]customer[/b]", Visibility.PUBLIC)
    note = outbox.add("halo:7", "internal", Visibility.PRIVATE)
    outbox.mark_sending(entry.id)
    outbox.mark_failed(entry.id, "acme: POST /Tickets/TicketPost: ReadTimeout")

    reloaded = Outbox(path)
    [draft] = reloaded.drafts_for("acme:12")
    assert draft.id == entry.id
    assert draft.text == "Hello [b]customer[/b]"
    assert draft.visibility is Visibility.PUBLIC
    assert draft.state is OutboxState.FAILED
    assert draft.last_error == "acme: POST /Tickets/TicketPost: ReadTimeout"
    assert draft.ticket_key == TicketKey("acme", "12")
    assert [item.id for item in reloaded.pending()] == [entry.id, note.id]
    assert reloaded.drafts_for(TicketKey("halo", "7"))[0].state is OutboxState.PENDING


def test_confirm_removes_the_draft_for_good(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    outbox = Outbox(path)
    entry = outbox.add("acme:1", "sent fine", Visibility.PRIVATE)
    outbox.mark_sending(entry.id)
    outbox.confirm(entry.id)
    assert outbox.pending() == [] and entry.id not in outbox
    assert Outbox(path).pending() == []
    with pytest.raises(KeyError):
        outbox.confirm(entry.id)


def test_editing_and_discarding_a_draft(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    outbox = Outbox(path)
    entry = outbox.add("acme:1", "frist", Visibility.PUBLIC)
    outbox.mark_failed(entry.id, "acme: boom")
    edited = outbox.update_text(entry.id, "first")
    assert (edited.text, edited.state, edited.last_error) == (
        "first",
        OutboxState.PENDING,
        "acme: boom",
    )
    assert Outbox(path).get(entry.id).text == "first"
    outbox.discard(entry.id)
    assert len(Outbox(path)) == 0


def test_an_interrupted_send_comes_back_as_failed_not_resent(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    outbox = Outbox(path)
    entry = outbox.add("acme:1", "maybe sent", Visibility.PUBLIC)
    outbox.mark_sending(entry.id)
    # The process dies here; on the next start the desk may or may not have the post.
    reloaded = Outbox(path)
    draft = reloaded.get(entry.id)
    assert draft.state is OutboxState.FAILED and draft.last_error == INTERRUPTED
    assert json.loads(path.read_text())["entries"][0]["state"] == "failed"


def test_file_is_private_and_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    outbox = Outbox(path)
    outbox.add("acme:1", "customer data", Visibility.PUBLIC)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # Only the file itself: no temporary file is left behind.
    assert sorted(os.listdir(tmp_path)) == ["outbox.json"]


def test_an_unreadable_file_is_kept_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    path.write_text('{"entries": [{"id": 1}]', encoding="utf-8")
    outbox = Outbox(path)
    assert outbox.pending() == []
    assert outbox.load_error is not None and "could not be read" in outbox.load_error
    [aside] = [name for name in os.listdir(tmp_path) if name.startswith("outbox.json.unreadable")]
    assert (tmp_path / aside).read_text() == '{"entries": [{"id": 1}]'
    outbox.add("acme:1", "new", Visibility.PUBLIC)
    assert len(Outbox(path)) == 1


def test_a_write_that_fails_is_undone_in_memory_too(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    outbox = Outbox(blocked / "outbox.json")
    blocked.write_text("a file where the directory should be")
    with pytest.raises(OutboxError, match="cannot write"):
        outbox.add("acme:1", "text", Visibility.PUBLIC)
    assert outbox.pending() == []
    # Reading through it fails loudly too, rather than pretending the outbox is empty.
    with pytest.raises(OutboxError, match="cannot read"):
        Outbox(blocked / "outbox.json")


def test_bad_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="connection:id"):
        Outbox(tmp_path / "outbox.json").add("no-colon", "text", Visibility.PUBLIC)


def test_default_path_is_in_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_outbox_path() == tmp_path / "triage" / "outbox.json"
