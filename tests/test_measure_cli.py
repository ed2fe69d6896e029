"""`selfback measure`: list, take (piped input), history, item 9, errors, start-up cost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.store.db import database_exists, open_store

PHQ9_ZERO = "0\n" * 9  # all "not at all": the difficulty question is not asked


def flat(text: str) -> str:
    """Output with line wrapping undone (rich wraps prose at the terminal width)."""
    return " ".join(text.split())


def _rows() -> list[Any]:
    store = open_store(get_paths())
    try:
        return store.query("SELECT * FROM measure_results ORDER BY taken_utc, id")
    finally:
        store.close()


@pytest.fixture
def fake_crisis(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Stand in for selfback.safety.crisis and record how measure calls it."""
    calls: dict[str, list] = {"text": [], "opened": []}
    module = types.ModuleType("selfback.safety.crisis")

    def crisis_text(paths: Any, *, color: bool, compact: bool = False, **kw: Any) -> str:
        calls["text"].append({"color": color, "compact": compact})
        return "CRISIS-LINES call 999 | selfback sos\n"

    def record_opening(paths: Any, source: str) -> None:
        calls["opened"].append(source)

    module.crisis_text = crisis_text  # type: ignore[attr-defined]
    module.record_opening = record_opening  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "selfback.safety.crisis", module)
    return calls


def test_list_before_anything_is_taken_creates_nothing(cli: Callable[..., Any]) -> None:
    res = cli("measure")
    assert res.exit_code == 0, res
    for name in ("PHQ-9", "GAD-7", "WHO-5", "PCL-5", "PHQ-2", "GAD-2"):
        assert name in flat(res.stdout)
    assert re.search(r"not (taken )?yet", flat(res.stdout).lower())
    assert "not a diagnosis" in flat(res.stdout).lower()
    assert not database_exists(get_paths())


def test_take_phq9_with_back_and_empty_enter(cli: Callable[..., Any]) -> None:
    # 1, 2, back, 3 (replaces 2), Enter alone (re-asked), then the rest, then difficulty.
    answers = "1\n2\nb\n3\n\n0\n1\n1\n1\n2\n0\n0\n2\n"
    res = cli("measure", "phq9", input=answers)
    assert res.exit_code == 0, res
    out = flat(res.stdout)
    assert "question 1 of 9" in out and "question 9 of 9" in out
    assert "Before, you chose 2" in out
    assert "No rush" in out
    assert "Your score: 9 of 27" in out
    assert "Scores in this range are often described as mild." in out
    assert "Self-report, not a diagnosis." in out
    assert "first PHQ-9" in out
    assert "Pfizer Inc." in out
    [row] = _rows()
    assert json.loads(row["answers"]) == [1, 3, 0, 1, 1, 1, 2, 0, 0, 2]
    assert (row["total"], row["band"], row["instrument_version"]) == (9, "mild", 1)
    assert json.loads(row["flags"]) == []


def test_b_on_the_first_question_stays_put(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq2", input="b\n1\n1\n")
    assert res.exit_code == 0, res
    assert "This is the first question" in flat(res.stdout)
    assert json.loads(_rows()[0]["answers"]) == [1, 1]


def test_invalid_answers_are_re_asked(cli: Callable[..., Any]) -> None:
    res = cli("measure", "who5", input="6\nfive\n-1\n5\n5\n5\n5\n5\n")
    assert res.exit_code == 0, res
    assert flat(res.stdout).count("Please type a number from 0 to 5") == 3
    assert "Your score: 100% (25 of 25)" in flat(res.stdout)
    assert _rows()[0]["total"] == 25


def test_second_result_shows_change(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-01T10:00:00+00:00")
    assert cli("measure", "who5", input="2\n2\n2\n2\n2\n").exit_code == 0
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")
    res = cli("measure", "who5", input="3\n3\n3\n2\n2\n")
    assert res.exit_code == 0, res
    assert "Your score: 52% (13 of 25)" in flat(res.stdout)
    assert "12 points higher than last time (40% on 2026-11-01)" in flat(res.stdout)
    assert "usually seen as meaningful" in flat(res.stdout)
    listing = cli("measure")
    assert "2026-11-21" in flat(listing.stdout) and "52% (13 of 25)" in flat(listing.stdout)


def test_item9_above_zero_shows_crisis_offers_plan_and_saves(
    cli: Callable[..., Any], fake_crisis: dict[str, list]
) -> None:
    res = cli("measure", "phq9", input="0\n" * 8 + "1\n0\n")
    assert res.exit_code == 0, res
    out = flat(res.stdout)
    assert "CRISIS-LINES call 999" in out
    # at once after item 9 (before the next question), and again before the score
    assert fake_crisis["text"] == [{"color": False, "compact": True}] * 2
    assert out.index("CRISIS-LINES") < out.index("one last question")
    assert fake_crisis["opened"] == ["measure"]  # one opening for the sitting
    assert "selfback plan edit" in out  # the plan is offered (a line, not a prompt)
    assert "Scores in this range are often described as minimal." in out
    # When results are shown, crisis help comes before the score, the credit line last.
    results = out[out.rindex("one last question") :]
    assert results.index("CRISIS-LINES") < results.index("Your score")
    assert out.rstrip().endswith("reproduce, translate, display or distribute.")
    [row] = _rows()
    assert json.loads(row["flags"]) == ["phq9-item9"]
    assert row["total"] == 1


def test_item9_zero_shows_no_crisis_block_and_never_says_safe(
    cli: Callable[..., Any], fake_crisis: dict[str, list]
) -> None:
    res = cli("measure", "phq9", input="3\n" * 8 + "0\n1\n")
    assert res.exit_code == 0, res
    assert "CRISIS-LINES" not in flat(res.stdout)
    assert fake_crisis["opened"] == []
    assert "safe" not in flat(res.stdout).lower().replace("safety", "")
    assert json.loads(_rows()[0]["flags"]) == []


def test_item9_offers_plan_show_when_a_plan_exists(
    cli: Callable[..., Any], fake_crisis: dict[str, list]
) -> None:
    paths = get_paths().ensure()
    paths.plan_file.write_text("{}", encoding="utf-8")
    res = cli("measure", "phq9", input="0\n" * 8 + "2\n1\n")
    assert "selfback plan show" in flat(res.stdout)


def test_crisis_help_still_shows_when_the_crisis_text_cannot_be_built(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last-resort lines live once, in safety.crisis: when building the real text
    fails, measure shows those (no copy of its own) and the item is still flagged."""
    from selfback.safety import crisis

    def broken(*_args: Any, **_kw: Any) -> list[str]:
        raise RuntimeError("broken data")

    monkeypatch.setattr(crisis, "crisis_lines", broken)
    res = cli("measure", "phq9", input="0\n" * 8 + "3\n2\n")
    assert res.exit_code == 0, res
    assert "local emergency number" in flat(res.stdout)
    assert "findahelpline.com" in flat(res.stdout)
    assert "selfback plan edit" in flat(res.stdout)
    assert json.loads(_rows()[0]["flags"]) == ["phq9-item9"]


def test_item9_screen_points_to_sos(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq9", input=PHQ9_ZERO)
    screen9 = flat(res.stdout)[flat(res.stdout).index("question 9 of 9") :]
    assert "type sos" in screen9[:600]
    assert "`" not in res.stdout


def test_bang_key_shows_crisis_help_mid_questionnaire(
    cli: Callable[..., Any], fake_crisis: dict[str, list]
) -> None:
    res = cli("measure", "gad2", input="!\n0\n0\n")
    assert res.exit_code == 0, res
    assert "CRISIS-LINES" in flat(res.stdout)
    assert fake_crisis["opened"] == ["key"]


def test_screen_at_three_suggests_the_full_measure(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq2", input="2\n1\n")
    assert "selfback measure phq9" in flat(res.stdout)
    assert "3 or more" in flat(res.stdout)
    res = cli("measure", "gad2", input="2\n1\n")
    assert "selfback measure gad7" in flat(res.stdout)
    quiet = cli("measure", "gad2", input="1\n1\n")
    assert "selfback measure gad7" not in flat(quiet.stdout).split("Your score")[1]
    assert [r["instrument"] for r in _rows()] == ["phq2", "gad2", "gad2"]


def test_end_of_input_midway_saves_nothing(cli: Callable[..., Any]) -> None:
    res = cli("measure", "phq9", input="1\n2\n3\n")
    assert res.exit_code == 1
    assert "Nothing from this PHQ-9 was saved." in res.stderr
    assert _rows() == []


def test_history_human_and_json(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    empty = cli("measure", "history")
    assert empty.exit_code == 0 and "No questionnaire results yet" in flat(empty.stdout)
    assert cli("measure", "history", "--json").stdout.strip() == "[]"
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-01T10:00:00+00:00")
    cli("measure", "phq9", input="1\n" * 9 + "1\n")
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-20T10:00:00+00:00")
    cli("measure", "phq9", input="1\n" * 5 + "0\n0\n0\n0\n1\n")
    cli("measure", "who5", input="3\n3\n3\n3\n3\n")

    res = cli("measure", "history", "--json")
    assert res.exit_code == 0 and res.stderr == ""
    data = json.loads(res.stdout)  # clean JSON only
    assert [d["instrument"] for d in data] == ["phq9", "phq9", "who5"]
    first, second, who5 = data
    assert first["flags"] == ["phq9-item9"] and first["change"] is None
    assert first["answers"] == [1] * 9 + [1]
    assert (second["total"], second["band"], second["change"]) == (5, "mild", -4)
    assert (who5["total"], who5["score"], who5["unit"], who5["max_score"]) == (15, 60, "%", 100)
    assert who5["instrument_version"] == 1 and who5["taken_at"].startswith("2026-11-20T10:00")

    only = json.loads(cli("measure", "history", "who5", "--json").stdout)
    assert [d["instrument"] for d in only] == ["who5"]

    human = cli("measure", "history")
    assert (
        "PHQ-9" in flat(human.stdout)
        and "-4" in flat(human.stdout)
        and "60% (15 of 25)" in flat(human.stdout)
    )
    assert "item 9" in flat(human.stdout) and "selfback sos" in flat(human.stdout)
    assert "not a diagnosis" in flat(human.stdout)


def test_list_json_is_clean(cli: Callable[..., Any]) -> None:
    cli("measure", "gad7", input="1\n" * 7 + "0\n")
    res = cli("measure", "--json")
    data = json.loads(res.stdout)
    by_id = {d["id"]: d for d in data}
    assert list(by_id) == ["phq9", "gad7", "who5", "pcl5", "phq2", "gad2"]
    assert by_id["gad7"]["last_total"] == 7 and by_id["gad7"]["last_band"] == "mild"
    assert by_id["gad7"]["items"] == 7
    assert by_id["phq9"]["last_taken"] is None


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("measure", "dass21"), "There is no measure called 'dass21'"),
        (("measure", "phq9", "--json"), "--json works with"),
        (("measure", "phq9", "gad7"), "takes no second name"),
        (("measure", "history", "nope"), "There is no measure called 'nope'"),
    ],
)
def test_bad_usage_is_one_plain_sentence(
    cli: Callable[..., Any], args: tuple[str, ...], needle: str
) -> None:
    res = cli(*args)
    assert res.exit_code == 2
    assert needle in res.stderr
    assert "Traceback" not in res.output
    assert res.stdout == ""


def test_plain_output_has_no_colour_codes(cli: Callable[..., Any]) -> None:
    res = cli("measure", "--plain")
    assert res.exit_code == 0 and "\x1b[" not in res.stdout
    # Plain mode (screen readers): one line per measure, no table rules.
    assert "PHQ-9 (phq9), 9 questions: low mood and depression symptoms." in flat(res.stdout)
    assert "Not taken yet." in res.stdout and "---" not in res.stdout
    res = cli("--plain", "measure", "phq2", input="1\n1\n")
    assert "\x1b[" not in res.stdout
    history = cli("measure", "history", "--plain")
    assert "PHQ-2  2 of 6 (below 3)" in history.stdout


def test_cli_module_import_stays_light() -> None:
    code = (
        "import sys; import selfback.cli.measure as m; "
        "heavy = [n for n in ('rich', 'pydantic', 'sqlite3', 'yaml', 'selfback.measures.schema')"
        " if n in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
