"""No network: every socket call fails, and every command still works without trying."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SUPPORT = Path(__file__).parent / "support" / "nonet.py"
ROOT = Path(__file__).resolve().parent.parent

GOOD_SKILL = (ROOT / "skills" / "box-breathing.yaml").read_text()

# Every command, in a non-interactive form. (command path, args, stdin)
CASES: list[tuple[str, list[str], str]] = [
    ("", [], ""),
    ("", ["--help"], ""),
    ("", ["--version"], ""),
    ("sos", ["sos"], ""),
    ("config show", ["config", "show"], ""),
    ("config set", ["config", "set", "country", "GB"], ""),
    ("config path", ["config", "path"], ""),
    ("checkin", ["checkin", "--mood", "6", "--sleep", "7.5", "--tag", "work"], ""),
    ("checkin", ["checkin", "--mood", "4", "--note", "-"], "a private note\n"),
    ("history", ["history", "--json"], ""),
    ("history show", ["history", "show", "1"], ""),
    ("history edit", ["history", "edit", "1", "--mood", "7"], ""),
    ("history delete", ["history", "delete", "2", "--yes"], ""),
    ("cope", ["cope", "box-breathing"], "\n" * 40),
    ("sessions", ["sessions", "--json"], ""),
    ("sessions show", ["sessions", "show", "1"], ""),
    ("sessions mark", ["sessions", "mark", "1"], ""),
    ("sessions unmark", ["sessions", "unmark", "1"], ""),
    ("sessions delete", ["sessions", "delete", "1", "--yes"], ""),
    ("measure", ["measure"], ""),
    ("measure", ["measure", "gad7"], "1\n" * 8),
    ("measure history", ["measure", "history", "--json"], ""),
    ("plan show", ["plan", "show"], ""),
    ("plan edit", ["plan", "edit"], "\n" * 30),
    ("plan history", ["plan", "history"], ""),
    ("hope add", ["hope", "add", "--kind", "quote"], "Keep going.\n"),
    ("hope list", ["hope", "list", "--json"], ""),
    ("hope show", ["hope", "show", "1"], ""),
    ("hope remove", ["hope", "remove", "1", "--yes"], ""),
    ("skills list", ["skills", "list"], ""),
    ("skills show", ["skills", "show", "tipp"], ""),
    ("skills validate", ["skills", "validate", "{skill}"], ""),
    ("skills add", ["skills", "add", "{skill}"], ""),
    ("skills new", ["skills", "new", "calm-walk"], ""),
    ("skills schema", ["skills", "schema"], ""),
    ("trackers list", ["trackers", "list"], ""),
    ("trackers new", ["trackers", "new"], "\n" * 10),
    ("trackers validate", ["trackers", "validate", "{skill}"], ""),
    ("trackers add", ["trackers", "add", "{skill}"], ""),
    ("trackers enable", ["trackers", "enable", "diary-card"], ""),
    ("trackers disable", ["trackers", "disable", "diary-card"], ""),
    ("trackers pin", ["trackers", "pin", "emotions", "hopeful"], ""),
    ("trackers unpin", ["trackers", "unpin", "emotions", "hopeful"], ""),
    ("help", ["help", "checkin"], ""),
    ("trends", ["trends"], ""),
    ("export", ["export", "--format", "html", "--output", "{out}/r.html"], ""),
    ("export", ["export", "--format", "pdf", "--output", "{out}/r.pdf"], ""),
    ("export", ["export", "--format", "md", "--output", "{out}/r.md"], ""),
    ("export", ["export", "--format", "csv", "--output", "{out}/csv"], ""),
    ("export", ["export", "--format", "json", "--output", "{out}/r.json"], ""),
    ("export", ["export", "--format", "fhir", "--output", "{out}/r.fhir.json"], ""),
    ("import", ["import", "{out}/r.json"], ""),
    ("backup", ["backup", "{out}/backup.db"], ""),
    ("doctor", ["doctor"], ""),
    ("nudge", ["nudge"], ""),
    ("remind set", ["remind", "set", "21:00"], ""),
    ("remind show", ["remind", "show"], ""),
    ("remind run", ["remind", "run"], ""),
    ("remind off", ["remind", "off"], ""),
    ("passphrase set", ["passphrase", "set"], "pw\npw\n"),
    ("passphrase status", ["passphrase", "status"], ""),
    ("passphrase plan", ["passphrase", "plan", "locked"], ""),
    ("unlock", ["unlock"], "pw\n"),
    ("lock", ["lock"], ""),
    ("passphrase change", ["passphrase", "change"], "pw\nnew\nnew\n"),
    ("passphrase remove", ["passphrase", "remove"], "new\n"),
]


def _leaf_commands() -> set[str]:
    from selfback.cli.app import get_click_command

    found: set[str] = set()

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            found.add(" ".join(path))

    walk(get_click_command(), [])
    return found


def test_every_command_is_covered() -> None:
    covered = {name for name, _, _ in CASES}
    missing = _leaf_commands() - covered
    assert not missing, f"add these commands to the no-network test: {sorted(missing)}"


def test_every_command_runs_with_the_network_refused(home: Path, tmp_path: Path) -> None:
    skill = tmp_path / "skill.yaml"
    skill.write_text(GOOD_SKILL.replace("id: box-breathing", "id: my-box"))
    out = tmp_path / "out"
    out.mkdir()
    log = tmp_path / "network.log"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"SELFBACK_HOME": str(home), "SELFBACK_TIME_SCALE": "0.0001"})
    failures = []
    for _name, args, stdin in CASES:
        argv = [a.format(skill=skill, out=out) for a in args]
        result = subprocess.run(
            [sys.executable, str(SUPPORT), str(log), *argv],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        text = result.stdout + result.stderr
        if "Traceback" in text or "a bug, not something you did" in text:
            failures.append((argv, text[-800:]))
        if result.returncode not in (0, 1):
            failures.append((argv, f"exit {result.returncode}: {text[-800:]}"))
    assert not failures, failures
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", attempts


@pytest.mark.parametrize("module", ["socket", "http.client", "urllib.request", "ssl"])
def test_no_network_modules_in_the_source(module: str) -> None:
    for path in (ROOT / "src" / "selfback").rglob("*.py"):
        text = path.read_text()
        assert f"import {module}" not in text, f"{path} imports {module}"
        assert f"from {module} import" not in text, f"{path} imports from {module}"
