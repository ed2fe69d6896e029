"""Risk in imports and exports: flags travel losslessly in selfback JSON, and imported
words that may mean risk are flagged (source "import"), never interrupted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths

NOW = "2026-11-21T10:00:00+00:00"
CRISIS = "You don't have to get through this alone."


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def flags(db: Path | None = None) -> list[tuple[Any, ...]]:
    db = db or get_paths().database
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT uid, flagged_at, flagged_utc, source, kind, ref_uid FROM risk_flags"
            " ORDER BY flagged_utc, id"
        ).fetchall()


def export_json(cli: Any, out: Path, *, crisis: bool) -> dict[str, Any]:
    args = ["export", "--format", "json", "--output", str(out), "--since", "all", "--notes"]
    args.append("--include-crisis" if crisis else "--exclude-crisis")
    result = cli(*args)
    assert result.exit_code == 0, result
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def flat(text: str) -> str:
    return " ".join(text.split())


def test_risk_flags_travel_losslessly_in_the_json_export(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("checkin", "--mood", "4", "--note", "-", input="I want to die\n").exit_code == 0
    assert cli("checkin", "--mood", "6", "--note", "-", input="a calm walk\n").exit_code == 0
    original = flags()
    assert len(original) == 1
    data = export_json(cli, tmp_path / "all.json", crisis=True)
    assert data["included"]["risk_flags"] is True
    [rec] = data["risk_flags"]
    assert (
        tuple(rec[k] for k in ("uid", "flagged_at", "flagged_utc", "source", "kind"))
        == (original[0][:5])
    )
    assert rec["ref_uid"] == data["checkins"][0]["uid"]
    assert "want to die" not in json.dumps(data["risk_flags"])  # never the words

    new_home = tmp_path / "new-home"
    monkeypatch.setenv("SELFBACK_HOME", str(new_home))
    result = cli("import", str(tmp_path / "all.json"))
    assert result.exit_code == 0, result
    assert "1 risk flag" in result.stdout
    # the same flag, and no second one for a note the file had already flagged
    assert flags(new_home / "selfback.db") == original
    assert "flagged" not in result.stdout.split("risk flag")[-1]
    again = cli("import", str(tmp_path / "all.json"))
    assert "Nothing new" in again.stdout
    assert flags(new_home / "selfback.db") == original


def test_the_json_export_leaves_flags_out_without_the_crisis_part(cli: Any, tmp_path: Path) -> None:
    assert cli("checkin", "--mood", "4", "--note", "-", input="I want to die\n").exit_code == 0
    data = export_json(cli, tmp_path / "all.json", crisis=False)
    assert "risk_flags" not in data and data["included"]["risk_flags"] is False


def test_imported_notes_are_flagged_not_interrupted(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for note in ("I want to die", "kms lol no", "a quiet day", "I want to hurt myself"):
        assert cli("checkin", "--mood", "4", "--note", "-", input=note + "\n").exit_code == 0
    export_json(cli, tmp_path / "all.json", crisis=False)  # the flags stay behind

    new_home = tmp_path / "new-home"
    monkeypatch.setenv("SELFBACK_HOME", str(new_home))
    dry = cli("import", str(tmp_path / "all.json"), "--dry-run")
    assert dry.exit_code == 0, dry
    assert "selfback would flag them" in flat(dry.stdout)
    result = cli("import", str(tmp_path / "all.json"))
    assert result.exit_code == 0, result
    out = flat(result.stdout)
    assert CRISIS not in out  # never interrupted
    # one calm line (wrapped to the terminal) at the end of the summary
    assert out.endswith("selfback sos is there.")
    last = out[out.index("3 imported entries") :]
    assert last.startswith("3 imported entries have words that may point to thoughts")
    assert last.count(". ") == 1  # nothing else follows it
    assert "`" not in result.stdout
    found = flags(new_home / "selfback.db")
    assert [(f[3], f[4]) for f in found] == [
        ("import", "suicide"),
        ("import", "suicide"),
        ("import", "self-harm"),
    ]
    with sqlite3.connect(new_home / "selfback.db") as conn:
        uids = {r[0]: r[1] for r in conn.execute("SELECT uid, ts FROM checkins")}
    assert all(f[5] in uids and f[1] == uids[f[5]] for f in found)  # dated like the entry
    assert cli("import", str(tmp_path / "all.json")).exit_code == 0
    assert len(flags(new_home / "selfback.db")) == 3  # never twice


def test_daylio_notes_and_activities_are_flagged(cli: Any, home: Path, tmp_path: Path) -> None:
    text = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-03,March 3,Sunday,20:15,rad,walk,,A good day\n"
        '2024-03-02,March 2,Saturday,21:00,awful,"work",Low,"I want to die<br>again"\n'
        "2024-03-01,March 1,Friday,13:00,bad,self harm,,\n"
    )
    path = tmp_path / "daylio_export.csv"
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 0, result
    assert CRISIS not in result.stdout
    out = flat(result.stdout)
    assert out.endswith("selfback sos is there.") and "2 imported entries have words" in out
    assert sorted(f[4] for f in flags()) == ["self-harm", "suicide"]
    assert {f[3] for f in flags()} == {"import"}
