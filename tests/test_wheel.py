"""The wheel ships the built-in skills: build it, install it into a fresh venv, list skills
from outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_finds_every_builtin_skill(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    [wheel] = list(dist.glob("selfback-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "SELFBACK_SKILLS_PATH"}}
    env["SELFBACK_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [str(venv / "bin" / "selfback"), "skills", "list", "--json"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout)
    shipped = {p.stem for p in (ROOT / "skills").glob("*.yaml")}
    assert {r["id"] for r in rows} == shipped
    assert all(str(venv) in r["path"] for r in rows), rows[0]["path"]
    assert result.stderr == ""
    version = subprocess.run(
        [str(py), "-m", "selfback", "--version"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("selfback ")
