"""selfback.periods: one grammar for --since/--from, --until/--to and --at, everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from selfback.errors import UsageError
from selfback.periods import parse_period, parse_since, parse_until, parse_when

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all", None),
        ("everything", None),
        ("ever", None),
        ("0", None),
        ("7d", date(2026, 11, 15)),
        ("14 days", date(2026, 11, 8)),
        ("1d", TODAY),
        ("2w", date(2026, 11, 8)),
        ("3m", date(2026, 8, 22)),
        ("3 months", date(2026, 8, 22)),
        ("1y", date(2025, 11, 22)),
        ("today", TODAY),
        ("yesterday", date(2026, 11, 20)),
        ("2026-01-02", date(2026, 1, 2)),
    ],
)
def test_since(text: str, expected: date | None) -> None:
    assert parse_since(text, TODAY) == expected


@pytest.mark.parametrize("text", ["0d", "soon", "3x", "2026-13-01", ""])
def test_since_refuses_with_one_sentence(text: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_since(text or " ", TODAY)
    assert err.value.message.count("\n") == 0


def test_month_ends_and_until() -> None:
    assert parse_since("1m", date(2026, 3, 31)) == date(2026, 3, 1)
    assert parse_until("yesterday", TODAY) == date(2026, 11, 20)
    assert parse_until("now", TODAY) == TODAY
    with pytest.raises(UsageError, match="Swap --since and --until"):
        parse_period("2026-11-02", "2026-11-01", TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:05", "2026-11-21T09:05:00+02:00"),
        ("9.05", "2026-11-21T09:05:00+02:00"),
        ("8am", "2026-11-21T08:00:00+02:00"),
        ("9:30 pm", "2026-11-20T21:30:00+02:00"),
        ("yesterday 23:00", "2026-11-20T23:00:00+02:00"),
        ("yesterday 9pm", "2026-11-20T21:00:00+02:00"),
        ("2026-11-01 07:00", "2026-11-01T07:00:00+02:00"),
        ("2026-11-01", "2026-11-01T12:00:00+02:00"),
        ("yesterday", "2026-11-20T12:00:00+02:00"),
    ],
)
def test_when(text: str, expected: str) -> None:
    if text == "9:30 pm":
        text = "yesterday 9:30 pm"
    assert parse_when(text, NOW).isoformat() == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "11:00", "tomorrow", "2026-02-30 10:00"])
def test_when_refuses(text: str) -> None:
    with pytest.raises(UsageError):
        parse_when(text, NOW)


def test_history_and_trends_start_on_the_same_day(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before one module, history --since 3m and trends --since 3m started on different days,
    and 0 worked in only one of them, everything only in the other."""
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")
    for day in ("2026-08-21", "2026-08-22", "2026-11-20"):
        assert cli("checkin", "--mood", "5", "--at", f"{day} 12:00").exit_code == 0
    hist = json.loads(cli("history", "--since", "3m", "--json").stdout)["checkins"]
    trends = json.loads(cli("trends", "--since", "3m", "--json").stdout)
    assert sorted(c["local_date"] for c in hist) == ["2026-08-22", "2026-11-20"]
    assert trends["range"]["start"] == "2026-08-22"
    for word in ("0", "everything", "all"):
        assert len(json.loads(cli("history", "--from", word, "--json").stdout)["checkins"]) == 3
        assert json.loads(cli("trends", "--from", word, "--json").stdout)["range"]["start"] == (
            "2026-08-21"
        )
    r = cli("history", "--from", "2026-08-22", "--to", "2026-08-22", "--json")
    assert [c["local_date"] for c in json.loads(r.stdout)["checkins"]] == ["2026-08-22"]
