"""`selfback export` in a real terminal: it asks about each private part, plainly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pexpect

from test_export_data import make_log

NOW = {"SELFBACK_NOW": "2026-11-21T10:00:00+00:00"}


def test_export_asks_about_notes_crisis_and_plan(spawn: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=60)
    (home / ".welcomed").write_text("welcomed\n")
    out = tmp_path / "data.json"
    child = spawn("export", "--format", "json", "--output", str(out), env=NOW)
    child.expect("This file is private to you. Choose what goes in it.")
    child.expect(r"Include your written notes\? \[y/N\]")
    child.sendline("y")
    child.expect(r"Include how often you opened the crisis screen\? \[y/N\]")
    child.sendline("")
    child.expect(r"Include your safety plan\? \[y/N\]")
    child.sendline("maybe")
    child.expect("Please type y or n.")
    child.sendline("y")
    child.expect("Saved your data to")
    child.expect(r"Left out: crisis-screen openings \(add --include-crisis to include them\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = json.loads(out.read_text())
    assert data["included"] == {
        "notes": True,
        "crisis_openings": False,
        "safety_plan": True,
        "risk_flags": False,
    }
    assert any(c["note"] for c in data["checkins"])


def test_flags_answer_the_questions(spawn: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=30)
    (home / ".welcomed").write_text("welcomed\n")
    out = tmp_path / "report.md"
    child = spawn(
        "export",
        "--format",
        "md",
        "--output",
        str(out),
        "--exclude-plan",
        "--include-crisis",
        env=NOW,
    )
    # md carries no notes and the flags answer the rest: no question at all
    assert child.expect(["Include", "Saved your report to"]) == 1
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Crisis screen they opened" in out.read_text()


def _flags_but_no_openings() -> None:
    from datetime import datetime

    from selfback.paths import get_paths
    from selfback.store.db import open_store
    from selfback.store.safety import insert_risk_flag

    make_log(days=30)
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute("DELETE FROM crisis_openings")
        when = datetime.fromisoformat("2026-11-20T21:00:00+00:00")
        insert_risk_flag(db, source="checkin-note", kind="self-harm", when=when)


def test_risk_flags_without_crisis_openings_are_asked_about(
    spawn: Any, home: Path, tmp_path: Path
) -> None:
    """Flags with no opening of the crisis screen: the JSON export asks about them (they
    are never left out without a word), in words that fit what is there."""
    _flags_but_no_openings()
    (home / ".welcomed").write_text("welcomed\n")
    out = tmp_path / "data.json"
    child = spawn(
        "export", "--format", "json", "--output", str(out), "--no-notes", "--exclude-plan", env=NOW
    )
    child.expect(
        r"Include when words that may mean risk were noticed \(never the words\)\? \[y/N\]"
    )
    child.sendline("y")
    child.expect("Saved your data to")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = json.loads(out.read_text())
    assert data["included"]["risk_flags"] is True
    assert [f["kind"] for f in data["risk_flags"]] == ["self-harm"]
    assert data["crisis_openings"] == []


def test_a_report_does_not_ask_about_flags_it_cannot_carry(
    spawn: Any, home: Path, tmp_path: Path
) -> None:
    _flags_but_no_openings()
    (home / ".welcomed").write_text("welcomed\n")
    out = tmp_path / "report.html"
    child = spawn(
        "export", "--format", "html", "--output", str(out), "--no-notes", "--exclude-plan", env=NOW
    )
    assert child.expect(["Include", "Saved your report to"]) == 1
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
