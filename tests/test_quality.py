"""Lint, format, type and coverage settings checked as part of the suite (so the README's one
test command covers them), plus a check that README and CI agree.

The house habits (docs/engineering.md): ruff with BLE (a broad except logs to the crash
log), C90 (complexity at most 15) and RUF100; mypy --strict on src and plain mypy on the
tests; coverage measured in every run, with a floor CI enforces. Files still being
converted carry a temporary, explicit exemption in pyproject.toml; the tests below fail
when an exemption is no longer needed (so the lists only shrink) or names the core.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
MARK = "being converted in this round"

# Modules that never get an exemption: the core this round finished (issue 13, item 8).
CORE = (
    "selfback/safety/",
    "selfback/skills/",
    "selfback/trackers/",
    "selfback/walk/",
    "selfback/measures/library",
    "selfback/measures/schema",
    "selfback/measures/scoring",
    "selfback/measures/reminders",
    "selfback/measures/export_info",
    "selfback/suggest",
    "selfback/yamlcheck",
    "selfback/settings",
    "selfback/paths",
    "selfback/fsutil",
    "selfback/clock",
    "selfback/text",
    "selfback/periods",
    "selfback/errors",
    "selfback/crashlog",
)


def _tool(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: install the test extras (pip install -e '.[test]')")
    return found


def _config() -> dict[str, Any]:
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True)


def _is_core(name: str) -> bool:
    path = name.replace(".", "/")
    return any(part in path for part in CORE)


# -- ruff ----------------------------------------------------------------------------------


def test_ruff_lint() -> None:
    result = _run(_tool("ruff"), "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(_tool("ruff"), "format", "--check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_holds_the_house_rules() -> None:
    lint = _config()["tool"]["ruff"]["lint"]
    assert {"BLE", "C90", "RUF100"} <= set(lint["select"])
    assert lint["mccabe"]["max-complexity"] == 15
    # log.exception on the crash log's logger is what BLE accepts as "logged".
    assert lint["logger-objects"] == ["selfback.crashlog.log"]


def _ruff_exemptions() -> dict[str, list[str]]:
    return dict(_config()["tool"]["ruff"]["lint"].get("per-file-ignores", {}))


def test_ruff_exemptions_are_temporary_and_never_for_the_core() -> None:
    text = PYPROJECT.read_text(encoding="utf-8")
    for path in _ruff_exemptions():
        assert not _is_core(path), f"{path} is core code: it gets no exemption"
        line = next(ln for ln in text.splitlines() if ln.startswith(f'"{path}"'))
        assert MARK in line, f"{path}: say '{MARK}' next to the entry"


def test_every_ruff_exemption_is_still_needed() -> None:
    exemptions = _ruff_exemptions()
    if not exemptions:
        return
    result = _run(
        _tool("ruff"),
        "check",
        "--config",
        "lint.per-file-ignores = {}",
        "--output-format",
        "json",
        *exemptions,
    )
    found: dict[str, set[str]] = {}
    for problem in json.loads(result.stdout or "[]"):
        rel = Path(problem["filename"]).resolve().relative_to(ROOT).as_posix()
        found.setdefault(rel, set()).add(problem["code"])
    stale = [
        f"{path}: {code}"
        for path, codes in exemptions.items()
        for code in codes
        if code not in found.get(path, set())
    ]
    assert not stale, (
        "these exemptions in pyproject.toml [tool.ruff.lint.per-file-ignores] are no longer "
        f"needed: delete them: {stale}"
    )


# -- mypy ----------------------------------------------------------------------------------


def test_mypy_strict_on_src() -> None:
    assert _config()["tool"]["mypy"]["strict"] is True
    result = _run(_tool("mypy"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_mypy_on_the_tests() -> None:
    result = _run(_tool("mypy"), "--config-file", "tests/mypy.ini")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def _ini_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def test_mypy_exemptions_are_temporary_and_still_needed(tmp_path: Path) -> None:
    mypy = dict(_config()["tool"]["mypy"])
    overrides = mypy.pop("overrides", [])
    if not overrides:
        return
    text = PYPROJECT.read_text(encoding="utf-8")
    blocks = text.split("[[tool.mypy.overrides]]")[1:]
    assert len(blocks) == len(overrides)
    for block, override in zip(blocks, overrides, strict=True):
        assert MARK in block.split("module")[0], f"{override['module']}: say '{MARK}'"
        for name in override["module"]:
            assert not _is_core(name), f"{name} is core code: it gets no exemption"
    # The same check without any override: each one must still hide an error.
    ini = tmp_path / "strict.ini"
    lines = ["[mypy]", *(f"{k} = {_ini_value(v)}" for k, v in mypy.items())]
    lines.append("cache_dir = .mypy_cache/no-exemptions")
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(_tool("mypy"), "--config-file", str(ini))
    errors = [ln for ln in result.stdout.splitlines() if ": error: " in ln]
    stale = []
    for override in overrides:
        names = [n.removesuffix(".*") for n in override["module"]]
        hit = False
        for name in names:
            file = "src/" + name.replace(".", "/")
            quoted = f'"{name}'
            hit = hit or any(e.startswith((file + ".py:", file + "/")) for e in errors)
            hit = hit or any(quoted in e for e in errors)
        if not hit:
            stale.append(override["module"])
    assert not stale, (
        f"these [[tool.mypy.overrides]] in pyproject.toml are no longer needed: delete them: "
        f"{stale}"
    )


# -- coverage and CI -----------------------------------------------------------------------


def test_coverage_is_measured_and_ci_enforces_its_floor() -> None:
    config = _config()["tool"]
    assert "--cov" in config["pytest"]["ini_options"]["addopts"].split()
    assert config["coverage"]["report"]["fail_under"] >= 85
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\.venv/bin/coverage report\b", ci, re.M), "CI must check the floor"


def test_readme_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) == 2, commands
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci
    assert "selfback" in commands[0]
