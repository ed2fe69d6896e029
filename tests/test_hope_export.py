"""The hope box in exports: selfback JSON carries it losslessly (and import brings it back,
once), `--exclude-hope` leaves it out, and a report shows it only with `--include-hope`."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.actions import hope as H
from selfback.paths import get_paths

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
SECRET = "Mum's voice saying <b>well done</b>"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW.isoformat())


def fill_box(tmp_path: Path) -> None:
    paths = get_paths()
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3")
    H.add_item(paths, NOW, kind="message", text="You have done hard things before.")
    H.add_item(paths, NOW, kind="voice", text=SECRET, path=str(song))
    H.keep_note(paths, NOW, situation="panic", text="Breathe out longer.", skill_id="box-breathing")
    # a check-in, so the log has something an ordinary export counts
    from selfback.actions.checkin import CheckinDraft, add, build_entry

    add(paths, build_entry(CheckinDraft(NOW, {"mood": 5})), now=NOW)


def rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            "hope_items": conn.execute(
                "SELECT uid, kind, text, path, added_at, added_utc FROM hope_items ORDER BY uid"
            ).fetchall(),
            "next_time_notes": conn.execute(
                "SELECT uid, situation, skill_id, skill_title, text, session_uid, written_at,"
                " written_utc FROM next_time_notes ORDER BY uid"
            ).fetchall(),
        }
    finally:
        conn.close()


def export_json(cli: Any, out: Path, *extra: str) -> dict[str, Any]:
    r = cli("export", "--format", "json", "--output", str(out), "--since", "all", "--notes", *extra)
    assert r.exit_code == 0, r
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_json_round_trip_is_lossless_and_adds_nothing_twice(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_box(tmp_path)
    original = rows(home / "selfback.db")
    data = export_json(cli, tmp_path / "all.json")
    assert len(data["hope_items"]) == 2 and len(data["next_time_notes"]) == 1

    new_home = tmp_path / "new-home"
    monkeypatch.setenv("SELFBACK_HOME", str(new_home))
    r = cli("import", str(tmp_path / "all.json"))
    assert r.exit_code == 0, r
    assert "2 hope-box items, 1 note for next time" in r.stdout
    assert rows(new_home / "selfback.db") == original
    again = cli("import", str(tmp_path / "all.json"))
    assert again.exit_code == 0 and "Nothing new" in again.stdout
    assert rows(new_home / "selfback.db") == original


def test_exclude_hope_leaves_it_out(cli: Any, tmp_path: Path) -> None:
    fill_box(tmp_path)
    data = export_json(cli, tmp_path / "some.json", "--exclude-hope")
    assert "hope_items" not in data and SECRET not in json.dumps(data)


def test_hope_box_follows_the_notes_choice_in_json_and_is_named_when_left_out(
    cli: Any, tmp_path: Path
) -> None:
    fill_box(tmp_path)
    out = tmp_path / "no-notes.json"
    r = cli("export", "--format", "json", "--output", str(out), "--since", "all", "--no-notes")
    assert r.exit_code == 0, r
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "hope_items" not in data and SECRET not in json.dumps(data)
    assert "hope box" in r.stdout and "--include-hope" in r.stdout
    both = tmp_path / "hope-only.json"
    r = cli("export", "--format", "json", "-o", str(both), "--no-notes", "--include-hope")
    assert r.exit_code == 0, r
    assert len(json.loads(both.read_text(encoding="utf-8"))["hope_items"]) == 2


def test_import_checks_each_record_and_flags_risk_words(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_box(tmp_path)
    data = export_json(cli, tmp_path / "all.json")
    data["hope_items"][0]["text"] = "the night I wanted to kill myself, and lived"
    good = tmp_path / "risky.json"
    good.write_text(json.dumps(data), encoding="utf-8")
    bad = dict(data, hope_items=[dict(data["hope_items"][0], kind="video")])
    broken = tmp_path / "bad.json"
    broken.write_text(json.dumps(bad), encoding="utf-8")

    new_home = tmp_path / "new-home"
    monkeypatch.setenv("SELFBACK_HOME", str(new_home))
    r = cli("import", str(broken))
    assert r.exit_code == 3
    assert "entry 1 in hope_items" in r.stderr and "'kind'" in r.stderr
    assert "Nothing was imported" in r.stderr
    r = cli("import", str(good))
    assert r.exit_code == 0, r
    conn = sqlite3.connect(new_home / "selfback.db")
    try:
        flags = conn.execute("SELECT source, kind FROM risk_flags").fetchall()
    finally:
        conn.close()
    assert flags == [("import", "suicide")]


def test_older_exports_without_the_box_still_import(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_box(tmp_path)
    data = export_json(cli, tmp_path / "all.json")
    for key in ("hope_items", "next_time_notes"):
        data.pop(key)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("SELFBACK_HOME", str(tmp_path / "new-home"))
    assert cli("import", str(old)).exit_code == 0


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_reports_show_the_box_only_when_asked(cli: Any, tmp_path: Path, fmt: str) -> None:
    fill_box(tmp_path)
    plain = tmp_path / f"plain.{fmt}"
    r = cli("export", "--format", fmt, "--output", str(plain))
    assert r.exit_code == 0, r
    text = plain.read_text(encoding="utf-8")
    assert "Hope box" not in text and "hard things" not in text
    asked = tmp_path / f"asked.{fmt}"
    r = cli("export", "--format", fmt, "--output", str(asked), "--include-hope")
    assert r.exit_code == 0, r
    text = asked.read_text(encoding="utf-8")
    assert "Hope box" in text and "You have done hard things before." in text
    assert "Breathe out longer." in text and "song.mp3" in text
    assert str(tmp_path) not in text  # the file's name, never where it lives
    assert "<b>well done</b>" not in text  # escaped for the format


def test_a_pdf_report_with_the_box_is_written(cli: Any, tmp_path: Path) -> None:
    fill_box(tmp_path)
    out = tmp_path / "asked.pdf"
    r = cli("export", "--format", "pdf", "--output", str(out), "--include-hope")
    assert r.exit_code == 0, r
    assert out.read_bytes().startswith(b"%PDF")


def test_a_log_with_only_a_hope_box_is_copied_before_an_import(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    fill_box(tmp_path)
    data = export_json(cli, tmp_path / "all.json")
    conn = sqlite3.connect(home / "selfback.db")
    conn.execute("DELETE FROM checkins")
    conn.commit()
    conn.close()
    data["hope_items"] = []
    (tmp_path / "again.json").write_text(json.dumps(data), encoding="utf-8")
    r = cli("import", str(tmp_path / "again.json"))
    assert r.exit_code == 0, r
    assert list((home / "backups").glob("selfback-before-import-*.db"))


@pytest.mark.parametrize("fmt", ["csv", "fhir"])
def test_asking_for_the_box_in_a_format_without_it_is_one_sentence(
    cli: Any, tmp_path: Path, fmt: str
) -> None:
    fill_box(tmp_path)
    r = cli("export", "--format", fmt, "--output", str(tmp_path / "x"), "--include-hope")
    assert r.exit_code == 2
    assert r.stderr.strip().endswith(f"not into {fmt}.") and "Traceback" not in r.output
