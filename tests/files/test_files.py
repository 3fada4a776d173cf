"""Saving attachments: hostile names become plain names, nothing is replaced or made
runnable, and a symbolic link is never followed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tui.files import FALLBACK_NAME, MAX_NAME_BYTES, safe_file_name, save_file


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("../../.bashrc", "bashrc"),
        ("/etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.dll", "evil.dll"),
        ("invoice\u202eexe.pdf", "invoiceexe.pdf"),
        ("a\x1b[31mred\x1b[0m.txt", "ared.txt"),
        ("name\x00.txt", "name.txt"),
        ("..", FALLBACK_NAME),
        ("", FALLBACK_NAME),
        ("   ", FALLBACK_NAME),
        ("...", FALLBACK_NAME),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("lpt1.tar.gz", "_lpt1.tar.gz"),
        ('what?<is>"this"|*.txt', "what__is__this___.txt"),
        ("-rf", "rf"),
        ("trailing. . ", "trailing"),
        ("line\nbreak.txt", "line break.txt"),
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("日本語.txt", "日本語.txt"),
    ],
)
def test_safe_file_names(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = safe_file_name("é" * 500 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= MAX_NAME_BYTES
    name = safe_file_name("x." + "y" * 300)
    assert len(name.encode()) <= MAX_NAME_BYTES


def test_saved_under_a_safe_name_never_replacing(tmp_path: Path) -> None:
    first = save_file(b"one", folder=tmp_path, name="../report.pdf")
    second = save_file([b"t", b"wo"], folder=tmp_path, name="report.pdf")
    third = save_file(b"three", folder=tmp_path, name="report.pdf")
    assert [first.name, second.name, third.name] == [
        "report.pdf",
        "report (1).pdf",
        "report (2).pdf",
    ]
    assert first.parent == tmp_path
    assert [p.read_bytes() for p in (first, second, third)] == [b"one", b"two", b"three"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [first.name, second.name, third.name]
    )


def test_saved_files_cannot_be_run(tmp_path: Path) -> None:
    saved = save_file(b"#!/bin/sh\necho pwned\n", folder=tmp_path, name="run-me.sh")
    mode = stat.S_IMODE(saved.stat().st_mode)
    assert mode & 0o111 == 0
    assert mode & 0o077 == 0


def test_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "link.txt").symlink_to(target)
    saved = save_file(b"evil", folder=tmp_path, name="link.txt")
    assert saved.name == "link (1).txt"
    assert target.read_text() == "keep me"
    with pytest.raises(OSError):
        save_file(b"evil", path=tmp_path / "link.txt", replace=True)
    assert target.read_text() == "keep me"


def test_a_chosen_path_is_not_replaced_unless_asked(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.bin"
    assert save_file(b"1", path=chosen) == chosen
    with pytest.raises(FileExistsError):
        save_file(b"2", path=chosen)
    assert chosen.read_bytes() == b"1"
    save_file(b"3", path=chosen, replace=True)
    assert chosen.read_bytes() == b"3"


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    def chunks() -> object:
        yield b"part"
        raise OSError("connection lost")

    with pytest.raises(OSError, match="connection lost"):
        save_file(chunks(), folder=tmp_path, name="big.iso")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_needs_a_folder_or_a_path() -> None:
    with pytest.raises(ValueError, match="a folder and a name, or a path"):
        save_file(b"x", name="x")
    assert os.sep not in safe_file_name("a" + os.sep + "b")
