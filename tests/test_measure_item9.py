"""PHQ-9 item 9 and partial results: crisis help at once, never silently dropped.

Convention (docs/measures.md): a partial result is a ``measure_results`` row with
``band`` "partial", ``flags`` holding "partial" and "phq9-item9", ``answers`` with the
answered items (null for the rest) and ``total`` their sum, never shown as a score.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from selfback.paths import get_paths

EIGHT_ZEROS = "0\n" * 8
CRISIS = "You don't have to get through this alone."
LEAD = "You said thoughts of hurting yourself"


def flat(text: str) -> str:
    return " ".join(text.split())


def table(name: str) -> list[dict[str, Any]]:
    db = get_paths().database
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {name} ORDER BY id")]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")


def test_item9_shows_crisis_text_before_the_next_question(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq9", input=EIGHT_ZEROS + "1\n0\n")
    assert res.exit_code == 0, res
    out = flat(res.stdout)
    nine = out.index("question 9 of 9")
    last = out.index("one last question")
    assert nine < out.index(LEAD) < out.index(CRISIS) < last
    assert "kept, even if you stop now" in out[nine:last]


@pytest.mark.parametrize(
    ("tail", "code", "how"),
    [("", 1, "No more input"), ("q\n", 0, "Stopped.")],
)
def test_stopping_at_the_difficulty_question_keeps_a_flagged_partial(
    cli: Callable[..., Any], tail: str, code: int, how: str
) -> None:
    res = cli("measure", "phq9", input="1\n0\n2\n0\n0\n0\n0\n0\n2\n" + tail)
    assert res.exit_code == code, res
    assert CRISIS in res.stdout  # shown at once, not lost with the rest
    err = flat(res.stderr)
    assert how in err
    assert "kept as a partial PHQ-9 result" in err and "not scored" in err
    assert "selfback sos" in err and "`" not in res.output
    [row] = table("measure_results")
    assert row["band"] == "partial"
    assert json.loads(row["flags"]) == ["partial", "phq9-item9"]
    assert json.loads(row["answers"]) == [1, 0, 2, 0, 0, 0, 0, 0, 2, None]
    assert row["total"] == 5  # the sum of the answered items, never shown as a score
    [flag] = table("risk_flags")
    assert (flag["source"], flag["kind"], flag["ref_uid"]) == ("measure", "phq9-item9", row["uid"])
    assert [o["source"] for o in table("crisis_openings")] == ["measure"]


def test_q_before_item9_saves_nothing_and_exits_0(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq9", input="1\n2\nq\n")
    assert res.exit_code == 0, res
    assert "Nothing from this PHQ-9 was saved." in res.stderr
    assert table("measure_results") == []


def test_item9_taken_back_to_0_then_stopping_keeps_nothing(cli: Callable[..., Any]) -> None:
    # item 9 = 2 (kept at once), back to item 9, 0, then the input ends
    res = cli("measure", "phq9", input="1\n" + "0\n" * 7 + "2\nb\n0\n")
    assert res.exit_code == 1, res
    assert "Nothing from this PHQ-9 was saved." in res.stderr
    assert table("measure_results") == []


def test_finishing_replaces_the_partial_with_the_score(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq9", input="1\n" * 9 + "2\n")
    assert res.exit_code == 0, res
    [row] = table("measure_results")
    assert (row["band"], row["total"]) == ("mild", 9)
    assert json.loads(row["flags"]) == ["phq9-item9"]
    [flag] = table("risk_flags")
    assert flag["ref_uid"] == row["uid"]
    out = flat(res.stdout)
    results = out[out.index("one last question") :]
    # crisis help first, then the score, then the credit line, quietly, last
    assert results.index(CRISIS) < results.index("Your score: 9 of 27")
    assert out.endswith("display or distribute.")


@pytest.mark.parametrize("word", ["sos", "help", "selfback sos", "SOS", "!"])
def test_crisis_words_work_at_every_question(cli: Callable[..., Any], word: str) -> None:
    res = cli("measure", "who5", input=f"{word}\n3\n3\n{word}\n3\n3\n3\n")
    assert res.exit_code == 0, res
    assert res.stdout.count(CRISIS) == 2
    assert [o["source"] for o in table("crisis_openings")] == ["key", "key"]
    assert table("measure_results")[0]["total"] == 15


@pytest.mark.parametrize("instrument", ["phq9", "gad7", "who5", "phq2", "gad2"])
def test_q_works_in_every_questionnaire(cli: Callable[..., Any], instrument: str) -> None:
    res = cli("measure", instrument, input="1\nq\n")
    assert res.exit_code == 0, res
    assert "Stopped." in res.stderr
    assert "q stops" in res.stdout
    assert table("measure_results") == []


def _partial_then_scored(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-01T10:00:00+00:00")
    assert cli("measure", "phq9", input="1\n" * 9 + "1\n").exit_code == 0  # 9 of 27
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-10T10:00:00+00:00")
    assert cli("measure", "phq9", input="3\n" * 8 + "3\n").exit_code == 1  # partial
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-20T10:00:00+00:00")
    assert cli("measure", "phq9", input="1\n" * 5 + "0\n0\n0\n0\n1\n").exit_code == 0  # 5


def test_history_shows_a_partial_as_partial_not_scored(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _partial_then_scored(cli, monkeypatch)
    data = json.loads(cli("measure", "history", "--json").stdout)
    first, partial, last = data
    assert partial["partial"] is True and partial["band"] == "partial"
    assert partial["score"] is None and partial["total"] is None and partial["change"] is None
    assert partial["flags"] == ["partial", "phq9-item9"]
    assert partial["band_label"] == "partial, not scored"
    # change is against the previous scored result, never against a partial
    assert (last["total"], last["change"]) == (5, -4)
    for args in (("measure", "history"), ("measure", "history", "--plain")):
        out = flat(cli(*args).stdout)
        assert "partial, not scored" in out
        assert "27 of 27" not in out and "24 of 27" not in out
        assert "item 9 flag" in out
        assert "*" not in out and "`" not in out
    # the list shows the last scored result, not the partial one
    listing = json.loads(cli("measure", "--json").stdout)
    phq = next(d for d in listing if d["id"] == "phq9")
    assert phq["last_total"] == 5


def test_trends_and_the_report_summary_never_draw_a_partial_as_a_score(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _partial_then_scored(cli, monkeypatch)
    from selfback.insights import summary as S
    from selfback.periods import DateRange
    from selfback.store.db import open_store

    with open_store(get_paths()) as store:
        rng = DateRange(date(2026, 11, 1), date(2026, 11, 21))
        [phq] = S.measures(store, rng)
        flags = S.measure_flags(store, rng)
    assert [p.total for p in phq.points] == [9, 5]
    assert phq.change == -4
    [mf] = flags
    assert (mf.name, mf.item9, mf.partial) == ("PHQ-9", 3, True)
    assert mf.flags == ["partial", "phq9-item9"]
    res = cli("--plain", "trends", "--since", "2026-11-01")
    assert res.exit_code == 0, res
    out = flat(res.stdout)
    assert "Partial, not scored" in out and "2026-11-10 PHQ-9 item 9 flag (3)" in out
    assert "24 " not in out.split("Questionnaires")[1].split("Partial")[0]


def test_only_a_partial_result_leaves_the_report_summary_safe(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("measure", "phq9", input="0\n" * 8 + "1\n").exit_code == 1
    from selfback.insights import summary as S
    from selfback.periods import DateRange
    from selfback.store.db import open_store

    with open_store(get_paths()) as store:
        s = S.build_summary(
            store,
            DateRange(date(2026, 11, 1), date(2026, 11, 21)),
            generated_at=S.datetime.fromisoformat("2026-11-21T10:00:00+00:00"),
        )
    assert s.measures == []  # nothing to draw as a score
    assert [m.item9 for m in s.measure_flags] == [1]
