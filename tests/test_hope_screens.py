"""The hope box's screens inside cope, in-process at 40 columns: words never broken,
crisis words and `!` at its prompts, the person's text cleaned, and y/n read kindly."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from selfback.actions import hope as H
from selfback.env import Env
from selfback.messages import hope as msg
from selfback.paths import get_paths
from selfback.ui.hope import CopeHopeLines, ask_kind
from selfback.ui.screen import Screen

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")


def screen(typed: str) -> tuple[CopeHopeLines, io.StringIO]:
    out = io.StringIO()
    env = Env(stdin=io.StringIO(typed), stdout=out, force_plain=True)
    return CopeHopeLines(Screen(env)), out


@pytest.fixture(autouse=True)
def _narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")


def words_whole(text: str, source: str) -> None:
    """Every word of ``source`` appears whole in ``text`` (none broken over lines)."""
    seen = set(text.split())
    assert all(word in seen for word in source.split()), text


def test_items_are_shown_cleaned_and_wrapped_at_40_columns(tmp_path: Path) -> None:
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3")
    long = "You have come through every single hard night so far, and that counts for a lot."
    H.add_item(get_paths(), NOW, kind="message", text=long + "\x1b[31m")
    H.add_item(get_paths(), NOW, kind="music", text=None, path=str(song))
    entries, total = H.cope_items(get_paths())
    lines, out = screen("\n")
    lines.show_items(entries, total)
    text = out.getvalue()
    assert "\x1b" not in text
    assert all(len(line) <= 40 or " " not in line.strip() for line in text.splitlines())
    words_whole(text, long)
    assert "selfback hope show 2 opens it" in " ".join(text.split())
    song.unlink()
    entries, total = H.cope_items(get_paths())
    lines, out = screen("\n")
    lines.show_items(entries, total)
    assert msg.MISSING in " ".join(out.getvalue().split())


def test_yes_no_reads_words_and_shows_crisis_lines_on_request() -> None:
    lines, out = screen("maybe\n!\nyes\n")
    assert lines.offer_box()
    text = " ".join(out.getvalue().split())
    assert msg.COPE_YES_NO in text and "emergency" in text.lower()
    lines, _ = screen("\n")
    assert not lines.offer_box()  # Enter is no


def test_offer_note_takes_one_line_and_never_keeps_a_crisis_request() -> None:
    lines, _ = screen("y\nBreathe out slowly.\n")
    assert lines.offer_note() == "Breathe out slowly."
    lines, out = screen("y\nsos\n")
    assert lines.offer_note() is None
    assert "emergency" in out.getvalue().lower()
    lines, out = screen("y\n\n")
    assert lines.offer_note() is None and msg.NOTE_EMPTY in " ".join(out.getvalue().split())


def test_show_note_and_heard() -> None:
    H.keep_note(get_paths(), NOW, situation="panic", text="It passes.", skill_title="Paced")
    note = H.note_for(get_paths(), "panic")
    assert note is not None
    lines, out = screen("\n")
    lines.show_note(note)
    text = " ".join(out.getvalue().split())
    assert "It passes." in text and "Last time, Paced helped." in text
    heard = H.hear_words("I want to die")
    assert heard is not None
    lines, out = screen("")
    lines.heard(heard)
    assert lines.ui.crisis_shown and "emergency" in out.getvalue().lower()


def test_ask_kind_by_number_name_or_q() -> None:
    for typed, kind in (("2\n", "quote"), ("nine\nvoice\n", "voice"), ("q\n", None)):
        out = io.StringIO()
        env = Env(stdin=io.StringIO(typed), stdout=out, force_plain=True)
        assert ask_kind(env) == kind
