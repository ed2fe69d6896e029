"""The skill library: safe loading, precise problems, overrides, and the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfback.paths import builtin_skills_dir, get_paths
from selfback.skills.library import load_library, load_skill_file

GOOD = """\
id: {id}
title: {title}
summary: A test skill.
situations: [anxiety]
distress: {{min: 0, max: 10}}
minutes: 1
source: Test author (2024)
steps:
  - kind: say
    text: Breathe.
"""

BAD_SECONDS = """\
id: bad-timer
title: Bad timer
summary: A test skill.
situations: [anxiety]
distress: {min: 0, max: 10}
minutes: 1
source: Test author (2024)
steps:
  - kind: say
    text: One.
  - kind: say
    text: Two.
  - kind: timer
    text: Wait.
    seconds: 0
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_library_has_the_content_guide_skills() -> None:
    lib = load_library(get_paths())
    assert lib.problems == []
    expected = {
        "tipp",
        "stop",
        "grounding-54321",
        "cyclic-sighing",
        "urge-surfing",
        "accepts",
        "self-soothe",
        "improve",
        "box-breathing",
        "breathing-478",
        "resonance-breathing",
        "progressive-muscle-relaxation",
        "thought-record",
        "behavioural-activation",
        "self-compassion-break",
        "leaves-on-a-stream",
        "check-the-facts",
        "opposite-action",
        "radical-acceptance",
        "rain",
    }
    assert expected <= set(lib.skills)
    assert len(lib.skills) >= 18
    for skill in lib.skills.values():
        assert skill.source.strip(), skill.id
    assert lib.get("tipp") is not None and lib.get("tipp").cautions  # type: ignore[union-attr]


def test_every_builtin_file_is_named_after_its_id() -> None:
    for path in sorted(builtin_skills_dir().glob("*.yaml")):
        skill, problems = load_skill_file(path)
        assert skill is not None, problems
        assert path.stem == skill.id


def test_unsafe_yaml_tag_is_refused_and_not_run(home: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f'id: !!python/object/apply:os.system ["touch {marker}"]\ntitle: x\n'
    write(home / "skills", "evil.yaml", evil)
    lib = load_library(get_paths())
    assert not marker.exists()
    assert "evil" not in lib.skills
    [problem] = lib.problems
    assert "evil.yaml:1" in problem.message
    assert "YAML tag" in problem.message
    assert len(lib.skills) >= 18  # the others still load


def test_malformed_file_reports_file_line_and_field_and_others_load(home: Path) -> None:
    write(home / "skills", "bad-timer.yaml", BAD_SECONDS)
    write(home / "skills", "mine.yaml", GOOD.format(id="mine", title="Mine"))
    lib = load_library(get_paths())
    assert "mine" in lib.skills
    assert "bad-timer" not in lib.skills
    messages = [p.message for p in lib.problems]
    assert any(m.endswith("bad-timer.yaml:15 steps[2].seconds: must be > 0") for m in messages), (
        messages
    )


def test_problems_for_yaml_syntax_unknown_kind_and_missing_field(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.yaml", "id: [unclosed\n")
    _, problems = load_skill_file(broken)
    assert (
        problems
        and "broken.yaml:2" in problems[0].message
        and "not valid YAML" in problems[0].message
    )

    text = GOOD.format(id="x1", title="X").replace("kind: say", "kind: dance")
    _, problems = load_skill_file(write(tmp_path, "kind.yaml", text))
    assert problems[0].message.endswith(
        "kind.yaml:9 steps[0]: kind must be one of: say, ask, choose, rate, timer, breathe, "
        "recall, later"
    )

    text = GOOD.format(id="x2", title="X").replace("minutes: 1\n", "")
    _, problems = load_skill_file(write(tmp_path, "missing.yaml", text))
    assert [p.field for p in problems] == ["minutes"]
    assert "is required" in problems[0].message

    _, problems = load_skill_file(write(tmp_path, "empty.yaml", ""))
    assert "is empty" in problems[0].message


def test_user_skill_overrides_builtin_and_list_says_so(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(home / "skills", "box-breathing.yaml", GOOD.format(id="box-breathing", title="My box"))
    lib = load_library(get_paths())
    entry = lib.entries["box-breathing"]
    assert entry.skill.title == "My box"
    assert entry.origin.kind == "user"
    assert entry.overrides is not None and entry.overrides.kind == "built-in"

    result = cli("skills", "list", "--json")
    assert result.exit_code == 0
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["box-breathing"]["origin"] == "yours"
    assert rows["box-breathing"]["overrides"] is not None
    text = cli("skills", "list").stdout
    assert "overrides" in text


def test_skills_path_comes_after_user_folder(home: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write(home / "skills", "a.yaml", GOOD.format(id="shared-id", title="From user"))
    extra = tmp_path / "extra"
    write(extra, "b.yaml", GOOD.format(id="shared-id", title="From path"))
    monkeypatch.setenv("SELFBACK_SKILLS_PATH", str(extra))
    lib = load_library(get_paths())
    assert lib.entries["shared-id"].skill.title == "From path"
    assert lib.entries["shared-id"].origin.kind == "path"


def test_duplicate_id_in_one_folder_is_a_problem(home: Path) -> None:
    write(home / "skills", "a.yaml", GOOD.format(id="dup", title="A"))
    write(home / "skills", "b.yaml", GOOD.format(id="dup", title="B"))
    lib = load_library(get_paths())
    assert lib.entries["dup"].skill.title == "A"
    assert any("also used by a.yaml" in p.message for p in lib.problems)


def test_schema_command_validates_every_builtin_skill(cli) -> None:  # type: ignore[no-untyped-def]
    import jsonschema
    import yaml

    result = cli("skills", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(builtin_skills_dir().glob("*.yaml"))
    assert len(files) >= 18
    for path in files:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert errors == [], (path.name, errors[:1])
    # and the schema rejects what the model rejects
    bad = yaml.safe_load(BAD_SECONDS)
    assert list(validator.iter_errors(bad))


def test_docs_schema_file_is_current(cli) -> None:  # type: ignore[no-untyped-def]
    shipped = (Path(__file__).parent.parent / "docs" / "skill.schema.json").read_text()
    assert json.loads(shipped) == json.loads(cli("skills", "schema").stdout), (
        "docs/skill.schema.json is stale: run `selfback skills schema > docs/skill.schema.json`"
    )


def test_validate_command_exit_codes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = write(tmp_path / "ok", "good.yaml", GOOD.format(id="good", title="Good"))
    result = cli("skills", "validate", str(good))
    assert result.exit_code == 0, result
    assert "1 of 1" in result.stdout

    write(tmp_path / "bad", "bad-timer.yaml", BAD_SECONDS)
    write(tmp_path / "bad", "evil.yaml", "x: !!python/name:os.system\n")
    result = cli("skills", "validate", str(good), str(tmp_path / "bad"))
    assert result.exit_code == 1
    assert "bad-timer.yaml:15 steps[2].seconds: must be > 0" in result.stdout
    assert "evil.yaml:1" in result.stdout
    assert "1 of 3" in result.stdout

    assert cli("skills", "validate", str(tmp_path / "nope.yaml")).exit_code == 1


def test_validate_builtin_folder_passes(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("skills", "validate", str(builtin_skills_dir()))
    assert result.exit_code == 0, result.stdout[-2000:]


def test_add_validates_then_copies_privately(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = write(tmp_path, "bad-timer.yaml", BAD_SECONDS)
    result = cli("skills", "add", str(bad))
    assert result.exit_code == 1
    assert not (home / "skills" / "bad-timer.yaml").exists()

    good = write(tmp_path, "whatever.yaml", GOOD.format(id="calm-walk", title="Calm walk"))
    result = cli("skills", "add", str(good))
    assert result.exit_code == 0, result
    target = home / "skills" / "calm-walk.yaml"
    assert target.exists()
    assert target.stat().st_mode & 0o777 == 0o600
    assert (home / "skills").stat().st_mode & 0o777 == 0o700
    assert cli("skills", "add", str(good)).exit_code == 2  # exists: needs --force
    assert cli("skills", "add", str(good), "--force").exit_code == 0


def test_new_writes_a_valid_commented_starter(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("skills", "new", "calm-walk")
    assert result.exit_code == 0, result
    path = home / "skills" / "calm-walk.yaml"
    text = path.read_text()
    assert text.count("#") >= 5
    skill, problems = load_skill_file(path)
    assert skill is not None, problems
    assert cli("skills", "new", "calm-walk").exit_code == 2
    assert cli("skills", "new", "Not An Id!").exit_code == 2


def test_show_and_list_filters(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("skills", "show", "tipp")
    assert result.exit_code == 0
    assert "Take care" in result.stdout and "Source:" in result.stdout
    missing = cli("skills", "show", "tip")
    assert missing.exit_code == 2 and "Did you mean tipp?" in missing.stderr
    rows = json.loads(cli("skills", "list", "--for", "sleep", "--json").stdout)
    assert rows and all("sleep" in r["situations"] for r in rows)
    assert cli("skills", "list", "--for", "nonsense").exit_code == 2


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["skills", "--help"]])
def test_startup_does_not_import_heavy_modules(args: list[str]) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from selfback.main import run\n"
        "run(sys.argv[1:])\n"
        "sys.stdout.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(out.rsplit("MODULES ", 1)[1].split())
    heavy_modules = [
        "yaml",
        "rich",
        "sqlite3",
        "selfback.skills.schema",
        "selfback.settings",
        "selfback.skills.library",
        "selfback.store.db",
    ]
    if len(args) == 1:
        # Typer itself uses pydantic to coerce parameters once a subcommand is parsed, so
        # only the top-level quick paths can promise no pydantic at all.
        heavy_modules.append("pydantic")
    for heavy in heavy_modules:
        assert heavy not in loaded, f"`selfback {' '.join(args)}` imported {heavy}"
