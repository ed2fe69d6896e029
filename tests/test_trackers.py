"""Trackers as data: built-in packs, your own files, precise problems, the commands."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml

from selfback.paths import get_paths
from selfback.trackers.core import CORE_RANGES
from selfback.trackers.library import (
    builtin_packs,
    builtin_trackers,
    load_trackers,
    parse_tracker_text,
)
from selfback.trackers.schema import CORE_IDS, NumberTracker, ScaleTracker
from selfback.trackers.values import parse_answer


def write(home: Path, name: str, text: str) -> Path:
    folder = home / "trackers"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_builtin_packs_are_valid() -> None:
    packs, problems = builtin_packs()
    assert problems == ()
    assert list(packs) == ["core", "diary-card", "medication"]
    assert [t.id for t in packs["core"].trackers] == list(CORE_IDS)
    diary = {t.id: t for t in packs["diary-card"].trackers}
    for what in ("selfharm", "use", "quit"):
        urge = diary[f"urge_{what}"]
        assert isinstance(urge, ScaleTracker) and (urge.min, urge.max) == (0, 5)
        assert diary[f"acted_{what}"].kind == "yesno"
    assert diary["skills_used"].kind == "tags"
    meds = {t.id: t.kind for t in packs["medication"].trackers}
    assert meds == {"med_taken": "yesno", "med_name": "text"}


def test_core_yaml_matches_the_fast_flag_rules_and_columns() -> None:
    core = builtin_trackers()
    for tracker_id, (lo, hi, whole) in CORE_RANGES.items():
        t = core[tracker_id]
        if whole:
            assert isinstance(t, ScaleTracker) and (t.min, t.max) == (lo, hi)
        else:
            assert isinstance(t, NumberTracker) and (t.min, t.max) == (lo, hi)
    assert core["mood"].optional is False


def test_default_order_and_packs_switch_on_and_off(cli) -> None:  # type: ignore[no-untyped-def]
    lib = load_trackers(get_paths())
    assert [t.id for t in lib.active()] == list(CORE_IDS)
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    assert cli("trackers", "enable", "medication").exit_code == 0
    assert cli("trackers", "disable", "anxiety").exit_code == 0
    ids = [t.id for t in load_trackers(get_paths()).active()]
    assert ids[:5] == ["mood", "energy", "sleep", "emotions", "tags"]
    assert ids.index("urge_selfharm") < ids.index("med_taken") < ids.index("note")
    assert ids[-1] == "note" and "anxiety" not in ids
    state = get_paths().config_dir / "trackers.json"
    assert json.loads(state.read_text()) == {
        "version": 1,
        "packs": ["diary-card", "medication"],
        "off": ["anxiety"],
    }
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert cli("trackers", "disable", "diary-card").exit_code == 0
    assert "urge_selfharm" not in [t.id for t in load_trackers(get_paths()).active()]
    r = cli("trackers", "disable", "mood")
    assert r.exit_code == 2 and "stays on" in r.stderr
    r = cli("trackers", "enable", "nonsense")
    assert r.exit_code == 2 and "diary-card" in r.stderr


def test_damaged_state_file_is_reported_not_fatal(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True, exist_ok=True)
    (home / "trackers.json").write_text("{not json")
    lib = load_trackers(get_paths())
    assert [t.id for t in lib.active()] == list(CORE_IDS)
    assert any("damaged" in p.message for p in lib.problems)
    assert cli("checkin", input="5\n\n\n\n\n\n\n").exit_code == 0
    r = cli("trackers", "enable", "diary-card")
    assert r.exit_code == 3 and "delete it" in r.stderr


def test_user_tracker_is_added_in_order(home: Path) -> None:
    write(home, "b.yaml", "id: water\nkind: number\ntitle: Water\nunit: glasses\norder: 5\n")
    write(home, "a.yaml", "id: pain\nkind: scale\ntitle: Pain\norder: 10\n")
    ids = [t.id for t in load_trackers(get_paths()).active()]
    assert ids[-3:] == ["water", "pain", "note"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "id: pain\nkind: scale\ntitle: Pain\nmin: 0\nmax: 10\nanchors: {0: none, 11: x}\n",
            ":6 anchors: anchor 11 is outside the range 0-10",
        ),
        (
            "id: pain\nkind: scale\ntitle: Pain\nmin: 5\nmax: 3\n",
            ":5 max: must be greater than min",
        ),
        ("id: Pain Level\nkind: scale\ntitle: Pain\n", ":1 id: must start with a letter"),
        ("id: pain\nkind: slider\ntitle: Pain\n", ":2 kind: must be one of: scale, yesno"),
        ("id: pain\nkind: yesno\ntitle: Pain\nunit: mg\n", ":4 unit: is not a known field"),
        (
            "id: pain\nkind: choice\ntitle: Pain\noptions: [only one]\n",
            ":4 options: needs at least 2 item(s)",
        ),
        ("id: pain\nkind: scale\n", "title: is required"),
        ("id: pain\ntitle: Pain\n", ":1 kind: is required (one of: scale"),
        (
            "id: pain\nkind: scale\ntitle: Pain\nask: weekly\n",
            ":4 ask: must be one of: always, daily or on-demand",
        ),
        (
            "id: pain\nkind: scale\ntitle: Pain\nonly_if: {tracker: mood}\n",
            ":4 only_if: give exactly one of at_least or equals",
        ),
        ("id: pain\n  kind: [\n", "is not valid YAML"),
        ("- a list\n", ":1: must be a mapping of fields"),
        ("!!python/object:os.system {}\n", "YAML tag selfback does not allow"),
    ],
)
def test_invalid_file_is_reported_with_file_line_and_field(
    home: Path, text: str, where: str
) -> None:
    path = write(home, "pain.yaml", text)
    lib = load_trackers(get_paths())
    assert "pain" not in lib.entries
    [problem] = [p for p in lib.problems if p.path == path]
    assert problem.message.startswith(str(path))
    assert where in problem.message, problem.message


def test_invalid_file_leaves_the_rest_working(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    bad = write(home, "bad.yaml", "id: bad\nkind: scale\ntitle: Bad\nmax: -1\n")
    write(home, "good.yaml", "id: good\nkind: yesno\ntitle: Good thing\n")
    r = cli("trackers", "validate")
    assert r.exit_code == 1
    assert f"{bad}:4 max:" in r.stdout
    assert "the rest still work" in r.stdout
    r = cli("checkin", input="5\n\n\n\n\n\ny\n\n")
    assert r.exit_code == 0, r
    assert "Good thing, y/n: " in r.stdout
    assert "1 tracker file has a problem" in r.stderr
    assert cli("checkin", "--mood", "5", "--set", "good=yes").exit_code == 0
    r = cli("checkin", "--mood", "5", "--set", "bad=3")
    assert r.exit_code == 2 and "no tracker called 'bad'" in r.stderr
    r = cli("doctor")
    assert r.exit_code == 1 and f"{bad}:4 max:" in r.stdout


def test_id_clash_with_builtin_and_between_files(home: Path) -> None:
    write(home, "mood.yaml", "id: mood\nkind: scale\ntitle: My mood\n")
    write(home, "a.yaml", "id: walk\nkind: yesno\ntitle: Walk\n")
    write(home, "b.yaml", "id: walk\nkind: yesno\ntitle: Walk again\n")
    messages = [p.message for p in load_trackers(get_paths()).problems]
    assert any(
        "mood.yaml:1 id: 'mood' is already used by the everyday check-in" in m for m in messages
    )
    assert any("b.yaml:1 id: 'walk' is also used by a.yaml" in m for m in messages)


def test_condition_must_point_at_an_earlier_tracker(home: Path) -> None:
    write(home, "x.yaml", "id: x\nkind: yesno\ntitle: X\nonly_if: {tracker: nope, equals: yes}\n")
    [p] = load_trackers(get_paths()).problems
    assert ":4 only_if.tracker: 'nope' is not a tracker asked before this one" in p.message


def test_validate_named_files_and_all_good(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.yaml"
    good.write_text("id: good\nkind: yesno\ntitle: Good\n")
    r = cli("trackers", "validate", str(good))
    assert r.exit_code == 0 and "All good: 1 file checked" in r.stdout
    assert cli("trackers", "validate").exit_code == 0
    r = cli("trackers", "validate", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 1 and "not a file selfback can read" in r.stdout
    r = cli("trackers", "add", "x" * 300)
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_add_copies_a_valid_file(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "anything.yaml"
    src.write_text("id: steps\nkind: number\ntitle: Steps walked\n")
    r = cli("trackers", "add", str(src))
    assert r.exit_code == 0, r
    target = home / "trackers" / "steps.yaml"
    assert target.read_text() == src.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert cli("trackers", "add", str(src)).exit_code == 2  # already there
    assert cli("trackers", "add", str(src), "--force").exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: energy\nkind: scale\ntitle: Energy again\n")
    assert cli("trackers", "add", str(bad)).exit_code == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nkind: scale\n")
    r = cli("trackers", "add", str(broken))
    assert r.exit_code == 1 and "title: is required" in r.stdout


def test_new_makes_a_valid_tracker(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    # name, kind (1 = scale), question, lowest, highest, daily?
    r = cli("trackers", "new", input="Back pain\n1\nBack pain right now\n\n5\ny\n")
    assert r.exit_code == 0, r
    path = home / "trackers" / "back_pain.yaml"
    data = yaml.safe_load(path.read_text())
    assert data == {
        "id": "back_pain",
        "kind": "scale",
        "title": "Back pain",
        "version": 1,
        "prompt": "Back pain right now",
        "min": 0,
        "max": 5,
        "optional": True,
        "ask": "daily",
    }
    lib = load_trackers(get_paths())
    assert lib.problems == [] and "back_pain" in [t.id for t in lib.active()]


def test_new_choice_tracker(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("trackers", "new", "--kind", "choice", input="Period\n\nlight\nheavy\n\nn\n")
    assert r.exit_code == 0, r
    t = load_trackers(get_paths()).get("period")
    assert t is not None and t.kind == "choice"
    assert parse_answer(t, "2") == "heavy"


def test_list_and_json(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    write(home, "pain.yaml", "id: pain\nkind: scale\ntitle: Pain\n")
    r = cli("trackers", "list")
    assert r.exit_code == 0
    assert "pain" in r.stdout and "diary-card" in r.stdout and "off" in r.stdout
    data = json.loads(cli("trackers", "list", "--json").stdout)
    by_id = {t["id"]: t for t in data["trackers"]}
    assert by_id["pain"]["source"] == "yours" and by_id["pain"]["on"] is True
    assert by_id["urge_selfharm"]["on"] is False
    assert {p["id"]: p["on"] for p in data["packs"]} == {"diary-card": False, "medication": False}


@pytest.mark.parametrize(
    ("tracker", "raw", "value"),
    [
        ("id: a\nkind: scale\ntitle: A\nmin: 1\nmax: 5\n", "5", 5),
        ("id: a\nkind: yesno\ntitle: A\n", "Y", True),
        ("id: a\nkind: yesno\ntitle: A\n", "no", False),
        ("id: a\nkind: number\ntitle: A\nunit: mg\n", "12,5 mg", 12.5),
        ("id: a\nkind: choice\ntitle: A\noptions: [low, high]\n", "HIGH", "high"),
        ("id: a\nkind: tags\ntitle: A\nsuggestions: [head, back]\n", "2, Knee ", ["back", "knee"]),
        ("id: a\nkind: text\ntitle: A\n", "  hello ", "hello"),
    ],
)
def test_parse_answer_by_kind(tracker: str, raw: str, value: object) -> None:
    t, problems = parse_tracker_text(tracker, Path("t.yaml"))
    assert t is not None, problems
    assert parse_answer(t, raw) == value


@pytest.mark.parametrize(
    ("tracker", "raw"),
    [
        ("id: a\nkind: scale\ntitle: A\nmin: 1\nmax: 5\n", "0"),
        ("id: a\nkind: yesno\ntitle: A\n", "perhaps"),
        ("id: a\nkind: number\ntitle: A\nmin: 0\n", "-3"),
        ("id: a\nkind: number\ntitle: A\n", "inf"),
        ("id: a\nkind: choice\ntitle: A\noptions: [low, high]\n", "3"),
        ("id: a\nkind: text\ntitle: A\nmax_length: 3\n", "toolong"),
    ],
)
def test_parse_answer_refuses(tracker: str, raw: str) -> None:
    t, _ = parse_tracker_text(tracker, Path("t.yaml"))
    assert t is not None
    with pytest.raises(ValueError, match="must be|too long"):
        parse_answer(t, raw)


def test_yaml_yes_and_numbers_in_word_lists(home: Path) -> None:
    t, problems = parse_tracker_text(
        "id: a\nkind: choice\ntitle: A\noptions: [yes, no, 3]\n"
        "only_if: {tracker: mood, equals: yes}\n",
        Path("t.yaml"),
    )
    assert problems == [] and t is not None
    assert t.options == ["yes", "no", "3"]  # type: ignore[union-attr]
    assert t.only_if is not None and t.only_if.equals == "yes"
