"""`selfback trends` in the terminal: charts, skills, check-in days, measures, influence."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.store.db import open_store
from test_export_data import make_log

NOW = "2026-11-21T10:00:00+00:00"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def test_empty_log_is_kind(cli: Any) -> None:
    result = cli("trends")
    assert result.exit_code == 0
    assert "Nothing logged in this period yet" in result.stdout
    assert "selfback checkin" in result.stdout


def test_plain_charts_and_sections(cli: Any, home: Path) -> None:
    make_log(days=120)
    result = cli("trends")
    assert result.exit_code == 0, result
    out = result.stdout
    assert not ANSI.search(out)  # not a terminal: no colour codes
    assert "Your trends: 24 Aug 2026 to 21 Nov 2026 (90 days)" in out
    assert "Mood, anxiety, sleep and distress by week (averages)" in out
    assert re.search(r"week of 24 Aug\s*\|\s*\d\.\d #+", out)  # a bar made of '#'
    assert "Days with a check-in each week" in out
    assert re.search(r"week of 16 Nov \| \d of 6 #*\.*", out)  # the last week is partial
    assert "Gaps are fine." in out
    assert "streak" not in out.lower()
    assert "Which skills helped (distress 0-10 before → after)" in out
    assert "Questionnaires (self-report, not a diagnosis)" in out
    assert "PHQ-9 (0-27, higher is worse)" in out
    assert "WHO-5 (0-100%, higher is better)" in out
    assert "Since " in out


def test_skills_rows_per_situation_with_small_samples(cli: Any, home: Path) -> None:
    make_log(days=120)
    out = cli("trends").stdout
    assert re.search(r"Cyclic sighing\s*\|\s*all\s*\|", out)
    # a situation under its own name, never its id
    assert re.search(r"\|\s*Panic, racing heart\s*\|\s*\d+\s*\|\s*\d\.\d → \d\.\d", out)
    assert not re.search(r"\|\s*panic\s*\|", out)
    assert "few uses" in out


def test_small_sample_is_labelled(cli: Any, home: Path) -> None:
    with open_store(get_paths()) as store, store.tx() as db:
        for i, mood in enumerate((4, 6, 7)):
            db.execute(
                "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    f"u{i}",
                    f"2026-11-{18 + i}T09:00:00+00:00",
                    f"2026-11-{18 + i}T09:00:00+00:00",
                    f"2026-11-{18 + i}",
                    mood,
                    "x",
                    "x",
                ),
            )
    out = cli("trends").stdout
    assert "Small sample: only 3 check-ins" in out


def test_item9_flag_comes_with_crisis_help(cli: Any, home: Path) -> None:
    make_log(days=120)
    out = cli("trends", "--since", "all").stdout
    assert "flag (1)" in out
    assert "selfback sos" in out


def test_influence_table_as_associations(cli: Any, home: Path) -> None:
    pytest.importorskip("selfback.insights.influence")
    make_log(days=120)
    out = cli("trends").stdout
    assert "Mood on days with and without (associations, not causes)" in out
    assert "not causes" in out and "your own log" in out


def test_long_periods_are_monthly(cli: Any, home: Path) -> None:
    make_log(days=400)
    out = cli("trends", "--since", "1y").stdout
    assert "by month (averages)" in out
    assert "Days with a check-in each month" in out
    assert "a week)" in out


def test_json_is_clean(cli: Any, home: Path) -> None:
    make_log(days=60)
    result = cli("trends", "--json", "--since", "30d")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["range"]["start"] == "2026-10-23" and data["range"]["end"] == "2026-11-21"
    assert data["overview"]["checkins"] > 0
    assert {"series", "checkin_days", "skills", "measures"} <= set(data)
    assert data["series"]["bucket"] in ("day", "week")


def test_bad_period(cli: Any) -> None:
    result = cli("trends", "--since", "lately")
    assert result.exit_code == 2
    assert "'lately' is not a period selfback understands" in result.stderr


def test_colour_terminal_draws_block_bars(spawn: Any, home: Path) -> None:
    import pexpect

    make_log(days=60)
    child = spawn("trends", env={"SELFBACK_NOW": NOW})
    child.expect("Your trends")
    child.expect("█")
    child.expect("●")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_trends_start_at_the_first_entry_not_with_empty_weeks(cli: Any) -> None:
    """Someone who started yesterday does not see weeks of '0 of 7' before that."""
    assert cli("checkin", "--mood", "6").exit_code == 0
    result = cli("trends")
    assert result.exit_code == 0, result
    assert "0 of 7" not in result.stdout
    assert "(1 day)" in result.stdout or "1 day" in result.stdout
