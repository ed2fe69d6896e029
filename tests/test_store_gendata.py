"""The synthetic data generator other benchmarks rely on writes valid, realistic rows."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from selfback.paths import get_paths
from selfback.store.db import open_store
from selfback.store.maintenance import integrity_check

ROOT = Path(__file__).resolve().parent.parent


def test_gen_data_small_run(home: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from gen_data import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    end = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
    stats = generate(home, checkins=3000, sessions=300, measures=30, years=2, end=end)
    assert (stats.checkins, stats.sessions, stats.measures) == (3000, 300, 30)
    assert integrity_check(get_paths().database) == []
    store = open_store(get_paths())
    try:
        offsets = {r[0][-6:] for r in store.query("SELECT ts FROM checkins")}
        assert {"+00:00", "+01:00"} <= offsets  # winter and summer time
        assert store.query("SELECT MAX(ts_utc) FROM checkins")[0][0] <= "2026-11-21T10:00:00"
        assert store.query("SELECT COUNT(*) FROM checkin_values")[0][0] > 0
        bands = {r[0] for r in store.query("SELECT DISTINCT instrument FROM measure_results")}
        assert bands == {"phq9", "gad7", "who5"}
        answers = json.loads(store.query("SELECT answers FROM coping_sessions LIMIT 1")[0][0])
        assert isinstance(answers, list)
    finally:
        store.close()
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")
    r = cli("history", "--since", "30d", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["checkins"]


def test_gen_data_command_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "gen_data.py"),
            str(tmp_path / "h"),
            "--checkins",
            "500",
            "--sessions",
            "50",
            "--measures",
            "9",
            "--years",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "500 check-ins" in out and "50 coping sessions" in out and "9 measures" in out
